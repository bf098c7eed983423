import { quote } from '../rules/text';
import type { Generation, Unit } from '../catalog/types';

/** LONG_MAX on 64-bit Linux: what vzctl stores for `unlimited`. */
export const LONG_MAX = 9223372036854775807n;
/** INT_MAX: the 32-bit "unlimited" older tools wrote; vzctl's `is_vswap_config` treats it as unlimited too. */
export const INT_MAX = 2147483647n;
/** 2^64 - 1: beyond it strtoull() reports ERANGE. */
export const ULLONG_MAX = 18446744073709551615n;
/** x86 page size in bytes: the unit of `pages` parameters and of the `P` suffix. */
export const PAGE_SIZE = 4096n;

/** One number of a UBC pair or quota pair, in the parameter's native unit. */
export interface NumberPart {
  /** Value in the parameter's unit (pages, bytes, 1K blocks, items…); LONG_MAX for `unlimited`. */
  value: bigint;
  /** Written as the word `unlimited`. */
  unlimited: boolean;
  /** The text of this part as written. */
  text: string;
  /** Offsets of the part within the value string. */
  start: number;
  end: number;
  /** The size suffix used, upper-cased (K, M, G, T, P, B), if any. */
  suffix?: string;
  /** The number exceeded LONG_MAX and vzctl clamps it ("too large value … truncated"). */
  truncated?: boolean;
  /** Written as nothing at all (`""`, or the part after `240:`): vzctl reads 0. */
  empty?: boolean;
}

export type NumberResult = { ok: true; part: NumberPart } | { ok: false; message: string };

/**
 * How many bytes one unit of the parameter is, for converting suffixed input: pages 4096,
 * bytes 1, kilobytes 1024, inodes 1; `items` takes no suffix at all (vzctl's `get_mul`
 * divisor 0, `src/lib/config.c`).
 */
export function unitBytes(unit: Unit | undefined): bigint | null {
  switch (unit) {
    case 'pages': return PAGE_SIZE;
    case 'kilobytes': return 1024n;
    case 'bytes':
    case 'bytes-per-second':
    case 'inodes': return 1n;
    default: return null;
  }
}

/** vzctl's size suffixes (`get_mul`, case-insensitive) in bytes: K, M, G, T are powers of 1024, P one page, B one byte. */
export const SIZE_SUFFIX: Readonly<Record<string, bigint>> = { K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n, T: 1024n ** 4n, P: PAGE_SIZE, B: 1n };

/** What the target's number reader accepts in a UBC or quota part (see `readerOf`). */
export interface NumberReader {
  /** The word `unlimited` (classic UBC since 3.0.19, quota 3.0.19–4.3; libvzctl always). */
  unlimited: boolean;
  /** A size suffix (classic UBC since 2.7.0-28, quota since 3.0.9; libvzctl always, no `P`). */
  suffix: boolean;
  /** A decimal fraction before the suffix (classic since 3.0.28; libvzctl always). */
  fraction: boolean;
  /** Why `unlimited` is refused, when `unlimited` is false: the problem's text (default: not accepted here). */
  unlimitedRefused?: string;
}

/**
 * Parses one number as vzctl's UBC / quota parser does (classic `parse_ul_sfx`/`parse_twoul_sfx` in
 * src/lib/config.c, libvzctl `parse_ul_sfx` in lib/util.c): `unlimited` only as the very first
 * characters; otherwise strtoull() — leading blanks skipped, an optional `+` (or `-`, which wraps
 * around), decimal digits — with an optional fraction and one size suffix (K M G T P B,
 * case-insensitive; libvzctl has no P). An empty part reads as 0 (strtoull converts nothing and
 * stops at the end); blanks or a sign without digits are rejected. A suffixed value is converted to
 * the parameter's unit and truncated; values above LONG_MAX are clamped.
 *
 * @param text    the part as written
 * @param offset  its offset in the whole value (carried into the result)
 * @param unit    the parameter's unit; `items` (or no unit) rejects suffixes
 * @param reader  what the target's reader accepts (default: everything, as libvzctl and vzctl 4.x)
 */
export function parseSizedNumber(text: string, offset: number, unit: Unit | undefined, generation: Generation, allowUnlimited = true, reader: NumberReader = { unlimited: true, suffix: true, fraction: true }): NumberResult {
  const part = (value: bigint, extra: Partial<NumberPart> = {}): NumberPart => ({ value, unlimited: false, text, start: offset, end: offset + text.length, ...extra });
  if (text.startsWith('unlimited')) {
    if (text !== 'unlimited') return { ok: false, message: `${quote(text)} is not a number` };
    if (!allowUnlimited) return { ok: false, message: '"unlimited" is not accepted here' };
    if (!reader.unlimited) return { ok: false, message: reader.unlimitedRefused ?? '"unlimited" is not accepted here' };
    return { ok: true, part: part(LONG_MAX, { unlimited: true }) };
  }
  if (text === '') return { ok: true, part: part(0n, { empty: true }) };
  const sfxList = `K/M/G/T${generation === 'classic' ? '/P' : ''}`;
  const what = `digits${reader.suffix ? ` with an optional ${sfxList} suffix` : ''}${allowUnlimited && reader.unlimited ? ', or "unlimited"' : ''}`;
  // strtoull(): leading blanks (isspace), then one optional sign, then the digits.
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)(?:\.(\d*))?([A-Za-z])?$/.exec(text);
  if (!m || (m[2] === '' && m[3] === undefined) || (m[2] === '' && m[3] === '')) {
    return { ok: false, message: `${quote(text)} is not a number (${what})` };
  }
  const [, sign, intDigits, frac, sfxRaw] = m;
  if (frac !== undefined && !reader.fraction) return { ok: false, message: `${quote(text)} has a fraction (this vzctl reads only ${what})` };
  if (sfxRaw && !reader.suffix) return { ok: false, message: `${quote(text)} has a size suffix (this vzctl reads only ${what})` };
  const intPart = intDigits === '' ? '0' : (intDigits as string);
  if (sign === '-') return { ok: true, part: part(LONG_MAX, { truncated: true }) };
  // Beyond 2^64 - 1, strtoull() fails with ERANGE and vzctl rejects the value.
  if (BigInt(intPart) > ULLONG_MAX) return { ok: false, message: `${quote(text)} is beyond the largest 64-bit number` };
  let value: bigint;
  let suffix: string | undefined;
  if (sfxRaw) {
    suffix = sfxRaw.toUpperCase();
    const mul = SIZE_SUFFIX[suffix];
    if (mul === undefined || (suffix === 'P' && generation === 'vz7')) {
      return { ok: false, message: `unknown size suffix ${quote(sfxRaw)} (use K, M, G, T${generation === 'classic' ? ', P (pages)' : ''} or B)` };
    }
    const divisor = unitBytes(unit);
    if (divisor === null) return { ok: false, message: `a size suffix (${quote(sfxRaw)}) is not accepted for a count of items` };
    // value = (int.frac) * mul / divisor, truncated, computed exactly.
    const f = frac ?? '';
    const scale = 10n ** BigInt(f.length);
    value = (BigInt(intPart + f) * mul) / (scale * divisor);
  } else {
    value = BigInt(intPart);
  }
  const out = part(value);
  if (suffix) out.suffix = suffix;
  if (value > LONG_MAX) {
    out.value = LONG_MAX;
    out.truncated = true;
  }
  return { ok: true, part: out };
}

/** True for the values vzctl treats as "no limit": LONG_MAX and the 32-bit INT_MAX. */
export function isUnlimited(v: bigint): boolean {
  return v === LONG_MAX || v === INT_MAX;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Formats a byte count with binary units: 1073741824 → "1 GiB", 1610612736 → "1.5 GiB". */
export function formatBytes(bytes: bigint): string {
  let i = 0;
  let whole = bytes;
  let rem = 0n;
  while (whole >= 1024n && i < BINARY_UNITS.length - 1) {
    rem = whole % 1024n;
    whole /= 1024n;
    i += 1;
  }
  const frac = i > 0 ? Number(rem) / 1024 : 0;
  const shown = frac === 0 ? `${whole}` : (Number(whole) + frac).toFixed(2).replace(/\.?0+$/, '');
  return `${shown} ${BINARY_UNITS[i]}`;
}

/**
 * `unlimited − 40 KiB` for a number just below LONG_MAX (within 2^40 of the parameter's unit), else
 * undefined: unlimited in all but name. vzcfgvalidate's sums wrap there when an input is unlimited
 * (KMEMSIZE needs 40 KiB × avnumproc + the DCACHESIZE limit, `& LONG_MAX`: with NUMPROC and DCACHESIZE
 * unlimited that is LONG_MAX − 40 KiB, 9223372036854734847 bytes; vzctl src/validate.c).
 */
export function belowUnlimited(value: bigint, unit: Unit | undefined): string | undefined {
  if (value >= LONG_MAX || LONG_MAX - value > 1n << 40n) return undefined;
  const d = LONG_MAX - value;
  const less = unit === 'bytes' ? formatBytes(d) : unit === 'pages' ? `${d} page${d === 1n ? '' : 's'}` : unit === 'kilobytes' ? formatBytes(d * 1024n) : d.toString();
  return `unlimited − ${less}`;
}

/**
 * A stored number made human: pages and 1K blocks to bytes (binary units), `unlimited` for
 * LONG_MAX / INT_MAX, plain counts for items.
 */
export function humanize(value: bigint, unit: Unit | undefined): string {
  if (value === LONG_MAX) return 'unlimited';
  if (value === INT_MAX) return 'unlimited (2147483647, the 32-bit maximum)';
  const near = belowUnlimited(value, unit);
  if (near !== undefined) return near;
  switch (unit) {
    case 'pages': return formatBytes(value * PAGE_SIZE);
    case 'kilobytes': return formatBytes(value * 1024n);
    case 'bytes': return formatBytes(value);
    case 'bytes-per-second': return `${formatBytes(value)}/s`;
    case 'seconds': return `${value} s`;
    case 'percent': return `${value} %`;
    default: return value.toString();
  }
}

/** 2^28 pages = 1 TiB: from here on, a pages value is more likely a byte count (≥ 256 MiB). */
export const BYTES_LIKE_MIN = 1n << 28n;
/** 2^44: above this even a byte count (16 TiB) is no plausible container size; such numbers are "very large" sentinels. */
export const BYTES_LIKE_MAX = 1n << 44n;

/**
 * Whether one number of a pages parameter looks like a byte count: written without a suffix, not
 * `unlimited`, not clamped, in [2^28, 2^44] (1 TiB … 64 PiB when read as pages, 256 MiB … 16 TiB when
 * read as bytes), and not a sentinel "maximum": INT_MAX, LONG_MAX, an all-ones binary number
 * (2^k − 1, e.g. 4294967295) or an all-nines decimal one (999999999).
 */
export function looksLikeBytes(p: NumberPart): boolean {
  if (p.unlimited || p.suffix !== undefined || p.truncated) return false;
  const v = p.value;
  if (v === INT_MAX || v === LONG_MAX) return false;
  if (v < BYTES_LIKE_MIN || v > BYTES_LIKE_MAX) return false;
  if ((v & (v + 1n)) === 0n) return false;
  if (/^9+$/.test(v.toString())) return false;
  return true;
}
