/**
 * "Copy as a `vzctl set` command": the command that sets one line of a container config on a running
 * container (edits to the file do not reach it, and Virtuozzo 7's vzctl rewrites the file anyway).
 * Which option sets which parameter is data (schemas/vzctl-set.yaml): the options vzctl(8) documents,
 * and the documented convention that user beancounters are set by their lower-case name.
 */
import { schemaData } from '../catalog/load';
import type { Generation, ParameterDef } from '../catalog/types';
import type { Entry } from '../parser/types';
import type { LintContext } from '../rules/types';
import { acceptedItems, usedEntries } from '../model/effective';
import { ctidOf } from './nodeFiles';

type SourceId = 'classic-man' | 'vz7-man' | 'reference';

/** One option of schemas/vzctl-set.yaml. */
export interface VzctlSetOption {
  parameter: string;
  option: string;
  /** `value` (default): `--opt VALUE`; `each`: one `--opt ITEM` per item. */
  form?: 'value' | 'each';
  /** How `each` splits the value: `whitespace` (space, tab) or `list` (space, tab, comma). */
  separator?: 'whitespace' | 'list';
  /** Arguments put before the items (e.g. `--ipdel all` before incremental `--ipadd`s). */
  reset?: string[];
  /** Offer only when the value has a unit suffix or is `unlimited`. */
  requiresSuffix?: boolean;
  /** The source documenting the option for classic vzctl / Virtuozzo 7; absent: not offered there. */
  classic?: SourceId;
  vz7?: SourceId;
}

/** The user beancounter convention for one generation. */
export interface UbcConvention {
  source: SourceId;
  /** UBC parameters without an option. */
  except?: string[];
  /** When given: the only UBC parameters with an option. */
  only?: string[];
}

/**
 * An option that is a shortcut for another parameter's value (`--ram` sets the PHYSPAGES limit, classic
 * vzctl(8) "VSwap limits"): `name` is the key an admin may write for it by mistake (`RAM`).
 */
export interface VzctlSetShortcut {
  name: string;
  option: string;
  parameter: string;
  classic?: SourceId;
  vz7?: SourceId;
}

/** schemas/vzctl-set.yaml (validated by vzctl-set.schema.json in the tests). */
export interface VzctlSetData {
  sources: Record<SourceId, string>;
  ubcConvention: Record<Generation, UbcConvention>;
  options: VzctlSetOption[];
  shortcuts?: VzctlSetShortcut[];
}

let data: VzctlSetData | undefined;

/** The data of schemas/vzctl-set.yaml, loaded once. */
export function vzctlSetData(): VzctlSetData {
  data ??= schemaData<VzctlSetData>('vzctl-set');
  return data;
}

/** The `vzctl set` shortcut option named like the unknown key `name` (`RAM` → `--ram`, PHYSPAGES) on `generation`. */
export function shortcutNamed(name: string, generation: Generation): VzctlSetShortcut | undefined {
  return vzctlSetData().shortcuts?.find((s) => s.name === name && s[generation] !== undefined);
}

/**
 * The option that sets `def` on `generation`, or undefined when no source documents one.
 * UBC parameters follow the convention (lower-case name, value as written).
 */
export function vzctlSetOption(def: ParameterDef, generation: Generation): VzctlSetOption | undefined {
  const d = vzctlSetData();
  const listed = d.options.find((o) => o.parameter === def.name && o[generation] !== undefined);
  if (listed) return listed;
  if (def.grammar !== 'ubc' || !def[generation]) return undefined;
  const conv = d.ubcConvention[generation];
  if (conv.only && !conv.only.includes(def.name)) return undefined;
  if (conv.except?.includes(def.name)) return undefined;
  return { parameter: def.name, option: `--${def.name.toLowerCase()}`, [generation]: conv.source };
}

/** Quotes a word for /bin/sh when it holds anything but plainly safe characters. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What a `vzctl set` copy of one line gives. */
export interface VzctlSetCommand {
  /** The whole command, e.g. `vzctl set 101 --netfilter stateful --save`. */
  command: string;
  /** The option used (`--netfilter`). */
  option: string;
  ctid: string;
}

/** Whether vzctl rejects the value of `entry` (a value check of kind `invalid`). */
function isInvalid(ctx: LintContext, entry: Entry): boolean {
  return ctx.values.get(entry)?.problems.some((p) => p.kind === 'invalid') ?? false;
}

/**
 * The `vzctl set CTID … --save` command that sets what `entry` sets, for a container config whose CTID
 * comes from its file name (`101.conf`, or a UUID on Virtuozzo 7). Undefined when the file is not a
 * container config, the line is not a parameter the target knows and reads, the line does not take effect
 * (a repeated key whose other occurrence wins, see `usedEntries`), the value is invalid or empty, or no
 * documented option sets it. For a key whose repeated lines vzctl merges (duplicate policy `union`, e.g.
 * IP_ADDRESS in classic vzctl) the command sets the merged value of all those lines, and is the same on
 * each of them; lines with an invalid value, which vzctl skips, are left out of the merge.
 */
export function vzctlSetCommand(ctx: LintContext, entry: Entry): VzctlSetCommand | undefined {
  if (ctx.kind !== 'container' || ctx.path === undefined) return undefined;
  const ctid = ctidOf(ctx.path);
  if (ctid === undefined) return undefined;
  if (!ctx.live.includes(entry) || entry.key !== entry.name) return undefined;
  const def = ctx.def(entry);
  if (!def || !ctx.known(def) || ctx.status(def).some((s) => s.kind === 'removed')) return undefined;
  const opt = vzctlSetOption(def, ctx.target.generation);
  if (!opt) return undefined;
  // Only a line that takes effect, and never one vzctl rejects.
  const used = usedEntries(ctx, def);
  if (!used.includes(entry) || isInvalid(ctx, entry)) return undefined;
  // Of a merged line vzctl refused only in part (classic IP_ADDRESS and the other lists that stop at a bad
  // item), the items it kept: a command that resets the list (--ipdel all) must add them back.
  const values = (used.length > 1 ? used : [entry]).map((e) => (isInvalid(ctx, e) ? acceptedItems(ctx, e).join(' ') : e.value.trim())).filter((v) => v !== '');
  if (values.length === 0) return undefined;
  if (opt.requiresSuffix && !values.every((v) => /^(\d+(\.\d+)?[bkmgtBKMGT]|unlimited)$/.test(v))) return undefined;
  const args: string[] = [];
  if ((opt.form ?? 'value') === 'each') {
    const items = [...new Set(values.flatMap((v) => v.split(opt.separator === 'list' ? /[ \t,]+/ : /[ \t]+/)).filter((s) => s !== ''))];
    if (items.length === 0) return undefined;
    for (const a of opt.reset ?? []) args.push(a);
    for (const item of items) args.push(opt.option, shellQuote(item));
  } else {
    // Several used lines only for a merged (union) key set as one value: the items separated by a space.
    args.push(opt.option, shellQuote(values.join(' ')));
  }
  return { command: `vzctl set ${ctid} ${args.join(' ')} --save`, option: opt.option, ctid };
}
