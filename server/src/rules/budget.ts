/**
 * Findings a rule need not build because `lint()` would drop them at the findings cap
 * (`MAX_FINDINGS_PER_FILE`, limits.ts): counted instead, so that "N more findings not shown" stays exact.
 *
 * Why: a file that repeats one deprecated line 40,000 times built 40,000 findings (a finding and its range:
 * four objects, about 230 bytes), sorted them and dropped 30,000. They lived through the rest of the lint,
 * and at that size V8's young-generation collector copies and promotes what is alive: the lint grew faster
 * than the file (issue 8, the pathological bench lines).
 *
 * How it stays exact, without knowing what the other rules report: `lint()` keeps, of the findings no filter
 * removes (suppression comments, custom keys, the byte-order-mark comment, a template's dropped lines), the
 * first `MAX_FINDINGS_PER_FILE` by position (line, character, rule id; the sort is stable). A rule that
 * reports under one rule id in non-decreasing position order asks {@link RuleBudget.admit} before building
 * each finding. Once `MAX_FINDINGS_PER_FILE` of its own findings that no filter removes have been admitted,
 * each later one has at least that many kept findings before it in `lint()`'s order (its own earlier ones:
 * smaller positions, or the same position reported earlier), whatever the other rules report: it is beyond
 * the cap. It is not built; when no filter would remove it either, it is counted, and `lint()` adds the count
 * to its total. Whether a filter removes a finding is asked of `lint()` itself ({@link FindingsBudget.kept}),
 * without side effects (a suppression comment is credited as used only by `lint()`: `unused-suppression`
 * is judged only when the file has fewer findings than the cap, and a rule counts findings only beyond it).
 *
 * Findings a suppression comment silences need not be built either ({@link FindingsBudget.silenced}, in any
 * order, also within the cap): `lint()` would count the comment as used and drop the finding, so the rule
 * hands it the comment's name instead, and `lint()` credits it and counts the finding as one it had (the
 * file's findings before the filters decide whether `unused-suppression` is judged).
 *
 * A rule that throws has its count and its silenced names discarded with its findings (`lint()` reports
 * the error instead).
 */
import { MAX_FINDINGS_PER_FILE } from '../limits';
import type { SuppressionName } from './suppressions';
import type { LintContext } from './types';
import { ObjectCache } from '../util/objectCache';
import { ShapeAnchor } from '../util/shapeAnchor';

/**
 * What `lint()` does with a finding, asked by a {@link FindingsBudget}; neither answer may have side effects.
 *
 * An object whose methods are those of a class (one function for every lint), not closures made per lint:
 * optimised code that inlines a call keeps its target as a weak constant, and a closure of the last lint
 * dies at the next full collection, which then throws that code away (V8's "weak objects" deoptimisation:
 * the unknown-parameter check and `silenced` were compiled again after each `gc()` of the bench; issue 8).
 */
export interface FindingsFilter {
  /** Whether `lint()` keeps (no filter removes) a finding of `rule` whose range starts on (model) line `line`. */
  kept(rule: string, line: number): boolean;
  /**
   * The suppression-comment name `lint()` would credit with a finding of `rule` starting on `line` and then
   * drop the finding for, or undefined when `lint()` may keep it or drops it before any credit (see
   * {@link FindingsBudget.silenced}). Always undefined: every finding is built.
   */
  silencer(rule: string, line: number): SuppressionName | undefined;
}

/**
 * The budget of one lint: whether a finding survives `lint()`'s filters, and the findings counted without
 * being built by the rule running now.
 */
export class FindingsBudget {
  /** Findings beyond the cap counted by the running rule's budgets (see {@link take}). */
  #counted = 0;
  /** The names credited with the running rule's findings not built because they are silenced (see {@link silenced}). */
  #quiet: SuppressionName[] = [];

  /**
   * @param filter what `lint()` keeps and what it credits to a suppression comment ({@link FindingsFilter})
   * @param cap the findings cap (`MAX_FINDINGS_PER_FILE`; smaller in tests)
   */
  constructor(
    readonly filter: FindingsFilter,
    readonly cap: number = MAX_FINDINGS_PER_FILE,
  ) {}

  /** Whether `lint()` keeps a finding of `rule` starting on (model) line `line` ({@link FindingsFilter.kept}). */
  kept(rule: string, line: number): boolean {
    return this.filter.kept(rule, line);
  }

  /** Adds findings counted, not built, by the running rule. */
  count(n: number): void {
    this.#counted += n;
  }

  /** The count of the rule that just ran, reset for the next one (`lint()` calls it after each rule; zero after a throw). */
  take(): number {
    const n = this.#counted;
    this.#counted = 0;
    return n;
  }

  /**
   * Whether the running rule may skip a finding of `rule` starting on (model) line `line` because a
   * suppression comment silences it: `lint()` would count the comment as used and drop the finding, and
   * nothing else reads it. Then the comment's name is kept for `lint()` to credit ({@link takeSilenced})
   * and the rule must not build the finding. Any order of questions; no answer depends on another.
   *
   * Why: a file of 10,000 `vzconf-disable` … `vzconf-enable` blocks around one finding each built 10,000
   * findings (message, detail, suggestions) to drop them at the end of its lint, alive all the while (issue 8).
   */
  silenced(rule: string, line: number): boolean {
    const name = this.filter.silencer(rule, line);
    if (name === undefined) return false;
    this.#quiet.push(name);
    return true;
  }

  /**
   * The names of the findings the rule that just ran skipped as silenced ({@link silenced}), one per finding,
   * reset for the next rule (`lint()` credits them and counts the findings; after a throw it drops them, as
   * it drops the rule's findings).
   */
  takeSilenced(): SuppressionName[] {
    const quiet = this.#quiet;
    if (quiet.length > 0) this.#quiet = [];
    return quiet;
  }
}

/**
 * One rule's use of the lint's {@link FindingsBudget}, for findings of rule `rule` reported in non-decreasing
 * position order (line, then character). `admit` before building each finding; build it only when it says so.
 */
export class RuleBudget {
  /** Findings admitted that `lint()` keeps (no filter removes them). */
  #sure = 0;

  constructor(readonly budget: FindingsBudget, readonly rule: string) {}

  /**
   * Whether to build the rule's next finding, whose range starts on (model) line `line`: false when it is
   * certainly beyond the cap (then counted when `lint()` would have kept it), or silenced by a suppression
   * comment ({@link FindingsBudget.silenced}).
   */
  admit(line: number): boolean {
    const { budget } = this;
    if (budget.silenced(this.rule, line)) return false;
    const kept = budget.kept(this.rule, line);
    if (this.#sure < budget.cap) {
      if (kept) this.#sure += 1;
      return true;
    }
    if (kept) budget.count(1);
    return false;
  }

  /**
   * Whether the rule may skip its next finding, whose range starts on (model) line `line`, because a
   * suppression comment silences it ({@link FindingsBudget.silenced}): then it must not build it. For a rule
   * that reports in any order (no {@link admit}).
   */
  silenced(line: number): boolean {
    return this.budget.silenced(this.rule, line);
  }
}

const budgets = new ObjectCache<LintContext, FindingsBudget>();

/** Gives the rules of the lint of `ctx` its budget (`lint()`, before the rules run). */
export function setFindingsBudget(ctx: LintContext, budget: FindingsBudget): void {
  budgets.set(ctx, budget);
}

/**
 * A {@link RuleBudget} for findings of `rule` in the lint of `ctx`, or undefined when that lint has no budget
 * (a rule run outside `lint()`, a template, `allFindings`): then every finding is built.
 */
export function ruleBudget(ctx: LintContext, rule: string): RuleBudget | undefined {
  const budget = budgets.get(ctx);
  if (!budget) return undefined;
  const r = new RuleBudget(budget, rule);
  RULE_BUDGET.hold(r);
  return r;
}

/**
 * The last {@link RuleBudget} made, so that its hidden class lives through a full collection between two
 * lints (util/shapeAnchor.ts: the unknown-parameter check and `silenced`, which inline `admit` or
 * `silenced`, were deoptimised after each of the bench's `gc()`s and compiled again during the next lint).
 */
const RULE_BUDGET = new ShapeAnchor<RuleBudget>();
