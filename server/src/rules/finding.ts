/**
 * Findings whose fixes are built when first read, and copying findings without losing them.
 *
 * A rule that reports one finding per line (duplicate-parameter on a file that repeats one key 10,000
 * times) would build 10,000 fixes — title, edit, range, positions: eight objects each — on every lint,
 * while the language server publishes diagnostics without fixes and reads the fixes of the few findings a
 * code action asks for (issue 8, the LSP worst case). {@link LazyFixFinding} builds them on first read.
 */
import { capText, MAX_FIX_TITLE_CHARS } from '../limits';
import type { Severity } from '../catalog/types';
import type { Range } from '../parser/types';
import type { Finding, Fix } from './types';

/**
 * A {@link Finding} whose `fixes` is a getter (on the prototype) that builds them once, on first read, with
 * titles cut to `MAX_FIX_TITLE_CHARS` (so `capFinding` need not read them). Its own enumerable properties
 * are those of a plain finding, in the same order (rule, severity, message, range, detail, facts): JSON
 * and spreads see no fixes, so findings are copied with {@link copyFinding}, never with `{ ...f }`.
 */
export abstract class LazyFixFinding implements Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  declare detail?: string;
  declare facts?: string[];
  #fixes: Fix[] | undefined;
  #built = false;

  constructor(rule: string, severity: Severity, message: string, range: Range, detail: string | undefined, facts: string[] | undefined) {
    this.rule = rule;
    this.severity = severity;
    this.message = message;
    this.range = range;
    if (detail !== undefined) this.detail = detail;
    if (facts !== undefined) this.facts = facts;
  }

  /** The fixes, built by {@link buildFixes} on first read. */
  get fixes(): Fix[] | undefined {
    if (!this.#built) {
      const built = this.buildFixes();
      this.#fixes = built?.map((x) => (x.title.length > MAX_FIX_TITLE_CHARS ? { ...x, title: capText(x.title, MAX_FIX_TITLE_CHARS) } : x));
      this.#built = true;
    }
    return this.#fixes;
  }

  set fixes(value: Fix[] | undefined) {
    this.#fixes = value;
    this.#built = true;
  }

  /** Builds the fixes (called at most once). */
  protected abstract buildFixes(): Fix[] | undefined;
}

/**
 * A plain copy of `f` with `changes` applied: its own properties, and its fixes (read, and so built, for a
 * {@link LazyFixFinding}) unless `changes` sets them. What `{ ...f, ...changes }` would be for a plain finding.
 */
export function copyFinding(f: Finding, changes: Partial<Finding>): Finding {
  const out: Finding = { ...f, ...changes };
  if (f instanceof LazyFixFinding && !Object.hasOwn(changes, 'fixes')) {
    const fixes = f.fixes;
    if (fixes !== undefined) out.fixes = fixes;
  }
  return out;
}
