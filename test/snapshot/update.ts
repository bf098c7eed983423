/**
 * `npm run snapshot:update`: rewrites test/snapshot/*.snap from what vzlint finds now. Run it in the
 * same commit as a change that alters findings on purpose, and read the diff before committing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir, corpusSnapshot, fixturesSnapshot, repoRoot, SNAPSHOT_FILES } from './findings';
import { CLI_OUTPUT_CASES, CLI_OUTPUT_DIR, runCliOutputCase } from './cliOutputs';

async function main(): Promise<void> {
  const fixtures = await fixturesSnapshot();
  writeFileSync(SNAPSHOT_FILES.fixtures, fixtures);
  console.log(`snapshot: ${path.relative(repoRoot, SNAPSHOT_FILES.fixtures)} (${fixtures.split('\n').length - 1} findings)`);
  const codes: Record<string, number> = {};
  for (const c of CLI_OUTPUT_CASES) {
    const r = await runCliOutputCase(c.argv);
    writeFileSync(path.join(CLI_OUTPUT_DIR, c.name), r.out);
    codes[c.name] = r.code;
  }
  writeFileSync(path.join(CLI_OUTPUT_DIR, 'exit-codes.json'), `${JSON.stringify(codes, null, 2)}\n`);
  console.log(`snapshot: ${path.relative(repoRoot, CLI_OUTPUT_DIR)}/ (${CLI_OUTPUT_CASES.length} outputs)`);
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
