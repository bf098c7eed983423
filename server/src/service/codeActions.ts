/**
 * Quick fixes for vzconf diagnostics. Pure: the fixes travel in each diagnostic's `data`
 * (see `toDiagnostic` in ./diagnostics), so nothing is re-parsed here.
 *
 * Structural LSP types only; this module does not depend on vscode-languageserver.
 */
import type { Position, Range } from '../parser/types';
import type { TextEdit } from '../rules/types';

/**
 * A diagnostic as it comes back from the client in `CodeActionParams.context.diagnostics`.
 * Only diagnostics with `source: "vzconf"` and a `data.fixes` array are used; everything else
 * (other linters' diagnostics, clients that drop `data`) is tolerated and ignored.
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

interface FixShape {
  title: string;
  edits: TextEdit[];
  safe: boolean;
}

function isPosition(p: unknown): p is Position {
  return (
    typeof p === 'object' && p !== null &&
    Number.isSafeInteger((p as Position).line) && (p as Position).line >= 0 &&
    Number.isSafeInteger((p as Position).character) && (p as Position).character >= 0
  );
}

function isRange(r: unknown): r is Range {
  return typeof r === 'object' && r !== null && isPosition((r as Range).start) && isPosition((r as Range).end);
}

function isTextEdit(e: unknown): e is TextEdit {
  return typeof e === 'object' && e !== null && isRange((e as TextEdit).range) && typeof (e as TextEdit).newText === 'string';
}

/** Fixes carried by a diagnostic's `data`, keeping only well-formed ones (data comes back from the client). */
function fixesOf(d: ContextDiagnostic): FixShape[] {
  if (d.source !== 'vzconf') return [];
  const data = d.data;
  if (typeof data !== 'object' || data === null) return [];
  const fixes = (data as { fixes?: unknown }).fixes;
  if (!Array.isArray(fixes)) return [];
  return fixes.filter((f): f is FixShape =>
    typeof f === 'object' && f !== null &&
    typeof (f as FixShape).title === 'string' &&
    Array.isArray((f as FixShape).edits) && (f as FixShape).edits.length > 0 &&
    (f as FixShape).edits.every(isTextEdit));
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
 * whose `data.fixes` is non-empty, returns one CodeAction per fix, in the order of the diagnostics
 * and of their fixes: kind `"quickfix"`, title = the fix's title, `diagnostics: [d]`, and
 * `edit: { changes: { [uri]: fix.edits } }`. The only fix of a diagnostic is marked `isPreferred`
 * when it is `safe` (VS Code's Auto Fix applies preferred fixes unseen). Diagnostics from other sources, or without usable `data`, are ignored.
 *
 * @param uri          the document's URI, as sent by the client (used as the key of `changes`)
 * @param diagnostics  `CodeActionParams.context.diagnostics` (diagnostics previously published by this server, among others)
 * @param range        `CodeActionParams.range` (0-based lines, UTF-16 columns)
 * @returns the code actions (empty when there is nothing to fix)
 */
export function computeCodeActions(uri: string, diagnostics: readonly ContextDiagnostic[], range: Range): LspCodeAction[] {
  const actions: LspCodeAction[] = [];
  for (const d of diagnostics) {
    if (!isRange(d.range) || !touches(d.range, range)) continue;
    const fixes = fixesOf(d);
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
 * Builds `source.fixAll.vzconf`: every `safe` fix of the document's vzconf diagnostics in one edit.
 * Safe fixes cannot change what the node does beyond what the user wrote (quoting, spacing, merging
 * duplicates as vzctl reads them, removing what vzctl ignores anyway); fixes that widen access or
 * change limits are never included. Fixes are taken in document order and one whose edits would
 * touch an edit already taken is left for the next run, so the result never has overlapping edits.
 *
 * @param diagnostics  the diagnostics last published for the document (with `data.fixes`)
 * @returns the action, or undefined when there is no safe fix
 */
export function computeFixAll(uri: string, diagnostics: readonly ContextDiagnostic[]): LspFixAllAction | undefined {
  const taken: Range[] = [];
  const edits: TextEdit[] = [];
  const sorted = [...diagnostics].filter((d) => isRange(d.range)).sort((a, b) => compare(a.range.start, b.range.start));
  for (const d of sorted) {
    const fix = fixesOf(d).find((f) => f.safe === true);
    if (!fix) continue;
    const clash = fix.edits.some((e) => taken.some((t) => touches(t, e.range)));
    if (clash) continue;
    for (const e of fix.edits) {
      taken.push(e.range);
      edits.push({ range: e.range, newText: e.newText });
    }
  }
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safe vzconf problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } };
}
