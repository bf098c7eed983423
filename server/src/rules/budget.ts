/**
 * The findings budget: a rule that reports one finding per line asks {@link FindingsBudget.admit} before
 * it builds a finding, and skips building one that `lint()` would certainly drop at the findings cap
 * (`MAX_FINDINGS_PER_FILE` of limits.ts), counting it instead, so that "N more findings not shown" stays exact.
 *
 * Why: `lint()` keeps the first `cap` findings by position (line, character, rule id) of those no
 * suppression comment, custom key (`knownParameters`) or byte-order-mark comment removes. A file that
 * repeats one deprecated line 40,000 times used to build 40,000 findings, sort them and drop 30,000, and the
 * garbage of the dropped ones grew faster than the file (issue 8, the pathological bench lines).
 *
 * How it stays exact: the budget keeps the positions of every finding that will be kept so far (those of
 * the rules that already ran, and those the running rule admitted), and once it holds `cap` of them, the
 * largest of the `cap` smallest (a max-heap). A finding whose position is strictly beyond that one has at
 * least `cap` kept findings before it whatever comes later (later findings only add to them), so `lint()`
 * would drop it: it is counted, not built. A finding at an equal position is built (the sort is stable and
 * rules differ in the order they report ties). Findings that a filter may remove are always built and not
 * counted as kept (`survives` false): the heap then holds fewer positions than there are kept findings,
 * which only makes the budget drop less.
 *
 * What a rule must do: call `admit` for every finding it returns, with the finding's rule id and range start,
 * right where it builds it, and return every finding it was told to build (no later filtering). `lint()`
 * checks each rule's findings against what it admitted (count and positions) and lints again without a
 * budget if they differ; rules that never call `admit` are registered by `lint()` from what they return.
 */
import type { Position } from '../parser/types';

/** The sort order of findings in `lint()`: line, character, then rule id. */
export function comparePositions(lineA: number, charA: number, ruleA: string, lineB: number, charB: number, ruleB: string): number {
  return lineA - lineB || charA - charB || ruleA.localeCompare(ruleB);
}

/** An order-independent hash of a finding's start, summed per rule to check what it admitted (see `lint()`). */
export function positionHash(line: number, character: number): number {
  return (Math.imul(line + 1, 0x9e3779b1) ^ Math.imul(character + 1, 0x85ebca6b)) >>> 0;
}

export class FindingsBudget {
  /** Kept positions (in admit order until `cap` is reached, then a max-heap on {@link comparePositions}). */
  #lines: number[] = [];
  #chars: number[] = [];
  #rules: string[] = [];
  #heap = false;
  /** Findings certainly beyond the cap, not built. */
  dropped = 0;
  /** The rule running (`begin`), and what it admitted as kept: count and summed {@link positionHash}. */
  #rule = '';
  admittedCount = 0;
  admittedHash = 0;
  /** How often the running rule called `admit`. */
  calls = 0;
  /** Set when a rule called `admit` with another rule's id: its findings cannot be checked. */
  misused = false;

  /**
   * @param cap the findings cap (`MAX_FINDINGS_PER_FILE`)
   * @param survives whether a finding of `rule` starting on (model) line `line` is certainly not removed by
   *   a filter of `lint()` (suppression comments, custom keys, the byte-order-mark comment)
   */
  constructor(readonly cap: number, readonly survives: (rule: string, line: number) => boolean) {}

  /** Starts a rule's run: what it admits is counted from here. */
  begin(rule: string): void {
    this.#rule = rule;
    this.admittedCount = 0;
    this.admittedHash = 0;
    this.calls = 0;
  }

  /**
   * Whether the finding of `rule` starting at `start` must be built: false when `lint()` would certainly
   * drop it at the cap (it is then counted in {@link dropped}); true otherwise, and then the rule must build
   * and return it.
   */
  admit(rule: string, start: Position): boolean {
    this.calls += 1;
    if (rule !== this.#rule) this.misused = true;
    const { line, character } = start;
    const n = this.#lines.length;
    if (this.#heap && n > 0 && comparePositions(line, character, rule, this.#lines[0] as number, this.#chars[0] as number, this.#rules[0] as string) > 0) {
      if (!this.survives(rule, line)) return true;
      this.dropped += 1;
      return false;
    }
    if (!this.survives(rule, line)) return true;
    this.admittedCount += 1;
    this.admittedHash = (this.admittedHash + positionHash(line, character)) >>> 0;
    this.keep(line, character, rule);
    return true;
  }

  /** Records a kept finding's position (one that no filter removes). */
  keep(line: number, character: number, rule: string): void {
    const lines = this.#lines;
    if (!this.#heap) {
      lines.push(line);
      this.#chars.push(character);
      this.#rules.push(rule);
      if (lines.length >= this.cap) this.#heapify();
      return;
    }
    // Full: a smaller position replaces the largest kept one (which is then beyond the cap).
    if (comparePositions(line, character, rule, lines[0] as number, this.#chars[0] as number, this.#rules[0] as string) >= 0) return;
    lines[0] = line;
    this.#chars[0] = character;
    this.#rules[0] = rule;
    this.#siftDown(0);
  }

  #greater(i: number, j: number): boolean {
    return comparePositions(this.#lines[i] as number, this.#chars[i] as number, this.#rules[i] as string, this.#lines[j] as number, this.#chars[j] as number, this.#rules[j] as string) > 0;
  }

  #swap(i: number, j: number): void {
    const l = this.#lines, c = this.#chars, r = this.#rules;
    [l[i], l[j]] = [l[j] as number, l[i] as number];
    [c[i], c[j]] = [c[j] as number, c[i] as number];
    [r[i], r[j]] = [r[j] as string, r[i] as string];
  }

  #siftDown(i: number): void {
    const n = this.#lines.length;
    for (;;) {
      const a = 2 * i + 1;
      const b = a + 1;
      let top = i;
      if (a < n && this.#greater(a, top)) top = a;
      if (b < n && this.#greater(b, top)) top = b;
      if (top === i) return;
      this.#swap(i, top);
      i = top;
    }
  }

  /** Makes the `cap` positions kept so far a max-heap: sorted descending (a valid heap). */
  #heapify(): void {
    const cmp = (i: number, j: number): number => comparePositions(this.#lines[j] as number, this.#chars[j] as number, this.#rules[j] as string, this.#lines[i] as number, this.#chars[i] as number, this.#rules[i] as string);
    const order = this.#lines.map((_, i) => i).sort(cmp);
    this.#lines = order.map((i) => this.#lines[i] as number);
    this.#chars = order.map((i) => this.#chars[i] as number);
    this.#rules = order.map((i) => this.#rules[i] as string);
    this.#heap = true;
  }
}
