/**
 * Values quoted in messages (rules/text.ts `quote`, `q`, `clipQuotes`): a value with blanks and double quotes
 * of its own reads unambiguously — the trial's `DISKSPACE= "1G:1G"` once said `" "1G" is not a number`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipQuotes, q, quote, shortProblem } from '../../server/src/rules/text';
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
