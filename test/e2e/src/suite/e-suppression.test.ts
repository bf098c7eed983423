/** (e) A `# vzconf-disable-next-line <rule> -- reason` comment removes that diagnostic. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, has, open, revertActive, waitForDiagnostics } from './helpers';

describe('(e) suppression comment', () => {
  after(revertActive);

  it('# vzconf-disable-next-line barrier-above-limit -- reason silences KMEMSIZE only', async () => {
    const doc = await open('etc/vz/conf/103.conf');
    await waitForDiagnostics(
      doc.uri,
      'barrier-above-limit on KMEMSIZE (line 6) and duplicate-parameter (line 9)',
      (ds) => has(ds, 'barrier-above-limit', 5) && has(ds, 'duplicate-parameter', 8),
    );
    assert.match(doc.lineAt(5).text, /^KMEMSIZE=/);

    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(5, 0), '# vzconf-disable-next-line barrier-above-limit -- e2e: accepted for this test\n');
    assert.ok(await vscode.workspace.applyEdit(edit));

    // Wait for the lint of the edited text (the duplicate moved down one line), then check.
    const ds = await waitForDiagnostics(
      doc.uri,
      'the re-lint after the comment: duplicate-parameter on line 10 and no barrier-above-limit',
      (ds) => has(ds, 'duplicate-parameter', 9) && !ds.some((d) => codeOf(d) === 'barrier-above-limit'),
    );
    // The suppression itself is accepted: nothing is reported on the comment line.
    assert.equal(ds.filter((d) => d.range.start.line === 5).length, 0, 'no finding on the suppression comment');
    // Other rules are not silenced.
    assert.ok(has(ds, 'duplicate-parameter', 9));
  });
});
