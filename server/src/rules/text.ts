/**
 * Text helpers of messages and fix titles (no imports, so that every rule module can use them):
 * limits, clipping of quoted file text.
 */

/** Longest message (characters) a finding may have (issue 10: one sentence of about 60–100). */
export const MAX_MESSAGE = 100;

/** Longest quoted piece of file text in a message, "…" included. */
export const MAX_QUOTE = 30;

/** Longest code action (fix) title. */
export const MAX_TITLE = 80;

/**
 * Control characters made visible (`\r`, `\t`, `\u001b` …): a message is one line of plain text, and
 * file text quoted in it must not break it or reach a terminal raw.
 */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => {
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `text` cut to `max` characters with a final "…" when longer (never splits a surrogate pair). */
export function clip(text: string, max: number = MAX_QUOTE): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** File text quoted for a message: `"…"` around the text cut to {@link MAX_QUOTE} characters. */
export function q(text: string): string {
  return `"${clip(text)}"`;
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
  return text.replace(/"([^"]*)"/g, (_m, inner: string) => q(inner));
}

/**
 * A fix title of at most {@link MAX_TITLE} characters: `main` (whose quoted pieces are clipped) plus
 * ` (extra)` when that still fits; a side effect that matters belongs in `main`.
 */
export function fixTitle(main: string, extra?: string): string {
  const m = visible(clipQuotes(main));
  const withExtra = extra ? `${m} (${extra})` : m;
  return [...withExtra].length <= MAX_TITLE ? withExtra : clip(m, MAX_TITLE);
}
