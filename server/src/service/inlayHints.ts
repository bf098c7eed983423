/**
 * Inlay hints: the size a UBC or disk-quota number stands for, shown right after it
 * (`PHYSPAGES="0:262144"` → `1 GiB` after the limit, in 4 KiB pages; `DISKSPACE="10485760"` →
 * `10 GiB`, in 1K blocks; `KMEMSIZE` in bytes). Only for parameters whose unit is pages, bytes or
 * kilobytes (schemas/parameters.yaml `unit`); not for `unlimited`, 0, or a number already written
 * with a K/M/G/T/B suffix. Pure; LSP-shaped.
 */
import type { Position, Range } from '../parser/types';
import type { LintContext } from '../rules/types';
import { humanize, isUnlimited, LONG_MAX, PAGE_SIZE } from '../values/numbers';
import { grammarOf } from '../values/validate';
import { analyze, type LintOptions } from './lint';

/** An LSP `InlayHint` with a plain label. */
export interface InlayHint {
  position: Position;
  label: string;
  /** LSP `InlayHintKind.Type` (1). */
  kind?: 1;
  tooltip?: string;
  paddingLeft?: boolean;
}

export interface InlayHintOptions extends LintOptions {
  /** The `vzconf.inlayHints.enabled` setting: `false` turns the hints off. Default on. */
  inlayHints?: boolean;
}

const UNIT_WORDS = { pages: 'pages of 4 KiB', kilobytes: '1K blocks', bytes: 'bytes' } as const;
const FACTOR = { pages: PAGE_SIZE, kilobytes: 1024n, bytes: 1n } as const;

function inRange(line: number, range: Range | undefined): boolean {
  return !range || (line >= range.start.line && line <= range.end.line);
}

/** The hints of an analysed file (see {@link computeInlayHints}). */
export function inlayHintsOf(ctx: LintContext, range?: Range): InlayHint[] {
  const out: InlayHint[] = [];
  for (const [e, check] of ctx.values) {
    if (!inRange(e.line, range) || !check.pair) continue;
    const def = ctx.def(e);
    if (!def || (def.unit !== 'pages' && def.unit !== 'kilobytes' && def.unit !== 'bytes')) continue;
    const g = grammarOf(def, ctx.target.generation);
    if (g !== 'ubc' && g !== 'quota') continue;
    const lineText = ctx.doc.text[e.line] ?? '';
    // Columns of the parts are offsets into the value; they map onto the line only when the value is
    // written literally (no backslash escapes) on one line.
    const start = e.valueRange.start.character;
    if (e.valueRange.start.line !== e.valueRange.end.line || lineText.slice(start, e.valueRange.end.character) !== e.value) continue;
    const unit = def.unit;
    const parts = check.pair.single ? [check.pair.barrier] : [check.pair.barrier, check.pair.limit];
    for (const p of parts) {
      if (p.unlimited || isUnlimited(p.value) || p.value === 0n || p.truncated) continue;
      if (p.suffix && p.suffix !== 'P') continue;
      if (p.value === LONG_MAX) continue;
      const label = humanize(p.value, unit);
      out.push({
        position: { line: e.line, character: start + p.end },
        label,
        kind: 1,
        paddingLeft: true,
        tooltip: `${p.value} ${UNIT_WORDS[unit]} = ${(p.value * FACTOR[unit]).toString()} bytes = ${label}`,
      });
    }
  }
  out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
  return out;
}

/**
 * Inlay hints for the lines of `range` (default: the whole file), or none when
 * `options.inlayHints === false`. Only values vzctl accepts get a hint (they are decoded exactly as
 * vzctl decodes them, suffixes and truncation included).
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function computeInlayHints(text: string, range: Range | undefined, options: InlayHintOptions = {}): InlayHint[] {
  if (options.inlayHints === false) return [];
  return inlayHintsOf(analyze(text, options), range);
}
