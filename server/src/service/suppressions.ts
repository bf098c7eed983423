/**
 * Applies suppression comments (`# vzconf-disable-next-line …`, `# vzconf-disable …`; see
 * `server/src/rules/suppressions.ts` for the syntax) to findings. `lint()` runs every per-file finding
 * through a {@link SuppressionTracker} and `lintNode()` every node-level finding through
 * {@link isSuppressed}, so the editor and vzlint agree.
 *
 * A finding is silenced when its rule is named by a `vzconf-disable` comment anywhere in the file (between
 * that comment and a later `vzconf-enable` of the rule, when there is one), or by a
 * `vzconf-disable-next-line` comment whose target line is the line the finding starts on. With
 * `ignoreSuppressions` (setting `vzconf.ignoreSuppressions`, `vzlint --ignore-suppressions`) nothing is
 * silenced.
 */
import type { ConfigDocument } from '../parser/types';
import { parseSuppressions, type SuppressionDirective, type SuppressionName } from '../rules/suppressions';
import type { LintContext } from '../rules/types';
import { ObjectCache } from '../util/objectCache';

/**
 * What a file's suppression comments silence: rule ids for the whole file, per (model) line, and per rule the
 * blocks of lines (`[disable line, enable line]`, inclusive) a `vzconf-disable` … `vzconf-enable` pair covers.
 */
export interface SuppressionSets {
  fileWide: Set<string>;
  byLine: Map<number, Set<string>>;
  blocks?: Map<string, [number, number][]>;
}

/** Whether `sets` silence a finding of `rule` that starts on (model) line `line`. */
export function isSuppressed(sets: SuppressionSets, rule: string, line: number): boolean {
  if (sets.fileWide.has(rule) || sets.byLine.get(line)?.has(rule) === true) return true;
  const blocks = sets.blocks?.get(rule);
  return blocks !== undefined && blocks.some(([from, to]) => line > from && line < to);
}

/** The rules a parsed file's suppression comments silence, or undefined when it has none. */
export function suppressionSets(doc: ConfigDocument): SuppressionSets | undefined {
  const { directives } = parseSuppressions(doc);
  if (directives.length === 0) return undefined;
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  let blocks: Map<string, [number, number][]> | undefined;
  for (const d of directives) {
    if (d.scope === 'file') {
      for (const n of d.names) {
        const to = d.block?.get(n.id);
        if (to === undefined) fileWide.add(n.id);
        else {
          blocks ??= new Map();
          const list = blocks.get(n.id) ?? [];
          list.push([d.line, to]);
          blocks.set(n.id, list);
        }
      }
    } else if (d.scope === 'line' && d.targetLine !== undefined) {
      const set = byLine.get(d.targetLine) ?? new Set<string>();
      for (const n of d.names) set.add(n.id);
      byLine.set(d.targetLine, set);
    }
  }
  return blocks ? { fileWide, byLine, blocks } : { fileWide, byLine };
}

/** A block of lines a `vzconf-disable` … `vzconf-enable` pair silences for one rule (0-based lines of the two comments). */
interface TrackedBlock {
  from: number;
  to: number;
  name: SuppressionName;
}

/**
 * What a file's suppression comments silence, rule name by rule name, and which of those names silenced a
 * finding in this lint ({@link SuppressionTracker.used}): the input of `unused-suppression`
 * (`service/unusedSuppressions.ts`).
 *
 * Each finding is credited to one name only, the most specific one that covers it: a
 * `vzconf-disable-next-line` aimed at its line (the first such comment when several are stacked), else the
 * innermost `vzconf-disable` … `vzconf-enable` block around it, else a whole-file `vzconf-disable` (the
 * first one naming the rule). So every name left without credit can be removed, all of them at once,
 * and every finding silenced stays silenced by the name it was credited to.
 */
export class SuppressionTracker {
  /** The names that silenced at least one finding (the objects of `parseSuppressions(doc)`). */
  readonly used = new Set<SuppressionName>();
  private readonly fileWide = new Map<string, SuppressionName>();
  private readonly byLine = new Map<number, Map<string, SuppressionName>>();
  private readonly blocks = new Map<string, TrackedBlock[]>();
  /** Per rule, the innermost block at every line (see {@link BlockIndex}), built at the first question. */
  private readonly blockIndex = new Map<string, BlockIndex>();

  constructor(directives: readonly SuppressionDirective[]) {
    for (const d of directives) {
      if (d.scope === 'file') {
        // A name written twice in one comment opens its block once (parseSuppressions pairs it once).
        const opened = new Set<string>();
        for (const n of d.names) {
          const to = d.block?.get(n.id);
          if (to === undefined) {
            if (!this.fileWide.has(n.id)) this.fileWide.set(n.id, n);
            continue;
          }
          if (opened.has(n.id)) continue;
          opened.add(n.id);
          const list = this.blocks.get(n.id);
          if (list) list.push({ from: d.line, to, name: n });
          else this.blocks.set(n.id, [{ from: d.line, to, name: n }]);
        }
      } else if (d.scope === 'line' && d.targetLine !== undefined) {
        let names = this.byLine.get(d.targetLine);
        if (!names) this.byLine.set(d.targetLine, (names = new Map()));
        for (const n of d.names) if (!names.has(n.id)) names.set(n.id, n);
      }
    }
  }

  /** The name that silences a finding of `rule` starting on (model) line `line`, the most specific first (see the class). */
  covering(rule: string, line: number): SuppressionName | undefined {
    const here = this.byLine.get(line)?.get(rule);
    if (here) return here;
    const blocks = this.blocks.get(rule);
    if (blocks) {
      let index = this.blockIndex.get(rule);
      if (!index) this.blockIndex.set(rule, (index = indexBlocks(blocks)));
      const inner = innermostBlock(index, line);
      if (inner) return inner.name;
    }
    return this.fileWide.get(rule);
  }

  /** Whether a finding of `rule` on `line` is covered; the name covering it is then counted as {@link used}. */
  silences(rule: string, line: number): boolean {
    const name = this.covering(rule, line);
    if (!name) return false;
    this.used.add(name);
    return true;
  }
}

/**
 * The blocks of one rule as a step function of the line: `lines` ascending (every `vzconf-disable` and
 * `vzconf-enable` line of the rule's blocks), `on[k]` the innermost block around line `lines[k]` itself and
 * `after[k]` the one around the lines after it, up to the next. Blocks of one rule nest or follow each other
 * (parseSuppressions pairs them like brackets), and a block covers the lines strictly between its two
 * comments. Built in O(b log b) for b blocks; a question is a binary search (a file of 50,000 blocks and
 * 10,000 findings took seconds when every question scanned every block).
 */
interface BlockIndex {
  lines: number[];
  on: (TrackedBlock | undefined)[];
  after: (TrackedBlock | undefined)[];
}

function indexBlocks(blocks: readonly TrackedBlock[]): BlockIndex {
  const events: { line: number; block: TrackedBlock; open: boolean }[] = [];
  for (const b of blocks) events.push({ line: b.from, block: b, open: true }, { line: b.to, block: b, open: false });
  events.sort((x, y) => x.line - y.line);
  const stack: TrackedBlock[] = [];
  const index: BlockIndex = { lines: [], on: [], after: [] };
  for (const e of events) {
    const on = stack[stack.length - 1];
    if (e.open) stack.push(e.block);
    else {
      const at = stack.lastIndexOf(e.block);
      if (at >= 0) stack.splice(at, 1);
    }
    const top = stack[stack.length - 1];
    index.lines.push(e.line);
    index.on.push(e.open ? on : top);
    index.after.push(top);
  }
  return index;
}

function innermostBlock(index: BlockIndex, line: number): TrackedBlock | undefined {
  // The last boundary at or before the line.
  let lo = 0;
  let hi = index.lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((index.lines[mid] as number) <= line) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  if (k < 0) return undefined;
  return index.lines[k] === line ? index.on[k] : index.after[k];
}

const trackers = new ObjectCache<LintContext, { tracker: SuppressionTracker | undefined }>();

/**
 * The {@link SuppressionTracker} of one lint (one per lint context, shared by `lint` and the rules that
 * consult suppression comments themselves, duplicate-parameter), or undefined when the file has no
 * suppression comment. Built also with `ignoreSuppressions`: what the comments would silence is still
 * counted, so the unused ones are the same in an audit.
 */
export function suppressionTracker(ctx: LintContext): SuppressionTracker | undefined {
  let m = trackers.get(ctx);
  if (m === undefined) {
    const { directives } = parseSuppressions(ctx.doc);
    m = { tracker: directives.length === 0 ? undefined : new SuppressionTracker(directives) };
    trackers.set(ctx, m);
  }
  return m.tracker;
}
