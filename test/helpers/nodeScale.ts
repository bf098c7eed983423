/**
 * A generated node on disk (vz.conf + conf/CTID.conf) and a language-server session over stdio that opens
 * many of its container configs and types in one: shared by the node-scale protocol test and
 * `npm run bench` (which prints the times; tests never assert times).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigurationParams, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startServer, stopServer, withTimeout, type ServerProcess } from './lsp';

/** The first CTID of a generated node. */
export const FIRST_CTID = 1001;

/**
 * A realistic container config (vSwap, unique address and name; every 7th has an inline comment finding).
 * @param ctid  the container id (also picks the address 10.x.y.z)
 */
export function containerText(ctid: number): string {
  const ip = `10.${(ctid >> 16) & 255}.${(ctid >> 8) & 255}.${ctid & 255}`;
  return [
    `# container ${ctid}`,
    'ONBOOT="yes"',
    'PHYSPAGES="0:262144"',
    'SWAPPAGES="0:524288"',
    'DISKSPACE="10485760:11534336"',
    'DISKINODES="655360:720896"',
    `VE_ROOT="/vz/root/$VEID"`,
    `VE_PRIVATE="/vz/private/$VEID"`,
    'OSTEMPLATE="centos-7-x86_64"',
    'ORIGIN_SAMPLE="vswap-256m"',
    `IP_ADDRESS="${ip}"`,
    `HOSTNAME="ct${ctid}.example.com"`,
    `NAME="ct${ctid}"`,
    ctid % 7 === 0 ? 'NAMESERVER="8.8.8.8" # google' : 'NAMESERVER="8.8.8.8"',
    '',
  ].join('\n');
}

/** vz.conf of the generated node. */
export const NODE_TEXT = 'VIRTUOZZO=yes\nLOCKDIR=/vz/lock\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\nCONFIGFILE="vswap-256m"\nDISK_QUOTA=yes\n';

/** Writes `<root>/etc/vz/vz.conf` and `count` container configs; returns the conf/ folder. */
export async function writeNode(root: string, count: number): Promise<string> {
  const conf = path.join(root, 'etc', 'vz', 'conf');
  await mkdir(conf, { recursive: true });
  await writeFile(path.join(root, 'etc', 'vz', 'vz.conf'), NODE_TEXT);
  for (let i = 0; i < count; i += 1) await writeFile(path.join(conf, `${FIRST_CTID + i}.conf`), containerText(FIRST_CTID + i));
  return conf;
}

/** Counters of the server's per-node cache (`vzconf/nodeCacheStats`). */
export interface CacheStats {
  diskReads: number;
  analyses: number;
  nodeRuleRuns: number;
  nodes: number;
  /** Lints queued or running in the server. */
  pendingLints: number;
  /** The server's resident set size, bytes. */
  rssBytes?: number;
}

/** A server session on a workspace folder, recording every publishDiagnostics. */
export class NodeSession {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly server: ServerProcess;
  private readonly waiters = new Set<() => void>();

  constructor(serverJs: string, cwd: string) {
    this.server = startServer(serverJs, cwd);
    this.server.child.stderr.resume();
    const { conn } = this.server;
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      for (const w of [...this.waiters]) w();
    });
    conn.onRequest('workspace/configuration', (params: ConfigurationParams) => params.items.map(() => null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/inlayHint/refresh', () => null);
    conn.onNotification(() => undefined);
    conn.listen();
  }

  async initialize(folder: string): Promise<void> {
    await withTimeout(this.server.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'node' }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true }, synchronization: { didSave: true } },
      },
    }), 'initialize');
    await this.server.conn.sendNotification('initialized', {});
  }

  /** Resolves when `done()` holds (checked on every publish), or rejects after `ms`. */
  until(what: string, done: () => boolean, ms = 120_000): Promise<void> {
    if (done()) return Promise.resolve();
    let waiter: (() => void) | undefined;
    const p = new Promise<void>((resolve) => {
      waiter = () => {
        if (done()) resolve();
      };
      this.waiters.add(waiter);
    });
    return withTimeout(p, what, ms).finally(() => {
      if (waiter) this.waiters.delete(waiter);
    });
  }

  /** The server's cache counters; NaN counters from a server without `vzconf/nodeCacheStats` (an older build). */
  stats(): Promise<CacheStats> {
    const none = { diskReads: Number.NaN, analyses: Number.NaN, nodeRuleRuns: Number.NaN, nodes: Number.NaN, pendingLints: -1 };
    if (this.noStats) return Promise.resolve(none);
    return withTimeout(this.server.conn.sendRequest<CacheStats>('vzconf/nodeCacheStats'), 'vzconf/nodeCacheStats', 600_000).catch((err: unknown) => {
      if (!/Unhandled method/.test(String(err))) throw err;
      this.noStats = true;
      return none;
    });
  }

  /** The server does not answer `vzconf/nodeCacheStats` (an older build). */
  private noStats = false;

  /** Waits until the server has no lint queued or running (polling its stats). */
  async settle(ms = 120_000): Promise<CacheStats> {
    const end = Date.now() + ms;
    for (;;) {
      const s = await this.stats().then(async (got) => {
        if (got.pendingLints !== -1) return got;
        // A server without the request (an older build, for a before/after bench): quiet for 1 s.
        let n = -1;
        while (n !== this.published.length && Date.now() < end) {
          n = this.published.length;
          await new Promise((r) => setTimeout(r, 1_000));
        }
        return { ...got, pendingLints: 0 };
      });
      if (s.pendingLints === 0) return s;
      if (Date.now() > end) throw new Error(`server still linting after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version, text } });
  }

  /** Inserts `text` at (line, character) as an incremental change. */
  async type(uri: string, version: number, line: number, character: number, text: string): Promise<void> {
    await this.server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
    });
  }

  count(uri: string): number {
    return this.published.filter((p) => p.uri === uri).length;
  }

  stop(): Promise<void> {
    return stopServer(this.server);
  }
}

/** The numbers of one node-scale run. */
export interface NodeScaleResult {
  opened: number;
  onDisk: number;
  openMs: number;
  openPublishes: number;
  keystrokes: number;
  keystrokeMedianMs: number;
  keystrokeMaxMs: number;
  keystrokePublishes: number;
  keystrokeDiskReads: number;
  /** The server's RSS after the run, MiB (NaN when it does not tell). */
  rssMiB: number;
}

/**
 * Opens `open` of the node's `onDisk` container configs (all didOpen sent at once, as an editor restoring
 * its tabs) and waits for each one's first diagnostics; then types `keystrokes` characters into a comment of
 * the first one, one at a time, each waited for.
 */
export async function runNodeScale(session: NodeSession, conf: string, open: number, onDisk: number, keystrokes: number, timeoutMs = 120_000): Promise<NodeScaleResult> {
  const uris = Array.from({ length: open }, (_, i) => pathToFileURL(path.join(conf, `${FIRST_CTID + i}.conf`)).href);
  const t0 = performance.now();
  for (let i = 0; i < open; i += 1) await session.open(uris[i] as string, containerText(FIRST_CTID + i));
  const want = new Set(uris);
  const seen = new Set<string>();
  await session.until(`first diagnostics of ${open} documents`, () => {
    for (const p of session.published) if (want.has(p.uri)) seen.add(p.uri);
    return seen.size === want.size;
  }, timeoutMs);
  const openMs = performance.now() - t0;
  await session.settle(timeoutMs);
  const openPublishes = session.published.length;
  const before = await session.stats();
  const target = uris[0] as string;
  const times: number[] = [];
  for (let k = 0; k < keystrokes; k += 1) {
    const version = 2 + k;
    const t = performance.now();
    await session.type(target, version, 0, 2 + k, 'x');
    await session.until(`diagnostics of version ${version}`, () => session.published.some((p) => p.uri === target && p.version === version), timeoutMs);
    times.push(performance.now() - t);
  }
  const after = await session.settle(timeoutMs);
  times.sort((a, b) => a - b);
  return {
    opened: open,
    onDisk,
    openMs,
    openPublishes,
    keystrokes,
    keystrokeMedianMs: times[Math.floor(times.length / 2)] ?? 0,
    keystrokeMaxMs: times[times.length - 1] ?? 0,
    keystrokePublishes: session.published.length - openPublishes,
    keystrokeDiskReads: after.diskReads - before.diskReads,
    rssMiB: (after.rssBytes ?? Number.NaN) / (1024 * 1024),
  };
}
