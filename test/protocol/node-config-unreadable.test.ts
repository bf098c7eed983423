/**
 * A vz.conf the language server finds for a container config (the upward search, no setting) but cannot
 * read — above the 4 MiB limit, a named pipe, no read permission — is said on the container's line 1
 * (`node-config-unreadable`, a warning) and in the log, as vzlint says `cannot read the node config`;
 * the container is checked without it. Real files on disk; permission is denied by the file-system layer
 * (CI runs as root, whom chmod 000 does not stop).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { MAX_FILE_BYTES } from '../../server/src/limits';
import { diskNodeFs, type NodeFs } from '../../server/src/service/nodeCache';
import { BoundedReadError } from '../../server/src/util/boundedRead';
import { startInProcess, type InProcessServer } from '../helpers/inProcessLsp';
import { withTimeout } from '../helpers/lsp';

const CT = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nDISKSPACE="1G:1G"\n';

describe('a vz.conf found for a container config that cannot be read', { skip: process.platform === 'win32' ? 'needs mkfifo' : false }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vzconf-unreadable-node-'));
  const servers: InProcessServer[] = [];
  after(() => {
    for (const s of servers) s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** A node folder `name` whose vz.conf `make` creates; the first diagnostics of its conf/101.conf opened. */
  async function firstDiagnostics(name: string, make: (vzConf: string) => void, fs: NodeFs = diskNodeFs()): Promise<{ params: PublishDiagnosticsParams; logs: string[]; vzConf: string }> {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, 'conf'), { recursive: true });
    const vzConf = path.join(dir, 'vz.conf');
    make(vzConf);
    const file = path.join(dir, 'conf', '101.conf');
    writeFileSync(file, CT);
    const server = startInProcess(fs);
    servers.push(server);
    const logs: string[] = [];
    const uri = pathToFileURL(file).href;
    const published = new Promise<PublishDiagnosticsParams>((resolve) => {
      server.client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        if (p.uri === uri) resolve(p);
      });
    });
    server.client.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
    });
    server.client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    server.client.onNotification(() => undefined);
    server.client.listen();
    await withTimeout(server.client.sendRequest('initialize', { processId: null, rootUri: pathToFileURL(dir).href, capabilities: { workspace: { configuration: true } } }), 'initialize');
    await server.client.sendNotification('initialized', {});
    await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text: CT } });
    return { params: await withTimeout(published, `diagnostics of ${name}`), logs, vzConf };
  }

  function assertSaid(r: { params: PublishDiagnosticsParams; logs: string[]; vzConf: string }, reason: RegExp): void {
    const d = r.params.diagnostics.find((x) => x.code === 'node-config-unreadable');
    assert.ok(d, JSON.stringify(r.params.diagnostics));
    assert.equal(d.severity, 2);
    assert.deepEqual([d.range.start.line, d.range.start.character], [0, 0]);
    const message = String(d.message);
    assert.ok(message.startsWith(`Cannot read the node config ${r.vzConf}: `), message);
    assert.match(message, reason);
    assert.match(message, /; checked without it$/);
    assert.ok(r.logs.some((l) => l.includes(r.vzConf)), r.logs.join('\n'));
    // Checked without it: its DISK_QUOTA=no (in the two readable variants' first line) does not apply.
    assert.ok(!r.params.diagnostics.some((x) => x.code === 'disk-quota-off'));
  }

  it('above the size limit', async () => {
    assertSaid(await firstDiagnostics('big', (p) => writeFileSync(p, `DISK_QUOTA=no\n${'#'.repeat(MAX_FILE_BYTES)}\n`)), /larger than|4 MiB|too large/);
  });

  it('a named pipe (read by nothing: no hang)', async () => {
    assertSaid(await firstDiagnostics('fifo', (p) => execFileSync('mkfifo', [p])), /named pipe/);
  });

  it('no read permission', async () => {
    const disk = diskNodeFs();
    const denied: NodeFs = { ...disk, readText: async (p) => (path.basename(p) === 'vz.conf' ? { error: new BoundedReadError(p, 'io', 'permission denied') } : disk.readText(p)) };
    assertSaid(await firstDiagnostics('denied', (p) => writeFileSync(p, 'DISK_QUOTA=no\n'), denied), /permission denied/);
  });

  it('a readable one is used and nothing is said', async () => {
    const r = await firstDiagnostics('fine', (p) => writeFileSync(p, 'DISK_QUOTA=no\n'));
    assert.ok(!r.params.diagnostics.some((x) => x.code === 'node-config-unreadable'));
    assert.ok(r.params.diagnostics.some((x) => x.code === 'disk-quota-off'), JSON.stringify(r.params.diagnostics));
  });
});
