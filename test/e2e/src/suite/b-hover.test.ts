/** (b) Hover on a key explains it and links its Knowledge Base article. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, open, waitFor, waitForDiagnostics } from './helpers';

describe('(b) hover', () => {
  it('hover on NETFILTER contains the KB 126787 link', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    await waitForDiagnostics(doc.uri, 'the first lint', (ds) => ds.length > 0);
    assert.match(doc.lineAt(8).text, /^NETFILTER=/);
    let last = '';
    const text = await waitFor(
      'a hover with a KB link on NETFILTER (line 9)',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 3));
        last = hoverText(hovers ?? []);
        return /kb\.virtuozzo\.com\/126787/.test(last) ? last : undefined;
      },
      20_000,
      () => `hover: ${last ? last.slice(0, 300) : '(none)'}`,
    );
    assert.match(text, /NETFILTER/);
    assert.match(text, /\[KB 126787[^\]]*\]\(https:\/\/kb\.virtuozzo\.com\/126787\)/);
  });
});
