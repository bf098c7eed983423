/**
 * `unused-suppression`: suppression comments (`# vzconf-disable-next-line`, `# vzconf-disable`, blocks
 * ending in `# vzconf-enable`), and rule ids in them, that silenced no finding in this lint — what ESLint
 * reports with `reportUnusedDisableDirectives`. Not a rule of `RULES`: it needs every other rule's
 * findings, so `lint` runs it last (see {@link unusedSuppressionFindings}). docs/rules/unused-suppression.md
 * says what is judged and why.
 */
import type { Severity } from '../catalog/types';
import { hasTemplateSyntax } from '../parser/template';
import { parseSuppressions, type SuppressionDirective, type SuppressionName } from '../rules/suppressions';
import type { Finding, LintContext, TextEdit } from '../rules/types';
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
  'sample-not-found', 'ploop-sample-without-diskspace', 'duplicate-ip-address', 'duplicate-mac-address', 'shared-private-path', 'duplicate-ct-name',
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
function judged(ctx: LintContext, d: SuppressionDirective, name: SuppressionName, options: UnusedSuppressionOptions, nodeNamed: boolean): boolean {
  const id = name.id;
  if (!ctx.catalog.hasRule(id) || options.rules?.[id] === 'off' || NODE_LEVEL_RULE_IDS.has(id)) return false;
  // A comment naming a node-level rule may be judged unused by the node run (nodeRuleFindings), and a
  // `vzconf-disable unused-suppression` may be there to silence that: this lint cannot tell.
  if (id === UNUSED_SUPPRESSION && nodeNamed) return false;
  if (NEEDS_CAPACITY.has(id) && ctx.capacity === undefined) return false;
  const scan = ctx.template;
  if (scan) {
    if (d.scope !== 'line' || d.targetLine === undefined) return false;
    if (scan.placeholderLines.has(d.targetLine) || scan.controlLines.has(d.targetLine)) return false;
    if (hasTemplateSyntax(ctx.doc.text[d.targetLine] ?? '')) return false;
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

/** A directive's names indexed once per lint: position of each name, and the names of each rule id in order. */
interface NameIndex {
  at: Map<SuppressionName, number>;
  byId: Map<string, SuppressionName[]>;
}

function indexNames(d: SuppressionDirective): NameIndex {
  const at = new Map<SuppressionName, number>();
  const byId = new Map<string, SuppressionName[]>();
  d.names.forEach((n, i) => {
    at.set(n, i);
    const list = byId.get(n.id);
    if (list) list.push(n);
    else byId.set(n.id, [n]);
  });
  return { at, byId };
}

/**
 * The edits that take `gone` (names of directive `d`) out of its list, each run of neighbouring names with
 * the separator before it (after it, for a run at the start), or one edit deleting the whole comment line
 * when no name is left. The edits never overlap. Edits of names of one comment made by different findings
 * may touch: fix-all applies them over several rounds. Time: O(g log g) for g names gone.
 */
function removeNames(ctx: LintContext, d: SuppressionDirective, idx: NameIndex, gone: ReadonlySet<SuppressionName>): TextEdit[] {
  if (gone.size >= d.names.length) return [deleteLines(ctx, d.line, d.line)];
  const positions = [...gone].map((n) => idx.at.get(n) as number).sort((x, y) => x - y);
  const edits: TextEdit[] = [];
  for (let k = 0; k < positions.length; k += 1) {
    const i = positions[k] as number;
    let j = i;
    while (positions[k + 1] === j + 1) { j += 1; k += 1; }
    const prev = d.names[i - 1];
    const last = d.names[j] as SuppressionName;
    edits.push(prev
      ? { range: { start: prev.range.end, end: last.range.end }, newText: '' }
      : { range: { start: (d.names[i] as SuppressionName).range.start, end: (d.names[j + 1] as SuppressionName).range.start }, newText: '' });
  }
  return edits;
}

/**
 * The `vzconf-enable` comment that ends the block `name` of `d` opens, when it is a block, with every copy
 * of the rule id in it.
 */
function blockEnd(d: SuppressionDirective, name: SuppressionName, byLine: () => ReadonlyMap<number, SuppressionDirective>, index: (d: SuppressionDirective) => NameIndex): { enable: SuppressionDirective; names: SuppressionName[] } | undefined {
  const to = d.scope === 'file' ? d.block?.get(name.id) : undefined;
  // A name written twice in one comment: only the first opens the block.
  if (to === undefined || index(d).byId.get(name.id)?.[0] !== name) return undefined;
  const enable = byLine().get(to);
  const names = enable ? index(enable).byId.get(name.id) : undefined;
  return enable && names ? { enable, names } : undefined;
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
 * An unused-suppression finding of one lint, known by its position only: {@link UnusedSuppressions.build}
 * makes the finding (message, detail, fix). A file of 100,000 unused comments gets 100,000 of these, and
 * lint builds only the ones within the findings cap (`MAX_FINDINGS_PER_FILE`) and counts the rest.
 */
export interface PendingUnused {
  /** Where the finding starts (model line and character): the comment, or the first name it is about. */
  readonly line: number;
  readonly character: number;
  readonly d: SuppressionDirective;
  /** The names it is about: all of the comment's (`whole`), or one. */
  readonly names: readonly SuppressionName[];
  readonly whole: boolean;
}

/** The unused-suppression findings of one lint, in position order, built one by one on demand. */
export interface UnusedSuppressions {
  /** Sorted by (line, character); no two share a position. */
  readonly pending: readonly PendingUnused[];
  /** The finding of one of `pending`. */
  build(p: PendingUnused): Finding;
}

const NO_UNUSED: UnusedSuppressions = { pending: [], build: () => { throw new Error('no unused-suppression finding'); } };

/**
 * The unused-suppression findings of one lint: for each `vzconf-disable-next-line` / `vzconf-disable`
 * comment, one finding over the whole comment when none of its rule ids silenced a finding (and every one
 * is judged), else one per unused id. `tracker.isUsed` must be true of every name that silenced a finding of this
 * lint (`lint` counts them before `knownParameters` drops a finding, so a comment written for a custom key
 * stays used). Names of `unused-suppression` itself are judged last, against these findings: a
 * `# vzconf-disable unused-suppression` that silences one of them is used. Returns the findings that no
 * such comment silences (all of them with `ignore`, as for any rule), as positions; what is said about
 * each is built by `build` (see {@link PendingUnused}). Time: linear in the comments and their names, plus
 * one suppression look-up per finding.
 *
 * The fix is safe (fix-all applies it: a comment changes nothing vzctl or sh does, and the findings stay as
 * they are) except in a container config read without its node's vz.conf, where rules that read the
 * node config may find more once it is there: then it is offered one by one.
 */
export function unusedSuppressions(ctx: LintContext, tracker: SuppressionTracker, options: UnusedSuppressionOptions & { ignore?: boolean }): UnusedSuppressions {
  const override = options.rules?.[UNUSED_SUPPRESSION];
  if (override === 'off') return NO_UNUSED;
  const { directives } = parseSuppressions(ctx.doc);
  const nodeNamed = namesNodeRule(directives);
  const firstPass: PendingUnused[] = [];
  collectUnused(ctx, directives, tracker, options, nodeNamed, false, firstPass);
  // A `vzconf-disable unused-suppression` that covers one of them is used (and silences it unless ignored).
  // (Only names of other rules are judged in the first pass, so these look-ups change nothing it read.)
  const kept: PendingUnused[] = [];
  for (let i = 0; i < firstPass.length; i += 1) {
    const p = firstPass[i] as PendingUnused;
    if (!tracker.silences(UNUSED_SUPPRESSION, p.line) || options.ignore === true) kept.push(p);
  }
  const selfPass: PendingUnused[] = [];
  collectUnused(ctx, directives, tracker, options, nodeNamed, true, selfPass);
  return { pending: selfPass.length === 0 ? kept : mergeByPosition(kept, selfPass), build: unusedBuilder(ctx, directives, override) };
}

/** Whether a comment other than a `vzconf-enable` names a node-level rule. */
function namesNodeRule(directives: readonly SuppressionDirective[]): boolean {
  for (const d of directives) {
    if (d.scope === 'enable') continue;
    for (const n of d.names) if (NODE_LEVEL_RULE_IDS.has(n.id)) return true;
  }
  return false;
}

/**
 * The unused names {@link unusedSuppressions} reports, in file order, into `out`: those of `unused-suppression`
 * itself (`self`) or those of the other rules. (Functions of the module, not arrows made per lint: the
 * optimised code of an arrow lives only as long as the arrow, so after a full collection each lint's new
 * one was compiled again; util/shapeAnchor.ts.)
 */
function collectUnused(ctx: LintContext, directives: readonly SuppressionDirective[], tracker: SuppressionTracker, options: UnusedSuppressionOptions, nodeNamed: boolean, self: boolean, out: PendingUnused[]): void {
  for (const d of directives) {
    if (d.scope === 'enable') continue;
    let unused: SuppressionName[] | undefined;
    for (const n of d.names) {
      if ((n.id === UNUSED_SUPPRESSION) === self && judged(ctx, d, n, options, nodeNamed) && !tracker.isUsed(n)) (unused ??= []).push(n);
    }
    if (unused === undefined) continue;
    const whole = !self && unused.length === d.names.length;
    if (whole) {
      out.push({ line: d.line, character: 0, d, names: d.names, whole });
      continue;
    }
    for (const n of unused) out.push({ line: d.line, character: n.character, d, names: [n], whole });
  }
}

/** The two lists (each sorted by position, no position in both) as one sorted list. */
function mergeByPosition(a: readonly PendingUnused[], b: readonly PendingUnused[]): PendingUnused[] {
  const out: PendingUnused[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && (x.line - y.line || x.character - y.character) < 0)) { out.push(x as PendingUnused); i += 1; } else { out.push(y); j += 1; }
  }
  return out;
}

/** The builder of {@link UnusedSuppressions.build} for one lint. */
function unusedBuilder(ctx: LintContext, directives: readonly SuppressionDirective[], override: Severity | undefined, node = false): (p: PendingUnused) => Finding {
  const severity: Severity = override ?? ctx.catalog.rule(UNUSED_SUPPRESSION).severity;
  let byLineMemo: Map<number, SuppressionDirective> | undefined;
  const byLine = (): Map<number, SuppressionDirective> => {
    if (!byLineMemo) {
      byLineMemo = new Map();
      for (const d of directives) byLineMemo.set(d.line, d);
    }
    return byLineMemo;
  };
  const indexes = new Map<SuppressionDirective, NameIndex>();
  const index = (d: SuppressionDirective): NameIndex => {
    let i = indexes.get(d);
    if (!i) indexes.set(d, (i = indexNames(d)));
    return i;
  };
  // A node-level name: vzconf cannot know that the conf/ folder it read holds every container of the real
  // node (a partial copy in a repository), so its removal is offered one by one, never by fix-all.
  const safe = !node && !(ctx.kind === 'container' && ctx.node === undefined);
  return ({ d, names, whole }) => {
    const word = d.scope === 'line' ? 'vzconf-disable-next-line' : 'vzconf-disable';
    const first = names[0] as SuppressionName;
    const block = blockEnd(d, first, byLine, index);
    const where = scopeText(ctx, d, block);
    const what = `${whole ? `${word} of ` : ''}${idList(names)}`;
    const message = d.scope === 'line' && d.targetLine === undefined
      ? `Unused ${word}: no line follows it to silence`
      : where === ''
        ? `Unused ${what}: its block is empty`
        // Not 'line 4 has no such finding': a finding there may be silenced by a more specific comment.
        : `Unused ${what}: it silences nothing ${where === 'this file' ? 'in' : 'on'} ${where}`;
    // The edits: the comment line (or the names) and, for a block, the same names in its vzconf-enable.
    const edits: TextEdit[] = whole ? [deleteLines(ctx, d.line, d.line)] : removeNames(ctx, d, index(d), new Set([first]));
    const ends = new Map<SuppressionDirective, Set<SuppressionName>>();
    for (const n of names) {
      const b = blockEnd(d, n, byLine, index);
      if (!b) continue;
      // Every copy of the id in the vzconf-enable goes with it: a copy left behind would end nothing.
      const gone = ends.get(b.enable) ?? new Set<SuppressionName>();
      for (const x of b.names) gone.add(x);
      ends.set(b.enable, gone);
    }
    for (const [enable, gone] of ends) for (const e of removeNames(ctx, enable, index(enable), gone)) edits.push(e);
    const title = whole
      ? `Remove this unused ${word} comment${ends.size > 0 ? ' and its vzconf-enable' : ''}`
      : `Remove ${first.id} from this comment${ends.size > 0 ? ' and its vzconf-enable' : ''}`;
    const endNote = ends.size > 0 ? ` The block ends with the vzconf-enable on line ${lineNo(ctx, [...ends.keys()][0]?.line ?? d.line)}, which the fix edits too.` : '';
    const run = node ? 'when the whole node was checked (its vz.conf, every container config of its conf/ folder and whatever else the rule reads)' : 'in this lint';
    const detail = `${what} silenced no finding ${run} (target ${ctx.target.generation} ${ctx.target.version}): what it was written for is gone, and left in place it would hide a new finding unseen.${endNote}${node ? ' vzconf cannot tell whether the folder it read holds every container of the real node (a partial copy, say), so the fix is not applied by fix-all.' : safe ? '' : ' The node\'s vz.conf was not read with this container config, so the fix is not applied by fix-all: rules that read it may find more.'}`;
    return { rule: UNUSED_SUPPRESSION, severity, message, detail, range: whole ? d.range : first.range, unnecessary: true, fixes: [{ title, edits, safe }] };
  };
}

/** Every unused-suppression finding of one lint, built (see {@link unusedSuppressions}). */
export function unusedSuppressionFindings(ctx: LintContext, tracker: SuppressionTracker, options: UnusedSuppressionOptions & { ignore?: boolean }): Finding[] {
  const { pending, build } = unusedSuppressions(ctx, tracker, options);
  return pending.map(build);
}

/**
 * One name of a node-level rule (`NODE_LEVEL_RULE_IDS`) in a file's suppression comments, as plain data
 * (it travels with the container's facts, also from a worker thread): where it silences, and the
 * unused-suppression finding to report when the node run shows it silenced nothing (`nodeRuleFindings`
 * in service/node.ts). Credit follows {@link SuppressionTracker}: a `vzconf-disable-next-line` aimed at the
 * finding's line, else the innermost block around it, else the first whole-file `vzconf-disable`; a name
 * that can never be credited (written twice) has `credit` false.
 */
export interface NodeSuppressionName {
  rule: string;
  scope: 'line' | 'block' | 'file';
  /** `line`: the line it silences; `block`: the `vzconf-disable` line; `file`: its comment's line. */
  from: number;
  /** `block`: the `vzconf-enable` line. */
  to?: number;
  credit: boolean;
  /** The finding (model line numbering, the rule's catalogue severity), built when the file was read. */
  finding: Finding;
}

/**
 * The {@link NodeSuppressionName}s of a file, or undefined when no comment names a node-level rule (almost
 * every file) or the file is a template (what its lines render to is unknown). `unused-suppression` off
 * (`rules`) or a node-level rule off is decided per run, in `nodeRuleFindings`.
 */
export function nodeSuppressionNames(ctx: LintContext): NodeSuppressionName[] | undefined {
  if (ctx.template) return undefined;
  const { directives } = parseSuppressions(ctx.doc);
  if (!directives.some((d) => d.scope !== 'enable' && d.names.some((n) => NODE_LEVEL_RULE_IDS.has(n.id)))) return undefined;
  const build = unusedBuilder(ctx, directives, undefined, true);
  const out: NodeSuppressionName[] = [];
  const fileWide = new Set<string>();
  const byLine = new Set<string>();
  for (const d of directives) {
    if (d.scope === 'enable') continue;
    const opened = new Set<string>();
    for (const n of d.names) {
      if (!NODE_LEVEL_RULE_IDS.has(n.id)) continue;
      const finding = build({ line: d.line, character: n.character, d, names: [n], whole: false });
      if (d.scope === 'line') {
        // Nothing follows the comment: it silences nothing, ever (from -1, never credited).
        const key = `${d.targetLine ?? -1}\0${n.id}`;
        out.push({ rule: n.id, scope: 'line', from: d.targetLine ?? -1, credit: d.targetLine !== undefined && !byLine.has(key), finding });
        byLine.add(key);
        continue;
      }
      const to = d.block?.get(n.id);
      if (to !== undefined) {
        out.push({ rule: n.id, scope: 'block', from: d.line, to, credit: !opened.has(n.id), finding });
        opened.add(n.id);
      } else {
        out.push({ rule: n.id, scope: 'file', from: d.line, credit: !fileWide.has(n.id), finding });
        fileWide.add(n.id);
      }
    }
  }
  return out;
}

/**
 * The name of `names` credited with silencing a finding of `rule` that starts on (model) line `line`
 * (see {@link NodeSuppressionName}), or undefined.
 */
export function nodeSuppressionCovering(names: readonly NodeSuppressionName[], rule: string, line: number): NodeSuppressionName | undefined {
  let block: NodeSuppressionName | undefined;
  let file: NodeSuppressionName | undefined;
  for (const n of names) {
    if (n.rule !== rule || !n.credit) continue;
    if (n.scope === 'line') {
      if (n.from === line) return n;
    } else if (n.scope === 'block') {
      // Blocks of one rule nest: the innermost around the line opens last.
      if (line > n.from && line < (n.to as number) && (block === undefined || n.from > block.from)) block = n;
    } else file ??= n;
  }
  return block ?? file;
}
