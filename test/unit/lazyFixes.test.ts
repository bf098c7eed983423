/**
 * Fixes built on first read (server/src/rules/finding.ts): duplicate-parameter's findings carry no fix
 * objects until asked, and every path that copies or reads findings still gets the same fixes a plain
 * finding would have — a severity override, an unverified cap, a lone CR, a template, vzlint --fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyFinding, LazyFixFinding } from '../../server/src/rules/finding';
import { lint } from '../../server/src/service/lint';
import { applyEdits } from '../helpers/edits';

const CT = '/etc/vz/conf/101.conf';
const TEXT = 'HOSTNAME="a"\nHOSTNAME="b"\nONBOOT="yes"\nHOSTNAME="c"\n';

function duplicates(text: string, opts: Parameters<typeof lint>[1] = {}) {
  return lint(text, { path: CT, ...opts }).findings.filter((f) => f.rule === 'duplicate-parameter');
}

describe('fixes built on first read', () => {
  it('a duplicate line has no fix object until its fixes are read; then one, kept', () => {
    const [f] = duplicates(TEXT);
    assert.ok(f instanceof LazyFixFinding);
    assert.ok(!Object.keys(f).includes('fixes'), 'not an own property');
    assert.doesNotMatch(JSON.stringify(f), /Remove the ignored/, 'nothing built for JSON of the finding');
    const fixes = f.fixes;
    assert.equal(fixes?.length, 1);
    assert.equal(f.fixes, fixes, 'built once');
    assert.equal(fixes?.[0]?.title, 'Remove the ignored HOSTNAME on line 2');
    assert.equal(applyEdits(TEXT, fixes?.[0]?.edits ?? []), 'HOSTNAME="a"\nONBOOT="yes"\nHOSTNAME="c"\n');
  });

  it('the last line of the file: its fix takes the line break before it', () => {
    const text = 'HOSTNAME="a"\nHOSTNAME="b"';
    const [f] = duplicates(text);
    assert.equal(applyEdits(text, f?.fixes?.[0]?.edits ?? []), 'HOSTNAME="a"');
  });

  it('copies keep the fixes: copyFinding, a severity override, a lone CR (editor lines)', () => {
    const [f] = duplicates(TEXT);
    assert.ok(f);
    const copy = copyFinding(f, { severity: 'error' });
    assert.deepEqual(copy.fixes, f.fixes);
    assert.equal(copy.severity, 'error');
    assert.deepEqual(Object.keys(copy).sort(), ['detail', 'facts', 'fixes', 'message', 'range', 'rule', 'severity']);
    const overridden = duplicates(TEXT, { rules: { 'duplicate-parameter': 'error' } });
    assert.equal(overridden.length, 2);
    assert.ok(overridden.every((x) => x.severity === 'error' && x.fixes?.length === 1 && /^Remove the ignored HOSTNAME on line [24]$/.test(x.fixes[0]?.title ?? '')));
    // A lone CR breaks the line for the editor, not for vzctl: ranges and edits move to editor lines.
    const cr = 'X=1\rY=2\nHOSTNAME="a"\nHOSTNAME="b"\n';
    const [moved] = duplicates(cr);
    assert.equal(moved?.range.start.line, 3);
    assert.equal(applyEdits(cr, moved?.fixes?.[0]?.edits ?? []), 'X=1\rY=2\nHOSTNAME="a"\n');
  });

  it('a template file keeps the fixes that touch no placeholder', () => {
    const text = 'HOSTNAME="{{ host }}"\nHOSTNAME="b"\nHOSTNAME="c"\n';
    const found = lint(text, { path: '/etc/vz/conf/101.conf.j2' }).findings.filter((f) => f.rule === 'duplicate-parameter');
    // Lines 2 and 3 are one run of ignored lines: one finding, whose fix removes both.
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]?.fixes?.[0]?.title, 'Remove the ignored HOSTNAME on lines 2–3');
    assert.equal(applyEdits(text, found[0]?.fixes?.[0]?.edits ?? []), 'HOSTNAME="{{ host }}"\n');
  });
});
