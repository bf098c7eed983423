/**
 * Where vzlint's standard output goes. A regular file or /dev/null (`> report.json`, a CI step that
 * drops the output) is written with `fs.writeSync` on descriptor 1: `process.stdout` for such a file is a
 * `SyncWriteStream`, whose first use loads Node's stream modules (~10 ms of a one-file run whose output is
 * a few lines). A terminal or a pipe keeps `process.stdout` (a pipe may be non-blocking, and `vzlint … |
 * head` must stop quietly on EPIPE).
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

/** Writers for standard output: text (UTF-8) and bytes, each written whole, in order. */
export interface StdoutWriter {
  text(s: string): void;
  bytes(b: Uint8Array): void;
  isTTY: boolean;
}

/** Writes all of `b` to `fd` (writeSync may write less than asked). */
function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/**
 * The writer for descriptor 1 of this process: direct writes for a regular file or /dev/null, else
 * `process.stdout` (with a handler that ends the process quietly on EPIPE). (Not `tty.isatty`: the tty
 * module loads the stream modules too.)
 */
export function stdoutWriter(): StdoutWriter {
  let direct = false;
  try {
    const st = fstatSync(1);
    direct = st.isFile() || (st.isCharacterDevice() && process.platform !== 'win32' && st.rdev === statSync('/dev/null').rdev);
  } catch {
    direct = false;
  }
  if (direct) {
    return {
      text: (s) => writeAll(1, Buffer.from(s, 'utf8')),
      bytes: (b) => writeAll(1, b),
      isTTY: false,
    };
  }
  // `vzlint … | head` closes stdout early: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return {
    text: (s) => void process.stdout.write(s),
    bytes: (b) => void process.stdout.write(b),
    isTTY: process.stdout.isTTY === true,
  };
}
