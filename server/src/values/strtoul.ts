/**
 * The one reading of "a number as strtoul() / strtoull() / strtol() would" (base 10, glibc, LP64, C locale)
 * that the value checks of values/validate.ts share: vzctl's parse_ul() / parse_int() (classic src/lib/util.c,
 * libvzctl lib/util.c and lib/common.c), parse_cpulimit(), parse_iolimit(), parse_iopslimit() and the DEVICES
 * minor all start with one of these calls. What each caller then does with the result (refuse a tail, wrap,
 * cut to an int, range) stays with the caller.
 */

/** 2^64 - 1 (ULONG_MAX = ULLONG_MAX on 64-bit Linux): beyond it strtoul() / strtoull() report ERANGE. */
const ULONG_MAX = 18446744073709551615n;
/** A number with more significant digits than this is beyond 2^64 - 1 (20 digits) whatever they are. */
const MAX_SIGNIFICANT = 20;
/** Stands for the magnitude of every number beyond MAX_SIGNIFICANT digits (above ULONG_MAX and LONG_MAX). */
const HUGE = 10n ** 20n;

/** What strtoul() and its kin read at the start of a text; see {@link readStrtoul}. */
export interface StrtoulReading {
  /**
   * The decimal digits converted ('0'-'9' only), leading zeros included; '' when there are none: then
   * nothing is converted (even after blanks or a sign), the result is 0 and endptr is the text's start.
   */
  digits: string;
  /** A '-' came before the digits (false when no digit follows it: nothing is converted then). */
  negative: boolean;
  /**
   * The value of the digits, without the sign. Exact up to 20 significant digits; a longer number is given
   * as 10^20, which is as far beyond every 64-bit type (so reading a megabyte of digits stays cheap).
   */
  magnitude: bigint;
  /** The magnitude is above ULONG_MAX: strtoul() / strtoull() return ULONG_MAX and set errno to ERANGE. */
  erange: boolean;
  /**
   * What strtoul() / strtoull() return: the magnitude, negated modulo 2^64 after a '-' (C strtoul() accepts
   * a minus sign: "-1" is 18446744073709551615); ULONG_MAX on ERANGE whatever the sign; 0 without digits.
   */
  unsigned: bigint;
  /**
   * The number as written with its sign (-magnitude after '-'), 0 without digits. strtol() returns it when
   * it is within LONG_MIN..LONG_MAX and reports ERANGE otherwise (the caller compares).
   */
  signed: bigint;
  /** The text after the digits (what endptr points at); all of the text when no digit was read. */
  tail: string;
}

/** True for the blanks C isspace() knows in the C locale: space, \t, \n, \v, \f, \r. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Reads `text` as glibc's strtoul() / strtoull() / strtol() with base 10 do: any leading blanks (isspace():
 * space, \t, \n, \v, \f, \r — nothing else, no Unicode space), one optional '+' or '-', then decimal digits;
 * the rest is the tail. Examples: `" \v-1x"` → digits "1", negative, unsigned 2^64-1, tail "x";
 * `"+"` → no digits, tail "+"; `""` → no digits, tail "". Pure and total (never throws), linear in the
 * length of `text`, no regular expression. Whether the text was a whole number is
 * {@link isWholeNumber}.
 */
export function readStrtoul(text: string): StrtoulReading {
  const len = text.length;
  let i = 0;
  while (i < len && isBlank(text.charCodeAt(i))) i += 1;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i += 1;
  }
  const d0 = i;
  while (i < len && isDigit(text.charCodeAt(i))) i += 1;
  if (i === d0) return { digits: '', negative: false, magnitude: 0n, erange: false, unsigned: 0n, signed: 0n, tail: text };
  let z = d0;
  while (z < i && text.charCodeAt(z) === 48 /* 0 */) z += 1;
  const magnitude = i - z > MAX_SIGNIFICANT ? HUGE : z === i ? 0n : BigInt(text.slice(z, i));
  const erange = magnitude > ULONG_MAX;
  const unsigned = erange ? ULONG_MAX : negative ? BigInt.asUintN(64, -magnitude) : magnitude;
  return { digits: text.slice(d0, i), negative, magnitude, erange, unsigned, signed: negative ? -magnitude : magnitude, tail: text.slice(i) };
}

/**
 * True when strtoul() read digits and stopped at the end of the text: the text is blanks, an optional sign
 * and decimal digits, nothing else (what parse_ul() / parse_int() require; ERANGE is a separate question).
 */
export function isWholeNumber(r: StrtoulReading): boolean {
  return r.digits !== '' && r.tail === '';
}
