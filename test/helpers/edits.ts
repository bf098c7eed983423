import type { TextEdit } from '../../server/src/rules/types';

/** Offset of an LSP position in `text` (lines end at \n, \r\n or \r). */
export function offsetAt(text: string, line: number, character: number): number {
  let l = 0;
  let i = 0;
  while (l < line && i < text.length) {
    const ch = text[i];
    i += 1;
    if (ch === '\n') l += 1;
    else if (ch === '\r') {
      if (text[i] === '\n') i += 1;
      l += 1;
    }
  }
  return Math.min(i + character, text.length);
}

/** Applies non-overlapping LSP edits to `text`, as an editor would. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const withOffsets = edits.map((e) => ({ start: offsetAt(text, e.range.start.line, e.range.start.character), end: offsetAt(text, e.range.end.line, e.range.end.character), newText: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const e of withOffsets) {
    if (e.end > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}
