/**
 * Reading a file the user (or a repository's `.vzconf.yaml`, or a setting) names without ever hanging or
 * filling memory: only a regular file on a real file system, at most `maxBytes` bytes, within `timeoutMs`.
 *
 * Refused without reading: missing paths, directories, named pipes (a read waits for a writer forever),
 * sockets, character and block devices (`/dev/zero` never ends), and files on kernel pseudo file systems
 * (`/proc`, `/sys`, debugfs, cgroupfs …: `/proc/kmsg` looks like an empty regular file and its read blocks
 * as root). The file is opened non-blocking and checked again on the open handle (the path may have been
 * swapped in between). Every call is asynchronous: nothing here blocks the event loop, and a read that
 * does not finish within the time bound is abandoned with an error (the kernel call itself cannot be
 * cancelled; its handle is closed when it returns, and until then it keeps a process from ending on its
 * own: a command-line tool that met a 'timeout' should exit explicitly).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { open as fsOpen, realpath as fsRealpath, stat as fsStat, statfs as fsStatfs } from './fsAsync';

/** Why a bounded read refused or failed (`detail` says it in words, for messages). */
export type BoundedReadCode = 'missing' | 'directory' | 'special' | 'pseudo' | 'too-large' | 'timeout' | 'io';

/** A file that {@link readFileBounded} would not or could not read. `message` is `<path>: <detail>`. */
export class BoundedReadError extends Error {
  readonly path: string;
  readonly code: BoundedReadCode;
  /** What is wrong, without the path: "is a named pipe, not a regular file". */
  readonly detail: string;
  /**
   * For 'too-large': the file's size in bytes (its size on disk, or at least the limit plus one when it
   * grew past the limit while read); undefined for the other codes.
   */
  readonly sizeBytes: number | undefined;

  constructor(filePath: string, code: BoundedReadCode, detail: string, sizeBytes?: number) {
    super(`${filePath}: ${detail}`);
    this.path = filePath;
    this.code = code;
    this.detail = detail;
    this.sizeBytes = sizeBytes;
  }
}

/** Limits of {@link readFileBounded}. */
export interface BoundedReadOptions {
  /** Largest file read, in bytes; a larger one is refused ('too-large'). */
  maxBytes: number;
  /** Time bound of the whole read in milliseconds (default {@link DEFAULT_READ_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Default time bound of a read: a config file of a few MiB is read in milliseconds. */
export const DEFAULT_READ_TIMEOUT_MS = 5_000;

/**
 * Magic numbers (`statfs` f_type, Linux `include/uapi/linux/magic.h`) of kernel pseudo file systems whose
 * "files" are generated on read and may block or never end: proc, sysfs, debugfs, tracefs, securityfs,
 * cgroup v1 and v2, configfs, bpf, efivarfs, pstore, fusectl.
 */
const PSEUDO_FS_TYPES = new Set<number>([0x9fa0, 0x62656572, 0x64626720, 0x74726163, 0x73636673, 0x27e0eb, 0x63677270, 0x62656570, 0xcafe4a11, 0xde5e81e4, 0x6165676c, 0x65735543]);

/** Path prefixes of kernel pseudo file systems, for systems where `statfs` tells nothing. */
const PSEUDO_PREFIXES = ['/proc/', '/sys/', '/dev/'];

/** The file-system operations used, injectable so that tests can count reads or simulate a slow disk. */
export interface BoundedReadFs {
  stat: typeof fsStat;
  realpath: typeof fsRealpath;
  statfs?: typeof fsStatfs;
  open: typeof fsOpen;
}

const realFs: BoundedReadFs = { stat: fsStat, realpath: fsRealpath, statfs: fsStatfs, open: fsOpen };

/** Why `st` is not a regular file, or undefined when it is one. */
function notRegular(st: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): [BoundedReadCode, string] | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return ['directory', 'is a directory, not a file'];
  if (st.isFIFO()) return ['special', 'is a named pipe, not a regular file'];
  if (st.isSocket()) return ['special', 'is a socket, not a regular file'];
  if (st.isCharacterDevice()) return ['special', 'is a character device, not a regular file'];
  return ['special', 'is a device or other special file, not a regular file'];
}

/** Rejects with a 'timeout' error after `ms`, unless cleared. */
function deadline(filePath: string, ms: number): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BoundedReadError(filePath, 'timeout', `not read within ${ms} ms (a file that blocks on read?)`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * The bytes of a regular file of at most `maxBytes` bytes, read within the time bound.
 *
 * @param filePath  absolute (or cwd-relative) path; symbolic links are followed, and the target must qualify
 * @throws BoundedReadError: 'missing' (no such file), 'directory', 'special' (pipe, socket, device),
 *   'pseudo' (on /proc, /sys or another kernel pseudo file system), 'too-large', 'timeout', 'io' (any
 *   other error, e.g. permission denied, with its errno code in the detail)
 */
export async function readFileBounded(filePath: string, options: BoundedReadOptions, fs: BoundedReadFs = realFs): Promise<Buffer> {
  const { maxBytes } = options;
  const limit = deadline(filePath, options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
  // Abandoned on timeout: a late rejection must not surface as unhandled.
  const work = readUnbounded(filePath, maxBytes, fs);
  work.catch(() => undefined);
  try {
    return await Promise.race([work, limit.promise]);
  } finally {
    limit.clear();
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes file bytes as UTF-8, never failing: invalid sequences become U+FFFD, NUL bytes are kept,
 * and a leading byte-order mark is kept so that the `byte-order-mark` rule can report it.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

/** Text of {@link readFileBounded}, decoded with {@link decodeUtf8}. */
export async function readTextBounded(filePath: string, options: BoundedReadOptions, fs?: BoundedReadFs): Promise<string> {
  return decodeUtf8(await readFileBounded(filePath, options, fs));
}

function ioError(filePath: string, e: unknown): BoundedReadError {
  if (e instanceof BoundedReadError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new BoundedReadError(filePath, 'missing', 'no such file');
  if (code === 'EISDIR') return new BoundedReadError(filePath, 'directory', 'is a directory, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new BoundedReadError(filePath, 'io', 'permission denied');
  return new BoundedReadError(filePath, 'io', `cannot read (${code ?? (e as Error).message})`);
}

async function readUnbounded(filePath: string, maxBytes: number, fs: BoundedReadFs): Promise<Buffer> {
  const tooLarge = (size?: number): BoundedReadError =>
    new BoundedReadError(filePath, 'too-large', `too large (${size !== undefined ? `${size} bytes` : `more than ${maxBytes} bytes`}; at most ${maxBytes} bytes are read)`, size ?? maxBytes + 1);
  let st;
  try {
    st = await fs.stat(filePath);
  } catch (e) {
    throw ioError(filePath, e);
  }
  const bad = notRegular(st);
  if (bad) throw new BoundedReadError(filePath, bad[0], bad[1]);
  if (process.platform !== 'win32') {
    let real = filePath;
    try {
      real = await fs.realpath(filePath);
    } catch (e) {
      throw ioError(filePath, e);
    }
    if (PSEUDO_PREFIXES.some((p) => real.startsWith(p))) throw new BoundedReadError(filePath, 'pseudo', `is a kernel pseudo-file (${real.split('/').slice(0, 2).join('/')}), not a config file`);
    if (fs.statfs) {
      try {
        const type = Number((await fs.statfs(real)).type);
        if (PSEUDO_FS_TYPES.has(type)) throw new BoundedReadError(filePath, 'pseudo', 'is on a kernel pseudo file system, not a config file');
      } catch (e) {
        if (e instanceof BoundedReadError) throw e;
        // statfs unsupported here: the path and type checks above stand.
      }
    }
  }
  if (st.size > maxBytes) throw tooLarge(st.size);
  let handle;
  try {
    handle = await fs.open(filePath, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0));
  } catch (e) {
    throw ioError(filePath, e);
  }
  try {
    const hst = await handle.stat();
    const again = notRegular(hst);
    if (again) throw new BoundedReadError(filePath, again[0], again[1]);
    let buf = Buffer.alloc(Math.min(hst.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > maxBytes) break;
        // It grew since the stat: read on, up to one byte past the cap.
        const bigger = Buffer.alloc(Math.min(Math.max(got * 2, 4096), maxBytes + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got > maxBytes) throw tooLarge();
    return buf.subarray(0, got);
  } catch (e) {
    throw ioError(filePath, e);
  } finally {
    handle.close().catch(() => undefined);
  }
}

/**
 * `statfs` f_type of local disk and memory file systems (Linux `include/uapi/linux/magic.h`): ext2/3/4, xfs,
 * btrfs, tmpfs, ramfs, overlayfs, zfs, f2fs, jfs, reiserfs, squashfs, iso9660, vfat, exfat, ntfs, nilfs2,
 * bcachefs. A read of a regular file on one of these returns in bounded time; network file systems (NFS,
 * CIFS), FUSE and anything unknown may block and are left to {@link readFileBounded}.
 */
const LOCAL_FS_TYPES = new Set<number>([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x858458f6, 0x794c7630, 0x2fc12fc1, 0xf2f52010, 0x3153464a, 0x52654973, 0x73717368, 0x9660, 0x4d44, 0x2011bab0, 0x5346544e, 0x3434, 0xca451a4e]);

/**
 * Reads many small files of local disks without the thread-pool round trips of {@link readFileBounded}
 * (eight asynchronous calls and a timer per file, about 0.2 ms each on a busy 2-core machine, where a
 * synchronous open/fstat/read/close takes 20 µs). A file qualifies only when nothing can block or surprise:
 * POSIX, its folder resolves (`realpath`, once per folder) outside /proc, /sys and /dev onto a local disk
 * or memory file system ({@link LOCAL_FS_TYPES}, `statfs` once per folder), the name itself is no
 * symbolic link (`O_NOFOLLOW`), and the opened file is a regular file on the same device as its folder
 * (no bind mount of something else) of at most `maxBytes` bytes. Anything else — and every error — is
 * left to the caller's {@link readFileBounded} (`undefined`), which then decides and words the error.
 */
export class LocalFileReads {
  private readonly folders = new Map<string, { dev: number } | undefined>();

  constructor(private readonly maxBytes: number) {}

  /** The folder's device when files in it may be read synchronously, else undefined (cached per folder). */
  private folder(dir: string): { dev: number } | undefined {
    if (this.folders.has(dir)) return this.folders.get(dir);
    let ok: { dev: number } | undefined;
    try {
      const real = realpathSync(dir);
      if (!PSEUDO_PREFIXES.some((p) => `${real}/`.startsWith(p)) && LOCAL_FS_TYPES.has(Number(statfsSync(real).type))) ok = { dev: statSync(real).dev };
    } catch {
      ok = undefined;
    }
    this.folders.set(dir, ok);
    return ok;
  }

  /** The file's bytes, or undefined when it does not qualify or anything failed (see the class). */
  read(filePath: string): Buffer | undefined {
    if (process.platform === 'win32' || fsConstants.O_NOFOLLOW === undefined) return undefined;
    const dir = this.folder(dirname(filePath));
    if (!dir) return undefined;
    let fd: number;
    try {
      fd = openSync(filePath, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY | fsConstants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.dev !== dir.dev || st.size > this.maxBytes) return undefined;
      // One byte more than the size: a file that grew since the fstat is read on, up to the cap.
      let buf = Buffer.allocUnsafe(st.size + 1);
      let got = 0;
      for (;;) {
        if (got === buf.length) {
          if (got > this.maxBytes) return undefined;
          const bigger = Buffer.allocUnsafe(Math.min(Math.max(got * 2, 4096), this.maxBytes + 1));
          buf.copy(bigger, 0, 0, got);
          buf = bigger;
        }
        const want = buf.length - got;
        const n = readSync(fd, buf, got, want, got);
        got += n;
        // A regular file of a local file system returns less than asked only at its end: no second read
        // (which would return 0) for the usual file, read whole by the first.
        if (n < want) break;
      }
      return got > this.maxBytes ? undefined : buf.subarray(0, got);
    } catch {
      return undefined;
    } finally {
      try {
        closeSync(fd);
      } catch {
        // nothing left to do
      }
    }
  }
}
