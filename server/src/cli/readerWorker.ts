/**
 * The reading thread of a large vzlint run (see {@link Prefetcher} in `read.ts`): it reads the files the
 * main thread will lint next, with the same checks as the main thread's own synchronous reads
 * (`LocalFileReads`: a regular file of a local disk, no symbolic link, at most `MAX_FILE_BYTES` bytes), and
 * sends each batch's bytes in one transferred buffer. A file it does not read (any other case, any error)
 * is marked so, and the main thread reads it itself through the bounded reader, which words the error.
 *
 * Bundled on its own (`dist/vzlint-reader.js`, a few KB): the thread starts in a few milliseconds and
 * compiles nothing of the engine.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MAX_FILE_BYTES } from '../limits';
import { LocalFileReads } from '../util/boundedRead';
import { CLAIM_FREE, CLAIM_READER, READER_PROTOCOL } from './readerProtocol';

/**
 * main → reader: first the whole list of paths (absolute) and the batch size, once; then, as the main
 * thread goes on, the last batch it wants read by now (batches are read in order, each answered on its own).
 * `claims` (shared with the main thread, one cell per batch, {@link CLAIM_FREE} at first) says who reads
 * each batch: this thread takes a batch with a compare-and-exchange to {@link CLAIM_READER} before it
 * reads it, and skips (answers nothing for) one the main thread took ({@link CLAIM_MAIN}) because it got
 * there first; without `claims` every batch asked for is read.
 */
export type ReadRequest = { paths: string[]; batch: number; claims?: Int32Array } | { upTo: number };

/**
 * reader → main: the bytes of the batch's files one after the other in `buffer` (transferred); file `i`
 * is `buffer[offsets[2i] … offsets[2i] + offsets[2i + 1])`, or not read when its length is -1.
 */
export interface ReadAnswer {
  seq: number;
  buffer: ArrayBuffer;
  offsets: Int32Array;
}

/**
 * Bytes one batch holds at most: the files after that are left to the main thread (a batch of 4 MiB files
 * would otherwise hold hundreds of MiB in flight).
 */
export const READER_BATCH_BYTES = 8 * 1024 * 1024;

/** Answers read requests on `port` until the main thread ends the thread. */
export function runReader(port: Pick<NonNullable<typeof parentPort>, 'on' | 'postMessage'>): void {
  const local = new LocalFileReads(MAX_FILE_BYTES);
  let paths: string[] = [];
  let batch = 1;
  let claims: Int32Array | undefined;
  /** The next batch to read. */
  let next = 0;
  port.on('message', (req: ReadRequest) => {
    if ('paths' in req) {
      paths = req.paths;
      batch = Math.max(1, req.batch);
      claims = req.claims;
      next = 0;
      return;
    }
    for (; next <= req.upTo && next * batch < paths.length; next += 1) {
      if (claims && next < claims.length && Atomics.compareExchange(claims, next, CLAIM_FREE, CLAIM_READER) !== CLAIM_FREE) continue;
      const [answer, transfer] = readBatch(local, next, paths.slice(next * batch, (next + 1) * batch));
      port.postMessage(answer, transfer);
    }
  });
}

/** One batch read: the answer and its transfer list. */
function readBatch(local: LocalFileReads, seq: number, list: readonly string[]): [ReadAnswer, ArrayBuffer[]] {
  const offsets = new Int32Array(list.length * 2);
  const parts: (Buffer | undefined)[] = [];
  let size = 0;
  for (let i = 0; i < list.length; i += 1) {
    const bytes = size < READER_BATCH_BYTES ? local.read(list[i] as string) : undefined;
    parts.push(bytes);
    offsets[2 * i] = size;
    offsets[2 * i + 1] = bytes ? bytes.length : -1;
    if (bytes) size += bytes.length;
  }
  const buffer = new ArrayBuffer(size);
  const all = new Uint8Array(buffer);
  for (let i = 0; i < parts.length; i += 1) {
    const bytes = parts[i];
    if (bytes) all.set(bytes, offsets[2 * i] as number);
  }
  return [{ seq, buffer, offsets }, [buffer, offsets.buffer]];
}

// Only for a main thread of this build's protocol: any other one gets no answer, sees this thread end, and reads itself.
if (parentPort && (workerData as { vzlintReader?: unknown } | undefined)?.vzlintReader === READER_PROTOCOL) runReader(parentPort);
