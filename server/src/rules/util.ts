import { compareVersions } from '../model/version';
import type { Entry, Range } from '../parser/types';
import { lastLineNumber, lineNumber } from '../parser/parse';
import type { Finding, Fix, LintContext } from './types';
import { visible } from './text';

/**
 * A finding of rule `rule` with the catalogue's default severity. `message` is a plain string (it
 * states no tool behaviour) or the result of `say()` (rules/say.ts), whose behaviour facts it records.
 */
export function finding(ctx: LintContext, rule: string, range: Range, message: string | { message: string; facts: string[] }, extra: Partial<Finding> = {}): Finding {
  if (typeof message === 'string') return { rule, severity: ctx.catalog.rule(rule).severity, message: visible(message), range, ...extra };
  const f: Finding = { rule, severity: ctx.catalog.rule(rule).severity, message: visible(message.message), range, ...extra };
  if (message.facts.length > 0) f.facts = [...message.facts, ...(extra.facts ?? [])];
  return f;
}

/**
 * The 1-based number of the line where `line` (0-based, vzctl's) starts, in the numbering every surface
 * shows: the editor's and `vzlint`'s positions (a lone CR ends a line there, not for vzctl; see
 * `parser/parse.ts` lineNumber). Messages and fix titles name lines with this, never with `line + 1`.
 * Pass the context of the file the line is in (`ctx.node` for a line of the node's vz.conf).
 */
export function lineNo(ctx: Pick<LintContext, 'doc'>, line: number): number {
  return lineNumber(ctx.doc, line);
}

/** `7` or `7–9`: lines `from` to `to` (0-based, vzctl's, inclusive) in the numbering of {@link lineNo}. */
export function lineSpan(ctx: Pick<LintContext, 'doc'>, from: number, to: number): string {
  const a = lineNumber(ctx.doc, from);
  const b = lastLineNumber(ctx.doc, to);
  return a === b ? String(a) : `${a}–${b}`;
}

/** The range of a whole physical line's text. */
export function lineRange(ctx: LintContext, line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: (ctx.doc.text[line] ?? '').length } };
}

/** Range of the whole entry: key to end of the value (quotes included). */
export function entryRange(entry: Entry): Range {
  return { start: entry.keyRange.start, end: entry.rawValueRange.end };
}

/**
 * Whether an entry's line has a backslash, looked up once per entry: callers ask for every item of a
 * list value, and a search of the line per item made a 100,000-address IP_ADDRESS quadratic (6 s).
 */
const lineHasBackslash = new WeakMap<Entry, boolean>();

/**
 * Range of `[start, end)` offsets of the value as vzctl reads it. Exact when the line has no
 * backslashes (vzctl's unescaping shifts columns); otherwise the whole value.
 */
export function valueSubRange(ctx: LintContext, entry: Entry, start: number, end: number): Range {
  let slashed = lineHasBackslash.get(entry);
  if (slashed === undefined) {
    slashed = (ctx.doc.text[entry.line] ?? '').includes('\\');
    lineHasBackslash.set(entry, slashed);
  }
  if (slashed) return entry.valueRange;
  const base = entry.valueRange.start.character;
  return { start: { line: entry.line, character: base + start }, end: { line: entry.line, character: base + end } };
}

/** An edit that deletes physical lines [from, to] including the line break after them. */
export function deleteLines(ctx: LintContext, from: number, to: number): Fix['edits'][number] {
  const last = ctx.doc.text.length - 1;
  if (to < last) return { range: { start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } }, newText: '' };
  // Last line of the file: also take the line break before it.
  if (from > 0) return { range: { start: { line: from - 1, character: (ctx.doc.text[from - 1] ?? '').length }, end: { line: to, character: (ctx.doc.text[to] ?? '').length } }, newText: '' };
  return { range: { start: { line: from, character: 0 }, end: { line: to, character: (ctx.doc.text[to] ?? '').length } }, newText: '' };
}

/** Replace the whole value (from after `=` to the end of the line's content) with `KEY="value"` form text. */
export function replaceValue(entry: Entry, value: string): Fix['edits'][number] {
  return { range: entry.rawValueRange, newText: `"${value}"` };
}

/** Two rows of {@link editDistance}'s table, reused by every call (grown when a longer string comes). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance (insertions, deletions and substitutions of UTF-16 code units), capped: the
 * distance when it is at most `max`, else `max + 1`. Only the cells within `max` of the table's diagonal
 * are computed (a path through any other costs more than `max`), and it stops at the first row whose
 * cells all exceed `max`: O(max · min(|a|, |b|)) time, no allocation.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const over = max + 1;
  const m = b.length;
  if (rowA.length < m + 2) {
    rowA = new Int32Array(m + 2);
    rowB = new Int32Array(m + 2);
  }
  let prev = rowA;
  let cur = rowB;
  // Row 0: j insertions (capped); the cell just past the band's right edge reads as `over`.
  for (let j = 0; j <= Math.min(m, max); j += 1) prev[j] = j;
  if (max + 1 <= m) prev[max + 1] = over;
  for (let i = 1; i <= a.length; i += 1) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    // The cell left of the band (column lo - 1): i deletions in column 0, else outside the band.
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = cur[lo - 1] as number;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j += 1) {
      let v = (prev[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const up = (prev[j] as number) + 1;
      if (up < v) v = up;
      const left = (cur[j - 1] as number) + 1;
      if (left < v) v = left;
      if (v > over) v = over;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The cell past the band's right edge, read by the next row as its `up` neighbour.
    if (hi + 1 <= m) cur[hi + 1] = over;
    if (rowMin > max) return over;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m] as number, over);
}

/**
 * The characters of `s` as a set of 32 buckets (bit `code & 31`). Every character of one string whose
 * bucket the other string's mask lacks is missing from the other string, and each edit removes at most
 * one such character: when either `a & ~b` or `b & ~a` has more than two bits, the strings are more than
 * two edits apart. (Characters sharing a bucket only make the bound weaker, never wrong.)
 */
export function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i += 1) m |= 1 << (s.charCodeAt(i) & 31);
  return m;
}

/** Whether `m` has more than two bits set. */
export function moreThanTwoBits(m: number): boolean {
  m &= m - 1;
  m &= m - 1;
  return m !== 0;
}

/**
 * A copy of `s` that does not keep a larger string alive: V8 makes a slice of 13 characters or more a view
 * into the string it was cut from (a name read from a line keeps the whole file's text), which a memo that
 * outlives the file must not hold.
 */
export function ownString(s: string): string {
  return s.length > 12 ? ` ${s}`.slice(1) : s;
}

/** Longest name whose suggestions are remembered (no key or rule id is near a longer one anyway). */
export const MEMO_NAME_CHARS = 64;

/** The line break to use in inserted text: the file's own (CRLF files stay CRLF). */
export function eolOf(ctx: LintContext): string {
  return ctx.doc.eol === '\r\n' ? '\r\n' : '\n';
}

/** The raw text of an entry's value as written (after `=`, quotes included, trailing text excluded). */
export function rawValueText(ctx: LintContext, entry: Entry): string {
  return (ctx.doc.text[entry.line] ?? '').slice(entry.rawValueRange.start.character, entry.rawValueRange.end.character);
}

/**
 * Whether a fix that makes vzctl read `entry` (again) keeps the file's meaning: not when another
 * line sets the same parameter, because which line wins would change.
 */
export function aloneInFile(ctx: LintContext, entry: Entry): boolean {
  return !ctx.doc.entries.some((x) => x !== entry && x.name === entry.name);
}

/** Edits deleting a set of lines, consecutive runs merged so that no two edits touch. */
export function deleteLineSet(ctx: LintContext, lines: number[]): Fix['edits'] {
  let ascending = true;
  for (let i = 1; i < lines.length && ascending; i += 1) ascending = (lines[i] as number) > (lines[i - 1] as number);
  const sorted = ascending ? lines : [...new Set(lines)].sort((a, b) => a - b);
  const out: Fix['edits'] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j += 1;
    out.push(deleteLines(ctx, sorted[i] as number, sorted[j] as number));
    i = j + 1;
  }
  return out;
}

/**
 * Whether the samples the target's own release shipped carry `name` (schemas/shipped-sample-keys.yaml):
 * then an unknown or ignored key is at most info, tagged Unnecessary — it is on every admin's copy of
 * a stock sample and does no harm.
 */
export function shippedInTargetSamples(ctx: LintContext, name: string): boolean {
  const table = ctx.catalog.catalog.shippedSampleKeys[ctx.target.generation];
  const r = Object.hasOwn(table, name) ? table[name] : undefined;
  return r !== undefined && compareVersions(ctx.target.version, r.from) >= 0 && compareVersions(ctx.target.version, r.to) <= 0;
}
