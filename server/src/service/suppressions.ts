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

  constructor(directives: readonly SuppressionDirective[]) {
    for (const d of directives) {
      if (d.scope === 'file') {
        for (const n of d.names) {
          const to = d.block?.get(n.id);
          if (to === undefined) {
            if (!this.fileWide.has(n.id)) this.fileWide.set(n.id, n);
            continue;
          }
          const list = this.blocks.get(n.id);
          // A name written twice in one comment opens its block once (parseSuppressions pairs it once).
          if (list?.some((b) => b.from === d.line)) continue;
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
      // Blocks of one rule nest or follow each other: the innermost around the line opened last.
      let inner: TrackedBlock | undefined;
      for (const b of blocks) if (line > b.from && line < b.to && (!inner || b.from > inner.from)) inner = b;
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
