/**
 * How vzlint reads the files it lints: bounded in size and time (`util/boundedRead.ts`), local-disk files
 * synchronously ({@link ConfigReader}), decoded as UTF-8 with replacement. Shared by the main thread and
 * the worker threads (`lintWorker.ts`).
 */
import { stat } from 'node:fs/promises';
import { MAX_FILE_BYTES } from '../limits';
import { BoundedReadError, decodeUtf8, LocalFileReads, readFileBounded } from '../util/boundedRead';

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
          return { text: '', sizeBytes: MAX_FILE_BYTES + 1 };
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

  async read(abs: string): Promise<ReadText | { error: string }> {
    const bytes = this.local.read(abs);
    if (bytes) return { text: decodeUtf8(bytes), bytes };
    return readBounded(abs);
  }
}

/** Files read ahead while the previous ones are linted. */
export const READ_BATCH = 64;


/**
 * A config's text from a stream (`vzlint -`: standard input), bounded like a file: at most
 * {@link MAX_FILE_BYTES} bytes are kept; beyond that the stream is left (not read to its end, so
 * `vzlint - < /dev/zero` stops) and, as for a file, the text is empty and `sizeBytes` (at least the limit
 * plus one) makes the engine report one `file-too-large` finding. UTF-8 with replacement, as files.
 */
export async function readStreamBounded(stream: AsyncIterable<Uint8Array | string>, maxBytes = MAX_FILE_BYTES): Promise<ReadText> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += b.length;
    if (size > maxBytes) return { text: '', sizeBytes: size };
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

  override async read(abs: string): Promise<ReadText | { error: string }> {
    return abs === this.stdinPath ? this.stdinText : super.read(abs);
  }
}
