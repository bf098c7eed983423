/**
 * Document symbols: the outline of a vz.conf / CTID.conf, grouped the way vzctl's sample files group
 * their keys (schemas/parameters.yaml `group`: general, memory, UBC, disk, CPU, I/O, network,
 * netfilter, devices, node, Virtuozzo 7), each parameter line a child whose detail is its value with
 * numbers in human units (`262144` pages → `1 GiB`). Pure; LSP-shaped results.
 */
import type { ParameterDef, Unit } from '../catalog/types';
import { toEditorRange } from '../parser/parse';
import type { Entry, Range } from '../parser/types';
import type { LintContext } from '../rules/types';
import { humanize, isUnlimited, type NumberPart } from '../values/numbers';
import { GROUP_LABELS } from './completion';
import { analyze, type LintOptions } from './lint';

/** LSP `SymbolKind` values used here. */
export const SymbolKind = { Namespace: 3, Property: 7, Key: 20 } as const;

/** An LSP `DocumentSymbol`. */
export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  /** LSP `SymbolTag.Deprecated` (1). */
  tags?: 1[];
  children?: DocumentSymbol[];
}

/** Group of the lines whose key the catalogue does not know. */
export const OTHER_GROUP = 'Other (not in the catalogue)';
/** Longest detail shown; longer values are cut with an ellipsis. */
const MAX_DETAIL = 80;
/** Units whose numbers get a human rendering (sizes). */
const SIZE_UNITS: readonly Unit[] = ['pages', 'bytes', 'kilobytes'];

function humanPart(p: NumberPart, unit: Unit | undefined): string {
  if (p.unlimited || isUnlimited(p.value)) return 'unlimited';
  return humanize(p.value, unit);
}

/**
 * The value of an entry as the outline shows it: the text vzctl reads, and for UBC / quota sizes in
 * pages, bytes or 1K blocks the human sizes (`0:262144` → `0:262144 (0 B : 1 GiB)`).
 */
export function valueDetail(ctx: LintContext, e: Entry, def: ParameterDef | undefined): string {
  let text = e.value.length > MAX_DETAIL ? `${e.value.slice(0, MAX_DETAIL - 1)}…` : e.value;
  if (text === '') text = '""';
  const pair = ctx.values.get(e)?.pair;
  if (def && pair && def.unit && SIZE_UNITS.includes(def.unit)) {
    const human = pair.single ? humanPart(pair.barrier, def.unit) : `${humanPart(pair.barrier, def.unit)} : ${humanPart(pair.limit, def.unit)}`;
    if (human !== e.value) text += ` (${human})`;
  } else if (def && def.unit === 'bytes-per-second' && /^\d+$/.test(e.value)) {
    text += ` (${humanize(BigInt(e.value), def.unit)})`;
  }
  return text;
}

function lineRange(ctx: LintContext, e: Entry): Range {
  const m = ctx.doc.multilineOf.get(e);
  const endLine = m ? m.endLine : e.line;
  return { start: { line: e.line, character: 0 }, end: { line: endLine, character: (ctx.doc.text[endLine] ?? '').length } };
}

/**
 * The outline of the file: one symbol per group (in the order the groups first appear), the
 * parameter lines as its children in file order. Lines inside a multi-line value are not entries of
 * their own; a key the catalogue does not know goes to {@link OTHER_GROUP}. A group's range runs from
 * its first to its last line, so groups whose lines interleave overlap.
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function computeDocumentSymbols(text: string, options: LintOptions = {}): DocumentSymbol[] {
  const ctx = analyze(text, options);
  const symbols = symbolsOf(ctx);
  if (!ctx.doc.editorLines) return symbols;
  // A lone CR: the model's lines are vzctl's; ranges go to the editor in its own line numbering.
  const map = (s: DocumentSymbol): DocumentSymbol => ({ ...s, range: toEditorRange(ctx.doc, s.range), selectionRange: toEditorRange(ctx.doc, s.selectionRange), ...(s.children ? { children: s.children.map(map) } : {}) });
  return symbols.map(map);
}

function symbolsOf(ctx: LintContext): DocumentSymbol[] {
  const groups = new Map<string, DocumentSymbol[]>();
  for (const e of ctx.doc.entries) {
    if (ctx.doc.continuationLines.has(e.line)) continue;
    const def = ctx.catalog.parameter(e.name);
    const group = def ? GROUP_LABELS[def.group] : OTHER_GROUP;
    const name = e.name === '' ? '(empty key)' : e.name;
    const child: DocumentSymbol = {
      name,
      detail: valueDetail(ctx, e, def),
      kind: SymbolKind.Property,
      range: lineRange(ctx, e),
      selectionRange: e.keyRange.end.character > e.keyRange.start.character ? e.keyRange : { start: e.keyRange.start, end: { line: e.line, character: e.equals + 1 } },
    };
    if (def && ctx.status(def).some((s) => s.kind === 'deprecated' || s.kind === 'removed')) child.tags = [1];
    const list = groups.get(group) ?? [];
    list.push(child);
    groups.set(group, list);
  }
  const out: DocumentSymbol[] = [];
  for (const [name, children] of groups) {
    const first = children[0] as DocumentSymbol;
    const last = children[children.length - 1] as DocumentSymbol;
    out.push({
      name,
      detail: `${children.length} parameter${children.length === 1 ? '' : 's'}`,
      kind: SymbolKind.Namespace,
      range: { start: first.range.start, end: last.range.end },
      selectionRange: first.selectionRange,
      children,
    });
  }
  return out;
}
