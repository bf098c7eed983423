/**
 * Shared helpers of the resources family: when vzcfgvalidate's checks apply, which mode (vSwap or not)
 * a container config is in, the decoded UBC pairs, vzcfgvalidate's unsigned 64-bit arithmetic, and the
 * message and quick-fix builders every rule module uses.
 *
 * Sources (classic vzctl 4.11.1, github.com/kolyshkin/vzctl): `src/validate.c` (`validate()`,
 * `validate_vswap()`, `check_param()`), `src/vzcfgvalidate.c` (mode choice), `src/lib/ub.c`
 * (`check_ub()`, `is_vswap_config()`); reference §3.1 and §6.
 */
import { compareVersions } from '../../model/version';
import type { CatalogIndex } from '../../catalog/load';
import type { Unit } from '../../catalog/types';
import { usedEntries, writtenEntries } from '../../model/effective';
import type { Entry } from '../../parser/types';
import { belowUnlimited, formatBytes, INT_MAX, LONG_MAX, PAGE_SIZE, parseSizedNumber } from '../../values/numbers';
import type { NumberPart } from '../../values/numbers';
import type { Pair } from '../../values/validate';
import type { Fix, LintContext, TextEdit } from '../types';
import { clip, fixTitle } from '../text';
import { ObjectCache } from '../../util/objectCache';
import { CatalogMemo } from '../limits/common';
import { behaviourFor, type BehaviourFact } from '../../catalog/behaviours';
import type { Generation } from '../../catalog/types';

/** 2^64: unsigned long wraps modulo this on 64-bit Linux. */
export const U64 = 1n << 64n;

/** One UBC parameter as vzcfgvalidate sees it: barrier and limit in the parameter's unit. */
export interface Ubc {
  /** The catalogue name (upper case, e.g. `KMEMSIZE`). */
  name: string;
  /** `pages`, `bytes` or `items`. */
  unit: Unit | undefined;
  /** The line vzctl uses (last occurrence for UBCs). */
  entry: Entry;
  /** Barrier, in the parameter's unit (LONG_MAX for `unlimited`). */
  bar: bigint;
  /** Limit, in the parameter's unit (LONG_MAX for `unlimited`). */
  lim: bigint;
  barPart: NumberPart;
  limPart: NumberPart;
  /** Written as one number (`PHYSPAGES="32G"`): vzctl sets barrier and limit both to it. */
  single: boolean;
  /**
   * How a fix writes LONG_MAX for the target ({@link longMaxSpelling}): `unlimited`,
   * `9223372036854775807`, or undefined when no one spelling is right on every host.
   */
  longMax: string | undefined;
}

/** How the target's UBC reader takes LONG_MAX: the fact that says so and the text a fix writes. */
export interface LongMaxSpelling {
  /** The `long-max-spelling` fact of schemas/behaviours.yaml for the target, if one is proven. */
  fact: BehaviourFact | undefined;
  /** Its `writes`: undefined when no one spelling is right on every host (classic before 3.0.9). */
  text: string | undefined;
}

const spellings = new Map<string, LongMaxSpelling>();
/** The target {@link longMaxSpelling} answered last (its fields are never changed), with the answer. */
let lastSpelling: { target: { generation: Generation; version: string }; spelling: LongMaxSpelling } | undefined;

/**
 * How a config spells LONG_MAX (a UBC "unlimited") so that the target reads it: `unlimited` for classic
 * vzctl 3.0.19+ and Virtuozzo 7, `9223372036854775807` for classic 3.0.9 to 3.0.18 (digits only; above
 * LONG_MAX is clamped, so i386 hosts read it as their LONG_MAX), nothing for older targets (strtoul()
 * without clamping: the spelling depends on the host). Facts and sources: `long-max-spelling` in
 * schemas/behaviours.yaml (vzctl src/lib/config.c at vzctl.open-2.7.0-23, 3.0.0-8, 3.0.18, 3.0.19).
 */
export function longMaxSpelling(target: { generation: Generation; version: string }): LongMaxSpelling {
  // Asked for every UBC pair decoded; the files of a node share one target object.
  const last = lastSpelling;
  if (last?.target === target) return last.spelling;
  const key = `${target.generation}@${target.version}`;
  let hit = spellings.get(key);
  if (!hit) {
    const fact = behaviourFor('long-max-spelling', target, undefined);
    hit = { fact, text: fact?.writes };
    // Bounded: versions come from settings and files.
    if (spellings.size < 200) spellings.set(key, hit);
  }
  lastSpelling = { target, spelling: hit };
  return hit;
}

/**
 * The UBCs whose absence makes vzcfgvalidate stop before any other check in non-vSwap mode
 * (`check_param()`, src/validate.c): "Error: parameter X not found".
 */
export const CHECK_PARAM_SET = [
  'NUMPROC', 'NUMTCPSOCK', 'NUMOTHERSOCK', 'OOMGUARPAGES', 'VMGUARPAGES', 'KMEMSIZE', 'TCPSNDBUF', 'TCPRCVBUF',
  'OTHERSOCKBUF', 'DGRAMRCVBUF', 'PRIVVMPAGES', 'NUMFILE', 'DCACHESIZE', 'PHYSPAGES', 'NUMPTY',
] as const;

/**
 * The UBCs `vzctl start` requires (`check_ub()`, src/lib/ub.c) of a non-vSwap or a vSwap config, from
 * schemas/parameters.yaml `requiredToStart`, in catalogue order; each missing one is "Error: required UB
 * parameter X not set". vzcfgvalidate's own presence checks (`check_param()` plus the `CHECK_B` /
 * `CHECK_BL` ones) cover exactly the non-vSwap set.
 */
export function requiredToStart(catalog: CatalogIndex, mode: 'non-vswap' | 'vswap'): readonly string[] {
  return (mode === 'vswap' ? requiredVswap : requiredNonVswap).get(catalog);
}

const requiredOf = (mode: 'non-vswap' | 'vswap') => (c: CatalogIndex): string[] => c.catalog.parameters.filter((p) => p.requiredToStart?.includes(mode)).map((p) => p.name);
/** {@link requiredToStart} of each mode, for the last catalogue (asked once per container config). */
const requiredVswap = new CatalogMemo(requiredOf('vswap'));
const requiredNonVswap = new CatalogMemo(requiredOf('non-vswap'));

/**
 * The vzctl version from which a vSwap config needs only PHYSPAGES and SWAPPAGES: `check_ub()` in
 * src/lib/ub.c tests `is_vswap_config()` first from tag vzctl-3.0.30 on (absent at vzctl-3.0.29.3).
 * Older vzctl requires the full set whatever the mode.
 */
export const VSWAP_OPTIONAL_SINCE = '3.0.30';

/**
 * The vzctl version from which `is_vswap_config()` (src/lib/ub.c) takes a PHYSPAGES limit of INT_MAX
 * (2147483647, the 32-bit LONG_MAX) as unlimited, i.e. not vSwap: vzctl-3.0.30.2 (at 3.0.30 and
 * 3.0.30.1 only LONG_MAX is unlimited, so a config moved from a 32-bit host reads as vSwap there).
 */
export const VSWAP_INT_MAX_UNLIMITED_SINCE = '3.0.30.2';

/**
 * Whether the container resource rules apply: a container config (CTID.conf or a ve-*.conf-sample)
 * checked against classic vzctl. Not CT0's 0.conf (it describes the host), not vz.conf, and not
 * Virtuozzo 7 (no vzcfgvalidate; its samples use `PHYSPAGES="N:N"` by design).
 */
export function classicContainer(ctx: LintContext): boolean {
  return ctx.kind === 'container' && ctx.target.generation === 'classic';
}

/** The decoded pair of `name` from the file's own lines (the line vzctl uses), if it parsed. */
export function ubc(ctx: LintContext, name: string): Ubc | undefined {
  // Asked many times per lint (every resource rule, vSwap detection): each pair found is built once. A
  // pair that is not there is not remembered: finding that out again is one lookup in the file's index
  // of entries (pairOf), no dearer than a memo, and a vSwap config lacks most of the UBCs asked about.
  const found = stateOf(ctx).pairs;
  const hit = found.get(name);
  if (hit !== undefined) return hit;
  const def = ctx.catalog.parameter(name);
  if (!def) return undefined;
  const all = ctx.byName.get(def.name);
  // No line of the file sets it (most of the UBCs asked about in a vSwap config): nothing to decode.
  if (all === undefined || all.length === 0) return undefined;
  // pairOf(ctx, name), without looking the name up again. One line whose value check found nothing (the
  // usual case) is the line usedEntries() takes: no policy to apply, no refusal to look for.
  let entry: Entry | undefined;
  let pair: Pair | undefined;
  const only = all.length === 1 ? ctx.values.get(all[0] as Entry) : undefined;
  if (only !== undefined && only.problems.length === 0) {
    entry = all[0] as Entry;
    pair = only.pair;
  } else {
    const used = usedEntries(ctx, def);
    entry = used[used.length - 1];
    pair = entry && ctx.values.get(entry)?.pair;
  }
  if (!entry || !pair) return undefined;
  const longMax = longMaxSpelling(ctx.target).text;
  // One object per lint and pair: sharing one per line model among a node's files (a WeakMap keyed by the
  // line, every field compared) cost more than it saved (issue 8: whole fleet -2.0 % instructions without it).
  const u: Ubc = { name: def.name, unit: def.unit, entry, bar: pair.barrier.value, lim: pair.limit.value, barPart: pair.barrier, limPart: pair.limit, single: pair.single, longMax };
  found.set(name, u);
  return u;
}

/** What the resource rules found out about one lint (one file's context); shared by the callers: never modify a value. */
interface UbcState {
  /** {@link ubc}'s pairs found, by the name asked. */
  pairs: Map<string, Ubc>;
  /** {@link isVswap}'s answer, once decided. */
  vswap: boolean | undefined;
  /** {@link nonVswapInputs}' answer (null: the checks do not run), once decided. */
  inputs: NonVswapInputs | null | undefined;
}

const states = new ObjectCache<LintContext, UbcState>();
/**
 * The context {@link stateOf} answered last, with its state: the rules of one lint run one after the other,
 * so most questions are about the same context as the one before (one comparison instead of the per-lint
 * memo's lookups; a dozen rules ask per container). Bounded: one context is kept until the next lint asks.
 */
let last: { ctx: LintContext; state: UbcState } | undefined;

/** The {@link UbcState} of the lint of `ctx`, made on first use. */
function stateOf(ctx: LintContext): UbcState {
  const was = last;
  if (was !== undefined && was.ctx === ctx) return was.state;
  let state = states.get(ctx);
  if (state === undefined) states.set(ctx, (state = { pairs: new Map(), vswap: undefined, inputs: undefined }));
  last = { ctx, state };
  return state;
}

/**
 * The pair vzctl itself ends up with: the container's line, else the node's vz.conf (`vzctl start`
 * merges vz.conf and CTID.conf, `reread_vps_config()` in src/lib/config.c).
 */
export function mergedUbc(ctx: LintContext, name: string): Ubc | undefined {
  const own = ubc(ctx, name);
  const node = ctx.node;
  if (own || !node || ctx.kind === 'node') return own;
  const def = ctx.catalog.parameter(name);
  // vz.conf without the line (the usual case: UBCs are per container): nothing to decode there.
  if (!def || !node.byName.has(def.name) || def.ignoredInNodeConfig?.includes(ctx.target.generation)) return undefined;
  return ubc(node, name);
}

/** Every line of the file's own that sets `name` (valid or not), in the order vzctl's policy uses them. */
export function ownEntries(ctx: LintContext, name: string): Entry[] {
  const def = ctx.catalog.parameter(name);
  return def ? writtenEntries(ctx, def) : [];
}

/**
 * vSwap or not, decided as vzctl does (`is_vswap_config()`, src/lib/ub.c): PHYSPAGES is set and its
 * limit is neither LONG_MAX nor — since vzctl 3.0.30.2 — INT_MAX (the 32-bit "unlimited" of configs
 * moved from 32-bit hosts).
 */
export function isVswap(ctx: LintContext): boolean {
  // Asked by several rules per lint: decided once.
  const state = stateOf(ctx);
  let answer = state.vswap;
  if (answer === undefined) state.vswap = answer = decideVswap(ctx);
  return answer;
}

function decideVswap(ctx: LintContext): boolean {
  const facts = vswapFacts(ctx.target);
  // Before vzctl-3.0.30 there is no is_vswap_config(): no config is treated as vSwap.
  if (!facts.decides) return false;
  const p = mergedUbc(ctx, 'PHYSPAGES');
  return p !== undefined && p.lim !== LONG_MAX && !(facts.intMaxUnlimited && p.lim === INT_MAX);
}

/** How the target's vzctl decides vSwap: whether it does at all ({@link VSWAP_OPTIONAL_SINCE}), and whether INT_MAX is unlimited there. */
interface VswapFacts {
  decides: boolean;
  intMaxUnlimited: boolean;
}

/** The target {@link vswapFacts} answered last (the files of a node share one target object, never modified). */
let lastVswapFacts: { target: { generation: Generation; version: string }; facts: VswapFacts } | undefined;

/** {@link VswapFacts} of `target`. */
function vswapFacts(target: { generation: Generation; version: string }): VswapFacts {
  const was = lastVswapFacts;
  if (was !== undefined && was.target === target) return was.facts;
  const classic = target.generation === 'classic';
  const facts = {
    decides: !classic || compareVersions(target.version, VSWAP_OPTIONAL_SINCE) >= 0,
    intMaxUnlimited: !classic || compareVersions(target.version, VSWAP_INT_MAX_UNLIMITED_SINCE) >= 0,
  };
  lastVswapFacts = { target, facts };
  return facts;
}

/** The inputs of vzcfgvalidate's non-vSwap checks, or undefined when they do not run. */
export interface NonVswapInputs {
  /** Every UBC of the file that parsed, by catalogue name. */
  get(name: string): Ubc | undefined;
  /** One of `CHECK_PARAM_SET`, present by construction. */
  need(name: (typeof CHECK_PARAM_SET)[number]): Ubc;
  /** vzcfgvalidate's avnumproc (items): AVNUMPROC's barrier, else half NUMPROC's barrier. */
  avnumproc: bigint;
  /** How avnumproc was obtained, for messages. */
  avnumprocFrom: string;
}


/**
 * The values vzcfgvalidate's non-vSwap checks read (`validate()`, src/validate.c), or undefined when
 * they do not run: not a classic container config, a vSwap config, or one of the `check_param()` set
 * missing from the file (vzcfgvalidate then reports only the missing ones, which is `ubc-required`'s
 * job). Like vzcfgvalidate, only the file's own lines count (it never merges vz.conf's UBCs).
 */
export function nonVswapInputs(ctx: LintContext): NonVswapInputs | undefined {
  // Asked by a dozen rules per lint (undefined for most: vSwap configs): decided once.
  const state = stateOf(ctx);
  const hit = state.inputs;
  if (hit !== undefined) return hit ?? undefined;
  let result: NonVswapInputs | null = null;
  if (classicContainer(ctx) && !isVswap(ctx) && hasCheckParamSet(ctx)) {
    // ubc() remembers the pairs found (a missing one is one lookup in the file's index).
    const get = (name: string): Ubc | undefined => ubc(ctx, name);
    const av = get('AVNUMPROC');
    const numproc = get('NUMPROC') as Ubc;
    result = {
      get,
      need: (name) => get(name) as Ubc,
      avnumproc: av ? av.bar : numproc.bar / 2n,
      avnumprocFrom: av ? 'the AVNUMPROC barrier' : `half the NUMPROC barrier ${numproc.bar}`,
    };
  }
  state.inputs = result;
  return result ?? undefined;
}

/** Whether the file sets (and vzctl decodes) every UBC of {@link CHECK_PARAM_SET}. */
function hasCheckParamSet(ctx: LintContext): boolean {
  for (const n of CHECK_PARAM_SET) if (!ubc(ctx, n)) return false;
  return true;
}

/** `x` as a C `unsigned long` on 64-bit Linux: reduced modulo 2^64. */
export function u64(x: bigint): bigint {
  // Already in range (every value a config can hold but a negative or huge one): no BigInt arithmetic.
  if (x >= 0n && x < U64) return x;
  return ((x % U64) + U64) % U64;
}

/** vzcfgvalidate's `val &= LONG_MAX` after an unsigned computation. */
export function maskLong(x: bigint): bigint {
  return u64(x) & LONG_MAX;
}

/**
 * `(unsigned long)(2.5 * 1024 * n)` as vzcfgvalidate computes the socket-buffer gaps: a double
 * product converted back to an integer, then `& LONG_MAX`. `n` is converted to the nearest double
 * first, as C does. A product of 2^64 or more has no C meaning; gcc on x86-64 yields
 * 0x8000000000000000 there, which the mask turns into 0 (so the check passes).
 */
export function socketGapMinimum(n: bigint): bigint {
  const d = 2560 * Number(n);
  if (d >= 2 ** 64) return 0n;
  return maskLong(BigInt(Math.trunc(d)));
}

/**
 * A computed number for a short message, in the parameter's unit made human: `unlimited`,
 * `unlimited − 40 KiB` (just below LONG_MAX), `2.62 GiB` (bytes, pages × 4 KiB), `9312` (items). The
 * explanation gives the exact number with {@link show}.
 */
export function amount(v: bigint, unit: Unit | undefined): string {
  if (v === LONG_MAX) return 'unlimited';
  const near = belowUnlimited(v, unit);
  if (near !== undefined) return near;
  switch (unit) {
    case 'bytes': return v < 1024n ? `${v} bytes` : formatBytes(v);
    case 'pages': return formatBytes(v * PAGE_SIZE);
    default: return v.toString();
  }
}

/**
 * One part of a pair as the file writes it, for a message: `32G`, `unlimited`, `262144`; a number at or
 * just below LONG_MAX as what it means (`unlimited`, `unlimited − 40 KiB`, see {@link amount}). Cut to
 * 30 characters.
 */
export function given(p: NumberPart, unit: Unit | undefined): string {
  if (p.unlimited || p.value === LONG_MAX || belowUnlimited(p.value, unit) !== undefined) return amount(p.value, unit);
  return clip(p.text.trim() === '' ? '0' : p.text.trim());
}

/** A stored number with its unit spelled out and made human: `262144 pages (1 GiB)`, `2752512 bytes (2.62 MiB)`, `240`. */
export function show(v: bigint, unit: Unit | undefined): string {
  if (v === LONG_MAX) return 'unlimited';
  if (v === INT_MAX && unit === 'pages') return '2147483647 pages (8 TiB, the 32-bit maximum)';
  const near = belowUnlimited(v, unit);
  if (near !== undefined) return `${v}${unit === 'bytes' || unit === 'pages' ? ` ${unit}` : ''} (${near})`;
  switch (unit) {
    case 'pages': return `${v} pages (${formatBytes(v * PAGE_SIZE)})`;
    case 'bytes': return v < 1024n ? `${v} bytes` : `${v} bytes (${formatBytes(v)})`;
    default: return `${v}`;
  }
}

/**
 * How a number is written back: LONG_MAX and above (vzctl clamps) as `longMax` (the target's spelling,
 * {@link longMaxSpelling}; `unlimited` when not given, 9223372036854775807 when the target has none),
 * else decimal.
 */
export function numberText(v: bigint, longMax: string | undefined = 'unlimited'): string {
  return v >= LONG_MAX ? longMax ?? LONG_MAX.toString() : v.toString();
}

/** Part text for a new value: keep what the user wrote when the number is unchanged. */
function partText(v: bigint | string, keep: NumberPart, longMax: string | undefined): string {
  if (typeof v === 'string') return v;
  return v === keep.value ? keep.text : numberText(v, longMax);
}

/**
 * An edit that rewrites the pair of `u` as `barrier:limit` (numbers in the parameter's unit or literal
 * texts); LONG_MAX is written as the target spells it (`u.longMax`).
 */
export function setPair(u: Ubc, bar: bigint | string, lim: bigint | string): TextEdit {
  return { range: u.entry.rawValueRange, newText: `"${partText(bar, u.barPart, u.longMax)}:${partText(lim, u.limPart, u.longMax)}"` };
}

/**
 * vzcfgvalidate -r's "raise the barrier to `to` and shift the limit by the same amount" repair
 * (kmemsize, tcp*buf, dgramrcvbuf, othersockbuf, numfile). An unlimited limit stays unlimited
 * (vzcfgvalidate would add the delta to LONG_MAX in unsigned arithmetic; vzctl then clamps it back).
 */
export function raiseBarrierFix(u: Ubc, to: bigint, what: string): Fix {
  const lim = u.lim === LONG_MAX ? LONG_MAX : u.lim + (to - u.bar);
  const edit = setPair(u, to, lim);
  return { title: fixTitle(`Set ${u.name} to ${edit.newText}`, 'as vzcfgvalidate -r does'), detail: `${what}, as vzcfgvalidate -r does.`, edits: [edit], safe: false };
}

/** A fix that rewrites one pair; titles say what vzcfgvalidate -r would set. */
export function pairFix(u: Ubc, bar: bigint | string, lim: bigint | string, why: string): Fix {
  const edit = setPair(u, bar, lim);
  return { title: fixTitle(`Set ${u.name} to ${edit.newText}`, why), detail: `${why}.`, edits: [edit], safe: false };
}

/** Decodes a `barrier[:limit]` text as classic vzctl does, in the parameter's unit (for sample data). */
export function parsePairText(text: string, unit: Unit | undefined): { bar: bigint; lim: bigint } | undefined {
  const [b = '', l] = text.split(':');
  const bar = parseSizedNumber(b, 0, unit, 'classic');
  const lim = parseSizedNumber(l ?? b, 0, unit, 'classic');
  return bar.ok && lim.ok ? { bar: bar.part.value, lim: lim.part.value } : undefined;
}
