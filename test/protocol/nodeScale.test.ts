/**
 * Node-scale test (issue 11): a node of 200 container configs on disk, all 200 opened in the language
 * server at once (as an editor restoring its tabs), then typing in one of them. Asserts at most one
 * publish per changed document and no disk read per keystroke (counted by the server's per-node cache,
 * `vzconf/nodeCacheStats`); prints the times (never asserted: the machines are shared).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerText, FIRST_CTID, NodeSession, runNodeScale, writeNode } from '../helpers/nodeScale';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const COUNT = 200;

describe('node scale: 200 open container configs of one node', () => {
  let root: string;
  let conf: string;
  let session: NodeSession;

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-node-scale-'));
    conf = await writeNode(root, COUNT);
    session = new NodeSession(SERVER, ROOT);
    await session.initialize(root);
  });

  after(async () => {
    await session?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('opening 200 configs publishes once per document; typing reads nothing from disk and publishes only the typed document', async () => {
    const r = await runNodeScale(session, conf, COUNT, COUNT, 10);
    console.log(`# open ${COUNT} of ${COUNT}: ${r.openMs.toFixed(0)} ms, ${r.openPublishes} publishes; keystroke median ${r.keystrokeMedianMs.toFixed(1)} ms, max ${r.keystrokeMaxMs.toFixed(1)} ms`);
    // Opening: one publish per opened document, none for the siblings (their results did not change).
    const perUri = new Map<string, number>();
    for (const p of session.published.slice(0, r.openPublishes)) perUri.set(p.uri, (perUri.get(p.uri) ?? 0) + 1);
    assert.equal(perUri.size, COUNT);
    assert.deepEqual([...new Set(perUri.values())], [1], 'exactly one publish per opened document');
    // Typing in a comment: one publish per keystroke, for the typed document only; no disk read.
    const typed = pathToFileURL(path.join(conf, `${FIRST_CTID}.conf`)).href;
    const during = session.published.slice(r.openPublishes);
    assert.equal(r.keystrokePublishes, r.keystrokes, JSON.stringify(during.map((p) => [p.uri, p.version])));
    assert.ok(during.every((p) => p.uri === typed));
    assert.deepEqual(during.map((p) => p.version), Array.from({ length: r.keystrokes }, (_, i) => 2 + i));
    assert.equal(r.keystrokeDiskReads, 0, 'no disk read per keystroke');
  });

  it('a keystroke that changes a sibling\'s result publishes that sibling once, and nothing else', async () => {
    const first = pathToFileURL(path.join(conf, `${FIRST_CTID}.conf`)).href;
    const second = pathToFileURL(path.join(conf, `${FIRST_CTID + 1}.conf`)).href;
    const stats = await session.settle();
    const since = session.published.length;
    // 1001.conf line 11 is IP_ADDRESS="10.0.3.233": give it 1002's address 10.0.3.234.
    const line = containerText(FIRST_CTID).split('\n').findIndex((l) => l.startsWith('IP_ADDRESS='));
    const ip = /"(.*)"/.exec(containerText(FIRST_CTID + 1).split('\n')[line] ?? '')?.[1] ?? '';
    const col = 'IP_ADDRESS="'.length;
    await session.server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: first, version: 100 },
      contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + ip.length } }, text: ip }],
    });
    await session.until('1002.conf re-published with the duplicate address', () => session.published.slice(since).some((p) => p.uri === second));
    const after = await session.settle();
    const out = session.published.slice(since);
    assert.deepEqual(out.map((p) => p.uri).sort(), [first, second].sort(), JSON.stringify(out.map((p) => [p.uri, p.version])));
    for (const p of out) assert.ok(p.diagnostics.some((d) => d.code === 'duplicate-ip-address'), p.uri);
    assert.equal(after.diskReads, stats.diskReads, 'no disk read');
    assert.equal(after.nodeRuleRuns - stats.nodeRuleRuns, 1, 'the node rules ran once for the change, shared by all 200 documents');
  });
});

describe('node scale: typing with 10,000 container configs on disk', () => {
  let root: string;
  let conf: string;
  let session: NodeSession;
  const ON_DISK = 10_000;

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-node-10k-'));
    conf = await writeNode(root, ON_DISK);
    session = new NodeSession(SERVER, ROOT);
    await session.initialize(root);
  });

  after(async () => {
    await session?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('the node is read once; keystrokes read nothing from disk and publish once each', async () => {
    const r = await runNodeScale(session, conf, 1, ON_DISK, 3, 300_000);
    console.log(`# open 1 of ${ON_DISK}: first answer in ${r.openMs.toFixed(0)} ms (the node is read after it); keystroke median ${r.keystrokeMedianMs.toFixed(1)} ms, max ${r.keystrokeMaxMs.toFixed(1)} ms; server RSS ${r.rssMiB.toFixed(0)} MiB`);
    assert.equal(r.openPublishes, 1);
    assert.equal(r.keystrokePublishes, 3);
    assert.equal(r.keystrokeDiskReads, 0);
    const stats = await session.stats();
    // vz.conf, the conf/ listing, the 10,000 files and the node-config lookup: each read once.
    assert.ok(stats.diskReads <= ON_DISK + 10, `disk reads ${stats.diskReads}`);
  });
});

describe('node scale: the first answer on a big node that is not loaded yet', () => {
  const node = useNode(300, 'vzconf-node-first-');
  it('publishes the file\'s own findings before the node is read, then the full answer with the node rules\' findings', async () => {
    // 1001.conf opened with 1002's address and ONBOOT set twice: its own finding (duplicate-parameter) comes
    // first; duplicate-ip-address needs 1002.conf from disk and comes with the second answer.
    const uri = pathToFileURL(path.join(node.conf, `${FIRST_CTID}.conf`)).href;
    const ip = /IP_ADDRESS="([^"]*)"/.exec(containerText(FIRST_CTID + 1))?.[1] ?? '';
    const text = containerText(FIRST_CTID).replace(/IP_ADDRESS="[^"]*"/, `IP_ADDRESS="${ip}"`) + 'ONBOOT="no"\n';
    const t0 = performance.now();
    await node.session.open(uri, text);
    await node.session.until('diagnostics with duplicate-ip-address', () => node.session.published.some((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'duplicate-ip-address')), 120_000);
    const mine = node.session.published.filter((p) => p.uri === uri);
    console.log(`# first answer after ${mine.length === 2 ? 'two' : String(mine.length)} publishes; full answer in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(mine.length, 2, JSON.stringify(mine.map((p) => p.diagnostics.map((d) => d.code))));
    const [first, full] = mine as [typeof mine[number], typeof mine[number]];
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['duplicate-parameter'], 'the own finding, without the node\'s');
    assert.deepEqual(full.diagnostics.map((d) => d.code).sort(), ['duplicate-ip-address', 'duplicate-parameter']);
    assert.deepEqual(full.diagnostics.find((d) => d.code === 'duplicate-parameter'), first.diagnostics[0], 'the own finding is the same in both');
    // The node is loaded now: another file of it gets one answer, the full one.
    const other = pathToFileURL(path.join(node.conf, `${FIRST_CTID + 2}.conf`)).href;
    await node.session.open(other, containerText(FIRST_CTID + 2));
    await node.session.until('the second file', () => node.session.published.some((p) => p.uri === other));
    await node.session.settle();
    assert.equal(node.session.published.filter((p) => p.uri === other).length, 1);
  });
});

/**
 * A node of `count` container configs written to a temporary folder and a server session on it, for the
 * describe block that calls this (before: write and initialize; after: stop and remove).
 */
function useNode(count: number, prefix: string): { root: string; conf: string; session: NodeSession } {
  const node = {} as { root: string; conf: string; session: NodeSession };
  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    node.root = await mkdtemp(path.join(os.tmpdir(), prefix));
    node.conf = await writeNode(node.root, count);
    node.session = new NodeSession(SERVER, ROOT);
    await node.session.initialize(node.root);
  });
  after(async () => {
    await node.session?.stop();
    await rm(node.root, { recursive: true, force: true });
  });
  return node;
}
