/**
 * Quick fixes for vzconf diagnostics. Pure: the fixes are those of the engine's findings (the language
 * server keeps the lint result of the published version and passes its findings here); a diagnostic the
 * client sends back is matched to its finding by range, rule and message ({@link FindingIndex}), so the
 * published diagnostics carry no `data` and nothing is re-parsed here.
 *
 * Structural LSP types only; this module does not depend on vscode-languageserver.
 */
import { parseConfig, toEditorPosition, toEditorRange } from '../parser/parse';
import type { ConfigDocument, Position, Range } from '../parser/types';
import type { BlockEnds } from '../rules/suppressions';
import type { TextEdit } from '../rules/types';
import { isRange } from '../util/positions';

/**
 * A diagnostic as it comes back from the client in `CodeActionParams.context.diagnostics`.
 * Only diagnostics with `source: "vzconf"` that match a finding of the document are used; everything
 * else (other linters' diagnostics, stale or altered ones) is tolerated and ignored.
 */
export interface ContextDiagnostic {
  range: Range;
  message: string;
  source?: string;
  code?: string | number;
  severity?: number;
  data?: unknown;
  [key: string]: unknown;
}

/** An LSP `WorkspaceEdit` using the `changes` form: document URI → edits (0-based lines, UTF-16 columns). */
export interface LspWorkspaceEdit {
  changes: Record<string, TextEdit[]>;
}

/** An LSP `CodeAction` (kind `quickfix`) built from one vzconf fix. */
export interface LspCodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: ContextDiagnostic[];
  edit: LspWorkspaceEdit;
  isPreferred?: boolean;
}

/** One fix of a finding (the engine's `Fix`: title, LSP edits, whether fix-all may apply it). */
export interface FixShape {
  title: string;
  edits: readonly TextEdit[];
  safe: boolean;
}

/**
 * What code actions need of a finding (an engine `Finding` is one): where it is, its rule and message
 * (to match the client's diagnostic) and its fixes. Ranges in the editor's numbering, as published.
 */
export interface Fixable {
  range: Range;
  rule: string;
  message: string;
  fixes?: readonly FixShape[];
}

/** The key a finding and its published diagnostic share: range, rule id and message. */
function keyOf(range: Range, rule: string, message: string): string {
  return `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}\0${rule}\0${message}`;
}

/**
 * The findings of one lint (the version whose diagnostics were published), looked up by the diagnostics
 * the client sends back. Built once per version on the first code-action request (linear in the
 * findings), so publishing costs nothing extra.
 */
export class FindingIndex {
  private readonly byKey = new Map<string, Fixable[]>();

  constructor(findings: readonly Fixable[]) {
    for (const f of findings) {
      const k = keyOf(f.range, f.rule, f.message);
      const list = this.byKey.get(k);
      if (list) list.push(f);
      else this.byKey.set(k, [f]);
    }
  }

  /**
   * The finding each of `diagnostics` was published from (undefined for other sources, malformed or
   * unknown ones). Identical diagnostics (same range, rule and message) map to their findings in order.
   */
  match(diagnostics: readonly ContextDiagnostic[]): (Fixable | undefined)[] {
    const taken = new Map<string, number>();
    return diagnostics.map((d) => {
      if (d.source !== 'vzconf' || typeof d.code !== 'string' || typeof d.message !== 'string' || !isRange(d.range)) return undefined;
      const k = keyOf(d.range, d.code, d.message);
      const list = this.byKey.get(k);
      if (!list) return undefined;
      const i = taken.get(k) ?? 0;
      taken.set(k, i + 1);
      return list[Math.min(i, list.length - 1)];
    });
  }
}

/** The fixes of a finding that can be applied (at least one edit). */
function fixesOf(f: Fixable | undefined): readonly FixShape[] {
  if (!f?.fixes) return [];
  return f.fixes.filter((x) => x.edits.length > 0);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether two ranges touch or overlap (inclusive ends, so a caret at a diagnostic's edge counts). */
function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * Builds the quick fixes for a `textDocument/codeAction` request.
 *
 * For every vzconf diagnostic (source `"vzconf"`) of the request context that touches `range` and
 * matches a finding of `findings` with fixes, returns one CodeAction per fix, in the order of the
 * diagnostics and of their fixes: kind `"quickfix"`, title = the fix's title, `diagnostics: [d]`, and
 * `edit: { changes: { [uri]: fix.edits } }`. The only fix of a diagnostic is marked `isPreferred`
 * when it is `safe` (VS Code's Auto Fix applies preferred fixes unseen). Diagnostics from other sources,
 * or that match no finding (stale, altered), are ignored.
 *
 * @param uri          the document's URI, as sent by the client (used as the key of `changes`)
 * @param diagnostics  `CodeActionParams.context.diagnostics` (diagnostics previously published by this server, among others)
 * @param range        `CodeActionParams.range` (0-based lines, UTF-16 columns)
 * @param findings     the findings of the text as it is now (an index of them, or the list)
 * @returns the code actions (empty when there is nothing to fix)
 */
export function computeCodeActions(uri: string, diagnostics: readonly ContextDiagnostic[], range: Range, findings: FindingIndex | readonly Fixable[]): LspCodeAction[] {
  const actions: LspCodeAction[] = [];
  const touching = diagnostics.filter((d) => isRange(d.range) && touches(d.range, range));
  const index = findings instanceof FindingIndex ? findings : new FindingIndex(findings);
  const matched = index.match(touching);
  for (const [n, d] of touching.entries()) {
    const fixes = fixesOf(matched[n]);
    fixes.forEach((fix, i) => {
      const action: LspCodeAction = {
        title: fix.title,
        kind: 'quickfix',
        diagnostics: [d],
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      };
      // Only a fix that cannot change what the node does may be applied without reading it (Auto Fix).
      if (i === 0 && fixes.length === 1 && fix.safe) action.isPreferred = true;
      actions.push(action);
    });
  }
  return actions;
}

/** The code action kind of vzconf's fix-all (`editor.codeActionsOnSave: {"source.fixAll.vzconf": …}`). */
export const FIX_ALL_KIND = 'source.fixAll.vzconf';

/** A fix-all action: one edit made of every safe fix. */
export interface LspFixAllAction {
  title: string;
  kind: typeof FIX_ALL_KIND;
  edit: LspWorkspaceEdit;
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * One round of fix-all: the edits of every `safe` fix of `findings`, in document order; a fix whose edits
 * would touch an edit already taken is left for the next round, so the edits never overlap.
 */
export function safeFixEdits(findings: readonly Fixable[]): TextEdit[] {
  return safeFixRound(findings).edits;
}

/** {@link safeFixEdits} and how many fixes (one per finding) its edits make. */
function safeFixRound(findings: readonly Fixable[]): { edits: TextEdit[]; fixes: number } {
  let fixes = 0;
  const taken: Range[] = [];
  const edits: TextEdit[] = [];
  const sorted = findings.filter((d) => d.fixes !== undefined && d.fixes.length > 0).sort((a, b) => compare(a.range.start, b.range.start));
  for (const d of sorted) {
    const fix = fixesOf(d).find((f) => f.safe === true);
    if (!fix) continue;
    const clash = fix.edits.some((e) => taken.some((t) => touches(t, e.range)));
    if (clash) continue;
    for (const e of fix.edits) {
      taken.push(e.range);
      edits.push({ range: e.range, newText: e.newText });
    }
    fixes += 1;
  }
  return { edits, fixes };
}

/** Most rounds of fix-all (each applies the safe fixes, then lints again); real files settle in 1–3. */
export const MAX_FIX_ALL_ROUNDS = 16;

/** What {@link fixAllText} did. */
export interface FixAllResult {
  /** The text after every round. */
  text: string;
  /** Edits that turn the original text into `text` (LSP positions of the original), non-overlapping, in order. */
  edits: TextEdit[];
  /** Rounds that changed the text. */
  rounds: number;
  /** Fixes applied over those rounds (one per finding fixed; a finding fixed again in a later round counts again). */
  fixes: number;
  /** Stopped at {@link MAX_FIX_ALL_ROUNDS} or on a text seen before, with safe fixes still offered. */
  unsettled: boolean;
}

/**
 * Fix-all to its fixed point: applies the safe fixes of `findings` to `text`, lints the result with
 * `relint`, and repeats while safe fixes remain (a fix deferred because it touched another, or one that
 * appears only after another was applied), at most {@link MAX_FIX_ALL_ROUNDS} times and never twice
 * through the same text. So fix-all on save changes a file once, and a second fix-all offers nothing.
 *
 * @param text      the document's text the findings are for
 * @param findings  its findings (with their fixes)
 * @param relint    the findings of another text of the same document (same settings and node)
 */
export async function fixAllText(
  text: string,
  findings: readonly Fixable[],
  relint: (text: string) => readonly Fixable[] | Promise<readonly Fixable[]>,
): Promise<FixAllResult> {
  let current = text;
  let round = safeFixRound(findings);
  let edits = round.edits;
  let rounds = 0;
  let fixes = 0;
  let firstEdits: TextEdit[] | undefined;
  const seen = new Set<string>([text]);
  while (edits.length > 0) {
    if (rounds >= MAX_FIX_ALL_ROUNDS) break;
    const next = applyTextEdits(current, edits);
    if (seen.has(next)) break;
    seen.add(next);
    if (rounds === 0) firstEdits = edits;
    rounds += 1;
    fixes += round.fixes;
    current = next;
    round = safeFixRound(await relint(current));
    edits = round.edits;
  }
  const unsettled = edits.length > 0;
  if (rounds === 0) return { text, edits: [], rounds, fixes, unsettled };
  // One round: its own edits, as small as the fixes made them; more: a line diff of the whole change.
  return { text: current, edits: rounds === 1 && firstEdits ? firstEdits : diffEdits(text, current), rounds, fixes, unsettled };
}

/**
 * Builds `source.fixAll.vzconf`: every `safe` fix of the document's vzconf diagnostics, to the fixed point
 * (see {@link fixAllText}), as one edit of the document. Safe fixes cannot change what the node does beyond
 * what the user wrote (quoting, spacing, merging duplicates as vzctl reads them, removing what vzctl ignores
 * anyway); fixes that widen access or change limits are never included.
 *
 * Without `options` only one round is made (the caller cannot lint again).
 *
 * @param findings  the findings of the document's current text (with their fixes)
 * @param options.text    the document's text the findings are for
 * @param options.relint  lints another text of the document with the same settings and node
 * @returns the action, or undefined when there is no safe fix
 */
export async function computeFixAll(
  uri: string,
  findings: readonly Fixable[],
  options?: { text: string; relint: (text: string) => readonly Fixable[] | Promise<readonly Fixable[]> },
): Promise<LspFixAllAction | undefined> {
  const edits = options ? (await fixAllText(options.text, findings, options.relint)).edits : safeFixEdits(findings);
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safe vzconf problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } };
}

/** Start offsets of the LSP lines of `text` (a line ends at `\n`, `\r\n` or a lone `\r`). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i += 1;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Offset of an LSP position in `text` (clamped to its line and to the text). */
function offsetOf(text: string, starts: readonly number[], p: Position): number {
  if (p.line >= starts.length) return text.length;
  const start = starts[p.line] ?? 0;
  const next = p.line + 1 < starts.length ? (starts[p.line + 1] ?? text.length) : text.length;
  // The line's content ends before its terminator.
  let end = next;
  if (p.line + 1 < starts.length) {
    end -= 1;
    if (end > start && text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end -= 1;
  }
  return Math.min(start + p.character, end);
}

/**
 * `text` with non-overlapping LSP `edits` applied (positions of `text`). Edits at the same position are
 * applied in the order given.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const spans = edits
    .map((e, i) => ({ from: offsetOf(text, starts, e.range.start), to: offsetOf(text, starts, e.range.end), newText: e.newText, i }))
    .sort((a, b) => a.from - b.from || a.to - b.to || a.i - b.i);
  const parts: string[] = [];
  let at = 0;
  for (const s of spans) {
    const from = Math.max(s.from, at);
    parts.push(text.slice(at, from), s.newText);
    at = Math.max(at, s.to);
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The lines of `text` with their terminators (the last one may have none; an empty text has no lines). */
function linesWithEnds(text: string): string[] {
  const starts = lineStarts(text);
  const out: string[] = [];
  for (let k = 0; k < starts.length; k += 1) {
    const line = text.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : text.length);
    if (line !== '' || k + 1 < starts.length) out.push(line);
  }
  return out;
}

/** Most differing lines {@link diffEdits} matches line by line; beyond it the changed middle is one edit. */
const MAX_DIFF = 2000;

/**
 * Edits that turn `before` into `after`, line by line (Myers' O(ND) diff on lines with their terminators):
 * each run of changed lines becomes one edit, so the lines fix-all did not touch are not rewritten.
 */
export function diffEdits(before: string, after: string): TextEdit[] {
  const a = linesWithEnds(before);
  const b = linesWithEnds(after);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo += 1;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) {
    ea -= 1;
    eb -= 1;
  }
  const pos = (line: number): Position => {
    if (line < a.length || a.length === 0) return { line, character: 0 };
    // After the last line: the end of the text.
    const last = a[a.length - 1] ?? '';
    return /[\r\n]$/.test(last) ? { line: a.length, character: 0 } : { line: a.length - 1, character: last.length };
  };
  const hunk = (fromA: number, toA: number, fromB: number, toB: number): TextEdit => ({ range: { start: pos(fromA), end: pos(toA) }, newText: b.slice(fromB, toB).join('') });
  if (lo === ea && lo === eb) return [];
  const n = ea - lo;
  const m = eb - lo;
  const max = n + m;
  if (max > MAX_DIFF * 2) return [hunk(lo, ea, lo, eb)];
  // Myers: furthest-reaching paths per diagonal, with a trace to walk back.
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= Math.min(max, MAX_DIFF) && !found; d += 1) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[lo + x] === b[lo + y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [hunk(lo, ea, lo, eb)];
  // Walk back from (n, m): trace[d] is the state before step d; collect the matched (diagonal) lines.
  const matches: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const prev = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (prev[offset + k - 1] ?? 0) < (prev[offset + k + 1] ?? 0));
    const pk = down ? k + 1 : k - 1;
    const px = prev[offset + pk] ?? 0;
    const py = px - pk;
    while (x > px && y > py) {
      x -= 1;
      y -= 1;
      matches.push([x, y]);
    }
    if (d > 0) {
      x = px;
      y = py;
    }
  }
  matches.reverse();
  const edits: TextEdit[] = [];
  let ia = 0;
  let ib = 0;
  for (const [mx, my] of [...matches, [n, m] as [number, number]]) {
    if (mx > ia || my > ib) edits.push(hunk(lo + ia, lo + mx, lo + ib, lo + my));
    ia = mx + 1;
    ib = my + 1;
  }
  return edits;
}

// ------------------------------------------------------------------------------------------------
// Suppressions, rule docs, lightbulb order and "Copy as vzctl set command"

/** An LSP `Command`. */
export interface LspCommand {
  title: string;
  command: string;
  arguments?: unknown[];
}

/** A code action that runs a client command instead of editing (open a URL, copy text). */
export interface LspCommandAction {
  title: string;
  kind: string;
  diagnostics?: ContextDiagnostic[];
  command: LspCommand;
}

/** Client command (registered by the VS Code extension) that opens a URL: `https:` externally, `file:` in the editor. */
export const OPEN_URL_COMMAND = 'vzconf.openUrl';
/** Client command that copies its first argument to the clipboard. */
export const COPY_COMMAND = 'vzconf.copyToClipboard';
/** Code action kind of "Copy as vzctl set command". */
export const COPY_AS_VZCTL_SET_KIND = 'refactor.vzconf.vzctlSet';
/** The placeholder put after `--` in an inserted suppression comment. */
export const REASON_PLACEHOLDER = '<reason>';

/** A physical line of a text: its content and its terminator (`\n`, `\r\n`, `\r` or `''` on the last line). */
interface RawLine {
  text: string;
  eol: string;
}

function rawLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  out.push({ text: text.slice(start), eol: '' });
  return out;
}

/**
 * The line ending to use when inserting before line `n`: that line's own, else the file's first one, else
 * `\n`; never a lone CR, which vzctl and sh do not take for a line end (a comment ended by one would swallow
 * the line after it: `# vzconf-disable-next-line …\rCAPABILITY="…"` is one comment line for both).
 */
function eolAt(lines: readonly RawLine[], n: number): string {
  const ends = (eol: string): boolean => eol === '\n' || eol === '\r\n';
  const own = lines[n]?.eol ?? '';
  return ends(own) ? own : lines.find((l) => ends(l.eol))?.eol ?? '\n';
}

/** The rule id of a vzconf diagnostic (its `code`, or `data.rule`), when it names a rule of the catalogue. */
function ruleOf(d: ContextDiagnostic, hasRule: (id: string) => boolean): string | undefined {
  if (d.source !== 'vzconf') return undefined;
  const data = d.data as { rule?: unknown } | undefined;
  const id = typeof d.code === 'string' ? d.code : typeof data?.rule === 'string' ? data.rule : undefined;
  return id !== undefined && hasRule(id) ? id : undefined;
}

/** What {@link computeSuppressionActions} needs to know about the document. */
export interface SuppressionActionInput {
  uri: string;
  /** The document's text as the client has it. */
  text: string;
  diagnostics: readonly ContextDiagnostic[];
  range: Range;
  /** Whether a rule id exists (the catalogue's `hasRule`). */
  hasRule: (id: string) => boolean;
  /** The suppression comments already in the document (from `parseSuppressions`). */
  directives: readonly { line: number; scope: 'line' | 'file' | 'enable'; targetLine?: number; block?: BlockEnds; names: readonly { id: string; range: Range }[] }[];
  /** The parsed document (for its multi-line values); parsed from `text` with the classic dialect when absent. */
  doc?: ConfigDocument;
  /**
   * Whether `d` is a diagnostic of `text` as it is now (the language server matches it by range, rule and
   * message to the findings of the current version: {@link FindingIndex}). A client may send a diagnostic
   * with its old range after the text changed: a line or block action for it would go above whatever line
   * now has that number, so none is offered (the file action does not depend on where the finding is).
   * Absent: every diagnostic is taken as current.
   */
  isCurrent?: (d: ContextDiagnostic) => boolean;
}

/**
 * Rules that report on the file as a whole and anchor the finding on line 1 when no line is to blame
 * (`ubc-required` without any UBC line, the node's `node-memory-overcommit`): a comment inserted above
 * line 1 moves the anchor onto the comment itself, so only the file-wide action silences them there.
 */
const FILE_ANCHORED_RULES: ReadonlySet<string> = new Set(['ubc-required', 'node-memory-overcommit']);

const shellWordLines = new WeakMap<ConfigDocument, ReadonlySet<number>>();

/**
 * The (model) lines the shell reads as part of an earlier line's word: those of multi-line values
 * (`continuationLines`) and also those a quote or a final backslash swallows (`X=1\` takes in the next line,
 * which vzctl reads as a setting of its own, so it is no continuation line). A line inserted above one of them
 * would land inside that word (after `X=1\`, `sh -n` fails), so nothing is ever inserted there.
 */
function insideShellWord(doc: ConfigDocument): ReadonlySet<number> {
  const hit = shellWordLines.get(doc);
  if (hit) return hit;
  const model = new Set<number>(doc.continuationLines);
  let covered = -1;
  for (const e of doc.entries) {
    if (e.line <= covered || e.shell.endLine <= e.line) continue;
    for (let k = e.line + 1; k <= e.shell.endLine; k += 1) model.add(k);
    covered = e.shell.endLine;
  }
  let out = model;
  if (doc.editorLines !== undefined) {
    // In editor lines: those that start such a line, and every line after a lone CR (the middle of a
    // vzctl line: a line inserted there would split it).
    out = new Set<number>();
    for (const k of model) out.add(toEditorPosition(doc, { line: k, character: 0 }).line);
    for (let k = 0; k < doc.text.length; k += 1) {
      const first = toEditorPosition(doc, { line: k, character: 0 }).line;
      const next = k + 1 < doc.text.length ? toEditorPosition(doc, { line: k + 1, character: 0 }).line : first + (doc.text[k] ?? '').split('\r').length;
      for (let l = first + 1; l < next; l += 1) out.add(l);
    }
  }
  shellWordLines.set(doc, out);
  return out;
}

/**
 * Whether a `vzconf-disable-next-line` comment above `line` would silence diagnostic `d` of `rule`.
 * Not when the line lies inside a multi-line value (the comment would become part of the value), when
 * it is a suppression comment itself (next-line comments skip those), or when the finding is anchored
 * at the start of the file for the file as a whole (the comment would take the anchor's place).
 */
function lineActionWorks(d: ContextDiagnostic, rule: string, line: number, doc: ConfigDocument, directiveLines: ReadonlySet<number>): boolean {
  if (insideShellWord(doc).has(line) || directiveLines.has(line)) return false;
  if (line === 0 && d.range.start.character === 0) {
    const first = doc.lines[0];
    if (FILE_ANCHORED_RULES.has(rule)) return false;
    // An empty range at 0:0 (e.g. an internal error) or one on a comment / blank first line is about the file.
    if (d.range.end.line === 0 && d.range.end.character === 0) return false;
    if (first?.kind === 'comment' || first?.kind === 'blank') return false;
  }
  return true;
}

/**
 * Where a new `vzconf-disable` comment can go: the first line (the second when line 1 starts with a
 * byte-order mark, which must stay first), moved down past a multi-line value that line is inside.
 * `line === lines.length` means "after the last line".
 */
function fileCommentLine(lines: readonly RawLine[], doc: ConfigDocument): number {
  let n = lines[0]?.text.startsWith('\uFEFF') ? 1 : 0;
  const inside = insideShellWord(doc);
  while (n < lines.length && inside.has(n)) n += 1;
  return n;
}

/**
 * "Disable <rule> for this line" and "Disable <rule> for this file" for every vzconf diagnostic touching
 * `range` (one pair per rule); for a diagnostic over several lines the line action is "Disable <rule> for
 * lines A–B", a `vzconf-disable` … `vzconf-enable` block around them ({@link blockAction}). The line action inserts `# vzconf-disable-next-line <rule> -- <reason>`
 * above the diagnostic's first line, with that line's indentation and the file's line ending, or adds
 * `,<rule>` to a `vzconf-disable-next-line` comment already aimed at that line (not offered on a first
 * line that starts with a byte-order mark); the file action adds `# vzconf-disable <rule> -- <reason>`
 * at the top (below the first line when the file starts with a byte-order mark, which must stay first)
 * or `,<rule>` to the first existing `vzconf-disable` comment. Nothing is ever inserted inside a
 * multi-line value (the shell would read the comment as part of it): for a finding on a continuation line,
 * on a suppression comment (`unknown-suppression`), or anchored at the start of the file for the whole
 * file (`ubc-required` without UBC lines), only the file action is offered, since a line comment would not
 * silence it. So too for a diagnostic that is no longer one of the text (`isCurrent` false: a range the
 * client kept from before an edit) or whose line is gone: no line or block action goes by a stale line number.
 */
export function computeSuppressionActions(input: SuppressionActionInput): LspCodeAction[] {
  const lines = rawLines(input.text);
  const doc = input.doc ?? parseConfig(input.text, { dialect: 'classic' });
  // Diagnostics and edits are in editor coordinates; the directives (and the model) count vzctl's lines,
  // which differ after a lone CR: map them, as findings are mapped.
  const directives = doc.editorLines === undefined ? input.directives : input.directives.map((x) => ({
    ...x,
    line: toEditorPosition(doc, { line: x.line, character: 0 }).line,
    ...(x.targetLine !== undefined ? { targetLine: toEditorPosition(doc, { line: x.targetLine, character: 0 }).line } : {}),
    names: x.names.map((n) => ({ id: n.id, range: toEditorRange(doc, n.range) })),
  }));
  const directiveLines = new Set(directives.map((x) => x.line));
  const doneLine = new Set<string>();
  const doneFile = new Set<string>();
  const lineActions: LspCodeAction[] = [];
  const fileActions: LspCodeAction[] = [];
  const append = (names: readonly { id: string; range: Range }[], rule: string): TextEdit | undefined => {
    const last = names[names.length - 1];
    if (!last || names.some((n) => n.id === rule)) return undefined;
    return { range: { start: last.range.end, end: last.range.end }, newText: `,${rule}` };
  };
  /** "Disable <rule> for this file" (at most one per rule): where it goes does not depend on `d`'s range. */
  const fileAction = (d: ContextDiagnostic, rule: string): LspCodeAction[] => {
    doneFile.add(rule);
    // A vzconf-disable that opens a block (a vzconf-enable below names one of its rules) is no place for a
    // rule meant for the whole file, and a rule silenced by a block is not silenced in the whole file.
    const existing = directives.find((x) => x.scope === 'file' && x.names.length > 0 && (x.block?.size ?? 0) === 0);
    let edit = existing ? append(existing.names, rule) : undefined;
    if (!edit && !directives.some((x) => x.scope === 'file' && x.names.some((n) => n.id === rule && x.block?.has(rule) !== true))) {
      const comment = `# vzconf-disable ${rule} -- ${REASON_PLACEHOLDER}`;
      const n = fileCommentLine(lines, doc);
      if (n < lines.length) {
        // Above line n (line 1, or below a byte-order mark's line, which must stay first, or below a multi-line value).
        edit = { range: { start: { line: n, character: 0 }, end: { line: n, character: 0 } }, newText: `${comment}${eolAt(lines, n)}` };
      } else {
        const last = lines.length - 1;
        const end = (lines[last]?.text ?? '').length;
        edit = { range: { start: { line: last, character: end }, end: { line: last, character: end } }, newText: `${eolAt(lines, last)}${comment}` };
      }
    }
    return edit ? [{ title: `Disable ${rule} for this file`, kind: 'quickfix', diagnostics: [d], edit: { changes: { [input.uri]: [edit] } } }] : [];
  };
  for (const d of input.diagnostics) {
    if (!isRange(d.range) || !touches(d.range, input.range)) continue;
    const rule = ruleOf(d, input.hasRule);
    if (!rule) continue;
    const line = d.range.start.line;
    if (line >= lines.length || (input.isCurrent !== undefined && !input.isCurrent(d))) {
      // Not (or no longer) a diagnostic of this text: no line action; the file action is still right.
      if (!doneFile.has(rule)) for (const a of fileAction(d, rule)) fileActions.push(a);
      continue;
    }
    // The finding's last line (a range ending at the start of a line ends on the line before).
    const lastLine = d.range.end.line > line && d.range.end.character === 0 ? d.range.end.line - 1 : Math.max(line, d.range.end.line);
    if (lastLine > line) {
      // Several lines (a run of duplicates, a multi-line value): a next-line comment would name one line and
      // silence them all, so a block that says which lines it covers: vzconf-disable above, vzconf-enable below.
      if (!doneLine.has(`${rule}\0${line}`) && lineActionWorks(d, rule, line, doc, directiveLines)) {
        doneLine.add(`${rule}\0${line}`);
        const action = blockAction(input.uri, lines, doc, d, rule, line, lastLine);
        if (action) lineActions.push(action);
      }
    } else if (!doneLine.has(`${rule}\0${line}`) && lineActionWorks(d, rule, line, doc, directiveLines)) {
      doneLine.add(`${rule}\0${line}`);
      const existing = directives.find((x) => x.scope === 'line' && x.targetLine === line && x.line === line - 1);
      let edit = existing ? append(existing.names, rule) : undefined;
      const text = lines[line]?.text ?? '';
      // Before a byte-order mark a comment would not be one (the mark glues to it): no line action there.
      const bomLine = line === 0 && text.startsWith('\uFEFF');
      // After a lone CR the editor's line is the middle of vzctl's and sh's: a comment there would end
      // the line before it with `# vzconf-disable…` (part of that line's value) and silence nothing.
      const midLine = line > 0 && lines[line - 1]?.eol === '\r';
      if (!edit && !bomLine && !midLine && !existing?.names.some((n) => n.id === rule)) {
        const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
        const at = { line, character: 0 };
        edit = { range: { start: at, end: at }, newText: `${indent}# vzconf-disable-next-line ${rule} -- ${REASON_PLACEHOLDER}${eolAt(lines, line)}` };
      }
      if (edit) lineActions.push({ title: `Disable ${rule} for this line`, kind: 'quickfix', diagnostics: [d], edit: { changes: { [input.uri]: [edit] } } });
    }
    if (!doneFile.has(rule)) for (const a of fileAction(d, rule)) fileActions.push(a);
  }
  // Several lines with the same rule in the requested range: say which line each action is for.
  const count = new Map<string, number>();
  for (const a of lineActions) count.set(a.title, (count.get(a.title) ?? 0) + 1);
  for (const a of lineActions) {
    if ((count.get(a.title) ?? 0) > 1) a.title = `${a.title.replace(/ for this line$/, '')} for line ${(a.diagnostics[0]?.range.start.line ?? 0) + 1}`;
  }
  return [...lineActions, ...fileActions];
}

/**
 * "Disable RULE for lines A–B" for diagnostic `d` over lines `first` to `last` (0-based editor lines, `last`
 * after `first`): `# vzconf-disable RULE -- <reason>` above `first` and `# vzconf-enable RULE` below `last`,
 * with `first`'s indentation and the file's line ending. Undefined where the comments cannot go: before a
 * byte-order mark, after a lone CR (the editor's lines are not vzctl's there), or when the line below `last`
 * is inside a multi-line value (the shell would read the comment as part of it).
 */
function blockAction(uri: string, lines: readonly RawLine[], doc: ConfigDocument, d: ContextDiagnostic, rule: string, first: number, last: number): LspCodeAction | undefined {
  if (doc.editorLines !== undefined || last >= lines.length) return undefined;
  const text = lines[first]?.text ?? '';
  if (first === 0 && text.startsWith('\uFEFF')) return undefined;
  if (insideShellWord(doc).has(last + 1)) return undefined;
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const start = { line: first, character: 0 };
  const open: TextEdit = { range: { start, end: start }, newText: `${indent}# vzconf-disable ${rule} -- ${REASON_PLACEHOLDER}${eolAt(lines, first)}` };
  const close: TextEdit = last + 1 < lines.length
    ? { range: { start: { line: last + 1, character: 0 }, end: { line: last + 1, character: 0 } }, newText: `${indent}# vzconf-enable ${rule}${eolAt(lines, last + 1)}` }
    : { range: { start: { line: last, character: (lines[last]?.text ?? '').length }, end: { line: last, character: (lines[last]?.text ?? '').length } }, newText: `${eolAt(lines, last)}${indent}# vzconf-enable ${rule}` };
  return { title: `Disable ${rule} for lines ${first + 1}–${last + 1}`, kind: 'quickfix', diagnostics: [d], edit: { changes: { [uri]: [open, close] } } };
}

/** A KB article to offer: id, title and URL. */
export interface KbLink {
  id: number;
  title: string;
  url: string;
}

/** Client command (registered by the VS Code extension) that opens a rule's bundled docs page in the Markdown preview; argument: the rule id. */
export const OPEN_RULE_DOCS_COMMAND = 'vzconf.openRuleDocs';

/**
 * The rule the lightbulb's "Disable…" pair and "Learn more" entry are for: that of the first vzconf
 * diagnostic touching `range` (VS Code sends the diagnostics under the cursor, most severe first).
 */
export function primaryRule(diagnostics: readonly ContextDiagnostic[], range: Range, hasRule: (id: string) => boolean): string | undefined {
  for (const d of diagnostics) {
    if (!isRange(d.range) || !touches(d.range, range)) continue;
    const rule = ruleOf(d, hasRule);
    if (rule) return rule;
  }
  return undefined;
}

/** What {@link computeLinkActions} needs. */
export interface LinkActionInput {
  diagnostics: readonly ContextDiagnostic[];
  range: Range;
  hasRule: (id: string) => boolean;
  /** URL of a rule's documentation page (a file: URL of the bundled page). */
  docsUrl: (rule: string) => string;
  /**
   * The client command that opens a rule's docs page rendered ({@link OPEN_RULE_DOCS_COMMAND}, when the
   * client said it has one); without it the action runs {@link OPEN_URL_COMMAND} with `docsUrl(rule)`.
   */
  docsCommand?: string;
}

/**
 * One "Learn more about <rule>" entry for the {@link primaryRule} of the diagnostics touching `range`:
 * the rule's docs page, which explains the finding and names the KB articles (the hover links each of
 * them). It carries a client command; nothing is edited. Empty when no vzconf rule is under the range.
 */
export function computeLinkActions(input: LinkActionInput): LspCommandAction[] {
  const rule = primaryRule(input.diagnostics, input.range, input.hasRule);
  if (!rule) return [];
  const d = input.diagnostics.find((x) => isRange(x.range) && touches(x.range, input.range) && ruleOf(x, input.hasRule) === rule);
  const title = `Learn more about ${rule}`;
  const command: LspCommand = input.docsCommand
    ? { title, command: input.docsCommand, arguments: [rule] }
    : { title, command: OPEN_URL_COMMAND, arguments: [input.docsUrl(rule)] };
  return [{ title, kind: 'quickfix', ...(d ? { diagnostics: [d] } : {}), command }];
}

/**
 * The lightbulb in the order users of vscode-eslint expect: the rules' own fixes first (a preferred one
 * before the others), then at most one "Disable <rule> for this line / file" pair (for the
 * {@link primaryRule}), then the one "Learn more" entry. Other actions keep their relative order.
 */
export function orderLightbulb<T extends { title: string; isPreferred?: boolean }>(fixes: readonly T[], suppressions: readonly T[], learnMore: readonly T[], rule: string | undefined): T[] {
  const preferred = fixes.filter((a) => a.isPreferred === true);
  const others = fixes.filter((a) => a.isPreferred !== true);
  const pair = rule === undefined ? [] : suppressions.filter((a) => a.title.startsWith(`Disable ${rule} for `)).slice(0, 2);
  return [...preferred, ...others, ...pair, ...learnMore];
}

/** The title of the action that copies a line as a `vzctl set` command (plain text: no Markdown). */
export const COPY_AS_VZCTL_SET_TITLE = 'Copy as vzctl set command';

/** "Copy as vzctl set command" for a command line computed by `vzctlSetCommand`. */
export function copyAsVzctlSetAction(command: string): LspCommandAction {
  const title = COPY_AS_VZCTL_SET_TITLE;
  return { title, kind: COPY_AS_VZCTL_SET_KIND, command: { title, command: COPY_COMMAND, arguments: [command] } };
}

/** Whether an action of `kind` is wanted by a request's `context.only` (absent: every kind). */
export function kindWanted(kind: string, only: readonly string[] | undefined): boolean {
  return only === undefined || only.length === 0 || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}
