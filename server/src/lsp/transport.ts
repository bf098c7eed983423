/**
 * The language server's transport, strict where vscode-jsonrpc is lenient:
 *
 * - {@link StrictStreamMessageReader} reads LSP base-protocol frames (`Content-Length: N\r\n\r\n` + N
 *   bytes of UTF-8 JSON) from a byte stream (stdio, socket, pipe). A header section without a
 *   `Content-Length` that is a non-negative decimal integer (vscode-jsonrpc takes `12abc` as 12 and
 *   `-5` as -5), a header section longer than {@link MAX_HEADER_BYTES}, a frame larger than
 *   {@link MAX_MESSAGE_BYTES}, a charset other than UTF-8 or a body that is not JSON is an error: the
 *   reader fires `onError` once and reads nothing more (the stream can no longer be trusted, so the server
 *   logs it and exits non-zero instead of staying alive and silent). A body not yet fully arrived is
 *   waited for, however slowly it comes.
 * - {@link ProtocolGate} answers what the LSP specification (3.17, "Lifecycle Messages") says the server
 *   answers before `initialize` and after `shutdown`, before any handler sees the message: a request
 *   before `initialize` gets error -32002 (ServerNotInitialized) and a notification is dropped (except
 *   `exit`); after `shutdown` every request gets -32600 (InvalidRequest) and notifications other than
 *   `exit` are dropped; a second `initialize` gets -32600. A message that is not a JSON-RPC object gets
 *   -32600 with id null (JSON-RPC 2.0 §5). Params that are no structured value get -32600, those of a
 *   `textDocument/…` request that are no object -32602 (InvalidParams); such notifications are dropped.
 *   (Fields inside the params are checked by the handlers: ./params.)
 */
import { Socket as NetSocket, type Socket } from 'node:net';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  Disposable,
  type DataCallback,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { publishDiagnosticsFrame, reusableFrameBuffer } from './json';

/** The largest frame accepted, in bytes: above what editors sync (VS Code syncs files up to 50 MB). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The longest header section accepted, in bytes (real ones have about 30). */
export const MAX_HEADER_BYTES = 8 * 1024;

/** JSON-RPC / LSP error codes used by the gate. */
export const ERROR_SERVER_NOT_INITIALIZED = -32002;
export const ERROR_INVALID_REQUEST = -32600;
export const ERROR_INVALID_PARAMS = -32602;

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

/**
 * Writes LSP frames to a byte stream as one write each: the `Content-Length` header and the UTF-8 JSON body
 * encoded straight into a single buffer (diagnostics as ASCII JSON by their own serializer: see ./json). vscode-jsonrpc's `StreamMessageWriter` makes two writes per
 * message (header, then body, each a system call on a pipe that may wake the editor before the body is
 * there) and copies the body once more; for 10,000 diagnostics per keystroke both show in the profile.
 * Messages leave in the order `write` is called (encoding is synchronous). A failed write is reported
 * through `onError` with the message; the promise rejects.
 */
export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;
  /**
   * The buffer of the last diagnostics frame, free again (its write completed), for the next one; only on a
   * socket (stdio pipes and sockets are `net.Socket`s), which refers to a chunk no more once its write
   * callback ran. Another stream may keep the chunk after that (a PassThrough queues it for its reader).
   */
  private scratch: Buffer | undefined;
  private readonly reuse: boolean;

  constructor(private readonly writable: NodeJS.WritableStream | Socket) {
    super();
    this.reuse = writable instanceof NetSocket;
    writable.on('error', (err: Error) => this.fireError(err));
    writable.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let frame: Buffer;
    // The scratch buffer is this frame's until its write completes.
    const scratch = this.scratch;
    this.scratch = undefined;
    let reusable = false;
    try {
      const diagnostics = publishDiagnosticsFrame(msg, scratch);
      if (diagnostics) {
        frame = diagnostics;
        reusable = this.reuse;
      } else {
        this.scratch = scratch;
        const json = JSON.stringify(msg);
        const length = Buffer.byteLength(json, 'utf8');
        const header = `Content-Length: ${length}\r\n\r\n`;
        frame = Buffer.allocUnsafe(header.length + length);
        frame.write(header, 0, 'ascii');
        frame.write(json, header.length, 'utf8');
      }
    } catch (err) {
      this.errorCount += 1;
      this.fireError(err, msg, this.errorCount);
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.writable.write(frame, (err?: Error | null) => {
        if (err) {
          this.errorCount += 1;
          this.fireError(err, msg, this.errorCount);
          reject(err);
        } else {
          this.errorCount = 0;
          if (reusable) this.scratch = reusableFrameBuffer(frame);
          resolve();
        }
      });
    });
  }

  end(): void {
    // The stream belongs to the process (stdout) or the socket's owner: nothing to release here.
  }
}

/** Reads LSP frames strictly from a byte stream; see the module comment. */
export class StrictStreamMessageReader extends AbstractMessageReader {
  private chunks: Buffer[] = [];
  private total = 0;
  /** Body length of the frame being read, or -1 while reading its header. */
  private expected = -1;
  private failed = false;
  private callback: DataCallback | undefined;

  constructor(private readonly readable: NodeJS.ReadableStream | Socket) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer | string): void => this.onData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    const onError = (err: Error): void => this.fireError(err);
    const onClose = (): void => this.fireClose();
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    return Disposable.create(() => {
      this.readable.off('data', onData);
      this.readable.off('error', onError);
      this.readable.off('end', onClose);
      this.readable.off('close', onClose);
    });
  }

  private fail(message: string): void {
    this.failed = true;
    this.chunks = [];
    this.total = 0;
    this.fireError(new Error(message));
  }

  private onData(data: Buffer): void {
    if (this.failed) return;
    this.chunks.push(data);
    this.total += data.length;
    for (;;) {
      if (this.failed) return;
      if (this.expected < 0) {
        const head = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.total);
        this.chunks = [head];
        const end = head.indexOf(HEADER_END);
        if (end < 0) {
          if (head.length > MAX_HEADER_BYTES) this.fail(`malformed LSP frame: no end of header (\\r\\n\\r\\n) within ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        if (end > MAX_HEADER_BYTES) {
          this.fail(`malformed LSP frame: header longer than ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        const length = this.parseHeader(head.subarray(0, end).toString('latin1'));
        if (length === undefined) return;
        this.expected = length;
        const rest = head.subarray(end + HEADER_END.length);
        this.chunks = rest.length > 0 ? [rest] : [];
        this.total = rest.length;
      }
      if (this.total < this.expected) return;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.total);
      const body = all.subarray(0, this.expected);
      const rest = all.subarray(this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.total = rest.length;
      this.expected = -1;
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch (err) {
        this.fail(`malformed LSP frame: the body is not JSON (${(err as Error).message.slice(0, 200)})`);
        return;
      }
      this.callback?.(message as Message);
      if (this.total === 0) return;
    }
  }

  /** The body length a header section announces, or undefined after failing. */
  private parseHeader(text: string): number | undefined {
    let length: number | undefined;
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.fail(`malformed LSP frame: header line ${JSON.stringify(line.slice(0, 80))} is not "Name: value"`);
        return undefined;
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) {
          this.fail(`malformed LSP frame: Content-Length ${JSON.stringify(value.slice(0, 40))} is not a non-negative integer`);
          return undefined;
        }
        // Two lengths leave the frame's end ambiguous: the rest of the stream could be read two ways.
        if (length !== undefined) {
          this.fail('malformed LSP frame: more than one Content-Length header');
          return undefined;
        }
        length = Number(value);
      } else if (name === 'content-type') {
        const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(value)?.[1]?.toLowerCase();
        if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
          this.fail(`malformed LSP frame: charset ${JSON.stringify(charset.slice(0, 40))} is not supported (only utf-8)`);
          return undefined;
        }
      }
    }
    if (length === undefined) {
      this.fail('malformed LSP frame: no Content-Length header');
      return undefined;
    }
    if (length > MAX_MESSAGE_BYTES) {
      this.fail(`LSP message of ${length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`);
      return undefined;
    }
    return length;
  }
}

/**
 * Why the params of message `m` (method `method`) are unusable, or undefined when they are fine: present
 * but not a structured value (JSON-RPC 2.0 §4.2: -32600), or not an object for a `textDocument/…`
 * method, whose params the LSP specification always defines as an object (-32602).
 */
function badParams(method: string, m: Record<string, unknown>): { code: number; message: string } | undefined {
  const params = m.params;
  if ('params' in m && (typeof params !== 'object' || params === null)) {
    return { code: ERROR_INVALID_REQUEST, message: `Invalid Request: the params of ${shown(method)} must be an object or an array` };
  }
  if (method.startsWith('textDocument/') && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return { code: ERROR_INVALID_PARAMS, message: `Invalid params: the params of ${shown(method)} must be an object` };
  }
  return undefined;
}

/** Where the server is in the LSP lifecycle. */
export type LifecycleState = 'uninitialized' | 'initialized' | 'shutdown';

/** A message's `method` cut for an error message. */
function shown(method: string): string {
  return method.length > 80 ? `${method.slice(0, 80)}…` : method;
}

/** Wraps a reader: answers lifecycle errors per the LSP specification itself; see the module comment. */
export class ProtocolGate implements MessageReader {
  state: LifecycleState = 'uninitialized';

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {}

  get onError(): MessageReader['onError'] {
    return this.inner.onError;
  }

  get onClose(): MessageReader['onClose'] {
    return this.inner.onClose;
  }

  get onPartialMessage(): MessageReader['onPartialMessage'] {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((msg) => this.filter(msg, callback));
  }

  dispose(): void {
    this.inner.dispose();
  }

  private reply(id: number | string | null, code: number, message: string): void {
    this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as unknown as Message).catch(() => undefined);
  }

  private filter(msg: Message, forward: DataCallback): void {
    const m = msg as unknown as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      this.reply(null, ERROR_INVALID_REQUEST, 'Invalid Request: not a JSON-RPC message object');
      return;
    }
    const id = m.id;
    const validId = typeof id === 'number' || typeof id === 'string';
    const method = typeof m.method === 'string' ? m.method : undefined;
    if (method === undefined) {
      // A response to one of the server's own requests goes on; anything else is invalid.
      if (validId || id === null) {
        if ('result' in m || 'error' in m) forward(msg);
        else this.reply(validId ? id : null, ERROR_INVALID_REQUEST, 'Invalid Request: no method');
      } else {
        this.reply(null, ERROR_INVALID_REQUEST, 'Invalid Request: no method');
      }
      return;
    }
    const isRequest = 'id' in m;
    if (isRequest && !validId) {
      this.reply(null, ERROR_INVALID_REQUEST, `Invalid Request: the id of ${shown(method)} must be a number or a string`);
      return;
    }
    const requestId = id as number | string;
    if (this.state === 'uninitialized') {
      if (isRequest && method === 'initialize') {
        this.state = 'initialized';
        forward(msg);
      } else if (!isRequest && method === 'exit') {
        forward(msg);
      } else if (isRequest) {
        this.reply(requestId, ERROR_SERVER_NOT_INITIALIZED, `Server not initialized: ${shown(method)} was sent before initialize`);
      }
      return;
    }
    if (this.state === 'shutdown') {
      if (!isRequest && method === 'exit') forward(msg);
      else if (isRequest) this.reply(requestId, ERROR_INVALID_REQUEST, `Invalid Request: ${shown(method)} was sent after shutdown`);
      return;
    }
    if (isRequest && method === 'initialize') {
      this.reply(requestId, ERROR_INVALID_REQUEST, 'Invalid Request: initialize was already sent');
      return;
    }
    // vscode-languageserver reads `params.workDoneToken` before any handler runs: params that are no object
    // made each such request an exception with its stack trace in the client's log.
    const bad = badParams(method, m);
    if (bad !== undefined) {
      if (isRequest) this.reply(requestId, bad.code, bad.message);
      return;
    }
    if (isRequest && method === 'shutdown') this.state = 'shutdown';
    forward(msg);
  }
}
