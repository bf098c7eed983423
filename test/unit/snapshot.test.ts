/**
 * The committed findings snapshot (test/snapshot/*.snap, see test/snapshot/findings.ts) still matches
 * what vzlint finds. A deliberate change of findings updates it with `npm run snapshot:update`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { corpusDir, corpusSnapshot, fixturesSnapshot, repoRoot, SNAPSHOT_FILES } from '../snapshot/findings';

/** The lines only in `want` (-) and only in `got` (+), at most `max` of each, for the failure message. */
function difference(want: string, got: string, max = 40): string {
  const w = new Set(want.split('\n').filter(Boolean));
  const g = new Set(got.split('\n').filter(Boolean));
  const gone = [...w].filter((l) => !g.has(l));
  const added = [...g].filter((l) => !w.has(l));
  const show = (sign: string, list: string[]): string[] => [...list.slice(0, max).map((l) => `${sign} ${l}`), ...(list.length > max ? [`${sign} … ${list.length - max} more`] : [])];
  return [`${gone.length} findings gone, ${added.length} new:`, ...show('-', gone), ...show('+', added)].join('\n');
}

function check(file: string, got: string): void {
  const rel = path.relative(repoRoot, file);
  assert.ok(existsSync(file), `${rel} is missing: run npm run snapshot:update`);
  const want = readFileSync(file, 'utf8');
  if (want !== got) {
    assert.fail(`findings differ from ${rel}. If the change is on purpose, run npm run snapshot:update and commit the .snap files with it.\n${difference(want, got)}`);
  }
}

describe('findings snapshot', () => {
  it('the project fixtures (examples/, e2e workspace) give the committed findings', async () => {
    const got = await fixturesSnapshot();
    assert.ok(got.split('\n').length > 10, 'the fixtures have findings');
    check(SNAPSHOT_FILES.fixtures, got);
  });

  it('the shared corpus gives the committed findings', { skip: existsSync(corpusDir) ? false : `corpus not found at ${corpusDir}` }, async () => {
    const got = await corpusSnapshot();
    assert.ok(got !== undefined && got.split('\n').length > 1000, 'the corpus has findings');
    check(SNAPSHOT_FILES.corpus, got);
  });
});
