/** (c) The IPTABLES → NETFILTER quick fix applies and its diagnostic goes away. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, describeDiagnostics, has, open, revertActive, vzDiagnostics, waitFor, waitForDiagnostics } from './helpers';

describe('(c) quick fix', () => {
  after(revertActive);

  it('IPTABLES with NAT modules in a CT config is replaced by NETFILTER="full" and deprecated-parameter goes away', async () => {
    const doc = await open('etc/vz/conf/102.conf');
    const ds = await waitForDiagnostics(doc.uri, 'deprecated-parameter on IPTABLES (line 7)', (ds) => has(ds, 'deprecated-parameter', 6));
    const diag = ds.find((d) => codeOf(d) === 'deprecated-parameter')!;

    let seen: string[] = [];
    const action = await waitFor(
      'a quick fix for deprecated-parameter that writes NETFILTER',
      async () => {
        const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          diag.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        seen = (actions ?? []).map((a) =>
          'kind' in a ? `[${a.kind?.value}] ${a.title} (for ${(a.diagnostics ?? []).map(codeOf).join(',') || 'no diagnostic'})` : `[command] ${a.title}`,
        );
        return (actions ?? []).find(
          (a): a is vscode.CodeAction =>
            // vscode.executeCodeActionProvider does not convert CodeAction.diagnostics back (it is
            // always empty here), so the fix is recognised by kind and title.
            'kind' in a && a.kind !== undefined && vscode.CodeActionKind.QuickFix.contains(a.kind) && /^Use NETFILTER=/.test(a.title),
        );
      },
      20_000,
      () => `code actions: ${seen.length ? seen.join('; ') : '(none)'}`,
    );
    assert.ok(action.edit, `the quick fix "${action.title}" carries a WorkspaceEdit`);
    assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit succeeded');
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));

    // "full" is what the NAT modules need; the fix says so in a suppression, so no new finding appears.
    assert.match(doc.lineAt(6).text, /^# vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules \(iptable_nat, ipt_REDIRECT\)$/);
    assert.equal(doc.lineAt(7).text, 'NETFILTER="full"');
    assert.doesNotMatch(doc.getText(), /^IPTABLES=/m);
    const after = await waitForDiagnostics(doc.uri, 'deprecated-parameter to go away after the fix', (ds) => !ds.some((d) => codeOf(d) === 'deprecated-parameter'));
    // The fix's own result raises nothing: no error and no netfilter-full info.
    assert.deepEqual(after.map(codeOf), [], `nothing after the fix:\n  ${describeDiagnostics(vzDiagnostics(doc.uri))}`);
  });
});
