/**
 * Formatting: rewrites parameter lines the way `vzctl set --save` writes them, `NAME="value"` —
 * indentation and trailing blanks dropped, an unquoted value put in double
 * quotes — and leaves everything else as it is (lines with blanks before `=` too: vzctl ignores them,
 * and joining the key would switch the setting on): comments, blank lines, the order of lines, keys the
 * catalogue does not know, line endings, and every line it cannot rewrite without changing what
 * vzctl reads.
 *
 * Safety is checked, not assumed: each rewritten line is parsed again with both vzctl line parsers
 * (classic `parse_line()` and libvzctl's) and kept only when both read the same name and the same
 * value as before, skip nothing new, keep any inline comment, and the shell still reads the line on
 * its own. Blanks after `=` are never removed (both parsers make them part of the value).
 */
import { getCatalog, type CatalogIndex } from '../catalog/load';
import { parseConfig } from '../parser/parse';
import type { ConfigDocument, Dialect, Entry, Range } from '../parser/types';

/** An LSP `TextEdit`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * Characters that make an unquoted value unsafe to wrap in double quotes: `"` and `\\` (vzctl reads
 * them differently), `'` and `#` (libvzctl strips a trailing `'` and cuts comments), `` ` `` and `$`
 * (the shell expands them; `$VEID`, which vzctl itself substitutes, is allowed).
 */
const NEEDS_ESCAPING = /["'\\$`#]/;
/** `$VEID` / `${VEID}`: expanded alike inside and outside double quotes. */
const VEID_REF = /\$(?:VEID\b|\{VEID\})/g;
/**
 * `  KEY  =rest` with the key a shell name and `rest` free of line terminators (its trailing blanks are
 * cut by {@link trimBlanksEnd}: a lazy `(.*?)[ \t]*$` backtracked over a long run of blanks inside the value
 * once per character, quadratic).
 */
const LINE = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)([ \t]*)=([^\n\r\u2028\u2029]*)$/;

/** `s` without its trailing blanks and tabs (a character loop, linear). */
function trimBlanksEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end -= 1;
  return end === s.length ? s : s.slice(0, end);
}

function readAs(line: string, dialect: Dialect): Entry | undefined {
  const doc = parseConfig(line, { dialect });
  const l = doc.lines[0];
  return l && l.kind === 'entry' ? l : undefined;
}

/** Whether vzctl (both generations) and the shell read `after` as they read `before`, up to the key's trailing blanks when `renameKey`. */
function sameReading(before: string, after: string, renameKey: boolean): boolean {
  for (const dialect of ['classic', 'vz7'] as const) {
    const a = readAs(before, dialect);
    const b = readAs(after, dialect);
    if (!a || !b) return false;
    if (a.name !== b.name || a.value !== b.value || a.skipped !== b.skipped || (a.singleQuoted ?? false) !== (b.singleQuoted ?? false)) return false;
    if ((a.inlineComment?.text ?? '') !== (b.inlineComment?.text ?? '') || (a.trailing?.text ?? '') !== (b.trailing?.text ?? '')) return false;
    if (renameKey ? b.key !== a.name : a.key !== b.key) return false;
    if (b.shell.endLine !== 0 || b.shell.issues.some((i) => i.kind === 'unterminated-quote')) return false;
  }
  return true;
}

/**
 * The `vzctl set --save` form of line `n` of `doc`, or undefined when it is already in that form or
 * cannot be rewritten safely.
 */
function rewriteLine(doc: ConfigDocument, n: number, catalog: CatalogIndex): string | undefined {
  const l = doc.lines[n];
  if (!l || l.kind !== 'entry' || l.skipped || doc.continuationLines.has(n) || l.shell.endLine !== n) return undefined;
  if (n === 0 && doc.bom) return undefined;
  const raw = doc.text[n] ?? '';
  const m = LINE.exec(raw);
  if (!m) return undefined;
  const [, key = '', blanks = ''] = m;
  const rest = trimBlanksEnd(m[3] ?? '');
  const def = catalog.parameter(key);
  if (!def) return undefined;
  // Blanks before "=" make vzctl read the unknown key "KEY " and ignore the line: removing them would
  // turn the setting on. That is a decision (the space-around-equals quick fix), not formatting.
  if (blanks !== '') return undefined;
  if (rest.startsWith(' ') || rest.startsWith('\t') || rest.startsWith("'")) return undefined;
  const value = rest.startsWith('"') || NEEDS_ESCAPING.test(rest.replace(VEID_REF, '')) ? rest : `"${rest}"`;
  const line = `${key}=${value}`;
  if (line === raw) return undefined;
  return sameReading(raw, line, false) ? line : undefined;
}

/**
 * The edits that bring `text` into `vzctl set --save` form: one per rewritten line, replacing the
 * line's content (never its line ending). Pure; never throws.
 *
 * @param catalog  the parameter catalogue (default: the process-wide one)
 */
export function computeFormatting(text: string, catalog: CatalogIndex = getCatalog()): TextEdit[] {
  // vzctl and the shell split lines at \n only, editors also at a lone \r: in such a file what a
  // line is differs, so formatting keeps its hands off.
  if (/\r(?!\n)/.test(text)) return [];
  const doc = parseConfig(text, { dialect: 'classic' });
  const edits: TextEdit[] = [];
  for (let n = 0; n < doc.lines.length; n += 1) {
    const line = rewriteLine(doc, n, catalog);
    if (line === undefined) continue;
    edits.push({ range: { start: { line: n, character: 0 }, end: { line: n, character: (doc.text[n] ?? '').length } }, newText: line });
  }
  return edits;
}

/** `text` formatted (the edits of {@link computeFormatting} applied, line endings kept). */
export function formatText(text: string, catalog: CatalogIndex = getCatalog()): string {
  const edits = computeFormatting(text, catalog);
  if (edits.length === 0) return text;
  const byLine = new Map(edits.map((e) => [e.range.start.line, e.newText]));
  // Split keeping the terminators so CRLF, LF and lone CR survive as they are.
  const parts = text.split(/(\r\n|\r|\n)/);
  for (let i = 0, line = 0; i < parts.length; i += 2, line += 1) {
    const replacement = byLine.get(line);
    if (replacement !== undefined) parts[i] = replacement;
  }
  return parts.join('');
}
