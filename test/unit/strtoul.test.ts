/**
 * readStrtoul(): the one reading of a number as glibc's strtoul() / strtoull() / strtol() (base 10, LP64)
 * that the value checks share. Expected results are what glibc 2.36's strtoul() returns for the same text
 * (value, errno, endptr).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keptNumber } from '../../server/src/model/effective';
import { isWholeNumber, readStrtoul } from '../../server/src/values/strtoul';

const ULONG_MAX = 18446744073709551615n;

/** The reading as [digits, negative, unsigned, erange, tail], for compact tables. */
function brief(text: string): [string, boolean, bigint, boolean, string] {
  const r = readStrtoul(text);
  return [r.digits, r.negative, r.unsigned, r.erange, r.tail];
}

describe('readStrtoul(): strtoul() as glibc reads base 10', () => {
  it('skips exactly the C isspace() blanks, \\v and \\f included, and no others', () => {
    assert.deepEqual(brief(' \t\n\v\f\r42'), ['42', false, 42n, false, '']);
    assert.deepEqual(brief('\v7'), ['7', false, 7n, false, '']);
    assert.deepEqual(brief('\f7'), ['7', false, 7n, false, '']);
    // A no-break space and U+2003 are not blanks to the C locale: nothing is converted.
    assert.deepEqual(brief('\u00a07'), ['', false, 0n, false, '\u00a07']);
    assert.deepEqual(brief('\u20037'), ['', false, 0n, false, '\u20037']);
    assert.deepEqual(brief('7 '), ['7', false, 7n, false, ' '], 'blanks after the number are the tail');
  });

  it("takes one '+' or '-' sign; a '-' negates modulo 2^64 as C strtoul() does", () => {
    assert.deepEqual(brief('+5'), ['5', false, 5n, false, '']);
    assert.deepEqual(brief('-1'), ['1', true, ULONG_MAX, false, '']);
    assert.deepEqual(brief('-0'), ['0', true, 0n, false, '']);
    assert.deepEqual(brief(' -18446744073709551615'), ['18446744073709551615', true, 1n, false, '']);
    assert.equal(readStrtoul('-5').signed, -5n, 'strtol() keeps the sign');
    assert.deepEqual(brief('+-5'), ['', false, 0n, false, '+-5'], 'two signs: nothing converted');
    assert.deepEqual(brief('- 5'), ['', false, 0n, false, '- 5'], 'no blank between the sign and the digits');
  });

  it('reports ERANGE above 2^64 - 1 (ULONG_MAX returned, whatever the sign)', () => {
    assert.deepEqual(brief('18446744073709551615'), ['18446744073709551615', false, ULONG_MAX, false, '']);
    assert.deepEqual(brief('18446744073709551616'), ['18446744073709551616', false, ULONG_MAX, true, '']);
    assert.deepEqual(brief('-18446744073709551616'), ['18446744073709551616', true, ULONG_MAX, true, '']);
    assert.equal(readStrtoul('18446744073709551616').magnitude, 18446744073709551616n, '20 digits are read exactly');
  });

  it('reads leading zeros exactly and a huge number without converting every digit', () => {
    assert.deepEqual(brief(`${'0'.repeat(100_000)}12`), [`${'0'.repeat(100_000)}12`, false, 12n, false, '']);
    assert.equal(readStrtoul('000').magnitude, 0n);
    const huge = readStrtoul(`9${'9'.repeat(1_000_000)}k`);
    assert.equal(huge.erange, true);
    assert.equal(huge.unsigned, ULONG_MAX);
    assert.ok(huge.magnitude > ULONG_MAX && huge.signed > 9223372036854775807n, 'beyond every 64-bit type');
    assert.equal(huge.tail, 'k');
    assert.ok(readStrtoul(`-${'9'.repeat(30)}`).signed < -9223372036854775808n, 'below LONG_MIN for strtol()');
  });

  it('converts nothing from an empty text, blanks or a lone sign: 0, and endptr is the start', () => {
    for (const text of ['', ' ', '\t', '+', '-', ' -', 'x', 'unlimited']) {
      assert.deepEqual(brief(text), ['', false, 0n, false, text], JSON.stringify(text));
      assert.equal(isWholeNumber(readStrtoul(text)), false, JSON.stringify(text));
    }
  });

  it('leaves the text after the digits as the tail; only digits and nothing after make a whole number', () => {
    assert.deepEqual(brief('10k'), ['10', false, 10n, false, 'k']);
    assert.deepEqual(brief('50%'), ['50', false, 50n, false, '%']);
    assert.deepEqual(brief('1.5'), ['1', false, 1n, false, '.5']);
    assert.deepEqual(brief('0x10'), ['0', false, 0n, false, 'x10'], 'base 10: no hex prefix');
    assert.deepEqual(brief('１２'), ['', false, 0n, false, '１２'], 'fullwidth digits are not digits');
    assert.equal(isWholeNumber(readStrtoul(' \v+12')), true);
    assert.equal(isWholeNumber(readStrtoul('12 ')), false);
    assert.equal(isWholeNumber(readStrtoul('12x')), false);
  });
});

describe('keptNumber(): the int classic parse_int() stored before vzctl 3.0.29, read through readStrtoul', () => {
  it('takes the leading number, 0 without digits, undefined beyond a C int', () => {
    assert.equal(keptNumber(' \v-12abc'), -12);
    assert.equal(keptNumber('+7'), 7);
    assert.equal(keptNumber('x1'), 0);
    assert.equal(keptNumber('+-1'), 0);
    assert.equal(keptNumber(''), 0);
    assert.equal(keptNumber('2147483647'), 2147483647);
    assert.equal(keptNumber('-2147483648'), -2147483648);
    assert.equal(keptNumber('2147483648'), undefined);
    assert.equal(keptNumber('9'.repeat(100000)), undefined);
    assert.equal(keptNumber('\u00a01'), 0, 'a no-break space is not a C blank');
  });
});
