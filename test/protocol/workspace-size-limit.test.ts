/**
 * The language server judges the size limit (limits.ts MAX_FILE_BYTES) of files it reads from disk as
 * vzlint does, on their bytes: a node's vz.conf of 3,000,000 Latin-1 bytes (a text of 8.6 MiB in UTF-8
 * once each invalid byte is U+FFFD) is checked and used for its containers; a container config of
 * 5,000,000 bytes gets the `file-too-large` finding with its size on disk in the workspace lint ("Lint all
 * configs in workspace"), not "cannot read"; with that rule off the workspace lint says it was not
 * checked, as vzlint warns. An open document is judged on its text and says so ("Text of … in UTF-8").
 * Real files on disk, the server in-process.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { diskNodeFs } from '../../server/src/service/nodeCache';
import { startInProcess, type InProcessServer } from '../helpers/inProcessLsp';
import { withTimeout } from '../helpers/lsp';

const CT = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nDISKSPACE="1G:1G"\n';

/** `head` then a comment of Latin-1 `é` (0xE9, invalid UTF-8) up to exactly `size` bytes. */
function latin1(head: string, size: number): Buffer {
  const h = Buffer.from(`${head}# `, 'latin1');
  return Buffer.concat([h, Buffer.alloc(size - h.length - 1, 0xe9), Buffer.from('\n')]);
}

interface WorkspaceResult {
  files: number;
  errors: number;
  problems: string[];
}

describe('size limit of files the language server reads from disk', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vzconf-ws-size-'));
  const servers: InProcessServer[] = [];
  after(() => {
    for (const s of servers) s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** A workspace folder `name` with a node (vz.conf of 3,000,000 bytes, 101.conf, a 5,000,000-byte 102.conf). */
  function node(name: string, yaml?: string): string {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, 'vz', 'conf'), { recursive: true });
    writeFileSync(path.join(dir, 'vz', 'vz.conf'), latin1('DISK_QUOTA=no\n', 3_000_000));
    writeFileSync(path.join(dir, 'vz', 'conf', '101.conf'), CT);
    writeFileSync(path.join(dir, 'vz', 'conf', '102.conf'), latin1(CT, 5_000_000));
    if (yaml !== undefined) writeFileSync(path.join(dir, '.vzconf.yaml'), yaml);
    return dir;
  }

  async function start(dir: string): Promise<{ server: InProcessServer; published: PublishDiagnosticsParams[]; wait: (uri: string) => Promise<PublishDiagnosticsParams> }> {
    const server = startInProcess(diskNodeFs());
    servers.push(server);
    const published: PublishDiagnosticsParams[] = [];
    const waiters: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
    server.client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      published.push(p);
      for (const w of waiters.filter((x) => x.uri === p.uri)) w.resolve(p);
    });
    server.client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    server.client.onNotification(() => undefined);
    server.client.listen();
    await withTimeout(server.client.sendRequest('initialize', { processId: null, rootUri: pathToFileURL(dir).href, capabilities: { workspace: { configuration: true } } }), 'initialize');
    await server.client.sendNotification('initialized', {});
    const wait = (uri: string): Promise<PublishDiagnosticsParams> => {
      const had = published.filter((p) => p.uri === uri).at(-1);
      return had ? Promise.resolve(had) : withTimeout(new Promise((resolve) => waiters.push({ uri, resolve })), `diagnostics of ${uri}`);
    };
    return { server, published, wait };
  }

  const lintWorkspace = (server: InProcessServer): Promise<WorkspaceResult> =>
    withTimeout(server.client.sendRequest<WorkspaceResult>('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] }), 'lintWorkspace');

  it('the workspace lint checks the 3,000,000-byte vz.conf, uses it, and reports the 5,000,000-byte container as vzlint does', async () => {
    const dir = node('default');
    const s = await start(dir);
    const result = await lintWorkspace(s.server);
    assert.ok(!result.problems.some((p) => /cannot read/.test(p)), result.problems.join('\n'));
    assert.equal(result.files, 3, JSON.stringify(result));
    const vz = await s.wait(pathToFileURL(path.join(dir, 'vz', 'vz.conf')).href);
    assert.deepEqual(vz.diagnostics.filter((d) => d.code === 'file-too-large'), [], 'judged on its 3,000,000 bytes');
    const ct = await s.wait(pathToFileURL(path.join(dir, 'vz', 'conf', '101.conf')).href);
    assert.ok(ct.diagnostics.some((d) => d.code === 'disk-quota-off'), `its vz.conf is read: ${JSON.stringify(ct.diagnostics)}`);
    const big = await s.wait(pathToFileURL(path.join(dir, 'vz', 'conf', '102.conf')).href);
    assert.deepEqual(big.diagnostics.map((d) => [d.code, d.severity, d.message, d.range.start.line]), [['file-too-large', 1, 'File of 4.8 MiB not checked: vzconf checks config files up to 4.0 MiB', 0]]);
    // vzconf/effectiveConfig reads the vz.conf from disk the same way: its DISK_QUOTA is there.
    const eff = await withTimeout(s.server.client.sendRequest<{ text: string }>('vzconf/effectiveConfig', { uri: vz.uri }), 'effectiveConfig');
    assert.match(eff.text, /^DISK_QUOTA="no" +# vz\.conf line 1$/m);
  });

  it('with file-too-large off the workspace lint says the file was not checked (vzlint warns the same)', async () => {
    const dir = node('off', 'rules:\n  file-too-large: off\n');
    const s = await start(dir);
    const result = await lintWorkspace(s.server);
    const big = path.join(dir, 'vz', 'conf', '102.conf');
    assert.deepEqual(result.problems, [`${big}: not checked, larger than 4 MiB (file-too-large is off)`]);
    assert.deepEqual((await s.wait(pathToFileURL(big).href)).diagnostics, []);
  });

  it('a .vzconf.yaml over 64 KiB is refused before it is parsed: a diagnostic on it, and the folder lints with the defaults', async () => {
    const names = Array.from({ length: 6000 }, (_, i) => `  - MY_PARAM_${i}`).join('\n');
    const list = `knownParameters:\n${names}\n`;
    const dir = node('long-yaml', list);
    const s = await start(dir);
    const ct = pathToFileURL(path.join(dir, 'vz', 'conf', '105.conf')).href;
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri: ct, languageId: 'vzconf', version: 1, text: `${CT}MY_PARAM_1="x"\n` } });
    const p = await s.wait(ct);
    assert.ok(p.diagnostics.some((d) => d.code === 'unknown-parameter'), `knownParameters of the refused file do not apply: ${JSON.stringify(p.diagnostics)}`);
    const cfg = await s.wait(pathToFileURL(path.join(dir, '.vzconf.yaml')).href);
    assert.deepEqual(cfg.diagnostics.map((d) => [d.code, d.severity, d.message]), [['invalid-config', 1, `too large (${Buffer.byteLength(list)} bytes; a .vzconf.yaml is read up to 64 KiB) — vzconf ignores this .vzconf.yaml until it is fixed`]]);
  });

  it('an open document is judged on its text, and its message says so; the vz.conf under it still by its bytes', async () => {
    const dir = node('open');
    const s = await start(dir);
    const uri = pathToFileURL(path.join(dir, 'vz', 'conf', '103.conf')).href;
    const text = `${CT}# ${'\ufffd'.repeat(1_500_000)}\n`;
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
    const p = await s.wait(uri);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.message]), [['file-too-large', 'Text of 4.3 MiB in UTF-8 not checked: vzconf checks config files up to 4.0 MiB']]);
    const small = pathToFileURL(path.join(dir, 'vz', 'conf', '104.conf')).href;
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri: small, languageId: 'vzconf', version: 1, text: CT } });
    const q = await s.wait(small);
    assert.ok(q.diagnostics.some((d) => d.code === 'disk-quota-off'), JSON.stringify(q.diagnostics));
    assert.ok(!q.diagnostics.some((d) => d.code === 'node-config-unreadable'), JSON.stringify(q.diagnostics));
  });
});
