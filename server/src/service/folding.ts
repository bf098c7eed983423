/**
 * Folding ranges: blocks of two or more consecutive comment lines (the licence header of vzctl's
 * samples, commented-out sections), runs of two or more parameter lines of the same catalogue group
 * (the UBC block of a sample, the disk quota block…), and multi-line quoted values. Pure; LSP-shaped.
 */
import type { ConfigDocument } from '../parser/types';
import type { CatalogIndex } from '../catalog/load';
import { getCatalog } from '../catalog/load';
import { parseConfig, toEditorPosition } from '../parser/parse';

/** An LSP `FoldingRange` (lines only). */
export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

/**
 * Folding ranges of a parsed document. The classic dialect is enough: both vzctl parsers agree on
 * which lines are comments and which key a line sets.
 */
export function foldingRangesOf(doc: ConfigDocument, catalog: CatalogIndex): FoldingRange[] {
  const out: FoldingRange[] = [];
  const n = doc.lines.length;
  // Comment blocks.
  let i = 0;
  while (i < n) {
    if (doc.lines[i]?.kind === 'comment' && !doc.continuationLines.has(i)) {
      let j = i;
      while (j + 1 < n && doc.lines[j + 1]?.kind === 'comment' && !doc.continuationLines.has(j + 1)) j += 1;
      if (j > i) out.push({ startLine: i, endLine: j, kind: 'comment' });
      i = j + 1;
    } else i += 1;
  }
  // Runs of the same group: an entry line (with its continuation lines) directly followed by another.
  const groupAt = (line: number): { group: string; end: number } | undefined => {
    const l = doc.lines[line];
    if (!l || l.kind !== 'entry' || doc.continuationLines.has(line)) return undefined;
    const def = catalog.parameter(l.name);
    if (!def) return undefined;
    return { group: def.group, end: doc.multilineOf.get(l)?.endLine ?? line };
  };
  i = 0;
  while (i < n) {
    const g = groupAt(i);
    if (!g) { i += 1; continue; }
    let end = g.end;
    let count = 1;
    let next = groupAt(end + 1);
    while (next && next.group === g.group) {
      end = next.end;
      count += 1;
      next = groupAt(end + 1);
    }
    if (count > 1) out.push({ startLine: i, endLine: end, kind: 'region' });
    i = end + 1;
  }
  // Multi-line values (inside a run they nest).
  for (const m of doc.multiline) if (m.endLine > m.startLine) out.push({ startLine: m.startLine, endLine: m.endLine });
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}

/** Folding ranges of `text` (see {@link foldingRangesOf}). Pure; never throws. */
export function computeFoldingRanges(text: string, catalog: CatalogIndex = getCatalog()): FoldingRange[] {
  const doc = parseConfig(text, { dialect: 'classic' });
  const ranges = foldingRangesOf(doc, catalog);
  if (!doc.editorLines) return ranges;
  // A lone CR: vzctl's lines (the model's) span several editor lines.
  return ranges.map((r) => ({
    ...r,
    startLine: toEditorPosition(doc, { line: r.startLine, character: 0 }).line,
    endLine: toEditorPosition(doc, { line: r.endLine, character: (doc.text[r.endLine] ?? '').length }).line,
  }));
}
