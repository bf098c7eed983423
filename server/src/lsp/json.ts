/**
 * JSON text for the language server's frames, written as ASCII: every character outside printable ASCII
 * is escaped (`\uXXXX`), so a text's UTF-8 length is its length and it goes into the frame buffer as a
 * plain byte copy (no `Buffer.byteLength` pass, no UTF-8 encoding pass).
 *
 * `textDocument/publishDiagnostics` has a writer of its own ({@link publishDiagnosticsFrame}): a document
 * can have 10,000 diagnostics, re-sent on every keystroke, and most of each one (severity, code, docs
 * link, source, often the message) is the same for every diagnostic of a rule, so that part is encoded
 * once and copied. The server's diagnostics ({@link LspDiagnostic}) are written field by field; any other
 * value by `JSON.stringify`. For every value, `JSON.parse` of the text gives what
 * `JSON.parse(JSON.stringify(value))` gives (test/unit/json.test.ts); only the spelling differs (escapes
 * instead of raw non-ASCII characters).
 */
import type { Message } from 'vscode-languageserver/node';
import { LspDiagnostic } from '../service/diagnostics';

/** Characters a JSON string may hold as they are and an ASCII text keeps: printable ASCII but `"` and `\`. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
/** Any character outside ASCII (in a JSON text, only inside strings). */
const NON_ASCII = /[\u0080-\uffff]/g;
const HEX = '0123456789abcdef';

function unicodeEscape(c: number): string {
  return `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

/**
 * The JSON text of a string, in ASCII: `"`, `\` and the control characters escaped as `JSON.stringify`
 * escapes them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX`), and every other character above
 * U+007E as `\uXXXX` (a surrogate pair as two escapes, a lone surrogate as one, as `JSON.stringify` does).
 */
export function jsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (i > from) out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      default: out += unicodeEscape(c);
    }
  }
  if (from < s.length) out += s.slice(from);
  return `${out}"`;
}

/**
 * `JSON.stringify(value)` in ASCII (see the module comment); `undefined` where `JSON.stringify` gives
 * undefined (a function, a symbol, undefined itself).
 */
export function asciiJson(value: unknown): string | undefined {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return undefined;
  // Outside strings a JSON text is ASCII, so each non-ASCII character is inside one and may be escaped.
  return json.replace(NON_ASCII, (ch) => unicodeEscape(ch.charCodeAt(0)));
}

/** Whether `x` is a number JSON writes as the same digits as the template literal does (an integer). */
function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

/** Number of own enumerable properties (what `JSON.stringify` visits), without building an array. */
function ownKeyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n += 1;
  return n;
}

/** Bytes of an ASCII string. */
function ascii(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/**
 * An ASCII JSON text built in a growing byte buffer, `reserve` bytes left free at its start (for the frame
 * header the writer puts there).
 */
class AsciiBytes {
  buf: Buffer;
  pos: number;

  /** `scratch`: a buffer to write into when it holds `size` bytes (its old content is overwritten). */
  constructor(size: number, readonly reserve = 0, scratch?: Buffer) {
    const n = Math.max(size, reserve + 64);
    // Never a slice of Node's shared pool: a frame's buffer is its own, so that it can be reused.
    this.buf = scratch !== undefined && scratch.length >= n ? scratch : Buffer.allocUnsafeSlow(n);
    this.pos = reserve;
  }

  /** Makes room for `n` more bytes (`buf` may then be another buffer). */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** An ASCII string (the caller knows it is). */
  text(s: string): void {
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  toString(): string {
    return this.buf.toString('latin1', this.reserve, this.pos);
  }
}

/** First guess of a diagnostic's length (about 300 bytes with a file: docs link): the buffer rarely grows. */
const BYTES_PER_DIAGNOSTIC = 384;

const RANGE_START = ascii('{"range":{"start":{"line":');
const CHARACTER = ascii(',"character":');
const RANGE_END = ascii('},"end":{"line":');
/** The most bytes a range takes: its constant parts, four integers of up to 10 digits and a leading comma. */
const RANGE_MAX = 1 + RANGE_START.length + 2 * CHARACTER.length + RANGE_END.length + 2 + 4 * 10;
const MAX_INT = 0x7fffffff;

/**
 * Copies the short constant `b` into `buf` at `p`, byte by byte (cheaper than a TypedArray.set call for
 * a few dozen bytes); returns the position after it. The caller has made room.
 */
function putBytes(buf: Buffer, p: number, b: Uint8Array): number {
  const n = b.length;
  for (let i = 0; i < n; i += 1) buf[p + i] = b[i] as number;
  return p + n;
}

/** Writes `n` (an integer from 0 to {@link MAX_INT}) as JSON writes it; returns the position after it. */
function putInt(buf: Buffer, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  let digits = 2;
  for (let x = n; x >= 100; x = (x / 10) | 0) digits += 1;
  const after = p + digits;
  let q = after;
  do {
    buf[--q] = 48 + (n % 10);
    n = (n / 10) | 0;
  } while (n > 0);
  return after;
}

/** Whether `x` is an integer {@link putInt} writes. */
function isSmallInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_INT;
}

/**
 * What the last diagnostic ended with (after its range): reused while the next has the same rule,
 * severity, link, message and tags; `head` (severity, code, link and source) while it has the same rule,
 * severity and link, so that a rule whose messages differ per line encodes only the message.
 */
interface Tail {
  code: string;
  severity: number;
  codeDescription: object | undefined;
  head: string;
  message: string;
  tags: readonly number[] | undefined;
  bytes: Uint8Array;
}

/** The part of `tail` after the range for `d`, re-encoded as far as `d` differs from the last one. */
function updateTail(tail: Tail, d: LspDiagnostic): void {
  const { code, severity, codeDescription, message, tags } = d;
  if (tail.code !== code || tail.severity !== severity || tail.codeDescription !== codeDescription || tail.head === '') {
    tail.code = code;
    tail.severity = severity;
    tail.codeDescription = codeDescription;
    tail.head = `,"severity":${asciiJson(severity) ?? 'null'},"code":${jsonString(code)},"codeDescription":${asciiJson(codeDescription) ?? 'null'},"source":"vzconf","message":`;
  } else if (tail.message === message && tail.tags === tags) return;
  tail.message = message;
  tail.tags = tags;
  const tagText = tags !== undefined ? `,"tags":${asciiJson(tags) ?? 'null'}` : '';
  tail.bytes = ascii(`${tail.head}${jsonString(message)}${tagText}}`);
}

/**
 * Writes one of the server's diagnostics (after a comma unless `first`) and returns true; false, writing
 * nothing, when a position is not a pair of integers from 0 to 2^31 - 1 (never for the engine's ranges;
 * the caller then writes it with {@link asciiJson}).
 */
function writeDiagnostic(out: AsciiBytes, d: LspDiagnostic, tail: Tail, first: boolean): boolean {
  const { start, end } = d.range;
  if (typeof start !== 'object' || start === null || typeof end !== 'object' || end === null) return false;
  const sl = start.line;
  const sc = start.character;
  const el = end.line;
  const ec = end.character;
  if (!isSmallInt(sl) || !isSmallInt(sc) || !isSmallInt(el) || !isSmallInt(ec)) return false;
  // Diagnostics of one rule often end alike (the same message object): that end is encoded once.
  if (tail.code !== d.code || tail.severity !== d.severity || tail.codeDescription !== d.codeDescription || tail.message !== d.message || tail.tags !== d.tags) updateTail(tail, d);
  const rest = tail.bytes;
  out.room(RANGE_MAX + rest.length);
  const buf = out.buf;
  let p = out.pos;
  if (!first) buf[p++] = 0x2c;
  p = putInt(buf, putBytes(buf, p, RANGE_START), sl);
  p = putInt(buf, putBytes(buf, p, CHARACTER), sc);
  p = putInt(buf, putBytes(buf, p, RANGE_END), el);
  p = putInt(buf, putBytes(buf, p, CHARACTER), ec);
  buf[p++] = 0x7d;
  buf[p++] = 0x7d;
  buf.set(rest, p);
  out.pos = p + rest.length;
  return true;
}

/** Writes the JSON text of an array of diagnostics (see {@link diagnosticsJson}). */
function writeDiagnostics(out: AsciiBytes, list: readonly unknown[]): void {
  const tail: Tail = { code: '', severity: 0, codeDescription: undefined, head: '', message: '', tags: undefined, bytes: new Uint8Array(0) };
  out.text('[');
  for (let i = 0; i < list.length; i += 1) {
    const d = list[i];
    if (d instanceof LspDiagnostic && writeDiagnostic(out, d, tail, i === 0)) continue;
    if (i > 0) out.text(',');
    out.text(asciiJson(d) ?? 'null');
  }
  out.text(']');
}

/**
 * The JSON text (ASCII) of an array of LSP diagnostics: `JSON.parse` of it equals
 * `JSON.parse(JSON.stringify(list))`. The server's diagnostics ({@link LspDiagnostic}) are written field by
 * field, what follows the range once per run of alike ones; any other value by `JSON.stringify`.
 */
export function diagnosticsJson(list: readonly unknown[]): string {
  const out = new AsciiBytes(64 + list.length * BYTES_PER_DIAGNOSTIC);
  writeDiagnostics(out, list);
  return out.toString();
}

/** Room left before a frame's body for its header (`Content-Length: ` + up to 16 digits + CRLF CRLF). */
const HEADER_ROOM = 40;

/**
 * A whole LSP frame (header and ASCII body, one buffer) of a `textDocument/publishDiagnostics`
 * notification of the LSP shape (uri, optional integer version, diagnostics), written by the diagnostics
 * serializer; undefined for any other message (the caller writes it with `JSON.stringify`).
 *
 * `scratch`: a buffer the frame may be written into (the result is then a part of it; see
 * {@link reusableFrameBuffer}), when it is large enough; else a new buffer is allocated. A frame of
 * 1,000 diagnostics takes about 300 KB, and a fresh buffer of that size costs page faults on every
 * keystroke (about 0.15 ms, more than writing the diagnostics into it).
 */
export function publishDiagnosticsFrame(msg: Message, scratch?: Buffer): Buffer | undefined {
  const m = msg as unknown as { jsonrpc?: unknown; method?: unknown; params?: unknown };
  if (m.method !== 'textDocument/publishDiagnostics' || m.jsonrpc !== '2.0' || 'id' in m || ownKeyCount(m) !== 3 || 'toJSON' in m) return undefined;
  const p = m.params as { uri?: unknown; version?: unknown; diagnostics?: unknown } | null | undefined;
  if (typeof p !== 'object' || p === null || 'toJSON' in p || typeof p.uri !== 'string' || !Array.isArray(p.diagnostics) || 'toJSON' in p.diagnostics) return undefined;
  const keys = ownKeyCount(p);
  if (p.version === undefined ? !(keys === 2 || (keys === 3 && 'version' in p)) : !(isInt(p.version) && keys === 3)) return undefined;
  const out = new AsciiBytes(HEADER_ROOM + 256 + p.diagnostics.length * BYTES_PER_DIAGNOSTIC, HEADER_ROOM, scratch);
  out.text(`{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":${jsonString(p.uri)}`);
  if (p.version !== undefined) out.text(`,"version":${p.version}`);
  out.text(',"diagnostics":');
  writeDiagnostics(out, p.diagnostics);
  out.text('}}');
  const header = `Content-Length: ${out.pos - HEADER_ROOM}\r\n\r\n`;
  const begin = HEADER_ROOM - header.length;
  out.buf.write(header, begin, 'latin1');
  return out.buf.subarray(begin, out.pos);
}

/** Buffers below this size are not worth keeping (a fresh one costs little). */
const MIN_SCRATCH_BYTES = 64 * 1024;
/** Frames above this size are not kept (a 10,000-diagnostic frame is about 3 MB). */
const MAX_SCRATCH_BYTES = 8 * 1024 * 1024;

/**
 * The whole buffer under a frame of {@link publishDiagnosticsFrame} (always a buffer of its own, never a
 * slice of Node's shared pool), to pass as its `scratch` once the frame has been written and nothing
 * refers to it any more; undefined when it is not worth keeping (under 64 KiB or over 8 MiB). Only for
 * frames of publishDiagnosticsFrame.
 */
export function reusableFrameBuffer(frame: Buffer): Buffer | undefined {
  const size = frame.buffer.byteLength;
  if (size < MIN_SCRATCH_BYTES || size > MAX_SCRATCH_BYTES) return undefined;
  return Buffer.from(frame.buffer, 0, size);
}
