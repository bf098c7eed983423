/**
 * Values quoted in messages (rules/text.ts `quote`, `q`, `clipQuotes`): a value with blanks and double quotes
 * of its own reads unambiguously — the trial's `DISKSPACE= "1G:1G"` once said `" "1G" is not a number`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asWritten, clipQuotes, q, quote, shortProblem } from '../../server/src/rules/text';
import { lint } from '../../server/src/service/lint';

describe('quoting file text in messages', () => {
  it('escapes double quotes and backslashes, keeps blanks visible inside the quotes', () => {
    assert.equal(quote(' "1G'), '" \\"1G"');
    assert.equal(quote('a\\b'), '"a\\\\b"');
    assert.equal(quote('plain'), '"plain"');
    assert.equal(quote('a\tb'), '"a\\tb"');
  });

  it('clipping keeps escapes whole and never splits a quoted piece', () => {
    const long = `"${'x'.repeat(40)}`;
    assert.equal(q(long), `"\\"${'x'.repeat(28)}…"`);
    assert.equal(clipQuotes(`${quote(' "1G')} is not a number`), '" \\"1G" is not a number');
    assert.equal(shortProblem(`${quote(' "1G')} is not a number (a count)`), '" \\"1G" is not a number');
  });

  it('DISKSPACE= "1G:1G": the value vzctl reads, quotes and blank included, quoted unambiguously', () => {
    const f = lint('PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nDISKSPACE= "1G:1G"\n', { path: '/etc/vz/conf/101.conf' }).findings.find((x) => x.rule === 'invalid-value');
    assert.ok(f);
    assert.match(f.message, /^DISKSPACE: " \\"1G" is not a number/);
    assert.doesNotMatch(f.message, /" "1G"/);
  });

  it('a number read past blanks is shown as written, quoted: CPUUNITS=" 7" says " 7", not a double space', () => {
    assert.equal(asWritten('7'), '7');
    assert.equal(asWritten('-1'), '-1');
    assert.equal(asWritten('240:240'), '240:240');
    assert.equal(asWritten(' 7'), '" 7"');
    assert.equal(asWritten('\t-5'), '"\\t-5"');
    assert.equal(asWritten(` ${'9'.repeat(40)}`, 10), `" ${'9'.repeat(8)}…"`);
    const VSWAP = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:262144"\n';
    const messages = (line: string, target: string): string[] => lint(`${VSWAP}${line}\n`, { path: '/etc/vz/conf/101.conf', target }).findings
      .filter((f) => f.range.start.line === 2).map((f) => f.message);
    // strtoul() skips the blank and reads 7 (classic parse_ul(), src/lib/util.c; libvzctl lib/common.c).
    assert.deepEqual(messages('CPUUNITS=" 7"', 'classic@4.11.1'), ['CPUUNITS: " 7" is outside 8..500000; vzctl warns and skips the line']);
    assert.deepEqual(messages('CPUUNITS=" 7"', 'vz7'), ['CPUUNITS: " 7" is outside 8..500000; libvzctl rejects it with an error']);
    assert.deepEqual(messages('CPUUNITS="7"', 'classic@4.11.1'), ['CPUUNITS: 7 is outside 8..500000; vzctl warns and skips the line']);
    assert.deepEqual(messages('CPUS="\t-2"', 'classic@4.11.1'), ['CPUS: "\\t-2" is negative; vzctl warns and skips the line']);
    assert.match(messages('CPUUNITS=" -5"', 'classic@3.0.28')[0] ?? '', /^CPUUNITS: " -5" is read as 18446744073709551611, outside 8\.\.500000/);
    assert.deepEqual(messages('KMEMSIZE=" 10:5"', 'classic@4.11.1'), ['KMEMSIZE: barrier " 10" is above the limit 5']);
    assert.deepEqual(messages('NUMPROC="240:"', 'classic@4.11.1').filter((m) => m.includes('above')), ['NUMPROC: barrier 240 is above the limit 0 (empty)']);
    assert.deepEqual(messages('SHMPAGES=" 2147483648:2147483648"', 'classic@4.11.1'), ['SHMPAGES: " 2147483648:2147483648" is 8 TiB / 8 TiB in 4 KiB pages; bytes meant?']);
    for (const m of messages('CPUUNITS=" 7"', 'classic@4.11.1')) assert.doesNotMatch(m, / {2}/);
  });

  it('a control character stays escaped through clipping: NAME with ESC says "\\u001b", not "u001b" (attack)', () => {
    assert.equal(clipQuotes(`${quote('a\u001bb\r\\u0041')} x`), '"a\\u001bb\\r\\\\u0041" x');
    const f = lint('PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nNAME="a\u001bb"\n', { path: '/etc/vz/conf/101.conf' }).findings.find((x) => x.rule === 'invalid-value');
    assert.ok(f);
    assert.match(f.message, /^NAME: character "\\u001b" is not allowed/);
    assert.ok(!f.message.includes('\u001b'), f.message);
  });

  it('invisible characters in a key are shown: HOSTNAM<U+200B>E is not "HOSTNAME" in the message (attack)', () => {
    assert.equal(quote('a\u200bb\u00a0c\ufeffd\u202ee'), '"a\\u200bb\\u00a0c\\ufeffd\\u202ee"');
    const said = lint('PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nHOSTNAM\u200bE="a"\nHOSTNAME\u00a0="b"\n', { path: '/etc/vz/conf/101.conf' })
      .findings.filter((x) => x.rule === 'unknown-parameter').map((x) => x.message);
    assert.deepEqual(said, [
      'Unknown parameter "HOSTNAM\\u200bE" (did you mean HOSTNAME?); vzctl ignores the line',
      'Unknown parameter "HOSTNAME\\u00a0" (did you mean HOSTNAME?); vzctl ignores the line',
    ]);
  });
});
