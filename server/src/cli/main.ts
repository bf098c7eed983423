/**
 * Entry point of the `vzlint` command (bundled to dist/vzlint.js). All logic lives in `vzlint.ts`. The
 * same bundle is the entry of vzlint's worker threads (`lintWorker.ts`), started for large trees.
 */
import { runLintWorker } from './lintWorker';
import { stdoutWriter } from './stdout';
import { WORKER_ARG } from './threadArg';
import { tunedForLargeRun } from './v8Tuning';
import { escapeMessage, internalErrorLines, runVzlint } from './vzlint';

/** This thread's port when it is one of vzlint's worker threads (only such a thread has WORKER_ARG). */
function workerPort(): import('node:worker_threads').MessagePort | undefined {
  if (!process.argv.includes(WORKER_ARG)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMainThread, parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  return !isMainThread && parentPort && (workerData as { vzlintWorker?: boolean } | undefined)?.vzlintWorker === true ? parentPort : undefined;
}

let stderrGuarded = false;
/**
 * Writes to standard error. A write error there (`2>/dev/full`, a closed pipe) is ignored: the report on
 * standard output and the exit status still say what they must (without a handler it ended the run with
 * status 1 and no output). The handler is added on the first message, not at start: `process.stderr` loads
 * Node's stream modules.
 */
function stderr(s: string): void {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on('error', () => undefined);
  }
  process.stderr.write(s);
}

const port = workerPort();
if (port) {
  runLintWorker(port);
} else {
  const out = stdoutWriter();
  runVzlint(process.argv.slice(2), {
    stdout: out.text,
    stdoutBytes: out.bytes,
    ...(out.parts ? { stdoutParts: out.parts } : {}),
    stderr,
    cwd: process.cwd(),
    isTTY: out.isTTY,
    tuneV8: true,
    env: process.env,
    // VZLINT_THREADS=N: N worker threads for trees of 1,000 files or more; auto: one per free core; default: none (docs/cli.md, Large trees).
    ...(process.env.VZLINT_THREADS === 'auto' ? { workers: 'auto' as const } : process.env.VZLINT_THREADS !== undefined && /^\d+$/.test(process.env.VZLINT_THREADS) ? { workers: Number(process.env.VZLINT_THREADS) } : {}),
  }).then(
    (code) => {
      process.exitCode = code;
      // A run of many files whose output has all been handed to the system ends here, without V8 tearing
      // its heap down page by page (15-30 ms after a 10,000-container node): process.exit still emits
      // 'exit' (the launcher writes its code cache then) and keeps the status; the threads are closed.
      if (tunedForLargeRun() && out.drained() && (!stderrGuarded || process.stderr.writableLength === 0)) process.exit(code);
    },
    (err: unknown) => {
      for (const line of internalErrorLines(undefined, err)) stderr(escapeMessage(line));
      process.exitCode = 2;
    },
  );
}
