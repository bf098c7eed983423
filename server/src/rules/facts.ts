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
  return bits;
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
    if (e.key === e.name) {
      const def = ctx.def(e);
      if (def === undefined) facts |= UNKNOWN_KEY;
      else {
        let bits = byDef.get(def);
        if (bits === undefined) byDef.set(def, (bits = factsOfDef(ctx, def)));
        facts |= bits;
        if (skipped === undefined) named += 1;
      }
    }
    if (skipped === undefined) {
      const check = values.get(e);
      if (check !== undefined) facts |= factsOfCheck(check);
    }
  }
  if (named > ctx.byName.size) facts |= REPEATED_KEY;
  return facts;
}
