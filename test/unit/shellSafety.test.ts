/**
 * Safe fixes never change how sh reads a multi-line value (server/src/service/shellSafety.ts): vzctl reads
 * each line alone, the shell that sources the file reads a quoted value or a backslash-continued word across
 * lines. A fix that removes a line inside such a word, or its first line without the rest, is kept but
 * marked unsafe; one that removes the whole word, or touches no word, stays safe.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, lint, type LintOptions } from '../../server/src/service/lint';
import { cutsShellWord, shellWords } from '../../server/src/service/shellSafety';
import type { Fix } from '../../server/src/rules/types';
import { applyEdits } from '../helpers/edits';

const CT = '/etc/vz/conf/101.conf';
const VZ = '/etc/vz/vz.conf';

/** The fixes of the first finding of `rule` on 0-based `line`. */
function fixesOn(text: string, rule: string, line: number, opts: LintOptions): Fix[] {
  const f = lint(text, opts).findings.find((x) => x.rule === rule && x.range.start.line === line);
  assert.ok(f, `no ${rule} on line ${line + 1}`);
  return f.fixes ?? [];
}

describe('safe fixes and multi-line shell words', () => {
  it('removing a vz.conf line that a backslash joins to the line above is unsafe (sh reads them as one word)', () => {
    const joined = 'HOSTNAME=e\\\nNETFILTER="full"\nVE_ROOT=/vz/root/$VEID\n';
    const [fix] = fixesOn(joined, 'misplaced-parameter', 1, { path: VZ, target: 'classic@4.11.1' });
    assert.equal(fix?.title, 'Remove NETFILTER from vz.conf');
    assert.equal(fix?.safe, false);
    // The same line without the backslash above: the fix is safe, as always.
    const plain = 'HOSTNAME=e\nNETFILTER="full"\nVE_ROOT=/vz/root/$VEID\n';
    assert.equal(fixesOn(plain, 'misplaced-parameter', 1, { path: VZ, target: 'classic@4.11.1' })[0]?.safe, true);
  });

  it('removing the first line of a quoted value that goes on to the next line is unsafe (Virtuozzo 7 duplicate)', () => {
    const text = 'DESCRIPTION="multi\nDESCRIPTION="multi\nHOSTNAME="a"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';
    const [fix] = fixesOn(text, 'duplicate-parameter', 0, { path: CT, target: 'vz7' });
    assert.equal(fix?.safe, false);
    // Applied, it would leave an unterminated quote for sh: that is what "unsafe" guards.
    const after = applyEdits(text, fix?.edits ?? []);
    assert.equal(after.split('"').length % 2, 0, 'an odd number of quotes is left');
  });

  it('removing a whole multi-line value stays safe', () => {
    const text = 'DESCRIPTION="one\ntwo"\nDESCRIPTION="three"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';
    const [fix] = fixesOn(text, 'duplicate-parameter', 0, { path: CT, target: 'vz7' });
    assert.equal(fix?.safe, true);
    assert.equal(applyEdits(text, fix?.edits ?? []), 'DESCRIPTION="three"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n');
  });

  it('finds the word an edit reaches among many (binary search): only edits inside a word cut it', () => {
    // 300 two-line values, each followed by a comment: words at lines [3k, 3k+1].
    const text = 'DESCRIPTION="a\nb"\n# c\n'.repeat(300);
    const ctx = analyze(text, { path: CT, target: 'vz7' });
    const words = shellWords(ctx);
    assert.equal(words.length, 300);
    const del = (from: number, to: number) => ({ start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } });
    const insert = (k: number) => ({ start: { line: k, character: 0 }, end: { line: k, character: 0 } });
    for (const k of [0, 150, 299]) {
      const s = 3 * k;
      assert.equal(cutsShellWord(ctx, del(s, s + 1), words), false, `whole word at ${s}`);
      assert.equal(cutsShellWord(ctx, del(s + 2, s + 2), words), false, `comment after word at ${s}`);
      assert.equal(cutsShellWord(ctx, del(s + 1, s + 1), words), true, `second line of word at ${s}`);
      assert.equal(cutsShellWord(ctx, del(s, s), words), true, `first line alone of word at ${s}`);
      assert.equal(cutsShellWord(ctx, del(s + 1, s + 2), words), true, `second line and the comment at ${s}`);
      assert.equal(cutsShellWord(ctx, insert(s + 1), words), true, `insertion inside word at ${s}`);
      assert.equal(cutsShellWord(ctx, insert(s), words), false, `insertion before word at ${s}`);
    }
  });
});
