/**
 * SARIF `fixes` (SARIF 2.1.0 §3.27.30: an array of proposed fixes): every safe fix of a finding, in the
 * editor's order, and none of its unsafe ones; also after a fleet run keeps findings compact
 * (`compactFinding`, which once kept the edits of the first safe fix only). No rule offers two safe fixes
 * for one finding today, so that case is a finding built here; the others come from real lint results.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import type { FileReport } from '../../server/src/cli/format';
import { formatSarif, sarifFixes } from '../../server/src/cli/sarif';
import type { Finding } from '../../server/src/rules/types';
import { compactFinding } from '../../server/src/service/node';
import { lint } from '../../server/src/service/lint';

const repo = path.resolve(__dirname, '../..');
const schemaFile = path.join(repo, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const CT = '/etc/vz/conf/101.conf';
const LOCATION: Sarif.ArtifactLocation = { uri: 'conf/101.conf', uriBaseId: 'ROOT' };
const at = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });

/** A finding with two safe fixes (alternatives), an unsafe one, a safe one without edits and a repeat of the first. */
const TWO_SAFE: Finding = {
  rule: 'space-around-equals',
  severity: 'warning',
  message: 'm',
  range: at(0, 8, 11),
  fixes: [
    { title: 'Remove the spaces around "="', edits: [{ range: at(0, 8, 11), newText: '=' }], safe: true },
    { title: 'Change the limit', edits: [{ range: at(0, 12, 14), newText: '"1G"' }], safe: false },
    { title: 'Keep one space', edits: [{ range: at(0, 8, 11), newText: ' =' }, { range: at(1, 0, 0), newText: '# x\n' }], safe: true },
    { title: 'Nothing to edit', edits: [], safe: true },
    { title: 'Remove the spaces around "="', edits: [{ range: at(0, 8, 11), newText: '=' }], safe: true },
  ],
};

function schemaValid(log: unknown): string | undefined {
  if (!existsSync(schemaFile)) return undefined;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return validate(log) ? undefined : JSON.stringify(validate.errors?.slice(0, 5));
}

describe('SARIF fixes: every safe fix of a finding', () => {
  it('two safe fixes are two SARIF fixes, in order; unsafe, edit-less and repeated ones are left out', () => {
    const fixes = sarifFixes(TWO_SAFE, LOCATION);
    assert.deepEqual(fixes.map((x) => x.description?.text), ['Remove the spaces around "="', 'Keep one space']);
    assert.deepEqual(fixes[1]?.artifactChanges[0]?.replacements.map((r) => [r.deletedRegion.startLine, r.insertedContent?.text]), [[1, ' ='], [2, '# x\n']]);
  });

  it('the same after compactFinding (a fleet run): the second safe fix keeps its edits', () => {
    const compact = compactFinding(TWO_SAFE);
    assert.deepEqual(sarifFixes(compact, LOCATION), sarifFixes(TWO_SAFE, LOCATION));
    assert.deepEqual(compact.fixes?.find((x) => !x.safe)?.edits, [], 'unsafe fixes are kept by title only');
  });

  it('a real log with such a finding and a real one validates against the SARIF 2.1.0 schema', () => {
    const text = 'ONBOOT="yes"\nMYAPP_NOTE = "a"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';
    const r = lint(text, { path: CT });
    const real = r.findings.find((f) => f.rule === 'space-around-equals');
    assert.ok(real);
    const reports: FileReport[] = [{ file: 'conf/101.conf', kind: r.kind, target: r.target, findings: [real, TWO_SAFE] }];
    const log = JSON.parse(formatSarif(reports, { version: '0.0.0', root: '/x', absolutePath: () => '/x/conf/101.conf' })) as Sarif.Log;
    const results = log.runs[0]?.results ?? [];
    assert.deepEqual(results.map((x) => x.fixes?.length), [1, 2]);
    assert.equal(schemaValid(log), undefined);
  });
});
