/**
 * The part of C `sscanf()` (as glibc implements it) that vzctl's value parsers use, so that a value is
 * refused exactly when vzctl's `sscanf()` call would not fill the fields it asks for:
 * - `%x` (PCI, classic parse_pci() in src/lib/config.c @ vzctl-3.0.25..4.11.1, libvzctl
 *   parse_pcidev_str() in lib/dev.c @ v7.0.42..v8.0.90), `%d`, `%u` / `%lu` (MEMINFO parse_meminfo()),
 *   `%c`, `%Ns` and `%N[^…]` (DEVICES parse_devices_str());
 * - any other format character is a literal that must match the next input character exactly.
 *
 * What glibc tolerates and vzctl therefore accepts: blanks (space, tab, newline, \v, \f, \r) before a
 * number or a `%s` word, a `+` or `-` sign, a `0x` prefix for `%x` (glibc reads a bare `0x` as 0), any
 * number of digits (a number too large is clamped or wrapped, never refused) and anything after the last
 * field (sscanf stops there and the caller only counts the fields).
 */

/** One converted field: a number (as read, before any C type conversion) or the text of `%c`/`%s`/`%[`. */
export type ScanField = { kind: 'number'; value: bigint; text: string } | { kind: 'text'; value: string };

const SPACE = ' \t\n\v\f\r';

/** Significant digits read exactly (40 is far beyond the 64-bit range in any base scan() reads). */
const MAX_DIGITS = 40;

/**
 * Runs `format` over `input` as glibc's sscanf() does and returns the fields it converted, in order
 * (their count is what sscanf() returns, with end of input before the first field counted as 0, not EOF).
 * Supported directives: `%d`, `%u`, `%lu`, `%x`, `%c`, `%Ns`, `%N[^chars]` (N optional). Pure; never throws
 * on any input; throws only for a format outside that subset (a programming error).
 */
export function scan(input: string, format: string): ScanField[] {
  const out: ScanField[] = [];
  let i = 0;
  let f = 0;
  while (f < format.length) {
    const fc = format[f] as string;
    if (fc !== '%') {
      if (input[i] !== fc) return out;
      i += 1;
      f += 1;
      continue;
    }
    f += 1;
    let width = 0;
    while (f < format.length && /\d/.test(format[f] as string)) width = width * 10 + Number(format[f++]);
    if (format[f] === 'l') f += 1;
    const conv = format[f] as string;
    f += 1;
    if (conv === 'c') {
      if (i >= input.length) return out;
      out.push({ kind: 'text', value: input[i] as string });
      i += 1;
    } else if (conv === '[') {
      if (format[f] !== '^') throw new Error(`scan: unsupported format ${format}`);
      const close = format.indexOf(']', f + 2);
      const excluded = format.slice(f + 1, close);
      f = close + 1;
      const s = i;
      while (i < input.length && !excluded.includes(input[i] as string) && (width === 0 || i - s < width)) i += 1;
      if (i === s) return out;
      out.push({ kind: 'text', value: input.slice(s, i) });
    } else if (conv === 's') {
      while (i < input.length && SPACE.includes(input[i] as string)) i += 1;
      const s = i;
      while (i < input.length && !SPACE.includes(input[i] as string) && (width === 0 || i - s < width)) i += 1;
      if (i === s) return out;
      out.push({ kind: 'text', value: input.slice(s, i) });
    } else if (conv === 'd' || conv === 'u' || conv === 'x') {
      while (i < input.length && SPACE.includes(input[i] as string)) i += 1;
      const s = i;
      let neg = false;
      if (input[i] === '+' || input[i] === '-') {
        neg = input[i] === '-';
        i += 1;
      }
      const hex = conv === 'x';
      let prefixed = false;
      if (hex && input[i] === '0' && (input[i + 1] === 'x' || input[i + 1] === 'X')) {
        // glibc takes the prefix; with no hex digit after it the number is the 0 already read.
        i += 2;
        prefixed = true;
      }
      const isDigit = hex ? (c: string) => /[0-9A-Fa-f]/.test(c) : (c: string) => c >= '0' && c <= '9';
      const d0 = i;
      while (i < input.length && isDigit(input[i] as string)) i += 1;
      if (i === d0 && !prefixed) return out;
      // Leading zeros dropped; more than MAX_DIGITS significant digits is beyond every C type vzctl stores
      // into (asCInt, asCULong clamp it), so it is read as 16^40 or 10^40 (a 4 MiB number made BigInt()
      // take seconds).
      let z = d0;
      while (z < i && input[z] === '0') z += 1;
      const sig = input.slice(z, i);
      const magnitude = sig.length > MAX_DIGITS ? (hex ? 16n : 10n) ** BigInt(MAX_DIGITS) : sig === '' ? 0n : BigInt(hex ? `0x${sig}` : sig);
      out.push({ kind: 'number', value: neg ? -magnitude : magnitude, text: input.slice(s, i) });
    } else {
      throw new Error(`scan: unsupported format ${format}`);
    }
  }
  return out;
}

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/**
 * The `int` that glibc's `%d` stores for a number it read: strtol() clamps to the 64-bit long range and the
 * result is cut to 32 bits (two's complement), as `(int)` does on x86_64.
 */
export function asCInt(n: bigint): number {
  const long = n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n;
  return Number(BigInt.asIntN(32, long));
}

/** The `unsigned long` that glibc's `%lu` stores: strtoul() wraps a negative number and clamps at ULONG_MAX. */
export function asCULong(n: bigint): bigint {
  const max = 18446744073709551615n;
  if (n < 0n) return -n > max ? max : BigInt.asUintN(64, n);
  return n > max ? max : n;
}
