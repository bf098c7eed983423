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

/** The fixes of a {@link LazyFixFinding} not built yet. */
const NOT_BUILT: unique symbol = Symbol('fixes not built');

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
  /** The fixes once built ({@link NOT_BUILT} until then): one field, not two (a file may keep 40,000 such findings through its lint). */
  #fixes: Fix[] | undefined | typeof NOT_BUILT = NOT_BUILT;

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
    let fixes = this.#fixes;
    if (fixes === NOT_BUILT) {
      const built = this.buildFixes();
      this.#fixes = fixes = built?.map((x) => (x.title.length > MAX_FIX_TITLE_CHARS ? { ...x, title: capText(x.title, MAX_FIX_TITLE_CHARS) } : x));
    }
    return fixes;
  }

  set fixes(value: Fix[] | undefined) {
    this.#fixes = value;
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

/**
 * A copy of a plain finding at another range (see {@link withRange}): an instance of a class, so that its
 * fields lie in the object itself. An object spread (`{ ...f, range }`) of a finding with fixes and flags
 * put part of them in a separate property array: 40,000 such copies (a file that repeats one bad line) are
 * kept alive through the lint, and their size drives V8's garbage collection cost (issue 8).
 */
class RangedFinding implements Finding {
  rule: string;
  severity: Severity;
  message: string;
  declare detail?: string;
  declare facts?: string[];
  range: Range;
  declare deprecated?: boolean;
  declare unnecessary?: boolean;
  declare fixes?: Fix[];

  constructor(f: Finding, range: Range) {
    // The own properties of `f`, in its order, with `range` in place of its range (what the spread gave).
    this.rule = f.rule;
    this.severity = f.severity;
    this.message = f.message;
    this.range = range;
    if (f.detail !== undefined) this.detail = f.detail;
    if (f.facts !== undefined) this.facts = f.facts;
    if (f.deprecated !== undefined) this.deprecated = f.deprecated;
    if (f.unnecessary !== undefined) this.unnecessary = f.unnecessary;
    if (f.fixes !== undefined) this.fixes = f.fixes;
  }
}

/**
 * `f` at `range`, sharing everything else with it (messages, details and fixes are not copied): what
 * `{ ...f, range }` gives, with the same fields, for a plain finding (not a {@link LazyFixFinding}).
 */
export function withRange(f: Finding, range: Range): Finding {
  return new RangedFinding(f, range);
}
