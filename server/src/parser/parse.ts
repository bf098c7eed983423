import { plainShellEnd, scanShellValue } from './shell';
import { LARGE_ARRAY, sizedArray } from '../util/sizedArray';
import type { Comment, ConfigDocument, ConfigLine, Dialect, Entry, MultilineValue, Position, Range, ShellView } from './types';

/** Classic vzctl's key buffer (STR_SIZE, `src/lib/config.c`): a key of this length or more makes the line unparsable. */
export const CLASSIC_MAX_KEY = 512;
/** libvzctl's key buffer (`lib/config.c`, 4096): longer keys are silently skipped. */
export const VZ7_MAX_KEY = 4096;

/** Length in bytes of `text` encoded as UTF-8 (vzctl's buffers count bytes). */
export function byteLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { n += 4; i += 1; }
    else n += 3;
  }
  return n;
}

/** C `isspace()` in the C locale. */
function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/**
 * vzctl's `unescapestr()`, run on the whole line before anything else (both generations):
 * every backslash is dropped and the character after it kept (`\\` → `\`, `\"` → `"`).
 *
 * @returns the unescaped text and, for each of its characters, the column it came from
 *          (`map[s.length]` is the length of the original line).
 */
export function unescapeLine(raw: string): { s: string; map: number[] } {
  let s = '';
  const map: number[] = [];
  let escaped = false;
  // C string functions stop at a NUL byte: vzctl never sees what follows it on the line.
  const nul = raw.indexOf('\0');
  const end = nul < 0 ? raw.length : nul;
  for (let i = 0; i < end; i += 1) {
    const ch = raw[i] as string;
    if (ch === '\\' && !escaped) {
      escaped = true;
      continue;
    }
    s += ch;
    map.push(i);
    escaped = false;
  }
  map.push(end);
  return { s, map };
}

/**
 * Columns 0, 1, 2, … shared by every line without a backslash or NUL (most lines): their unescaped
 * text is the line itself and needs no column map of its own.
 */
let identity: number[] = [0];

function identityMap(length: number): number[] {
  if (identity.length <= length) {
    const grown = new Array<number>(Math.max(length + 1, identity.length * 2));
    for (let i = 0; i < grown.length; i += 1) grown[i] = i;
    identity = grown;
  }
  return identity;
}

/** The column map of the line {@link unescapeForParse} unescaped last. */
let unescapedMap: number[] = identity;

/**
 * {@link unescapeLine} for the line parsers: the unescaped text, its column map left in
 * {@link unescapedMap} (no object per line: a file of 40,000 lines made 40,000), the shared identity map when
 * the line has nothing to unescape.
 */
function unescapeForParse(raw: string): string {
  if (raw.indexOf('\\') < 0 && raw.indexOf('\0') < 0) {
    unescapedMap = identityMap(raw.length);
    return raw;
  }
  const { s, map } = unescapeLine(raw);
  unescapedMap = map;
  return s;
}

/** Index of the first character of `raw` that is not C `isspace()`, or `raw.length`. */
function firstNonSpace(raw: string): number {
  let i = 0;
  while (i < raw.length && isSpace(raw[i])) i += 1;
  return i;
}

/**
 * libvzctl's `uncommentstr()`: the index where a `#` that starts a word outside quotes cuts the
 * (already unescaped) line, or `s.length` when there is none.
 */
export function commentCut(s: string): number {
  let inSingle = false;
  let inDouble = false;
  let wordStart = true;
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i];
    if (inSingle && ch !== "'") continue;
    if (inDouble && ch !== '"') continue;
    if (ch === "'") { inSingle = !inSingle; wordStart = false; }
    else if (ch === '"') { inDouble = !inDouble; wordStart = false; }
    else if (ch === '#') { if (wordStart) return i; }
    else wordStart = isSpace(ch);
  }
  return s.length;
}

function rangeOf(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/**
 * A comment line whose range is built only when asked for: most lines of a real file are comments, and
 * three objects fewer per line keep a large file's model in V8's young generation.
 */
class CommentLine implements Comment {
  readonly kind = 'comment' as const;
  constructor(readonly line: number, readonly text: string, private readonly from: number, private readonly to: number) {}
  get range(): Range {
    return rangeOf(this.line, this.from, this.to);
  }
}

/**
 * Splits text into lines the way LSP counts them (`\n`, `\r\n` and a lone `\r` end a line) and
 * notes the line-ending style.
 */
export function splitLines(text: string): { lines: string[]; eol: '\n' | '\r\n' | 'mixed' } {
  const lines: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      lines.push(text.slice(start, i));
      lf += 1;
      start = i + 1;
    } else if (ch === 13 /* \r */) {
      lines.push(text.slice(start, i));
      if (text.charCodeAt(i + 1) === 10) { i += 1; crlf += 1; } else lf += 1;
      start = i + 1;
    }
  }
  lines.push(text.slice(start));
  const eol = crlf > 0 && lf > 0 ? 'mixed' : crlf > 0 ? '\r\n' : '\n';
  return { lines, eol };
}

/**
 * `text.slice(start, end)`, or the same string as one of the two lines before it (`lines`, so far) when it
 * has their text: a file that repeats a line (or alternates two) keeps one string for them all instead of one
 * per line, each alive as long as the document (issue 8: the model's size drives the garbage collector's cost
 * on large files). Compared in place: no slice is made for a repeated line. `count`: the lines so far.
 */
function lineText(text: string, start: number, end: number, lines: readonly string[], count: number): string {
  const n = end - start;
  for (let back = 1; back <= 2; back += 1) {
    const before = lines[count - back];
    if (before !== undefined && before.length === n && text.startsWith(before, start)) return before;
  }
  return text.slice(start, end);
}

/** The number of lines {@link splitVzctlLines} makes of `text`: its line feeds, plus one. */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * Splits text into lines the way vzctl (`fgets()`) and sh read it: only a line feed ends a line, and the
 * carriage return of a CRLF ending is dropped with it. A carriage return anywhere else (a "lone CR", which
 * editors and LSP count as a line break) stays inside the line, as vzctl and sh keep it.
 *
 * @returns the lines, the line-ending style (`\n`, `\r\n` or `mixed`), and `loneCr` when any line keeps a CR
 */
export function splitVzctlLines(text: string): { lines: string[]; eol: '\n' | '\r\n' | 'mixed'; loneCr: boolean } {
  // A text that may have many lines has them counted first: their array is allocated once (util/sizedArray).
  const lines: string[] = sizedArray(text.length > LARGE_ARRAY ? lineCount(text) : 0);
  let k = 0;
  let crlf = 0;
  let lf = 0;
  let start = 0;
  let loneCr = false;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    if (i > start && text.charCodeAt(i - 1) === 13) {
      lines[k] = lineText(text, start, i - 1, lines, k);
      crlf += 1;
    } else {
      lines[k] = lineText(text, start, i, lines, k);
      lf += 1;
    }
    k += 1;
    start = i + 1;
  }
  lines[k] = text.slice(start);
  // (An index loop: `for … of` over the holey array of a long text allocated an iterator result per line.)
  for (let j = 0; j < lines.length; j += 1) {
    if ((lines[j] as string).includes('\r')) {
      loneCr = true;
      break;
    }
  }
  const eol = crlf > 0 && lf > 0 ? 'mixed' : crlf > 0 ? '\r\n' : '\n';
  return { lines, eol, loneCr };
}

/**
 * Where the lines of a document with lone CRs lie in the editor's (LSP's) line numbering, which also breaks
 * lines at a lone CR: for each vzctl line, its first editor line, and the columns of its lone CRs.
 */
export interface EditorLineMap {
  /** `firstEditorLine[l]`: the editor line where vzctl line `l` starts. */
  firstEditorLine: number[];
  /** Columns of the lone CRs of vzctl line `l` (ascending), for the lines that have any. */
  crColumns: Map<number, number[]>;
}

function editorLineMap(lines: readonly string[]): EditorLineMap {
  const firstEditorLine: number[] = [];
  const crColumns = new Map<number, number[]>();
  let editorLine = 0;
  for (let l = 0; l < lines.length; l += 1) {
    firstEditorLine.push(editorLine);
    const t = lines[l] ?? '';
    let cols: number[] | undefined;
    for (let i = t.indexOf('\r'); i >= 0; i = t.indexOf('\r', i + 1)) (cols ??= []).push(i);
    if (cols) {
      crColumns.set(l, cols);
      editorLine += cols.length;
    }
    editorLine += 1;
  }
  return { firstEditorLine, crColumns };
}

/**
 * A position of the model (vzctl lines, see {@link splitVzctlLines}) as the editor counts it. The identity
 * for documents without lone CRs. Positions past the end of a vzctl line stay on its last editor line.
 */
export function toEditorPosition(doc: Pick<ConfigDocument, 'editorLines'>, pos: Position): Position {
  const map = doc.editorLines;
  if (!map) return pos;
  const first = map.firstEditorLine[pos.line];
  if (first === undefined) return pos;
  const cols = map.crColumns.get(pos.line);
  if (!cols) return { line: first, character: pos.character };
  // Lone CRs before the column: binary search for the count of columns < character.
  let lo = 0;
  let hi = cols.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cols[mid] ?? 0) < pos.character) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return { line: first, character: pos.character };
  return { line: first + lo, character: pos.character - (cols[lo - 1] ?? 0) - 1 };
}

/**
 * The 1-based line number, as editors, `vzlint` positions and SARIF count lines, of the start of vzctl line
 * `line` (0-based, the model's): what a message or fix title names ("set on line 7"). The same as
 * `line + 1` for documents without lone CRs; after a lone CR the editor's count runs ahead of vzctl's.
 */
export function lineNumber(doc: Pick<ConfigDocument, 'editorLines'>, line: number): number {
  return (doc.editorLines?.firstEditorLine[line] ?? line) + 1;
}

/**
 * The 1-based editor line number of the end of vzctl line `line` (0-based): {@link lineNumber} plus the
 * lone CRs inside the line. For spans such as "lines 2–40" whose last line holds a lone CR.
 */
export function lastLineNumber(doc: Pick<ConfigDocument, 'editorLines'>, line: number): number {
  return lineNumber(doc, line) + (doc.editorLines?.crColumns.get(line)?.length ?? 0);
}

/** {@link toEditorPosition} for both ends of a range. */
export function toEditorRange(doc: Pick<ConfigDocument, 'editorLines'>, range: Range): Range {
  if (!doc.editorLines) return range;
  return { start: toEditorPosition(doc, range.start), end: toEditorPosition(doc, range.end) };
}

/**
 * An editor (LSP) position as a position of the model (vzctl lines): the inverse of
 * {@link toEditorPosition}. The identity for documents without lone CRs.
 */
export function fromEditorPosition(doc: Pick<ConfigDocument, 'editorLines'>, pos: Position): Position {
  const map = doc.editorLines;
  if (!map) return pos;
  // The last vzctl line starting at or before the editor line.
  let lo = 0;
  let hi = map.firstEditorLine.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((map.firstEditorLine[mid] ?? 0) <= pos.line) lo = mid;
    else hi = mid - 1;
  }
  const first = map.firstEditorLine[lo] ?? 0;
  const k = pos.line - first;
  if (k <= 0) return { line: lo, character: pos.character };
  const cols = map.crColumns.get(lo) ?? [];
  const cr = cols[Math.min(k, cols.length) - 1] ?? 0;
  return { line: lo, character: cr + 1 + pos.character };
}

/**
 * Parses one physical line as classic vzctl 3.x/4.x does (`parse_line()` in `src/lib/util.c`,
 * called from `vps_parse_config()` in `src/lib/config.c`):
 * unescape, skip leading blanks, `#` comment, strip trailing blanks, key = text before the first
 * `=` (untrimmed), value in double quotes up to the LAST `"` on the line (what follows is dropped),
 * otherwise the rest of the line, single quotes not special, no inline comments.
 */
function parseClassicLine(raw: string, line: number): ConfigLine {
  // Blank and comment lines (most of a real file) need no unescaping: blanks hold no backslash.
  const first = firstNonSpace(raw);
  if (first >= raw.length) return { kind: 'blank', line };
  if (raw[first] === '#') return new CommentLine(line, raw.slice(first), first, raw.length);
  const s = unescapeForParse(raw);
  const map = unescapedMap;
  let i = 0;
  while (i < s.length && isSpace(s[i])) i += 1;
  if (i >= s.length) return { kind: 'blank', line };
  if (s[i] === '#') return new CommentLine(line, raw.slice(map[i]), map[i] ?? 0, raw.length);
  let end = s.length;
  while (end > i && isSpace(s[end - 1])) end -= 1;
  const eq = s.indexOf('=', i);
  if (eq < 0 || eq >= end) {
    return { kind: 'invalid', line, reason: 'missing-equals', text: raw.slice(map[i], map[end]), range: rangeOf(line, map[i] ?? 0, map[end] ?? raw.length) };
  }
  const entry = baseEntry(raw, line, s, map, i, eq);
  if (byteLength(entry.key) >= CLASSIC_MAX_KEY) entry.skipped = 'key-too-long';
  let vStart = eq + 1;
  let vEnd = end;
  if (s[vStart] === '"') {
    const last = s.lastIndexOf('"', end - 1);
    entry.quote = '"';
    if (last <= vStart) {
      entry.skipped = entry.skipped ?? 'unmatched-quote';
      vStart += 1;
    } else {
      vStart += 1;
      vEnd = last;
      if (last + 1 < end) {
        const tail = s.slice(last + 1, end);
        entry.trailing = { text: tail, range: rangeOf(line, map[last + 1] ?? 0, map[end] ?? raw.length) };
      }
    }
  } else if (s[vStart] === "'") {
    entry.singleQuoted = true;
  }
  entry.value = internSlice(s, vStart, vEnd);
  // Up to the closing quote: text after it (dropped by vzctl) stays out of the value's range.
  const rawEnd = entry.trailing && entry.quote === '"' ? vEnd + 1 : end;
  entry.setValueColumns(map[vStart] ?? raw.length, map[vEnd] ?? raw.length, map[eq + 1] ?? raw.length, map[rawEnd] ?? raw.length);
  // Where VZ7 (and a reader) would see a comment; classic has none.
  const cut = commentCut(s);
  if (cut < end) {
    const partOfValue = cut < vEnd;
    entry.inlineComment = { text: s.slice(cut, end), range: rangeOf(line, map[cut] ?? 0, map[end] ?? raw.length), partOfValue };
  }
  return entry;
}

/**
 * Parses one physical line as libvzctl does (`parse_line()` in `lib/common.c`): unescape, cut an
 * inline `#` comment that starts a word outside quotes, strip trailing blanks, drop ONE trailing
 * `"` or `'`, key = text before the first `=` (untrimmed), drop ONE leading `"` or `'` of the value.
 * Lines without `=` are skipped without a word.
 */
function parseVz7Line(raw: string, line: number): ConfigLine {
  // As in the classic parser: a blank line, or a `#` first (uncommentstr() cuts there: a word start).
  const first = firstNonSpace(raw);
  if (first >= raw.length) return { kind: 'blank', line };
  if (raw[first] === '#') return new CommentLine(line, raw.slice(first), first, raw.length);
  const s = unescapeForParse(raw);
  const map = unescapedMap;
  const cut = commentCut(s);
  let i = 0;
  while (i < cut && isSpace(s[i])) i += 1;
  if (i >= s.length) return { kind: 'blank', line };
  if (i >= cut || s[i] === '#') return new CommentLine(line, raw.slice(map[i]), map[i] ?? 0, raw.length);
  let end = cut;
  while (end > i && isSpace(s[end - 1])) end -= 1;
  const contentEnd = end;
  if (s[end - 1] === '"' || s[end - 1] === "'") end -= 1;
  const eq = s.indexOf('=', i);
  if (eq < 0 || eq >= end) {
    return { kind: 'invalid', line, reason: 'missing-equals', text: raw.slice(map[i], map[contentEnd]), range: rangeOf(line, map[i] ?? 0, map[contentEnd] ?? raw.length) };
  }
  const entry = baseEntry(raw, line, s, map, i, eq);
  if (byteLength(entry.key) >= VZ7_MAX_KEY) entry.skipped = 'key-too-long';
  let vStart = eq + 1;
  if (s[vStart] === '"' || s[vStart] === "'") {
    entry.quote = s[vStart] as '"' | "'";
    if (entry.quote === "'") entry.singleQuoted = true;
    vStart += 1;
  }
  if (vStart > end) vStart = end;
  entry.value = internSlice(s, vStart, end);
  entry.setValueColumns(map[vStart] ?? raw.length, map[end] ?? raw.length, map[eq + 1] ?? raw.length, map[contentEnd] ?? raw.length);
  if (cut < s.length) {
    let cEnd = s.length;
    while (cEnd > cut && isSpace(s[cEnd - 1])) cEnd -= 1;
    entry.inlineComment = { text: s.slice(cut, cEnd), range: rangeOf(line, map[cut] ?? 0, map[cEnd] ?? raw.length), partOfValue: false };
  }
  return entry;
}

/** Strings kept by {@link internSlice}: a small direct-mapped table (a slot per hash of length and end characters). */
const internSlots: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
const INTERN_MAX_LENGTH = 64;

/**
 * One string object for equal keys and short values seen lately (the same slot of a 256-slot table): a
 * file's keys come from a small vocabulary, a fleet's containers share most of their values, and a file
 * that repeats one line (or alternates a few) 40,000 times keeps one key and one value for them all instead
 * of 80,000 strings that live as long as the document (issue 8: the model's size drives the GC cost of
 * large files). No lookup structure grows: a miss replaces the slot. The string is `s.slice(from, to)`, made
 * only on a miss (a slice made to be dropped for the kept string was two strings of garbage a line).
 */
function internSlice(s: string, from: number, to: number): string {
  const n = to - from;
  if (n <= 0) return '';
  if (n > INTERN_MAX_LENGTH) return s.slice(from, to);
  const h = (n * 31 + s.charCodeAt(from) * 7 + s.charCodeAt(to - 1) * 3 + s.charCodeAt(from + (n >> 1))) & 255;
  const kept = internSlots[h];
  if (kept !== undefined && kept.length === n && s.startsWith(kept, from)) return kept;
  const text = s.slice(from, to);
  internSlots[h] = text;
  return text;
}

/** Shell issues of an assignment that has none (shared, never modified). */
const NO_SHELL_ISSUES = Object.freeze([]) as unknown as ShellView['issues'];

/** The fields of an assignment that few lines have (see EntryLine): all present, so one hidden class. */
class RareFields {
  skipped: Entry['skipped'] = undefined;
  trailing: Entry['trailing'] = undefined;
  inlineComment: Entry['inlineComment'] = undefined;
  singleQuoted: boolean | undefined = undefined;
  spaceAroundEquals: Entry['spaceAroundEquals'] = undefined;
}

/**
 * An assignment line. Its ranges (key, value, raw value: three objects each) are built from the columns
 * the line parser found each time they are read (not kept: the line model outlives the lint in the parse
 * cache, and a finding keeps the range it was given). In the usual case, where the shell reads the same
 * value on the same line without issues, the entry is its own {@link ShellView} (`entry.shell === entry`:
 * `endLine` is the entry's line, `issues` empty, `endCharacter` a number kept in the entry), so a line
 * costs one object, not two. A file of 40,000 assignments keeps 40,000 of these alive through a lint, and
 * their size drives V8's garbage collection cost on large files (issue 8, the pathological cases).
 * `toJSON` gives the plain entry, ranges and shell view included.
 */
class EntryLine implements Entry, ShellView {
  declare readonly kind: 'entry';
  readonly line: number;
  readonly key: string;
  readonly name: string;
  readonly equals: number;
  quote: '"' | "'" | null = null;
  value = '';
  /**
   * The columns of the key's start, the value (inside the quotes) and the raw value (after `=`, quotes
   * included), packed into one small integer when they lie where they usually do (see
   * {@link EntryLine.setValueColumns}), else the five of them; `-1 - keyStart` until the value's are set.
   */
  #cols: number | readonly [keyStart: number, valueStart: number, valueEnd: number, rawStart: number, rawEnd: number];
  /** The shell's reading (set by parseText): a view of its own, or the end column when the entry is its own view. */
  #shell: ShellView | number = 0;
  /**
   * The shell view's end line, whichever the view (a number in every entry: parseText reads it of every
   * entry, and an entry with a view of its own, met late, was another hidden class there; issue 8).
   */
  #shellEnd: number;
  /**
   * The fields few lines have (`skipped`, `trailing`, …), made at the first one set. Kept apart so that every
   * entry has the same fields, so the same hidden class in V8: a field added to some entries gave them
   * another one, and each function reading entries met it late (a line with an inline comment, hundreds
   * of files into a node) was deoptimised and compiled again (issue 8).
   */
  #rare: RareFields | undefined = undefined;
  /** See {@link Entry.memo}. */
  #memo: unknown = undefined;

  constructor(line: number, key: string, name: string, keyStart: number, equals: number) {
    this.line = line;
    this.key = key;
    this.name = name;
    this.equals = equals;
    this.#cols = -1 - keyStart;
    this.#shellEnd = line;
  }

  /**
   * The columns of the value (inside the quotes) and of the raw value (after `=`, quotes included); called
   * once, by the line parser. Usually the key starts within 3 columns of the line's start, the raw value
   * within 3 after `=`, the value within 3 after that, and the raw value ends within 3 after the value: the
   * columns are then kept as `valueEnd * 256 + (rawEnd - valueEnd) * 64 + (valueStart - rawStart) * 16 +
   * (rawStart - equals - 1) * 4 + keyStart`, one small integer (below 2^31 for any line of a file under the
   * 4 MiB limit) instead of five fields: a file of 40,000 assignments keeps its line models through the lint.
   */
  setValueColumns(valueStart: number, valueEnd: number, rawStart: number, rawEnd: number): void {
    const pending = this.#cols;
    const keyStart = typeof pending === 'number' && pending < 0 ? -1 - pending : this.keyRange.start.character;
    const a = rawStart - this.equals - 1;
    const b = valueStart - rawStart;
    const c = rawEnd - valueEnd;
    this.#cols = keyStart < 4 && a >= 0 && a < 4 && b >= 0 && b < 4 && c >= 0 && c < 4 && valueEnd >= 0 && valueEnd < 0x800000
      ? valueEnd * 256 + c * 64 + b * 16 + a * 4 + keyStart
      : [keyStart, valueStart, valueEnd, rawStart, rawEnd];
  }

  /** See {@link Entry.memo} (private, so neither enumerated nor compared with the model's fields). */
  get memo(): unknown {
    return this.#memo;
  }

  set memo(m: unknown) {
    this.#memo = m;
  }

  get skipped(): Entry['skipped'] {
    return this.#rare?.skipped;
  }

  set skipped(v: Entry['skipped']) {
    (this.#rare ??= new RareFields()).skipped = v;
  }

  get trailing(): Entry['trailing'] {
    return this.#rare?.trailing;
  }

  set trailing(v: Entry['trailing']) {
    (this.#rare ??= new RareFields()).trailing = v;
  }

  get inlineComment(): Entry['inlineComment'] {
    return this.#rare?.inlineComment;
  }

  set inlineComment(v: Entry['inlineComment']) {
    (this.#rare ??= new RareFields()).inlineComment = v;
  }

  get singleQuoted(): boolean | undefined {
    return this.#rare?.singleQuoted;
  }

  set singleQuoted(v: boolean | undefined) {
    (this.#rare ??= new RareFields()).singleQuoted = v;
  }

  get spaceAroundEquals(): Entry['spaceAroundEquals'] {
    return this.#rare?.spaceAroundEquals;
  }

  set spaceAroundEquals(v: Entry['spaceAroundEquals']) {
    (this.#rare ??= new RareFields()).spaceAroundEquals = v;
  }

  get keyRange(): Range {
    const c = this.#cols;
    return rangeOf(this.line, typeof c !== 'number' ? c[0] : c < 0 ? -1 - c : c & 3, this.equals);
  }

  get valueRange(): Range {
    const c = this.#cols;
    if (typeof c !== 'number') return rangeOf(this.line, c[1], c[2]);
    if (c < 0) return rangeOf(this.line, 0, 0);
    const rawStart = this.equals + 1 + ((c >> 2) & 3);
    return rangeOf(this.line, rawStart + ((c >> 4) & 3), c >> 8);
  }

  get rawValueRange(): Range {
    const c = this.#cols;
    if (typeof c !== 'number') return rangeOf(this.line, c[3], c[4]);
    if (c < 0) return rangeOf(this.line, 0, 0);
    return rangeOf(this.line, this.equals + 1 + ((c >> 2) & 3), (c >> 8) + ((c >> 6) & 3));
  }

  /** What /bin/sh reads (see {@link ShellView}): the entry itself when that is the entry's own value on its line, without issues. */
  get shell(): ShellView {
    const s = this.#shell;
    return typeof s === 'number' ? this : s;
  }

  /** Makes the entry its own shell view ending at column `endCharacter` of its line (see {@link plainShellEnd}). */
  ownShellView(endCharacter: number): void {
    this.#shell = endCharacter;
    this.#shellEnd = this.line;
  }

  set shell(view: ShellView) {
    // (The value compared as a string: scanShellValue builds its own.)
    this.#shell = view.endLine === this.line && view.issues.length === 0 && view.value === this.value ? view.endCharacter : view;
    this.#shellEnd = view.endLine;
  }

  /** {@link ShellView.endLine} when the entry is its own shell view. */
  get endLine(): number {
    return this.#shellEnd;
  }

  /** {@link ShellView.endCharacter} when the entry is its own shell view. */
  get endCharacter(): number {
    const s = this.#shell;
    return typeof s === 'number' ? s : s.endCharacter;
  }

  /** {@link ShellView.issues} when the entry is its own shell view: none. */
  get issues(): ShellView['issues'] {
    const s = this.#shell;
    return typeof s === 'number' ? NO_SHELL_ISSUES : s.issues;
  }

  /** The entry as plain data (JSON of a document, the LSP's custom requests): every field, ranges and shell view included. */
  toJSON(): Entry {
    const sh = this.shell;
    const shell: ShellView = sh === this ? { value: this.value, endLine: this.line, endCharacter: this.endCharacter, issues: [] } : sh;
    const out: Entry = {
      kind: 'entry', line: this.line, key: this.key, name: this.name, keyRange: this.keyRange, equals: this.equals, quote: this.quote,
      value: this.value, valueRange: this.valueRange, rawValueRange: this.rawValueRange, shell,
    };
    if (this.spaceAroundEquals !== undefined) out.spaceAroundEquals = this.spaceAroundEquals;
    if (this.skipped !== undefined) out.skipped = this.skipped;
    if (this.trailing !== undefined) out.trailing = this.trailing;
    if (this.singleQuoted !== undefined) out.singleQuoted = this.singleQuoted;
    if (this.inlineComment !== undefined) out.inlineComment = this.inlineComment;
    return out;
  }
}
// On the prototype, not in each entry: what every line model of the kind shares.
Object.defineProperty(EntryLine.prototype, 'kind', { value: 'entry', enumerable: true });

function baseEntry(raw: string, line: number, s: string, map: number[], keyStart: number, eq: number): EntryLine {
  const key = internSlice(s, keyStart, eq);
  // What the user meant: without the file's byte-order mark and the blanks before "=" (each has its
  // own rule). Anything else vzctl would keep (a no-break space, a vertical tab) stays in the name,
  // so the key is reported as unknown, as vzctl treats it.
  // Character loops, not /[ \t]+$/: that regular expression backtracks on long runs of blanks.
  let keyEnd = key.length;
  while (keyEnd > 0 && (key[keyEnd - 1] === ' ' || key[keyEnd - 1] === '\t')) keyEnd -= 1;
  const keyFrom = line === 0 && key.charCodeAt(0) === 0xfeff ? 1 : 0;
  const name = keyFrom === 0 && keyEnd === key.length ? key : key.slice(keyFrom, Math.max(keyFrom, keyEnd));
  // Columns in the original line (the ranges are built from them when read).
  const entry = new EntryLine(line, key, name, map[keyStart] ?? 0, map[eq] ?? raw.length);
  const trail = key.length - keyEnd;
  let afterEnd = eq + 1;
  while (afterEnd < s.length && (s[afterEnd] === ' ' || s[afterEnd] === '\t')) afterEnd += 1;
  const after = afterEnd - (eq + 1);
  if (trail > 0 || after > 0) {
    const from = trail > 0 ? (map[eq - trail] ?? 0) : (map[eq] ?? 0);
    const to = after > 0 ? (map[afterEnd] ?? raw.length) : (map[eq] ?? 0) + 1;
    entry.spaceAroundEquals = { range: rangeOf(line, from, to) };
  }
  return entry;
}

export interface ParseOptions {
  dialect: Dialect;
}

/**
 * Recently parsed documents, newest first (parse once per text and dialect; see {@link parseConfig}).
 * Documents are never changed after parsing, so a cached one can be handed to every caller.
 */
const recent: { text: string; dialect: Dialect; doc: ConfigDocument }[] = [];
/** How many documents the cache keeps (a few open editors; a document of 10,000 lines is a few MB). */
const RECENT_MAX = 4;
/**
 * Entries whose shell view was not scanned from their own line because they lie inside an earlier
 * assignment's multi-line value (their view is a stub): such an entry is never reused by a later parse.
 * Rare (a few per document at most), and the set holds nothing alive.
 */
const stubShell = new WeakSet<Entry>();

/**
 * Parses a whole vz.conf / CTID.conf text exactly as the chosen vzctl generation reads it, line by
 * line, and overlays the shell's reading of each assignment (multi-line quoted values, unquoted
 * whitespace, command substitution).
 *
 * Lines are vzctl's (see {@link splitVzctlLines}): with a lone CR, a line of the model may span several
 * editor lines, and positions of the model are mapped with {@link toEditorPosition} before they reach an editor.
 *
 * Pure and total: any text (CRLF, a BOM, tabs, NULs, very long lines) yields a model; it never throws.
 * The same text and dialect give the same (shared, never modified) document: the last few are kept,
 * so that lint, hover, code actions and inlay hints on one version of a file parse it once. A text
 * that differs from a recent one in a few lines (an edit in the editor) re-parses only those lines
 * and reuses the others' models (lines before the edit, and after it when the line count is unchanged).
 *
 * @param text  the file's text; a leading U+FEFF is kept in line 0 and reported through `bom`
 */
export function parseConfig(text: string, options: ParseOptions): ConfigDocument {
  const previous: ConfigDocument[] = [];
  for (let i = 0; i < recent.length; i += 1) {
    const slot = recent[i] as (typeof recent)[number];
    if (slot.dialect !== options.dialect) continue;
    if (slot.text === text) {
      if (i > 0) {
        recent.splice(i, 1);
        recent.unshift(slot);
      }
      return slot.doc;
    }
    previous.push(slot.doc);
  }
  const doc = parseText(text, options.dialect, previous);
  recent.unshift({ text, dialect: options.dialect, doc });
  if (recent.length > RECENT_MAX) recent.length = RECENT_MAX;
  return doc;
}

/** Forgets the recently parsed documents (benchmarks measure a parse from scratch with it). */
export function clearParseCache(): void {
  recent.length = 0;
}

/** {@link parseConfig} without the cache and without reusing any line model (tests compare the two). */
export function parseConfigFresh(text: string, options: ParseOptions): ConfigDocument {
  return parseText(text, options.dialect);
}

/** The model of line `n` in the first of `docs` where it has the text `text` and is not the last line. */
function reusableLine(docs: readonly ConfigDocument[], n: number, text: string): ConfigLine | undefined {
  for (let i = 0; i < docs.length; i += 1) {
    const doc = docs[i] as ConfigDocument;
    if (n < doc.text.length - 1 && doc.text[n] === text) return doc.lines[n];
  }
  return undefined;
}

/** The last line of an entry's shell value (`entry.shell.endLine`), without building or reading its view. */
function shellEndLine(entry: Entry): number {
  return entry instanceof EntryLine ? entry.endLine : entry.shell.endLine;
}

/** Whether an assignment's shell value takes in the lines after it as assignments (see parseText). */
function swallows(out: readonly ConfigLine[], entry: Entry): boolean {
  for (let k = entry.line + 1; k <= shellEndLine(entry); k += 1) {
    const l = out[k];
    if (l && l.kind === 'entry' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(l.name)) return true;
  }
  return false;
}

/**
 * The parse proper. With `previous` (documents parsed before, newest first: an earlier version of the text,
 * or the files parsed just before it — the containers of a node share most of their lines, at the same
 * numbers), a line whose text and number are the same in one of them keeps that model: every line model
 * depends on its own text and number only, except an assignment's shell view, which is reused only when
 * it was read from that line alone, not at the last line (where an open quote or a final backslash depends
 * on the end of the file), not on a line ending in a backslash (after a `;` the command sh runs is on the
 * next line) and not inside an earlier assignment's multi-line value.
 */
function parseText(text: string, dialect: Dialect, previous: readonly ConfigDocument[] = []): ConfigDocument {
  // vzctl and sh split only at \n: a lone CR stays inside the line (and is reported by lone-carriage-return).
  const { lines, eol, loneCr } = splitVzctlLines(text);
  const parseLine = dialect === 'vz7' ? parseVz7Line : parseClassicLine;
  const last = lines.length - 1;
  // One model a line, written at its number: a large document's array is allocated once (util/sizedArray);
  // its entries are collected after the loop, when their count is known.
  const out: ConfigLine[] = sizedArray(lines.length);
  let entryCount = 0;
  const multiline: MultilineValue[] = [];
  const continuationLines = new Set<number>();
  // The shell reads on from where the previous assignment's word ended; a line inside that word
  // (a quoted value or a backslash-newline continuation) is not scanned again, which keeps the
  // whole pass linear in the file size.
  let shellCovered = -1;
  for (let n = 0; n < lines.length; n += 1) {
    const prev = n < last ? reusableLine(previous, n, lines[n] as string) : undefined;
    if (prev !== undefined) {
      if (prev.kind !== 'entry') {
        out[n] = prev;
        continue;
      }
      // A final backslash joins the next line for sh: a `;` before it runs that line (shell.ts separator).
      if (n > shellCovered && shellEndLine(prev) === n && !stubShell.has(prev) && !(lines[n] as string).endsWith('\\')) {
        out[n] = prev;
        entryCount += 1;
        continue;
      }
    }
    const parsed = parseLine(lines[n] ?? '', n);
    out[n] = parsed;
    if (parsed.kind !== 'entry') continue;
    entryCount += 1;
    if (n <= shellCovered) {
      // Inside an earlier assignment's multi-line value: the shell does not read it as an assignment.
      parsed.shell = { value: '', endLine: n, endCharacter: (lines[n] ?? '').length, issues: [] };
      stubShell.add(parsed);
      continue;
    }
    // The shell's reading starts right after `=` (in the original text). Mostly it is the value vzctl reads,
    // on the line alone: the entry is then its own view (see EntryLine), found without a scan.
    const end = plainShellEnd(lines[n] ?? '', parsed.equals + 1, parsed.value);
    if (end >= 0 && parsed instanceof EntryLine) {
      parsed.ownShellView(end);
      continue;
    }
    const shell = scanShellValue(lines, n, parsed.equals + 1);
    // (The entry is still its own view when the scan reads its value there without issues: see EntryLine.)
    parsed.shell = shell;
    if (shell.endLine > n) shellCovered = shell.endLine;
  }
  // The entries, in line order.
  const entries: Entry[] = sizedArray(entryCount);
  for (let n = 0, k = 0; k < entryCount; n += 1) {
    const l = out[n] as ConfigLine;
    if (l.kind === 'entry') entries[k++] = l;
  }
  // Multi-line values: only assignments that start outside another multi-line value count.
  for (let k = 0; k < entries.length; k += 1) {
    const entry = entries[k] as Entry;
    if (shellEndLine(entry) === entry.line || continuationLines.has(entry.line)) continue;
    // A quote that never closes is no multi-line value: the shell just fails (reported as unsafe).
    // Nor is one whose "continuation" holds assignments: that is an unclosed quote on the first line
    // swallowing the next settings in the shell's reading, and vzctl reads those lines on their own.
    if (!entry.shell.issues.some((i) => i.kind === 'unterminated-quote') && !swallows(out, entry)) {
      const endLine = entry.shell.endLine;
      multiline.push({
        entry,
        startLine: entry.line,
        endLine,
        range: { start: { line: entry.line, character: entry.keyRange.start.character }, end: { line: endLine, character: entry.shell.endCharacter } },
      });
      for (let k = entry.line + 1; k <= endLine; k += 1) continuationLines.add(k);
    }
  }
  const doc: ConfigDocument = {
    dialect,
    lines: out,
    entries,
    multiline,
    multilineOf: new Map(multiline.map((m) => [m.entry, m])),
    continuationLines,
    bom: text.charCodeAt(0) === 0xfeff,
    text: lines,
    eol,
    ...(loneCr ? { editorLines: editorLineMap(lines) } : {}),
  };
  return doc;
}
