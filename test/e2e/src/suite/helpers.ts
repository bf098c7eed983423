/** Shared helpers for the in-host e2e suites: fixture paths, bounded waits, diagnostics access. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The copied fixture workspace the run opened (test/e2e/fixtures/workspace, copied per run). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the launcher must open the fixture workspace');
  return folder.uri;
}

/**
 * Records a measured figure of the run (name → value and unit) in `metrics.json` of the run directory
 * (`VZCONF_E2E_RUN_DIR`); run.mjs prints them in its summary. Not asserted: the machines are shared.
 */
export function reportMetric(name: string, value: number, unit: string): void {
  const runDir = process.env.VZCONF_E2E_RUN_DIR;
  if (!runDir) return;
  const file = path.join(runDir, 'metrics.json');
  const metrics = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) as Record<string, { value: number; unit: string }>;
  metrics[name] = { value, unit };
  fs.writeFileSync(file + '.tmp', JSON.stringify(metrics, null, 2));
  fs.renameSync(file + '.tmp', file);
  fs.appendFileSync(path.join(runDir, 'progress.log'), `  metric ${name}: ${value} ${unit}\n`);
}

/** URI of a fixture file, e.g. `fixture('etc/vz/conf/101.conf')`. */
export function fixture(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** Opens a fixture in an editor and checks VS Code gave it the vzconf language. */
export async function open(relative: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixture(relative));
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.equal(doc.languageId, 'vzconf', `${relative} should be detected as vzconf`);
  return doc;
}

/** Reverts unsaved edits of the active editor (tests edit fixtures in memory only). */
export async function revertActive(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** The rule id of a diagnostic: its `code`, plain or `{ value, target }`. */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** The diagnostics vzconf published for a document. */
export function vzDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'vzconf');
}

/** One line per diagnostic, for failure messages. */
export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${codeOf(d)} ${d.message.slice(0, 80)}`)
    .join('\n  ');
}

/**
 * Polls `probe` every 100 ms until it returns a value other than `undefined` / `false`, and returns
 * it. Every wait is bounded: after `timeoutMs` it throws, naming what was awaited and what was last
 * seen (`describe()`), so a failure says why.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = describe ? `\n  last seen:\n  ${describe()}` : '';
      const err = lastError ? `\n  last error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until vzconf has published diagnostics for `uri` that satisfy `ok`, and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  ok: (ds: vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => {
      const ds = vzDiagnostics(uri);
      return ok(ds) ? ds : undefined;
    },
    timeoutMs,
    () => describeDiagnostics(vzDiagnostics(uri)),
  );
}

/** Whether `ds` has a diagnostic with rule `code` on 0-based `line` (and `severity` when given). */
export function has(ds: readonly vscode.Diagnostic[], code: string, line: number, severity?: vscode.DiagnosticSeverity): boolean {
  return ds.some((d) => codeOf(d) === code && d.range.start.line === line && (severity === undefined || d.severity === severity));
}

/** Text of hover contents (markdown strings and marked strings). */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** Label text of a completion item. */
export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
