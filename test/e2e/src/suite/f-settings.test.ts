/** (f) The `vzconf.rules` setting changes a rule's severity (and turns it off). */
import * as vscode from 'vscode';
import { codeOf, has, open, waitForDiagnostics } from './helpers';

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

describe('(f) settings', () => {
  const config = () => vscode.workspace.getConfiguration('vzconf', vscode.workspace.workspaceFolders?.[0]);

  after(async () => {
    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('vzconf.rules {"barrier-above-limit": "error"} turns the warning into an error, "off" removes it, unset restores it', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    await waitForDiagnostics(doc.uri, 'barrier-above-limit as a warning (line 5)', (ds) => has(ds, 'barrier-above-limit', 4, W));

    await config().update('rules', { 'barrier-above-limit': 'error' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(doc.uri, 'barrier-above-limit as an error', (ds) => has(ds, 'barrier-above-limit', 4, E));

    await config().update('rules', { 'barrier-above-limit': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(
      doc.uri,
      'barrier-above-limit off (other findings kept)',
      (ds) => !ds.some((d) => codeOf(d) === 'barrier-above-limit') && has(ds, 'duplicate-parameter', 12),
    );

    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(doc.uri, 'barrier-above-limit back to a warning', (ds) => has(ds, 'barrier-above-limit', 4, W));
  });
});
