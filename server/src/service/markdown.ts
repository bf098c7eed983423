/**
 * Markdown escaping for text that comes from a file, a file name or a setting (hover, completion
 * documentation). Such text can never become a link, an image, HTML, emphasis or the end of a code
 * span: clients render hovers with their own trust settings (VS Code keeps LSP hovers untrusted with
 * HTML off; other clients may not), so the server makes the text inert itself.
 *
 * Control and invisible characters (newlines too) are shown as finding messages and vzlint show them
 * (`rules/text.ts` visible: `\r`, `\t`, `\u001b`, `\u200b` …), so text stays on its line, prints nothing
 * and hides nothing; the backslash of such an escape is then escaped for Markdown like any other.
 */
import { visible } from '../rules/text';

/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Cuts `text` to `max` characters with "…" (counted in UTF-16 units, never splitting a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Plain text for Markdown: every ASCII punctuation character is backslash-escaped (so `[x](command:…)`,
 * `<img …>`, `javascript:`, `*`, `_`, backticks, `www.` and `a@b.c` autolinks all render literally) and
 * control characters are escaped as in messages (`\u001b`).
 *
 * @param text  any text from a file, a file name or a setting
 * @param max   cut to this many characters with "…" first (default: no cut)
 */
export function escapeMarkdown(text: string, max = Infinity): string {
  return visible(clip(text, max)).replace(PUNCTUATION, (c) => `\\${c}`);
}

/**
 * An inline code span holding `text` literally: the fence is one backtick longer than the longest run
 * of backticks inside, padded with a space where the text starts or ends with a backtick or a space
 * (CommonMark strips one space each side), control characters are escaped as in messages. The empty string is
 * shown as `""`.
 *
 * @param text  any text from a file, a file name or a setting
 * @param max   cut to this many characters with "…" first (default 80)
 */
export function codeSpan(text: string, max = 80): string {
  const t = visible(clip(text, max));
  if (t === '') return '`""`';
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A Markdown link target that cannot break out of `(…)` or run anything: only `https:` URLs made of
 * URL characters other than spaces, parentheses, angle brackets, quotes and backticks; anything else
 * is undefined (the caller shows the text without a link).
 */
export function safeLinkTarget(url: string): string | undefined {
  return /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s()<>"'`\\[\]{}]*)?$/.test(url) ? url : undefined;
}

/**
 * Link text written by this project (schemas/: KB titles, docs page titles): only the characters that
 * could end the link text or start HTML or code are escaped, so plain-text clients see it nearly as is.
 */
export function escapeLinkText(text: string): string {
  return visible(text).replace(/[\\[\]<>`]/g, (c) => `\\${c}`);
}

/**
 * `[text](url)`, or the text alone when the URL is not a safe `https:` one. `text` is escaped fully
 * (file or setting text) or, with `catalogue`, as {@link escapeLinkText} (the project's own titles).
 */
export function link(text: string, url: string, catalogue = false): string {
  const shown = catalogue ? escapeLinkText(text) : escapeMarkdown(text);
  const target = safeLinkTarget(url);
  return target ? `[${shown}](${target})` : shown;
}
