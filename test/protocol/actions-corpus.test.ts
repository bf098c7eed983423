/**
 * Quick fixes and fix-all over real inputs (issue 8): the language server publishes diagnostics without
 * `data` and keeps the fixes of the published version; the code actions it answers must be exactly what
 * the engine's findings offer — the same titles, edits and preferred flags the server gave when every
 * diagnostic carried its fixes in `data`.
 *
 * Each file (the project's fixtures and examples; ../shared/corpus when present) is opened alone under a
 * folder that does not exist on disk, so the server and the in-process reference (the same per-node cache
 * with the default settings) see the same inputs. For every diagnostic the server's quick fixes for it
 * (`context.diagnostics: [d]`, `range: d.range`) are compared with the fixes of the finding it came from,
 * and the file's fix-all with `computeFixAll` over the findings.
 *
 * `VZCONF_SERVER_JS=path/to/server.js` runs the same comparison against another build (e.g. one from
 * before a change, to show that both answer the same).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { computeFixAll, type Fixable } from '../../server/src/service/codeActions';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { NodeCache } from '../../server/src/service/nodeCache';
import { defaultSettings } from '../../server/src/settings';
import { CORPUS, filesUnder, NEEDS_CORPUS } from '../helpers/corpus';
import { startServer, stopServer, withTimeout, type ServerProcess } from '../helpers/lsp';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = process.env.VZCONF_SERVER_JS ?? path.join(ROOT, 'dist', 'server.js');
/** A folder that does not exist: no vz.conf, no siblings, nothing read from disk. */
const BASE = `/nonexistent/vzconf-actions-${process.pid}`;

/** Config inputs of a folder tree: no docs, manifests or YAML. */
const inputs = (dir: string): string[] => filesUnder(dir, /\.(md|json|yaml|yml|cfg|txt|sh)$|^\.|inventory/, 512 * 1024);

/** The URI path a file is opened under: its own name, in etc/vz (a node config) or etc/vz/conf. */
function openPath(file: string, n: number): string {
  const base = path.basename(file);
  const isNode = /^vz\.conf(\.|$)|^vz$/.test(base) && !file.includes('/conf/');
  return isNode ? `${BASE}/${n}/etc/vz/${base}` : `${BASE}/${n}/etc/vz/conf/${base}`;
}

/** The engine options of the default settings, as the server derives them. */
function defaultOptions(): LintOptions {
  const s = defaultSettings();
  return { target: s.target, kind: s.kind, rules: s.rules, knownParameters: s.knownParameters, ignoreSuppressions: s.ignoreSuppressions };
}

/** What a quick fix is, without the diagnostics it names (those are the client's own objects). */
interface ActionShape {
  title: string;
  kind: string | undefined;
  edits: unknown;
  isPreferred: boolean;
}

function shapeOf(uri: string, a: CodeAction): ActionShape {
  return { title: a.title, kind: a.kind, edits: a.edit?.changes?.[uri], isPreferred: a.isPreferred === true };
}

/** The quick fixes the server gave for a finding when its fixes travelled in `data` (service/codeActions.ts before issue 8). */
function expectedFixes(uri: string, f: Fixable): ActionShape[] {
  const fixes = (f.fixes ?? []).filter((x) => x.edits.length > 0);
  return fixes.map((x, i) => ({
    title: x.title,
    kind: 'quickfix',
    edits: x.edits.map((e) => ({ range: e.range, newText: e.newText })),
    isPreferred: i === 0 && fixes.length === 1 && x.safe,
  }));
}

/** A rule's own fix: an edit that is not one of the Disable … comments every diagnostic gets. */
const isRuleFix = (a: CodeAction): boolean => a.kind === 'quickfix' && a.edit !== undefined && !/^Disable \S+ for (this|lines? \d+)/.test(a.title);

const keyOf = (d: { range: Diagnostic['range']; message: string }, code: unknown): string => `${JSON.stringify(d.range)} ${String(code)} ${d.message}`;

function suite(name: string, files: () => string[], skip: string | false): void {
  describe(name, { skip }, () => {
    let server: ServerProcess;
    const waiters = new Map<string, (p: PublishDiagnosticsParams) => void>();
    before(async () => {
      server = startServer(SERVER, ROOT);
      server.child.stderr.resume();
      server.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        const w = waiters.get(p.uri);
        if (w) {
          waiters.delete(p.uri);
          w(p);
        }
      });
      server.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      server.conn.onRequest('client/registerCapability', () => null);
      server.conn.onNotification(() => undefined);
      server.conn.listen();
      await withTimeout(server.conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true, codeDescriptionSupport: true } } },
      }), 'initialize');
      await server.conn.sendNotification('initialized', {});
    });
    after(async () => {
      await stopServer(server);
    });

    it('every diagnostic gets exactly its finding\'s fixes; fix-all is the findings\' fix-all', async () => {
      const list = files();
      assert.ok(list.length > 0, 'no inputs');
      const options = defaultOptions();
      const cache = new NodeCache();
      let diagnostics = 0;
      let withFixes = 0;
      let fixAlls = 0;
      for (const [n, file] of list.entries()) {
        const text = readFileSync(file, 'utf8');
        if (text.trim() === '') continue;
        const p = openPath(file, n);
        const uri = pathToFileURL(p).href;
        cache.setOpenText(p, text);
        const reference = await cache.lintFile(p, { options });
        assert.ok(reference, p);
        const findings = reference.findings;
        const published = new Promise<PublishDiagnosticsParams>((resolve) => waiters.set(uri, resolve));
        await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
        const pub = await withTimeout(published, `diagnostics of ${file}`);
        // The server published the reference's findings, in order.
        assert.deepEqual(pub.diagnostics.map((d) => keyOf({ range: d.range, message: String(d.message) }, d.code)), findings.map((f) => keyOf(f, f.rule)), file);
        for (const [i, d] of pub.diagnostics.entries()) {
          const f = findings[i] as Fixable;
          const expected = expectedFixes(uri, f);
          // Every diagnostic with fixes, and a few without (they must get none).
          if (expected.length === 0 && i % 7 !== 0) continue;
          diagnostics += 1;
          if (expected.length > 0) withFixes += 1;
          const actions = await withTimeout(server.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } }), `code actions in ${file}`);
          assert.deepEqual(actions.filter(isRuleFix).map((a) => shapeOf(uri, a)), expected, `${file}:${d.range.start.line + 1} ${String(d.code)}`);
        }
        const all = await withTimeout(server.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }), `fix-all of ${file}`);
        const want = await computeFixAll(uri, findings, { text, relint: (t) => lint(t, { ...options, path: p }).findings });
        assert.deepEqual(all, want ? [want] : [], `fix-all of ${file}`);
        if (want) fixAlls += 1;
        await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
        cache.closeText(p);
      }
      assert.ok(diagnostics > 0, 'no diagnostic was compared');
      console.log(`code actions: ${list.length} files, ${diagnostics} diagnostics compared (${withFixes} with fixes), ${fixAlls} fix-alls`);
    });
  });
}

suite('code actions over the project\'s fixtures and examples', () => [
  ...inputs(path.join(ROOT, 'examples')),
  ...inputs(path.join(ROOT, 'test/e2e/fixtures/workspace')),
  ...inputs(path.join(ROOT, 'test/fixtures')),
], false);

suite('code actions over ../shared/corpus (upstream and wild)', () => [...inputs(path.join(CORPUS, 'upstream')), ...inputs(path.join(CORPUS, 'wild'))], NEEDS_CORPUS);
