/**
 * Escaping of text that reaches a terminal. File content, file names and settings may hold control
 * characters: ESC starts a terminal escape sequence (move the cursor, erase earlier lines, set the window
 * title), CR returns to the start of the line and overwrites it, BEL rings, and in UTF-8 the C1 controls
 * (U+0080–U+009F, e.g. U+009B, a one-character CSI on some terminals) do the same. Bidirectional
 * overrides (U+202A–U+202E, U+2066–U+2069) reorder what is shown ("Trojan Source").
 *
 * Every human-readable output of vzlint (stylish, messages on stderr, and the formats other modules add)
 * passes what came from a file or a setting through {@link escapeControls}. Machine formats (JSON) keep
 * the true text: their own encoding escapes it.
 */

/**
 * Characters shown escaped: C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F),
 * the line and paragraph separators (U+2028, U+2029), the bidirectional marks, embeddings, overrides and
 * isolates (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), and lone UTF-16 surrogates.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The one escaped form of a character that must not be shown raw, used by finding messages (`rules/text.ts` visible) and by
 * everything vzlint prints ({@link escapeControls}): `\r`, `\n`, `\t`, else `\uHHHH` (four
 * lowercase hex digits of the UTF-16 code unit: ESC is `\u001b`, CSI `\u009b`, a lone surrogate `\ud800`),
 * as JSON and JavaScript write them, so that a byte reads the same in a message, in JSON output and on a
 * terminal.
 */
export function escapedChar(c: string): string {
  if (c === '\r') return '\\r';
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character (see {@link CONTROL}) replaced by a visible escape, in the same form
 * as finding messages write them ({@link escapedChar}): `\t`, `\n`, `\r`, `\uHHHH` for the others
 * (ESC is `\u001b`, CSI `\u009b`, DEL `\u007f`).
 * Printable text, including non-ASCII letters and emoji, is unchanged. Safe to print on one terminal line.
 *
 * @param options.keepNewlines  leave `\n` as a line break (for multi-line text such as a stack trace)
 */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  if (!CONTROL_TEST.test(text)) return text;
  return text.replace(CONTROL, (ch) => (ch === '\n' && options.keepNewlines === true ? ch : escapedChar(ch)));
}

/** Whether `text` holds a character that {@link escapeControls} would escape (for tests and assertions). */
export function hasControls(text: string, options: { allowNewlines?: boolean } = {}): boolean {
  const s = options.allowNewlines === true ? text.replace(/\n/g, '') : text;
  return CONTROL_TEST.test(s);
}
