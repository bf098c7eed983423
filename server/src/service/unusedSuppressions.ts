/**
 * `unused-suppression`: suppression comments (`# vzconf-disable-next-line`, `# vzconf-disable`, blocks
 * ending in `# vzconf-enable`), and rule ids in them, that silenced no finding in this lint — what ESLint
 * reports with `reportUnusedDisableDirectives`. Not a rule of `RULES`: it needs every other rule's
 * findings, so `lint` runs it last (see {@link unusedSuppressionFindings}). docs/rules/unused-suppression.md
 * says what is judged and why.
 */
import type { Severity } from '../catalog/types';
import { PLACEHOLDER_CHAR } from '../parser/template';
import { parseSuppressions, type SuppressionDirective, type SuppressionName } from '../rules/suppressions';
import type { Finding, Fix, LintContext, TextEdit } from '../rules/types';
import { deleteLines, lineNo, lineSpan } from '../rules/util';
import type { SuppressionTracker } from './suppressions';

export const UNUSED_SUPPRESSION = 'unused-suppression';

/**
 * The node-level rules (`NODE_LEVEL_RULES` of `service/node.ts`, which imports `lint` and so cannot be
 * imported here): they run over all the files of a node, after and apart from one file's lint, so one
 * file's lint cannot tell whether a comment naming them silences something. A unit test keeps the list
 * equal to theirs.
 */
export const NODE_LEVEL_RULE_IDS: ReadonlySet<string> = new Set([
  'sample-not-found', 'ploop-sample-without-diskspace', 'duplicate-ip-address', 'shared-private-path', 'duplicate-ct-name',
  'node-memory-overcommit',
]);

/** Rules that find nothing unless the host's capacity is known (`--node-ram`, `--node-swap`, `vzconf.node.*`). */
const NEEDS_CAPACITY: ReadonlySet<string> = new Set(['vswap-limit-above-host']);

/** What the caller of {@link unusedSuppressionFindings} knows of the lint's options. */
export interface UnusedSuppressionOptions {
  /** Per-rule severity overrides or `off` (`rules` of `LintOptions`). */
  rules?: Record<string, Severity | 'off'> | undefined;
}

/**
 * Whether this lint can tell that `name` silenced nothing: a catalogue rule that ran (not `off`), that is
 * not a node-level rule, whose inputs are all there (the host capacity for vswap-limit-above-host), and,
 * in a template, only for a `vzconf-disable-next-line` aimed at a line without a placeholder or template
 * control (what the other lines render to is unknown, and a whole-file comment covers them).
 */
function judged(ctx: LintContext, d: SuppressionDirective, name: SuppressionName, options: UnusedSuppressionOptions): boolean {
  const id = name.id;
  if (!ctx.catalog.hasRule(id) || options.rules?.[id] === 'off' || NODE_LEVEL_RULE_IDS.has(id)) return false;
  if (NEEDS_CAPACITY.has(id) && ctx.capacity === undefined) return false;
  const scan = ctx.template;
  if (scan) {
    if (d.scope !== 'line' || d.targetLine === undefined) return false;
    if (scan.placeholderLines.has(d.targetLine) || scan.controlLines.has(d.targetLine)) return false;
    if ((ctx.doc.text[d.targetLine] ?? '').includes(PLACEHOLDER_CHAR)) return false;
  }
  return true;
}

/** `a`, `a and b`, or `3 rules`: rule ids (catalogue ids, so nothing to escape) for a message. */
function idList(names: readonly SuppressionName[]): string {
  const ids = [...new Set(names.map((n) => n.id))];
  if (ids.length === 1) return ids[0] as string;
  if (ids.length === 2) return `${ids[0] as string} or ${ids[1] as string}`;
  return `${ids.length} rules`;
}

/**
 * The edit that takes `name` out of directive `d`'s list, with the separator before it (after it, for the
 * first name), or deletes the whole comment line when it is the only name. Edits of several names of one
 * comment may touch: fix-all applies them over several rounds.
 */
function removeName(ctx: LintContext, d: SuppressionDirective, name: SuppressionName): TextEdit {
  const i = d.names.indexOf(name);
  if (d.names.length <= 1 || i < 0) return deleteLines(ctx, d.line, d.line);
  const prev = d.names[i - 1];
  const next = d.names[i + 1];
  if (prev) return { range: { start: prev.range.end, end: name.range.end }, newText: '' };
  return { range: { start: name.range.start, end: (next as SuppressionName).range.start }, newText: '' };
}

/**
 * The `vzconf-enable` comment and its name that end the block `name` of `d` opens, when it is a block.
 */
function blockEnd(d: SuppressionDirective, name: SuppressionName, byLine: ReadonlyMap<number, SuppressionDirective>): { enable: SuppressionDirective; name: SuppressionName } | undefined {
  const to = d.scope === 'file' ? d.block?.get(name.id) : undefined;
  // A name written twice in one comment: only the first opens the block.
  if (to === undefined || d.names.find((x) => x.id === name.id) !== name) return undefined;
  const enable = byLine.get(to);
  const n = enable?.names.find((x) => x.id === name.id);
  return enable && n ? { enable, name: n } : undefined;
}

/** Where `d` acts, for a message: `line 7`, `lines 4–9` (a block) or `this file`. */
function scopeText(ctx: LintContext, d: SuppressionDirective, block: { enable: SuppressionDirective } | undefined): string {
  if (d.scope === 'line') return d.targetLine === undefined ? '' : `line ${lineNo(ctx, d.targetLine)}`;
  if (block) {
    if (block.enable.line - d.line < 2) return '';
    const span = lineSpan(ctx, d.line + 1, block.enable.line - 1);
    return `${span.includes('–') ? 'lines' : 'line'} ${span}`;
  }
  return 'this file';
}

/**
 * The unused-suppression findings of one lint: for each `vzconf-disable-next-line` / `vzconf-disable`
 * comment, one finding over the whole comment when none of its rule ids silenced a finding (and every one
 * is judged), else one per unused id. `tracker.used` must hold every name that silenced a finding of this
 * lint (`lint` counts them before `knownParameters` drops a finding, so a comment written for a custom key
 * stays used). Names of `unused-suppression` itself are judged last, against these findings: a
 * `# vzconf-disable unused-suppression` that silences one of them is used. Returns the findings that no
 * such comment silences (all of them with `ignore`, as for any rule).
 *
 * The fix is safe (fix-all applies it: a comment changes nothing vzctl or sh does, and the findings stay as
 * they are) except in a container config read without its node's vz.conf, where rules that read the
 * node config may find more once it is there: then it is offered one by one.
 */
export function unusedSuppressionFindings(ctx: LintContext, tracker: SuppressionTracker, options: UnusedSuppressionOptions & { ignore?: boolean }): Finding[] {
  const override = options.rules?.[UNUSED_SUPPRESSION];
  if (override === 'off') return [];
  const severity: Severity = override ?? ctx.catalog.rule(UNUSED_SUPPRESSION).severity;
  const { directives } = parseSuppressions(ctx.doc);
  const byLine = new Map<number, SuppressionDirective>();
  for (const d of directives) byLine.set(d.line, d);
  const safe = !(ctx.kind === 'container' && ctx.node === undefined);
  const make = (range: Finding['range'], message: string, detail: string, fix: Fix): Finding => ({
    rule: UNUSED_SUPPRESSION, severity, message, detail, range, unnecessary: true, fixes: [fix],
  });
  const report = (self: boolean): Finding[] => {
    const out: Finding[] = [];
    for (const d of directives) {
      if (d.scope === 'enable') continue;
      const unused = d.names.filter((n) => (n.id === UNUSED_SUPPRESSION) === self && judged(ctx, d, n, options) && !tracker.used.has(n));
      if (unused.length === 0) continue;
      const word = d.scope === 'line' ? 'vzconf-disable-next-line' : 'vzconf-disable';
      const whole = !self && unused.length === d.names.length;
      const targets = whole ? [d.names] : unused.map((n) => [n]);
      for (const names of targets) {
        const first = names[0] as SuppressionName;
        const block = blockEnd(d, first, byLine);
        const where = scopeText(ctx, d, block);
        const what = `${whole ? `${word} of ` : ''}${idList(names)}`;
        const message = d.scope === 'line' && d.targetLine === undefined
          ? `Unused ${word}: no line follows it to silence`
          : where === ''
            ? `Unused ${what}: its block is empty`
            : `Unused ${what}: ${where} ${where.startsWith('lines') ? 'have' : 'has'} no such finding`;
        // The edits: the comment line (or the names) and, for a block, the same names in its vzconf-enable.
        const edits: TextEdit[] = [];
        if (whole) edits.push(deleteLines(ctx, d.line, d.line));
        else edits.push(removeName(ctx, d, first));
        const ends = new Map<SuppressionDirective, SuppressionName[]>();
        for (const n of names) {
          const b = blockEnd(d, n, byLine);
          if (b) ends.set(b.enable, [...(ends.get(b.enable) ?? []), b.name]);
        }
        for (const [enable, gone] of ends) {
          if (gone.length === enable.names.length) edits.push(deleteLines(ctx, enable.line, enable.line));
          else if (gone.length === 1) edits.push(removeName(ctx, enable, gone[0] as SuppressionName));
          else for (const g of gone) edits.push(removeName(ctx, enable, g));
        }
        const title = whole
          ? `Remove this unused ${word} comment${ends.size > 0 ? ' and its vzconf-enable' : ''}`
          : `Remove ${first.id} from this comment${ends.size > 0 ? ' and its vzconf-enable' : ''}`;
        const endNote = ends.size > 0 ? ` The block ends with the vzconf-enable on line ${lineNo(ctx, [...ends.keys()][0]?.line ?? d.line)}, which the fix edits too.` : '';
        const detail = `${what} silenced no finding in this lint (target ${ctx.target.generation} ${ctx.target.version}): what it was written for is gone, and left in place it would hide a new finding unseen.${endNote}${safe ? '' : ' The node\'s vz.conf was not read with this container config, so the fix is not applied by fix-all: rules that read it may find more.'}`;
        out.push(make(whole ? d.range : first.range, message, detail, { title, edits, safe }));
      }
    }
    return out;
  };
  const firstPass = report(false);
  const kept = firstPass.filter((f) => {
    const silenced = tracker.silences(UNUSED_SUPPRESSION, f.range.start.line);
    return !silenced || options.ignore === true;
  });
  return [...kept, ...report(true)];
}
