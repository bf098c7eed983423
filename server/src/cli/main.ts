/**
 * Entry point of the `vzlint` command (bundled to dist/vzlint.js). All logic lives in `vzlint.ts`.
 */
import { escapeMessage, internalErrorLines, runVzlint } from './vzlint';

// `vzlint … | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

runVzlint(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    for (const line of internalErrorLines(undefined, err)) process.stderr.write(escapeMessage(line));
    process.exitCode = 2;
  },
);
