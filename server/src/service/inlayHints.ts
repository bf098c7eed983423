/**
 * Inlay hints: the sizes a UBC or disk-quota value stands for, shown after the value's closing quote
 * (`PHYSPAGES="0:262144"` → `= 0 / 1 GiB`, in 4 KiB pages; `DISKSPACE="10485760"` → `= 10 GiB`, in 1K
 * blocks; `KMEMSIZE` in bytes). Only for parameters whose unit is pages, bytes or kilobytes
 * (schemas/parameters.yaml `unit`); none when every number already says what it is (`unlimited`, 0, or
 * written with a K/M/G/T/B suffix). Pure; LSP-shaped.
 */
import { fromEditorPosition, toEditorPosition } from '../parser/parse';
import type { Position, Range } from '../parser/types';
import type { LintContext } from '../rules/types';
import { humanize, isUnlimited, LONG_MAX, PAGE_SIZE, type NumberPart } from '../values/numbers';
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

/** A part that already says what it is: `unlimited`, 0, or written with a K/M/G/T/B suffix. */
function selfExplaining(p: NumberPart): boolean {
  return p.unlimited || p.value === 0n || (p.suffix !== undefined && p.suffix !== 'P');
}

/** A part in human units: `1 GiB`, `unlimited`, `0`. */
function human(p: NumberPart, unit: keyof typeof FACTOR): string {
  if (p.unlimited || p.value === LONG_MAX || isUnlimited(p.value)) return 'unlimited';
  if (p.value === 0n) return '0';
  return humanize(p.value, unit);
}

/**
 * The hints of an analysed file (see {@link computeInlayHints}): one per UBC or quota line, placed after
 * the value's closing quote and starting with `=`, so it never reads as part of the value:
 * `PHYSPAGES="0:262144"` → `= 0 / 1 GiB`, `DISKSPACE="10485760"` → `= 10 GiB`.
 */
export function inlayHintsOf(ctx: LintContext, range?: Range): InlayHint[] {
  const out: InlayHint[] = [];
  for (const [e, check] of ctx.values) {
    if (!inRange(e.line, range) || !check.pair) continue;
    const def = ctx.def(e);
    if (!def || (def.unit !== 'pages' && def.unit !== 'kilobytes' && def.unit !== 'bytes')) continue;
    const g = grammarOf(def, ctx.target.generation);
    if (g !== 'ubc' && g !== 'quota') continue;
    const unit = def.unit;
    const parts = check.pair.single ? [check.pair.barrier] : [check.pair.barrier, check.pair.limit];
    // Nothing to add when every number says what it is (or vzctl clamps one: the lint says so).
    if (parts.every(selfExplaining) || parts.some((p) => p.truncated)) continue;
    const label = `= ${parts.map((p) => human(p, unit)).join(' / ')}`;
    const tooltip = parts
      .filter((p) => !selfExplaining(p) && !isUnlimited(p.value))
      .map((p) => `${p.text}: ${p.value} ${UNIT_WORDS[unit]}${unit === 'bytes' ? '' : ` = ${(p.value * FACTOR[unit]).toString()} bytes`} = ${humanize(p.value, unit)}`)
      .join('\n');
    out.push({ position: { ...e.rawValueRange.end }, label, kind: 1, paddingLeft: true, tooltip });
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
  const ctx = analyze(text, options);
  if (!ctx.doc.editorLines) return inlayHintsOf(ctx, range);
  // A lone CR: the requested range comes in, the hints' positions go out in the editor's line numbering.
  const inner = range ? { start: fromEditorPosition(ctx.doc, range.start), end: fromEditorPosition(ctx.doc, range.end) } : undefined;
  return inlayHintsOf(ctx, inner).map((h) => ({ ...h, position: toEditorPosition(ctx.doc, h.position) }));
}
