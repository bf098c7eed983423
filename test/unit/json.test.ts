/**
 * The language server's JSON writer (server/src/lsp/json.ts): ASCII text that parses to exactly what
 * JSON.stringify's text parses to, for hostile strings (quotes, backslashes, control characters, lone
 * surrogates, U+2028/U+2029, astral characters) and for diagnostics of any shape; the real engine's
 * diagnostics take the fast path and come out as JSON.stringify writes them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Message } from 'vscode-languageserver/node';
import { asciiJson, diagnosticsJson, jsonString, publishDiagnosticsFrame, reusableFrameBuffer } from '../../server/src/lsp/json';
import { LspDiagnostic, toDiagnostic } from '../../server/src/service/diagnostics';
import type { Finding } from '../../server/src/rules/types';
import { lint } from '../../server/src/service/lint';

const HOSTILE = [
  '', 'plain', 'a "quoted" word', 'back\\slash \\" mix', '\\', '"', 'line\nbreak\r\ttab\b\f', '\u0000\u0001\u001f\u007f\u0085',
  'lone high \ud800 end', 'lone low \udc00', '\udbff', 'pair 😀 ok', 'reversed \udc00\ud800', 'sep \u2028 and \u2029', 'BOM \ufeff',
  'ümlaut „quote“ — dash …', '\uffff\ufffe', '</script>', 'x'.repeat(5000),
];

/** Any UTF-16 code units at all, lone surrogates included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((a) => String.fromCharCode(...a));
const anyString = fc.oneof(codeUnits, fc.constantFrom(...HOSTILE), fc.string());

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

describe('jsonString', () => {
  it('round-trips hostile strings as ASCII text', () => {
    for (const s of HOSTILE) {
      const text = jsonString(s);
      assert.ok(isAscii(text), JSON.stringify(s));
      assert.equal(JSON.parse(text), s);
      assert.equal(JSON.parse(text), JSON.parse(JSON.stringify(s)));
    }
  });

  it('round-trips any string of UTF-16 code units (property-based)', () => {
    fc.assert(fc.property(anyString, (s) => {
      const text = jsonString(s);
      assert.ok(isAscii(text));
      assert.equal(JSON.parse(text), s);
    }), { numRuns: 2000 });
  });

  it('is JSON.stringify itself for strings that are printable ASCII, and escapes controls the same way', () => {
    for (const s of ['a "b" \\c', 'HOSTNAME is also set on line 1; vzctl uses the first', 'tab\there\nnl\u0001']) assert.equal(jsonString(s), JSON.stringify(s));
    // Lone surrogates are escaped as well-formed JSON.stringify escapes them.
    assert.equal(jsonString('\ud800'), JSON.stringify('\ud800'));
  });
});

describe('asciiJson', () => {
  it('parses to what JSON.stringify gives, as ASCII, for nested values with hostile strings', () => {
    fc.assert(fc.property(fc.jsonValue(), anyString, (v, s) => {
      const value = { v, s, list: [s, { [s]: s }] };
      const text = asciiJson(value) as string;
      assert.ok(isAscii(text));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }), { numRuns: 500 });
    assert.equal(asciiJson(undefined), undefined);
  });
});

const pos = fc.record({ line: fc.nat(100000), character: fc.nat(500) });
const range = fc.record({ start: pos, end: pos });
/** Diagnostics of the usual shape and of others: optional fields, undefined values, extra fields, odd numbers. */
const diagnostic = fc.record({
  range: fc.oneof(range, fc.record({ start: pos, end: pos, extra: fc.constant(1) }), fc.constant({ start: { line: 1.5, character: -0 }, end: { line: NaN, character: 0 } })),
  severity: fc.oneof(fc.constantFrom(1, 2, 3, 4), fc.constant(undefined), fc.constant(2.5)),
  code: fc.oneof(fc.constantFrom('duplicate-parameter', 'unknown-parameter'), anyString, fc.integer(), fc.constant(undefined)),
  codeDescription: fc.oneof(fc.constant({ href: 'file:///docs/rules/duplicate-parameter.md' }), anyString.map((href) => ({ href })), fc.constant(undefined), fc.constant({ href: 'x', more: true })),
  source: fc.oneof(fc.constant('vzconf'), anyString, fc.constant(undefined)),
  message: fc.oneof(anyString, fc.constant('HOSTNAME is also set on line 1; vzctl uses the first')),
  tags: fc.oneof(fc.constant(undefined), fc.constant([1]), fc.constant([2, 1]), fc.constant([1.5]), fc.constant([])),
  data: fc.oneof(fc.constant(undefined), fc.jsonValue()),
}, { requiredKeys: ['range', 'message'] });

describe('diagnosticsJson', () => {
  it('parses to what JSON.stringify gives for plain diagnostics of any shape (property-based)', () => {
    fc.assert(fc.property(fc.array(diagnostic, { maxLength: 8 }), (list) => {
      const text = diagnosticsJson(list);
      assert.ok(isAscii(text));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(list)));
    }), { numRuns: 1000 });
  });

  it('writes holes, undefined, toJSON and sparse tags as JSON.stringify does', () => {
    const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    // eslint-disable-next-line no-sparse-arrays
    const odd: unknown[] = [undefined, null, 3, 'str', [1], { range: r, message: 'm', toJSON: () => ({ replaced: true }) }, { range: r, message: 'm', tags: [1, , 2] }, { range: { ...r, toJSON: () => 'r' }, message: 'm' }, , { range: r, message: 'm', severity: undefined }];
    assert.deepEqual(JSON.parse(diagnosticsJson(odd)), JSON.parse(JSON.stringify(odd)));
  });

  it("parses to what JSON.stringify gives for the server's diagnostics with hostile rule ids, messages and links (property-based)", () => {
    const finding = fc.record({
      rule: fc.oneof(fc.constantFrom('duplicate-parameter', 'unknown-parameter'), anyString),
      severity: fc.constantFrom('error', 'warning', 'info', 'hint'),
      message: fc.oneof(anyString, fc.constant('HOSTNAME is also set on line 1; vzctl uses the first')),
      range: range,
      deprecated: fc.boolean(),
      unnecessary: fc.boolean(),
    }) as fc.Arbitrary<Finding>;
    fc.assert(fc.property(fc.array(finding, { maxLength: 6 }), fc.oneof(fc.constant(undefined), fc.constant('vzconf.openRuleDocs'), anyString), (findings, docsCommand) => {
      // Runs of alike diagnostics (the shared end is reused) and mixes with plain objects.
      const list: unknown[] = [...findings, ...findings].map((f) => toDiagnostic(f, docsCommand === undefined ? {} : { docsCommand }));
      list.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'plain \u2028 ü' });
      const text = diagnosticsJson(list);
      assert.ok(isAscii(text));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(list)));
    }), { numRuns: 500 });
    const odd = new LspDiagnostic({ start: { line: 1.5, character: 0 }, end: { line: 2, character: 0 } }, 2, 'x', { href: 'h' }, 'm', [1]);
    assert.deepEqual(JSON.parse(diagnosticsJson([odd])), JSON.parse(JSON.stringify([odd])));
  });

  it("writes the engine's diagnostics exactly as JSON.stringify does (ASCII messages), sharing one docs link per rule", () => {
    // Two separate ignored HOSTNAME lines (consecutive ones would be one finding).
    const text = 'HOSTNAME="a"\nHOSTNAME="b"\nONBOT=yes\nHOSTNAME="c"\nIPTABLES="ipt_REJECT"\nDESCRIPTION=a b\nKMEMSIZE="2:1"\n';
    const diagnostics = lint(text, { path: '/etc/vz/conf/101.conf' }).findings.map((f) => toDiagnostic(f));
    assert.ok(diagnostics.length >= 5, `${diagnostics.length} diagnostics`);
    assert.ok(diagnostics.some((d) => d.tags), 'a tagged one');
    assert.equal(diagnosticsJson(diagnostics), JSON.stringify(diagnostics));
    const dups = diagnostics.filter((d) => d.code === 'duplicate-parameter');
    assert.equal(dups.length, 2);
    assert.equal(dups[0]?.codeDescription, dups[1]?.codeDescription, 'one codeDescription object per rule');
  });

  it('keeps non-ASCII messages of real findings (escaped) and their meaning', () => {
    const text = 'DESCRIPTION="Müller’s „web“ 😀\u2028"\nDESCRIPTION="x"\nFOO\u00e9=1\n';
    const diagnostics = lint(text, { path: '/etc/vz/conf/101.conf' }).findings.map((f) => toDiagnostic(f));
    const json = diagnosticsJson(diagnostics);
    assert.ok(isAscii(json));
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(diagnostics)));
  });
});

/** The body of one frame, its header checked against its length in bytes. */
function body(frame: Buffer): string {
  const end = frame.indexOf('\r\n\r\n');
  const m = /^Content-Length: (\d+)$/.exec(frame.subarray(0, end).toString('latin1'));
  assert.ok(m, 'a Content-Length header');
  assert.equal(Number(m[1]), frame.length - end - 4);
  return frame.subarray(end + 4).toString('utf8');
}

describe('publishDiagnosticsFrame', () => {
  const f: Finding = { rule: 'duplicate-parameter', severity: 'warning', message: 'Ü "x" \\ \u2028', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } }, unnecessary: true };
  const diagnostics = [toDiagnostic(f), toDiagnostic(f), { range: f.range, message: 'plain ü' }];

  it('writes publishDiagnostics as one ASCII frame that parses like JSON.stringify, with or without a version', () => {
    for (const params of [{ uri: 'file:///tmp/ä b/101.conf', version: 7, diagnostics }, { uri: 'file:///x', diagnostics }, { uri: 'file:///x', version: undefined, diagnostics }, { uri: 'file:///x', version: 3, diagnostics: [] }]) {
      const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as unknown as Message;
      const frame = publishDiagnosticsFrame(msg);
      assert.ok(frame);
      const text = body(frame);
      assert.ok(isAscii(text));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(msg)));
    }
  });

  it('writes into a scratch buffer large enough for the frame (the same bytes), and allocates when it is not', () => {
    // 600 deprecated IPTABLES lines (one diagnostic each; their repeats are one duplicate-parameter finding).
    const many = lint('IPTABLES="ipt_REJECT"\n#\n'.repeat(600), { path: '/etc/vz/conf/101.conf' }).findings.map((x) => toDiagnostic(x, { docsCommand: 'vzconf.openRuleDocs' }));
    const msg = (list: unknown[]): Message => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x', version: 2, diagnostics: list } }) as unknown as Message;
    const fresh = publishDiagnosticsFrame(msg(many));
    assert.ok(fresh && fresh.length > 100_000, `${fresh?.length} bytes`);
    const scratch = reusableFrameBuffer(fresh);
    assert.ok(scratch, 'a buffer of a large frame is worth keeping');
    assert.equal(scratch.buffer, fresh.buffer, 'the whole buffer under the frame');
    const copy = Buffer.from(fresh);
    // The same list again, then a shorter one, then a longer one than the scratch holds.
    const again = publishDiagnosticsFrame(msg(many), scratch);
    assert.ok(again);
    assert.equal(again.buffer, scratch.buffer, 'written into the scratch buffer');
    assert.ok(again.equals(copy));
    const few = publishDiagnosticsFrame(msg(many.slice(0, 3)), scratch);
    assert.ok(few);
    assert.equal(few.buffer, scratch.buffer);
    assert.deepEqual(JSON.parse(body(few)), JSON.parse(JSON.stringify(msg(many.slice(0, 3)))));
    const more = publishDiagnosticsFrame(msg([...many, ...many, ...many]), scratch);
    assert.ok(more);
    assert.notEqual(more.buffer, scratch.buffer, 'too small: a new buffer');
    assert.deepEqual(JSON.parse(body(more)), JSON.parse(JSON.stringify(msg([...many, ...many, ...many]))));
    // Small frames are not kept (a fresh small buffer is cheap).
    const small = publishDiagnosticsFrame(msg(many.slice(0, 2)));
    assert.ok(small);
    assert.equal(reusableFrameBuffer(small), undefined);
  });

  it('leaves every other message (and publishDiagnostics of another shape) to JSON.stringify', () => {
    const others = [
      { jsonrpc: '2.0', id: 1, result: { contents: 'ü' } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'ü' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x', version: null, diagnostics } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x', diagnostics, extra: 1 } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 1, diagnostics } },
    ];
    for (const m of others) assert.equal(publishDiagnosticsFrame(m as unknown as Message), undefined);
  });
});
