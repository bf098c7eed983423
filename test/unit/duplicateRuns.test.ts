/**
 * duplicate-parameter on consecutive ignored lines (server/src/rules/parameters.ts, issue 8): a run of
 * lines that repeat one key, each starting on the line right after the previous one ends, is one finding
 * whose range covers the run and whose fix removes it in one edit; a single repeated line is reported as
 * before. Real configs of the shared corpus with a line pasted several times, and fixtures of our own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../helpers/edits';
import { CORPUS, NEEDS_CORPUS } from '../helpers/corpus';
import { runCaptured } from '../helpers/vzlint';

const CT = '/etc/vz/conf/101.conf';

function duplicates(text: string, opts: LintOptions = {}): Finding[] {
  return lint(text, { path: CT, ...opts }).findings.filter((f) => f.rule === 'duplicate-parameter');
}

/** `[startLine, startCharacter, endLine, endCharacter]` of a finding (0-based, as the model counts). */
function span(f: Finding | undefined): number[] {
  return f ? [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character] : [];
}

/** The text after applying the only fix of `f`, and that fix's title and safety. */
function fixed(text: string, f: Finding | undefined): { text: string; title: string; safe: boolean } {
  assert.equal(f?.fixes?.length, 1, JSON.stringify(f?.fixes));
  const fix = f?.fixes?.[0];
  return { text: applyEdits(text, fix?.edits ?? []), title: fix?.title ?? '', safe: fix?.safe === true };
}

describe('duplicate-parameter: runs of consecutive ignored lines', () => {
  it('first wins (classic HOSTNAME): lines 2–4 are one finding from the first key to the last value, removed in one edit', () => {
    const text = 'HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"\nHOSTNAME="dd"\nONBOOT="yes"\n';
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.deepEqual(span(f), [1, 0, 3, 13]);
    assert.equal(f?.message, 'HOSTNAME on lines 2–4 is also set on line 1; vzctl uses the first');
    assert.deepEqual(f?.facts, ['classic.duplicate-first']);
    assert.match(f?.detail ?? '', /uses line 1 \("a"\) and ignores lines 2–4, while the shell scripts/);
    const r = fixed(text, f);
    assert.deepEqual([r.title, r.safe], ['Remove the ignored HOSTNAME on lines 2–4', false]);
    assert.equal(r.text, 'HOSTNAME="a"\nONBOOT="yes"\n');
    assert.ok((f?.message.length ?? 0) <= 100);
  });

  it('last wins (classic UBC, Virtuozzo 7): the run before the line in effect, a safe fix; the run at the end of the file takes the line break before it', () => {
    const ubc = 'KMEMSIZE="1:2"\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\n';
    const [k, ...none] = duplicates(ubc);
    assert.deepEqual(none, []);
    assert.deepEqual(span(k), [0, 0, 1, 14]);
    assert.equal(k?.message, 'KMEMSIZE on lines 1–2 is also set on line 3; vzctl uses the last');
    const r = fixed(ubc, k);
    assert.deepEqual([r.title, r.safe, r.text], ['Remove the ignored KMEMSIZE on lines 1–2', true, 'KMEMSIZE="5:6"\n']);
    const vz7 = 'HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"';
    const [h] = duplicates(vz7, { target: 'vz7' });
    assert.equal(h?.message, 'HOSTNAME on lines 1–2 is also set on line 3; libvzctl uses the last');
    assert.equal(fixed(vz7, h).text, 'HOSTNAME="c"');
    // First wins with the run at the end of a file without a final line break.
    const tail = 'HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"';
    assert.equal(fixed(tail, duplicates(tail)[0]).text, 'HOSTNAME="a"');
  });

  it('union (classic IP_ADDRESS): each run of the key, the run of the first line included, is one finding with the shared merge fix', () => {
    const text = 'IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2"\nIP_ADDRESS="10.0.0.3 10.0.0.1"\nONBOOT="yes"\nIP_ADDRESS="10.0.0.4"\n';
    const found = duplicates(text);
    assert.deepEqual(found.map(span), [[0, 0, 2, 30], [4, 0, 4, 10]]);
    assert.ok(found.every((f) => f.message === 'IP_ADDRESS is set on lines 1–3, 5; vzctl merges them, sh keeps only the last'), found.map((f) => f.message).join(' | '));
    assert.equal(found[0]?.fixes, found[1]?.fixes, 'one merge fix for the group');
    const r = fixed(text, found[0]);
    assert.equal(r.title, 'Merge the 4 IP_ADDRESS lines into line 1');
    assert.equal(r.text, 'IP_ADDRESS="10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4"\nONBOOT="yes"\n');
  });

  it('union: of a line vzctl rejects only the addresses before the bad one are merged (not safe), a repeated value adds nothing', () => {
    // classic parse_ip() (src/lib/config.c) has added 10.0.0.2 when it stops at "bogus!".
    const text = 'IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2 bogus!"\nIP_ADDRESS="10.0.0.3"\nIP_ADDRESS="10.0.0.3"\n';
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    // The run of the key's lines, from the first: the message names lines 1–4.
    assert.deepEqual(span(f), [0, 0, 3, 21]);
    const r = fixed(text, f);
    assert.deepEqual([r.title, r.safe], ['Merge the 4 IP_ADDRESS lines into line 1 (of line 2 only what vzctl adds)', false]);
    assert.equal(r.text, 'IP_ADDRESS="10.0.0.1 10.0.0.2 10.0.0.3"\n');
    assert.match(f?.detail ?? '', /\("10\.0\.0\.1 10\.0\.0\.2 10\.0\.0\.3"\)/);
  });

  it('a backslash-continued value belongs to its entry: the next line continues the run, and the fix removes the continuation too', () => {
    const text = 'HOSTNAME="a"\nHOSTNAME=b\\\nc\nHOSTNAME="d"\nONBOOT="yes"\n';
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.deepEqual(span(f), [1, 0, 3, 12]);
    assert.equal(f?.message, 'HOSTNAME on lines 2–4 is also set on line 1; vzctl uses the first');
    const r = fixed(text, f);
    assert.equal(r.title, 'Remove the ignored HOSTNAME on lines 2–4');
    assert.equal(r.text, 'HOSTNAME="a"\nONBOOT="yes"\n');
    // Alone, a continued line keeps its own finding (on its key), and its fix no longer leaves the
    // continuation behind for the shell to run as a command.
    const alone = 'HOSTNAME="a"\nHOSTNAME=b\\\nc\nONBOOT="yes"\n';
    const [g] = duplicates(alone);
    assert.deepEqual(span(g), [1, 0, 1, 8]);
    assert.equal(g?.message, 'HOSTNAME is also set on line 1; vzctl uses the first');
    assert.deepEqual([fixed(alone, g).title, fixed(alone, g).text], ['Remove the ignored HOSTNAME on lines 2–3', 'HOSTNAME="a"\nONBOOT="yes"\n']);
  });

  it('a comment, a blank line or another key between two lines ends the run', () => {
    for (const between of ['# note', '', 'ONBOOT="yes"', 'HOSTNAME ="x"']) {
      const text = `HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"\n${between}\nHOSTNAME="d"\nHOSTNAME="e"\n`;
      const found = duplicates(text);
      assert.deepEqual(found.map(span), [[1, 0, 2, 12], [4, 0, 5, 12]], JSON.stringify(between));
      assert.deepEqual(found.map((f) => f.message), [
        'HOSTNAME on lines 2–3 is also set on line 1; vzctl uses the first',
        'HOSTNAME on lines 5–6 is also set on line 1; vzctl uses the first',
      ]);
      assert.equal(fixed(text, found[1]).text, `HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"\n${between}\n`);
    }
  });

  it('the line in effect is never part of a run: last wins with it at the end of a block of repeats', () => {
    const text = 'KMEMSIZE="1:2"\n# older\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\nKMEMSIZE="7:8"\n';
    const found = duplicates(text);
    assert.deepEqual(found.map(span), [[0, 0, 0, 8], [2, 0, 3, 14]]);
    assert.deepEqual(found.map((f) => f.message), [
      'KMEMSIZE is also set on line 5; vzctl uses the last',
      'KMEMSIZE on lines 3–4 is also set on line 5; vzctl uses the last',
    ]);
    assert.match(found[0]?.detail ?? '', /set on lines 1, 3–5: vzctl 4\.11\.1 uses line 5 \("7:8"\) and ignores this one/);
    assert.equal(fixed(text, found[1]).text, 'KMEMSIZE="1:2"\n# older\nKMEMSIZE="7:8"\n');
    // First wins: the run starts right after the line in effect.
    const first = 'HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"\n';
    assert.deepEqual(duplicates(first).map(span), [[1, 0, 2, 12]]);
  });

  it('a thousand repeats are one finding; a next-line suppression above a run silences it, as it silences the finding its line starts', () => {
    const text = 'HOSTNAME="ct.example.com"\n'.repeat(1000);
    const found = duplicates(text);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.message, 'HOSTNAME on lines 2–1000 is also set on line 1; vzctl uses the first');
    assert.match(found[0]?.detail ?? '', /set on lines 1–1000: /);
    assert.equal(fixed(text, found[0]).text, 'HOSTNAME="ct.example.com"\n');
    const suppressed = 'HOSTNAME="a"\n# vzconf-disable-next-line duplicate-parameter -- kept on purpose\nHOSTNAME="b"\nHOSTNAME="c"\n';
    assert.deepEqual(duplicates(suppressed), []);
  });

  it('vzlint --fix applies the safe fix of a run once, leaving the line in effect', async () => {
    const text = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nKMEMSIZE="1:2"\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\nKMEMSIZE="7:8"\n';
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vzlint-runs-'));
    try {
      const file = path.join(dir, 'etc/vz/conf/101.conf');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      const r = await runCaptured(['--fix', '--format', 'json', file], dir);
      assert.match(r.err, /1 fix applied/);
      assert.equal(await readFile(file, 'utf8'), 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nKMEMSIZE="7:8"\n');
      assert.ok(!(JSON.parse(r.out) as { rule: string }[]).some((i) => i.rule === 'duplicate-parameter'), r.out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('duplicate-parameter: the line in effect is the one classic vzctl accepts (a refused value sets nothing)', () => {
  it('last wins with a refused last line: the line before it is in effect, and the safe fix never removes it', async () => {
    const text = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nKMEMSIZE="1:2"\nKMEMSIZE="3:4"\nKMEMSIZE="bad"\n';
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.deepEqual(span(f), [2, 0, 2, 8]);
    assert.equal(f?.message, 'KMEMSIZE is also set on line 4; vzctl uses the last line it accepts');
    assert.match(f?.detail ?? '', /uses line 4 \("3:4"\) and ignores this one/);
    const r = fixed(text, f);
    assert.deepEqual([r.title, r.safe, r.text], ['Remove the ignored KMEMSIZE on line 3', true, 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nKMEMSIZE="3:4"\nKMEMSIZE="bad"\n']);
    // vzlint --fix keeps the value vzctl applies (it removed lines 3-4 and left only the refused line).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vzlint-refused-'));
    try {
      const file = path.join(dir, 'etc/vz/conf/101.conf');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      await runCaptured(['--fix', '--format', 'json', file], dir);
      assert.equal(await readFile(file, 'utf8'), 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nKMEMSIZE="3:4"\nKMEMSIZE="bad"\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('first wins with a refused first line: the next line is in effect (and its value is checked), not a duplicate', () => {
    const text = 'ONBOOT="maybe"\nONBOOT="yes"\nONBOOT="no"\nONBOOT="no"\n';
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.deepEqual(span(f), [2, 0, 3, 11]);
    assert.equal(f?.message, 'ONBOOT on lines 3–4 is also set on line 2; vzctl uses the first line it accepts');
    assert.equal(fixed(text, f).text, 'ONBOOT="maybe"\nONBOOT="yes"\n');
    // Every line refused: each one is an invalid value, none a duplicate.
    const refused = 'ONBOOT="maybe"\nONBOOT="perhaps"\n';
    assert.deepEqual(duplicates(refused), []);
    const invalid = lint(refused, { path: CT }).findings.filter((x) => x.rule === 'invalid-value').map((x) => x.range.start.line);
    assert.deepEqual(invalid, [0, 1]);
  });

  it('union: no merge fix when a later line goes on with a backslash (the continuation would be left for sh to run)', () => {
    const text = 'IP_ADDRESS="10.0.0.1"\nIP_ADDRESS=10.0.0.2\\\n10.0.0.5\nIP_ADDRESS="10.0.0.3"\n';
    const found = duplicates(text);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.fixes ?? [], []);
    const first = 'IP_ADDRESS=10.0.0.1\\\n10.0.0.9\nIP_ADDRESS="10.0.0.2"\n';
    assert.deepEqual(duplicates(first).map((f) => f.fixes ?? []), [[]]);
  });
});

describe('duplicate-parameter runs on real configs (the corpus has no repeated key: one of its lines pasted again)', () => {
  // wild/030: a vSwap container config from the Linode docs (wild/SOURCES.md).
  const file = path.join(CORPUS, 'wild/030-linode-docs-debian9-101.conf');

  for (const [key, policy] of [['HOSTNAME', 'first'], ['PHYSPAGES', 'last'], ['IP_ADDRESS', 'union']] as const) {
    it(`${key} (${policy}) written four times in a row: one finding over the repeats, whose fix gives the file back`, { skip: NEEDS_CORPUS }, () => {
      const original = readFileSync(file, 'utf8');
      const lines = original.split('\n');
      const at = lines.findIndex((l) => l.startsWith(`${key}=`));
      assert.ok(at >= 0, `${key} in ${file}`);
      const pasted = [...lines.slice(0, at + 1), ...Array<string>(3).fill(lines[at] as string), ...lines.slice(at + 1)].join('\n');
      assert.deepEqual(duplicates(original), [], 'no repeat in the file as found');
      const found = duplicates(pasted);
      assert.equal(found.length, 1, found.map((f) => f.message).join(' | '));
      const f = found[0] as Finding;
      // First wins: the three copies after the original; last wins: the original and two copies; union: all four.
      const from = policy === 'first' ? at + 1 : at;
      assert.deepEqual([f.range.start.line, f.range.end.line], [from, policy === 'union' ? from + 3 : from + 2]);
      if (policy !== 'union') assert.match(f.message, new RegExp(`^${key} on lines ${from + 1}–${from + 3} is also set on line ${policy === 'first' ? at + 1 : at + 4};`));
      assert.equal(fixed(pasted, f).text, original);
      // The other findings are those of the original file, three lines further down after the paste.
      const others = (text: string, shift: number) => lint(text, { path: CT }).findings.filter((x) => x.rule !== 'duplicate-parameter')
        .map((x) => `${x.range.start.line > at ? x.range.start.line - shift : x.range.start.line} ${x.rule}`);
      assert.deepEqual(others(pasted, 3), others(original, 0));
    });
  }
});

describe('duplicate-parameter: a key repeated in many places apart (A B A B …) is one finding', () => {
  it('1,000 lines alternating HOSTNAME and ONBOOT (first wins): one finding per key, on its first ignored line, whose fix removes every ignored line', () => {
    const text = 'HOSTNAME="a"\nONBOOT="yes"\n'.repeat(500);
    const found = duplicates(text);
    assert.deepEqual(found.map((f) => [f.range.start.line, f.message]), [
      [2, 'HOSTNAME on 499 lines between 3 and 999 is also set on line 1; vzctl uses the first'],
      [3, 'ONBOOT on 499 lines between 4 and 1000 is also set on line 2; vzctl uses the first'],
    ]);
    const [h] = found;
    assert.deepEqual(span(h), [2, 0, 2, 8]);
    assert.deepEqual(h?.facts, ['classic.duplicate-first']);
    assert.match(h?.detail ?? '', /uses line 1 \("a"\) and ignores lines 3, 5, 7, 9, 11 and 494 more, while the shell scripts/);
    assert.match(h?.detail ?? '', /Reported once for the 499 lines, repeated in 499 places/);
    const r = fixed(text, h);
    // Not safe: the shell scripts read the last HOSTNAME, which the fix removes.
    assert.deepEqual([r.title, r.safe], ['Remove the 499 ignored HOSTNAME lines', false]);
    assert.equal(r.text, `HOSTNAME="a"\n${'ONBOOT="yes"\n'.repeat(500)}`);
    // Both fixes together leave one line of each key.
    const both = applyEdits(text, [...(h?.fixes?.[0]?.edits ?? []), ...(found[1]?.fixes?.[0]?.edits ?? [])]);
    assert.equal(both, 'HOSTNAME="a"\nONBOOT="yes"\n');
    assert.deepEqual(duplicates(both), []);
  });

  it('last wins (classic UBC, Virtuozzo 7): the finding is on the first line, the fix keeps the last line and is safe', () => {
    const ubc = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\n' + 'KMEMSIZE="1:2"\nNUMPROC="10:10"\n'.repeat(8);
    const found = duplicates(ubc);
    assert.deepEqual(found.map((f) => f.message), [
      'KMEMSIZE on 7 lines between 3 and 15 is also set on line 17; vzctl uses the last',
      'NUMPROC on 7 lines between 4 and 16 is also set on line 18; vzctl uses the last',
    ]);
    const r = fixed(ubc, found[0]);
    assert.deepEqual([r.title, r.safe], ['Remove the 7 ignored KMEMSIZE lines', true]);
    assert.equal(r.text, 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\n' + 'NUMPROC="10:10"\n'.repeat(7) + 'KMEMSIZE="1:2"\nNUMPROC="10:10"\n');
    const vz7 = duplicates('HOSTNAME="a"\nONBOOT="yes"\n'.repeat(50), { target: 'vz7' });
    assert.deepEqual(vz7.map((f) => [f.range.start.line, f.message, f.fixes?.[0]?.safe]), [
      [0, 'HOSTNAME on 49 lines between 1 and 97 is also set on line 99; libvzctl uses the last', true],
      [1, 'ONBOOT on 49 lines between 2 and 98 is also set on line 100; libvzctl uses the last', true],
    ]);
  });

  it(`up to ${5} places apart keep a finding each; one more makes one finding (runs count as one place)`, () => {
    const five = 'HOSTNAME="a"\nONBOOT="yes"\n'.repeat(6);
    assert.equal(duplicates(five).length, 10);
    // Six places apart, two of them runs of two lines: one finding naming the eight lines.
    const six = 'HOSTNAME="a"\n' + 'HOSTNAME="b"\nHOSTNAME="c"\n# x\n' + 'HOSTNAME="d"\n# x\n'.repeat(4) + 'HOSTNAME="e"\nHOSTNAME="f"\n';
    const [f, ...rest] = duplicates(six);
    assert.deepEqual(rest, []);
    assert.equal(f?.message, 'HOSTNAME on 8 lines between 2 and 14 is also set on line 1; vzctl uses the first');
    // The places are counted, not built: exactly one more than a finding each.
    assert.match(f?.detail ?? '', /Reported once for the 8 lines, repeated in 6 places/);
    // The range is the first run's (from its first key to its last value).
    assert.deepEqual(span(f), [1, 0, 2, 12]);
    assert.equal(fixed(six, f).text, `HOSTNAME="a"\n# x\n${'# x\n'.repeat(4)}`);
  });

  it('a refused line is neither in effect nor removed; a backslash-continued repeat is removed with its continuation', () => {
    const text = 'ONBOOT="maybe"\n' + 'ONBOOT="yes"\nNAME=x\n' + 'ONBOOT="no"\nNAME=x\n'.repeat(6) + 'ONBOOT=n\\\no\n';
    const found = duplicates(text).filter((f) => f.message.startsWith('ONBOOT'));
    assert.equal(found.length, 1, found.map((f) => f.message).join(' | '));
    assert.equal(found[0]?.message, 'ONBOOT on 7 lines between 4 and 17 is also set on line 2; vzctl uses the first line it accepts');
    const r = fixed(text, found[0]);
    assert.equal(r.text, 'ONBOOT="maybe"\nONBOOT="yes"\nNAME=x\n' + 'NAME=x\n'.repeat(6));
  });

  it('union (classic IP_ADDRESS / NAMESERVER alternating): one finding per key on its first repeat, the message naming the lines', () => {
    const text = 'IP_ADDRESS="10.0.0.1"\nNAMESERVER="192.0.2.1"\n'.repeat(20);
    const found = duplicates(text);
    assert.deepEqual(found.map((f) => [f.range.start.line, f.message]), [
      [2, 'IP_ADDRESS is set on 20 lines between 1 and 39; vzctl merges them, sh keeps only the last'],
      [3, 'NAMESERVER is set on 20 lines between 2 and 40; vzctl merges them, sh keeps only the last'],
    ]);
    assert.match(found[0]?.detail ?? '', /It is set on lines 1, 3, 5, 7, 9 and 15 more; reported once for the 19 places it is repeated in\./);
    // The merge fix (20 lines: offered) writes the union into the first line and removes the others.
    const r = fixed(text, found[0]);
    assert.equal(r.safe, true);
    assert.equal(r.text, `IP_ADDRESS="10.0.0.1"\n${'NAMESERVER="192.0.2.1"\n'.repeat(20)}`);
  });

  it('a next-line suppression above the first ignored line silences that line only: the others are still grouped and reported', () => {
    const text = 'HOSTNAME="a"\nONBOOT="yes"\n# vzconf-disable-next-line duplicate-parameter\n' + 'HOSTNAME="a"\nONBOOT="yes"\n'.repeat(10);
    const found = duplicates(text);
    assert.deepEqual(found.map((f) => f.message.split(' ')[0]).sort(), ['HOSTNAME', 'ONBOOT']);
    const host = found.find((f) => f.message.startsWith('HOSTNAME'));
    assert.equal(host?.message, 'HOSTNAME on 9 lines between 6 and 22 is also set on line 1; vzctl uses the first');
    // Its fix keeps the suppressed line (4).
    assert.match(applyEdits(text, host?.fixes?.[0]?.edits ?? []), /# vzconf-disable-next-line duplicate-parameter\nHOSTNAME="a"\n/);
  });
});

/** The hostile-input run's files: PHYSPAGES/SWAPPAGES, then `body`. */
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';

describe('duplicate-parameter: fixes safe for sh too, suppressed lines kept', () => {
  it('the line in effect glued to a backslash-continued line (sh reads no HOSTNAME there): removing the others is for review', () => {
    const text = VSWAP + [1, 2, 3, 4, 5, 6, 7].map((i) => `HOSTNAME="h${i}"\nONBOOT="yes"\n`).join('') + 'X=1\\\nHOSTNAME="final"\n';
    const host = duplicates(text, { target: 'vz7' }).find((f) => f.message.startsWith('HOSTNAME'));
    assert.equal(host?.fixes?.[0]?.title, 'Remove the 7 ignored HOSTNAME lines');
    assert.equal(host?.fixes?.[0]?.safe, false);
    // ONBOOT's lines are plain: its grouped removal stays safe.
    const onboot = duplicates(text, { target: 'vz7' }).find((f) => f.message.startsWith('ONBOOT'));
    assert.equal(onboot?.fixes?.[0]?.safe, true);
  });

  it('a single repeat whose line in effect follows `HOSTNAME=x\\` (sh keeps the first ONBOOT): unsafe', () => {
    const text = VSWAP + 'HOSTNAME="a"\nONBOOT="no"\nHOSTNAME=x\\\nONBOOT="yes"\n';
    const onboot = duplicates(text, { target: 'vz7' }).find((f) => f.message.startsWith('ONBOOT'));
    assert.equal(onboot?.fixes?.[0]?.title, 'Remove the ignored ONBOOT on line 4');
    assert.equal(onboot?.fixes?.[0]?.safe, false);
    // Without the continuation, the same removal is safe.
    const plain = duplicates(VSWAP + 'HOSTNAME="a"\nONBOOT="no"\nHOSTNAME=x\nONBOOT="yes"\n', { target: 'vz7' }).find((f) => f.message.startsWith('ONBOOT'));
    assert.equal(plain?.fixes?.[0]?.safe, true);
  });

  it('a line of the key next to a lone CR (sh reads on past it): unsafe', () => {
    const text = VSWAP + 'ONBOOT="no"\rX=1\nONBOOT="yes"\n';
    const onboot = duplicates(text, { target: 'vz7' }).find((f) => f.message.startsWith('ONBOOT'));
    assert.equal(onboot?.fixes?.[0]?.safe, false);
  });

  it('grouped repeats leave out a suppressed line: not removed, not grouped, the rest reported', async () => {
    const text = VSWAP + [1, 2, 3, 4, 5, 6, 7].map((i) => `${i === 3 ? '# vzconf-disable-next-line duplicate-parameter -- keep h3\n' : ''}HOSTNAME="h${i}"\nONBOOT="yes"\n`).join('');
    const host = duplicates(text, { target: 'vz7' }).filter((f) => f.message.startsWith('HOSTNAME'));
    // h1 h2 h4 h5 h6: five places, a finding each; h3 (line 8) is neither reported nor removed.
    assert.deepEqual(host.map((f) => f.range.start.line + 1), [3, 5, 10, 12, 14]);
    for (const f of host) assert.match(applyEdits(text, f.fixes?.[0]?.edits ?? []), /HOSTNAME="h3"/);
    // With the comments ignored (audits), h3 is grouped and removed like the others.
    const all = duplicates(text, { target: 'vz7', ignoreSuppressions: true }).filter((f) => f.message.startsWith('HOSTNAME'));
    assert.equal(all.length, 1);
    assert.equal(all[0]?.fixes?.[0]?.title, 'Remove the 6 ignored HOSTNAME lines');
    // vzlint --fix-dry-run shows no `-HOSTNAME="h3"`.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vzconf-dupsupp-'));
    try {
      await writeFile(path.join(dir, '102.conf'), text);
      const r = await runCaptured(['--no-config', '--target', 'vz7', '--fix-dry-run', path.join(dir, '102.conf')], dir);
      assert.match(r.out, /-HOSTNAME="h1"/);
      assert.doesNotMatch(r.out, /-HOSTNAME="h3"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a suppression above the first of many union repeats: the others are still reported, no merge removes the suppressed line', () => {
    const text = VSWAP + 'IP_ADDRESS="10.0.0.1"\nONBOOT="yes"\n# vzconf-disable-next-line duplicate-parameter\n' + [2, 3, 4, 5, 6, 7, 8, 9].map((i) => `IP_ADDRESS="10.0.0.${i}"\nONBOOT="yes"\n`).join('');
    const ip = duplicates(text, { target: 'classic' }).filter((f) => f.message.startsWith('IP_ADDRESS'));
    assert.equal(ip.length, 1);
    assert.equal(ip[0]?.range.start.line, 7);
    assert.deepEqual(ip[0]?.fixes ?? [], []);
  });
});
