/**
 * Races between a lint in flight and the editor's messages, made deterministic: the server runs in this
 * process over an in-memory node whose reads the test holds and releases (test/helpers/inProcessLsp.ts);
 * no sleeps, every wait is for an event.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { pathToFileURL } from 'node:url';
import { QUICK_FIRST_ANSWER_FILES } from '../../server/src/service/nodeCache';
import { GatedFs, startInProcess, type InProcessServer } from '../helpers/inProcessLsp';
import { withTimeout } from '../helpers/lsp';

const ETC = path.resolve('/srv/vzconf-races/etc/vz');
const CONF = path.join(ETC, 'conf');
const VZ = path.join(ETC, 'vz.conf');
const CT = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

/** A node with more containers than the first answer waits for (so the server answers the opened file alone first). */
function bigNode(): Map<string, string> {
  const files = new Map<string, string>([[VZ, 'VE_ROOT=/vz/root/$VEID\n']]);
  for (let i = 0; i <= QUICK_FIRST_ANSWER_FILES + 5; i += 1) files.set(path.join(CONF, `${200 + i}.conf`), CT);
  return files;
}

/** An initialised in-process server whose client records publishDiagnostics and answers settings with `onSettings`. */
async function session(fs: GatedFs, onSettings: (uri: string) => void = () => undefined): Promise<{ server: InProcessServer; published: PublishDiagnosticsParams[]; next: (pred: (p: PublishDiagnosticsParams) => boolean, what: string) => Promise<PublishDiagnosticsParams> }> {
  const server = startInProcess(fs);
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  server.client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (!w.pred(p)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    }
  });
  server.client.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => {
    for (const item of p.items) onSettings(item.scopeUri ?? '');
    return p.items.map(() => null);
  });
  server.client.onNotification(() => undefined);
  server.client.listen();
  await withTimeout(server.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } }), 'initialize');
  await server.client.sendNotification('initialized', {});
  /** The next publication matching `pred` (from now on). */
  const next = (pred: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> =>
    withTimeout(new Promise<PublishDiagnosticsParams>((resolve) => waiters.push({ pred, resolve })), what);
  return { server, published, next };
}

describe('a lint in flight while the editor moves on', () => {
  const servers: InProcessServer[] = [];
  after(() => {
    for (const s of servers) s.dispose();
  });

  it('close + reopen (version 1 again) while the first answer for the old text waits: only the new text is published', async () => {
    const fs = new GatedFs(bigNode(), [VZ]);
    const file = path.join(CONF, '101.conf');
    const uri = pathToFileURL(file).href;
    // The old text has a duplicate (ONBOOT twice), the new one an unknown parameter: each is recognisable.
    const oldText = `${CT}ONBOOT="yes"\nONBOOT="no"\n`;
    const newText = `${CT}ONBOT="yes"\n`;
    let asked = 0;
    let reopenAsked: () => void = () => undefined;
    const reopened = new Promise<void>((resolve) => {
      reopenAsked = resolve;
    });
    const s = await session(fs, (scope) => {
      if (scope !== uri) return;
      asked += 1;
      // The reopened document asks for its settings again (closing forgot them): the server has handled the open.
      if (asked === 2) reopenAsked();
    });
    servers.push(s.server);
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text: oldText } });
    // The first answer for the old text is computed up to reading the node config, which is held.
    await withTimeout(fs.waiting(VZ), 'the read of vz.conf');
    const cleared = s.next((p) => p.uri === uri && p.diagnostics.length === 0, 'the diagnostics cleared on close');
    await s.server.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
    const from = s.published.length;
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text: newText } });
    await withTimeout(reopened, 'the reopened document asking for its settings');
    const final = s.next((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'unknown-parameter'), 'the new text\'s diagnostics');
    fs.release(VZ);
    await final;
    const after = s.published.slice(from).filter((p) => p.uri === uri);
    assert.ok(after.length > 0);
    for (const p of after) {
      assert.equal(p.version, 1);
      assert.deepEqual(p.diagnostics.filter((d) => d.code === 'duplicate-parameter'), [], 'nothing of the closed document is published for the reopened one');
    }
  });
});
