/**
 * The server's frame writer (server/src/lsp/transport.ts): one write per message, a Content-Length that
 * counts UTF-8 bytes, messages in order, write errors reported instead of thrown, and the buffer of a
 * large diagnostics frame reused only where that is safe (a socket, after its write completed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Message } from 'vscode-languageserver/node';
import { SingleWriteMessageWriter } from '../../server/src/lsp/transport';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import { lint } from '../../server/src/service/lint';

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

/**
 * publishDiagnostics messages whose frames are large (hundreds of KB: the writer keeps such a buffer for
 * the next frame), each different from the others (the key and count differ), as the server sends them.
 */
function diagnosticMessages(): Message[] {
  return [['HOSTNAME', 1500], ['ONBOOT', 400], ['DESCRIPTION', 1200], ['HOSTNAME', 3]].map(([key, n], i) => {
    const text = `${key}="x"\n`.repeat(n as number);
    const diagnostics = lint(text, { path: '/etc/vz/conf/101.conf' }).findings.map((f) => toDiagnostic(f, { docsCommand: 'vzconf.openRuleDocs' }));
    return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: `file:///tmp/${i}.conf`, version: i + 1, diagnostics } } as Message;
  });
}

describe('SingleWriteMessageWriter, buffers of large diagnostics frames', () => {
  it('leaves every frame intact on a stream that keeps chunks after their write (no reuse off sockets)', async () => {
    // A PassThrough queues each chunk for its reader after the write callback: reusing the buffer would
    // overwrite a frame nobody has read yet.
    const sink = new PassThrough({ highWaterMark: 64 * 1024 * 1024 });
    const writer = new SingleWriteMessageWriter(sink);
    const messages = diagnosticMessages();
    for (const m of messages) await writer.write(m);
    sink.end();
    const chunks: Buffer[] = [];
    for await (const c of sink) chunks.push(c as Buffer);
    assert.deepEqual(frames(Buffer.concat(chunks)), JSON.parse(JSON.stringify(messages)));
  });

  it('writes frames of every size in order over a socket, where the buffer is reused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-transport-'));
    const sockPath = path.join(dir, 's');
    const received: Buffer[] = [];
    let done!: () => void;
    const ended = new Promise<void>((r) => { done = r; });
    const server = createServer((peer: Socket) => {
      peer.on('data', (c: Buffer) => received.push(c));
      peer.on('end', () => done());
    });
    try {
      await new Promise<void>((r) => server.listen(sockPath, r));
      const socket = connect(sockPath);
      await new Promise<void>((r) => socket.on('connect', () => r()));
      const writer = new SingleWriteMessageWriter(socket);
      const messages = diagnosticMessages();
      // Each one twice: the second of a pair is written into the buffer of the first (or of the one before).
      const sent = messages.flatMap((m) => [m, m]);
      for (const m of sent) await writer.write(m);
      // Not awaited in between: the next frame is encoded while the last may still be queued.
      await Promise.all(sent.map((m) => writer.write(m)));
      socket.end();
      await ended;
      assert.deepEqual(frames(Buffer.concat(received)), JSON.parse(JSON.stringify([...sent, ...sent])));
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
