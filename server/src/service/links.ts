/**
 * Document links: `http://` and `https://` URLs written in comments (whole-line comments and the
 * inline `# …` part of a line), e.g. the wiki and KB links admins leave above a setting. Pure.
 */
import { parseConfig, toEditorRange } from '../parser/parse';
import type { Range } from '../parser/types';

/** An LSP `DocumentLink`. */
export interface DocumentLink {
  range: Range;
  target: string;
}

/** A URL up to whitespace, quotes or angle brackets. */
const URL_RE = /\bhttps?:\/\/[^\s"'<>`]+/g;
/** Punctuation that ends a sentence rather than the URL. */
const PUNCT = '.,;:!?)]}';

/** The run of sentence punctuation at the end of `url` (a backward scan: linear, unlike a `…+$` regex). */
function trailingPunctuation(url: string): string {
  let i = url.length;
  while (i > 0 && PUNCT.includes(url[i - 1] as string)) i -= 1;
  return url.slice(i);
}

/** The URLs in `text`, each with its start column (offset by `from`). */
function urlsIn(text: string, from: number): { url: string; start: number }[] {
  const out: { url: string; start: number }[] = [];
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    // Keep a closing parenthesis that has its opening one inside the URL (Wikipedia-style links).
    let cut = trailingPunctuation(url);
    if (cut !== '') {
      if (cut.startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.slice(0, -cut.length).match(/\)/g)?.length ?? 0)) cut = cut.slice(1);
      url = url.slice(0, url.length - cut.length);
    }
    if (/^https?:\/\/[^/]/.test(url)) out.push({ url, start: from + (m.index ?? 0) });
  }
  return out;
}

/**
 * Links for the URLs in comments: whole comment lines, and the `# …` part after a value (a comment
 * for Virtuozzo 7 and for a human reader, even where classic vzctl reads it into the value). Never
 * throws.
 */
export function computeDocumentLinks(text: string): DocumentLink[] {
  const doc = parseConfig(text, { dialect: 'classic' });
  const out: DocumentLink[] = [];
  for (const l of doc.lines) {
    let part: { text: string; start: number } | undefined;
    if (l.kind === 'comment') part = { text: doc.text[l.line] ?? '', start: 0 };
    else if (l.kind === 'entry' && l.inlineComment) {
      const start = l.inlineComment.range.start.character;
      part = { text: (doc.text[l.line] ?? '').slice(start), start };
    }
    if (!part) continue;
    for (const u of urlsIn(part.text, part.start)) {
      out.push({ range: toEditorRange(doc, { start: { line: l.line, character: u.start }, end: { line: l.line, character: u.start + u.url.length } }), target: u.url });
    }
  }
  return out;
}
