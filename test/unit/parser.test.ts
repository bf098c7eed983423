import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { parseConfig, parseConfigFresh, splitVzctlLines } from '../../server/src/parser/parse';
import { plainShellEnd, scanShellValue } from '../../server/src/parser/shell';
import type { Dialect, Entry } from '../../server/src/parser/types';
import { NEEDS_CORPUS } from '../helpers/corpus';
import { LARGE_ARRAY } from '../../server/src/util/sizedArray';

const corpus = resolve(__dirname, '../../../shared/corpus');

function entry(text: string, dialect: Dialect): Entry {
  const doc = parseConfig(text, { dialect });
  const e = doc.lines[0];
  assert.ok(e && e.kind === 'entry', `expected an entry for ${JSON.stringify(text)}, got ${e?.kind}`);
  return e;
}

// Each row: line, what classic vzctl 4.x reads (src/lib/util.c parse_line), what libvzctl reads (lib/common.c parse_line).
// `null` = the line is skipped.
const TABLE: [string, string | null, string | null][] = [
  ['KEY="v"', 'v', 'v'],
  ['KEY=v', 'v', 'v'],
  ['KEY=', '', ''],
  ['KEY="a"b"', 'a"b', 'a"b'],
  ['KEY="a" trailing', 'a', 'a" trailing'],
  ['KEY="abc', null, 'abc'],
  ['NAMESERVER=inherit # copy from host', 'inherit # copy from host', 'inherit'],
  ['KEY="v" # note', 'v', 'v'],
  ["KEY='v'", "'v'", 'v'],
  ['KEY="a\\"b"', 'a"b', 'a"b'],
  ['KEY=a\\\\b', 'a\\b', 'a\\b'],
  ['KEY=v#x', 'v#x', 'v#x'],
  ['KEY="a # b"', 'a # b', 'a # b'],
  ["KEY=v'", "v'", 'v'],
  ['\tKEY="v"\t ', 'v', 'v'],
  ['KEY="v"\r', 'v', 'v'],
];

describe('parser: value as each vzctl generation reads it', () => {
  for (const [line, classic, vz7] of TABLE) {
    it(`${JSON.stringify(line)} → classic ${JSON.stringify(classic)}, vz7 ${JSON.stringify(vz7)}`, () => {
      const c = entry(line, 'classic');
      if (classic === null) assert.equal(c.skipped, 'unmatched-quote');
      else {
        assert.equal(c.skipped, undefined);
        assert.equal(c.value, classic);
      }
      const v = entry(line, 'vz7');
      assert.equal(v.skipped, undefined);
      assert.equal(v.value, vz7);
    });
  }

  it('keeps spaces in the key (classic and vz7): "KEY " is another key', () => {
    for (const d of ['classic', 'vz7'] as const) {
      const e = entry('KEY = "v"', d);
      assert.equal(e.key, 'KEY ');
      assert.equal(e.name, 'KEY');
      assert.ok(e.spaceAroundEquals);
    }
  });

  it('skips keys of 512+ characters in classic, 4096+ in vz7', () => {
    const k511 = 'K'.repeat(511);
    assert.equal(entry(`${k511}=1`, 'classic').skipped, undefined);
    assert.equal(entry(`${k511}K=1`, 'classic').skipped, 'key-too-long');
    assert.equal(entry(`${k511}K=1`, 'vz7').skipped, undefined);
    assert.equal(entry(`${'K'.repeat(4096)}=1`, 'vz7').skipped, 'key-too-long');
  });

  it('classifies comments, blanks and lines without "="', () => {
    const doc = parseConfig('# c\n\n   \n  # indented\nno equals here\n', { dialect: 'classic' });
    assert.deepEqual(doc.lines.map((l) => l.kind), ['comment', 'blank', 'blank', 'comment', 'invalid', 'blank']);
  });

  it('reports ranges in UTF-16 columns', () => {
    const e = entry('DESCRIPTION="😀 x"', 'classic');
    assert.equal(e.valueRange.start.character, 13);
    assert.equal(e.valueRange.end.character, 13 + '😀 x'.length);
    assert.equal('😀 x'.length, 4);
  });

  it('gives the key, value and raw value columns however far apart they lie (packed or not)', () => {
    // [line, dialect, key, value, raw value] as [start, end] columns; the usual layout is kept packed in
    // one integer, the others (an indent of 4+, escapes between the quotes and the value…) as five numbers.
    const cases: [string, Dialect, [number, number], [number, number], [number, number]][] = [
      ['KEY=value', 'classic', [0, 3], [4, 9], [4, 9]],
      ['KEY="value"', 'classic', [0, 3], [5, 10], [4, 11]],
      ['   KEY="v"', 'vz7', [3, 6], [8, 9], [7, 10]],
      ['      KEY="v"', 'classic', [6, 9], [11, 12], [10, 13]],
      ['KEY=\\"\\\\\\\\v"', 'classic', [0, 3], [7, 11], [5, 12]],
      ['KEY="v\\\\\\\\\\\\\\\\"', 'vz7', [0, 3], [5, 14], [4, 15]],
      ['KEY="v"    tail', 'classic', [0, 3], [5, 6], [4, 7]],
      ['KEY="v" # note', 'vz7', [0, 3], [5, 6], [4, 7]],
      [`KEY="${'x'.repeat(70000)}"`, 'classic', [0, 3], [5, 70005], [4, 70006]],
      // Beyond what the packed form holds (8,388,608 columns; parseConfig itself has no size limit).
      [`KEY=${'x'.repeat(0x800001)}`, 'classic', [0, 3], [4, 0x800005], [4, 0x800005]],
    ];
    for (const [line, dialect, key, value, raw] of cases) {
      const e = entry(line, dialect);
      const cols = (r: Entry['keyRange']) => [r.start.character, r.end.character];
      assert.deepEqual([cols(e.keyRange), cols(e.valueRange), cols(e.rawValueRange)], [key, value, raw], `${line.slice(0, 40)} (${dialect})`);
      for (const r of [e.keyRange, e.valueRange, e.rawValueRange]) assert.ok(r.start.line === 0 && r.end.line === 0);
    }
  });

  it('makes an entry its own shell view only where the shell reads its value on its line without issues', () => {
    const doc = parseConfig('A="x"\nB=a b\nC="multi\nline"\n', { dialect: 'classic' });
    const [a, b, c] = doc.entries as [Entry, Entry, Entry];
    assert.equal(a.shell, a);
    // As plain data (JSON of a document), the view is the shell's own object.
    assert.deepEqual(JSON.parse(JSON.stringify(a)).shell, { value: 'x', endLine: 0, endCharacter: 5, issues: [] });
    assert.notEqual(b.shell, b);
    assert.equal(b.shell.issues[0]?.kind, 'unquoted-whitespace');
    assert.notEqual(c.shell, c);
    assert.equal(c.shell.endLine, 3);
    assert.equal(c.shell.value, 'multi\nline');
  });

  it('keeps a BOM in the first key for vzctl but not in the name', () => {
    const doc = parseConfig('\uFEFFONBOOT="yes"\n', { dialect: 'classic' });
    const e = doc.entries[0] as Entry;
    assert.equal(doc.bom, true);
    assert.equal(e.key, '\uFEFFONBOOT');
    assert.equal(e.name, 'ONBOOT');
  });

  it('handles CRLF and mixed line endings', () => {
    const doc = parseConfig('A="1"\r\nB="2"\nC="3"\r\n', { dialect: 'classic' });
    assert.equal(doc.eol, 'mixed');
    assert.deepEqual(doc.entries.map((e) => [e.name, e.value]), [['A', '1'], ['B', '2'], ['C', '3']]);
  });
});

describe('parser: the shell view', () => {
  it('finds the five-line IPTABLES of the Shorewall vz.conf as one multi-line value', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(resolve(corpus, 'wild/032-shorewall-doc-2009-vz.conf'), 'utf8');
    const doc = parseConfig(text, { dialect: 'classic' });
    assert.equal(doc.multiline.length, 1);
    const m = doc.multiline[0];
    assert.ok(m);
    assert.equal(m.entry.name, 'IPTABLES');
    assert.equal(m.endLine - m.startLine + 1, 5);
    assert.equal(m.entry.skipped, 'unmatched-quote');
    const modules = m.entry.shell.value.split(/\s+/).filter(Boolean);
    assert.equal(modules.length, 24);
    assert.ok(modules.includes('ipt_REDIRECT'));
    for (let l = m.startLine + 1; l <= m.endLine; l += 1) assert.ok(doc.continuationLines.has(l));
  });

  it('flags unquoted whitespace, command substitution and expansions, but not $VEID', () => {
    const doc = parseConfig('A=a b\nB="$(id)"\nC=`id`\nD="/vz/private/$VEID"\nE="$IPTABLES"\nF="x;y"\nG=x;y\nH="x" ; y z\nI=x;;\nJ=x&\n', { dialect: 'classic' });
    const kinds = doc.entries.map((e) => e.shell.issues.map((i) => i.kind));
    assert.deepEqual(kinds, [['unquoted-whitespace'], ['command-substitution'], ['command-substitution'], [], ['expansion'], [], ['separator'], ['separator'], ['metacharacter'], ['metacharacter']]);
    // The separator's text is the command sh runs next.
    assert.deepEqual(doc.entries.slice(6, 8).map((e) => e.shell.issues[0]?.text), ['y', 'y z']);
  });

  it('reads an unterminated quote at the end of the file as an issue, not a crash', () => {
    const doc = parseConfig('A="open\nB=1', { dialect: 'classic' });
    const a = doc.entries[0] as Entry;
    assert.equal(a.shell.issues[0]?.kind, 'unterminated-quote');
  });
});

describe('parser: total on any input (property-based)', () => {
  it('never throws and yields one line record per physical line', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom<Dialect>('classic', 'vz7'), (text, dialect) => {
      const doc = parseConfig(text, { dialect });
      assert.equal(doc.lines.length, doc.text.length);
      for (const e of doc.entries) {
        const len = (doc.text[e.line] ?? '').length;
        assert.ok(e.valueRange.start.character <= e.valueRange.end.character);
        assert.ok(e.valueRange.end.character <= len);
        assert.ok(e.keyRange.end.character <= len);
      }
    }), { numRuns: 500 });
  });

  it('parses KEY="value" back to the value for any value without quotes or backslashes', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), fc.stringMatching(/^[^"\\\r\n]*$/), (key, value) => {
      const e = entry(`${key}="${value}"`, 'classic');
      assert.equal(e.key, key);
      assert.equal(e.value, value);
    }), { numRuns: 300 });
  });
});

describe('parser: the shell view without a scan (plainShellEnd)', () => {
  // Lines made of what the shell scanner treats specially, so that every branch is reached.
  const line = fc.array(fc.constantFrom('A', 'b', '1', ' ', '\t', '"', "'", '\\', '$', '`', ';', '#', '(', ')', '|', '=', 'x', 'é'), { maxLength: 14 }).map((cs) => cs.join(''));

  it('answers only where scanShellValue reads exactly that value on that line without issues, and ends where it ends', () => {
    fc.assert(fc.property(line, line, fc.nat({ max: 3 }), fc.boolean(), (text, next, at, other) => {
      const start = Math.min(at, text.length);
      const view = scanShellValue([text, next], 0, start);
      // The scanner's own value, or another one of the same length (a value vzctl reads differently).
      const value = !other ? view.value : view.value === '' ? 'x' : `${view.value.startsWith('x') ? 'y' : 'x'}${view.value.slice(1)}`;
      const end = plainShellEnd(text, start, value);
      if (end >= 0) {
        assert.equal(other, false);
        assert.deepEqual({ ...view, value }, { value, endLine: 0, endCharacter: end, issues: [] });
      }
    }), { numRuns: 3000, seed: 20261201 });
  });

  it('answers for the usual lines: a plain word or one double-quoted run to the end of the line', () => {
    assert.equal(plainShellEnd('IPTABLES="ipt_REJECT"', 9, 'ipt_REJECT'), 21);
    assert.equal(plainShellEnd('ONBOOT=yes', 7, 'yes'), 10);
    assert.equal(plainShellEnd('KEY=', 4, ''), 4);
    assert.equal(plainShellEnd('KEY=""', 4, ''), 6);
    for (const [text, value] of [['KEY="a"b', 'a"b'], ['KEY="a', 'a'], ['KEY=a b', 'a b'], ['KEY="$x"', '$x'], ["KEY='a'", "'a'"], ['KEY="a" ', 'a']]) {
      assert.equal(plainShellEnd(text as string, 4, value as string), -1, text);
    }
  });

  it('gives every entry the shell view a scan of its line gives (documents of random lines)', () => {
    fc.assert(fc.property(fc.array(line.map((v) => `K=${v}`), { minLength: 1, maxLength: 8 }), fc.constantFrom<Dialect>('classic', 'vz7'), (lines, dialect) => {
      const doc = parseConfigFresh(lines.join('\n'), { dialect });
      // (A line inside an earlier assignment's quoted value is no assignment for the shell: a stub view.)
      let covered = -1;
      for (const e of doc.entries) {
        if (e.line <= covered) continue;
        covered = Math.max(covered, e.shell.endLine);
        const view = scanShellValue(doc.text, e.line, e.equals + 1);
        assert.deepEqual(JSON.parse(JSON.stringify(e)).shell, JSON.parse(JSON.stringify(view)));
        assert.equal((e.shell as unknown) === e, view.endLine === e.line && view.issues.length === 0 && view.value === e.value);
      }
    }), { numRuns: 1000, seed: 20261201 });
  });
});

describe('parser: splitting into vzctl lines', () => {
  it('gives the lines a split at each line feed gives (a CRLF ending dropped), repeated lines included', () => {
    // Few distinct lines, so that lines repeat (a repeated line reuses the string of the one before).
    const text = fc.array(fc.constantFrom('A=1', 'A=1\r', 'B="x"', '', '\r', 'A=', 'A=1\rA=1', '#'), { maxLength: 30 }).map((ls) => ls.join('\n'));
    fc.assert(fc.property(text, (t) => {
      const naive = t.split('\n').map((l, i, all) => (i < all.length - 1 && l.endsWith('\r') ? l.slice(0, -1) : l));
      assert.deepEqual(splitVzctlLines(t).lines, naive);
    }), { numRuns: 2000, seed: 20261201 });
  });
});

describe('parser: a document of more lines than LARGE_ARRAY (its arrays allocated at their size)', () => {
  // Lines of every kind, CRLF and lone CR endings, a multi-line value and repeats, past the size where the
  // line, model and entry arrays are allocated once instead of grown (util/sizedArray).
  const block = ['A=1', 'A=1\r', '# c', '', 'B="x', 'y"', 'C=a\rb', 'A=1', 'D=\\', 'E=2'];
  const lines: string[] = [];
  for (let i = 0; lines.length <= LARGE_ARRAY + 50; i += 1) lines.push(block[i % block.length] as string);
  const text = lines.join('\n');

  it('splits into the lines a split at each line feed gives', () => {
    const naive = text.split('\n').map((l, i, all) => (i < all.length - 1 && l.endsWith('\r') ? l.slice(0, -1) : l));
    const got = splitVzctlLines(text);
    assert.equal(got.lines.length, naive.length);
    assert.deepEqual([...got.lines], naive);
    assert.equal(got.eol, 'mixed');
    assert.equal(got.loneCr, true);
  });

  it('has a model at every line (no hole), its entries in line order, each line as a short document of it parses it', () => {
    for (const dialect of ['classic', 'vz7'] as const) {
      const doc = parseConfigFresh(text, { dialect });
      assert.equal(doc.lines.length, lines.length);
      for (let n = 0; n < doc.lines.length; n += 1) {
        assert.ok(n in doc.lines, `line ${n} has a model`);
        assert.equal(doc.lines[n]?.line, n);
      }
      assert.deepEqual(doc.entries, doc.lines.filter((l) => l.kind === 'entry'));
      // The same text cut to a size below LARGE_ARRAY gives the same models for the lines it keeps.
      const small = parseConfigFresh(lines.slice(0, 100).join('\n'), { dialect });
      for (let n = 0; n < 99; n += 1) assert.deepEqual(JSON.parse(JSON.stringify(doc.lines[n])), JSON.parse(JSON.stringify(small.lines[n])), `line ${n}`);
      assert.deepEqual(doc.multiline.slice(0, 5).map((m) => [m.startLine, m.endLine]), small.multiline.slice(0, 5).map((m) => [m.startLine, m.endLine]));
    }
  });
});

describe('parser: NUL bytes', () => {
  it('stops at a NUL as the C string functions do', () => {
    const doc = parseConfig('HOSTNAME="a\0b"\n', { dialect: 'classic' });
    const e = doc.entries[0] as Entry;
    assert.equal(e.skipped, 'unmatched-quote');
  });
});
