/**
 * Protocol tests: start the bundled language server (`dist/server.js --stdio`, built by
 * `npm run build`) as a child process and talk LSP to it over stdio with vscode-jsonrpc.
 */
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  ConfigurationParams,
  Diagnostic,
  Hover,
  InitializeResult,
  MarkupContent,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
} from 'vscode-languageserver/node';
import { startServer, stopServer, TIMEOUT_MS, withTimeout } from '../helpers/lsp';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');

const NODE_URI = 'file:///tmp/vzconf-test/etc/vz/vz.conf';
const NODE_TEXT = 'NETFILTER="full"\nIPTABLES="ipt_REJECT ipt_tos ipt_limit iptable_filter"\n';
const CT_URI = 'file:///tmp/vzconf-test/etc/vz/conf/101.conf';
const CT_LINE0 = 'IPTABLES="ipt_REJECT iptable_filter ip_conntrack iptable_nat ipt_REDIRECT"';
// With the vSwap pair classic vzctl needs to start a container (otherwise ubc-required fires on line 0).
const CT_TEXT = `${CT_LINE0}\nKMEMSIZE="300331648:150331648"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n`;

// ---------------------------------------------------------------------------------------------
// Helpers

/** Rejects after `ms` with a message naming what was awaited. */

/** Offset of an LSP position in `text` (lines end at \n, \r\n or \r; columns in UTF-16 units). */
function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line += 1) {
    const nl = text.slice(offset).search(/\r\n|\r|\n/);
    if (nl < 0) return text.length;
    offset += nl + (text.startsWith('\r\n', offset + nl) ? 2 : 1);
  }
  const rest = text.slice(offset);
  const eol = rest.search(/\r\n|\r|\n/);
  const lineLength = eol < 0 ? rest.length : eol;
  return offset + Math.min(pos.character, lineLength);
}

/** Applies non-overlapping LSP TextEdits to `text`, as a client applies a WorkspaceEdit. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

function codes(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}

/** A diagnostic's message as text (LSP 3.18 also allows markup). */
function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/**
 * Whether a code action is one of a rule's own fixes (its finding's fixes), not one of the actions every
 * diagnostic gets (Disable … for this line / for lines A–B / for this file, Learn more) or "Copy as vzctl set command".
 */
function isRuleFix(a: CodeAction): boolean {
  return a.kind === 'quickfix' && a.edit !== undefined && !/^Disable \S+ for (this (line|file)|lines \d+–\d+)$/.test(a.title);
}

function find(p: PublishDiagnosticsParams, code: string): Diagnostic | undefined {
  return p.diagnostics.find((d) => d.code === code);
}

// ---------------------------------------------------------------------------------------------
// The server under test

let child: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
let stderr = '';
const published: PublishDiagnosticsParams[] = [];
const waiters = new Set<{ match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }>();
/** `vzconf` settings returned for a document URI by the test client's `workspace/configuration` handler. */
const settingsByUri = new Map<string, unknown>();
const configurationRequests: string[] = [];

/**
 * The first publishDiagnostics (received at or after index `since` of the history) that `match` accepts.
 */
function waitForDiagnostics(
  what: string,
  match: (p: PublishDiagnosticsParams) => boolean,
  since = 0,
): Promise<PublishDiagnosticsParams> {
  const seen = published.slice(since).find(match);
  if (seen) return Promise.resolve(seen);
  let waiter: { match: typeof match; resolve: (p: PublishDiagnosticsParams) => void } | undefined;
  const promise = new Promise<PublishDiagnosticsParams>((resolve) => {
    waiter = { match, resolve };
    waiters.add(waiter);
  });
  return withTimeout(promise, `${what} (received so far: ${JSON.stringify(published.map((p) => [p.uri, p.version, codes(p)]))})`).finally(() => {
    if (waiter) waiters.delete(waiter);
  });
}

function request<R>(method: string, params: unknown): Promise<R> {
  return withTimeout(conn.sendRequest<R>(method, params), method);
}

async function open(uri: string, text: string, version = 1): Promise<void> {
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version, text } });
}

async function hover(uri: string, line: number, character: number): Promise<Hover | null> {
  return request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
}

function markdownOf(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  const contents = h.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

before(async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` before the protocol tests`);
  ({ child, conn } = startServer(SERVER, ROOT));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.match(p)) {
        waiters.delete(w);
        w.resolve(p);
      }
    }
  });
  conn.onRequest('workspace/configuration', (params: ConfigurationParams) =>
    params.items.map((item) => {
      configurationRequests.push(item.scopeUri ?? '');
      return item.section === 'vzconf' ? (settingsByUri.get(item.scopeUri ?? '') ?? null) : null;
    }));
  // window/logMessage, telemetry and the like: accepted and ignored.
  conn.onNotification(() => undefined);
  conn.listen();
});

after(async () => {
  await stopServer({ child, conn });
});

// ---------------------------------------------------------------------------------------------

describe('vzconf language server over stdio', () => {
  it('a. initialize advertises hover, quick fixes and incremental sync', async () => {
    const result = await request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
        },
      },
    });
    const caps = result.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.vzconf', 'refactor.vzconf.vzctlSet'] });
    assert.deepEqual(caps.executeCommandProvider?.commands, ['vzconf.server.lintWorkspace']);
    const sync = caps.textDocumentSync;
    const change = typeof sync === 'number' ? sync : sync?.change;
    assert.equal(change, 2, 'TextDocumentSyncKind.Incremental');
    assert.equal(result.serverInfo?.name, 'vzconf');
    // docs/editor.md "Other editors" lists exactly the capabilities initialize returns.
    const doc = readFileSync(path.join(ROOT, 'docs/editor.md'), 'utf8');
    const list = doc.slice(doc.indexOf('<!-- capabilities:begin -->'), doc.indexOf('<!-- capabilities:end -->'));
    const documented = [...list.matchAll(/^- `([A-Za-z.]+)`/gm)].map((m) => m[1]).sort();
    const advertised = Object.keys(caps).flatMap((k) => k === 'workspace' ? Object.keys(caps.workspace ?? {}).map((w) => `workspace.${w}`) : [k]).sort();
    assert.deepEqual(documented, advertised);
  });

  it('b. vz.conf: misplaced NETFILTER and deprecated IPTABLES, with docs links and the Deprecated tag', async () => {
    await open(NODE_URI, NODE_TEXT);
    const p = await waitForDiagnostics('diagnostics of vz.conf', (q) => q.uri === NODE_URI);
    assert.equal(p.version, 1);
    const misplaced = find(p, 'misplaced-parameter');
    assert.ok(misplaced, `misplaced-parameter expected, got ${codes(p).join(', ')}`);
    assert.equal(misplaced.range.start.line, 0);
    assert.equal(misplaced.source, 'vzconf');
    assert.match(misplaced.codeDescription?.href ?? '', /docs\/rules\/misplaced-parameter\.md$/);
    assert.match(messageOf(misplaced), /NETFILTER/);
    const deprecated = find(p, 'deprecated-parameter');
    assert.ok(deprecated, `deprecated-parameter expected, got ${codes(p).join(', ')}`);
    assert.equal(deprecated.range.start.line, 1);
    assert.deepEqual(deprecated.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
    assert.ok(deprecated.tags?.includes(2), 'Deprecated tag (2)');
    assert.match(messageOf(deprecated), /IPTABLES_MODULES/);
  });

  let ctText = CT_TEXT;

  it('c. CTID.conf: quick fix replaces IPTABLES by NETFILTER; an incremental change re-lints version 2', async () => {
    await open(CT_URI, CT_TEXT);
    const p = await waitForDiagnostics('diagnostics of 101.conf', (q) => q.uri === CT_URI && q.version === 1);
    const deprecated = find(p, 'deprecated-parameter');
    assert.ok(deprecated, `deprecated-parameter expected, got ${codes(p).join(', ')}`);
    assert.equal(deprecated.range.start.line, 0);
    const barrier = find(p, 'barrier-above-limit');
    assert.ok(barrier, `barrier-above-limit expected, got ${codes(p).join(', ')}`);
    assert.equal(barrier.range.start.line, 1);
    assert.equal(barrier.severity, 2);

    // Line 0: the single fix of deprecated-parameter, preferred.
    const line0: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const all0 = await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: CT_URI },
      range: line0,
      context: { diagnostics: p.diagnostics },
    });
    // The rule's own fixes (suppressions, docs / KB links and "Copy as vzctl set" come after them).
    const actions = all0.filter(isRuleFix);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(all0[0], actions[0], 'the rule fixes come first');
    const fix = actions[0];
    assert.equal(fix.kind, 'quickfix');
    // It widens access, so it is not preferred: Auto Fix must not apply it unseen.
    assert.notEqual(fix.isPreferred, true);
    assert.match(fix.title, /NETFILTER/);
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['deprecated-parameter']);
    const edits = fix.edit?.changes?.[CT_URI];
    assert.ok(edits && edits.length > 0, 'the fix edits the document');
    const fixed = applyEdits(CT_TEXT, edits);
    assert.ok(fixed.split('\n').includes('NETFILTER="full"'), fixed);
    // "full" for NAT modules comes with the reason, as a suppression of netfilter-full.
    assert.match(fixed, /^# vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules \([^)]+\)\nNETFILTER="full"$/m);
    assert.equal(fixed.replace(/^# vzconf-disable-next-line netfilter-full[^\n]*\n/m, ''), CT_TEXT.replace(CT_LINE0, 'NETFILTER="full"'));

    // Line 1: barrier-above-limit has two fixes, so neither is preferred.
    const line1 = (await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: CT_URI },
      range: { start: { line: 1, character: 12 }, end: { line: 1, character: 12 } },
      context: { diagnostics: p.diagnostics },
    })).filter(isRuleFix);
    assert.equal(line1.length, 2, JSON.stringify(line1));
    assert.ok(line1.every((a) => a.kind === 'quickfix' && a.isPreferred === undefined));
    assert.equal(applyEdits(CT_TEXT, line1[0].edit?.changes?.[CT_URI] ?? []).split('\n')[1], 'KMEMSIZE="300331648:300331648"');

    // The published diagnostics carry no data: the server keeps the fixes of this version.
    assert.ok(p.diagnostics.every((d) => d.data === undefined), 'no data on published diagnostics');
    // Diagnostics of another source, or that this server did not publish for this text, bring no actions.
    const foreign = await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: CT_URI },
      range: line0,
      context: { diagnostics: [{ ...deprecated, source: 'shellcheck' }, { ...deprecated, message: `${messageOf(deprecated)} (edited)` }, { ...deprecated, code: 'duplicate-parameter' }] },
    });
    assert.deepEqual(foreign.filter(isRuleFix), []);

    // Apply the fix as an incremental change.
    const since = published.length;
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: CT_URI, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: CT_LINE0.length } }, text: 'NETFILTER="full"' }],
    });
    ctText = applyEdits(CT_TEXT, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: CT_LINE0.length } }, newText: 'NETFILTER="full"' }]);
    const p2 = await waitForDiagnostics('diagnostics of 101.conf version 2', (q) => q.uri === CT_URI && q.version === 2, since);
    assert.ok(!codes(p2).includes('deprecated-parameter'), `no deprecated-parameter expected, got ${codes(p2).join(', ')}`);
    assert.ok(codes(p2).includes('barrier-above-limit'));
  });

  it('d. hover on NETFILTER links the KB article with the default template', async () => {
    assert.ok(ctText.startsWith('NETFILTER="full"'));
    const value = markdownOf(await hover(CT_URI, 0, 2));
    assert.match(value, /NETFILTER/);
    assert.ok(value.includes('https://kb.virtuozzo.com/126787'), value);
    const h = await hover(CT_URI, 0, 2);
    assert.deepEqual(h?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
  });

  it('fix-all applies only the safe fixes, in one edit', async () => {
    const uri = 'file:///tmp/vzconf-test/fixall/etc/vz/conf/105.conf';
    const text = 'MYAPP_NOTE = "yes"\nDESCRIPTION=web server\nIPTABLES="iptable_filter iptable_nat"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
    await open(uri, text);
    await waitForDiagnostics('diagnostics of 105.conf', (q) => q.uri === uri && q.version === 1);
    const actions = await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0]?.kind, 'source.fixAll.vzconf');
    const fixed = applyEdits(text, actions[0]?.edit?.changes?.[uri] ?? []);
    // Spacing (of a key vzctl does not read) and quoting are fixed; the IPTABLES → NETFILTER conversion (it widens access) is not.
    assert.equal(fixed, 'MYAPP_NOTE="yes"\nDESCRIPTION="web server"\nIPTABLES="iptable_filter iptable_nat"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n');
  });

  it('fix-all reaches its fixed point in one call: adjacent deletions and fixes that need another pass', async () => {
    const uri = 'file:///tmp/vzconf-test/fixall2/etc/vz/conf/106.conf';
    // Adjacent deletions of ignored keys (each deletion touches the next, so one round defers some) and a quoting fix.
    const text = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nVETH=""\nCONFIG_CUSTOMIZED="yes"\nNOATIME="yes"\nHOSTNAME=a b\n';
    await open(uri, text);
    await waitForDiagnostics('diagnostics of 106.conf', (q) => q.uri === uri && q.version === 1);
    const fixAll = async (): Promise<CodeAction[]> =>
      request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    const first = await fixAll();
    assert.equal(first.length, 1);
    const fixed = applyEdits(text, first[0]?.edit?.changes?.[uri] ?? []);
    assert.equal(fixed, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nHOSTNAME="a b"\n');
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    await waitForDiagnostics('diagnostics of the fixed 106.conf', (q) => q.uri === uri && q.version === 2);
    assert.deepEqual(await fixAll(), [], `second fix-all on ${JSON.stringify(fixed)}`);
  });

  it('e. CRLF, a byte-order mark and a 200 000-character line do not break the server', async () => {
    const uri = 'file:///tmp/vzconf-test/etc/vz/conf/102.conf';
    const long = 'x'.repeat(200_000);
    const text = `\uFEFFNETFILTER="full"\r\nKMEMSIZE="300331648:150331648"\r\nDESCRIPTION="${long}"\r\n`;
    await open(uri, text);
    const p = await waitForDiagnostics('diagnostics of the CRLF/BOM file', (q) => q.uri === uri);
    assert.ok(codes(p).includes('byte-order-mark'), codes(p).join(', '));
    const barrier = find(p, 'barrier-above-limit');
    assert.ok(barrier, codes(p).join(', '));
    assert.equal(barrier.range.start.line, 1, 'CRLF counts as one line break');
    assert.ok(p.diagnostics.every((d) => d.range.end.line <= 3));
    // Still alive: hovers on the CRLF line and inside the long line are answered.
    assert.match(markdownOf(await hover(uri, 1, 3)), /KMEMSIZE/);
    await hover(uri, 2, 100_000);
    const fix = await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: p.diagnostics },
    });
    const bom = fix.find((a) => /byte-order mark/i.test(a.title));
    assert.ok(bom, JSON.stringify(fix.map((a) => a.title)));
    assert.ok(applyEdits(text, bom.edit?.changes?.[uri] ?? []).startsWith('NETFILTER="full"\r\n'));
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const cleared = await waitForDiagnostics('diagnostics cleared on close', (q) => q.uri === uri && q.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('f. settings are pulled per document: classic@4.6 accepts IPTABLES in vz.conf, bogus is reported', async () => {
    const oldUri = 'file:///tmp/vzconf-test/old/etc/vz/vz.conf';
    const newUri = 'file:///tmp/vzconf-test/new/etc/vz/vz.conf';
    const bogusUri = 'file:///tmp/vzconf-test/bogus/etc/vz/vz.conf';
    const text = 'IPTABLES="iptable_filter"\n';
    settingsByUri.set(oldUri, { target: 'classic@4.6' });
    // With an ESC: the message quotes the setting with its control characters made visible (attack).
    settingsByUri.set(bogusUri, { target: 'bogus\u001b[2J' });
    await open(oldUri, text);
    await open(newUri, text);
    await open(bogusUri, text);

    const old = await waitForDiagnostics('diagnostics under classic@4.6', (q) => q.uri === oldUri);
    assert.ok(configurationRequests.includes(oldUri), 'the server asked for the settings of that document');
    assert.ok(!codes(old).includes('deprecated-parameter'), codes(old).join(', '));
    assert.ok(!codes(old).includes('invalid-setting'));

    const current = await waitForDiagnostics('diagnostics under the default target', (q) => q.uri === newUri);
    assert.ok(codes(current).includes('deprecated-parameter'), codes(current).join(', '));

    const bogus = await waitForDiagnostics('diagnostics under target bogus', (q) => q.uri === bogusUri);
    assert.equal(bogus.diagnostics.length, 1, JSON.stringify(bogus.diagnostics));
    const invalid = bogus.diagnostics[0];
    assert.equal(invalid.code, 'invalid-setting');
    assert.equal(invalid.source, 'vzconf');
    assert.equal(invalid.severity, 1);
    assert.deepEqual(invalid.range.start, { line: 0, character: 0 });
    assert.match(messageOf(invalid), /"bogus\\u001b\[2J"/);
    assert.ok(!messageOf(invalid).includes('\u001b'), messageOf(invalid));
    // Hover does not crash under an invalid setting either.
    assert.equal(await hover(bogusUri, 0, 2), null);

    // A configuration change drops the cache and re-lints every open document.
    const since = published.length;
    settingsByUri.set(oldUri, { target: 'classic' });
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const relinted = await waitForDiagnostics('re-lint after didChangeConfiguration', (q) => q.uri === oldUri, since);
    assert.ok(codes(relinted).includes('deprecated-parameter'), codes(relinted).join(', '));
  });

  it('rapid changes are coalesced and the latest version is published', async () => {
    const uri = 'file:///tmp/vzconf-test/etc/vz/conf/103.conf';
    await open(uri, 'KMEMSIZE="1:2"\n');
    await waitForDiagnostics('first lint of 103.conf', (q) => q.uri === uri && q.version === 1);
    for (let v = 2; v <= 30; v += 1) {
      void conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: v === 30 ? 'KMEMSIZE="1:2"\n' : 'KMEMSIZE="3:2"\n' }],
      });
    }
    const last = await waitForDiagnostics('lint of version 30', (q) => q.uri === uri && q.version === 30);
    assert.ok(!codes(last).includes('barrier-above-limit'), codes(last).join(', '));
    // Let stragglers arrive; nothing older than 30 may be published after 30.
    await new Promise((r) => setTimeout(r, 200));
    const forUri = published.filter((q) => q.uri === uri);
    assert.equal(forUri[forUri.length - 1].version, 30);
    assert.ok(forUri.length < 30, `expected coalescing, got ${forUri.length} publishes`);
  });

  it('a document that repeats one key 3,000 times: one diagnostic for the run of ignored lines, its fix on request, also after an edit', async () => {
    const uri = 'file:///tmp/vzconf-test/etc/vz/conf/106.conf';
    // A key with non-ASCII letters and an emoji: its message comes through the ASCII-escaped frame intact.
    const text = 'HOSTNAME="ct.example.com"\n'.repeat(3000) + 'MÜLLER_😀="x"\n';
    await open(uri, text);
    const p = await waitForDiagnostics('106.conf', (q) => q.uri === uri && q.version === 1);
    const dups = p.diagnostics.filter((d) => d.code === 'duplicate-parameter');
    // Lines 2–3000 are consecutive ignored duplicates: one diagnostic covering them (rules/parameters.ts).
    assert.equal(dups.length, 1, codes(p).slice(0, 5).join(', '));
    const run = dups[0] as Diagnostic;
    assert.deepEqual(run.range, { start: { line: 1, character: 0 }, end: { line: 2999, character: 25 } });
    assert.ok(run.source === 'vzconf' && run.severity === 2 && typeof run.codeDescription?.href === 'string');
    assert.equal(run.message, 'HOSTNAME on lines 2–3000 is also set on line 1; vzctl uses the first');
    assert.equal(find(p, 'unknown-parameter')?.message, 'Unknown parameter "MÜLLER_😀"; vzctl ignores the line');
    // The code action at any line of the run, with the diagnostics the client has there (those whose range touches it).
    const fixAt = async (line: number, diagnostics: typeof p.diagnostics): Promise<CodeAction[]> => (await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 1 }, end: { line, character: 1 } },
      context: { diagnostics: diagnostics.filter((d) => d.range.start.line <= line && line <= d.range.end.line) },
    })).filter(isRuleFix);
    const mid = await fixAt(1500, p.diagnostics);
    assert.equal(mid.length, 1, JSON.stringify(mid));
    assert.equal(mid[0]?.title, 'Remove the ignored HOSTNAME on lines 2–3000');
    const after = applyEdits(text, mid[0]?.edit?.changes?.[uri] ?? []);
    assert.equal(after, 'HOSTNAME="ct.example.com"\nMÜLLER_😀="x"\n', 'the run removed in one edit');
    // An edit on line 1500 (now with text after the closing quote, which classic vzctl drops): still a
    // HOSTNAME line, so the run is whole and the new version publishes the same one diagnostic.
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1500, character: 25 }, end: { line: 1500, character: 25 } }, text: 'x' }],
    });
    const p2 = await waitForDiagnostics('106.conf version 2', (q) => q.uri === uri && q.version === 2);
    assert.deepEqual(p2.diagnostics.filter((d) => d.code === 'duplicate-parameter'), dups);
    const later = await fixAt(2999, p2.diagnostics);
    assert.equal(later.length, 1, JSON.stringify(later));
    assert.equal(later[0]?.title, 'Remove the ignored HOSTNAME on lines 2–3000');
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('g. a CT config is re-checked when its vz.conf is opened or changed; hover shows the effective value', async () => {
    const nodeUri = 'file:///tmp/vzconf-node-test/etc/vz/vz.conf';
    const ctUri = 'file:///tmp/vzconf-node-test/etc/vz/conf/101.conf';
    const ctText = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\nDISKSPACE="1048576:1153024"\n';
    await open(ctUri, ctText);
    const first = await waitForDiagnostics('101.conf without a vz.conf', (q) => q.uri === ctUri);
    assert.ok(!codes(first).includes('disk-quota-off'), codes(first).join(', '));

    // Opening vz.conf with DISK_QUOTA=no re-publishes the open 101.conf with the quota finding.
    let since = published.length;
    await open(nodeUri, '# node\nDISK_QUOTA=no\n');
    const relinted = await waitForDiagnostics('101.conf re-checked with vz.conf', (q) => q.uri === ctUri && codes(q).includes('disk-quota-off'), since);
    const quota = find(relinted, 'disk-quota-off');
    assert.ok(quota);
    assert.equal(quota.range.start.line, 2);
    assert.equal(quota.severity, 2);
    assert.ok(quota.tags?.includes(1), 'Unnecessary tag (1)');
    assert.match(messageOf(quota), /DISK_QUOTA=no in vz\.conf line 2/);

    // Hover on DISKSPACE: the effective DISK_QUOTA and where it comes from.
    const md = markdownOf(await hover(ctUri, 2, 3));
    assert.match(md, /- Effective: `/);
    assert.match(md, /- DISK_QUOTA: `no` from vz\.conf line 2/);

    // Editing vz.conf back to yes clears it.
    since = published.length;
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: nodeUri, version: 2 },
      contentChanges: [{ text: '# node\nDISK_QUOTA=yes\n' }],
    });
    await waitForDiagnostics('101.conf re-checked after vz.conf changed', (q) => q.uri === ctUri && !codes(q).includes('disk-quota-off'), since);
  });

  it('h. containers of one conf/ folder are checked together (open buffers count)', async () => {
    const a = 'file:///tmp/vzconf-node-test/etc/vz/conf/201.conf';
    const b = 'file:///tmp/vzconf-node-test/etc/vz/conf/202.conf';
    await open(a, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\nIP_ADDRESS="10.1.1.1"\n');
    const since = published.length;
    await open(b, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\nIP_ADDRESS="10.1.1.1"\n');
    const pa = await waitForDiagnostics('201.conf sees 202.conf', (q) => q.uri === a && codes(q).includes('duplicate-ip-address'), since);
    assert.match(messageOf(find(pa, 'duplicate-ip-address') as Diagnostic), /202\.conf line 3/);
    await waitForDiagnostics('202.conf sees 201.conf', (q) => q.uri === b && codes(q).includes('duplicate-ip-address'));
  });

  it('the server process is still alive', () => {
    assert.equal(child.exitCode, null, stderr);
  });
});

describe('vzconf language server command line', () => {
  it('exits 2 with a usage line when started without a transport', () => {
    const r = spawnSync(process.execPath, [SERVER], { encoding: 'utf8', timeout: TIMEOUT_MS });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: .*--stdio/);
  });

  it('prints its version', () => {
    const r = spawnSync(process.execPath, [SERVER, '--version'], { encoding: 'utf8', timeout: TIMEOUT_MS });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^vzconf-language-server \d+\.\d+\.\d+/);
  });
});

// ---------------------------------------------------------------------------------------------
// A second server on a real workspace (temporary folders): .vzconf.yaml, commands, run = onSave,
// suppressions and the code actions that are not rule fixes.

/** A language server child process with its own connection, publish history and settings. */
class WorkspaceServer {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly settings = new Map<string, unknown>();
  readonly logs: string[] = [];
  private readonly waiters = new Set<{ match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }>();
  private readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    this.proc.stderr.resume();
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.delete(w);
          w.resolve(p);
        }
      }
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest('workspace/configuration', (params: ConfigurationParams) =>
      params.items.map((item) => (item.section === 'vzconf' ? (this.settings.get(item.scopeUri ?? '') ?? null) : null)));
    this.conn.onNotification(() => undefined);
    this.conn.listen();
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return withTimeout(this.conn.sendRequest<R>(method, params), method);
  }

  wait(what: string, match: (p: PublishDiagnosticsParams) => boolean, since = 0): Promise<PublishDiagnosticsParams> {
    const seen = this.published.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    let waiter: { match: typeof match; resolve: (p: PublishDiagnosticsParams) => void } | undefined;
    const promise = new Promise<PublishDiagnosticsParams>((resolve) => {
      waiter = { match, resolve };
      this.waiters.add(waiter);
    });
    return withTimeout(promise, `${what} (received: ${JSON.stringify(this.published.map((p) => [p.uri, p.version, codes(p)]))})`).finally(() => {
      if (waiter) this.waiters.delete(waiter);
    });
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vzconf', version, text } });
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.conn.sendRequest('shutdown'), 'shutdown', 2_000).catch(() => undefined);
      await this.conn.sendNotification('exit').catch(() => undefined);
      this.conn.dispose();
    } finally {
      if (this.proc.exitCode === null && !this.proc.killed) this.proc.kill();
    }
  }

  get alive(): boolean {
    return this.proc.exitCode === null;
  }
}

describe('vzconf language server: workspace, config file, commands and more code actions', () => {
  let ws: WorkspaceServer;
  let root: string;
  let good: string;
  let broken: string;
  const uriOf = (p: string): string => pathToFileURL(p).href;
  const VSWAP_CT = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-lsp-ws-'));
    good = path.join(root, 'good');
    broken = path.join(root, 'broken');
    await mkdir(path.join(good, 'etc', 'vz', 'conf'), { recursive: true });
    await mkdir(path.join(broken, 'etc', 'vz', 'conf'), { recursive: true });
    await writeFile(path.join(good, '.vzconf.yaml'), 'knownParameters: [MY_TOOL_ID]\nrules:\n  inline-comment: error\n');
    await writeFile(path.join(good, 'etc', 'vz', 'vz.conf'), 'DISK_QUOTA=no\nVE_PRIVATE="/vz/private/$VEID"\n');
    // Never opened: "Lint all configs" must publish its diagnostics.
    await writeFile(path.join(good, 'etc', 'vz', 'conf', '301.conf'), `${VSWAP_CT}KMEMSIZE="300331648:150331648"\nMY_TOOL_ID="1"\nOTHER_KEY="x"\n`);
    await writeFile(path.join(broken, '.vzconf.yaml'), 'rules:\n  inline-comment: loud\n  inline-coment: off\nnodeRAM: 64G\n');
    ws = new WorkspaceServer();
    await ws.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: uriOf(good), name: 'good' }, { uri: uriOf(broken), name: 'broken' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true }, synchronization: { didSave: true } } },
    });
    await ws.conn.sendNotification('initialized', {});
  });

  after(async () => {
    await ws?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('.vzconf.yaml of the workspace folder applies; editor settings win over it', async () => {
    const ct = path.join(good, 'etc', 'vz', 'conf', '101.conf');
    const text = `${VSWAP_CT}MY_TOOL_ID="1"\nNAMESERVER=inherit # the host's\n`;
    await ws.open(uriOf(ct), text);
    const p = await ws.wait('101.conf under .vzconf.yaml', (q) => q.uri === uriOf(ct));
    assert.ok(!codes(p).includes('unknown-parameter'), `knownParameters from the file: ${codes(p).join(', ')}`);
    assert.equal(find(p, 'inline-comment')?.severity, 1, 'rules from the file: inline-comment is an error');

    const ct2 = path.join(good, 'etc', 'vz', 'conf', '102.conf');
    ws.settings.set(uriOf(ct2), { rules: { 'inline-comment': 'hint' } });
    await ws.open(uriOf(ct2), text);
    const p2 = await ws.wait('102.conf with editor settings', (q) => q.uri === uriOf(ct2));
    assert.equal(find(p2, 'inline-comment')?.severity, 4, 'the editor setting wins');
    assert.ok(!codes(p2).includes('unknown-parameter'), 'knownParameters still from the file');
  });

  it('documentStatus says an explicit target came from the editor setting vzconf.target, not "the settings"', async () => {
    const ct = path.join(good, 'etc', 'vz', 'conf', '190.conf');
    ws.settings.set(uriOf(ct), { target: 'classic@4.6' });
    await ws.open(uriOf(ct), VSWAP_CT);
    await ws.wait('190.conf with a target setting', (q) => q.uri === uriOf(ct));
    const status = await ws.request<{ targetReason: string; kindReason: string }>('vzconf/documentStatus', { uri: uriOf(ct) });
    assert.equal(status.targetReason, 'set to classic@4.6 in the setting vzconf.target');
    await ws.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(ct) } });
    ws.settings.delete(uriOf(ct));
  });

  it('documentStatus of an auto target says how to choose another in the editor\'s words (the setting, not --target)', async () => {
    const ct = path.join(good, 'etc', 'vz', 'conf', '191.conf');
    await ws.open(uriOf(ct), VSWAP_CT);
    await ws.wait('191.conf with the auto target', (q) => q.uri === uriOf(ct));
    const status = await ws.request<{ targetReason: string }>('vzconf/documentStatus', { uri: uriOf(ct) });
    assert.match(status.targetReason, /^auto: classic vzctl [\d.]+ .*\. Set vzconf\.target \(e\.g\. classic@4\.6\) for an older node$/);
    assert.doesNotMatch(status.targetReason, /--target/);
    await ws.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(ct) } });
  });

  it('an invalid .vzconf.yaml gives a diagnostic per problem on it (as vzlint lists them) and a log line; its folder lints with the defaults', async () => {
    const cfgUri = uriOf(path.join(broken, '.vzconf.yaml'));
    const ct = path.join(broken, 'etc', 'vz', 'conf', '101.conf');
    // Not "inherit # x": since vzctl 4.4 that comment is harmless and only an info.
    await ws.open(uriOf(ct), `${VSWAP_CT}NAMESERVER=192.0.2.53 # x\n`);
    const p = await ws.wait('101.conf in the broken folder', (q) => q.uri === uriOf(ct));
    assert.equal(find(p, 'inline-comment')?.severity, 2, 'default severity');
    const cfg = await ws.wait('the diagnostic on .vzconf.yaml', (q) => q.uri === cfgUri);
    // Each problem over the key or value it is about: the level "loud", the misspelt option, the unknown rule.
    assert.deepEqual(cfg.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]),
      [['invalid-config', 1, 18, 1, 22], ['invalid-config', 2, 2, 2, 15], ['invalid-config', 3, 0, 3, 7]]);
    assert.match(messageOf(cfg.diagnostics[0] as Diagnostic), /^rules\.inline-comment: must be one of error, warning, info, hint, off \(not "loud"\) — vzconf ignores this \.vzconf\.yaml until it is fixed$/);
    assert.match(messageOf(cfg.diagnostics[1] as Diagnostic), /unknown rule "inline-coment"; did you mean inline-comment\?/);
    assert.match(messageOf(cfg.diagnostics[2] as Diagnostic), /unknown option "nodeRAM"; did you mean nodeRam\?/);
    assert.ok(ws.logs.some((l) => /invalid \.vzconf\.yaml/.test(l)), ws.logs.join('\n'));
    assert.equal(ws.published.filter((q) => q.uri === cfgUri).length, 1, 'reported once');
  });

  it('a suppression comment removes a diagnostic; an unknown rule in it is reported', async () => {
    const ct = path.join(good, 'etc', 'vz', 'conf', '103.conf');
    const uri = uriOf(ct);
    await ws.open(uri, `${VSWAP_CT}OTHER_KEY="1"\n`);
    const first = await ws.wait('103.conf', (q) => q.uri === uri && q.version === 1);
    assert.ok(codes(first).includes('unknown-parameter'));
    await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${VSWAP_CT}# vzconf-disable-next-line unknown-parameter -- ours\nOTHER_KEY="1"\n` }] });
    const second = await ws.wait('103.conf v2', (q) => q.uri === uri && q.version === 2);
    assert.deepEqual(codes(second), []);
    await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: `${VSWAP_CT}# vzconf-disable-next-line unknwn-parameter -- ours\nOTHER_KEY="1"\n` }] });
    const third = await ws.wait('103.conf v3', (q) => q.uri === uri && q.version === 3);
    assert.deepEqual(codes(third).sort(), ['unknown-parameter', 'unknown-suppression']);
    assert.match(messageOf(find(third, 'unknown-suppression') as Diagnostic), /did you mean unknown-parameter\?/i);
  });

  it('code actions for a diagnostic the client sends with its old range after the text changed: never a line action on another line', async () => {
    const uri = uriOf(path.join(good, 'etc', 'vz', 'conf', '116.conf'));
    const v1 = `${VSWAP_CT}OTHER_KEY="1"\n`;
    await ws.open(uri, v1);
    const first = await ws.wait('116.conf', (q) => q.uri === uri && q.version === 1);
    const old = find(first, 'unknown-parameter');
    assert.equal(old?.range.start.line, 2);
    const ask = async (diagnostics: Diagnostic[], line: number): Promise<CodeAction[]> =>
      ws.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics } });
    const lineTitle = 'Disable unknown-parameter for this line';
    // Current: the line action goes above OTHER_KEY.
    const now = await ask([old as Diagnostic], 2);
    assert.equal(applyEdits(v1, now.find((a) => a.title === lineTitle)?.edit?.changes?.[uri] ?? []), `${VSWAP_CT}# vzconf-disable-next-line unknown-parameter -- <reason>\nOTHER_KEY="1"\n`);
    // A line inserted above, a line made shorter, the line gone: asked at once (before or after the new
    // version's diagnostics come), the old diagnostic gets the file action only, inside the document.
    let version = 1;
    for (const text of [`# top\n${v1}`, `${VSWAP_CT}OT\n`, VSWAP_CT]) {
      version += 1;
      await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      const actions = await ask([old as Diagnostic], 2);
      const disable = actions.filter((a) => a.title.startsWith('Disable '));
      assert.deepEqual(disable.map((a) => a.title), ['Disable unknown-parameter for this file'], JSON.stringify(text));
      assert.equal(applyEdits(text, disable[0]?.edit?.changes?.[uri] ?? []), `# vzconf-disable unknown-parameter -- <reason>\n${text}`);
    }
    // The new diagnostic of the moved line gets its line action above it.
    const moved = `# top\n${v1}`;
    version += 1;
    await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: moved }] });
    const fresh = await ws.wait('116.conf moved', (q) => q.uri === uri && q.version === version);
    const d = find(fresh, 'unknown-parameter') as Diagnostic;
    assert.equal(d.range.start.line, 3);
    const actions = await ask([d], 3);
    assert.equal(applyEdits(moved, actions.find((a) => a.title === lineTitle)?.edit?.changes?.[uri] ?? []), `# top\n${VSWAP_CT}# vzconf-disable-next-line unknown-parameter -- <reason>\nOTHER_KEY="1"\n`);
  });

  it('code actions: disable for this line / file (CRLF, indentation), rule docs, KB article, Copy as vzctl set', async () => {
    const uri = uriOf(path.join(good, 'etc', 'vz', 'conf', '104.conf'));
    const text = 'PHYSPAGES="0:1G"\r\nSWAPPAGES="0:2G"\r\n  IPTABLES="iptable_filter"\r\n';
    await ws.open(uri, text);
    const p = await ws.wait('104.conf', (q) => q.uri === uri);
    const dep = find(p, 'deprecated-parameter');
    assert.ok(dep, codes(p).join(', '));
    const actions = await ws.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 3 }, end: { line: 2, character: 3 } }, context: { diagnostics: p.diagnostics } });
    const titles = actions.map((a) => a.title);
    const line = actions.find((a) => a.title === 'Disable deprecated-parameter for this line');
    assert.ok(line, titles.join(' | '));
    assert.equal(applyEdits(text, line.edit?.changes?.[uri] ?? []), 'PHYSPAGES="0:1G"\r\nSWAPPAGES="0:2G"\r\n  # vzconf-disable-next-line deprecated-parameter -- <reason>\r\n  IPTABLES="iptable_filter"\r\n');
    const file = actions.find((a) => a.title === 'Disable deprecated-parameter for this file');
    assert.ok(applyEdits(text, file?.edit?.changes?.[uri] ?? []).startsWith('# vzconf-disable deprecated-parameter -- <reason>\r\nPHYSPAGES'));
    const docs = actions.find((a) => a.title === 'Learn more about deprecated-parameter');
    assert.equal(docs?.command?.command, 'vzconf.openUrl');
    assert.match(String(docs?.command?.arguments?.[0]), /docs\/rules\/deprecated-parameter\.md$/);
    assert.ok(!titles.some((t) => /KB article/.test(t)), titles.join(' | '));
    // Order: fixes, the Disable pair, Learn more; then the refactor.
    const quick = actions.filter((a) => a.kind === 'quickfix').map((a) => a.title);
    assert.deepEqual(quick.slice(-3), ['Disable deprecated-parameter for this line', 'Disable deprecated-parameter for this file', 'Learn more about deprecated-parameter']);
    const copy = actions.find((a) => a.kind === 'refactor.vzconf.vzctlSet');
    assert.deepEqual(copy?.command?.arguments, ['vzctl set 104 --iptables iptable_filter --save']);
    assert.equal(copy?.command?.command, 'vzconf.copyToClipboard');

    // Only refactors when asked for refactors; a NETFILTER line without any diagnostic still gets the copy.
    const onlyRefactor = await ws.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 3 }, end: { line: 2, character: 3 } }, context: { diagnostics: p.diagnostics, only: ['refactor'] } });
    assert.deepEqual(onlyRefactor.map((a) => a.kind), ['refactor.vzconf.vzctlSet']);
  });

  it('"Lint all configs in workspace" publishes diagnostics for a file that was never opened', async () => {
    const never = uriOf(path.join(good, 'etc', 'vz', 'conf', '301.conf'));
    const since = ws.published.length;
    const result = await ws.request<{ files: number; errors: number; warnings: number; problems: string[] }>('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] });
    assert.ok(result.files >= 2, JSON.stringify(result));
    assert.ok(result.warnings >= 1, JSON.stringify(result));
    const p = await ws.wait('diagnostics of the unopened 301.conf', (q) => q.uri === never, since);
    assert.ok(codes(p).includes('barrier-above-limit'), codes(p).join(', '));
    assert.ok(codes(p).includes('unknown-parameter'), 'OTHER_KEY');
    assert.equal(p.diagnostics.filter((d) => d.code === 'unknown-parameter').length, 1, 'MY_TOOL_ID is known through .vzconf.yaml');
    assert.equal(p.version, undefined);
  });

  it('vzconf/effectiveConfig returns the node and container merged', async () => {
    const ct = path.join(good, 'etc', 'vz', 'conf', '301.conf');
    const r = await ws.request<{ name: string; text: string }>('vzconf/effectiveConfig', { uri: uriOf(ct) });
    assert.equal(r.name, '301.conf');
    assert.match(r.text, /^DISK_QUOTA="no" +# vz\.conf line 1$/m);
    assert.match(r.text, /^KMEMSIZE="300331648:150331648" +# 301\.conf line 3$/m);
    assert.match(r.text, /^VE_PRIVATE="\/vz\/private\/\$VEID" +# vz\.conf line 2$/m);
    await assert.rejects(ws.request('vzconf/effectiveConfig', { uri: uriOf(path.join(good, 'nope.conf')) }), /cannot read/);
  });

  it('vzconf/effectiveConfig reads only open documents and regular config-named files of a sane size', async () => {
    const refused = async (uri: string, why: RegExp): Promise<void> => {
      const e = await ws.request('vzconf/effectiveConfig', { uri }).then(() => undefined, (err: unknown) => err);
      assert.ok(e instanceof Error, `${uri} must be refused`);
      assert.match(e.message, /^vzconf: cannot read /);
      assert.match(e.message, why);
      assert.doesNotMatch(e.message, /PATH=|HOME=/, 'no file contents in the error');
    };
    await refused('file:///proc/self/environ', /not open in the editor and its name is not one of an OpenVZ/);
    await refused(uriOf(path.join(good, '.vzconf.yaml')), /name is not one of an OpenVZ/);
    await refused('untitled:Untitled-1', /not open in the editor/);
    const guard = path.join(good, 'guard', 'conf');
    await mkdir(guard, { recursive: true });
    try {
      await writeFile(path.join(guard, '901.conf'), `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
      await refused(uriOf(path.join(guard, '901.conf')), /too large/);
      await mkdir(path.join(guard, '902.conf'));
      await refused(uriOf(path.join(guard, '902.conf')), /is a directory/);
      if (process.platform !== 'win32') {
        execFileSync('mkfifo', [path.join(guard, '903.conf')]);
        await refused(uriOf(path.join(guard, '903.conf')), /named pipe/);
      }
      // An open document is fine whatever its name (the editor has its text).
      const notes = uriOf(path.join(good, 'notes.txt'));
      await ws.open(notes, 'ONBOOT="yes"\n');
      const r = await ws.request<{ name: string; text: string }>('vzconf/effectiveConfig', { uri: notes });
      assert.match(r.text, /^ONBOOT="yes"/m);
    } finally {
      await rm(path.join(good, 'guard'), { recursive: true, force: true });
    }
  });

  it('vzconf.run = onSave: lints on open and save, not on change', async () => {
    const uri = uriOf(path.join(good, 'etc', 'vz', 'conf', '105.conf'));
    ws.settings.set(uri, { run: 'onSave' });
    await ws.open(uri, `${VSWAP_CT}OTHER_KEY="1"\n`);
    const opened = await ws.wait('105.conf on open', (q) => q.uri === uri && q.version === 1);
    assert.ok(codes(opened).includes('unknown-parameter'));
    const since = ws.published.length;
    await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: VSWAP_CT }] });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ws.published.slice(since).filter((q) => q.uri === uri), [], 'no lint on change');
    await ws.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const saved = await ws.wait('105.conf on save', (q) => q.uri === uri && q.version === 2, since);
    assert.deepEqual(codes(saved), []);
  });

  it('hover of the first line on Virtuozzo 7 says vzctl rewrites the file', async () => {
    const uri = uriOf(path.join(good, 'etc', 'vz', 'conf', '106.conf'));
    ws.settings.set(uri, { target: 'vz7' });
    await ws.open(uri, '# a container\nONBOOT="yes"\n');
    const h = await ws.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.match(markdownOf(h), /vzctl rewrites this file/);
  });

  it('the server is still alive', () => {
    assert.ok(ws.alive);
  });
});

describe('vzconf language server: a named pipe called .vzconf.yaml', () => {
  it('does not hang the server: the file is reported as unusable and the folder lints with the defaults', { skip: process.platform === 'win32' }, async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-lsp-fifo-'));
    const ws = new WorkspaceServer();
    try {
      await mkdir(path.join(root, 'etc', 'vz', 'conf'), { recursive: true });
      execFileSync('mkfifo', [path.join(root, '.vzconf.yaml')]);
      await ws.request<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'fifo' }],
        capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true } } },
      });
      await ws.conn.sendNotification('initialized', {});
      const uri = pathToFileURL(path.join(root, 'etc', 'vz', 'conf', '101.conf')).href;
      await ws.open(uri, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nOTHER_KEY="1"\n');
      const p = await ws.wait('101.conf beside a FIFO .vzconf.yaml', (q) => q.uri === uri);
      assert.deepEqual(codes(p), ['unknown-parameter']);
      const cfg = await ws.wait('the diagnostic on the FIFO', (q) => q.uri === pathToFileURL(path.join(root, '.vzconf.yaml')).href);
      assert.match(messageOf(cfg.diagnostics[0] as Diagnostic), /named pipe/);
      assert.ok(ws.alive);
    } finally {
      await ws.stop();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('vzconf language server: Problems that stay true, rule docs command, status and log', () => {
  let ws: WorkspaceServer;
  let root: string;
  const uriOf = (p: string): string => pathToFileURL(p).href;
  const VSWAP_CT = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
  const conf = (name: string): string => path.join(root, 'etc', 'vz', 'conf', name);
  /** The last publish for `uri` since `since` (undefined when none). */
  const lastFor = (uri: string, since = 0): PublishDiagnosticsParams | undefined => ws.published.slice(since).filter((p) => p.uri === uri).pop();
  /** Waits until the newest publish for `uri` satisfies `ok` (publishes may come in several rounds). */
  const settle = async (what: string, uri: string, ok: (p: PublishDiagnosticsParams) => boolean, since: number): Promise<PublishDiagnosticsParams> => {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const p = lastFor(uri, since);
      if (p && ok(p)) return p;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(p && codes(p))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-lsp-true-'));
    await mkdir(path.join(root, 'etc', 'vz', 'conf'), { recursive: true });
    await writeFile(path.join(root, 'etc', 'vz', 'vz.conf'), 'LOCKDIR=/vz/lock\n');
    await writeFile(conf('301.conf'), `${VSWAP_CT}KMEMSIZE="300331648:150331648"\n`);
    await writeFile(conf('302.conf'), `${VSWAP_CT}IPTABLES="iptable_filter"\n`);
    ws = new WorkspaceServer();
    await ws.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: uriOf(root), name: 'node' }],
      initializationOptions: { ruleDocsCommand: 'vzconf.openRuleDocs' },
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true, codeDescriptionSupport: true } } },
    });
    ws.conn.onRequest('client/registerCapability', () => null);
    ws.conn.onRequest('window/workDoneProgress/create', () => null);
    await ws.conn.sendNotification('initialized', {});
  });

  after(async () => {
    await ws?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('rule docs: codeDescription.href runs the client command with the rule id; Learn more uses the same command', async () => {
    const uri = uriOf(conf('301.conf'));
    await ws.open(uri, `${VSWAP_CT}KMEMSIZE="300331648:150331648"\n`);
    const p = await ws.wait('301.conf', (q) => q.uri === uri && q.version === 1);
    const d = p.diagnostics.find((x) => x.code === 'barrier-above-limit');
    assert.ok(d);
    assert.equal(d.codeDescription?.href, `command:vzconf.openRuleDocs?${encodeURIComponent(JSON.stringify(['barrier-above-limit']))}`);
    const actions = await ws.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const learn = actions.find((a) => a.title === 'Learn more about barrier-above-limit');
    assert.deepEqual(learn?.command?.arguments, ['barrier-above-limit']);
    assert.equal(learn?.command?.command, 'vzconf.openRuleDocs');
  });

  it('an empty new file gets no diagnostic until it has content', async () => {
    const uri = uriOf(conf('303.conf'));
    await ws.open(uri, '');
    const empty = await ws.wait('303.conf empty', (q) => q.uri === uri && q.version === 1);
    assert.deepEqual(codes(empty), []);
    await ws.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'KMEMSIZE="2:1"\n' }] });
    const filled = await ws.wait('303.conf with content', (q) => q.uri === uri && q.version === 2);
    assert.ok(codes(filled).includes('barrier-above-limit'), codes(filled).join(', '));
    await ws.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('vzconf/documentStatus names kind, target and why, and the node vz.conf', async () => {
    const status = await ws.request<{ kind: string; target: string; targetText: string; targetReason: string; kindReason: string; nodeConfig?: string }>('vzconf/documentStatus', { uri: uriOf(conf('301.conf')) });
    assert.equal(status.kind, 'container');
    assert.equal(status.target, 'classic@4.11.1');
    assert.equal(status.targetText, 'vzctl 4.11.1');
    assert.match(status.targetReason, /auto/);
    assert.ok(status.kindReason.length > 0);
    assert.equal(status.nodeConfig, path.join(root, 'etc', 'vz', 'vz.conf'));
    assert.equal(await ws.request('vzconf/documentStatus', { uri: uriOf(conf('999.conf')) }), null, 'not open: null');
  });

  it('workspace-lint results stay after close and follow a target change and a file changed on disk', async () => {
    const open = uriOf(conf('301.conf'));
    const closed = uriOf(conf('302.conf'));
    let since = ws.published.length;
    await ws.request('workspace/executeCommand', { command: 'vzconf.server.lintWorkspace', arguments: [] });
    const first = await ws.wait('302.conf from the workspace lint', (q) => q.uri === closed, since);
    assert.ok(codes(first).includes('deprecated-parameter'), codes(first).join(', '));

    // Closing 301.conf keeps its findings (re-computed from the saved file), never an empty publish.
    since = ws.published.length;
    await ws.conn.sendNotification('textDocument/didClose', { textDocument: { uri: open } });
    const kept = await ws.wait('301.conf after close', (q) => q.uri === open, since);
    assert.ok(codes(kept).includes('barrier-above-limit'), codes(kept).join(', '));
    assert.ok(!ws.published.slice(since).some((q) => q.uri === open && q.diagnostics.length === 0), 'no empty publish on close');

    // A target change (settings) re-checks the closed files: IPTABLES is current on vzctl 4.6.
    since = ws.published.length;
    ws.settings.set(uriOf(path.join(root, '.vzconf.yaml')), { target: 'classic@4.6' });
    await ws.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await settle('302.conf re-checked for classic@4.6', closed, (q) => !codes(q).includes('deprecated-parameter'), since);
    ws.settings.delete(uriOf(path.join(root, '.vzconf.yaml')));
    since = ws.published.length;
    await ws.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await settle('302.conf back on the default target', closed, (q) => codes(q).includes('deprecated-parameter'), since);

    // The file changes on disk (the watcher reports it): its closed result follows.
    since = ws.published.length;
    await writeFile(conf('302.conf'), `${VSWAP_CT}NETFILTER="stateless"\n`);
    await ws.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: closed, type: 2 }] });
    await settle('302.conf after the change on disk', closed, (q) => codes(q).length === 0, since);

    // A file that disappears loses its results.
    since = ws.published.length;
    await rm(conf('302.conf'));
    await ws.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: closed, type: 3 }] });
    await settle('302.conf deleted', closed, (q) => q.diagnostics.length === 0, since);
  });

  it('the log names the server version, the settings per folder, node files and workspace-lint timings', () => {
    const log = ws.logs.join('\n');
    assert.match(log, /vzconf: language server \d+\.\d+\.\d+ on Node v\d+/);
    assert.match(log, /vzconf: settings for .*"target":"classic@4\.6"/);
    assert.match(log, /vzconf: node files for .*301\.conf: vz\.conf .*vz\.conf, \d+ container config\(s\)/);
    assert.match(log, /vzconf: workspace lint: \d+ config file\(s\) of \d+ node\(s\) in 1 folder\(s\), \d+ ms/);
    assert.ok(ws.alive);
  });
});
