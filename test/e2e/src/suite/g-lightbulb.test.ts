/** (g) The lightbulb: the rule's fix first, one Disable pair, one "Learn more"; plain-text titles. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, has, open, waitFor, waitForDiagnostics } from './helpers';

describe('(g) lightbulb', () => {
  it('on KMEMSIZE (barrier above limit): the fixes, then Disable for this line / file, then one Learn more; no KB entries', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    const ds = await waitForDiagnostics(doc.uri, 'barrier-above-limit on line 5', (ds) => has(ds, 'barrier-above-limit', 4));
    const diag = ds.find((d) => codeOf(d) === 'barrier-above-limit')!;
    let titles: string[] = [];
    await waitFor(
      'quick fixes, the Disable pair and Learn more',
      async () => {
        const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
        titles = (actions ?? []).map((a) => a.title);
        return titles.some((t) => t.startsWith('Learn more'));
      },
      20_000,
      () => titles.join(' | '),
    );
    const disable = titles.findIndex((t) => t.startsWith('Disable '));
    assert.ok(disable >= 1, `at least one fix before the Disable pair: ${titles.join(' | ')}`);
    assert.deepEqual(titles.slice(disable), ['Disable barrier-above-limit for this line', 'Disable barrier-above-limit for this file', 'Learn more about barrier-above-limit']);
    assert.ok(titles.slice(0, disable).every((t) => !/^(Disable|Learn more|Open)/.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => /KB article/.test(t)), 'no entry per KB article');
    for (const t of titles) assert.doesNotMatch(t, /[`*]/, `plain text: ${t}`);
  });
});
