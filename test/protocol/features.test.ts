/**
 * Protocol tests of the editor features (server/src/lsp/features.ts): start the bundled language
 * server (`dist/server.js --stdio`, built by `npm run build`; `VZCONF_TEST_SERVER` may name another
 * bundle) and ask it for completion, document symbols, folding ranges, document links, inlay hints
 * and formatting over stdio with vscode-jsonrpc.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CompletionItem,
  CompletionList,
  ConfigurationParams,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  InitializeResult,
  InlayHint,
  TextEdit,
} from 'vscode-languageserver/node';
import { applyEdits } from '../helpers/edits';
import { startServer, stopServer, withTimeout } from '../helpers/lsp';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = process.env.VZCONF_TEST_SERVER ?? path.join(ROOT, 'dist', 'server.js');
const SAMPLE = path.resolve(ROOT, '../shared/corpus/upstream/openvz-vzctl-classic/conf/ve-vswap-1g.conf-sample');

const CT_URI = 'file:///tmp/vzconf-features/etc/vz/conf/101.conf';
const CT_TEXT = '# see https://wiki.openvz.org/VSwap\n# vSwap\nPHYSPAGES="0:262144"\nSWAPPAGES="0:524288"\nDISKSPACE="10485760"\nNETFILTER=\n  ONBOOT =yes\n';
const OFF_URI = 'file:///tmp/vzconf-features/etc/vz/conf/102.conf';


let child: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
/** `vzconf` settings per document URI, answered to `workspace/configuration`. */
const settingsByUri = new Map<string, unknown>();

function request<R>(method: string, params: unknown): Promise<R> {
  return withTimeout(conn.sendRequest<R>(method, params), method);
}

async function open(uri: string, text: string): Promise<void> {
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version: 1, text } });
}

function itemsOf(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

before(async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` before the protocol tests`);
  ({ child, conn } = startServer(SERVER, ROOT));
  child.stderr.resume();
  conn.onRequest('workspace/configuration', (params: ConfigurationParams) =>
    params.items.map((item) => (item.section === 'vzconf' ? (settingsByUri.get(item.scopeUri ?? '') ?? null) : null)));
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
});

after(async () => {
  await stopServer({ child, conn });
});

describe('vzconf editor features over stdio', () => {
  it('initialize advertises completion (with its trigger characters), symbols, folding, links, inlay hints and formatting', async () => {
    const result = await request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, inlayHint: { refreshSupport: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, tagSupport: { valueSet: [1] }, documentationFormat: ['markdown'] } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          inlayHint: {},
        },
      },
    });
    const caps = result.capabilities;
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['=', '"', ' ', ',', ':']);
    assert.equal(caps.documentSymbolProvider, true);
    assert.equal(caps.foldingRangeProvider, true);
    assert.ok(caps.documentLinkProvider);
    assert.equal(caps.inlayHintProvider, true);
    assert.equal(caps.documentFormattingProvider, true);
    assert.equal(caps.hoverProvider, true, 'the existing capabilities stay');
    await conn.sendNotification('initialized', {});
    await open(CT_URI, CT_TEXT);
  });

  it('completion: NETFILTER modes after "=", keys on a new line with snippets and documentation', async () => {
    const values = itemsOf(await request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: CT_URI }, position: { line: 5, character: 10 } }));
    assert.deepEqual(values.map((i) => i.label), ['disabled', 'stateless', 'stateful', 'full']);
    const full = values.find((i) => i.label === 'full');
    assert.ok(full?.textEdit && 'range' in full.textEdit);
    assert.equal(applyEdits(CT_TEXT, [full.textEdit]).split('\n')[5], 'NETFILTER="full"');
    const keys = itemsOf(await request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: CT_URI }, position: { line: 7, character: 0 } }));
    const labels = keys.map((i) => i.label);
    assert.ok(labels.includes('KMEMSIZE') && !labels.includes('PHYSPAGES') && !labels.includes('LOCKDIR'));
    const kmem = keys.find((i) => i.label === 'KMEMSIZE');
    assert.equal(kmem?.insertTextFormat, 2);
    assert.match(typeof kmem?.documentation === 'object' ? kmem.documentation.value : '', /\*\*KMEMSIZE\*\*/);
    assert.deepEqual(keys.find((i) => i.label === 'IPTABLES')?.tags, [1]);
  });

  it('document symbols, folding ranges and links', async () => {
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: CT_URI } });
    assert.deepEqual(symbols.map((s) => s.name), ['Memory (vSwap)', 'Disk', 'Netfilter', 'General']);
    assert.equal(symbols[0]?.children?.[0]?.detail, '0:262144 (0 B : 1 GiB)');
    const folds = await request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: CT_URI } });
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine, f.kind]), [[0, 1, 'comment'], [2, 3, 'region']]);
    const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: CT_URI } });
    assert.deepEqual(links.map((l) => l.target), ['https://wiki.openvz.org/VSwap']);
  });

  it('inlay hints show sizes, and are off where vzconf.inlayHints.enabled is false', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } };
    const hints = await request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: CT_URI }, range });
    assert.deepEqual(hints.map((h) => [h.position.line, h.label]), [[2, '= 0 / 1 GiB'], [3, '= 0 / 2 GiB'], [4, '= 10 GiB']]);
    settingsByUri.set(OFF_URI, { inlayHints: { enabled: false } });
    await open(OFF_URI, CT_TEXT);
    assert.deepEqual(await request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: OFF_URI }, range }), []);
  });

  it('formatting writes NAME="value" and keeps the rest', async () => {
    const edits = await request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: CT_URI }, options: { tabSize: 2, insertSpaces: true } });
    // `  ONBOOT =yes` keeps its blank before "=": vzctl ignores that line, and formatting must not switch it on.
    assert.equal(applyEdits(CT_TEXT, edits), CT_TEXT.replace('NETFILTER=\n', 'NETFILTER=""\n'));
  });

  it('formatting leaves the vzctl sample as it is (already formatted)', { skip: existsSync(SAMPLE) ? false : `needs ../shared/corpus, absent here (${SAMPLE}): a bare clone skips it` }, async () => {
    const uri = 'file:///tmp/vzconf-features/etc/vz/conf/ve-vswap-1g.conf-sample';
    await open(uri, readFileSync(SAMPLE, 'utf8'));
    assert.deepEqual(await request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }), []);
  });

  it('a document that is not open answers empty, not an error', async () => {
    const uri = 'file:///tmp/vzconf-features/not-open.conf';
    assert.deepEqual(itemsOf(await request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } })), []);
    assert.deepEqual(await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), []);
  });
});
