import { behaviourFor } from '../catalog/behaviours';
import type { ParameterDef } from '../catalog/types';
import { lineNumber } from '../parser/parse';
import type { ConfigDocument, Entry } from '../parser/types';
import type { LintContext } from '../rules/types';
import { isWholeNumber, readStrtoul } from '../values/strtoul';
import { tokens, type Pair } from '../values/validate';
import { isSamplePath } from './kind';
import { compareVersions, inVersionRange } from './version';
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
  /**
   * Classic before 3.0.23 (catalogue `mergeNonZero`, IOPRIO and MEMINFO): `zero-dropped`, the container's own
   * value is stored as 0, which merge_vps_param() does not copy, so vz.conf's value (or none) stays;
   * `node-not-taken`, the container has no line and its unset value hides vz.conf's. Absent otherwise.
   */
  mergeNonZero?: 'zero-dropped' | 'node-not-taken';
}

/**
 * What classic vzctl's handler leaves behind for a line whose value it refuses (ERR_INVAL, "invalid value
 * for KEY, skipped"), or undefined when the line is not refused (or the target is Virtuozzo 7):
 * - `skip`: the usual case, nothing was stored; the key keeps its earlier, global or default value;
 * - `unset`: the handler set the key back to unset (catalogue `onRefused`, effect `unset`: IOPRIO outside
 *   0..7 since vzctl 3.0.24, IOLIMIT and IOPSLIMIT since 4.6), so the values of earlier lines are lost and
 *   the container falls back to vz.conf's value or the default (merge_vps_param() skips unset numbers);
 * - `keeps-number`: the handler had already stored the number strtol() read (IOPRIO before vzctl 3.0.29):
 *   the line replaces earlier ones as if accepted, with that number ({@link keptNumber}).
 */
export type RefusedEffect = 'skip' | 'unset' | 'keeps-number' | 'partial';

/**
 * … and `partial`: a list whose handler stores the items one by one and stops at the first bad one
 * (behaviour `value-invalid-list`: IP_ADDRESS, NETDEV, DEVICES, DEVNODES, PCI, CAPABILITY), when the line
 * has items before it: those stay ({@link acceptedItems}).
 */
export function refusedEffect(ctx: LintContext, e: Entry): RefusedEffect | undefined {
  if (ctx.target.generation !== 'classic') return undefined;
  const problems = ctx.values.get(e)?.problems;
  if (problems === undefined || !problems.some((p) => p.kind === 'invalid')) return undefined;
  // Asked for every refused line each time a rule reads the effective view: found once per line and lint.
  let memo = effectMemo.get(ctx);
  if (memo === undefined) {
    memo = new Map();
    effectMemo.set(ctx, memo);
  }
  let effect = memo.get(e);
  if (effect === undefined) {
    effect = computeRefusedEffect(ctx, e);
    memo.set(e, effect);
  }
  return effect;
}

/** {@link refusedEffect} per lint (the context) and refused line. */
const effectMemo = new WeakMap<LintContext, Map<Entry, RefusedEffect>>();

function computeRefusedEffect(ctx: LintContext, e: Entry): RefusedEffect {
  const def = ctx.def(e);
  if (def?.duplicates === 'union') return keptBeforeBad(ctx, e) > 0 ? 'partial' : 'skip';
  const facts = def?.classic?.onRefused;
  if (facts === undefined) return 'skip';
  for (const f of facts) {
    if (!inVersionRange(ctx.target.version, f.since, f.until)) continue;
    if (f.values === 'outside-range' && wholeInt(e.value) === undefined) continue;
    // A negative number kept is no value: vzctl treats any number below 0 as unset (MERGE_INT2, ve_ioprio_set()).
    if (f.effect === 'keeps-number' && (keptNumber(e.value) ?? 0) < 0) return 'unset';
    return f.effect;
  }
  return 'skip';
}

/**
 * The characters classic vzctl splits a list key's value on (`for_each_strtok()` in src/lib/config.c and
 * src/lib/iptables.c @ vzctl-4.11.1): blanks and tabs for IP_ADDRESS and NETDEV, a blank only for DEVICES,
 * DEVNODES and PCI, and also commas for FEATURES, CAPABILITY (since vzctl 3.2; blanks and tabs before) and
 * IPTABLES. Virtuozzo 7: blanks and tabs, and commas for IP_ADDRESS.
 */
export function itemSeparators(ctx: Pick<LintContext, 'target'>, name: string): string {
  // libvzctl splits IP_ADDRESS, PCI and DEVICES on LIST_DELIMITERS, commas included (lib/vztypes.h,
  // lib/dev.c parse_pcidev() and parse_devices() @ v7.0.42..v8.0.90).
  if (ctx.target.generation !== 'classic') return name === 'IP_ADDRESS' || name === 'PCI' || name === 'DEVICES' || name === 'NETDEV' ? ' \t,' : ' \t';
  switch (name) {
    case 'DEVICES': case 'DEVNODES': case 'PCI': return ' ';
    case 'IPTABLES': return ' \t,';
    case 'FEATURES': case 'CAPABILITY': return compareVersions(ctx.target.version, '3.2') >= 0 ? ' \t,' : ' \t';
    default: return ' \t';
  }
}

/** How many items of a refused list line its handler has stored before the bad one (0 unless behaviour `value-invalid-list` holds for the key). */
function keptBeforeBad(ctx: LintContext, e: Entry): number {
  if (!behaviourFor('value-invalid-list', ctx.target, undefined, e.name)) return 0;
  const bad = ctx.values.get(e)?.problems.find((p) => p.kind === 'invalid');
  if (!bad) return 0;
  let n = 0;
  for (const t of tokens(e.value, itemSeparators(ctx, e.name))) {
    if (t.end > bad.start) break;
    n += 1;
  }
  return n;
}

/**
 * The items classic vzctl takes from one line of a list key (split as {@link itemSeparators}), in order:
 * all of them; only those before the first bad one when the handler stops there (`partial`, see
 * {@link refusedEffect}); none when it skips the line; without the items it skips one by one (an unknown
 * FEATURES name or IPTABLES module, problem kind `unknown-item`). Virtuozzo 7: all items of the line.
 */
export function acceptedItems(ctx: LintContext, e: Entry): string[] {
  return acceptedTokens(ctx, e).map((t) => t.text);
}

/**
 * {@link acceptedItems} with each item's offsets in the value (`start`, `end`), for findings that point at
 * an item (the fleet's duplicate-ip-address). Virtuozzo 7: every item of the line, unless libvzctl refuses
 * the line ({@link refusedForValue}): then none, since nothing of it is applied.
 */
export function acceptedTokens(ctx: LintContext, e: Entry): { text: string; start: number; end: number }[] {
  const check = ctx.values.get(e);
  const all = tokens(e.value, itemSeparators(ctx, e.name));
  if (ctx.target.generation !== 'classic') return refusedForValue(ctx, e) ? [] : all;
  if (check === undefined || check.problems.length === 0) return all;
  const effect = refusedEffect(ctx, e);
  if (effect === 'skip') return [];
  const bad = effect === 'partial' ? check.problems.find((p) => p.kind === 'invalid')?.start ?? Infinity : Infinity;
  const skippedAt = new Set<number>();
  for (const p of check.problems) if (p.kind === 'unknown-item') skippedAt.add(p.start);
  const out: { text: string; start: number; end: number }[] = [];
  for (const t of all) {
    if (t.end > bad) break;
    if (!skippedAt.has(t.start)) out.push(t);
  }
  return out;
}

/** A C int, or undefined beyond INT_MIN..INT_MAX. */
function cInt(n: bigint): number | undefined {
  return n >= -2147483648n && n <= 2147483647n ? Number(n) : undefined;
}

/** The C int strtol() reads from all of `text` (blanks and a sign allowed), or undefined (not all digits, or beyond int). */
function wholeInt(text: string): number | undefined {
  const r = readStrtoul(text);
  return isWholeNumber(r) ? cInt(r.signed) : undefined;
}

/**
 * The number classic parse_int() stores before vzctl 3.0.29 (`*val = (int)strtol(…)`, src/lib/util.c @
 * vzctl-3.0.28) for a value it then refuses: the leading number (0 without digits), or undefined when
 * that number does not fit a C int (what the cast makes of it depends on the host's word size).
 */
export function keptNumber(text: string): number | undefined {
  // strtol(): the leading number, 0 when no digit follows the blanks and sign.
  return cInt(readStrtoul(text).signed);
}

/**
 * Whether classic vzctl skips the line for its value: the handler refuses it (ERR_INVAL), vzctl warns
 * "invalid value for KEY, skipped" and the parameter keeps its earlier, global or default value
 * (src/lib/config.c). libvzctl instead fails on such a value, so on Virtuozzo 7 the line is not skipped.
 * A refused line whose handler unsets the key or keeps a number ({@link refusedEffect}) is not skipped:
 * it changes what earlier lines set.
 */
export function skippedForValue(ctx: LintContext, e: Entry): boolean {
  return refusedEffect(ctx, e) === 'skip';
}

/** Whether the line's refused value sets the key back to unset on classic vzctl ({@link refusedEffect} `unset`). */
export function unsetsForValue(ctx: LintContext, e: Entry): boolean {
  return refusedEffect(ctx, e) === 'unset';
}

/**
 * Whether libvzctl (Virtuozzo 7) refuses the file for this line's value: it keeps one value per key (the
 * last line), hands it to add_env_param(), which logs "Invalid parameter KEY: 'value'" and returns
 * VZCTL_E_INVAL; vzctl_update_env_param() passes the first such error on and vzctl2_env_open_conf() then
 * fails (libvzctl lib/env_config.c and lib/env.c @ v7.0.737), and Virtuozzo's vzctl opens containers
 * without VZCTL_CONF_SKIP_PARAM_ERRORS, so the command stops (vzctl src/vzctl.c @ v7.0.254). Unlike
 * classic vzctl ({@link skippedForValue}) nothing falls back to an earlier line: the line is refused, not
 * skipped. Only for a line vzctl uses (the last of its key); behaviour `vz7.value-invalid`. BURST_CPU_AVG_USAGE
 * and BURST_CPULIMIT are refused the same way but without the log line (their handler returns parse_ul()'s
 * 1, not VZCTL_E_INVAL; behaviour `vz7.value-invalid.silent`), and so are SLMMODE, TRAFFIC_SHAPING,
 * RATEBOUND and PAGECACHE_ISOLATION before libvzctl 7.0.294.9 and on 7.0.295..7.0.309 (their handlers
 * return VZCTL_E_INVAL before the log line; behaviours `vz7.value-invalid.silent-einval*`).
 */
export function refusedForValue(ctx: LintContext, e: Entry): boolean {
  if (ctx.target.generation !== 'vz7') return false;
  const problems = ctx.values.get(e)?.problems;
  return problems !== undefined && problems.some((p) => p.kind === 'invalid');
}

/** Keys libvzctl takes from the container's own config only, never from vz.conf (`_s_conf_local_param`, lib/env_config.c @ v7.0.42..v7.0.737). */
const VZ7_LOCAL_KEYS = new Set(['NETFILTER', 'VEID', 'UUID']);

/**
 * Virtuozzo 7: the first value libvzctl refuses when it opens this container's config ({@link
 * refusedForValue}), which makes it refuse the whole config: vzctl2_env_open_conf() merges vz.conf and the
 * container's file into one key/value map (the container's last line of a key wins; vz.conf's keys but
 * NETFILTER, VEID and UUID), parses every value and fails at the end if one was refused
 * (vzctl_update_env_param() "return first error", lib/env_config.c and lib/env.c @ v7.0.42 and v7.0.737).
 * So the container cannot be started (nor set, stopped…) with vzctl until that value is fixed.
 * `source` says which file holds the line. Undefined for classic (it skips a bad line and goes on) and when
 * every value is accepted.
 */
export function vz7RefusedLine(ctx: LintContext): { name: string; line: number; source: 'container' | 'node' } | undefined {
  if (ctx.target.generation !== 'vz7') return undefined;
  const isLast = (c: LintContext, e: Entry): boolean => {
    const def = c.def(e);
    const all = def ? c.byName.get(def.name) : undefined;
    return all === undefined || all[all.length - 1] === e;
  };
  let found: { name: string; line: number; source: 'container' | 'node' } | undefined;
  ctx.values.forEach((check, e) => {
    if (found || !check.problems.some((p) => p.kind === 'invalid') || !isLast(ctx, e)) return;
    found = { name: ctx.def(e)?.name ?? e.name, line: e.line, source: ctx.kind === 'node' ? 'node' : 'container' };
  });
  const node = ctx.kind !== 'node' ? ctx.node : undefined;
  if (found || !node || node.target.generation !== 'vz7') return found;
  node.values.forEach((check, e) => {
    if (found || !check.problems.some((p) => p.kind === 'invalid') || !isLast(node, e)) return;
    const name = node.def(e)?.name ?? e.name;
    if (VZ7_LOCAL_KEYS.has(name) || (ctx.byName.get(name)?.length ?? 0) > 0) return;
    found = { name, line: e.line, source: 'node' };
  });
  return found;
}

/**
 * The entries of `ctx` that vzctl uses for `def`, by the target's duplicate policy, leaving out the lines
 * classic vzctl skips for an invalid value ({@link skippedForValue}): a handler that refuses a value has
 * set nothing, so the next line of the key is not a duplicate.
 */
export function usedEntries(ctx: LintContext, def: ParameterDef): Entry[] {
  const all = ctx.byName.get(def.name) ?? [];
  if (all.length === 0 || ctx.target.generation !== 'classic' || !all.some((e) => refusedEffect(ctx, e) !== undefined)) return byPolicy(ctx, def, all);
  if (def.classic?.onRefused === undefined || def.duplicates === 'union') return byPolicy(ctx, def, all.filter((e) => !skippedForValue(ctx, e)));
  // A key whose handler may unset it on a refused value (IOPRIO, IOLIMIT, IOPSLIMIT): read the lines in
  // order as vzctl does; a line that unsets the key drops whatever earlier lines set.
  const first = (def.duplicates ?? 'first') === 'first';
  let cur: Entry | undefined;
  for (const e of all) {
    const effect = refusedEffect(ctx, e);
    if (effect === 'skip') continue;
    if (effect === 'unset') cur = undefined;
    else if (!first || cur === undefined) cur = e;
  }
  return cur === undefined ? [] : [cur];
}

/**
 * The last line of `def` in `ctx` whose refused value unsets the key with no accepted line after it
 * (classic {@link unsetsForValue}), or undefined: then the key is unset in this file, and the lines before
 * it set nothing that lasts.
 */
export function unsettingLine(ctx: LintContext, def: ParameterDef): Entry | undefined {
  if (ctx.target.generation !== 'classic' || def.classic?.onRefused === undefined) return undefined;
  const all = ctx.byName.get(def.name) ?? [];
  for (let i = all.length - 1; i >= 0; i -= 1) {
    const e = all[i] as Entry;
    const effect = refusedEffect(ctx, e);
    if (effect === 'skip') continue;
    return effect === 'unset' ? e : undefined;
  }
  return undefined;
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

function fromEntries(ctx: LintContext, entries: Entry[]): string {
  if (entries.length === 1) {
    const e = entries[0] as Entry;
    // IOPRIO before vzctl 3.0.29: the refused line's number was stored all the same.
    const effect = refusedEffect(ctx, e);
    if (effect === 'keeps-number') return String(keptNumber(e.value) ?? e.value);
    // A list line vzctl took only in part (the items before the bad one), or without the items it skips.
    if (effect === 'partial' || (ctx.target.generation === 'classic' && e.value !== '' && ctx.values.get(e)?.problems.some((p) => p.kind === 'unknown-item'))) return acceptedItems(ctx, e).join(' ');
    return e.value;
  }
  const seen = new Set<string>();
  for (const e of entries) for (const t of acceptedItems(ctx, e)) seen.add(t);
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
  // Asked once per container: the files of a node share one target object (never modified).
  const last = lastLayoutRule;
  if (last?.target === target) return last.rule;
  const fact = behaviourFor('ct-layout', target, undefined);
  const rule = !fact ? undefined : fact.id.endsWith('.ct-layout-own-line') ? 'own-line' : 'detected';
  lastLayoutRule = { target, rule };
  return rule;
}

/** The target {@link ctLayoutRule} answered last, with its answer. */
let lastLayoutRule: { target: Pick<Target, 'generation' | 'version'>; rule: 'own-line' | 'detected' | undefined } | undefined;

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
  // Classic before 3.0.23 (catalogue mergeNonZero: IOPRIO, MEMINFO): the merge takes the container's value
  // only when it is not 0, and a container without the key hides vz.conf's value.
  const quirk = mergeNonZeroOf(ctx, def);
  const zero = quirk !== undefined && own.length === 1 && storedAsZero(def, quirk.zero, (own[0] as Entry).value);
  if (own.length > 0 && !zero) return refusal(ctx, withMerged({ def, value: fromEntries(ctx, own), source: ctx.kind === 'node' ? 'node' : 'container', entry: own[own.length - 1] }, own));
  const node = ctx.node;
  if (ctx.kind !== 'node' && node && (quirk === undefined || zero) && !def.ignoredInNodeConfig?.includes(ctx.target.generation) && !createDefaultOnly(ctx, def)) {
    const global = usedEntries(node, def);
    if (global.length > 0) return refusal(node, withMerged({ def, value: fromEntries(node, global), source: 'node', entry: global[global.length - 1], path: node.path, ...(zero ? { mergeNonZero: 'zero-dropped' as const } : {}) }, global));
  }
  if (def.default !== undefined) {
    const hidden = quirk !== undefined && !zero && node !== undefined && usedEntries(node, def).length > 0;
    return { def, value: def.default, source: 'default', ...(zero ? { mergeNonZero: 'zero-dropped' as const } : hidden ? { mergeNonZero: 'node-not-taken' as const } : {}) };
  }
  return undefined;
}

/**
 * The classic merge quirk of `def` (catalogue `mergeNonZero`) when it holds for the file of `ctx`: a container
 * config or sample checked against a vzctl older than its `until`; undefined otherwise.
 */
export function mergeNonZeroOf(ctx: LintContext, def: ParameterDef): { until: string; zero: string[] } | undefined {
  const q = def.classic?.mergeNonZero;
  if (q === undefined || ctx.kind === 'node' || ctx.target.generation !== 'classic' || compareVersions(ctx.target.version, q.until) >= 0) return undefined;
  return q;
}

/** Whether `value` is one the handler stores as 0 (`zero`; for an integer key "0" means any spelling of zero). */
function storedAsZero(def: ParameterDef, zero: readonly string[], value: string): boolean {
  if (zero.includes(value.trim())) return true;
  return def.grammar === 'integer' && zero.includes('0') && wholeInt(value) === 0;
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
