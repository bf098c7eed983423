/**
 * The parse cache and the line reuse of parseConfig (parser/parse.ts): an edited text parses to exactly
 * what a fresh parse gives, whatever was parsed before (multi-line shell values, continued lines, open
 * quotes at the end of the file, CRLF), and the same text gives the same document.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseConfig, parseConfigFresh } from '../../server/src/parser/parse';
import type { Dialect } from '../../server/src/parser/types';

const root = path.resolve(__dirname, '../..');
const examples = ['examples/etc/vz/vz.conf', 'examples/etc/vz/conf/101.conf', 'examples/etc/vz/conf/102.conf'].map((f) => readFileSync(path.join(root, f), 'utf8'));

/** Lines that change how their neighbours are read: quotes over lines, backslash continuations, comments. */
const PIECES = [
  'HOSTNAME="a"', 'DESCRIPTION="first', 'second line"', 'IP_ADDRESS="10.0.0.1 \\', '10.0.0.2"', 'KEY=value\\', '# comment',
  '', 'ONBOOT="yes"', "NAME='x", "y'", 'NETFILTER="full" # inline', 'A=$(date)', '  # vzconf-disable-next-line unknown-parameter',
  'UNCLOSED="', '"', 'X=1 2', '\uFEFFONBOOT=yes', 'KMEMSIZE="1:2"', 'VE_ROOT="/vz/root/$VEID"',
];

/** Drops the non-enumerable differences and compares the documents as plain data. */
function plain(doc: ReturnType<typeof parseConfig>): unknown {
  return JSON.parse(JSON.stringify({ ...doc, multilineOf: [...doc.multilineOf.values()].map((m) => m.startLine), continuationLines: [...doc.continuationLines].sort((a, b) => a - b) }));
}

describe('parse cache', () => {
  it('the same text and dialect give the same document object; another dialect its own', () => {
    const text = examples[1] as string;
    const a = parseConfig(text, { dialect: 'classic' });
    assert.equal(parseConfig(`${text}`, { dialect: 'classic' }), a);
    assert.notEqual(parseConfig(text, { dialect: 'vz7' }), a);
    assert.deepEqual(plain(a), plain(parseConfigFresh(text, { dialect: 'classic' })));
  });

  it('an edited text (typed, deleted, joined, split lines) parses like a fresh parse, in both dialects', () => {
    const line = fc.constantFrom(...PIECES);
    const docArb = fc.oneof(fc.array(line, { minLength: 1, maxLength: 12 }).map((ls) => ls.join('\n')), fc.constantFrom(...examples));
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), insert: fc.oneof(fc.constantFrom('x', '"', '\\', '\n', '\r\n', '\r', ' ', '#', "'", '$(', ''), line.map((l) => `${l}\n`)) });
    fc.assert(fc.property(docArb, fc.array(edit, { minLength: 1, maxLength: 6 }), fc.constantFrom<Dialect>('classic', 'vz7'), (start, edits, dialect) => {
      let text = start;
      parseConfig(text, { dialect });
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.del));
        const got = parseConfig(text, { dialect });
        assert.deepEqual(plain(got), plain(parseConfigFresh(text, { dialect })), JSON.stringify(text));
      }
    }), { numRuns: 300 });
  });

  it('files parsed one after another (a node\'s containers, sharing lines at the same numbers) parse like fresh parses', () => {
    const line = fc.constantFrom(...PIECES);
    const docArb = fc.array(line, { minLength: 1, maxLength: 10 }).map((ls) => ls.join('\n'));
    fc.assert(fc.property(fc.array(docArb, { minLength: 2, maxLength: 6 }), fc.constantFrom<Dialect>('classic', 'vz7'), (texts, dialect) => {
      for (const text of texts) assert.deepEqual(plain(parseConfig(text, { dialect })), plain(parseConfigFresh(text, { dialect })), JSON.stringify(texts));
    }), { numRuns: 300 });
  });
});
