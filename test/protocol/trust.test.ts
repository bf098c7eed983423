/**
 * Settings that could inject or read what they should not (issue 11): `kb.urlTemplate` only as an
 * `https:` template with `{id}` (from the editor or from `.vzconf.yaml`), the repository's `.vzconf.yaml`
 * ignored for restricted settings in an untrusted workspace until the client says it is trusted, and a
 * node config that is a FIFO or a /proc file reported instead of hanging the server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigurationParams, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startServer, stopServer, withTimeout, type ServerProcess } from '../helpers/lsp';
import { kbUrlTemplateProblem, RESTRICTED_SETTINGS, SETTING_KEYS } from '../../server/src/settings';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

/** A server on one workspace folder, with per-URI settings, logs and publishes recorded. */
class Session {
  readonly server: ServerProcess;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly settings = new Map<string, unknown>();
  private readonly listeners = new Set<() => void>();

  constructor() {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    this.server = startServer(SERVER, ROOT);
    this.server.child.stderr.resume();
    const { conn } = this.server;
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      for (const l of [...this.listeners]) l();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      for (const l of [...this.listeners]) l();
    });
    conn.onRequest('workspace/configuration', (params: ConfigurationParams) => params.items.map((i) => (i.section === 'vzconf' ? (this.settings.get(i.scopeUri ?? '') ?? null) : null)));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/inlayHint/refresh', () => null);
    conn.onNotification(() => undefined);
    conn.listen();
  }

  async initialize(folder: string, initializationOptions: unknown): Promise<void> {
    await withTimeout(this.server.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'ws' }],
      initializationOptions,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true } } },
    }), 'initialize');
    await this.server.conn.sendNotification('initialized', {});
  }

  until<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
    const now = get();
    if (now !== undefined) return Promise.resolve(now);
    let l: (() => void) | undefined;
    const p = new Promise<T>((resolve) => {
      l = () => {
        const v = get();
        if (v !== undefined) resolve(v);
      };
      this.listeners.add(l);
    });
    return withTimeout(p, `${what} (published ${JSON.stringify(this.published.map((q) => [q.uri, q.diagnostics.map((d) => d.code)]))}; logs ${JSON.stringify(this.logs)})`, ms).finally(() => {
      if (l) this.listeners.delete(l);
    });
  }

  diagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0): Promise<PublishDiagnosticsParams> {
    return this.until(`diagnostics of ${uri}`, () => this.published.slice(since).find((p) => p.uri === uri && match(p)));
  }

  async open(uri: string, text: string): Promise<void> {
    await this.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
  }

  async hover(uri: string, line: number, character: number): Promise<string> {
    const h = await withTimeout(this.server.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }), 'hover');
    assert.ok(h, 'a hover');
    return (h.contents as MarkupContent).value;
  }

  stop(): Promise<void> {
    return stopServer(this.server);
  }
}

/** Every link target of a Markdown text. */
function linkTargets(md: string): string[] {
  return [...md.matchAll(/\]\(([^)\s]*)\)/g)].map((m) => m[1] as string);
}

describe('kb.urlTemplate validation', () => {
  it('accepts https: templates with {id} and refuses the rest', () => {
    for (const ok of ['https://kb.virtuozzo.com/{id}', 'https://kb.cloudblue.com/{id}', 'https://mirror.example:8443/kb?article={id}&lang=en']) {
      assert.equal(kbUrlTemplateProblem(ok), undefined, ok);
    }
    const refused: [string, RegExp][] = [
      ['javascript:alert(1)//{id}', /https:/],
      ['file:///etc/{id}', /https:/],
      ['command:workbench.action.terminal.new?{id}', /https:/],
      ['http://kb.example.com/{id}', /https:/],
      ['https://kb.example.com/', /\{id\}/],
      ['https://kb.example.com/{id})[x](command:workbench.action.terminal.new', /URL characters/],
      ['https://kb.example.com/{id}" onclick="x', /URL characters/],
      ['https://kb.example.com/<{id}>', /URL characters/],
      ['https://kb.example.com/{id} more', /URL characters/],
      ['https:///{id}', /URL characters|host/],
      ['https://kb.example.com/{id}\u0007', /URL characters/],
    ];
    for (const [t, why] of refused) assert.match(kbUrlTemplateProblem(t) ?? '(accepted)', why, t);
  });

  it('RESTRICTED_SETTINGS are exactly package.json\'s restrictedConfigurations', async () => {
    const pkg = (await import('../../package.json')) as unknown as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
    const fromPkg = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.map((k) => k.replace(/^vzconf\./, '')).sort();
    assert.deepEqual(RESTRICTED_SETTINGS.map((f) => SETTING_KEYS[f].key).sort(), fromPkg);
  });
});

describe('settings that inject or read: over the protocol', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-trust-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a javascript: or link-breaking kb.urlTemplate setting is refused with one log line; hovers keep https links', async () => {
    const ws = path.join(root, 'kb-setting');
    await mkdir(path.join(ws, 'etc', 'vz', 'conf'), { recursive: true });
    const s = new Session();
    try {
      await s.initialize(ws, {});
      const uri = pathToFileURL(path.join(ws, 'etc', 'vz', 'conf', '101.conf')).href;
      s.settings.set(uri, { kb: { urlTemplate: 'javascript:alert(document.domain)//{id}' } });
      await s.open(uri, `${VSWAP}IPTABLES="iptable_filter"\n`);
      await s.diagnostics(uri);
      const md = await s.hover(uri, 2, 2);
      const targets = linkTargets(md);
      assert.ok(targets.some((t) => t.startsWith('https://kb.virtuozzo.com/')), md);
      assert.ok(targets.every((t) => t.startsWith('https:')), targets.join(' '));
      assert.doesNotMatch(md, /javascript:/);
      await s.until('the log line', () => s.logs.find((l) => /vzconf\.kb\.urlTemplate "javascript:.*must be an https: URL; the default https:\/\/kb\.virtuozzo\.com\/\{id\} is used/.test(l)));
      // Asked again (another hover): still one log line.
      await s.hover(uri, 2, 2);
      assert.equal(s.logs.filter((l) => /kb\.urlTemplate/.test(l)).length, 1);
    } finally {
      await s.stop();
    }
  });

  it('kb.urlTemplate in .vzconf.yaml is validated too (a ")" would end the Markdown link)', async () => {
    const ws = path.join(root, 'kb-file');
    await mkdir(path.join(ws, 'etc', 'vz', 'conf'), { recursive: true });
    await writeFile(path.join(ws, '.vzconf.yaml'), 'kb:\n  urlTemplate: "https://evil.example/{id})[click](command:workbench.action.terminal.new"\n');
    const s = new Session();
    try {
      await s.initialize(ws, {});
      const uri = pathToFileURL(path.join(ws, 'etc', 'vz', 'conf', '101.conf')).href;
      await s.open(uri, `${VSWAP}IPTABLES="iptable_filter"\n`);
      await s.diagnostics(uri);
      const md = await s.hover(uri, 2, 2);
      assert.doesNotMatch(md, /evil\.example|command:/);
      await s.until('the log line', () => s.logs.find((l) => /kb\.urlTemplate of .*\.vzconf\.yaml .*URL characters/.test(l)));
    } finally {
      await s.stop();
    }
  });

  it('untrusted workspace: nodeConfig and kb.urlTemplate of .vzconf.yaml are ignored until the client says it is trusted', async () => {
    const ws = path.join(root, 'untrusted');
    await mkdir(path.join(ws, 'ct'), { recursive: true });
    await mkdir(path.join(root, 'elsewhere'), { recursive: true });
    await writeFile(path.join(root, 'elsewhere', 'vz.conf'), 'DISK_QUOTA=no\n');
    await writeFile(path.join(ws, '.vzconf.yaml'), `nodeConfig: ${path.join(root, 'elsewhere', 'vz.conf')}\nkb:\n  urlTemplate: https://mirror.example/{id}\nrules:\n  inline-comment: error\n`);
    const s = new Session();
    try {
      await s.initialize(ws, { workspaceTrusted: false });
      const uri = pathToFileURL(path.join(ws, 'ct', '101.conf')).href;
      await s.open(uri, `${VSWAP}DISKSPACE="1048576:1153024"\nIPTABLES="iptable_filter"\nNAMESERVER=inherit # x\n`);
      const first = await s.diagnostics(uri);
      const codes = first.diagnostics.map((d) => d.code);
      assert.ok(!codes.includes('disk-quota-off'), `the node config of .vzconf.yaml is not read: ${codes.join(', ')}`);
      assert.equal(first.diagnostics.find((d) => d.code === 'inline-comment')?.severity, 1, 'unrestricted options of the file still apply');
      assert.doesNotMatch(await s.hover(uri, 3, 2), /mirror\.example/);
      await s.until('the untrusted log line', () => s.logs.find((l) => /untrusted workspace: nodeConfig and kb\.urlTemplate of .*\.vzconf\.yaml ignored/.test(l)));
      // Trusted now: the node config is read and the mirror is used.
      const since = s.published.length;
      await s.server.conn.sendNotification('vzconf/didChangeWorkspaceTrust', { trusted: true });
      const trusted = await s.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'disk-quota-off'), since);
      assert.ok(trusted);
      assert.match(await s.hover(uri, 3, 2), /\(https:\/\/mirror\.example\/\d+\)/);
    } finally {
      await s.stop();
    }
  });

  it('a nodeConfig that is a FIFO or a /proc file gives a warning at once; hover still answers', { skip: process.platform === 'win32' }, async () => {
    const ws = path.join(root, 'fifo');
    await mkdir(path.join(ws, 'ct'), { recursive: true });
    execFileSync('mkfifo', [path.join(ws, 'node.fifo')]);
    const s = new Session();
    try {
      await s.initialize(ws, {});
      const a = pathToFileURL(path.join(ws, 'ct', '101.conf')).href;
      const b = pathToFileURL(path.join(ws, 'ct', '102.conf')).href;
      s.settings.set(a, { nodeConfig: 'node.fifo' });
      s.settings.set(b, { nodeConfig: '/proc/self/status' });
      await s.open(a, `${VSWAP}ONBOOT="yes"\n`);
      await s.open(b, `${VSWAP}ONBOOT="yes"\n`);
      const pa = await s.diagnostics(a);
      const pb = await s.diagnostics(b);
      assert.match(String(pa.diagnostics.find((d) => d.code === 'invalid-setting')?.message), /node\.fifo: is a named pipe, not a regular file; checked without a node config/);
      assert.match(String(pb.diagnostics.find((d) => d.code === 'invalid-setting')?.message), /kernel pseudo-file/);
      assert.match(await s.hover(a, 2, 2), /ONBOOT/);
      assert.ok(s.logs.some((l) => /node\.fifo/.test(l)));
    } finally {
      await s.stop();
    }
  });
});
