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

interface Position { line: number; character: number }

/**
 * Whether `p` has integer `line` and `character` (an engine Position always has, and nothing else; a
 * diagnostic's positions are written as these two fields).
 */
function isPosition(p: unknown): p is Position {
  return typeof p === 'object' && p !== null && isInt((p as Position).line) && isInt((p as Position).character);
}

/** Bytes of an ASCII string. */
function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/**
 * An ASCII JSON text built in a growing byte buffer, `reserve` bytes left free at its start (for the frame
 * header the writer puts there).
 */
class AsciiBytes {
  buf: Buffer;
  pos: number;

  constructor(size: number, readonly reserve = 0) {
    this.buf = Buffer.allocUnsafe(Math.max(size, reserve + 64));
    this.pos = reserve;
  }

  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    // Short runs byte by byte (cheaper than a TypedArray.set call); long ones in one copy.
    if (n <= 32) for (let i = 0; i < n; i += 1) buf[p++] = b[i] as number;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** An ASCII string (the caller knows it is). */
  text(s: string): void {
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** An integer as JSON writes it. */
  int(n: number): void {
    if (n < 0 || n > 0x7fffffff) {
      this.text(String(n));
      return;
    }
    this.room(10);
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits += 1;
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    do {
      buf[--p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
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
const RANGE_CLOSE = ascii('}}');
const COMMA = ascii(',');

/** What the last diagnostic ended with (after its range): reused while the next has the same rule, severity, link, message and tags. */
interface Tail {
  code: string;
  severity: number;
  codeDescription: object | undefined;
  message: string;
  tags: readonly number[] | undefined;
  bytes: Uint8Array;
}

/**
 * Writes one of the server's diagnostics and returns true; false, writing nothing, when a position is
 * not a pair of integers (never for the engine's ranges; the caller then writes it with {@link asciiJson}).
 */
function writeDiagnostic(out: AsciiBytes, d: LspDiagnostic, tail: Tail): boolean {
  const { start, end } = d.range;
  if (!isPosition(start) || !isPosition(end)) return false;
  out.bytes(RANGE_START);
  out.int(start.line);
  out.bytes(CHARACTER);
  out.int(start.character);
  out.bytes(RANGE_END);
  out.int(end.line);
  out.bytes(CHARACTER);
  out.int(end.character);
  out.bytes(RANGE_CLOSE);
  // Diagnostics of one rule often end alike (the same message object): that end is encoded once.
  const { code, severity, codeDescription, message, tags } = d;
  if (tail.code !== code || tail.severity !== severity || tail.codeDescription !== codeDescription || tail.message !== message || tail.tags !== tags) {
    tail.code = code;
    tail.severity = severity;
    tail.codeDescription = codeDescription;
    tail.message = message;
    tail.tags = tags;
    const tagText = tags !== undefined ? `,"tags":${asciiJson(tags) ?? 'null'}` : '';
    tail.bytes = ascii(`,"severity":${asciiJson(severity) ?? 'null'},"code":${jsonString(code)},"codeDescription":${asciiJson(codeDescription) ?? 'null'},"source":"vzconf","message":${jsonString(message)}${tagText}}`);
  }
  out.bytes(tail.bytes);
  return true;
}

/** Writes the JSON text of an array of diagnostics (see {@link diagnosticsJson}). */
function writeDiagnostics(out: AsciiBytes, list: readonly unknown[]): void {
  const tail: Tail = { code: '', severity: 0, codeDescription: undefined, message: '', tags: undefined, bytes: new Uint8Array(0) };
  out.text('[');
  for (let i = 0; i < list.length; i += 1) {
    if (i > 0) out.bytes(COMMA);
    const d = list[i];
    if (d instanceof LspDiagnostic && writeDiagnostic(out, d, tail)) continue;
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
 */
export function publishDiagnosticsFrame(msg: Message): Buffer | undefined {
  const m = msg as unknown as { jsonrpc?: unknown; method?: unknown; params?: unknown };
  if (m.method !== 'textDocument/publishDiagnostics' || m.jsonrpc !== '2.0' || 'id' in m || ownKeyCount(m) !== 3 || 'toJSON' in m) return undefined;
  const p = m.params as { uri?: unknown; version?: unknown; diagnostics?: unknown } | null | undefined;
  if (typeof p !== 'object' || p === null || 'toJSON' in p || typeof p.uri !== 'string' || !Array.isArray(p.diagnostics) || 'toJSON' in p.diagnostics) return undefined;
  const keys = ownKeyCount(p);
  if (p.version === undefined ? !(keys === 2 || (keys === 3 && 'version' in p)) : !(isInt(p.version) && keys === 3)) return undefined;
  const out = new AsciiBytes(HEADER_ROOM + 256 + p.diagnostics.length * BYTES_PER_DIAGNOSTIC, HEADER_ROOM);
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
