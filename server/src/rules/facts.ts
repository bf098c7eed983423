/**
 * What a file has that a rule could report on, found in one pass over its lines, so that `lint()` calls a
 * rule only when the file has one of the facts it needs ({@link Rule.needs}).
 *
 * Why: most files give most rules nothing to report (the generated fleet's containers: 1.7 findings each
 * over about 55 rules), and each rule used to find that out with its own scan of the file, asking the
 * catalogue about every line again (whether the target knows the key, its status, its scope), its value
 * checks, its shell view: about 25 scans of the same 15 lines per container (issue 8). One pass now sets a
 * bit per fact, and the catalogue's answers for a parameter are found once per target and kind of file.
 *
 * A fact is a necessary condition, never a finding: each bit may be set when the rules that need it then
 * find nothing (a superset is only slower), but a rule with `needs` must report nothing for any file that
 * has none of its facts. test/unit/ruleFacts.test.ts checks that on the corpus, the tests' files and random
 * files.
 */
import type { ParameterDef } from '../catalog/types';
import type { FileKind } from '../model/kind';
import type { ConfigLine, Entry } from '../parser/types';
import type { ValueCheck, ValueProblem } from '../values/validate';
import type { LintContext } from './types';
import { looksLikeBytes } from '../values/numbers';
import { sharedStorageHint } from './limits/common';
import { CHECK_PARAM_SET } from './resources/ubc';

/** A line vzctl cannot parse (no `=`): missing-equals. */
export const INVALID_LINE = 1 << 0;
/** An entry classic skips for its unmatched quote: unmatched-quote. */
export const UNMATCHED_QUOTE = 1 << 1;
/** An entry skipped for its over-long key: key-too-long. */
export const KEY_TOO_LONG = 1 << 2;
/** Blanks around an entry's `=`: space-around-equals. */
export const SPACE_AROUND_EQUALS = 1 << 3;
/** An inline comment that classic reads as part of the value: inline-comment. */
export const INLINE_COMMENT = 1 << 4;
/** A single-quoted value: single-quotes. */
export const SINGLE_QUOTED = 1 << 5;
/** A value over several lines (`doc.multiline`): multiline-value. */
export const MULTILINE = 1 << 6;
/** A byte-order mark: byte-order-mark. */
export const BOM = 1 << 7;
/** A NUL at the start of the file, as UTF-16 text has one: utf16-encoding. */
export const NUL = 1 << 8;
/** A lone carriage return (`doc.editorLines`): lone-carriage-return. */
export const LONE_CR = 1 << 9;
/** Line endings other than LF alone: crlf-line-endings. */
export const CRLF = 1 << 10;
/** An entry whose shell reading has issues: shell-unsafe-value, shell-expansion. */
export const SHELL_ISSUE = 1 << 11;
/** The file is a template (`ctx.template`): shell-unsafe-value's unquoted placeholders. */
export const TEMPLATE = 1 << 12;
/** A key written as named that is no catalogue parameter, or one the target does not know: unknown-parameter. */
export const UNKNOWN_KEY = 1 << 13;
/** A catalogue parameter set on more than one live line (`ctx.byName`): duplicate-parameter. */
export const REPEATED_KEY = 1 << 14;
/** A known parameter in a kind of file where it may be misplaced (and any line of 0.conf): misplaced-parameter. */
export const MISPLACED = 1 << 15;
/** A value problem of kind `invalid`: invalid-value. */
export const INVALID_VALUE = 1 << 16;
/** A value problem of kind `unknown-item`: unknown-list-item. */
export const UNKNOWN_ITEM = 1 << 17;
/** A value problem of kind `truncated`: value-truncated. */
export const TRUNCATED = 1 << 18;
/** A value problem of kind `suspicious`: questionable-value. */
export const SUSPICIOUS = 1 << 19;
/** A value pair whose first number is not at most its second (a barrier above its limit): barrier-above-limit. */
export const BARRIER_ABOVE_LIMIT = 1 << 20;
/** A parameter with an active `deprecated` status: deprecated-parameter. */
export const DEPRECATED = 1 << 21;
/** A parameter with an active `ignored` status: ignored-parameter. */
export const IGNORED = 1 << 22;
/** A parameter with an active `removed` status: removed-parameter. */
export const REMOVED = 1 << 23;
/** A comment line mentioning `vzconf-` (a suppression comment, or a malformed one): unknown-suppression, and `lint()`'s suppression tracker. */
export const SUPPRESSION_COMMENT = 1 << 24;
/** An assignment whose shell word goes on past its line (`shellWords`): `lint()`'s shell-word check of safe fixes. */
export const SHELL_WORD = 1 << 25;
/**
 * A line of a UBC of vzcfgvalidate's non-vSwap check set other than PHYSPAGES (`CHECK_PARAM_SET` of
 * resources/ubc.ts; the file's own lines, as `nonVswapInputs()` reads only those, and it wants them all):
 * ubc-barrier-equals-limit, ubc-guarantee-limit, ubc-physpages, ubc-32bit-unlimited, ubc-dcachesize,
 * ubc-kmemsize, ubc-privvmpages-vmguarpages, ubc-tcpsndbuf-gap, ubc-othersockbuf-gap, ubc-tcprcvbuf-gap,
 * ubc-socket-buffer-minimum, ubc-buffer-recommendation, ubc-numfile; and privvmpages-below-vswap (a
 * PRIVVMPAGES line of the file's own).
 */
export const UBC_CHECKED = 1 << 26;
/**
 * A PHYSPAGES or SWAPPAGES line of the file's own whose barrier is not 0 (vswap-barrier), or a host
 * capacity given (`ctx.capacity`: vswap-limit-above-host).
 */
export const VSWAP_CHECK = 1 << 27;
/**
 * A line of the file's own that a limits rule reports on (`liveEntries()` and `ctx.byName` read only those):
 * MEMINFO (meminfo-under-vswap), MOUNT_OPTS (mount-opts-on-simfs), QUOTAUGIDLIMIT (quotaugidlimit-on-ploop),
 * VEFSTYPE (simfs-live-migration), a catalogue `checkpoint` parameter (checkpoint-blocking-parameter),
 * CAPABILITY (dangerous-capability), FEATURES (host-kernel-feature), NETFILTER "full" (netfilter-full),
 * VE_PRIVATE or VE_ROOT that looks shared (shared-storage-path, `sharedStorageHint()`), a pair of a pages
 * parameter with a number that looks like bytes (pages-value-in-bytes, `looksLikeBytes()`).
 */
export const LIMITS_SETTING = 1 << 28;
/**
 * What a node rule reports on: an IPTABLES line of the file's own (iptables-not-allowed-by-node, which
 * reports on those); in vz.conf, a VE_PRIVATE, VE_ROOT, LOCKDIR or CONFIGFILE line (default-path-without-veid,
 * script-ignores-setting: node configs only); for a classic container, a DISK_QUOTA line with "no" in it in
 * the file or its node's vz.conf, or a catalogue default of "no" (disk-quota-off, as its `mayBeNo()`).
 */
export const NODE_SETTING = 1 << 29;

/**
 * Not a fact: marks, in a parameter's cached facts, a parameter whose lines' values decide some fact
 * ({@link entryFacts}). Masked out of the file's facts.
 */
const BY_VALUE = 1 << 30;
/** CHECK_PARAM_SET of resources/ubc.ts without PHYSPAGES: see {@link UBC_CHECKED}. */
const UBC_CHECKED_NAMES: ReadonlySet<string> = new Set(CHECK_PARAM_SET.filter((n) => n !== 'PHYSPAGES'));
/** Parameters whose mere line (the file's own) is a {@link LIMITS_SETTING}. */
const LIMITS_NAMES: ReadonlySet<string> = new Set(['MEMINFO', 'MOUNT_OPTS', 'QUOTAUGIDLIMIT', 'VEFSTYPE', 'CAPABILITY', 'FEATURES']);
/** Parameters whose line in vz.conf is a {@link NODE_SETTING}. */
const NODE_CONFIG_NAMES: ReadonlySet<string> = new Set(['VE_PRIVATE', 'VE_ROOT', 'LOCKDIR', 'CONFIGFILE']);

/** The bit of each value problem kind. */
const PROBLEM_BITS: Readonly<Record<ValueProblem['kind'], number>> = { invalid: INVALID_VALUE, 'unknown-item': UNKNOWN_ITEM, truncated: TRUNCATED, suspicious: SUSPICIOUS };

/**
 * The facts of one parameter for one way of asking (the context's `known` and `status`, which answer for one
 * target, and the generation and kind of file): {@link UNKNOWN_KEY}, {@link MISPLACED} and the status bits,
 * by catalogue entry. A catalogue has a few hundred parameters: each map is bounded by it.
 */
interface DefFacts {
  known: LintContext['known'];
  status: LintContext['status'];
  generation: string;
  kind: FileKind;
  bits: Map<ParameterDef, number>;
}

/** The {@link DefFacts} in use, the last used first: a handful (a node and its containers use two). */
const defFacts: DefFacts[] = [];
const DEF_FACTS_MAX = 8;

function defFactsOf(ctx: LintContext): DefFacts {
  const { known, status, kind } = ctx;
  const generation = ctx.target.generation;
  for (let i = 0; i < defFacts.length; i += 1) {
    const d = defFacts[i] as DefFacts;
    if (d.known === known && d.status === status && d.generation === generation && d.kind === kind) {
      if (i > 0) {
        defFacts.splice(i, 1);
        defFacts.unshift(d);
      }
      return d;
    }
  }
  const d: DefFacts = { known, status, generation, kind, bits: new Map() };
  defFacts.unshift(d);
  if (defFacts.length > DEF_FACTS_MAX) defFacts.length = DEF_FACTS_MAX;
  return d;
}

/**
 * The facts of parameter `def` (see {@link DefFacts}): what unknown-parameter, misplaced-parameter and the
 * status rules ask of its catalogue entry, whatever the line.
 */
function factsOfDef(ctx: LintContext, def: ParameterDef): number {
  let bits = 0;
  const known = ctx.known(def);
  if (!known) bits |= UNKNOWN_KEY;
  const statuses = ctx.status(def);
  for (let i = 0; i < statuses.length; i += 1) {
    const k = statuses[i]?.kind;
    bits |= k === 'deprecated' ? DEPRECATED : k === 'ignored' ? IGNORED : k === 'removed' ? REMOVED : 0;
  }
  if (known) {
    // misplaced-parameter's three cases, by the parameter's scope and handling on the target's generation.
    const info = def[ctx.target.generation];
    const scope = info?.scope ?? def.scope;
    const script = info?.handling === 'script';
    if (ctx.kind === 'node' ? scope === 'container' : (scope === 'node' && !script) || ctx.kind === 'ct0') bits |= MISPLACED;
  }
  // The facts of a line of it, whatever its value, and whether its value decides one (entryFacts).
  const name = def.name;
  if (UBC_CHECKED_NAMES.has(name)) bits |= UBC_CHECKED;
  if (LIMITS_NAMES.has(name) || def.checkpoint) bits |= LIMITS_SETTING;
  if (name === 'IPTABLES' || (ctx.kind === 'node' && NODE_CONFIG_NAMES.has(name))) bits |= NODE_SETTING;
  if (def.unit === 'pages' || name === 'SWAPPAGES' || name === 'NETFILTER' || name === 'VE_PRIVATE' || name === 'VE_ROOT' || name === 'DISK_QUOTA') bits |= BY_VALUE;
  return bits;
}


/**
 * The facts of line `e` of parameter `def` (marked {@link BY_VALUE}) that its value decides; `check` is its
 * value check, when vzctl keeps the line.
 */
function entryFacts(def: ParameterDef, e: Entry, check: ValueCheck | undefined): number {
  const name = def.name;
  const value = e.value;
  let bits = 0;
  const pair = check?.pair;
  if (pair !== undefined) {
    if ((name === 'PHYSPAGES' || name === 'SWAPPAGES') && pair.barrier.value !== 0n) bits |= VSWAP_CHECK;
    if (def.unit === 'pages' && (looksLikeBytes(pair.barrier) || (!pair.single && looksLikeBytes(pair.limit)))) bits |= LIMITS_SETTING;
  }
  if (name === 'NETFILTER' ? value.trim() === 'full' : (name === 'VE_PRIVATE' || name === 'VE_ROOT') && sharedStorageHint(value) !== undefined) bits |= LIMITS_SETTING;
  if (name === 'DISK_QUOTA' && value.includes('no')) bits |= NODE_SETTING;
  return bits;
}

/**
 * disk-quota-off's {@link NODE_SETTING} from beyond the file: for a classic container, a DISK_QUOTA line
 * with "no" in it in the node's vz.conf (`ctx.node`), or a catalogue default of "no".
 */
function diskQuotaBeyond(ctx: LintContext): number {
  if (ctx.kind !== 'container' || ctx.target.generation !== 'classic') return 0;
  const def = ctx.catalog.parameter('DISK_QUOTA');
  if (def === undefined) return 0;
  if (def.default === 'no') return NODE_SETTING;
  const lines = ctx.node?.byName.get(def.name);
  if (lines !== undefined) for (let i = 0; i < lines.length; i += 1) if ((lines[i] as Entry).value.includes('no')) return NODE_SETTING;
  return 0;
}

/** The facts a value check gives: its problems' kinds and a pair whose first number is above its second. */
function factsOfCheck(check: ValueCheck): number {
  let bits = 0;
  const problems = check.problems;
  for (let i = 0; i < problems.length; i += 1) bits |= PROBLEM_BITS[(problems[i] as ValueProblem).kind];
  const pair = check.pair;
  if (pair !== undefined && !(pair.barrier.value <= pair.limit.value)) bits |= BARRIER_ABOVE_LIMIT;
  return bits;
}

/**
 * What fileFacts keeps of a line in the line model's memo slot (`Entry.memo`, set by service/lint.ts
 * `analyze`, whose memo object has these fields): the line's catalogue entry there, and the facts of that
 * parameter ({@link factsOfDef}) under the {@link DefFacts} whose `bits` map is `factsOf`. The containers
 * of a node share most line models, so most lines skip the look-ups (issue 8).
 */
export interface FactsMemo {
  readonly def: ParameterDef | null;
  factsOf: unknown;
  factsBits: number;
}

/**
 * The facts of the file of `ctx` (the bits above, or-ed): one pass over its lines. Pure; the catalogue's
 * answers per parameter are remembered for the next file with the same target and kind.
 */
export function fileFacts(ctx: LintContext): number {
  const doc = ctx.doc;
  let facts = 0;
  if (doc.bom) facts |= BOM;
  if (doc.editorLines !== undefined) facts |= LONE_CR;
  if (doc.eol !== '\n') facts |= CRLF;
  if (doc.multiline.length > 0) facts |= MULTILINE;
  if (ctx.template !== undefined) facts |= TEMPLATE;
  if (ctx.capacity !== undefined) facts |= VSWAP_CHECK;
  const text = doc.text;
  const first = text[0] ?? '';
  if (first.indexOf('\0') >= 0 || (first === '' && (text[1] ?? '').startsWith('\0'))) facts |= NUL;
  const byDef = defFactsOf(ctx).bits;
  const values = ctx.values;
  // Live entries whose key is a catalogue parameter written as named: as many as ctx.byName holds in all, and
  // more when a parameter has more than one line.
  let named = 0;
  const lines = doc.lines;
  for (let i = 0; i < lines.length; i += 1) {
    const l = lines[i] as ConfigLine;
    const kind = l.kind;
    if (kind === 'comment') {
      if ((text[l.line] ?? '').includes('vzconf-')) facts |= SUPPRESSION_COMMENT;
      continue;
    }
    if (kind === 'invalid') facts |= INVALID_LINE;
    if (kind !== 'entry') continue;
    const e = l as Entry;
    const skipped = e.skipped;
    if (skipped !== undefined) facts |= skipped === 'unmatched-quote' ? UNMATCHED_QUOTE : KEY_TOO_LONG;
    if (e.spaceAroundEquals !== undefined) facts |= SPACE_AROUND_EQUALS;
    if (e.inlineComment?.partOfValue === true) facts |= INLINE_COMMENT;
    if (e.singleQuoted === true) facts |= SINGLE_QUOTED;
    const shell = e.shell;
    if (shell.issues.length > 0) facts |= SHELL_ISSUE;
    if (shell.endLine > e.line) facts |= SHELL_WORD;
    // The parameter of a line written as named (the lines of ctx.byName), when its value decides some fact.
    let byValue: ParameterDef | undefined;
    if (e.key === e.name) {
      // The parameter's facts, kept with the line model for the next file that shares it (see FactsMemo).
      const m = e.memo as FactsMemo | undefined;
      let def: ParameterDef | undefined;
      let bits: number | undefined;
      if (m !== undefined && m.factsOf === byDef) {
        def = m.def ?? undefined;
        bits = m.factsBits;
      } else {
        def = ctx.def(e);
        if (def !== undefined) {
          bits = byDef.get(def);
          if (bits === undefined) byDef.set(def, (bits = factsOfDef(ctx, def)));
        }
        if (m !== undefined && m.def === (def ?? null)) {
          m.factsOf = byDef;
          m.factsBits = bits ?? 0;
        }
      }
      if (def === undefined) facts |= UNKNOWN_KEY;
      else {
        bits = bits as number;
        facts |= bits & ~BY_VALUE;
        if (skipped === undefined) {
          named += 1;
          if ((bits & BY_VALUE) !== 0) byValue = def;
        }
      }
    }
    if (skipped === undefined) {
      const check = values.get(e);
      if (check !== undefined) facts |= factsOfCheck(check);
      if (byValue !== undefined) facts |= entryFacts(byValue, e, check);
    }
  }
  if (named > ctx.byName.size) facts |= REPEATED_KEY;
  facts |= diskQuotaBeyond(ctx);
  return facts;
}
