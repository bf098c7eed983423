/**
 * A stand-in language server for the LSP bench (test/bench/lsp.ts) that does no work: over stdio it
 * answers `initialize`, and every `didOpen` / `didChange` of a document at once with diagnostics recorded
 * from the real server, encoded before the first keystroke. Timed like the real server, it shows what
 * the client's side costs alone (reading the frame from the pipe, JSON.parse, dispatch): the floor under
 * any server's didChange → publishDiagnostics time for the same diagnostics.
 *
 *   node replay-server.mjs RECORDED.json
 *
 * RECORDED.json: `{ "<uri>": [diagnostics of odd versions, diagnostics of even versions] }` (the bench types
 * a character at even versions and deletes it at odd ones, so the two alternate as with the real server).
 */
import { readFileSync } from 'node:fs';

const recorded = JSON.parse(readFileSync(process.argv[2], 'utf8'));
/** A version in the frames: 9 digits, replaced by the version as it comes, padded with blanks (JSON allows them). */
const PLACEHOLDER = 987654321;
const WIDTH = String(PLACEHOLDER).length;

/** Per URI and version parity: the frame bytes, and where the version's digits go. */
const frames = new Map();
for (const [uri, both] of Object.entries(recorded)) {
  frames.set(uri, both.map((diagnostics) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: PLACEHOLDER, diagnostics } }), 'utf8');
    const header = Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii');
    const frame = Buffer.concat([header, body]);
    return { frame, at: frame.indexOf(String(PLACEHOLDER), header.length, 'ascii') };
  }));
}

function send(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
}

function publish(uri, version) {
  const both = frames.get(uri);
  if (!both) {
    send({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics: [] } });
    return;
  }
  const { frame, at } = both[version % 2 === 1 ? 0 : 1];
  // A copy: the last frame may still be queued for the pipe.
  const out = Buffer.from(frame);
  out.write(String(version).padStart(WIDTH, ' '), at, 'ascii');
  process.stdout.write(out);
}

let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  for (;;) {
    const end = pending.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/Content-Length: *(\d+)/i.exec(pending.subarray(0, end).toString('ascii'))?.[1]);
    if (pending.length < end + 4 + length) return;
    const msg = JSON.parse(pending.subarray(end + 4, end + 4 + length).toString('utf8'));
    pending = pending.subarray(end + 4 + length);
    switch (msg.method) {
      case 'initialize': send({ jsonrpc: '2.0', id: msg.id, result: { capabilities: { textDocumentSync: 2 } } }); break;
      case 'textDocument/didOpen':
      case 'textDocument/didChange': publish(msg.params.textDocument.uri, msg.params.textDocument.version); break;
      case 'shutdown': send({ jsonrpc: '2.0', id: msg.id, result: null }); break;
      case 'exit': process.exit(0); break;
      default: if (msg.id !== undefined && msg.method !== undefined) send({ jsonrpc: '2.0', id: msg.id, result: null });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
