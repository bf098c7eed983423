/**
 * (h) Problems that stay true: the workspace lint's results stay after a file is closed and follow a
 * target change for files that are not open; the rule link of a diagnostic opens the rendered docs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fixture, has, open, waitFor, waitForDiagnostics } from './helpers';

describe('(h) Problems that stay true', () => {
  const config = () => vscode.workspace.getConfiguration('vzconf', vscode.workspace.workspaceFolders?.[0]);
  after(async () => {
    await config().update('target', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('"Lint all configs in workspace" reports a file that was never opened', async () => {
    // (Closing a file is checked in the UI tier: documents opened through the API stay open for minutes.)
    const never = fixture('etc/vz/conf/105.conf');
    await vscode.commands.executeCommand('vzconf.lintWorkspace');
    await waitForDiagnostics(never, 'deprecated-parameter on the never-opened 105.conf', (ds) => has(ds, 'deprecated-parameter', 6));
  });

  it('a target change re-checks closed files: IPTABLES is current on vzctl 4.6, deprecated again on the default', async () => {
    const never = fixture('etc/vz/conf/105.conf');
    await waitForDiagnostics(never, 'deprecated-parameter on 105.conf', (ds) => has(ds, 'deprecated-parameter', 6));
    await config().update('target', 'classic@4.6', vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(never, '105.conf re-checked against classic@4.6 (no deprecated-parameter)', (ds) => !ds.some((d) => codeOf(d) === 'deprecated-parameter'));
    await config().update('target', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(never, '105.conf back on vzctl 4.11.1', (ds) => has(ds, 'deprecated-parameter', 6));
  });

  it('the rule link of a diagnostic runs vzconf.openRuleDocs, which shows the bundled page in the Markdown preview', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    const ds = await waitForDiagnostics(doc.uri, 'barrier-above-limit', (ds) => has(ds, 'barrier-above-limit', 4));
    const code = ds.find((d) => codeOf(d) === 'barrier-above-limit')!.code;
    assert.ok(typeof code === 'object' && code.target instanceof vscode.Uri, 'the code carries a link');
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'vzconf.openRuleDocs');
    assert.deepEqual(JSON.parse(decodeURIComponent(code.target.query)), ['barrier-above-limit']);
    await vscode.commands.executeCommand(code.target.path, ...(JSON.parse(decodeURIComponent(code.target.query)) as unknown[]));
    const tab = await waitFor(
      'a Markdown preview of barrier-above-limit.md',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /barrier-above-limit/.test(t.label) && !(t.input instanceof vscode.TabInputText)),
      20_000,
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', '),
    );
    await vscode.window.tabGroups.close(tab);
  });
});
