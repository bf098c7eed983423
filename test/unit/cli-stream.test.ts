import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import type { FileReport } from '../../server/src/cli/format';
import { SarifWriter } from '../../server/src/cli/sarif';
import { lint } from '../../server/src/service/lint';
import { CLI_OUTPUT_CASES, CLI_OUTPUT_DIR, runCliOutputCase } from '../snapshot/cliOutputs';

// The outputs were recorded from the implementation that gathered every report before printing
// (test/snapshot/cliOutputs.ts); the streaming one must say the same.
const codes = JSON.parse(readFileSync(path.join(CLI_OUTPUT_DIR, 'exit-codes.json'), 'utf8')) as Record<string, number>;

describe('SARIF and --summary stream and print what they printed when gathered (recorded outputs)', () => {
  for (const c of CLI_OUTPUT_CASES) {
    it(`vzlint ${c.argv.join(' ')}`, async () => {
      const r = await runCliOutputCase(c.argv);
      assert.equal(r.code, codes[c.name], r.err);
      const recorded = readFileSync(path.join(CLI_OUTPUT_DIR, c.name), 'utf8');
      // SARIF: the same document (members may come in another order); the others byte for byte.
      if (c.name.endsWith('.sarif')) assert.deepEqual(JSON.parse(r.out), JSON.parse(recorded));
      else assert.equal(r.out, recorded);
    });
  }
});

describe('SarifWriter writes as it goes', () => {
  it('the header at once, each result when added, artifacts and summary at the end; one valid log', () => {
    const chunks: string[] = [];
    const w = new SarifWriter((s) => chunks.push(s), { version: '1.2.3', root: '/w', absolutePath: (r) => path.join('/w', r.file) });
    assert.match(chunks.join(''), /"tool": \{/);
    assert.doesNotMatch(chunks.join(''), /"artifacts"/);
    const finding = lint('ONBOOT="yes"\nKMEMSIZE="20000000:10000000"\n', { kind: 'container' }).findings;
    const report = (file: string): FileReport => ({ file, kind: 'container', target: lint('', { kind: 'container' }).target, findings: finding });
    w.add([report('conf/101.conf')]);
    const afterFirst = chunks.join('');
    assert.ok(afterFirst.includes('"ruleId": "barrier-above-limit"'), 'the result is out before the run ends');
    assert.doesNotMatch(afterFirst, /"artifacts"/, 'artifacts wait for the end');
    w.add([report('conf/102.conf')]);
    w.end({ nodes: [] });
    const log = JSON.parse(chunks.join('')) as Sarif.Log;
    const run0 = log.runs[0] as Sarif.Run;
    assert.deepEqual(run0.artifacts?.map((a) => a.location?.uri), ['conf/101.conf', 'conf/102.conf']);
    assert.equal(run0.results?.length, finding.length * 2);
    assert.equal(run0.results?.[finding.length]?.locations?.[0]?.physicalLocation?.artifactLocation?.index, 1);
    assert.deepEqual(run0.properties, { summary: { nodes: [] } });
    // Empty: still one valid log.
    const empty: string[] = [];
    const e = new SarifWriter((s) => empty.push(s), { version: '1', root: '/w', absolutePath: () => '/w/x' });
    e.end();
    const emptyRun = (JSON.parse(empty.join('')) as Sarif.Log).runs[0] as Sarif.Run;
    assert.deepEqual([emptyRun.results, emptyRun.artifacts, emptyRun.properties], [[], [], undefined]);
  });
});
