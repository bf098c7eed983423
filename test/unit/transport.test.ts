/**
 * The server's frame writer (server/src/lsp/transport.ts): one write per message, a Content-Length that
 * counts UTF-8 bytes, messages in order, and write errors reported instead of thrown.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import type { Message } from 'vscode-languageserver/node';
import { SingleWriteMessageWriter } from '../../server/src/lsp/transport';

/** Splits a byte stream into LSP frames (header checked), returning the JSON bodies. */
function frames(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at, 'ascii');
    assert.ok(end > at, 'a header');
    const m = /^Content-Length: (\d+)$/.exec(bytes.subarray(at, end).toString('ascii'));
    assert.ok(m, `header ${bytes.subarray(at, end).toString('ascii')}`);
    const length = Number(m[1]);
    out.push(JSON.parse(bytes.subarray(end + 4, end + 4 + length).toString('utf8')));
    at = end + 4 + length;
  }
  return out;
}

describe('SingleWriteMessageWriter', () => {
  it('writes each message as one frame whose length counts UTF-8 bytes, in order', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const writer = new SingleWriteMessageWriter(sink);
    const messages = [
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///tmp/101.conf', diagnostics: [{ message: 'HOSTNAME „ü€😀“ is also set on line 1' }] } },
      { jsonrpc: '2.0', id: 1, result: null },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x'.repeat(70_000) } },
    ];
    for (const m of messages) await writer.write(m as Message);
    assert.equal(chunks.length, messages.length, 'one write per message');
    assert.deepEqual(frames(Buffer.concat(chunks)), messages);
  });

  it('reports a failed write through onError and rejects', async () => {
    const broken = new Writable({ write: (_c, _e, cb) => cb(new Error('EPIPE')) });
    broken.on('error', () => undefined);
    const writer = new SingleWriteMessageWriter(broken);
    const errors: string[] = [];
    writer.onError(([err]) => errors.push(err.message));
    await assert.rejects(writer.write({ jsonrpc: '2.0', id: 2, result: 1 } as Message), /EPIPE/);
    assert.ok(errors.some((e) => /EPIPE/.test(e)), errors.join());
  });
});
