/**
 * How the analysis reads a template (see `parser/template.ts` for the masking): values with template
 * syntax are not value-checked, keys with it are not judged, control lines and value-dependent findings
 * on placeholder lines are dropped, and assignments in different if/else branches are not duplicates.
 */
import type { ParameterDef } from '../catalog/types';
import { exclusiveLines, hasTemplateSyntax, PLACEHOLDER_CHAR } from '../parser/template';
import type { Finding, LintContext } from '../rules/types';
import { copyFinding } from '../rules/finding';
import { checkValue, type ValueCheck, type ValueContext } from '../values/validate';

/**
 * Rules whose findings do not depend on a parameter's value (syntax, keys, quoting, status) plus the
 * value-check rules, which see no value with template syntax ({@link templateValueCheck}). Every other
 * rule's findings on a line with a placeholder are dropped: the rendered value is unknown.
 */
const TEMPLATE_SAFE_RULES = new Set([
  'missing-equals', 'unmatched-quote', 'key-too-long', 'space-around-equals', 'inline-comment', 'single-quotes',
  'multiline-value', 'byte-order-mark', 'shell-unsafe-value', 'shell-expansion', 'unknown-parameter',
  'duplicate-parameter', 'misplaced-parameter', 'invalid-value', 'unknown-list-item', 'deprecated-parameter',
  'ignored-parameter', 'removed-parameter', 'unknown-suppression', 'unused-suppression',
]);

/**
 * Rules about a line's key: not reported for a key with template syntax (`{{ k }}="{{ v }}"` in a loop,
 * `CT_{{ n }}=1`), which is unknown until rendered.
 */
const KEY_RULES = new Set([
  'unknown-parameter', 'key-too-long', 'misplaced-parameter', 'deprecated-parameter', 'ignored-parameter',
  'removed-parameter', 'duplicate-parameter',
]);

const RUN = new RegExp(`${PLACEHOLDER_CHAR}+`, 'g');

/**
 * The value check of a value in a template: undefined when the value holds template syntax (a
 * placeholder or a control tag: runs of U+E000), else the check of a plain value. A placeholder can
 * render to anything (`{{ x }}es` is `yes` for x = `y`), and control tags decide which literal parts are
 * rendered at all (`{% if a %}yes{% else %}no{% endif %}` is `yes` or `no`), so no value check can soundly
 * claim such a value invalid, nor decode it for the rules that compare numbers: nothing is said about it.
 */
export function templateValueCheck(def: ParameterDef, value: string, ctx: ValueContext): ValueCheck | undefined {
  if (hasTemplateSyntax(value)) return undefined;
  return checkValue(def, value, ctx);
}

/**
 * Post-filters the findings of a template (`ctx.template` set): see the module comment. Messages, details
 * and fix titles show a placeholder as `{…}`; fixes that touch a placeholder or control line are dropped.
 */
export function filterTemplateFindings(ctx: LintContext, findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) if (keptInTemplate(ctx, f.rule, f.range.start.line)) out.push(templateFinding(ctx, f));
  return out;
}

/**
 * Whether a finding of `rule` starting on (model) line `line` is kept in a template (`ctx.template`; always
 * true without one). {@link filterTemplateFindings} is this filter followed by {@link templateFinding}.
 */
export function keptInTemplate(ctx: LintContext, rule: string, line: number): boolean {
  const scan = ctx.template;
  if (!scan) return true;
  if (scan.controlLines.has(line)) return false;
  if (scan.placeholderLines.has(line) && !TEMPLATE_SAFE_RULES.has(rule)) return false;
  if (KEY_RULES.has(rule)) {
    const entry = ctx.doc.lines[line];
    if (entry?.kind === 'entry' && hasTemplateSyntax(entry.key)) return false;
  }
  if (rule === 'duplicate-parameter') {
    const entry = ctx.doc.lines[line];
    if (entry?.kind === 'entry') {
      const others = ctx.live.filter((e) => e !== entry && e.name === entry.name);
      if (others.length > 0 && others.every((o) => exclusiveLines(scan, o.line, line))) return false;
    }
  }
  return true;
}

/**
 * A finding kept in a template as it is shown (a copy): placeholders in its message, detail and fix titles
 * read `{…}`, and fixes that touch a placeholder or control line are dropped. The same finding without a
 * template. Rule and range are unchanged, so the order of findings is too.
 */
export function templateFinding(ctx: LintContext, f: Finding): Finding {
  const scan = ctx.template;
  if (!scan) return f;
  const templated = (line: number): boolean => scan.placeholderLines.has(line) || scan.controlLines.has(line);
  const g: Finding = copyFinding(f, { message: f.message.replace(RUN, '{…}') });
  if (f.detail?.includes(PLACEHOLDER_CHAR)) g.detail = f.detail.replace(RUN, '{…}');
  if (f.fixes) {
    const fixes = f.fixes
      .filter((x) => x.edits.every((e) => !e.newText.includes(PLACEHOLDER_CHAR) && !rangeTouches(e.range, templated)))
      .map((x) => (x.title.includes(PLACEHOLDER_CHAR) || x.detail?.includes(PLACEHOLDER_CHAR) ? { ...x, title: x.title.replace(RUN, '{…}'), ...(x.detail !== undefined ? { detail: x.detail.replace(RUN, '{…}') } : {}) } : x));
    if (fixes.length > 0) g.fixes = fixes;
    else delete g.fixes;
  }
  return g;
}

function rangeTouches(range: { start: { line: number }; end: { line: number } }, templated: (line: number) => boolean): boolean {
  for (let l = range.start.line; l <= range.end.line; l += 1) if (templated(l)) return true;
  return false;
}
