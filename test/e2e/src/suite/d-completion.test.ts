/** (d) Completion inside NETFILTER="" offers the NETFILTER modes. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { labelOf, open, waitFor, waitForDiagnostics } from './helpers';

const MODES = ['disabled', 'stateless', 'stateful', 'full'];

describe('(d) completion', () => {
  it('NETFILTER="|" offers disabled, stateless, stateful and full', async () => {
    const doc = await open('etc/vz/conf/104.conf');
    await waitForDiagnostics(doc.uri, 'the first lint', (ds) => ds.length > 0);
    assert.equal(doc.lineAt(6).text, 'NETFILTER=""');
    const position = new vscode.Position(6, 'NETFILTER="'.length);
    let labels: string[] = [];
    await waitFor(
      'completion items for every NETFILTER mode',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
        labels = (list?.items ?? []).map(labelOf);
        return MODES.every((m) => labels.some((l) => l.replace(/"/g, '') === m));
      },
      20_000,
      () => `labels: ${JSON.stringify(labels.slice(0, 30))}`,
    );
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
    const full = list.items.find((i) => labelOf(i).replace(/"/g, '') === 'full');
    assert.ok(full, 'the full mode is offered');
  });
});
