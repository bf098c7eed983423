/**
 * Text helpers of messages and fix titles (one import, util/escape.ts, which imports nothing, so that every
 * rule module can use them): limits, clipping of quoted file text.
 */
import { escapedChar } from '../util/escape';

/** Longest message (characters) a finding may have (issue 10: one sentence of about 60–100). */
export const MAX_MESSAGE = 100;

/** Longest quoted piece of file text in a message, "…" included. */
export const MAX_QUOTE = 30;

/** Longest code action (fix) title. */
export const MAX_TITLE = 80;

/**
 * Characters a message shows as `\uXXXX`: C0 and C1 controls, DEL, the line and paragraph separators, and
 * the invisible or look-alike blanks (no-break space, soft hyphen, zero-width characters, bidirectional
 * marks, byte-order mark) — a key `HOSTNAM<U+200B>E` was "Unknown parameter "HOSTNAME" (did you mean
 * HOSTNAME?)" (attack).
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
// eslint-disable-next-line no-control-regex
const INVISIBLE_ALL = /[\u0000-\u001f\u007f-\u00a0\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Control and invisible characters ({@link INVISIBLE}) made visible with {@link escapedChar} (`\r`, `\t`,
 * `\u001b`, `\u200b` …): a message is one line of plain text, and file text quoted in it must not break it,
 * reach a terminal raw or hide a character.
 */
export function visible(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE_ALL, escapedChar);
}

/** Number of code points (characters as a reader counts them) of `text`; no array built. */
export function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n -= 1; i += 1; }
    }
  }
  return n;
}

/** `text` cut to `max` characters with a final "…" when longer (never splits a surrogate pair). */
export function clip(text: string, max: number = MAX_QUOTE): string {
  // UTF-16 length bounds the number of code points: most texts need no counting.
  if (text.length <= max) return text;
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * File text in double quotes for a message, whole: a backslash or double quote inside is escaped (`\"`,
 * `\\`), so that a value with blanks and quotes of its own (` "1G`) reads unambiguously (`" \"1G"`), and
 * control characters are made visible.
 */
export function quote(text: string): string {
  return `"${visible(/["\\]/.test(text) ? text.replace(/["\\]/g, (c) => `\\${c}`) : text)}"`;
}

/**
 * A number, size or pair from a value, for a message, as written: bare when it is only letters, digits,
 * signs, dots and colons (`7`, `-1`, `1G`, `unlimited`, `240:240`), else in double quotes by {@link quote}
 * (` 7` → `" 7"`, a tab → `"\t7"`), so that the blanks strtoul() skipped in front of a number are seen, not
 * read as a double space. Cut to `max` characters ({@link clip}) when given.
 */
export function asWritten(text: string, max?: number): string {
  const shown = max === undefined ? text : clip(text, max);
  return /^[0-9A-Za-z+\-.:]+$/.test(text) ? shown : quote(shown);
}

/** File text quoted for a message ({@link quote}), cut to {@link MAX_QUOTE} characters. */
export function q(text: string): string {
  return quote(clip(text));
}

/** A double-quoted piece of a message, with the escapes {@link quote} writes. */
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/**
 * The text a {@link quote} piece stands for: its escapes undone, those of {@link visible} too (`\u001b` is
 * ESC again, not `u001b`), so that quoting the result again shows the same characters.
 */
function unquote(inner: string): string {
  if (!inner.includes('\\')) return inner;
  return inner.replace(/\\(u[0-9a-f]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e;
  });
}

/**
 * A value problem's text (values/validate.ts) shortened for a message: cut before its first
 * parenthesis, semicolon or ": " clause (the full text goes to the detail), quoted pieces clipped.
 */
export function shortProblem(text: string): string {
  let s = text;
  for (const sep of [' (', '; ', ': ', ', vzctl', ' vzctl ', ' libvzctl ']) {
    const i = s.indexOf(sep);
    if (i > 0) s = s.slice(0, i);
  }
  return clipQuotes(s);
}

/** Every double-quoted piece of `text` clipped to {@link MAX_QUOTE} characters. */
export function clipQuotes(text: string): string {
  return text.replace(QUOTED, (_m, inner: string) => q(unquote(inner)));
}

/** Every double-quoted piece of `text` clipped to `max` characters (escapes kept whole). */
export function clipQuotesTo(text: string, max: number): string {
  return text.replace(QUOTED, (_m, inner: string) => quote(clip(unquote(inner), max)));
}

/**
 * A fix title of at most {@link MAX_TITLE} characters: `main` (whose quoted pieces are clipped) plus
 * ` (extra)` when that still fits; a side effect that matters belongs in `main`.
 */
export function fixTitle(main: string, extra?: string): string {
  const m = visible(clipQuotes(main));
  const withExtra = extra ? `${m} (${extra})` : m;
  return codePoints(withExtra) <= MAX_TITLE ? withExtra : clip(m, MAX_TITLE);
}
