import { behaviourFor } from '../catalog/behaviours';
import type { ParameterDef } from '../catalog/types';
import { lineNumber } from '../parser/parse';
import type { ConfigDocument, Entry } from '../parser/types';
import type { LintContext } from '../rules/types';
import { tokens, type Pair } from '../values/validate';
import { isSamplePath } from './kind';
import type { Target } from './target';

/** Where an effective value comes from. */
export type ValueSource = 'container' | 'node' | 'default';

/**
 * The value vzctl ends up with for one parameter of a container: the container's own line(s) as the
 * duplicate policy picks them, else the node's vz.conf (classic `merge_vps_param()`: a CT value
 * overrides the global one; lists replace, not merge) unless the key there is only the default for
 * `vzctl create` ({@link createDefaultOnly}: VE_LAYOUT), else the catalogue default.
 */
export interface EffectiveValue {
  def: ParameterDef;
  /** The value text (for union keys, the merged items separated by a space). */
  value: string;
  source: ValueSource;
  /** The line it comes from (in the container or the node file; the last one for merged lines); absent for defaults. */
  entry?: Entry;
  /**
   * Classic union keys (catalogue `duplicates: union`: IP_ADDRESS, FEATURES, IPTABLES…) set on more than one
   * line of the one file the value comes from: every line vzctl merges into `value`, in file order (the list
   * handlers add each line's items, src/lib/config.c @ vzctl-4.11.1); no line wins over another. Absent
   * otherwise.
   */
  merged?: Entry[];
  /** For `node` values: the node file's path. */
  path?: string;
  /**
   * Virtuozzo 7 only: libvzctl refuses this value ({@link refusedForValue}), so the value is never applied
   * and vzctl commands on the container fail until it is fixed. Absent otherwise.
   */
  refused?: true;
}

/**
 * Whether classic vzctl skips the line for its value: the handler refuses it (ERR_INVAL), vzctl warns
 * "invalid value for KEY, skipped" and the parameter keeps its earlier, global or default value
 * (src/lib/config.c). libvzctl instead fails on such a value, so on Virtuozzo 7 the line is not skipped.
 */
export function skippedForValue(ctx: LintContext, e: Entry): boolean {
  if (ctx.target.generation !== 'classic') return false;
  const problems = ctx.values.get(e)?.problems;
  return problems !== undefined && problems.some((p) => p.kind === 'invalid');
}

/**
 * Whether libvzctl (Virtuozzo 7) refuses the file for this line's value: it keeps one value per key (the
 * last line), hands it to add_env_param(), which logs "Invalid parameter KEY: 'value'" and returns
 * VZCTL_E_INVAL; vzctl_update_env_param() passes the first such error on and vzctl2_env_open_conf() then
 * fails (libvzctl lib/env_config.c and lib/env.c @ v7.0.737), and Virtuozzo's vzctl opens containers
 * without VZCTL_CONF_SKIP_PARAM_ERRORS, so the command stops (vzctl src/vzctl.c @ v7.0.254). Unlike
 * classic vzctl ({@link skippedForValue}) nothing falls back to an earlier line: the line is refused, not
 * skipped. Only for a line vzctl uses (the last of its key); behaviour `vz7.value-invalid`.
 */
export function refusedForValue(ctx: LintContext, e: Entry): boolean {
  if (ctx.target.generation !== 'vz7') return false;
  const problems = ctx.values.get(e)?.problems;
  return problems !== undefined && problems.some((p) => p.kind === 'invalid');
}

/**
 * The entries of `ctx` that vzctl uses for `def`, by the target's duplicate policy, leaving out the lines
 * classic vzctl skips for an invalid value ({@link skippedForValue}): a handler that refuses a value has
 * set nothing, so the next line of the key is not a duplicate.
 */
export function usedEntries(ctx: LintContext, def: ParameterDef): Entry[] {
  const all = ctx.byName.get(def.name) ?? [];
  if (all.length === 0 || !all.some((e) => skippedForValue(ctx, e))) return byPolicy(ctx, def, all);
  return byPolicy(ctx, def, all.filter((e) => !skippedForValue(ctx, e)));
}

/**
 * The lines of `ctx` for `def` as the duplicate policy picks them, lines with an invalid value included
 * (for messages that say a value is written but skipped); {@link usedEntries} for what vzctl applies.
 */
export function writtenEntries(ctx: LintContext, def: ParameterDef): Entry[] {
  return byPolicy(ctx, def, ctx.byName.get(def.name) ?? []);
}

function byPolicy(ctx: LintContext, def: ParameterDef, all: Entry[]): Entry[] {
  if (all.length <= 1) return all;
  const policy = ctx.target.generation === 'vz7' ? 'last' : def.duplicates ?? 'first';
  if (policy === 'union') return all;
  return policy === 'first' ? all.slice(0, 1) : all.slice(-1);
}

function fromEntries(entries: Entry[]): string {
  if (entries.length === 1) return (entries[0] as Entry).value;
  const seen = new Set<string>();
  for (const e of entries) for (const t of tokens(e.value, ' \t')) seen.add(t.text);
  return [...seen].join(' ');
}

/**
 * True when the container of `ctx` never takes `def` from the node's vz.conf, where it is only the default
 * for `vzctl create` (catalogue `createDefaultInNodeConfig`; VE_LAYOUT on classic: src/vzctl.c @
 * vzctl-4.9.4 drops the global layout once a container's config is read, src/lib/config.c @ vzctl-4.9.3
 * reads it for create only). A sample (`ve-NAME.conf-sample`) does take it: vzctl create merges the sample
 * over vz.conf.
 */
export function createDefaultOnly(ctx: LintContext, def: ParameterDef): boolean {
  return ctx.kind !== 'node' && def.createDefaultInNodeConfig?.includes(ctx.target.generation) === true && !isSamplePath(ctx.path);
}

/**
 * How the target's vzctl finds an existing container's layout (behaviour `ct-layout`,
 * schemas/behaviours.yaml): `own-line` (vzctl 4.9.4+: the container's VE_LAYOUT, else the private area),
 * `detected` (3.1 to 4.9.3: always from the private area, VE_LAYOUT only serves vzctl create), or
 * undefined where no fact holds (Virtuozzo 7; a vzctl older than VE_LAYOUT, which knows simfs only).
 */
export function ctLayoutRule(target: Pick<Target, 'generation' | 'version'>): 'own-line' | 'detected' | undefined {
  const fact = behaviourFor('ct-layout', target, undefined);
  if (!fact) return undefined;
  return fact.id.endsWith('.ct-layout-own-line') ? 'own-line' : 'detected';
}

/**
 * The node's vz.conf line of `def` that a container does not take ({@link createDefaultOnly}), for views
 * that say why the value is not inherited; undefined when the rule does not apply or vz.conf has no line.
 */
export function nodeLineNotTaken(ctx: LintContext, def: ParameterDef): { entry: Entry; path?: string } | undefined {
  const node = ctx.node;
  if (!node || !createDefaultOnly(ctx, def)) return undefined;
  const global = usedEntries(node, def);
  const entry = global[global.length - 1];
  if (!entry) return undefined;
  return node.path !== undefined ? { entry, path: node.path } : { entry };
}

/**
 * The effective value of parameter `name` (a key or alias) for the file of `ctx`, looking into the
 * node config when the file is a container config and a node context is attached.
 */
export function effectiveValue(ctx: LintContext, name: string): EffectiveValue | undefined {
  const def = ctx.catalog.parameter(name);
  if (!def) return undefined;
  const own = usedEntries(ctx, def);
  if (own.length > 0) return refusal(ctx, withMerged({ def, value: fromEntries(own), source: ctx.kind === 'node' ? 'node' : 'container', entry: own[own.length - 1] }, own));
  const node = ctx.node;
  if (ctx.kind !== 'node' && node && !def.ignoredInNodeConfig?.includes(ctx.target.generation) && !createDefaultOnly(ctx, def)) {
    const global = usedEntries(node, def);
    if (global.length > 0) return refusal(node, withMerged({ def, value: fromEntries(global), source: 'node', entry: global[global.length - 1], path: node.path }, global));
  }
  if (def.default !== undefined) return { def, value: def.default, source: 'default' };
  return undefined;
}

/** Sets `eff.merged` when the value is the union of several lines (`used`: the lines the policy takes). */
function withMerged(eff: EffectiveValue, used: Entry[]): EffectiveValue {
  if (used.length > 1) eff.merged = used;
  return eff;
}

/**
 * The 1-based line numbers of `entries` (in file order; of `doc`, numbered as editors count: see
 * `lineNumber`), consecutive ones as a range: `22–25`, `3, 7–8`;
 * at most `max` groups, then how many lines are left (`3, 5, 7 and 12 more`).
 */
export function lineList(doc: Pick<ConfigDocument, 'editorLines'>, entries: readonly Entry[], max = 5): string {
  const groups: string[] = [];
  let i = 0;
  while (i < entries.length && groups.length < max) {
    let j = i;
    while (j + 1 < entries.length && (entries[j + 1] as Entry).line === (entries[j] as Entry).line + 1) j += 1;
    const a = lineNumber(doc, (entries[i] as Entry).line);
    const b = lineNumber(doc, (entries[j] as Entry).line);
    groups.push(a === b ? String(a) : `${a}–${b}`);
    i = j + 1;
  }
  const rest = entries.length - i;
  return rest > 0 ? `${groups.join(', ')} and ${rest} more` : groups.join(', ');
}

/**
 * The context of the file that holds `eff.entry`: the node's vz.conf for a value a container takes from
 * there, else `ctx` itself. For naming the line (`lineNo(fileOf(ctx, eff), eff.entry.line)`).
 */
export function fileOf(ctx: LintContext, eff: Pick<EffectiveValue, 'source'>): LintContext {
  return eff.source === 'node' && ctx.kind !== 'node' && ctx.node ? ctx.node : ctx;
}

/** Marks `eff` as refused when libvzctl refuses its line (`lineCtx`: the file the line is in). */
function refusal(lineCtx: LintContext, eff: EffectiveValue): EffectiveValue {
  if (eff.entry && refusedForValue(lineCtx, eff.entry)) eff.refused = true;
  return eff;
}

/** The decoded UBC / quota pair vzctl uses for `name` in this file (own lines only), if it parsed. */
export function pairOf(ctx: LintContext, name: string): { pair: Pair; entry: Entry } | undefined {
  const def = ctx.catalog.parameter(name);
  if (!def) return undefined;
  const used = usedEntries(ctx, def);
  const entry = used[used.length - 1];
  if (!entry) return undefined;
  const pair = ctx.values.get(entry)?.pair;
  return pair ? { pair, entry } : undefined;
}
