/**
 * The language server over stdio (dist/server.js, production build) against
 * dockerfile-language-server-nodejs (test/bench/peer, `docker-langserver --stdio`) in the same run:
 * didChange → publishDiagnostics at 1,000 and 10,000 lines with a finding every ten lines, open →
 * first diagnostics for a 100-line file, and the worst case (every line repeats one key), typed in turns
 * with the normal document of the same size so that their ratio compares runs under the same load.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { MAX_FINDINGS_PER_FILE } from '../../server/src/limits';
import { dockerfile, largeConfig, repeatedKeyConfig } from './generate';
import { median, mp, report } from './stats';

const root = path.resolve(__dirname, '../..');
const peerDir = path.join(__dirname, 'peer');
const peerBin = path.join(peerDir, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver');

interface Diagnostics { uri: string; version?: number; diagnostics: unknown[] }

/**
 * A language server child and a JSON-RPC connection; diagnostics are awaited per URI. Exported for
 * profiling drivers (e.g. `node --cpu-prof` on a script that types into a server with {@link keystrokes}).
 */
export class Session {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly conn: MessageConnection;
  private readonly waiters = new Map<string, (d: Diagnostics) => void>();

  constructor(args: string[], cwd: string) {
    this.child = spawn(process.execPath, args, { cwd, stdio: 'pipe' });
    this.child.stderr.resume();
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Diagnostics) => {
      const w = this.waiters.get(p.uri);
      if (w) {
        this.waiters.delete(p.uri);
        w(p);
      }
    });
    // Settings: none set (null, so each server uses its defaults), answered at once.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification(() => undefined);
    this.conn.listen();
  }

  async initialize(folder: string, initializationOptions?: unknown): Promise<void> {
    const uri = pathToFileURL(folder).href;
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false, didSave: true } },
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves with the next diagnostics published for `uri` (at most `ms`). */
  next(uri: string, ms = 60_000): Promise<Diagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${ms} ms`)), ms);
      this.waiters.set(uri, (d) => { clearTimeout(timer); resolve(d); });
    });
  }

  async open(uri: string, languageId: string, text: string): Promise<Diagnostics> {
    const got = this.next(uri);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return got;
  }

  async change(uri: string, version: number, line: number, character: number, insert: string | undefined): Promise<Diagnostics> {
    const got = this.next(uri);
    const range = insert !== undefined
      ? { start: { line, character }, end: { line, character } }
      : { start: { line, character }, end: { line, character: character + 1 } };
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ?? '' }] });
    return got;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    await Promise.race([this.conn.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    await this.conn.sendNotification('exit').catch(() => undefined);
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/**
 * Keystrokes typed and left untimed before the timed ones, on every document and for both servers alike:
 * the figures are for steady editing, after V8 has optimised the code a keystroke runs (a server fresh from
 * start-up spends the first few dozen keystrokes in unoptimised code: at 1,000 lines that alone tripled
 * the median, and the first document of the run paid for all of them; 20 were not enough there).
 */
const WARMUP_KEYSTROKES = 60;

/** A document typed into: where, and what is typed at the end of line `line`. */
export interface Typed { uri: string; languageId: string; text: string; line: number }

/**
 * Times and sizes of the keystrokes on one document, and the last diagnostics published for an odd
 * version (as opened, 1, or after a deletion) and an even one (after a character was typed).
 */
export interface Keystrokes { times: number[]; count: number; bytesPerDiagnostic: number; published: [unknown[], unknown[]] }

/**
 * Opens each document and times `edits` keystrokes on each, in turns (one on each, then the next round in
 * the reverse order), so that documents compared with each other see the same load of the shared machine:
 * on line `line` (a comment line, or any line of the worst case) a character is typed at its end, then
 * deleted, and so on; each waits for its diagnostics. The first {@link WARMUP_KEYSTROKES} rounds are not
 * timed. Documents timed together must be in different nodes (conf/ folders): an edit re-checks the
 * other open documents of its node.
 */
export async function keystrokes(s: Session, docs: Typed[], edits: number): Promise<Keystrokes[]> {
  const out: Keystrokes[] = [];
  for (const d of docs) {
    const first = await s.open(d.uri, d.languageId, d.text);
    const bytes = Buffer.byteLength(JSON.stringify(first.diagnostics));
    out.push({ times: [], count: first.diagnostics.length, bytesPerDiagnostic: first.diagnostics.length > 0 ? bytes / first.diagnostics.length : 0, published: [first.diagnostics, []] });
  }
  const ends = docs.map((d) => (d.text.split('\n')[d.line] ?? '').length);
  let version = 1;
  for (let i = 0; i < edits + WARMUP_KEYSTROKES; i += 1) {
    version += 1;
    const order = i % 2 === 0 ? docs.map((_, k) => k) : docs.map((_, k) => docs.length - 1 - k);
    for (const k of order) {
      const d = docs[k] as Typed;
      const t0 = performance.now();
      const got = await s.change(d.uri, version, d.line, ends[k] as number, i % 2 === 0 ? 'x' : undefined);
      if (i >= WARMUP_KEYSTROKES) out[k]?.times.push(performance.now() - t0);
      const o = out[k];
      if (o) o.published[version % 2 === 1 ? 0 : 1] = got.diagnostics;
    }
  }
  for (const d of docs) await s.close(d.uri);
  return out;
}

export function ensurePeer(): boolean {
  if (existsSync(peerBin)) return true;
  console.log('  (installing the peer: test/bench/peer/install.sh)');
  const r = spawnSync('bash', [path.join(peerDir, 'install.sh')], { stdio: 'inherit' });
  return r.status === 0 && existsSync(peerBin);
}

/** The initializationOptions the VS Code extension sends (client/src/extension.ts). */
export const VSCODE_INIT = { workspaceTrusted: true, ruleDocsCommand: 'vzconf.openRuleDocs', maxDiagnosticsPerFile: 1000 };

const S_LSP = 'lsp';

/**
 * The client's share of the worst case (reported, no target): the same documents typed into
 * test/bench/replay-server.mjs, which answers each keystroke at once with the diagnostics our server
 * published for them. What remains is the client reading the frame from the pipe and parsing its JSON
 * (vscode-jsonrpc, as any Node client; VS Code's extension host parses the same JSON): a floor no server
 * work can lower for the same diagnostics. Our times minus the replay's estimate the server's part: a
 * faster server lowers both documents' parts, and so raises the worst case's ratio, which the client's
 * share dominates.
 */
async function clientShare(dir: string, typed: Typed[], ours: [Keystrokes, Keystrokes], edits: number): Promise<void> {
  const file = path.join(dir, 'replay.json');
  writeFileSync(file, JSON.stringify(Object.fromEntries(typed.map((d, k) => [d.uri, ours[k]?.published]))));
  const replay = new Session([path.join(__dirname, 'replay-server.mjs'), file], dir);
  try {
    await replay.initialize(dir);
    const [ra, rw] = await keystrokes(replay, typed, edits) as [Keystrokes, Keystrokes];
    const [a, w] = ours;
    const extra = median(w.times) - median(a.times);
    const floor = median(rw.times) - median(ra.times);
    report(S_LSP, `  the same diagnostics from a server that does no work (replay-server.mjs: the client's reading and JSON.parse alone), worst case vs normal`,
      `${mp(rw.times)} vs ${mp(ra.times)}: +${floor.toFixed(2)} ms of the +${extra.toFixed(2)} ms above`);
    // What is left is the server's part (medians subtracted: an estimate).
    const serverWorst = median(w.times) - median(rw.times);
    const serverNormal = median(a.times) - median(ra.times);
    if (serverNormal > 0) {
      report(S_LSP, `  the server's part (ours minus the replay), worst case vs normal`, `${serverWorst.toFixed(2)} ms vs ${serverNormal.toFixed(2)} ms, ${(serverWorst / serverNormal).toFixed(2)}×`);
    }
  } finally {
    await replay.stop();
  }
}

export async function lspBench(quick: boolean): Promise<void> {
  const S = S_LSP;
  console.log('\nLanguage server over stdio (dist/server.js) vs dockerfile-language-server-nodejs 0.15.0');
  const peer = ensurePeer();
  if (!peer) console.log('  peer not installed: ratios skipped');
  const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-bench-lsp-'));
  const conf = path.join(dir, 'etc/vz/conf');
  mkdirSync(conf, { recursive: true });
  const vzConf = 'VE_LAYOUT=ploop\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\n';
  writeFileSync(path.join(dir, 'etc/vz/vz.conf'), vzConf);
  const ours = new Session([path.join(root, 'dist/server.js'), '--stdio'], dir);
  const theirs = peer ? new Session([peerBin, '--stdio'], dir) : undefined;
  try {
    // As the VS Code extension starts it (client/src/extension.ts): rule links as commands, and no more
    // diagnostics per file than VS Code shows (1,000).
    await ours.initialize(dir, VSCODE_INIT);
    await theirs?.initialize(dir);
    const edits = quick ? 10 : 30;
    for (const n of [1000, 10000]) {
      const text = largeConfig(n);
      const file = path.join(conf, `${n}.conf`);
      writeFileSync(file, text);
      // The worst case in a node of its own, one per size (an edit re-checks the open documents of its node,
      // and two worst cases in one node would add a duplicate-ct-name finding to each).
      const worst = repeatedKeyConfig(n);
      const worstConf = path.join(dir, `worst-${n}/etc/vz/conf`);
      mkdirSync(worstConf, { recursive: true });
      writeFileSync(path.join(dir, `worst-${n}/etc/vz/vz.conf`), vzConf);
      const wFile = path.join(worstConf, `${n}.conf`);
      writeFileSync(wFile, worst);
      // Typed in turns (same load for both): a comment line in the middle ("# --- block …" lines are at
      // 16 + 10k), and the middle line of the worst case.
      const typed: Typed[] = [
        { uri: pathToFileURL(file).href, languageId: 'vzconf', text, line: 16 + 10 * Math.floor((n - 16) / 20) },
        { uri: pathToFileURL(wFile).href, languageId: 'vzconf', text: worst, line: Math.floor(n / 2) },
      ];
      const [a, w] = await keystrokes(ours, typed, edits) as [Keystrokes, Keystrokes];
      report(S, `vzconf didChange → diagnostics, ${n.toLocaleString('en')} lines (${a.count} diagnostics, ${Math.round(a.bytesPerDiagnostic)} B JSON each)`, mp(a.times));
      const wr = median(w.times) / median(a.times);
      // The findings cap of limits.ts (MAX_FINDINGS_PER_FILE): say whether this document reaches it.
      const cap = w.count > MAX_FINDINGS_PER_FILE ? `capped at ${MAX_FINDINGS_PER_FILE.toLocaleString('en')} + too-many-findings` : `under the cap of ${MAX_FINDINGS_PER_FILE.toLocaleString('en')}`;
      // Above 1,000 findings the server publishes what VS Code shows (VSCODE_INIT.maxDiagnosticsPerFile).
      const limited = n > VSCODE_INIT.maxDiagnosticsPerFile;
      report(S, `  worst case: every line repeats one key (${w.count} diagnostics${limited ? ' published, as VS Code shows 1,000 per file' : ''}, ${cap}, ${Math.round(w.bytesPerDiagnostic)} B each; typed in turns with the normal one)`, `${mp(w.times)}, ${wr.toFixed(2)}× normal`, '≤ 2× normal', wr <= 2);
      if (!limited) await clientShare(dir, typed, [a, w], edits);
      if (limited) {
        // The same documents for a client that takes every diagnostic (no per-file limit): reported, no target.
        const generic = new Session([path.join(root, 'dist/server.js'), '--stdio'], dir);
        try {
          await generic.initialize(dir);
          const [ga, gw] = await keystrokes(generic, [
            { uri: pathToFileURL(file).href, languageId: 'vzconf', text, line: 16 + 10 * Math.floor((n - 16) / 20) },
            { uri: pathToFileURL(wFile).href, languageId: 'vzconf', text: worst, line: Math.floor(n / 2) },
          ], edits) as [Keystrokes, Keystrokes];
          report(S, `  the same for a client without a per-file limit (${gw.count} diagnostics, ${Math.round(gw.bytesPerDiagnostic)} B each)`, `${mp(gw.times)}, ${(median(gw.times) / median(ga.times)).toFixed(2)}× normal`);
        } finally {
          await generic.stop();
        }
      }
      if (theirs) {
        const d = dockerfile(n);
        const dUri = pathToFileURL(path.join(dir, `Dockerfile.${n}`)).href;
        const [b] = await keystrokes(theirs, [{ uri: dUri, languageId: 'dockerfile', text: d, line: 1 + 10 * Math.floor(n / 20) }], edits) as [Keystrokes];
        report(S, `  docker-langserver, ${n.toLocaleString('en')}-line Dockerfile (${b.count} diagnostics)`, mp(b.times));
        const ratio = median(b.times) / median(a.times);
        report(S, `  vzconf faster than docker-langserver at ${n.toLocaleString('en')} lines`, `${ratio.toFixed(2)}×`, '≥ 3×', ratio >= 3);
      }
    }
    // Open → first diagnostics, 100-line files (a new file each time; the server is up).
    const opens: number[] = [];
    const small = largeConfig(100);
    for (let i = 0; i < (quick ? 10 : 30); i += 1) {
      const uri = pathToFileURL(path.join(conf, `${200 + i}.conf`)).href;
      const t0 = performance.now();
      await ours.open(uri, 'vzconf', small);
      opens.push(performance.now() - t0);
      await ours.close(uri);
    }
    report(S, 'open → first diagnostics, 100-line file', mp(opens), '≤ 50 ms median', median(opens) <= 50);
  } finally {
    await ours.stop();
    await theirs?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
