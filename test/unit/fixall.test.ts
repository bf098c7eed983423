/**
 * Fix-all reaches its fixed point in one call (issue 11): over every corpus file and the project's own
 * fixtures, in LF, CRLF and byte-order-mark variants, a second fix-all after the first offers nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { filesUnder } from '../helpers/corpus';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyTextEdits, diffEdits, fixAllText, safeFixEdits } from '../../server/src/service/codeActions';
import type { Finding } from '../../server/src/rules/types';
import { lint } from '../../server/src/service/lint';

/** The config files of a folder tree (test inputs): no docs, manifests or scripts. */
const listFiles = (dir: string): string[] => filesUnder(dir, /\.(md|json)$/);

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');


/** The project's own config files (they exist in every clone). */
export function fixtureFiles(): string[] {
  return [...listFiles(path.join(ROOT, 'examples')), ...listFiles(path.join(ROOT, 'test/e2e/fixtures/workspace')), ...listFiles(path.join(ROOT, 'test/fixtures'))].filter((f) => !f.endsWith('.yaml'));
}

const findingsOf = (text: string, file: string): Finding[] => lint(text, { path: file }).findings;

const variants = (text: string): [string, string][] => [
  ['LF', text],
  ['CRLF', text.replace(/\r?\n/g, '\r\n')],
  ['BOM', `\uFEFF${text}`],
];

async function checkSettles(files: string[], label: string): Promise<{ runs: number; multiRound: number; maxRounds: number }> {
  let runs = 0;
  let multiRound = 0;
  let maxRounds = 0;
  const failures: string[] = [];
  for (const file of files) {
    const lintPath = file.includes('/conf/') || /\.conf-sample/.test(file) || path.basename(file) === 'vz.conf' ? file : path.join('/etc/vz/conf', '101.conf');
    for (const [variant, text] of variants(readFileSync(file, 'utf8'))) {
      const result = await fixAllText(text, findingsOf(text, lintPath), (t) => findingsOf(t, lintPath));
      if (result.rounds === 0) continue;
      runs += 1;
      if (result.rounds > 1) multiRound += 1;
      maxRounds = Math.max(maxRounds, result.rounds);
      assert.equal(applyTextEdits(text, result.edits), result.text, `${file} (${variant}): the edits give the fixed text`);
      const second = safeFixEdits(findingsOf(result.text, lintPath));
      if (second.length > 0 || result.unsettled) failures.push(`${path.relative(ROOT, file)} (${variant}): ${second.length} safe edits left after ${result.rounds} rounds`);
    }
  }
  assert.deepEqual(failures, [], `${label}: fix-all did not settle`);
  return { runs, multiRound, maxRounds };
}

describe('fix-all settles in one call', () => {
  it("the project's own fixtures (LF, CRLF, BOM): a second fix-all is empty", async (t) => {
    const files = fixtureFiles();
    assert.ok(files.length >= 4, 'fixtures found');
    const r = await checkSettles(files, 'fixtures');
    t.diagnostic(`fixtures: ${r.runs} fix-alls, ${r.multiRound} needed more than one round internally (at most ${r.maxRounds})`);
  });

  const skip = existsSync(CORPUS) ? false : 'needs ../shared/corpus (not in a bare clone)';
  it('every corpus file (upstream, wild; LF, CRLF, BOM): a second fix-all is empty', { skip }, async (t) => {
    const files = [...listFiles(path.join(CORPUS, 'upstream')), ...listFiles(path.join(CORPUS, 'wild'))];
    const r = await checkSettles(files, 'corpus');
    assert.ok(r.runs > 100, `${r.runs} fix-alls`);
    t.diagnostic(`corpus: ${r.runs} fix-alls, ${r.multiRound} needed more than one round internally (at most ${r.maxRounds}); second pass empty for all`);
  });

  it('adjacent deletions (ignored parameters on consecutive lines) are all made in one call', async () => {
    const text = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nVETH=""\nCONFIG_CUSTOMIZED="yes"\nNOATIME="yes"\nONBOOT="yes"\n';
    const file = '/etc/vz/conf/101.conf';
    const once = safeFixEdits(findingsOf(text, file));
    const afterOnce = applyTextEdits(text, once);
    assert.ok(safeFixEdits(findingsOf(afterOnce, file)).length > 0, 'one round alone leaves work (the case the issue reports)');
    const r = await fixAllText(text, findingsOf(text, file), (t) => findingsOf(t, file));
    assert.ok(r.rounds > 1);
    assert.equal(r.text, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nONBOOT="yes"\n');
    assert.ok(r.edits.length >= 1 && r.edits.every((e) => e.range.start.line >= 2), 'the lines fix-all keeps are not rewritten');
    assert.deepEqual(safeFixEdits(findingsOf(r.text, file)), []);
  });

  it('diffEdits turns any text into any other, line by line (property)', () => {
    const line = fc.constantFrom('a\n', 'b\n', 'c\r\n', 'd', '\n', 'e\r', 'a\r\n', '');
    const text = fc.array(line, { maxLength: 14 }).map((l) => l.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const edits = diffEdits(a, b);
        assert.equal(applyTextEdits(a, edits), b);
      }),
      { numRuns: 3000 },
    );
  });
});
