/**
 * Where vzlint's standard output goes. A regular file or /dev/null (`> report.json`, a CI step that
 * drops the output) is written with `fs.writeSync` on descriptor 1: `process.stdout` for such a file is a
 * `SyncWriteStream`, whose first use loads Node's stream modules (~10 ms of a one-file run whose output is
 * a few lines). A terminal or a pipe keeps `process.stdout` (a pipe may be non-blocking, and `vzlint … |
 * head` must stop quietly on EPIPE). Any other write error (a full disk, `/dev/full`, a descriptor open only
 * for reading) ends the process with one line on standard error and status 2: the output is incomplete.
 */
import { fstatSync, statSync, writeSync, writevSync } from 'node:fs';
import { errorText } from './read';

/** Writers for standard output: text (UTF-8) and bytes, each written whole, in order. */
export interface StdoutWriter {
  text(s: string): void;
  bytes(b: Uint8Array): void;
  /**
   * Writes byte parts one after the other, as {@link bytes} of their concatenation (`size` bytes) would,
   * without building it (direct writes only: `writev`).
   */
  parts?: (parts: readonly Uint8Array[], size: number) => void;
  /** Whether everything written so far has been handed to the system (nothing waits in a stream's buffer). */
  drained(): boolean;
  isTTY: boolean;
}

/**
 * Ends the process because standard output could not be written: quietly on EPIPE (the reader left, as
 * `| head` does; the status is the run's so far), else with `vzlint: cannot write the output: <why>` on
 * standard error (written directly: it may be as broken) and status 2, never a stack trace or the status of
 * a run whose report was lost.
 */
function writeFailed(err: unknown): never {
  if ((err as NodeJS.ErrnoException | null)?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  try {
    writeSync(2, `vzlint: cannot write the output: ${errorText(err)}\n`);
  } catch {
    // standard error is gone too: the status says it
  }
  process.exit(2);
}

/** Writes all of `b` to `fd` (writeSync may write less than asked); a failed write ends the process ({@link writeFailed}). */
function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  try {
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
  } catch (err) {
    writeFailed(err);
  }
}

/**
 * Writes all of `parts` (`size` bytes in all) to `fd` with `writev`: libuv writes them all, IOV_MAX at a
 * time, unless a write is short (then the rest is written from where it stopped) or fails (then the rest
 * goes to {@link writeAll} as one buffer, which ends the process with the same message as any write).
 */
function writeAllParts(fd: number, parts: readonly Uint8Array[], size: number): void {
  let list = parts;
  let left = size;
  while (left > 0) {
    let n: number;
    try {
      n = writevSync(fd, list as Uint8Array[]);
    } catch {
      writeAll(fd, Buffer.concat(list, left));
      return;
    }
    left -= n;
    if (left <= 0 || n <= 0) {
      if (left > 0) writeAll(fd, Buffer.concat(list, left));
      return;
    }
    // A short write: the parts not yet written, the first one from where it stopped.
    let skip = n;
    let i = 0;
    while (i < list.length && skip >= (list[i] as Uint8Array).length) skip -= (list[i++] as Uint8Array).length;
    list = [(list[i] as Uint8Array).subarray(skip), ...list.slice(i + 1)];
  }
}

/**
 * The writer for descriptor 1 of this process: direct writes for a regular file or /dev/null (and a
 * directory, whose writes fail), else `process.stdout`; either way a write error ends the process
 * ({@link writeFailed}: quietly on EPIPE). (Not `tty.isatty`: the tty module loads the stream modules too.)
 */
export function stdoutWriter(): StdoutWriter {
  let direct = false;
  try {
    const st = fstatSync(1);
    // A directory (`1< .`, an admin's slip) too: Node's process.stdout for it drops every write without an error.
    direct = st.isFile() || st.isDirectory() || (st.isCharacterDevice() && process.platform !== 'win32' && st.rdev === statSync('/dev/null').rdev);
  } catch {
    direct = false;
  }
  if (direct) {
    return {
      text: (s) => writeAll(1, Buffer.from(s, 'utf8')),
      bytes: (b) => writeAll(1, b),
      parts: (ps, size) => writeAllParts(1, ps, size),
      drained: () => true,
      isTTY: false,
    };
  }
  // `vzlint … | head` closes stdout early: stop quietly instead of crashing with EPIPE; any other error in one line.
  process.stdout.on('error', writeFailed);
  return {
    text: (s) => void process.stdout.write(s),
    bytes: (b) => void process.stdout.write(b),
    drained: () => process.stdout.writableLength === 0,
    isTTY: process.stdout.isTTY === true,
  };
}
