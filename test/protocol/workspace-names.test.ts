/**
 * "Lint all configs in workspace" and names that are not valid UTF-8: Node decodes every file name as UTF-8
 * (an invalid byte becomes U+FFFD), and the name so decoded opens nothing. Such a folder or config file is
 * named in the result's problems (the client shows them) instead of being left out without a word (attack).
 * Real files on disk, the server in-process.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { diskNodeFs } from '../../server/src/service/nodeCache';
import { startInProcess, type InProcessServer } from '../helpers/inProcessLsp';
import { withTimeout } from '../helpers/lsp';

const CT = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

describe('workspace lint: names that are not valid UTF-8', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vzconf-ws-names-'));
  const servers: InProcessServer[] = [];
  after(() => {
    for (const s of servers) s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('a host folder and a config file named with a byte 0xFF are listed in problems; the rest is linted', { skip: process.platform !== 'linux' }, async () => {
    const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    mkdirSync(path.join(root, 'ok/etc/vz/conf'), { recursive: true });
    writeFileSync(path.join(root, 'ok/etc/vz/conf/101.conf'), CT);
    mkdirSync(bytes(root, '/h', [0xff], '/etc/vz/conf'), { recursive: true });
    writeFileSync(bytes(root, '/h', [0xff], '/etc/vz/conf/101.conf'), CT);
    writeFileSync(bytes(root, '/ok/etc/vz/conf/1', [0xff], '.conf'), CT);
    const server = startInProcess(diskNodeFs());
    servers.push(server);
    server.client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    server.client.onNotification(() => undefined);
    server.client.listen();
    await withTimeout(server.client.sendRequest('initialize', { processId: null, rootUri: pathToFileURL(root).href, capabilities: { workspace: { configuration: true } } }), 'initialize');
    await server.client.sendNotification('initialized', {});
    const result = await withTimeout(server.client.sendRequest<{ files: number; problems: string[] }>('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] }), 'lintWorkspace');
    assert.equal(result.files, 1, JSON.stringify(result));
    assert.deepEqual(result.problems.sort(), [
      `${path.join(root, 'h\uFFFD')}: skipped, its name is not valid UTF-8, which vzconf cannot open (rename it)`,
      `${path.join(root, 'ok/etc/vz/conf/1\uFFFD.conf')}: skipped, its name is not valid UTF-8, which vzconf cannot open (rename it)`,
    ]);
  });
});
