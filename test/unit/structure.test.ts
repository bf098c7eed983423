import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getCatalog } from '../../server/src/catalog/load';
import { parseConfig } from '../../server/src/parser/parse';
import type { Dialect, Entry } from '../../server/src/parser/types';
import { computeFoldingRanges } from '../../server/src/service/folding';
import { computeFormatting, formatText } from '../../server/src/service/format';
import { computeInlayHints } from '../../server/src/service/inlayHints';
import { computeDocumentLinks } from '../../server/src/service/links';
import { computeDocumentSymbols, OTHER_GROUP, type DocumentSymbol } from '../../server/src/service/symbols';
import { applyEdits } from '../helpers/edits';
import { NEEDS_CORPUS } from '../helpers/corpus';

const ROOT = resolve(__dirname, '..', '..');
const CORPUS = resolve(__dirname, '../../../shared/corpus');
const CT = '/etc/vz/conf/101.conf';
const read = (rel: string): string => readFileSync(join(CORPUS, rel), 'utf8');
// Read only where the corpus exists; the tests that use it skip otherwise (NEEDS_CORPUS).
const VSWAP_1G = NEEDS_CORPUS ? '' : read('upstream/openvz-vzctl-classic/conf/ve-vswap-1g.conf-sample');
const lineOf = (text: string, prefix: string): number => text.split(/\r\n|\n/).findIndex((l) => l.startsWith(prefix));

/** Every corpus file (upstream and wild), path relative to the corpus. */
function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!f.endsWith('.md')) out.push(p.slice(CORPUS.length + 1));
    }
  };
  walk(CORPUS);
  return out;
}

function within(inner: { start: { line: number; character: number }; end: { line: number; character: number } }, outer: typeof inner): boolean {
  const le = (a: typeof inner.start, b: typeof inner.start) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

describe('document symbols', () => {
  it('ve-vswap-1g.conf-sample: grouped as the sample groups its keys, values in human units', { skip: NEEDS_CORPUS }, () => {
    const symbols = computeDocumentSymbols(VSWAP_1G, { path: '/etc/vz/conf/ve-vswap-1g.conf-sample' });
    assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [
      ['Memory (vSwap)', ['PHYSPAGES', 'SWAPPAGES']],
      ['Disk', ['DISKSPACE', 'DISKINODES', 'QUOTATIME']],
      ['CPU', ['CPUUNITS']],
      ['Netfilter', ['NETFILTER']],
    ]);
    const child = (g: number, c: number): DocumentSymbol => symbols[g]?.children?.[c] as DocumentSymbol;
    assert.equal(child(0, 0).detail, '0:1G (0 B : 1 GiB)');
    assert.equal(child(0, 1).detail, '0:2G (0 B : 2 GiB)');
    assert.equal(child(1, 0).detail, '2G:2.2G (2 GiB : 2.2 GiB)');
    assert.equal(child(1, 1).detail, '131072:144179', 'inodes are counts, not sizes');
    assert.equal(child(3, 0).detail, 'stateless');
    assert.equal(symbols[1]?.detail, '3 parameters');
    for (const g of symbols) {
      assert.equal(g.kind, 3);
      assert.ok(within(g.selectionRange, g.range));
      for (const c of g.children ?? []) {
        assert.equal(c.kind, 7);
        assert.ok(within(c.selectionRange, c.range) && within(c.range, g.range), `${c.name} inside ${g.name}`);
      }
    }
  });

  it('numbers in pages and 1K blocks, unknown keys in their own group, deprecated keys tagged', () => {
    const text = 'PHYSPAGES="0:262144"\nDISKSPACE="10485760"\nFOO=1\nIPTABLES="ipt_REJECT"\nKMEMSIZE="unlimited"\n =x\n';
    const symbols = computeDocumentSymbols(text, { path: CT });
    const all = symbols.flatMap((s) => s.children ?? []);
    assert.equal(all.find((c) => c.name === 'PHYSPAGES')?.detail, '0:262144 (0 B : 1 GiB)');
    assert.equal(all.find((c) => c.name === 'DISKSPACE')?.detail, '10485760 (10 GiB)');
    assert.equal(all.find((c) => c.name === 'KMEMSIZE')?.detail, 'unlimited');
    assert.deepEqual(all.find((c) => c.name === 'IPTABLES')?.tags, [1]);
    const other = symbols.find((s) => s.name === OTHER_GROUP);
    assert.deepEqual(other?.children?.map((c) => c.name), ['FOO', '(empty key)']);
    assert.ok(all.every((c) => c.name.length > 0 && within(c.selectionRange, c.range)));
  });

  it('every corpus file gives well-formed symbols', { skip: NEEDS_CORPUS }, () => {
    for (const f of corpusFiles()) {
      const symbols = computeDocumentSymbols(read(f), { path: f });
      for (const g of symbols) for (const c of g.children ?? []) assert.ok(c.name !== '' && within(c.selectionRange, c.range) && within(c.range, g.range), `${f}: ${c.name}`);
    }
  });
});

describe('folding ranges', () => {
  it('ve-vswap-1g.conf-sample: the licence header, the two-line note, the disk quota block', { skip: NEEDS_CORPUS }, () => {
    const ranges = computeFoldingRanges(VSWAP_1G);
    const disk = lineOf(VSWAP_1G, 'DISKSPACE');
    const quotatime = lineOf(VSWAP_1G, 'QUOTATIME');
    const note = lineOf(VSWAP_1G, '# This config');
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 15, kind: 'comment' },
      { startLine: note, endLine: note + 1, kind: 'comment' },
      { startLine: disk, endLine: quotatime, kind: 'region' },
    ]);
  });

  it('runs end at another group or a blank line; multi-line values fold; single lines do not', () => {
    const text = '# one\nKMEMSIZE="1:1"\nLOCKEDPAGES="1:1"\nDISKSPACE="1:1"\n\nPRIVVMPAGES="1:1"\nDESCRIPTION="a\nb\nc"\n';
    assert.deepEqual(computeFoldingRanges(text), [
      { startLine: 1, endLine: 2, kind: 'region' },
      { startLine: 6, endLine: 8 },
    ]);
  });
});

describe('document links', () => {
  it('URLs in comment lines of the corpus, without the sentence punctuation around them', { skip: NEEDS_CORPUS }, () => {
    const funtoo = read('upstream/openvz-vzctl-classic/dists/funtoo.conf');
    const links = computeDocumentLinks(funtoo);
    assert.deepEqual(links.map((l) => l.target), ['http://www.funtoo.org']);
    const line = funtoo.split('\n')[links[0]?.range.start.line ?? 0] ?? '';
    assert.equal(line.slice(links[0]?.range.start.character, links[0]?.range.end.character), 'http://www.funtoo.org');
    const download = computeDocumentLinks(read('upstream/openvz-vzctl-classic/download.conf')).map((l) => l.target);
    assert.deepEqual(download, ['http://wiki.openvz.org/Package_signatures#Importing_the_public_key', 'http://download.openvz.org/template/precreated']);
  });

  it('inline comments count, values do not; parentheses inside a URL are kept', () => {
    const text = 'ONBOOT="yes" # see https://wiki.openvz.org/Man/ctid.conf.5.\nTEMPLATE="http://not.a.comment/x"\n# (https://en.wikipedia.org/wiki/OpenVZ_(software)).\n';
    assert.deepEqual(computeDocumentLinks(text), [
      { range: { start: { line: 0, character: 19 }, end: { line: 0, character: 58 } }, target: 'https://wiki.openvz.org/Man/ctid.conf.5' },
      { range: { start: { line: 2, character: 3 }, end: { line: 2, character: 50 } }, target: 'https://en.wikipedia.org/wiki/OpenVZ_(software)' },
    ]);
  });
});

describe('inlay hints', () => {
  it('sizes after the closing quote, starting with "=": PHYSPAGES 0:262144 pages → "= 0 / 1 GiB", DISKSPACE 10485760 blocks → "= 10 GiB"', () => {
    const text = 'PHYSPAGES="0:262144"\nDISKSPACE="10485760"\nKMEMSIZE="14372700:14790164"\nNUMPROC="240:240"\nSWAPPAGES="0:unlimited"\nLOCKEDPAGES="1G:1G"\nPRIVVMPAGES="1000P:2147483647"\n';
    const hints = computeInlayHints(text, undefined, { path: CT });
    assert.deepEqual(hints.map((h) => [h.position.line, h.position.character, h.label]), [
      [0, 20, '= 0 / 1 GiB'],
      [1, 20, '= 10 GiB'],
      [2, 28, '= 13.71 MiB / 14.1 MiB'],
      [6, 30, '= 3.91 MiB / unlimited'],
    ]);
    assert.equal(hints[0]?.tooltip, '262144: 262144 pages of 4 KiB = 1073741824 bytes = 1 GiB');
    // Each hint sits after the value's closing quote, never inside it.
    const lines = text.split('\n');
    for (const h of hints) assert.equal(lines[h.position.line]?.[h.position.character - 1], '"');
    assert.ok(hints.every((h) => h.paddingLeft === true && h.kind === 1));
  });

  it('the range limits the lines; the setting turns them off; rejected values get none', () => {
    const text = 'PHYSPAGES="0:262144"\nDISKSPACE="10485760"\nSWAPPAGES="0:abc"\n';
    const range = { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } };
    assert.deepEqual(computeInlayHints(text, range, { path: CT }).map((h) => h.label), ['= 10 GiB']);
    assert.deepEqual(computeInlayHints(text, undefined, { path: CT, inlayHints: false }), []);
    assert.equal(computeInlayHints(text, undefined, { path: CT }).length, 2);
  });

  it('corpus: ve-basic.conf-sample of vzctl 4.6 (a full UBC set in pages and bytes)', { skip: NEEDS_CORPUS }, () => {
    const text = read('upstream/openvz-vzctl-classic/historical/ve-basic.conf-sample@vzctl-4.6');
    const hints = computeInlayHints(text, undefined, { path: '/etc/vz/conf/ve-basic.conf-sample', target: 'classic@4.6' });
    const privvm = lineOf(text, 'PRIVVMPAGES=');
    assert.ok(hints.some((h) => h.position.line === privvm), 'PRIVVMPAGES has its size shown');
    assert.ok(!hints.some((h) => h.position.line === lineOf(text, 'NUMPROC=')), 'NUMPROC is a count');
    const lines = text.split('\n');
    assert.ok(hints.length > 0);
    for (const h of hints) {
      const line = lines[h.position.line] ?? '';
      assert.match(line.slice(0, h.position.character), /"$/, 'a hint follows the closing quote');
      assert.match(h.label, /^= (\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)|0|unlimited)( \/ (\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)|0|unlimited))?$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Formatting

/** What each dialect reads from the file's entries, and the lines that are not entries. */
function reading(text: string, dialect: Dialect): { entries: Entry[]; other: Map<number, string> } {
  const doc = parseConfig(text, { dialect });
  const other = new Map<number, string>();
  doc.lines.forEach((l, i) => { if (l.kind !== 'entry') other.set(i, doc.text[i] ?? ''); });
  return { entries: doc.entries, other };
}

/** Asserts the formatting invariants on `text`: values, comments, line endings kept; idempotent. */
function checkFormatting(text: string, label: string): string {
  const out = formatText(text);
  assert.equal(applyEdits(text, computeFormatting(text)), out, `${label}: edits and formatText agree`);
  const terminators = (t: string) => t.split(/(\r\n|\r|\n)/).filter((_, i) => i % 2 === 1);
  assert.deepEqual(terminators(out), terminators(text), `${label}: line endings kept`);
  const catalog = getCatalog();
  for (const dialect of ['classic', 'vz7'] as const) {
    const before = reading(text, dialect);
    const after = reading(out, dialect);
    assert.deepEqual(after.other, before.other, `${label}: comments, blank and other lines unchanged (${dialect})`);
    assert.equal(after.entries.length, before.entries.length);
    before.entries.forEach((b, i) => {
      const a = after.entries[i] as Entry;
      const where = `${label}:${b.line + 1} ${JSON.stringify(text.split(/\r\n|\r|\n/)[b.line])} (${dialect})`;
      assert.equal(a.line, b.line, where);
      assert.equal(a.value, b.value, `${where}: value`);
      assert.equal(a.name, b.name, `${where}: name`);
      assert.equal(a.skipped, b.skipped, `${where}: skipped`);
      assert.equal(a.inlineComment?.text, b.inlineComment?.text, `${where}: inline comment`);
      if (a.key !== b.key) {
        // Only the blanks before "=" go, and only when no other line sets the parameter.
        assert.equal(a.key, b.name, `${where}: key`);
        const def = catalog.parameter(b.name);
        assert.ok(def, where);
        assert.equal(before.entries.filter((e) => catalog.parameter(e.name) === def).length, 1, `${where}: set only once`);
      }
    });
  }
  assert.equal(formatText(out), out, `${label}: idempotent`);
  return out;
}

describe('formatting', () => {
  it('rewrites lines as `vzctl set --save` writes them and leaves the rest alone', () => {
    const text = [
      '# header',
      '  PHYSPAGES="0:1G"   ',
      'NETFILTER =stateless',
      'DISK_QUOTA=no',
      'DESCRIPTION=web server',
      'VE_ROOT=/vz/root/$VEID',
      'HOSTNAME=$HOST',
      'NAME= x',
      "OSTEMPLATE='centos-6'",
      'FOO = bar',
      'ONBOOT=yes # boot',
      'CPUUNITS=1000 ',
      '',
    ].join('\r\n');
    const out = checkFormatting(text, 'sample');
    assert.equal(out, [
      '# header',
      'PHYSPAGES="0:1G"',
      'NETFILTER =stateless',
      'DISK_QUOTA="no"',
      'DESCRIPTION="web server"',
      'VE_ROOT="/vz/root/$VEID"',
      'HOSTNAME=$HOST',
      'NAME= x',
      "OSTEMPLATE='centos-6'",
      'FOO = bar',
      'ONBOOT=yes # boot',
      'CPUUNITS="1000"',
      '',
    ].join('\r\n'));
  });

  it('keeps blanks before "=": vzctl ignores that line, and joining the key would switch the setting on', () => {
    for (const text of ['NETFILTER ="full"\nNETFILTER="stateless"\n', 'HOSTNAME =x', 'HOSTNAME\t="x"\n']) assert.equal(formatText(text), text);
  });

  it('leaves a file with lone CR line breaks alone (vzctl splits lines at LF only)', () => {
    for (const text of ['HOSTNAME=x\rONBOOT=yes\n', 'DESCRIPTION=a\rb=c\n']) assert.equal(formatText(text), text);
  });

  it('never touches multi-line values, unmatched quotes, text after the closing quote, or a BOM line', () => {
    const text = '\uFEFFONBOOT=yes\nDESCRIPTION="a\nb"\nHOSTNAME="x\nNAME="n" tail\nCPUUNITS=1000\n';
    assert.equal(checkFormatting(text, 'edge'), '\uFEFFONBOOT=yes\nDESCRIPTION="a\nb"\nHOSTNAME="x\nNAME="n" tail\nCPUUNITS="1000"\n');
  });

  it('every corpus file: values, comments and line endings kept, idempotent', { skip: NEEDS_CORPUS }, () => {
    let changed = 0;
    for (const f of corpusFiles()) {
      const text = read(f);
      if (checkFormatting(text, f) !== text) changed += 1;
    }
    assert.ok(changed > 0, 'some corpus files are not in vzctl --save form');
    // vzctl's own samples are already in that form.
    assert.equal(formatText(VSWAP_1G), VSWAP_1G);
  });

  it('property: on generated files the parsed values, comments and line endings are kept, and formatting is idempotent', () => {
    const catalog = getCatalog();
    const keys = ['PHYSPAGES', 'NETFILTER', 'ONBOOT', 'DESCRIPTION', 'VE_ROOT', 'DCACHE', 'DCACHESIZE', 'IP_ADDRESS', 'FOO', 'bar', 'HOSTNAME'];
    for (const k of keys) assert.ok(k === 'FOO' || k === 'bar' || catalog.parameter(k), k);
    const valueChar = fc.constantFrom('a', 'Z', '0', '9', ':', ' ', '\t', '"', "'", '\\', '$', '`', '#', '=', ';', '/', '.', '{', '}', '(', 'é', '\0', '\uFEFF');
    const text = fc.array(fc.constantFrom(...'abcVEID0:.'), { maxLength: 8 }).map((a) => a.join(''));
    const value = fc.oneof(
      fc.array(valueChar, { maxLength: 12 }).map((a) => a.join('')),
      text.map((t) => `"${t}"`),
      text.map((t) => `'${t}'`),
      text.map((t) => `"${t}"${' tail'}`),
      fc.constantFrom('/vz/root/$VEID', '${VEID}', '0:1G', 'unlimited', ''),
    );
    const entry = fc.record({
      indent: fc.constantFrom('', '', ' ', '\t'),
      key: fc.constantFrom(...keys),
      before: fc.constantFrom('', '', '', ' ', '\t '),
      after: fc.constantFrom('', '', '', ' '),
      value,
      trail: fc.constantFrom('', '', ' ', '\t', ' # note'),
    }).map((e) => `${e.indent}${e.key}${e.before}=${e.after}${e.value}${e.trail}`);
    const line = fc.oneof(
      { weight: 6, arbitrary: entry },
      { weight: 1, arbitrary: text.map((t) => `# ${t}`) },
      { weight: 1, arbitrary: fc.constantFrom('', '  ') },
      { weight: 1, arbitrary: fc.array(valueChar, { maxLength: 10 }).map((a) => a.join('')) },
    );
    const file = fc.record({ lines: fc.array(line, { minLength: 1, maxLength: 20 }), eol: fc.constantFrom('\n', '\r\n', 'mixed') }).map(({ lines, eol }) =>
      lines.map((l, i) => l + (eol === 'mixed' ? (i % 2 ? '\r\n' : '\n') : eol)).join(''));
    fc.assert(fc.property(file, (t) => { checkFormatting(t, 'generated'); }), { numRuns: 400 });
  });
});

describe('TextMate grammar', () => {
  it('is generated from the catalogue and up to date (node scripts/grammar.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/grammar.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('tells known keys (and aliases) from others, marks blanks around "=", scopes numbers, units, unlimited and $VEID', () => {
    const g = JSON.parse(readFileSync(join(ROOT, 'syntaxes/vzconf.tmLanguage.json'), 'utf8')) as {
      repository: Record<string, { begin?: string; match?: string; patterns?: { match?: string; name?: string; include?: string }[]; beginCaptures?: Record<string, { name: string }> }>;
    };
    const assignment = g.repository.assignment;
    assert.ok(assignment?.begin);
    const begin = new RegExp(assignment.begin);
    const known = begin.exec('PHYSPAGES="0:1G"');
    assert.equal(known?.[2], 'PHYSPAGES');
    assert.equal(known?.[3], undefined);
    assert.equal(begin.exec('DCACHE="1"')?.[2], 'DCACHE', 'alias');
    const unknown = begin.exec('PHYSPAGES2="1"');
    assert.equal(unknown?.[2], undefined);
    assert.equal(unknown?.[3], 'PHYSPAGES2');
    const spaced = begin.exec('NETFILTER = "full"');
    assert.deepEqual([spaced?.[2], spaced?.[4], spaced?.[6]], ['NETFILTER', ' ', ' ']);
    assert.equal(assignment.beginCaptures?.['2']?.name, 'support.type.property-name.vzconf');
    assert.equal(assignment.beginCaptures?.['3']?.name, 'variable.other.key.vzconf');
    assert.equal(assignment.beginCaptures?.['4']?.name, 'invalid.illegal.whitespace.vzconf');
    for (const p of getCatalog().catalog.parameters) assert.equal(begin.exec(`${p.name}=x`)?.[2], p.name, p.name);
    const atoms = g.repository['value-atoms']?.patterns ?? [];
    const number = new RegExp(atoms.find((p) => p.match?.includes('[0-9]+'))?.match ?? '^$');
    assert.deepEqual([...(number.exec('2.2G') ?? [])].slice(1, 3), ['2.2', 'G']);
    assert.equal(number.exec('/vz/root/101'), null, 'no number inside a path');
    const unlimited = atoms.find((p) => p.name === 'constant.language.unlimited.vzconf');
    assert.ok(unlimited?.match && new RegExp(unlimited.match).test('0:unlimited'));
    const veid = g.repository.variable?.patterns?.find((p) => p.name === 'variable.language.veid.vzconf');
    assert.ok(veid?.match && new RegExp(veid.match).test('$VEID') && new RegExp(veid.match).test('${VEID}') && !new RegExp(veid.match).test('$VEIDX'));
  });
});
