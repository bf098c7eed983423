/**
 * The per-file diagnostics limit of VS Code (initializationOptions.maxDiagnosticsPerFile, which the extension
 * sets to 1,000): above it, the server publishes what VS Code would show (the first by severity, errors first)
 * and one information diagnostic saying how many are left out; code actions still see every finding. Without
 * the option (other clients) every diagnostic is published.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer, stopServer, withTimeout, type ServerProcess } from '../helpers/lsp';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');

/** A server session initialised with `initializationOptions`, recording publishDiagnostics. */
async function session(initializationOptions: unknown, settings: unknown = null): Promise<Session> {
  const server = startServer(SERVER, ROOT);
  const published: PublishDiagnosticsParams[] = [];
  const log: string[] = [];
  server.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
  });
  server.conn.onNotification('window/logMessage', (p: { message: string }) => {
    log.push(p.message);
  });
  server.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  server.conn.onNotification(() => undefined);
  server.conn.listen();
  await withTimeout(server.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions }), 'initialize');
  await server.conn.sendNotification('initialized', {});
  return { server, published, log };
}

/** A server session and what it sent: publishDiagnostics and window/logMessage texts. */
interface Session {
  server: ServerProcess;
  published: PublishDiagnosticsParams[];
  log: string[];
}

async function diagnosticsOf(s: Session, uri: string, text: string): Promise<Diagnostic[]> {
  await s.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const p = s.published.find((q) => q.uri === uri);
    if (p) return p.diagnostics;
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// 1,501 deprecated IPTABLES lines (a warning each, with a fix; their repeats are one duplicate-parameter
// finding), each after a comment line, then three barriers above their limits (errors), at the end.
const TEXT = 'IPTABLES="ipt_REJECT"\n#\n'.repeat(1501) + 'KMEMSIZE="3:2"\nLOCKEDPAGES="3:2"\nPRIVVMPAGES="3:2"\n';

describe('diagnostics per file: VS Code\'s limit of 1,000', () => {
  let vscode: Session;
  let other: Session;
  let small: Session;

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    vscode = await session({ maxDiagnosticsPerFile: 1000 });
    other = await session({ maxDiagnosticsPerFile: 'lots' });
    small = await session({ maxDiagnosticsPerFile: 3 }, { nodeConfig: '/nonexistent/vzconf-cap/vz.conf' });
  });

  after(async () => {
    await stopServer(vscode?.server ?? {});
    await stopServer(other?.server ?? {});
    await stopServer(small?.server ?? {});
  });

  it('publishes the errors and the first warnings, 1,000 in all, the last saying how many are not shown', async () => {
    const all = await diagnosticsOf(other, 'file:///tmp/vzconf-cap/etc/vz/conf/100.conf', TEXT);
    assert.ok(all.length > 1500, String(all.length));
    const uri = 'file:///tmp/vzconf-cap/etc/vz/conf/101.conf';
    const ds = await diagnosticsOf(vscode, uri, TEXT);
    assert.equal(ds.length, 1000);
    const key = (d: Diagnostic): string => `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.message}`;
    const errors = all.filter((d) => d.severity === 1).map(key);
    assert.ok(errors.length >= 3);
    assert.deepEqual(ds.filter((d) => d.severity === 1).map(key), errors, 'every error is shown, though they come last');
    const marker = ds[ds.length - 1] as Diagnostic;
    assert.equal(marker.severity, 3);
    assert.equal(marker.code, undefined);
    assert.equal(marker.message, `${(all.length - 999).toLocaleString('en-US')} more findings are not shown (the editor shows 1,000 per file); vzlint lists all`);
    assert.ok(marker.message.length <= 100);
    // The shown ones are among all, in order of position, the deprecated lines from the first IPTABLES (line 1) on.
    const allKeys = new Set(all.map(key));
    assert.ok(ds.slice(0, -1).every((d) => allKeys.has(key(d))));
    const lines = ds.slice(0, -1).map((d) => d.range.start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.equal(ds.filter((d) => d.code === 'deprecated-parameter')[0]?.range.start.line, 0);
    // A code action on a line whose diagnostic is shown still offers its fix.
    const line = 10;
    const actions = await withTimeout(vscode.server.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 1 }, end: { line, character: 1 } },
      context: { diagnostics: ds.filter((d) => d.range.start.line === line) },
    }), 'codeAction');
    assert.ok(actions.some((a) => a.title.startsWith('Use NETFILTER="stateless"')), JSON.stringify(actions.map((a) => a.title)));
  });

  it('a diagnostic about the node config counts against the limit too', async () => {
    const ds = await diagnosticsOf(small, 'file:///tmp/vzconf-cap/etc/vz/conf/103.conf', TEXT);
    assert.equal(ds.length, 3, JSON.stringify(ds.map((d) => d.message)));
    assert.match(ds[0]?.message as string, /nonexistent/);
    assert.match(ds[2]?.message as string, /more findings are not shown \(the editor shows 3 per file\)/);
  });

  it('without the option (or with an invalid one), every diagnostic is published', async () => {
    const ds = other.published.find((p) => p.uri.endsWith('/100.conf'))?.diagnostics ?? await diagnosticsOf(other, 'file:///tmp/vzconf-cap/etc/vz/conf/102.conf', TEXT);
    assert.equal(ds.filter((d) => d.code === 'deprecated-parameter').length, 1501);
    assert.ok(!ds.some((d) => typeof d.message === 'string' && /not shown/.test(d.message)));
  });
});

describe('diagnostics per file: limits of 1 and 2, and invalid limits', () => {
  const sessions: Session[] = [];
  after(async () => {
    for (const s of sessions) await stopServer(s.server);
  });
  const start = async (init: unknown, settings: unknown = null): Promise<Session> => {
    const s = await session(init, settings);
    sessions.push(s);
    return s;
  };

  it('a limit of 1 gets the marker alone, at the first error; one finding that fits is shown as it is', async () => {
    const s = await start({ maxDiagnosticsPerFile: 1 });
    const ds = await diagnosticsOf(s, 'file:///tmp/vzconf-cap1/etc/vz/conf/101.conf', TEXT);
    assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
    const unlimited = await start({});
    const all = await diagnosticsOf(unlimited, 'file:///tmp/vzconf-cap1/etc/vz/conf/101.conf', TEXT);
    const firstError = all.find((d) => d.severity === 1) as Diagnostic;
    assert.equal(ds[0]?.message, `${all.length.toLocaleString('en-US')} findings are not shown (the editor shows 1 per file); vzlint lists all`);
    assert.deepEqual(ds[0]?.range, firstError.range);
    assert.equal(ds[0]?.severity, 3);
    const oneFinding = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nONBOOT="yes"\nONBOOT="no"\n';
    const expected = await diagnosticsOf(unlimited, 'file:///tmp/vzconf-cap1/etc/vz/conf/102.conf', oneFinding);
    assert.equal(expected.length, 1, JSON.stringify(expected.map((d) => d.message)));
    assert.deepEqual(await diagnosticsOf(s, 'file:///tmp/vzconf-cap1/etc/vz/conf/102.conf', oneFinding), expected);
  });

  it('a limit of 2 gets the first error and the marker', async () => {
    const s = await start({ maxDiagnosticsPerFile: 2 });
    const ds = await diagnosticsOf(s, 'file:///tmp/vzconf-cap2/etc/vz/conf/101.conf', TEXT);
    assert.equal(ds.length, 2, JSON.stringify(ds.map((d) => d.message)));
    assert.equal(ds[0]?.severity, 1);
    assert.match(String(ds[1]?.message), /^[\d,]+ more findings are not shown \(the editor shows 2 per file\); vzlint lists all$/);
  });

  it('a limit of 1 with a node-config problem: the problem and the marker, never findings hidden silently', async () => {
    const s = await start({ maxDiagnosticsPerFile: 1 }, { nodeConfig: '/nonexistent/vzconf-cap1/vz.conf' });
    const ds = await diagnosticsOf(s, 'file:///tmp/vzconf-cap1n/etc/vz/conf/101.conf', TEXT);
    assert.equal(ds.length, 2, JSON.stringify(ds.map((d) => d.message)));
    assert.match(String(ds[0]?.message), /nonexistent/);
    assert.match(String(ds[1]?.message), /^[\d,]+ findings are not shown \(the editor shows 1 per file\)/);
  });

  for (const bad of [0, -5, 2.5, 1e300, '1000', true, [3]]) {
    it(`an invalid limit (${JSON.stringify(bad)}) is ignored with one log line: every diagnostic is published`, async () => {
      const s = await start({ maxDiagnosticsPerFile: bad });
      const ds = await diagnosticsOf(s, 'file:///tmp/vzconf-capx/etc/vz/conf/101.conf', TEXT);
      assert.equal(ds.filter((d) => d.code === 'deprecated-parameter').length, 1501);
      assert.ok(!ds.some((d) => /not shown/.test(String(d.message))));
      const lines = s.log.filter((l) => /maxDiagnosticsPerFile/.test(l));
      assert.equal(lines.length, 1, JSON.stringify(s.log));
      assert.ok((lines[0] as string).length <= 100, lines[0]);
      assert.match(lines[0] as string, /ignored \(not a whole number ≥ 1\): no limit$/);
    });
  }

  it('no limit given: nothing is logged about it', async () => {
    const s = await start({});
    await diagnosticsOf(s, 'file:///tmp/vzconf-capy/etc/vz/conf/101.conf', 'KMEMSIZE="3:2"\n');
    assert.ok(!s.log.some((l) => /maxDiagnosticsPerFile/.test(l)), JSON.stringify(s.log));
  });
});
