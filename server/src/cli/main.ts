/**
 * Entry point of the `vzlint` command (bundled to dist/vzlint.js). All logic lives in `vzlint.ts`. The
 * same bundle is the entry of vzlint's worker threads (`lintWorker.ts`), started for large trees.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runLintWorker } from './lintWorker';
import { escapeMessage, internalErrorLines, runVzlint } from './vzlint';

if (!isMainThread && parentPort && (workerData as { vzlintWorker?: boolean } | undefined)?.vzlintWorker === true) {
  runLintWorker(parentPort);
} else {
  // `vzlint … | head` closes stdout early: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

  runVzlint(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stdoutBytes: (b) => process.stdout.write(b),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    // VZLINT_THREADS=N: N worker threads for trees of 1,000 files or more; auto: one per free core; default: none (docs/cli.md, Large trees).
    ...(process.env.VZLINT_THREADS === 'auto' ? { workers: 'auto' as const } : process.env.VZLINT_THREADS !== undefined && /^\d+$/.test(process.env.VZLINT_THREADS) ? { workers: Number(process.env.VZLINT_THREADS) } : {}),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      for (const line of internalErrorLines(undefined, err)) process.stderr.write(escapeMessage(line));
      process.exitCode = 2;
    },
  );
}
