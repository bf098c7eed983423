/**
 * Races between a lint in flight and the editor's messages, made deterministic: the server runs in this
 * process over an in-memory node whose reads the test holds and releases (test/helpers/inProcessLsp.ts);
 * no sleeps, every wait is for an event.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
async function session(fs: GatedFs, onSettings: (uri: string) => unknown = () => null, rootUri: string | null = null): Promise<{ server: InProcessServer; published: PublishDiagnosticsParams[]; next: (pred: (p: PublishDiagnosticsParams) => boolean, what: string) => Promise<PublishDiagnosticsParams> }> {
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
    return p.items.map((item) => onSettings(item.scopeUri ?? '') ?? null);
  });
  server.client.onNotification(() => undefined);
  server.client.listen();
  await withTimeout(server.client.sendRequest('initialize', { processId: null, rootUri, capabilities: { workspace: { configuration: true } } }), 'initialize');
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

  it('a document opened while a workspace lint waits for its node gets only its own diagnostics (its settings, its version)', async (t) => {
    // On disk (the workspace lint finds files there) and in the server's node cache alike.
    const root = mkdtempSync(path.join(tmpdir(), 'vzconf-races-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const etc = path.join(root, 'etc/vz');
    const files = new Map<string, string>([[path.join(etc, 'vz.conf'), 'VE_ROOT=/vz/root/$VEID\n']]);
    // Enough containers that, with the first batch read but one, more than QUICK_FIRST_ANSWER_FILES are unread.
    for (let i = 0; i <= 2 * QUICK_FIRST_ANSWER_FILES + 40; i += 1) files.set(path.join(etc, 'conf', `${200 + i}.conf`), CT);
    mkdirSync(path.join(etc, 'conf'), { recursive: true });
    for (const [p, text] of files) writeFileSync(p, text);
    const held = path.join(etc, 'conf', '230.conf');
    const fs = new GatedFs(files, [held]);
    const vz = path.join(etc, 'vz.conf');
    const uri = pathToFileURL(vz).href;
    // The open document's own settings turn unknown-parameter off; the workspace folder's do not.
    const s = await session(fs, (scope) => (scope === uri ? { rules: { 'unknown-parameter': 'off' } } : null), pathToFileURL(root).href);
    servers.push(s.server);
    const lint = s.server.client.sendRequest('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] });
    await withTimeout(fs.waiting(held), 'the workspace lint reading the node');
    // Unsaved text: a parameter vzctl does not know (off for this document) and an ignored duplicate.
    const unsaved = 'VE_ROOT=/vz/root/$VEID\nMY_NOTE=1\nVE_ROOT=/vz/other\n';
    const own = s.next((p) => p.uri === uri && p.version === 1 && p.diagnostics.some((d) => d.code === 'duplicate-parameter'), 'the document\'s own diagnostics');
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text: unsaved } });
    await own;
    const from = s.published.length;
    fs.release(held);
    await withTimeout(lint, 'the workspace lint');
    const later = s.published.slice(from).filter((p) => p.uri === uri);
    assert.deepEqual(later.filter((p) => p.version === undefined), [], 'the workspace lint publishes nothing for an open document');
    const last = s.published.filter((p) => p.uri === uri).at(-1);
    assert.equal(last?.version, 1);
    assert.ok(last?.diagnostics.some((d) => d.code === 'duplicate-parameter'), 'the unsaved text is what is checked');
    assert.deepEqual(last?.diagnostics.filter((d) => d.code === 'unknown-parameter'), [], 'with the document\'s own settings');
  });

  it('a document closed during the first workspace lint, after the lint passed it open: its disk findings are published', async (t) => {
    const root = mkdtempSync(path.join(tmpdir(), 'vzconf-races-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    // Two nodes, a/ and b/: the lint passes a/'s container (open), then waits on a read of b/'s.
    const a = path.join(root, 'a/etc/vz');
    const b = path.join(root, 'b/etc/vz');
    const opened = path.join(a, 'conf/100.conf');
    const held = path.join(b, 'conf/201.conf');
    const files = new Map<string, string>([
      [path.join(a, 'vz.conf'), 'VE_ROOT=/vz/root/$VEID\n'],
      [opened, `${CT}FOO100=1\n`],
      [path.join(b, 'vz.conf'), 'VE_ROOT=/vz/root/$VEID\n'],
      [path.join(b, 'conf/200.conf'), CT],
      [held, CT],
    ]);
    for (const [p, text] of files) {
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    const fs = new GatedFs(files, [held]);
    const uri = pathToFileURL(opened).href;
    const s = await session(fs, () => null, pathToFileURL(root).href);
    servers.push(s.server);
    // The buffer lacks the parameter vzctl does not know that the saved file has.
    const own = s.next((p) => p.uri === uri && p.version === 1, 'the open document\'s diagnostics');
    await s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text: CT } });
    assert.deepEqual((await own).diagnostics, []);
    const lint = s.server.client.sendRequest('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] });
    await withTimeout(fs.waiting(held), 'the workspace lint reading node b');
    const cleared = s.next((p) => p.uri === uri && p.diagnostics.length === 0, 'the diagnostics cleared on close');
    await s.server.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
    const fromDisk = s.next((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'unknown-parameter'), 'the closed file\'s findings from disk');
    fs.release(held);
    await withTimeout(lint, 'the workspace lint');
    const last = await fromDisk;
    assert.equal(last.version, undefined, 'published as a file that is not open');
  });

  it('a virtual document at the same path (git:) neither stands for the open, unsaved vz.conf nor hands it to the disk when closed', async () => {
    const fs = new GatedFs(bigNode(), []);
    fs.files.set(VZ, 'DISK_QUOTA=yes\n');
    const s = await session(fs);
    servers.push(s.server);
    const vzUri = pathToFileURL(VZ).href;
    const ctUri = pathToFileURL(path.join(CONF, '201.conf')).href;
    const gitUri = `git:${VZ}?${encodeURIComponent(JSON.stringify({ path: VZ, ref: 'HEAD' }))}`;
    const open = (uri: string, text: string): Promise<void> => s.server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
    const diskQuota = async (): Promise<string | undefined> => {
      const r = await withTimeout(s.server.client.sendRequest<{ text: string }>('vzconf/effectiveConfig', { uri: ctUri }), 'effectiveConfig');
      return /^DISK_QUOTA=(\S+)/m.exec(r.text)?.[1];
    };
    const published = (uri: string, what: string): Promise<PublishDiagnosticsParams> => s.next((p) => p.uri === uri, what);
    const stats = (): Promise<{ analyses: number; diskReads: number }> => withTimeout(s.server.client.sendRequest('vzconf/nodeCacheStats'), 'nodeCacheStats');
    const first = Promise.all([published(vzUri, 'vz.conf diagnostics'), published(ctUri, '201.conf diagnostics')]);
    await open(vzUri, 'DISK_QUOTA=no\n');
    await open(ctUri, CT);
    await first;
    assert.equal(await diskQuota(), '"no"', 'the container sees the unsaved vz.conf');
    // The editor shows the committed version beside it (a diff view), then closes it.
    const before = await stats();
    const gitPublished = published(gitUri, 'the git: document\'s diagnostics');
    await open(gitUri, 'DISK_QUOTA=yes\nDISK_QUOTA=no\n');
    const git = await gitPublished;
    assert.deepEqual(git?.diagnostics.map((d) => d.code), ['duplicate-parameter'], 'checked alone, as a vz.conf (its name), from its own text');
    const now = await stats();
    assert.deepEqual([now.analyses, now.diskReads], [before.analyses, before.diskReads], 'the node of the real vz.conf is not touched');
    assert.equal(await diskQuota(), '"no"', 'while the git: document is open');
    await s.server.client.sendNotification('textDocument/didClose', { textDocument: { uri: gitUri } });
    assert.equal(await diskQuota(), '"no"', 'after it is closed');
  });
});
