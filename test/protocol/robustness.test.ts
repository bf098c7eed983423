/**
 * Protocol robustness (issue 11): raw bytes to the bundled server over stdio — malformed frames, a body
 * that arrives slowly, requests out of order (before `initialize`, after `shutdown`), non-JSON-RPC JSON
 * and huge messages — and checks that it answers as the LSP specification says or exits non-zero with a
 * log line, never hangs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTimeout } from '../helpers/lsp';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');

interface Reply {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

/** The server as a child process spoken to in raw bytes; its replies parsed from stdout. */
class RawServer {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly messages: Reply[] = [];
  stderr = '';
  private buf = Buffer.alloc(0);
  private readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  constructor() {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d: string) => {
      this.stderr += d;
    });
    this.proc.stdout.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString('ascii'))?.[1]);
        if (this.buf.length < end + 4 + len) break;
        this.messages.push(JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8')) as Reply);
        this.buf = this.buf.subarray(end + 4 + len);
      }
      for (const l of [...this.listeners]) l();
    });
    this.proc.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  /** Writes raw bytes. */
  raw(data: string | Buffer): void {
    this.proc.stdin.write(data);
  }

  /** Writes one well-formed frame. */
  send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.raw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** The first message (received so far or later) that `match` accepts. */
  wait(what: string, match: (m: Reply) => boolean, ms = 10_000): Promise<Reply> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    let l: (() => void) | undefined;
    const p = new Promise<Reply>((resolve) => {
      l = () => {
        const m = this.messages.find(match);
        if (m) resolve(m);
      };
      this.listeners.add(l);
    });
    return withTimeout(p, `${what} (got ${JSON.stringify(this.messages).slice(0, 500)}; stderr ${this.stderr.slice(0, 500)})`, ms).finally(() => {
      if (l) this.listeners.delete(l);
    });
  }

  reply(id: number): Promise<Reply> {
    return this.wait(`the reply to request ${id}`, (m) => m.id === id && m.method === undefined);
  }

  exitCode(ms = 10_000): Promise<number | null> {
    return withTimeout(this.exited, `the server to exit (stderr: ${this.stderr.slice(0, 300)})`, ms);
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  kill(): void {
    if (this.alive) this.proc.kill();
  }

  initialize(id = 1): void {
    this.send({ jsonrpc: '2.0', id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LSP robustness: malformed frames make the server log and exit non-zero, never hang', () => {
  const malformed: [string, string | Buffer, RegExp][] = [
    ['Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /Content-Length "abc" is not a non-negative integer/],
    ['Content-Length with trailing garbage (vscode-jsonrpc reads 12abc as 12)', 'Content-Length: 12abc\r\n\r\n{"jsonrpc":1}', /Content-Length "12abc"/],
    ['negative Content-Length', 'Content-Length: -5\r\n\r\n', /Content-Length "-5"/],
    ['fractional Content-Length', 'Content-Length: 2.5\r\n\r\n{}', /Content-Length "2\.5"/],
    ['two Content-Length headers (the frame\'s end would be ambiguous)', 'Content-Length: 2\r\nContent-Length: 12\r\n\r\n{}', /more than one Content-Length header/],
    ['no Content-Length header', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', /no Content-Length header/],
    ['a header line without a colon', 'Content-Length 2\r\n\r\n{}', /is not "Name: value"/],
    ['a body that is not JSON', 'Content-Length: 5\r\n\r\nhello', /the body is not JSON/],
    ['a truncated JSON body', 'Content-Length: 10\r\n\r\n{"jsonrpc"', /the body is not JSON/],
    ['an unsupported charset', 'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}', /charset "latin1"/],
    ['a header that never ends (16 KiB of garbage)', 'X'.repeat(16 * 1024), /no end of header/],
    ['a frame announced larger than 64 MiB (no waiting for its body)', 'Content-Length: 1000000000000\r\n\r\n', /exceeds the limit/],
  ];
  for (const [what, bytes, why] of malformed) {
    it(what, async () => {
      const s = new RawServer();
      try {
        s.raw(bytes);
        assert.equal(await s.exitCode(), 1);
        assert.match(s.stderr, why);
      } finally {
        s.kill();
      }
    });
  }

  it('also after a good exchange: a malformed frame after initialize ends the server with status 1', async () => {
    const s = new RawServer();
    try {
      s.initialize();
      await s.reply(1);
      s.raw('Content-Length: x\r\n\r\n');
      assert.equal(await s.exitCode(), 1);
      const log = await s.wait('a log message about the bad frame', (m) => m.method === 'window/logMessage' && /Content-Length/.test(JSON.stringify(m.params)));
      assert.ok(log);
    } finally {
      s.kill();
    }
  });
});

describe('LSP robustness: partial and huge messages', () => {
  it('waits for a body that arrives slowly, and for a header split across writes', async () => {
    const s = new RawServer();
    try {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
      const frame = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
      s.raw(frame.subarray(0, 7));
      await sleep(100);
      s.raw(frame.subarray(7, 40));
      await sleep(400);
      assert.ok(s.alive, 'still waiting, not failed');
      assert.equal(s.messages.length, 0);
      s.raw(frame.subarray(40));
      const r = await s.reply(1);
      assert.ok((r.result as { capabilities?: unknown }).capabilities);
      // Two frames in one write are both read.
      s.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      const a = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'vzconf/nodeCacheStats' }));
      const b = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'vzconf/nodeCacheStats' }));
      s.raw(Buffer.concat([Buffer.from(`Content-Length: ${a.length}\r\n\r\n`), a, Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]));
      await s.reply(2);
      await s.reply(3);
    } finally {
      s.kill();
    }
  });

  it('answers a 20 MB request (unknown method: MethodNotFound) and lints a 1 MB document, then answers on', async () => {
    const s = new RawServer();
    try {
      s.initialize();
      await s.reply(1);
      s.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      s.send({ jsonrpc: '2.0', id: 2, method: 'vzconf/noSuchMethod', params: { blob: 'x'.repeat(20 * 1024 * 1024) } });
      const r = await s.reply(2);
      assert.equal(r.error?.code, -32601);
      const uri = 'file:///tmp/vzconf-robust/etc/vz/conf/101.conf';
      const text = `${'# padding line of a large but ordinary file\n'.repeat(24_000)}ONBOOT="maybe"\n`;
      s.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'vzconf', version: 1, text } } });
      const p = await s.wait('diagnostics of the 1 MB document', (m) => m.method === 'textDocument/publishDiagnostics', 60_000);
      assert.equal((p.params as { uri: string }).uri, uri);
      s.send({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 24_000, character: 1 } } });
      const h = await s.reply(3);
      assert.equal(h.error, undefined);
    } finally {
      s.kill();
    }
  });
});

describe('LSP robustness: lifecycle per the specification', () => {
  it('before initialize: requests get ServerNotInitialized (-32002), notifications are dropped; then initialize works', async () => {
    const s = new RawServer();
    try {
      s.send({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x/101.conf' }, position: { line: 0, character: 0 } } });
      s.send({ jsonrpc: '2.0', id: 'two', method: 'shutdown' });
      const uri = 'file:///tmp/vzconf-robust/early/conf/101.conf';
      s.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'vzconf', version: 1, text: 'ONBOOT="maybe"\n' } } });
      const r1 = await s.reply(1);
      assert.equal(r1.error?.code, -32002);
      assert.match(r1.error?.message ?? '', /not initialized/i);
      const r2 = await s.wait('reply to "two"', (m) => m.id === 'two');
      assert.equal(r2.error?.code, -32002);
      s.initialize(3);
      const init = await s.reply(3);
      assert.ok((init.result as { capabilities?: unknown }).capabilities);
      s.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      // The early didOpen was dropped: hover on it has no document (null), and nothing was published for it.
      s.send({ jsonrpc: '2.0', id: 4, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } });
      assert.equal((await s.reply(4)).result, null);
      assert.ok(!s.messages.some((m) => m.method === 'textDocument/publishDiagnostics'));
      // A second initialize is refused.
      s.initialize(5);
      assert.equal((await s.reply(5)).error?.code, -32600);
    } finally {
      s.kill();
    }
  });

  it('after shutdown: requests get InvalidRequest (-32600); exit then ends with status 0', async () => {
    const s = new RawServer();
    try {
      s.initialize();
      await s.reply(1);
      s.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      s.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
      assert.equal((await s.reply(2)).error, undefined);
      s.send({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x/101.conf' }, position: { line: 0, character: 0 } } });
      s.send({ jsonrpc: '2.0', id: 4, method: 'shutdown' });
      assert.equal((await s.reply(3)).error?.code, -32600);
      assert.equal((await s.reply(4)).error?.code, -32600);
      s.send({ jsonrpc: '2.0', method: 'exit' });
      assert.equal(await s.exitCode(), 0);
    } finally {
      s.kill();
    }
  });

  it('exit without shutdown ends with status 1; so does the input closing', async () => {
    const a = new RawServer();
    const b = new RawServer();
    try {
      a.initialize();
      await a.reply(1);
      a.send({ jsonrpc: '2.0', method: 'exit' });
      assert.equal(await a.exitCode(), 1);
      b.initialize();
      await b.reply(1);
      b.proc.stdin.end();
      assert.equal(await b.exitCode(), 1);
    } finally {
      a.kill();
      b.kill();
    }
  });

  it('JSON that is not a JSON-RPC message gets InvalidRequest with id null, and the server answers on', async () => {
    const s = new RawServer();
    try {
      s.send([1, 2, 3]);
      s.send(42);
      s.send({ jsonrpc: '2.0', id: { x: 1 }, method: 'initialize' });
      const errors = await withTimeout((async () => {
        while (s.messages.filter((m) => m.error?.code === -32600).length < 3) await sleep(20);
        return s.messages.filter((m) => m.error?.code === -32600);
      })(), 'three InvalidRequest errors');
      assert.deepEqual(errors.map((m) => m.id), [null, null, null]);
      s.initialize(7);
      assert.ok((await s.reply(7)).result);
      assert.ok(s.alive);
    } finally {
      s.kill();
    }
  });
});

describe('LSP robustness: hover and completion with a position that is not one', () => {
  // A client bug (or a fuzzer) sent these: the replies were fine, but each wrote a TypeError's stack trace
  // to the client's log. The params are checked where the request enters (server/src/lsp/params.ts).
  const URI = 'file:///etc/vz/conf/101.conf';
  const bad: [string, unknown][] = [
    ['position null', { textDocument: { uri: URI }, position: null }],
    ['no position', { textDocument: { uri: URI } }],
    ['a negative line', { textDocument: { uri: URI }, position: { line: -1, character: 0 } }],
    ['a fractional character', { textDocument: { uri: URI }, position: { line: 0, character: 1.5 } }],
    ['a line that is a string', { textDocument: { uri: URI }, position: { line: '0', character: 0 } }],
    ['a line past 2^31 - 1', { textDocument: { uri: URI }, position: { line: 2 ** 31, character: 0 } }],
    ['textDocument null', { textDocument: null, position: { line: 0, character: 0 } }],
    ['a uri that is a number', { textDocument: { uri: 5 }, position: { line: 0, character: 0 } }],
  ];
  // Params that are no object at all are refused before any handler (vscode-languageserver itself read
  // `params.workDoneToken` and failed): JSON-RPC's InvalidRequest, LSP's InvalidParams.
  const refused: [string, Record<string, unknown>, number][] = [
    ['params null', { params: null }, -32600],
    ['params a number', { params: 5 }, -32600],
    ['no params', {}, -32602],
    ['params an array', { params: [URI] }, -32602],
  ];
  it('answers null (hover) and an empty list (completion), refuses params that are no object, logs no stack trace, and answers on', async () => {
    const s = new RawServer();
    try {
      s.initialize(1);
      await s.reply(1);
      s.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      s.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'vzconf', version: 1, text: 'ONBOOT="yes"\nHOSTNAME=ct101\n' } } });
      let id = 100;
      const asked: [string, string, number][] = [];
      for (const [what, params] of bad) {
        for (const method of ['textDocument/hover', 'textDocument/completion']) {
          id += 1;
          asked.push([what, method, id]);
          s.send({ jsonrpc: '2.0', id, method, params });
        }
      }
      for (const [what, method, n] of asked) {
        const r = await s.reply(n);
        assert.equal(r.error, undefined, `${method}, ${what}: ${JSON.stringify(r.error)}`);
        assert.deepEqual(r.result, method === 'textDocument/hover' ? null : [], `${method}, ${what}`);
      }
      for (const [what, params, code] of refused) {
        for (const method of ['textDocument/hover', 'textDocument/completion']) {
          id += 1;
          s.send({ jsonrpc: '2.0', id, method, ...params });
          const r = await s.reply(id);
          assert.equal(r.error?.code, code, `${method}, ${what}: ${JSON.stringify(r)}`);
        }
      }
      s.send({ jsonrpc: '2.0', method: 'textDocument/didChange', params: null });
      // The same requests with a real position still answer (ONBOOT is documented; keys complete on line 2).
      s.send({ jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: { textDocument: { uri: URI }, position: { line: 0, character: 2 } } });
      assert.match(JSON.stringify((await s.reply(2)).result), /ONBOOT/);
      s.send({ jsonrpc: '2.0', id: 3, method: 'textDocument/completion', params: { textDocument: { uri: URI }, position: { line: 1, character: 0 } } });
      const items = (await s.reply(3)).result;
      assert.ok(Array.isArray(items) && items.length > 0, JSON.stringify(items).slice(0, 200));
      const logs = s.messages.filter((m) => m.method === 'window/logMessage').map((m) => JSON.stringify(m.params));
      assert.deepEqual(logs.filter((l) => /\bat \S+ \(|TypeError|failed/.test(l)), []);
      assert.doesNotMatch(s.stderr, /\bat \S+ \(|TypeError/);
    } finally {
      s.kill();
    }
  });
});
