/**
 * `npm run snapshot:update`: rewrites test/snapshot/*.snap from what vzlint finds now. Run it in the
 * same commit as a change that alters findings on purpose, and read the diff before committing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir, corpusSnapshot, fixturesSnapshot, repoRoot, SNAPSHOT_FILES } from './findings';

async function main(): Promise<void> {
  const fixtures = await fixturesSnapshot();
  writeFileSync(SNAPSHOT_FILES.fixtures, fixtures);
  console.log(`snapshot: ${path.relative(repoRoot, SNAPSHOT_FILES.fixtures)} (${fixtures.split('\n').length - 1} findings)`);
  const corpus = await corpusSnapshot();
  if (corpus === undefined) {
    console.log(`snapshot: ${corpusDir} not found; ${path.relative(repoRoot, SNAPSHOT_FILES.corpus)} left as it is`);
    return;
  }
  writeFileSync(SNAPSHOT_FILES.corpus, corpus);
  console.log(`snapshot: ${path.relative(repoRoot, SNAPSHOT_FILES.corpus)} (${corpus.split('\n').length - 1} findings)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
