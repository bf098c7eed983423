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

/**
 * What a file's suppression comments silence, rule name by rule name, and which of those names silenced a
 * finding in this lint ({@link SuppressionTracker.isUsed}): the input of `unused-suppression`
 * (`service/unusedSuppressions.ts`).
 *
 * Each finding is credited to one name only, the most specific one that covers it: a
 * `vzconf-disable-next-line` aimed at its line (the first such comment when several are stacked), else the
 * innermost `vzconf-disable` … `vzconf-enable` block around it, else a whole-file `vzconf-disable` (the
 * first one naming the rule). So every name left without credit can be removed, all of them at once,
 * and every finding silenced stays silenced by the name it was credited to.
 *
 * What it keeps is built at the first question ({@link TrackerIndex}), in one pass over the comments and
 * a few arrays (not objects) per comment: a lint keeps it alive to its end, and at 10,000 blocks the
 * objects of each comment were copied by every young-generation collection of that lint (issue 8).
 */
export class SuppressionTracker {
  readonly #directives: readonly SuppressionDirective[];
  /** One flag per name of the file ({@link SuppressionName.index}): 1 once it silenced a finding. */
  readonly #used: Uint8Array;
  #index?: TrackerIndex;

  /** @param nameCount how many names `directives` hold (`ParsedSuppressions.nameCount`) */
  constructor(directives: readonly SuppressionDirective[], nameCount: number) {
    this.#directives = directives;
    this.#used = new Uint8Array(nameCount);
  }

  /** Whether `name` (one of the file's) silenced at least one finding in this lint. */
  isUsed(name: SuppressionName): boolean {
    return this.#used[name.index] === 1;
  }

  /** Counts `name` (one of the file's, as {@link covering} gave it) as having silenced a finding. */
  credit(name: SuppressionName): void {
    this.#used[name.index] = 1;
  }

  /** The name that silences a finding of `rule` starting on (model) line `line`, the most specific first (see the class). */
  covering(rule: string, line: number): SuppressionName | undefined {
    const index = (this.#index ??= indexDirectives(this.#directives));
    if (index.targets.length > 0) {
      const here = nextLineName(index, rule, line);
      if (here) return here;
    }
    const blocks = index.blocks?.get(rule);
    if (blocks) {
      const inner = innermostBlock(blocks, line);
      if (inner) return inner;
    }
    return index.fileWide?.get(rule);
  }

  /** Whether a finding of `rule` on `line` is covered; the name covering it is then counted as used ({@link isUsed}). */
  silences(rule: string, line: number): boolean {
    const name = this.covering(rule, line);
    if (!name) return false;
    this.#used[name.index] = 1;
    return true;
  }
}

/**
 * The blocks of one rule as a step function of the line: `bounds[0..count-1]` ascending, each `2 × line + 1`
 * for a `vzconf-disable` line of one of the rule's blocks and `2 × line` for a `vzconf-enable` line, and
 * `after[k]` the name of the innermost block around the lines after `bounds[k]`, up to the next. The
 * innermost block around a boundary line itself is the one before it for a `vzconf-disable` (its block
 * starts below it) and `after[k]` for a `vzconf-enable` (its block has ended). Blocks of one rule nest or
 * follow each other (parseSuppressions pairs them like brackets), and a block covers the lines strictly
 * between its two comments. A question is a binary search (a file of 50,000 blocks and 10,000 findings
 * took seconds when every question scanned every block); the arrays are sized once (10,000 blocks: 240 KB).
 */
interface BlockIndex {
  bounds: Int32Array;
  after: (SuppressionName | undefined)[];
  count: number;
  /** While it is built: the names of the blocks open, innermost last, and their `vzconf-disable` lines. */
  open: SuppressionName[];
  openLines: number[];
}

/**
 * Per rule id, at least how many block boundaries its {@link BlockIndex} gets: the names of a `vzconf-disable`
 * or `vzconf-enable` that opens or ends a block of their id (a copy of an id in one comment counts again).
 */
function boundaryCounts(directives: readonly SuppressionDirective[]): Map<string, number> {
  const counts = new Map<string, number>();
  // (Counted by runs of one id: a file of blocks of one rule makes one Map update, not one per comment.)
  let runId = '';
  let run = 0;
  for (let k = 0; k < directives.length; k += 1) {
    const d = directives[k] as SuppressionDirective;
    const { block, names } = d;
    if (d.scope === 'line' || block === undefined) continue;
    for (let i = 0; i < names.length; i += 1) {
      const id = (names[i] as SuppressionName).id;
      if (block.get(id) === undefined) continue;
      if (id === runId) run += 1;
      else {
        if (run > 0) counts.set(runId, (counts.get(runId) ?? 0) + run);
        runId = id;
        run = 1;
      }
    }
  }
  if (run > 0) counts.set(runId, (counts.get(runId) ?? 0) + run);
  return counts;
}

/**
 * What a {@link SuppressionTracker} answers from. `targets`: the lines the `vzconf-disable-next-line`
 * comments aim at, in file order (so ascending: a later comment aims at the same line or a later one),
 * `aimed[k]` the comment aiming at `targets[k]`; `manyNames`: for a line aimed at by comments of more than a
 * few names in all, the first name of each rule id, built at its first question. `blocks`: per rule, its
 * blocks ({@link BlockIndex}); `fileWide`: per rule, the first whole-file name.
 */
interface TrackerIndex {
  targets: number[];
  aimed: SuppressionDirective[];
  manyNames?: Map<number, Map<string, SuppressionName>>;
  blocks?: Map<string, BlockIndex>;
  fileWide?: Map<string, SuppressionName>;
}

/**
 * Whether `names[i]` is the first of its rule id in `names`, with `seen` the ids of `names[0..i-1]` (built
 * only for a comment of several names).
 */
function firstOfId(names: readonly SuppressionName[], i: number, seen: Set<string> | undefined): boolean {
  if (names.length === 1) return true;
  const id = (names[i] as SuppressionName).id;
  if (seen === undefined) {
    for (let j = 0; j < i; j += 1) if ((names[j] as SuppressionName).id === id) return false;
    return true;
  }
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

/** The {@link TrackerIndex} of a file's directives (in file order, as parseSuppressions gives them). Linear. */
function indexDirectives(directives: readonly SuppressionDirective[]): TrackerIndex {
  const index: TrackerIndex = { targets: [], aimed: [] };
  let counts: Map<string, number> | undefined;
  let sorted = true;
  for (let k = 0; k < directives.length; k += 1) {
    const d = directives[k] as SuppressionDirective;
    if (d.scope === 'line') {
      if (d.targetLine === undefined) continue;
      const last = index.targets[index.targets.length - 1];
      if (last !== undefined && d.targetLine < last) sorted = false;
      index.targets.push(d.targetLine);
      index.aimed.push(d);
      continue;
    }
    const { names } = d;
    // A name written twice in one comment opens (or ends) its block once: parseSuppressions pairs it once.
    // (Comments of more than 8 names remember the ids seen; shorter ones look back.)
    const seen = names.length > 8 ? new Set<string>() : undefined;
    for (let i = 0; i < names.length; i += 1) {
      const n = names[i] as SuppressionName;
      const other = d.block?.get(n.id);
      if (d.scope === 'file' && other === undefined) {
        const fileWide = (index.fileWide ??= new Map());
        if (!fileWide.has(n.id)) fileWide.set(n.id, n);
        continue;
      }
      if (other === undefined || !firstOfId(names, i, seen)) continue;
      const blocks = (index.blocks ??= new Map());
      let b = blocks.get(n.id);
      if (!b) {
        const size = (counts ??= boundaryCounts(directives)).get(n.id) ?? 0;
        blocks.set(n.id, (b = { bounds: new Int32Array(size), after: new Array<SuppressionName | undefined>(size), count: 0, open: [], openLines: [] }));
      }
      if (d.scope === 'file') {
        b.bounds[b.count] = 2 * d.line + 1;
        b.after[b.count] = n;
        b.count += 1;
        b.open.push(n);
        b.openLines.push(d.line);
        continue;
      }
      // A vzconf-enable ends the innermost block open (blocks pair like brackets); looked for all the same.
      let at = b.openLines.length - 1;
      while (at >= 0 && b.openLines[at] !== other) at -= 1;
      if (at < 0) continue;
      if (at === b.open.length - 1) {
        b.open.pop();
        b.openLines.pop();
      } else {
        b.open.splice(at, 1);
        b.openLines.splice(at, 1);
      }
      b.bounds[b.count] = 2 * d.line;
      b.after[b.count] = b.open[b.open.length - 1];
      b.count += 1;
    }
  }
  if (!sorted) {
    // (Never seen: parseSuppressions aims each comment at a line after it, and no earlier than the comment
    // before it does. Kept exact all the same: by line, then file order.)
    const order = index.targets.map((_, k) => k).sort((x, y) => (index.targets[x] as number) - (index.targets[y] as number) || x - y);
    index.aimed = order.map((k) => index.aimed[k] as SuppressionDirective);
    index.targets = order.map((k) => index.targets[k] as number);
  }
  if (index.blocks) for (const b of index.blocks.values()) { b.open = []; b.openLines = []; }
  return index;
}

/** How many names the comments aimed at one line may hold in all before that line gets a Map of them. */
const FEW_NAMES = 16;

/** The first name of `rule` in the `vzconf-disable-next-line` comments aimed at `line`, in file order. */
function nextLineName(index: TrackerIndex, rule: string, line: number): SuppressionName | undefined {
  const { targets } = index;
  let lo = 0;
  let hi = targets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((targets[mid] as number) < line) lo = mid + 1;
    else hi = mid;
  }
  if (targets[lo] !== line) return undefined;
  const memo = index.manyNames?.get(line);
  if (memo) return memo.get(rule);
  let count = 0;
  for (let k = lo; targets[k] === line; k += 1) count += (index.aimed[k] as SuppressionDirective).names.length;
  if (count <= FEW_NAMES) {
    for (let k = lo; targets[k] === line; k += 1) {
      for (const n of (index.aimed[k] as SuppressionDirective).names) if (n.id === rule) return n;
    }
    return undefined;
  }
  const names = new Map<string, SuppressionName>();
  for (let k = lo; targets[k] === line; k += 1) {
    for (const n of (index.aimed[k] as SuppressionDirective).names) if (!names.has(n.id)) names.set(n.id, n);
  }
  (index.manyNames ??= new Map()).set(line, names);
  return names.get(rule);
}

function innermostBlock(index: BlockIndex, line: number): SuppressionName | undefined {
  // The last boundary at or before the line.
  const { bounds } = index;
  let lo = 0;
  let hi = index.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bounds[mid] as number) >> 1 <= line) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  if (k < 0) return undefined;
  // On a vzconf-disable line: the block around it (before the boundary), not the one it opens.
  return bounds[k] === 2 * line + 1 ? (k > 0 ? index.after[k - 1] : undefined) : index.after[k];
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
    const { directives, nameCount } = parseSuppressions(ctx.doc);
    m = { tracker: directives.length === 0 ? undefined : new SuppressionTracker(directives, nameCount) };
    trackers.set(ctx, m);
  }
  return m.tracker;
}
