/**
 * Size limits of vzconf (documented in README "Limits and security"). vzctl's own config files have a
 * few KB (a CTID.conf with every parameter set stays under 8 KiB); the limits are far above anything
 * real and keep memory and time bounded for anything else.
 */

/**
 * Largest config file checked, in bytes of UTF-8 (4 MiB). A larger file gets one `file-too-large` finding and
 * nothing else. It is also the most read of any config file on disk, by vzlint (`cli/read.ts`) and by the
 * language server (a node's vz.conf and container configs, `service/nodeFiles.ts`; `vzconf/effectiveConfig`):
 * a node config beyond it is used by neither, whichever reads it.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Largest `.vzconf.yaml` read, in bytes (64 KiB). A project's options take a few hundred bytes (a
 * `knownParameters` list of 3,000 names still fits). Parsing YAML is slow: `vzlint FILE` with a 980 KB
 * `knownParameters` list took 5.13 G instructions (cachegrind), with a 60 KB one 1.73 G, with a one-line one
 * 0.88 G; so a larger file is refused before it is read (0.75 G for that run), with an error as for any other
 * unusable configuration (vzlint: exit 2; editor: a diagnostic on the file).
 */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;

/** Most findings reported per file; the rest are counted in one `too-many-findings` finding. */
export const MAX_FINDINGS_PER_FILE = 10_000;

/**
 * Longest message of a finding, in UTF-16 code units. A longer one (it quotes a huge value) keeps its
 * beginning and its end with `…` between them.
 */
export const MAX_MESSAGE_CHARS = 400;

/**
 * Longest detail (the long explanation: hover, `--explain`, JSON `detail`), in UTF-16 code units, cut like
 * messages. The longest the rules write is under 500; a value problem quotes the value whole in it, and a
 * 1 MB CPUS value made a 1 MB detail (attack).
 */
export const MAX_DETAIL_CHARS = 2_000;

/** Longest title of a quick fix, in UTF-16 code units (cut like messages). */
export const MAX_FIX_TITLE_CHARS = 400;

/**
 * `text` cut to at most `max` characters: its beginning, `…`, and its last quarter, never splitting a
 * surrogate pair. Unchanged when it fits.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const tailLen = Math.floor((max - 1) / 4);
  let headEnd = max - 1 - tailLen;
  let tailStart = text.length - tailLen;
  const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
  const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
  if (headEnd > 0 && isHigh(text.charCodeAt(headEnd - 1))) headEnd -= 1;
  if (tailStart < text.length && isLow(text.charCodeAt(tailStart))) tailStart += 1;
  return `${text.slice(0, headEnd)}…${text.slice(tailStart)}`;
}

/** Length of `text` in UTF-8 bytes, without allocating the encoding. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
