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
async function session(initializationOptions: unknown, settings: unknown = null): Promise<{ server: ServerProcess; published: PublishDiagnosticsParams[] }> {
  const server = startServer(SERVER, ROOT);
  const published: PublishDiagnosticsParams[] = [];
  server.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
  });
  server.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  server.conn.onNotification(() => undefined);
  server.conn.listen();
  await withTimeout(server.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions }), 'initialize');
  await server.conn.sendNotification('initialized', {});
  return { server, published };
}

async function diagnosticsOf(s: { server: ServerProcess; published: PublishDiagnosticsParams[] }, uri: string, text: string): Promise<Diagnostic[]> {
  await s.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const p = s.published.find((q) => q.uri === uri);
    if (p) return p.diagnostics;
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// 1,500 overridden HOSTNAME lines (warnings), then three barriers above their limits (errors), at the end.
const TEXT = 'HOSTNAME="ct.example.com"\n'.repeat(1501) + 'KMEMSIZE="3:2"\nLOCKEDPAGES="3:2"\nPRIVVMPAGES="3:2"\n';

describe('diagnostics per file: VS Code\'s limit of 1,000', () => {
  let vscode: Awaited<ReturnType<typeof session>>;
  let other: Awaited<ReturnType<typeof session>>;
  let small: Awaited<ReturnType<typeof session>>;

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
    // The shown ones are among all, in order of position, the duplicates from line 2 on.
    const allKeys = new Set(all.map(key));
    assert.ok(ds.slice(0, -1).every((d) => allKeys.has(key(d))));
    const lines = ds.slice(0, -1).map((d) => d.range.start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.equal(ds.filter((d) => d.code === 'duplicate-parameter')[0]?.range.start.line, 1);
    // A code action on a line whose diagnostic is shown still offers its fix.
    const line = 10;
    const actions = await withTimeout(vscode.server.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 1 }, end: { line, character: 1 } },
      context: { diagnostics: ds.filter((d) => d.range.start.line === line) },
    }), 'codeAction');
    assert.ok(actions.some((a) => a.title === 'Remove the ignored HOSTNAME on line 11'), JSON.stringify(actions.map((a) => a.title)));
  });

  it('a diagnostic about the node config counts against the limit too', async () => {
    const ds = await diagnosticsOf(small, 'file:///tmp/vzconf-cap/etc/vz/conf/103.conf', TEXT);
    assert.equal(ds.length, 3, JSON.stringify(ds.map((d) => d.message)));
    assert.match(ds[0]?.message as string, /nonexistent/);
    assert.match(ds[2]?.message as string, /more findings are not shown \(the editor shows 3 per file\)/);
  });

  it('without the option (or with an invalid one), every diagnostic is published', async () => {
    const ds = other.published.find((p) => p.uri.endsWith('/100.conf'))?.diagnostics ?? await diagnosticsOf(other, 'file:///tmp/vzconf-cap/etc/vz/conf/102.conf', TEXT);
    assert.equal(ds.filter((d) => d.code === 'duplicate-parameter').length, 1500);
    assert.ok(!ds.some((d) => typeof d.message === 'string' && /not shown/.test(d.message)));
  });
});
