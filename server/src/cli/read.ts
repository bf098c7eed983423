/**
 * How vzlint reads the files it lints: bounded in size and time (`util/boundedRead.ts`), local-disk files
 * synchronously ({@link ConfigReader}), decoded as UTF-8 with replacement. Shared by the main thread and
 * the worker threads (`lintWorker.ts`).
 */
import { stat } from '../util/fsAsync';
import path from 'node:path';
import type { Worker as WorkerType } from 'node:worker_threads';
import { MAX_FILE_BYTES } from '../limits';
import { BoundedReadError, decodeUtf8, LocalFileReads, readFileBounded } from '../util/boundedRead';
import { CLAIM_FREE, CLAIM_MAIN, READER_PROTOCOL } from './readerProtocol';
import type { ReadAnswer, ReadRequest } from './readerWorker';

export { decodeUtf8 };

/** An error as a short phrase for a message (`permission denied`, `no such file or directory`). */
export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    switch (e.code) {
      case 'ENOENT':
        return 'no such file or directory';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied';
      case 'EISDIR':
        return 'is a directory, not a file';
      case 'ENOTDIR':
        return 'not a directory';
      default:
        // Node's messages mostly start with the code already (`ELOOP: too many symbolic links …`).
        return e.message.startsWith(`${e.code}:`) ? e.message : `${e.code}: ${e.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** A file's text as vzlint reads it; `bytes` are the file's bytes (for --fix), `sizeBytes` only beyond the size limit. */
export interface ReadText {
  text: string;
  sizeBytes?: number;
  /** `sizeBytes` is only a lower bound: the reader stopped past the limit before the end (a stream). */
  sizeAtLeast?: true;
  bytes?: Uint8Array;
  /** The file's size in bytes when `bytes` were not kept (a worker thread's answer). */
  fileBytes?: number;
}

/**
 * The file's size in bytes as read (its bytes, or its size on disk when too large to read), for
 * `LintOptions.sizeBytes`: the size limit is on the file's bytes, not on its decoded text (each invalid
 * UTF-8 byte decodes to U+FFFD, three bytes). Undefined when the reader kept no bytes.
 */
export function fileSizeOf(read: ReadText): number | undefined {
  return read.sizeBytes ?? read.bytes?.length ?? read.fileBytes;
}

/**
 * The size options of a lint of `read` (`LintOptions.sizeBytes`, and `sizeBytesAtLeast` when that is only a
 * lower bound), none when the reader kept no size: spread into the options (also of a node's file).
 */
export function sizeOptions(read: ReadText): { sizeBytes?: number; sizeBytesAtLeast?: true } {
  const size = fileSizeOf(read);
  if (size === undefined) return {};
  return read.sizeAtLeast === true ? { sizeBytes: size, sizeBytesAtLeast: true } : { sizeBytes: size };
}

/**
 * A config file's text through the shared bounded reader (`util/boundedRead.ts`): regular files only, no
 * FIFO, device or /proc file, within a time bound. A file beyond {@link MAX_FILE_BYTES} is not read: its
 * text is empty and `sizeBytes` makes the engine report one `file-too-large` finding.
 *
 * @returns the text, or `{ error }` with a phrase for the message (`is a named pipe, not a regular file`)
 */
export async function readBounded(abs: string): Promise<ReadText | { error: string }> {
  try {
    const bytes = await readFileBounded(abs, { maxBytes: MAX_FILE_BYTES });
    return { text: decodeUtf8(bytes), bytes };
  } catch (err) {
    if (err instanceof BoundedReadError) {
      if (err.code === 'too-large') {
        try {
          return { text: '', sizeBytes: Math.max((await stat(abs)).size, MAX_FILE_BYTES + 1) };
        } catch {
          return { text: '', sizeBytes: MAX_FILE_BYTES + 1, sizeAtLeast: true };
        }
      }
      return { error: err.detail };
    }
    return { error: errorText(err) };
  }
}

/**
 * {@link readBounded} for the many files of a run: a regular file on a local disk is read synchronously
 * (`LocalFileReads`: a node's 10,000 CTID.conf files in a fraction of the time), anything else — a link,
 * another file system, a file too large, any error — through the bounded reader, which words the error.
 */
export class ConfigReader {
  private readonly local = new LocalFileReads(MAX_FILE_BYTES);
  private prefetcher: Prefetcher | undefined;

  async read(abs: string): Promise<ReadText | { error: string }> {
    return this.readNow(abs);
  }

  /**
   * {@link read}, answered at once when it can be: the reading thread's bytes have come, or the file is read
   * here synchronously. A run's 10,000 reads then cost no promise each (an async call, the thread's
   * answer taken through `then`, Promise.all's wrapper: several microtasks a file). A promise otherwise.
   */
  readNow(abs: string): ReadText | { error: string } | Promise<ReadText | { error: string }> {
    const ahead = this.prefetcher?.take(abs);
    if (ahead instanceof Promise) return ahead.then((bytes) => (bytes ? { text: decodeUtf8(bytes), bytes } : this.readHere(abs)));
    if (ahead) return { text: decodeUtf8(ahead), bytes: ahead };
    return this.readHere(abs);
  }

  /**
   * {@link readNow} of a file that is not among those read ahead (a node's vz.conf, read before its
   * containers): read here, without asking the reading thread, whose answers are then taken in their order.
   */
  readApart(abs: string): ReadText | { error: string } | Promise<ReadText | { error: string }> {
    return this.readHere(abs);
  }

  /** The file read by this thread: synchronously when local, else through the bounded reader. */
  private readHere(abs: string): ReadText | { error: string } | Promise<ReadText | { error: string }> {
    const bytes = this.local.read(abs);
    if (bytes) return { text: decodeUtf8(bytes), bytes };
    return readBounded(abs);
  }

  /**
   * Has a reading thread ({@link Prefetcher}) read `paths` ahead, in this order, for the {@link read}s to
   * come; fewer than `from` paths (default {@link PREFETCH_FROM}) start no thread, nor does a system that
   * cannot start one (`new Worker` throws EAGAIN under a thread or pids limit): this thread then reads them.
   * Ended by {@link close}.
   */
  prefetch(paths: readonly string[], from = PREFETCH_FROM): void {
    if (this.prefetcher?.listed === false) {
      // Started by prepare: its list, whatever its length (the thread is there).
      this.prefetcher.list(paths);
      return;
    }
    if (paths.length < from || paths.length === 0 || this.prefetcher) return;
    // The first batches are this thread's own to read while the thread starts (Prefetcher.take takes them over).
    this.prepare(paths.length, 1);
    (this.prefetcher as Prefetcher | undefined)?.list(paths);
  }

  /**
   * Starts the reading thread of {@link prefetch} for a run of `count` files (at least `from`, default
   * {@link PREFETCH_FROM}) before their list is known (while the files are grouped), so that its start
   * overlaps that work; the list follows with {@link prefetch}. Nothing when a thread cannot be started.
   */
  prepare(count: number, from = PREFETCH_FROM): void {
    if (count < from || count === 0 || this.prefetcher) return;
    try {
      this.prefetcher = new Prefetcher();
    } catch {
      // No thread to be had: the reads are this thread's, as in a smaller run.
      this.prefetcher = undefined;
    }
  }

  /** Ends the reading thread, if any (the process can then exit). */
  async close(): Promise<void> {
    const p = this.prefetcher;
    this.prefetcher = undefined;
    await p?.close();
  }
}

/** Files a run has at least before {@link ConfigReader.prefetch} starts a reading thread. */
export const PREFETCH_FROM = 500;

/** Files per request to the reading thread. */
const PREFETCH_BATCH = 128;

/** Requests the reading thread has at a time beyond the one the main thread reads from. */
const PREFETCH_AHEAD = 4;

/**
 * Reads a long list of files on a thread of its own (`readerWorker.ts`), ahead of the main thread, which
 * then only decodes them: on a node of 10,000 container configs the open/fstat/read/close of every file
 * was an eighth of vzlint's time on the main thread, and the second core had room. Requests go out
 * {@link PREFETCH_AHEAD} batches ahead of the files taken, so at most a few MiB are in flight (the thread
 * also caps each batch's bytes). A file the thread did not read (it reads only what the main thread's
 * `LocalFileReads` would), or every file once the thread failed, is answered `undefined`: the caller reads
 * it itself.
 */
export class Prefetcher {
  private readonly worker: WorkerType;
  /** The paths to read, in the order they are taken (file `index` is in batch `index / PREFETCH_BATCH`). */
  private paths: readonly string[] = [];
  /** The index of the path expected to be taken next (each is taken once, in the list's order). */
  private next = 0;
  /**
   * Path → its index (the first time it is listed), for the paths not taken yet: built only when one is
   * taken out of the list's order, and used from then on.
   */
  private where: Map<string, number> | undefined;
  /** Whether {@link list} has given the thread its list. */
  listed = false;
  /**
   * `got`: the thread's answer once it came (null: none will come), for the takes after that; `here`: the
   * batch was taken over by this thread (see {@link take}).
   */
  private readonly batches: { answer?: Promise<ReadAnswer | undefined>; resolve?: (a: ReadAnswer | undefined) => void; got?: ReadAnswer | null; left: number; here?: boolean }[] = [];
  /** Who reads each batch, shared with the thread (`ReadRequest.claims`). */
  private claims: Int32Array | undefined;
  /** Batches requested so far (0..sent-1). */
  private sent = 0;
  private failed = false;

  /**
   * Starts the thread; it reads nothing until {@link list} (given `paths`: at once). `takeOver: false`
   * (tests of the thread's own reads) makes {@link take} always wait for the thread's answer.
   */
  constructor(paths?: readonly string[], private readonly options: { takeOver?: boolean } = {}) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    // The bundle's reader is dist/vzlint-reader.js beside it; the sources (tests, bench) start readerWorker.ts through tsx.
    const fromSources = __filename.endsWith('.ts');
    const entry = fromSources ? `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'readerWorker.ts'))});` : path.join(__dirname, 'vzlint-reader.js');
    this.worker = new Worker(entry, { eval: fromSources, workerData: { vzlintReader: READER_PROTOCOL }, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.on('message', (a: ReadAnswer) => {
      const b = this.batches[a.seq];
      if (!b) return;
      if (b.resolve) b.got = a;
      b.resolve?.(a);
      b.resolve = undefined;
    });
    const fail = (): void => {
      this.failed = true;
      for (const b of this.batches) {
        if (b.resolve) b.got = null;
        b.resolve?.(undefined);
        b.resolve = undefined;
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
    // Until its list comes, the thread does not keep the process alive (a run that stops before, on an
    // invalid .vzconf.yaml, ends as it would without it).
    this.worker.unref();
    if (paths) this.list(paths);
  }

  /** Gives the thread the paths to read, in the order they will be taken (once). */
  list(paths: readonly string[]): void {
    if (this.listed) return;
    this.listed = true;
    this.worker.ref();
    this.paths = paths;
    for (let from = 0; from < paths.length; from += PREFETCH_BATCH) this.batches.push({ left: Math.min(PREFETCH_BATCH, paths.length - from) });
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, this.batches.length)));
    // The list once (a message per batch of 128 paths cost more than the thread saved), then how far to read.
    this.worker.postMessage({ paths: paths as string[], batch: PREFETCH_BATCH, claims: this.claims } satisfies ReadRequest);
    this.request(PREFETCH_AHEAD);
  }

  /** Asks for the batches up to `last` (inclusive). */
  private request(last: number): void {
    const before = this.sent;
    while (this.sent <= last && this.sent < this.batches.length && !this.failed) {
      const b = this.batches[this.sent] as (typeof this.batches)[number];
      b.answer = new Promise((resolve) => {
        b.resolve = resolve;
      });
      this.sent += 1;
    }
    if (this.sent > before) this.worker.postMessage({ upTo: this.sent - 1 } satisfies ReadRequest);
  }

  /**
   * The bytes the thread read of `abs`: undefined when `abs` is not in the list, or when its batch is read
   * by the caller (below); a promise of undefined when the thread did not read it (or failed); the bytes
   * themselves once the batch's answer has come, else a promise of them. Each path is answered once.
   *
   * A batch whose answer has not come and which the thread has not started on is taken over here (a
   * compare-and-exchange on its `claims` cell, which the thread also makes before it reads one): its files
   * are then answered undefined and the caller reads them itself, instead of waiting for the thread. That
   * happens at the start of a run, while the thread starts (~50 ms on a 2-core machine; the main thread
   * used to wait for it), and whenever the thread falls behind.
   */
  take(abs: string): Buffer | Promise<Buffer | undefined> | undefined {
    if (!this.listed) return undefined;
    let at: number | undefined;
    if (this.where === undefined && this.paths[this.next] === abs) {
      at = this.next;
      this.next += 1;
    } else {
      if (this.where === undefined) {
        // Out of order: the paths not taken yet, by index (all before `next` were taken, in order).
        this.where = new Map();
        for (let i = this.next; i < this.paths.length; i += 1) {
          const p = this.paths[i] as string;
          if (!this.where.has(p)) this.where.set(p, i);
        }
      }
      at = this.where.get(abs);
      if (at === undefined) return undefined;
      this.where.delete(abs);
    }
    const seq = Math.floor(at / PREFETCH_BATCH);
    const index = at % PREFETCH_BATCH;
    this.request(seq + PREFETCH_AHEAD);
    const b = this.batches[seq];
    if (!b?.answer) return Promise.resolve(undefined);
    const answer = b.answer;
    const got = b.got;
    b.left -= 1;
    // Once every file of the batch is taken, the batch forgets its answer (its buffer goes with the last view).
    if (b.left === 0) {
      b.answer = undefined;
      b.got = undefined;
    }
    const bytesOf = (a: ReadAnswer | null | undefined): Buffer | undefined => {
      if (!a) return undefined;
      const len = a.offsets[2 * index + 1] as number;
      return len < 0 ? undefined : Buffer.from(a.buffer, a.offsets[2 * index] as number, len);
    };
    // The answer has come: the bytes at once (a file the thread did not read is rare: a promise).
    if (got !== undefined) return bytesOf(got) ?? Promise.resolve(undefined);
    if (b.here === true || (this.claims !== undefined && this.options.takeOver !== false && Atomics.compareExchange(this.claims, seq, CLAIM_FREE, CLAIM_MAIN) === CLAIM_FREE)) {
      b.here = true;
      return undefined;
    }
    return answer.then(bytesOf);
  }

  /**
   * Ends the thread: it is asked to stop and no longer keeps the process alive; the caller does not wait
   * until it has stopped (10-15 ms in which a 10,000-container run sat idle before its output).
   */
  close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failed = true;
    for (const b of this.batches) {
      b.resolve?.(undefined);
      b.resolve = undefined;
    }
    this.worker.unref();
    this.worker.terminate().catch(() => undefined);
    return Promise.resolve();
  }
}

/** Files read ahead while the previous ones are linted. */
export const READ_BATCH = 64;


/**
 * A config's text from a stream (`vzlint -`: standard input), bounded like a file: at most
 * {@link MAX_FILE_BYTES} bytes are kept; beyond that the stream is left (not read to its end, so
 * `vzlint - < /dev/zero` stops) and, as for a file, the text is empty and `sizeBytes` (the bytes read so
 * far, `sizeAtLeast`: the stream's size is not known) makes the engine report one `file-too-large` finding. UTF-8 with replacement, as files.
 */
export async function readStreamBounded(stream: AsyncIterable<Uint8Array | string>, maxBytes = MAX_FILE_BYTES): Promise<ReadText> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += b.length;
    if (size > maxBytes) return { text: '', sizeBytes: size, sizeAtLeast: true };
    chunks.push(b);
  }
  const bytes = new Uint8Array(Buffer.concat(chunks, size));
  return { text: decodeUtf8(bytes), bytes };
}

/** A {@link ConfigReader} that answers one path (standard input's, `--stdin-filename`) with text already read. */
export class StdinConfigReader extends ConfigReader {
  constructor(private readonly stdinPath: string, private readonly stdinText: ReadText) {
    super();
  }

  override readNow(abs: string): ReadText | { error: string } | Promise<ReadText | { error: string }> {
    return abs === this.stdinPath ? this.stdinText : super.readNow(abs);
  }

  override readApart(abs: string): ReadText | { error: string } | Promise<ReadText | { error: string }> {
    return abs === this.stdinPath ? this.stdinText : super.readApart(abs);
  }
}
