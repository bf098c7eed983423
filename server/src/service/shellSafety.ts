/**
 * Safe fixes that would change how `sh` reads the file. vzmigrate and the init scripts `source` a config,
 * and the shell reads one assignment's word across lines: a quoted value that goes on past the end of its
 * line, or a backslash-newline continuation (`scanShellValue`, parser/shell.ts). vzctl reads those lines on
 * their own, so a rule may offer to remove or edit one of them as safe for vzctl; but deleting a line inside
 * such a word, or the line that opens it without the rest, changes what the shell reads (an unterminated
 * quote, or a line the shell now runs as a command). Such a fix is kept, marked unsafe (for review).
 */
import type { Range } from '../parser/types';
import type { Finding, Fix, LintContext } from '../rules/types';
import { copyFinding } from '../rules/finding';

/** Lines `[start, end]` (0-based, inclusive, start < end) that the shell reads as one assignment's word. */
export type ShellWord = readonly [number, number];

/**
 * The multi-line shell words of the document, in file order: one per assignment whose word (as the shell
 * reads it from after `=`) ends on a later line, including a quote that never closes (it runs to the end
 * of the file). Assignments inside such a word are not the shell's assignments and start none.
 */
export function shellWords(ctx: LintContext): ShellWord[] {
  const out: ShellWord[] = [];
  for (const e of ctx.doc.entries) if (e.shell.endLine > e.line) out.push([e.line, e.shell.endLine]);
  return out;
}

/** The index of the first word of `words` (in file order, disjoint) that ends on or after line `line`. */
function firstEndingFrom(words: readonly ShellWord[], line: number): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((words[mid] as ShellWord)[1] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether the edit `range` cuts a word of `words` (in file order and disjoint, as {@link shellWords} gives
 * them): it touches one of the word's lines without taking the whole word, apart from an edit within the
 * word's first line that keeps that line's line break (a value fix of the assignment itself). An insertion
 * at the start of a line is between two lines: it cuts a word when it falls inside it. Looks only at the
 * words the edit reaches (a binary search), so a file with many words and many fixes stays linear.
 */
export function cutsShellWord(ctx: LintContext, range: Range, words: readonly ShellWord[]): boolean {
  const { start, end } = range;
  if (start.line === end.line && start.character === end.character && start.character === 0) {
    const k = start.line;
    const w = words[firstEndingFrom(words, k)];
    return w !== undefined && w[0] < k;
  }
  // The lines the edit changes: a range that starts at the end of a line takes only its line break, one
  // that ends at the start of a line only the line break before it.
  let first = start.line;
  let last = end.line;
  if (end.line > start.line && start.character >= (ctx.doc.text[start.line] ?? '').length) first += 1;
  if (end.line > start.line && end.character === 0) last -= 1;
  if (first > last) first = last = Math.min(first, last);
  const withinOneLine = start.line === end.line;
  for (let i = firstEndingFrom(words, first); i < words.length; i += 1) {
    const [s, e] = words[i] as ShellWord;
    if (s > last) break;
    if (!(first <= s && last >= e) && !(withinOneLine && start.line === s)) return true;
  }
  return false;
}

/**
 * `f` itself, or a copy whose safe fixes that cut a shell word (see {@link cutsShellWord}) are marked
 * unsafe. Reads the fixes (builds them for a lazy finding): called only for a document that has words.
 */
export function keepShellWords(ctx: LintContext, f: Finding, words: readonly ShellWord[]): Finding {
  const fixes = f.fixes;
  if (fixes === undefined || !fixes.some((x) => x.safe)) return f;
  let changed = false;
  const out: Fix[] = fixes.map((x) => {
    if (!x.safe || !x.edits.some((edit) => cutsShellWord(ctx, edit.range, words))) return x;
    changed = true;
    return { ...x, safe: false };
  });
  return changed ? copyFinding(f, { fixes: out }) : f;
}
