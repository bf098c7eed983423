/**
 * Version-dependent status of parameters (schemas/parameters.yaml `status`): deprecated, ignored
 * or removed on the target's generation and version, with the fixes that move a file forward.
 */
import type { IptablesModule, ParameterDef, StatusEntry } from '../catalog/types';
import { usedEntries } from '../model/effective';
import { describeTarget } from '../model/target';
import type { Entry } from '../parser/types';
import { tokens } from '../values/validate';
import type { Finding, Fix, LintContext, Rule } from './types';
import { explain, say, toolVersion, type Said } from './say';
import { LazyFixFinding, withRange } from './finding';
import { ruleBudget } from './budget';
import { MAX_TITLE } from './text';
import { deleteLines, deleteLineSet, entryRange, eolOf, finding, lineNo, shippedInTargetSamples } from './util';
import { ObjectCache } from '../util/objectCache';
import { DEPRECATED, IGNORED, REMOVED } from './facts';

/** The first title that fits in {@link MAX_TITLE} characters. */
function fitTitle(...candidates: string[]): string {
  return candidates.find((t) => [...t].length <= MAX_TITLE) ?? (candidates[candidates.length - 1] as string);
}

/** The value the tools act on: the shell's whole multi-line value where there is one, else vzctl's. */
function effectiveText(ctx: LintContext, e: Entry): string {
  const multi = ctx.doc.multilineOf.get(e);
  return multi ? e.shell.value : e.value;
}

/** Physical lines an entry occupies (more than one for a multi-line shell value). */
function linesOf(ctx: LintContext, e: Entry): [number, number] {
  const multi = ctx.doc.multilineOf.get(e);
  return [e.line, multi ? multi.endLine : e.line];
}

const LEVELS: IptablesModule['netfilter'][] = ['stateless', 'stateful', 'full'];

/**
 * The least NETFILTER mode that gives a container every module of an IPTABLES list (reference §5),
 * the modules vzctl does not know, and what the mode allows beyond the list.
 */
export function netfilterFor(ctx: LintContext, modules: string[]): { mode: IptablesModule['netfilter']; unknown: string[]; extra: string[] } {
  let level = 0;
  const unknown: string[] = [];
  for (const m of modules) {
    const mod = ctx.catalog.iptablesModule(m);
    if (!mod) { unknown.push(m); continue; }
    level = Math.max(level, LEVELS.indexOf(mod.netfilter));
  }
  const mode = LEVELS[level] as IptablesModule['netfilter'];
  const extra = ctx.catalog.catalog.vocabulary.iptablesModules
    .filter((m) => LEVELS.indexOf(m.netfilter) <= level && !modules.includes(m.name))
    .map((m) => m.name);
  return { mode, unknown, extra };
}

const netfilterLine = new ObjectCache<LintContext, Entry | null>();

/**
 * The NETFILTER line of the file that vzctl uses (by the duplicate policy), when its value is valid:
 * then get_ipt_mask() takes the NETFILTER mode and ignores IPTABLES (vzctl src/lib/iptables.c from 4.7,
 * libvzctl lib/iptables.c). A NETFILTER line with an invalid value is skipped and leaves IPTABLES in force.
 */
function netfilterInForce(ctx: LintContext): Entry | undefined {
  if (!netfilterLine.has(ctx)) {
    const def = ctx.catalog.parameter('NETFILTER');
    const used = def ? usedEntries(ctx, def) : [];
    const e = used[used.length - 1];
    const valid = e !== undefined && !(ctx.values.get(e)?.problems ?? []).some((p) => p.kind === 'invalid');
    netfilterLine.set(ctx, valid ? e : null);
  }
  return netfilterLine.get(ctx) ?? undefined;
}

/** What a module list maps to: its modules, in order, and {@link netfilterFor} of them. */
interface ModuleMapping {
  modules: string[];
  netfilter: ReturnType<typeof netfilterFor>;
}

/**
 * What the deprecated-IPTABLES findings of one container config share: the file, the NETFILTER line in
 * force, the words of the fix titles for the target, and the mapping of each distinct module list (a file
 * that repeats one list 40,000 times maps it once, and only when a fix is read).
 */
class IptablesFixContext {
  readonly needs: string;
  readonly short: string;
  readonly #mappings = new Map<string, ModuleMapping>();
  #keyFix: Fix[] | null | undefined;
  /** With IPTABLES on several lines: the lines vzctl takes (set by {@link keyFix}). */
  #used: Set<Entry> | undefined;

  constructor(readonly ctx: LintContext, readonly netfilter: Entry | undefined) {
    const classic = ctx.target.generation === 'classic';
    this.needs = classic ? 'needs vzctl 4.7 or newer' : 'needs libvzctl below 8.0.70';
    this.short = classic ? 'vzctl 4.7+' : 'libvzctl < 8.0.70';
  }

  /**
   * When the file sets IPTABLES on more than one line and no NETFILTER is in force: the one fix every line
   * offers, for the whole key (built once, shared): NETFILTER with the least mode that grants the modules of
   * every line vzctl takes (classic adds them up; libvzctl takes the last), in place of the first line, the
   * other IPTABLES lines removed. A fix for one line alone would set NETFILTER, which wins over every
   * IPTABLES line, from that line's modules only. Null when the key is on one line.
   */
  keyFix(): Fix[] | null {
    if (this.#keyFix === undefined) {
      const { ctx } = this;
      const all = ctx.doc.entries.filter((x) => x.name === 'IPTABLES' && x.key === x.name && !ctx.doc.continuationLines.has(x.line));
      const def = ctx.catalog.parameter('IPTABLES');
      const first = all[0];
      if (all.length < 2 || !def || !first) this.#keyFix = null;
      else {
        const used = usedEntries(ctx, def);
        this.#used = new Set(used);
        const text = used.map((x) => effectiveText(ctx, x)).join(' ');
        const mapping = this.mapping(text);
        const others = all.slice(1).flatMap((x) => { const [a, b] = linesOf(ctx, x); return Array.from({ length: b - a + 1 }, (_, k) => a + k); });
        // Nothing vzctl takes (every line empty or skipped): the lines' own fixes say what that means.
        this.#keyFix = mapping.modules.length === 0 ? null : netfilterFixes(this, first, mapping, { lines: all.length, others: deleteLineSet(ctx, others) });
      }
    }
    return this.#keyFix;
  }

  /** Whether `e` is one of several IPTABLES lines and vzctl does not take it (after {@link keyFix}). */
  ignored(e: Entry): boolean {
    return this.#used !== undefined && !this.#used.has(e);
  }

  /** The modules of the list `text` (the value the tools act on) and the least NETFILTER mode that grants them. */
  mapping(text: string): ModuleMapping {
    let m = this.#mappings.get(text);
    if (!m) {
      const modules = tokens(text, ' \t,\n').map((t) => t.text);
      m = { modules, netfilter: netfilterFor(this.ctx, modules) };
      this.#mappings.set(text, m);
    }
    return m;
  }
}

/**
 * The fixes of a deprecated IPTABLES line in a container config: remove it when a valid NETFILTER line
 * is in force (safe only when that mode grants every listed module), else replace it with the least
 * NETFILTER mode that grants the list (reference §5), never safe: it needs vzctl 4.7+ and may widen access.
 */
function ctIptablesFixes(shared: IptablesFixContext, e: Entry): Fix[] {
  const { ctx, netfilter: existing, short } = shared;
  const [from, to] = linesOf(ctx, e);
  const mapping = shared.mapping(effectiveText(ctx, e));
  const { modules, netfilter: { mode } } = mapping;
  if (existing) {
    // Removing it changes nothing for vzctl; fix-all does it only when NETFILTER grants every module the
    // list names, so a list that asked for more stays in view until someone decides.
    const granted = LEVELS.indexOf(existing.value as IptablesModule['netfilter']);
    const covers = granted >= LEVELS.indexOf(mode);
    const title = `Remove IPTABLES (ignored: NETFILTER on line ${lineNo(ctx, existing.line)} sets the access)`;
    return [{ title, edits: [deleteLines(ctx, from, to)], safe: covers }];
  }
  // IPTABLES on several lines: the fix for the whole key, whatever line it is asked from.
  const keyFix = shared.keyFix();
  if (keyFix) return keyFix;
  // A line vzctl does not take (libvzctl's last line is empty): a NETFILTER from this line's modules would
  // grant what the file does not; duplicate-parameter offers to remove it.
  if (shared.ignored(e)) return [];
  if (modules.length === 0) {
    return [
      { title: 'Remove the empty IPTABLES line (default: IPv4 filter and mangle)', edits: [deleteLines(ctx, from, to)], safe: false },
      { title: `Use NETFILTER="stateless" (${short}) — adds IPv6 filter and mangle`, detail: `NETFILTER="stateless" ${shared.needs}; it also enables IPv6 filter and mangle.`, edits: [replaceEntry(ctx, e, 'NETFILTER="stateless"')], safe: false },
    ];
  }
  return netfilterFixes(shared, e, mapping);
}

/**
 * NETFILTER with the least mode that grants the modules of `mapping`, in place of IPTABLES line `e`; with
 * `key`, for the whole key: `key.lines` IPTABLES lines, the others removed by `key.others`. Never safe: it
 * needs vzctl 4.7+ (libvzctl below 8.0.70), and every mode grants more than an IPTABLES list can (stateless
 * already adds IPv6 filter and mangle, which no IPTABLES module name gives: reference §5).
 */
function netfilterFixes(shared: IptablesFixContext, e: Entry, mapping: ModuleMapping, key?: { lines: number; others: Fix['edits'] }): Fix[] {
  const { ctx, needs, short } = shared;
  const { modules, netfilter: { mode, unknown, extra } } = mapping;
  const widen = extra.length > 0 ? `; widens access: also allows ${extra.slice(0, 4).join(', ')}${extra.length > 4 ? ` and ${extra.length - 4} more` : ''}${mode !== 'full' ? ', and IPv6 filtering' : ''}` : '';
  const dropped = unknown.length > 0 ? `; drops unknown ${unknown.join(', ')}` : '';
  // "full" is the least mode for NAT modules: the fix records why, in the suppression comment vzconf
  // reads, so netfilter-full (which suggests a narrower mode) does not fire on the fix's own result.
  // Not before a byte-order mark, which must stay first and would glue to the comment.
  const bom = e.line === 0 && (ctx.doc.text[0] ?? '').startsWith('\uFEFF');
  const nat = mode === 'full' && !bom ? modules.filter((m) => ctx.catalog.iptablesModule(m)?.netfilter === 'full') : [];
  const indent = /^[ \t]*/.exec(ctx.doc.text[e.line] ?? '')?.[0] ?? '';
  const newText = nat.length > 0
    ? `# vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules (${nat.join(', ')})${eolOf(ctx)}${indent}NETFILTER="full"`
    : `NETFILTER="${mode}"`;
  const effects = [extra.length > 0 ? `widens access by ${extra.length} module${extra.length === 1 ? '' : 's'}` : '', unknown.length > 0 ? `drops ${unknown.length} unknown` : ''].filter((x) => x !== '').join(', ');
  if (key) {
    const all = `for all ${key.lines} IPTABLES lines`;
    return [{
      title: fitTitle(`Use NETFILTER="${mode}" ${all} (${short})${effects ? ` — ${effects}` : ''}`, `Use NETFILTER="${mode}" ${all}${effects ? ` — ${effects}` : ''}`, `Use NETFILTER="${mode}" ${all}`),
      detail: `Replace the ${key.lines} IPTABLES lines with one NETFILTER="${mode}", the least mode that grants the modules of every line vzctl takes (${needs}${widen}${dropped}).`,
      edits: [replaceEntry(ctx, e, newText), ...key.others],
      safe: false,
    }];
  }
  return [{
    title: fitTitle(`Use NETFILTER="${mode}" (${short})${effects ? ` — ${effects}` : ''}`, `Use NETFILTER="${mode}"${effects ? ` — ${effects}` : ''}`),
    detail: `Replace IPTABLES with NETFILTER="${mode}" (${needs}${widen}${dropped}).`,
    edits: [replaceEntry(ctx, e, newText)],
    safe: false,
  }];
}

/**
 * A deprecated IPTABLES line of a container config, its fixes ({@link ctIptablesFixes}) built when first
 * read: a file that repeats the line 40,000 times must not build 40,000 fixes that the findings cap
 * (`MAX_FINDINGS_PER_FILE`) then drops, or that a language server never asks for.
 */
class DeprecatedIptables extends LazyFixFinding {
  declare deprecated?: boolean;
  declare unnecessary?: boolean;
  readonly #shared: IptablesFixContext;
  readonly #entry: Entry;

  /** `plain`: the finding as `finding()` builds it for any line of the file (all but its range are shared). */
  constructor(shared: IptablesFixContext, entry: Entry, plain: Finding) {
    super(plain.rule, plain.severity, plain.message, entry.keyRange, plain.detail, plain.facts);
    if (plain.deprecated !== undefined) this.deprecated = plain.deprecated;
    if (plain.unnecessary !== undefined) this.unnecessary = plain.unnecessary;
    this.#shared = shared;
    this.#entry = entry;
  }

  protected buildFixes(): Fix[] {
    return ctIptablesFixes(this.#shared, this.#entry);
  }
}

/** Replaces a whole (possibly multi-line) entry with `text`, keeping the line's indentation. */
function replaceEntry(ctx: LintContext, e: Entry, text: string) {
  const [, to] = linesOf(ctx, e);
  const endChar = to === e.line ? e.rawValueRange.end.character : ctx.doc.multilineOf.get(e)?.range.end.character ?? 0;
  return { range: { start: e.keyRange.start, end: { line: to, character: endChar } }, newText: text };
}

/** The last entry named `name` that starts a line of its own: what a shell sourcing the file keeps. */
function lastEntry(ctx: LintContext, name: string): Entry | undefined {
  const all = ctx.doc.entries.filter((x) => x.name === name && x.key === x.name && !ctx.doc.continuationLines.has(x.line));
  return all[all.length - 1];
}

/**
 * vz.conf: move the IPTABLES and IP6TABLES module lists into IPTABLES_MODULES, as the vzctl 4.7
 * init script itself does. One fix for both keys, so applying it from either finding gives the same
 * file: an existing IPTABLES_MODULES keeps its modules, `$IPTABLES` / `$IP6TABLES` references in it
 * are inlined (the shipped vzctl 4.6 vz.conf has `IPTABLES_MODULES="$IPTABLES"`), the rest is
 * appended, and the old lines are removed.
 */
function nodeIptablesFixes(ctx: LintContext): Fix[] {
  // The init script sources the file, so the last occurrence of each list is what it loads; every
  // occurrence is removed.
  const occurrences = (name: string) => ctx.doc.entries.filter((x) => x.name === name && x.key === x.name && !ctx.doc.continuationLines.has(x.line));
  const lists = ['IPTABLES', 'IP6TABLES'].flatMap((name) => {
    const all = occurrences(name);
    const e = all[all.length - 1];
    return e ? [{ name, e, all, modules: tokens(effectiveText(ctx, e), ' \t,\n').map((t) => t.text) }] : [];
  });
  if (lists.length === 0) return [];
  // Module names are plain words; anything that would need shell quoting is left to the user.
  if (lists.some((l) => l.modules.some((m) => /["'\\$`]/.test(m)))) return [];
  const target = lastEntry(ctx, 'IPTABLES_MODULES');
  let merged: string[];
  const edits: Fix['edits'] = [];
  let replaced: Entry | undefined;
  if (target) {
    let current = target.shell.value;
    const inlined: string[] = [];
    for (const l of lists) {
      const ref = new RegExp(`\\$(\\{${l.name}\\}|${l.name}(?![A-Za-z0-9_]))`, 'g');
      if (ref.test(current)) {
        current = current.replace(ref, l.modules.join(' '));
        inlined.push(l.name);
      }
    }
    merged = tokens(current, ' \t,\n').map((t) => t.text);
    for (const l of lists) if (!inlined.includes(l.name)) for (const m of l.modules) if (!merged.includes(m)) merged.push(m);
    edits.push({ range: target.rawValueRange, newText: `"${merged.join(' ')}"` });
  } else {
    merged = [];
    for (const l of lists) for (const m of l.modules) if (!merged.includes(m)) merged.push(m);
    const first = lists[0] as (typeof lists)[number];
    edits.push(replaceEntry(ctx, first.e, `IPTABLES_MODULES="${merged.join(' ')}"`));
    replaced = first.e;
  }
  // The lines removed, marked per line of the file (a vz.conf may repeat IPTABLES 40,000 times).
  const gone = new Uint8Array(ctx.doc.lines.length);
  for (const l of lists) {
    for (const x of l.all) {
      if (x === replaced) continue;
      const [a, b] = linesOf(ctx, x);
      gone.fill(1, a, b + 1);
    }
  }
  for (const e of deleteLineSet(ctx, withEmptiedHeaders(ctx, gone))) edits.push(e);
  const names = lists.map((l) => l.name).join(' and ');
  const narrows = lists.some((l) => l.name === 'IPTABLES')
    ? '; containers with neither NETFILTER nor IPTABLES of their own lose what the global IPTABLES granted them: give them NETFILTER'
    : '';
  return [{
    title: `Move ${lists.map((l) => l.name).join(', ')} to IPTABLES_MODULES${narrows ? ' — CTs without NETFILTER lose access' : ''}`,
    detail: `Move ${names} into IPTABLES_MODULES${target ? ` (line ${lineNo(ctx, target.line)})` : ''}, the list the vzctl 4.7+ init script loads${narrows}.`,
    edits,
    safe: false,
  }];
}

/**
 * The lines a fix deletes, ascending: those marked in `gone` (one byte per line of the file, 1 = deleted)
 * plus the comment header directly above a deleted block when nothing is left
 * under it (the block is followed by a blank line, another comment or the end of the file) and it starts
 * a section (a blank line or the start of the file above it): vzctl's own vz.conf puts a `## …` line
 * over each list. The blank line above such a header goes too when the section was the last one or is
 * followed by another blank line. Suppression comments (`vzconf-disable…`) are never removed.
 * Marks the added lines in `gone`.
 */
function withEmptiedHeaders(ctx: LintContext, gone: Uint8Array): number[] {
  const count = ctx.doc.lines.length;
  const kindOf = (n: number): string => (n < 0 || n >= count ? 'edge' : (ctx.doc.lines[n]?.kind ?? 'edge'));
  const isHeader = (n: number): boolean =>
    kindOf(n) === 'comment' && !ctx.doc.continuationLines.has(n) && !/vzconf-(disable|enable)/.test(ctx.doc.text[n] ?? '');
  // The blocks of deleted lines, from the marks as given (a header added below is not a block).
  const blocks: [number, number][] = [];
  for (let n = 0; n < count; n += 1) {
    if (gone[n] !== 1) continue;
    const start = n;
    while (n + 1 < count && gone[n + 1] === 1) n += 1;
    blocks.push([start, n]);
  }
  for (const [start, end] of blocks) {
    const after = kindOf(end + 1);
    // The trailing empty string after a final newline parses as a blank line.
    if (after !== 'edge' && after !== 'blank' && after !== 'comment') continue;
    const header: number[] = [];
    let h = start - 1;
    while (isHeader(h) && gone[h] === 0) header.push(h--);
    if (header.length === 0) continue;
    const above = kindOf(h);
    if (above !== 'edge' && above !== 'blank') continue;
    for (const n of header) gone[n] = 2;
    const lastLine = end + 1 >= count - 1 && (ctx.doc.text[count - 1] ?? '') === '';
    if (above === 'blank' && (after === 'edge' || after === 'blank' || lastLine)) gone[h] = 2;
  }
  const out: number[] = [];
  for (let n = 0; n < count; n += 1) if (gone[n] !== 0) out.push(n);
  return out;
}

/**
 * The lines the status rules report on, in file order: the index in `doc.entries` of each line's entry, in an
 * Int32Array (off the JavaScript heap: a file may repeat a deprecated line 40,000 times, and three arrays of
 * entry, catalogue entry and status entries were copied by every young-generation collection of the lint).
 * A line's catalogue entry and status entries are the lint's own memos (`ctx.def`, `ctx.status`).
 */
interface StatusLines {
  at: Int32Array;
  count: number;
}

const NO_STATUS_LINES: StatusLines = { at: new Int32Array(0), count: 0 };

const statusLinesOf = new ObjectCache<LintContext, StatusLines>();

/**
 * The lines of the file with an active status (deprecated, ignored or removed), in file order: found once
 * per lint for the three status rules (most files have none). Lines inside a multi-line value, keys with
 * stray blanks and lines vzctl skips (other than the first line of a multi-line value) are left out.
 */
function statusLines(ctx: LintContext): StatusLines {
  let lines = statusLinesOf.get(ctx);
  if (lines) return lines;
  lines = NO_STATUS_LINES;
  const entries = ctx.doc.entries;
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as Entry;
    if (ctx.doc.continuationLines.has(e.line) || e.key !== e.name) continue;
    if (e.skipped && !ctx.doc.multilineOf.has(e)) continue;
    const def = ctx.def(e);
    if (!def || ctx.status(def).length === 0) continue;
    // (Made at the first such line, with room for every entry left.)
    if (lines === NO_STATUS_LINES) lines = { at: new Int32Array(entries.length - i), count: 0 };
    lines.at[lines.count] = i;
    lines.count += 1;
  }
  statusLinesOf.set(ctx, lines);
  return lines;
}

/** What every finding of one status entry on lines of one key says: built once per lint, not once per line. */
interface StatusWords {
  name: string;
  said: Said;
  detail: string;
  stock: boolean;
  /** The finding of a container's IPTABLES line but for its range and fixes, when built (see {@link DeprecatedIptables}). */
  iptables?: Finding;
  /** The finding of a vz.conf IPTABLES / IP6TABLES line but for its range, when built (its fixes are the file's one fix). */
  node?: Finding;
}

function statusWords(ctx: LintContext, name: string, def: ParameterDef, s: StatusEntry, nf: Entry | undefined): StatusWords {
  const kind = s.kind;
  const replacement = s.replacement && !s.message.includes(s.replacement) ? ` Use ${s.replacement} instead.` : '';
  const lead = new RegExp(`^(A global )?${name}\\b`).test(s.message) ? '' : `${name}: `;
  const tool = ctx.target.generation === 'classic' ? 'vzctl' : 'libvzctl';
  const where = s.in === 'node' ? ' in vz.conf' : s.in === 'container' ? ' in a container config' : '';
  // A bounded range (KMEMSIZE in libvzctl before 7.0.496, NOATIME in vzctl 4.0 to 4.2) is named by the target itself.
  const since = kind === 'ignored' && s.until !== undefined ? ` in ${toolVersion(ctx)}` : s.from !== undefined ? ` since ${tool} ${s.from}` : ctx.target.generation === 'vz7' ? ' on Virtuozzo 7' : ` (${toolVersion(ctx)})`;
  const said = nf
    ? say(ctx, `IPTABLES: NETFILTER on line ${lineNo(ctx, nf.line)} sets the access`, 'iptables-ignored-with-netfilter')
    : kind === 'deprecated'
    ? say(ctx, `${name}${where} is deprecated${since}${s.replacement ? `; use ${s.replacement}` : ''}`)
    : kind === 'ignored'
      ? say(ctx, `${name}${where} has no effect${since}`)
      : say(ctx, `${name} was removed in ${tool} ${s.from ?? ctx.target.version}`, 'parameter-unknown');
  // An ignored or removed key the target's own shipped samples carry (NETFILTER in the Virtuozzo samples
  // up to vzctl 9.0.1, whose libvzctl dropped it in 8.0.70) is on every stock copy: info, not a warning.
  const stock = kind !== 'deprecated' && shippedInTargetSamples(ctx, def.name);
  const detail = explain(said, `${`${lead}${s.message}${replacement}`.replace(/\.\s*$/, '')} (checked against ${describeTarget(ctx.target)})`);
  return { name, said, detail, stock };
}

function statusFindings(ctx: LintContext, rule: string, kind: StatusEntry['kind']): Finding[] {
  const out: Finding[] = [];
  // The words of each status entry (for the key they were built for), the fixes of vz.conf's IPTABLES
  // lists (one fix for every such line) and what the container IPTABLES fixes share: each built once.
  const words = new Map<StatusEntry, StatusWords>();
  let nodeFixes: Fix[] | undefined;
  let iptables: IptablesFixContext | undefined;
  const lines = statusLines(ctx);
  // Findings come in line order, all of one rule, all from the start of the line's key: those certainly
  // beyond the findings cap are counted, not built (rules/budget.ts).
  const budget = ruleBudget(ctx, rule);
  const entries = ctx.doc.entries;
  for (let i = 0; i < lines.count; i += 1) {
    const e = entries[lines.at[i] as number] as Entry;
    const def = ctx.def(e) as ParameterDef;
    const statuses = ctx.status(def);
    for (let j = 0; j < statuses.length; j += 1) {
      const s = statuses[j] as StatusEntry;
      if (s.kind !== kind) continue;
      if (budget && !budget.admit(e.line)) continue;
      const ctIptables = kind === 'deprecated' && def.name === 'IPTABLES' && ctx.kind !== 'node';
      let w = words.get(s);
      if (w?.name !== e.name) {
        w = statusWords(ctx, e.name, def, s, ctIptables ? netfilterInForce(ctx) : undefined);
        words.set(s, w);
      }
      const { said, detail, stock } = w;
      if (ctIptables) {
        iptables ??= new IptablesFixContext(ctx, netfilterInForce(ctx));
        w.iptables ??= finding(ctx, rule, e.keyRange, said, { detail, deprecated: true, unnecessary: false });
        out.push(new DeprecatedIptables(iptables, e, w.iptables));
        continue;
      }
      const range = kind === 'deprecated' ? e.keyRange : entryRange(e);
      if (kind === 'deprecated' && s.replacement === 'IPTABLES_MODULES') {
        // vz.conf's IPTABLES / IP6TABLES: one fix for every line, so every finding but its range is the
        // same: built once, copied per line (a vz.conf that repeats the line 40,000 times).
        w.node ??= finding(ctx, rule, range, said, { ...(stock ? { severity: 'info' as const } : {}), detail, deprecated: true, unnecessary: stock, fixes: nodeFixes ??= nodeIptablesFixes(ctx) });
        out.push(w.node.range === range ? w.node : withRange(w.node, range));
        continue;
      }
      const [from, to] = linesOf(ctx, e);
      let fixes: Fix[] = [];
      if (kind === 'deprecated' && ctx.kind === 'node') fixes = [{ title: `Remove ${e.name} from vz.conf`, edits: [deleteLines(ctx, from, to)], safe: false }];
      else if (kind !== 'deprecated') fixes = [{ title: `Remove ${e.name} (${toolVersion(ctx)} does not apply it)`, edits: [deleteLines(ctx, from, to)], safe: true }];
      out.push(finding(ctx, rule, range, said, {
        ...(stock ? { severity: 'info' as const } : {}),
        detail,
        deprecated: kind !== 'ignored',
        unnecessary: kind === 'ignored' || stock,
        fixes,
      }));
    }
  }
  return out;
}

/** Still works on the target, but has a replacement (IPTABLES → NETFILTER / IPTABLES_MODULES). */
export const deprecatedParameter: Rule = { id: 'deprecated-parameter', needs: DEPRECATED, check: (ctx) => statusFindings(ctx, 'deprecated-parameter', 'deprecated') };
/** Parsed, then ignored by the target (VETH, CONFIG_CUSTOMIZED, CAPABILITY and eight UBCs on VZ7). */
export const ignoredParameter: Rule = { id: 'ignored-parameter', needs: IGNORED, check: (ctx) => statusFindings(ctx, 'ignored-parameter', 'ignored') };
/** No longer known to the target (NOATIME since vzctl 4.3, IPTABLES/NETFILTER in libvzctl 8.0.70). */
export const removedParameter: Rule = { id: 'removed-parameter', needs: REMOVED, check: (ctx) => statusFindings(ctx, 'removed-parameter', 'removed') };
