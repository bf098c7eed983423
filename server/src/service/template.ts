/**
 * How the analysis reads a template (see `parser/template.ts` for the masking): values with
 * placeholders are checked only in their literal parts, control lines and value-dependent findings on
 * placeholder lines are dropped, and assignments in different if/else branches are not duplicates.
 */
import type { ParameterDef } from '../catalog/types';
import { exclusiveLines, PLACEHOLDER_CHAR } from '../parser/template';
import type { Finding, LintContext } from '../rules/types';
import { copyFinding } from '../rules/finding';
import { checkValue, type ValueCheck, type ValueContext, type ValueProblem } from '../values/validate';

/**
 * Rules whose findings do not depend on a parameter's value (syntax, keys, quoting, status) plus the
 * value-check rules, which see only the literal parts of a templated value. Every other rule's
 * findings on a line with a placeholder are dropped: the rendered value is unknown.
 */
const TEMPLATE_SAFE_RULES = new Set([
  'missing-equals', 'unmatched-quote', 'key-too-long', 'space-around-equals', 'inline-comment', 'single-quotes',
  'multiline-value', 'byte-order-mark', 'shell-unsafe-value', 'shell-expansion', 'unknown-parameter',
  'duplicate-parameter', 'misplaced-parameter', 'invalid-value', 'unknown-list-item', 'deprecated-parameter',
  'ignored-parameter', 'removed-parameter', 'unknown-suppression', 'unused-suppression',
]);

const RUN = new RegExp(`${PLACEHOLDER_CHAR}+`, 'g');

/** Stand-ins tried for a placeholder: a problem is reported only when every one of them has it. */
const STAND_INS = ['1', '10.0.0.1'];

/**
 * The value check of a value that holds placeholders (runs of U+E000): undefined when the value is
 * wholly placeholders (and separators), else the `invalid` and `unknown-item` problems that the
 * literal parts cause whatever the placeholders render to (checked with each of {@link STAND_INS} in
 * place of every placeholder), located in the original value; never a decoded pair (the number is
 * unknown, so no rule compares it). `"{{ ram }}M:{{ ram }}Q"` → the suffix Q is invalid.
 */
export function templateValueCheck(def: ParameterDef, value: string, ctx: ValueContext): ValueCheck | undefined {
  if (!value.includes(PLACEHOLDER_CHAR)) return checkValue(def, value, ctx);
  if (value.replace(RUN, '').replace(/[\s:,;"']/g, '') === '') return undefined;
  const runs = checksWith(def, value, ctx);
  const [first, ...rest] = runs;
  const overlaps = (p: StandInProblem, q: StandInProblem): boolean => q.start < p.end && p.start < q.end;
  const problems = (first ?? [])
    .filter((p) => rest.every((other) => other.some((q) => overlaps(p, q))))
    // Say it with a stand-in's view that quotes only the template's own text when there is one
    // (`{{ ip }}/255.255.255.0`: the dotted mask, not "1" is not an address).
    .map((p) => (p.quotesStandIn ? rest.flat().find((q) => overlaps(p, q) && !q.quotesStandIn) ?? p : p))
    .map(({ quotesStandIn: _, ...p }) => p);
  return { problems };
}

/** A value problem in original offsets; `quotesStandIn`: its message quotes text a stand-in made. */
interface StandInProblem extends ValueProblem {
  quotesStandIn: boolean;
}

/**
 * The problems of `value` with each stand-in in place of every placeholder run, in original offsets.
 * A quoted part of a message that holds stand-in text is given back as the template wrote it, with
 * `{…}` for the placeholder (`"{…}es"`), never the stand-in (`"1es"`).
 */
function checksWith(def: ParameterDef, value: string, ctx: ValueContext): StandInProblem[][] {
  return STAND_INS.map((standIn) => {
    // compact[i] comes from value[map[i]]; a placeholder run becomes the stand-in.
    let compact = '';
    const map: number[] = [];
    const endMap: number[] = [];
    const fromStandIn: boolean[] = [];
    for (let i = 0; i < value.length; i += 1) {
      if (value[i] === PLACEHOLDER_CHAR) {
        const start = i;
        while (value[i + 1] === PLACEHOLDER_CHAR) i += 1;
        for (let k = 0; k < standIn.length; k += 1) {
          map.push(start);
          endMap.push(i + 1);
          fromStandIn.push(true);
        }
        compact += standIn;
      } else {
        compact += value[i];
        map.push(i);
        endMap.push(i + 1);
        fromStandIn.push(false);
      }
    }
    const original = (from: number, to: number): string => value.slice(map[from] ?? value.length, to > from ? (endMap[to - 1] ?? value.length) : (map[from] ?? value.length)).replace(RUN, '{…}');
    return checkValue(def, compact, ctx).problems
      .filter((p) => p.kind === 'invalid' || p.kind === 'unknown-item')
      .map((p) => {
        let quotesStandIn = false;
        const message = p.message.replace(/"([^"\n]+)"/g, (whole, quoted: string) => {
          const at = compact.indexOf(quoted, p.start);
          if (at < 0 || at + quoted.length > p.end) return whole;
          if (!fromStandIn.slice(at, at + quoted.length).includes(true)) return whole;
          quotesStandIn = true;
          return `"${original(at, at + quoted.length)}"`;
        });
        return { ...p, message, quotesStandIn, start: map[p.start] ?? value.length, end: p.end > 0 ? (endMap[p.end - 1] ?? value.length) : 0 };
      })
      // A problem made only of placeholder text comes from the stand-in, not from the template.
      .filter((p) => value.slice(p.start, p.end).replace(RUN, '') !== '');
  });
}

/**
 * Post-filters the findings of a template (`ctx.template` set): see the module comment. Messages show
 * a placeholder as `{…}`; fixes that touch a placeholder or control line are dropped.
 */
export function filterTemplateFindings(ctx: LintContext, findings: readonly Finding[]): Finding[] {
  const scan = ctx.template;
  if (!scan) return [...findings];
  const templated = (line: number): boolean => scan.placeholderLines.has(line) || scan.controlLines.has(line);
  const out: Finding[] = [];
  for (const f of findings) {
    const line = f.range.start.line;
    if (scan.controlLines.has(line)) continue;
    if (scan.placeholderLines.has(line) && !TEMPLATE_SAFE_RULES.has(f.rule)) continue;
    if (f.rule === 'duplicate-parameter') {
      const entry = ctx.doc.lines[line];
      if (entry?.kind === 'entry') {
        const others = ctx.live.filter((e) => e !== entry && e.name === entry.name);
        if (others.length > 0 && others.every((o) => exclusiveLines(scan, o.line, line))) continue;
      }
    }
    const g: Finding = copyFinding(f, { message: f.message.replace(RUN, '{…}') });
    if (f.fixes) {
      const fixes = f.fixes.filter((x) => x.edits.every((e) => !e.newText.includes(PLACEHOLDER_CHAR) && !rangeTouches(e.range, templated)));
      if (fixes.length > 0) g.fixes = fixes;
      else delete g.fixes;
    }
    out.push(g);
  }
  return out;
}

function rangeTouches(range: { start: { line: number }; end: { line: number } }, templated: (line: number) => boolean): boolean {
  for (let l = range.start.line; l <= range.end.line; l += 1) if (templated(l)) return true;
  return false;
}
