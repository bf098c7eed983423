/**
 * Hover: what a parameter is, in at most about twelve lines before a "More" section.
 *
 * Everything that comes from the file, its name or a setting (keys, values, paths, the reasons the
 * target and kind were chosen, the KB URL template) is escaped or validated here (./markdown.ts), so
 * the Markdown holds no link, image, HTML or code-span end that the catalogue did not put there.
 */
import type { CatalogIndex } from '../catalog/load';
import type { Generation, GenerationInfo, ParameterDef, StatusEntry, Unit, Vocabulary } from '../catalog/types';
import { describeTarget, formatTarget, targetReason } from '../model/target';
import { compareVersions } from '../model/version';
import { fromEditorPosition, toEditorRange } from '../parser/parse';
import type { Entry, Position, Range } from '../parser/types';
import { createDefaultOnly, effectiveValue, fileOf, lineList, nodeLineNotTaken, refusedEffect, skippedForValue, unsettingLine, usedEntries, type EffectiveValue } from '../model/effective';
import { notTakenFromNode, outcomeText, ownLineCreateOnly, refusedText } from './effective';
import type { LintContext } from '../rules/types';
import { lineNo } from '../rules/util';
import { humanize, isUnlimited, LONG_MAX, SIZE_SUFFIX, unitBytes, type NumberPart } from '../values/numbers';
import { grammarOf, tokens } from '../values/validate';
import { analyze, type LintOptions } from './lint';
import { codeSpan, escapeMarkdown, link, safeLinkTarget } from './markdown';

export interface HoverOptions extends LintOptions {
  /** KB link template with `{id}` (an `https:` URL); default from schemas/kb.yaml (`https://kb.virtuozzo.com/{id}`). */
  kbUrlTemplate?: string;
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

/** The line that starts the part of a hover below the summary. */
export const MORE_HEADING = '**More**';
/** Lines of a hover before its "More" section, at most (title, what it is, facts, one line per KB article). */
export const SUMMARY_MAX_LINES = 12;

const SCOPE_TEXT = { node: 'node-wide (`vz.conf`)', container: 'per container (`CTID.conf`)', both: 'default in `vz.conf`, overridable per container' } as const;
/** What one stored unit of a numeric parameter is (the numbers of `barrier[:limit]` / `soft[:hard]`). */
const UNIT_NOUN: Partial<Record<Unit, string>> = {
  pages: 'pages of 4 KiB (x86)',
  bytes: 'bytes',
  kilobytes: '1 KiB blocks',
  items: 'counts',
  inodes: 'inodes',
};
/** The unit of other numeric values. */
const UNIT_TEXT: Partial<Record<Unit, string>> = {
  seconds: 'seconds',
  percent: 'percent of one CPU',
  'bytes-per-second': 'bytes per second',
  iops: 'I/O operations per second',
};
const DUP_TEXT = { first: 'classic vzctl uses the first', last: 'classic vzctl uses the last', union: 'classic vzctl merges all of them' } as const;

function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

/** Renders a KB link from the template; the template must contain `{id}`. */
export function kbUrl(template: string, id: number): string {
  return template.includes('{id}') ? template.split('{id}').join(String(id)) : `${template.replace(/\/$/, '')}/${id}`;
}

/**
 * The URL of KB article `id` for a hover or an action: from `template` when that gives a safe `https:`
 * URL (markdown.ts `safeLinkTarget`), else from the catalogue's default template.
 */
export function safeKbUrl(catalog: CatalogIndex, template: string | undefined, id: number): string {
  const fromSetting = template?.trim() ? safeLinkTarget(kbUrl(template.trim(), id)) : undefined;
  return fromSetting ?? kbUrl(catalog.catalog.defaultUrlTemplate, id);
}

/**
 * The size suffixes vzctl's number reader accepts in a `barrier[:limit]` / `soft[:hard]` part of a
 * parameter with `unit` on `gen`: none for counts (`unitBytes` null: vzctl `get_mul` divisor 0),
 * otherwise the keys of `SIZE_SUFFIX` (K M G T P B), without P on Virtuozzo 7. Same facts as
 * `parseSizedNumber` (values/numbers.ts), so the hover and the check cannot disagree.
 */
export function sizeSuffixes(unit: Unit | undefined, gen: Generation): string[] {
  if (unitBytes(unit) === null) return [];
  return Object.keys(SIZE_SUFFIX).filter((s) => !(s === 'P' && gen === 'vz7'));
}

/** The syntax of a UBC or quota pair, generated from grammar, unit and generation (one statement). */
function pairSyntax(def: ParameterDef, gen: Generation, quota: boolean): string {
  const form = quota ? '`soft[:hard]`' : '`barrier[:limit]`';
  const noun = (def.unit && UNIT_NOUN[def.unit]) ?? 'numbers';
  const sfx = sizeSuffixes(def.unit, gen);
  // Classic vzctl 4.x reads quotas with parse_twoul_sfx(…, 0): no `unlimited` (see values/validate.ts).
  const unlimited = !quota || gen !== 'classic';
  const suffixText = sfx.length > 0 ? `each may end in a size suffix ${sfx.join('/')}` : 'no size suffix';
  return `${form} in ${noun}; ${suffixText}${unlimited ? '; or `unlimited`' : ''}`;
}

function syntaxOf(def: ParameterDef, gen: Generation): string {
  const g = grammarOf(def, gen);
  const values = def[gen]?.values ?? def.values;
  const unit = def.unit ? UNIT_TEXT[def.unit] : undefined;
  const withUnit = (s: string): string => (unit ? `${s} (${unit})` : s);
  switch (g) {
    case 'ubc': return pairSyntax(def, gen, false);
    case 'quota': return pairSyntax(def, gen, true);
    case 'yesno':
    case 'enum': return (values ?? ['yes', 'no']).map((v) => `\`${v}\``).join(' | ');
    case 'features': return 'space/comma list of `name:on|off`';
    case 'capability': return 'space/comma list of `capname:on|off` (names case-insensitive)';
    case 'iptables-modules': return 'space/comma list of iptables module names';
    case 'ip-list': return 'space-separated `addr[/prefix]` (IPv4 or IPv6)';
    case 'netif': return gen === 'vz7'
      ? '`ifname=…[,mac=…][,host_ifname=…][,host_mac=…][,network=…][,ip=…][,gw=…]…`, interfaces separated by `;`'
      : '`ifname=…[,bridge=…][,mac=…][,host_ifname=…][,host_mac=…][,mac_filter=on|off]`, interfaces separated by `;`';
    case 'devices': return 'space list of `b|c:major:minor|all:perm` (perm from r, w, q, or none)';
    case 'devnodes': return 'space list of `device:perm`';
    case 'meminfo': return '`none` | `pages:N` | `privvmpages:N`';
    case 've-layout': return '`simfs` | `ploop` | `ploop:expanded|plain|raw`';
    case 'cpulimit': return gen === 'vz7' ? '`N`, `N%`, `Nm` or `NMHz`' : '`N` or `N%`';
    case 'cpumask': return '`all` | `auto` | list like `0-3,7`';
    case 'ctid': return 'UUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits) or whole number 0..2147483647';
    case 'iolimit': return 'bytes/s, optional b/k/m/g/t suffix, or `unlimited`';
    case 'integer': {
      const r = def[gen]?.range ?? def.range;
      return withUnit(r ? `whole number ${r.min ?? ''}..${r.max ?? ''}` : 'whole number');
    }
    default: return withUnit(g);
  }
}

/** The versions a status entry covers: "4.7–4.9", "from 4.7", "until 7.0.60" (not in it), "in all versions". */
function statusWhen(s: StatusEntry): string {
  return s.from && s.until ? `${s.from}–${s.until}` : s.from ? `from ${s.from}` : s.until ? `until ${s.until}` : 'in all versions';
}

/**
 * Status entries as short phrases ("deprecated from 4.7 in CT configs → NETFILTER"), consecutive entries of the same kind, place and replacement as one:
 * "ignored until 7.0.442.9, 7.0.442.10–7.0.442.12, 7.0.444–7.0.456" rather than "ignored" six times (a key
 * libvzctl dropped and brought back across maintenance tags, as KMEMSIZE).
 */
function statusPhrases(list: readonly StatusEntry[]): string[] {
  const out: string[] = [];
  let prev: StatusEntry | undefined;
  for (const s of list) {
    const where = s.in && s.in !== 'any' ? ` in ${s.in === 'node' ? 'vz.conf' : 'CT configs'}` : '';
    const to = s.replacement ? ` → ${s.replacement}` : '';
    if (prev && prev.kind === s.kind && (prev.in ?? 'any') === (s.in ?? 'any') && prev.replacement === s.replacement && out.length > 0) {
      const last = out.length - 1;
      const head = (out[last] as string).slice(0, (out[last] as string).length - where.length - to.length);
      out[last] = `${head}, ${statusWhen(s)}${where}${to}`;
    } else out.push(`${s.kind} ${statusWhen(s)}${where}${to}`);
    prev = s;
  }
  return out;
}

/** A key of handling `sample` (catalog/types.ts Handling): written into shipped samples, read by nothing. */
const SAMPLE_ONLY = 'in the shipped sample configs, read by no vzctl code; harmless';

function generationLine(gen: Generation, info: GenerationInfo | undefined): string {
  const label = gen === 'classic' ? 'Classic vzctl' : 'Virtuozzo 7 (libvzctl)';
  if (!info) return `- ${label}: not known`;
  const parts: string[] = [];
  if (info.since || info.handling !== 'sample') parts.push(info.since ? `since ${info.since}` : 'known');
  if (info.handling === 'ignored') parts.push('read only by the init/network scripts');
  if (info.handling === 'script') parts.push('not parsed by vzctl; read by scripts or other tools');
  if (info.handling === 'sample') parts.push(SAMPLE_ONLY);
  for (const p of statusPhrases(info.status ?? [])) parts.push(p);
  return `- ${label}: ${parts.join('; ')}`;
}

/**
 * The parameter's status for the file's target, in one line: unknown (and since when it exists), each
 * active status (deprecated / ignored / removed, with the replacement), or supported (since when),
 * plus whether a change on a running container needs a restart.
 */
function statusLine(ctx: LintContext, def: ParameterDef): string {
  const target = describeTarget(ctx.target);
  const gen = ctx.target.generation;
  const info = def[gen];
  let text: string;
  if (!ctx.known(def)) {
    text = info?.since && compareVersions(ctx.target.version, info.since) < 0 ? `not known yet (added in ${info.since})` : 'not known';
  } else {
    const active = ctx.status(def);
    if (active.length > 0) text = statusPhrases(active).join('; ');
    else {
      text = `supported${info?.since ? ` since ${info.since}` : ''}`;
      if (info?.handling === 'ignored') text += ', read only by the init/network scripts';
      // Not "supported": vzctl does not read it at all (VERSION, PLATFORM in the samples).
      if (info?.handling === 'script') text = `not parsed by vzctl${info.since ? ` (known since ${info.since})` : ''}; read by scripts or other tools`;
      if (info?.handling === 'sample') text = SAMPLE_ONLY;
    }
    if (def.restart) text += '; a change on a running container needs a restart';
  }
  return `- On ${target}: ${text}`;
}

function describePart(p: NumberPart, unit: ParameterDef['unit']): string {
  if (p.unlimited) return '`unlimited`';
  const stored = p.value === LONG_MAX ? 'LONG_MAX' : p.value.toString();
  const unitWord = unit === 'pages' ? ' pages' : unit === 'kilobytes' ? ' KiB blocks' : unit === 'bytes' ? ' bytes' : '';
  const human = isUnlimited(p.value) ? humanize(p.value, unit) : unit === 'items' || unit === 'inodes' || !unit ? '' : ` = ${humanize(p.value, unit)}`;
  return `${codeSpan(p.text, 40)}${p.suffix ? ` → ${stored}${unitWord}` : unitWord}${human}`;
}

/** What a capability is, and for a dangerous one what it grants (schemas/vocabulary.yaml). Shared with completion. */
export function capabilityMarkdown(vocab: Vocabulary, name: string): string {
  const danger = vocab.dangerousCapabilities?.find((c) => c.name === name);
  return `**\`${name}\`** is a Linux capability${danger ? `; turning it on grants ${danger.grants} — use with care` : ''}.`;
}

/** The value under the cursor: numbers in human units, list items explained (bullet lines). */
function valueSection(ctx: LintContext, e: Entry, def: ParameterDef, pos: Position): string[] {
  const out: string[] = [];
  const check = ctx.values.get(e);
  if (check?.pair) {
    const { barrier, limit, single } = check.pair;
    const [a, b] = def.grammar === 'quota' ? ['soft', 'hard'] : ['barrier', 'limit'];
    // One number sets both parts (vzctl: "If :yyy is omitted, it is set to xxx"): say what was written and what it becomes.
    out.push(single
      ? `- Value: ${describePart(barrier, def.unit)}, as ${a} and ${b} both (a single value sets both)`
      : `- Value: ${a} ${describePart(barrier, def.unit)}, ${b} ${describePart(limit, def.unit)}`);
  }
  const vocab = ctx.catalog.catalog.vocabulary;
  const g = grammarOf(def, ctx.target.generation);
  const offset = pos.line === e.line ? pos.character - e.valueRange.start.character : -1;
  const item = tokens(e.value, ' \t,').find((t) => offset >= t.start && offset <= t.end);
  if (g === 'enum' && def.name === 'NETFILTER') {
    const mode = vocab.netfilterModes.find((m) => m.name === e.value);
    if (mode) out.push(`- \`${mode.name}\`: ${mode.description}`);
  } else if (g === 'features' && item) {
    const f = vocab.features.find((x) => x.name === item.text.split(':')[0]);
    if (f) out.push(`- \`${f.name}\`: ${f.description}`);
  } else if (g === 'capability' && item) {
    const name = (item.text.split(':')[0] ?? '').toUpperCase();
    if (vocab.capabilities.includes(name)) out.push(`- ${capabilityMarkdown(vocab, name)}`);
  } else if (g === 'iptables-modules' && item) {
    const m = ctx.catalog.iptablesModule(item.text);
    if (m) out.push(`- \`${m.name}\` needs at least \`NETFILTER="${m.netfilter}"\` on vzctl 4.7+.`);
  }
  if (e.name !== e.key) out.push(`- vzctl reads the key as ${codeSpan(JSON.stringify(e.key), 60)}.`);
  return out;
}

/** Where an effective value comes from, for the hover: this file's line, vz.conf's line, or the default. */
function fromText(ctx: LintContext, eff: EffectiveValue): string {
  const line = lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0);
  if (eff.source === 'default') return "vzctl's built-in default (not set in this file or in vz.conf)";
  // A classic union key on several lines: vzctl adds every line's items, no line wins.
  const lines = eff.merged ? `lines ${lineList(fileOf(ctx, eff).doc, eff.merged)} merged` : `line ${line}`;
  if (eff.source === 'node') return `from vz.conf ${lines}${eff.path ? ` (${codeSpan(eff.path, 120)})` : ''}`;
  return `from this file, ${lines}`;
}

/** Parameters whose effect depends on another one the node may set. */
const RELATED: Record<string, string[]> = {
  DISKSPACE: ['DISK_QUOTA', 'VE_LAYOUT'],
  DISKINODES: ['DISK_QUOTA', 'VE_LAYOUT'],
  QUOTATIME: ['DISK_QUOTA', 'VE_LAYOUT'],
  QUOTAUGIDLIMIT: ['DISK_QUOTA', 'VE_LAYOUT'],
};

/**
 * The effective value (only when the file is checked with its node's vz.conf), as bullet lines: the
 * value vzctl ends up with and where it comes from (this file's line, vz.conf line N, or the built-in
 * default) with the vz.conf line a container value overrides (`main`), and the effective value of the
 * parameters it depends on (DISK_QUOTA for quotas; the node's IPTABLES list before vzctl 4.7: `related`).
 */
function effectiveSection(ctx: LintContext, e: Entry, def: ParameterDef): { main: string[]; related: string[] } {
  const node = ctx.node;
  const main: string[] = [];
  const related: string[] = [];
  // A key the target does not know has no effective value to speak of (the hover says it is unknown).
  if (!node || ctx.kind === 'node' || !ctx.known(def)) return { main, related };
  const eff = effectiveValue(ctx, def.name);
  // A line vzctl skips for its value never takes effect: the value comes from elsewhere, or is unset.
  const skipped = skippedForValue(ctx, e);
  // Classic IOPRIO / IOLIMIT / IOPSLIMIT: a refused value unsets the key, wiping out the lines before it.
  const unset = unsettingLine(ctx, def);
  const unsetNote = unset === undefined ? '' : unset === e ? ' (vzctl refuses this line and unsets the key)' : e.line < unset.line ? ` (line ${lineNo(ctx, unset.line)} unsets it: vzctl refuses that value)` : '';
  if (!eff && skipped) main.push('- Effective: not set (vzctl skips this line: invalid value)');
  else if (!eff && unsetNote) main.push(`- Effective: not set${unsetNote}`);
  if (eff?.refused) {
    // Virtuozzo 7: libvzctl refuses the value rather than skipping the line; no value takes effect.
    const at = eff.entry === e ? 'this line' : `${eff.source === 'node' ? 'vz.conf ' : ''}line ${lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0)}`;
    main.push(`- Effective: none — ${refusedText(ctx, def.name, eff.value, at, (v) => codeSpan(v))}`);
  } else if (eff && outcomeText(ctx, def.name, eff.value) !== undefined) {
    // Virtuozzo 7 IOPSLIMIT "": the reader stores nothing of the value; say what it does instead.
    const at = eff.entry === e ? 'this line' : `${eff.source === 'node' ? 'vz.conf ' : ''}line ${lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0)}`;
    main.push(`- Effective: none known (${at}) — ${outcomeText(ctx, def.name, eff.value) ?? ''}`);
  } else if (eff) {
    const mine = skipped
      ? ' (vzctl skips this line: invalid value)'
      : unsetNote !== '' ? unsetNote
      : refusedEffect(ctx, e) === 'partial' ? ' (of this line vzctl keeps only the items before the bad one)'
      : eff.mergeNonZero === 'zero-dropped' ? ` (${describeTarget(ctx.target)} does not merge a 0 from the container, OpenVZ bug 849)`
      : eff.merged?.includes(e) === true ? ' (this line included)'
        : eff.entry === e ? ' (this line)' : eff.source === 'container' ? ` (line ${lineNo(ctx, eff.entry?.line ?? 0)} wins over this one)` : '';
    const from = (skipped || eff.mergeNonZero !== undefined) && eff.source === 'default' ? "vzctl's built-in default" : fromText(ctx, eff);
    let text = `- Effective: ${codeSpan(eff.value)} ${from}${mine}`;
    const global = usedEntries(node, def);
    const g = global[global.length - 1];
    const createOnly = eff.source === 'container' && !skipped ? ownLineCreateOnly(ctx, def) : undefined;
    if (createOnly) text += `; ${createOnly}`;
    if (eff.source === 'container' && g && !def.ignoredInNodeConfig?.includes(ctx.target.generation) && !createDefaultOnly(ctx, def)) {
      text += `; overrides vz.conf line ${lineNo(node, g.line)}, ${codeSpan(g.value)}${def.duplicates === 'union' ? ' (lists replace the global one, they are not merged)' : ''}`;
    }
    main.push(text);
  }
  for (const name of RELATED[def.name] ?? []) {
    const r = effectiveValue(ctx, name);
    const rdef = ctx.catalog.parameter(name);
    if (r?.refused) {
      related.push(`- ${name}: ${refusedText(ctx, name, r.value, `${r.source === 'node' ? 'vz.conf ' : ''}line ${lineNo(fileOf(ctx, r), r.entry?.line ?? 0)}`, (v) => codeSpan(v))}`);
    } else if (r && !(name === 'VE_LAYOUT' && r.source === 'default')) {
      const createOnly = r.source === 'container' && rdef ? ownLineCreateOnly(ctx, rdef) : undefined;
      related.push(`- ${name}: ${codeSpan(r.value)} ${fromText(ctx, r)}${createOnly ? `; ${createOnly}` : ''}${name === 'DISK_QUOTA' && r.value === 'no' ? ': the disk quota is off, so this is not enforced (simfs)' : ''}`);
    } else if (!r && rdef) {
      // vz.conf's VE_LAYOUT is the default for vzctl create only: never this container's layout.
      const notTaken = nodeLineNotTaken(ctx, rdef);
      if (notTaken) related.push(`- ${name}: not set in this file; ${notTakenFromNode(ctx, `vz.conf line ${lineNo(node, notTaken.entry.line)}`, notTaken.entry.value, (v) => codeSpan(v))}`);
    }
  }
  if (def.name === 'IPTABLES' && ctx.target.generation === 'classic' && compareVersions(ctx.target.version, '4.7') < 0) {
    const global = usedEntries(node, def);
    if (global.length > 0) {
      related.push(`- The node allows (vz.conf line ${global.map((x) => lineNo(node, x.line)).join(', ')}): ${global.map((x) => codeSpan(x.value)).join(' ')}; a module outside that list never loads in a container (KB 113056)`);
    }
  }
  return { main, related };
}

/** The KB article ids of a parameter: its own, then those of its status entries on both generations. */
function kbIds(def: ParameterDef): number[] {
  const ids = new Set<number>(def.kb ?? []);
  for (const gen of ['classic', 'vz7'] as const) for (const s of def[gen]?.status ?? []) for (const id of s.kb ?? []) ids.add(id);
  return [...ids];
}

/** One line per KB article: `- [KB id: exact title](url)` (titles from schemas/kb.yaml). */
function kbLines(catalog: CatalogIndex, def: ParameterDef, template: string | undefined): string[] {
  const out: string[] = [];
  for (const id of kbIds(def)) {
    const a = catalog.kb(id);
    if (a) out.push(`- ${link(`KB ${id}: ${a.title}`, safeKbUrl(catalog, template, id), true)}`);
  }
  return out;
}

/** The "More" part's KB summaries (only for articles whose content was seen) and docs pages. */
function moreLinks(catalog: CatalogIndex, def: ParameterDef): string[] {
  const out: string[] = [];
  for (const id of kbIds(def)) {
    const a = catalog.kb(id);
    // For an article known only by its title, say nothing we cannot stand behind.
    if (!a || a.evidence === 'title-only') continue;
    out.push(`- KB ${id}: ${a.summary.trim()}${a.current ? ` (${link('current copy', a.current, true)})` : ''}`);
  }
  for (const l of def.links ?? []) {
    if (safeLinkTarget(l.url)) out.push(`- ${link(l.title, l.url, true)}`);
  }
  return out;
}

/** The first sentence of a description (up to the first ". " outside a code span), and the rest. */
function splitFirstSentence(text: string): [string, string] {
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && c === '.' && (text[i + 1] === ' ' || text[i + 1] === '\n') && !/\b(e\.g|i\.e|etc|vs)$/.test(text.slice(Math.max(0, i - 4), i))) {
      return [text.slice(0, i + 1), text.slice(i + 2).trim()];
    }
  }
  return [text, ''];
}

/** Options of {@link parameterMarkdown}. */
export interface ParameterMarkdownOptions {
  /** The key as written (an alias shows "alias of …"); default the parameter's own name. */
  name?: string;
  /** KB link template with `{id}`; default from schemas/kb.yaml. Unsafe templates fall back to the default. */
  kbUrlTemplate?: string;
  /** Bullet lines (`- …`) shown in the summary after the title: the value, the effective value… */
  sections?: readonly (readonly string[])[];
  /** Bullet lines shown in the summary when room is left, else at the top of the "More" part. */
  extra?: readonly string[];
}

/**
 * The Markdown documentation of one parameter for the file's target and kind.
 *
 * Summary (at most {@link SUMMARY_MAX_LINES} lines): title with scope; what the key is (the
 * description's first sentence); the given bullet lines (value in human units, effective value and
 * source); the status for the target (one line, with the restart note); one line per KB article with
 * its exact title from schemas/kb.yaml. Then `---` and {@link MORE_HEADING}: the rest of the
 * description, the syntax (generated from grammar, unit and generation, see {@link sizeSuffixes}),
 * default, duplicate policy, aliases, the history on both generations, the why of an active status,
 * the KB summaries and docs pages. Each statement appears once. The hover shows it (plus a footer
 * naming kind and target); completion items carry it as their documentation.
 */
export function parameterMarkdown(ctx: LintContext, def: ParameterDef, options: ParameterMarkdownOptions = {}): string {
  const name = options.name ?? def.name;
  const gen = ctx.target.generation;
  const [what, rest] = splitFirstSentence(def.description.trim());
  const alias = def.name !== name ? ` (alias of **${def.name}**)` : '';
  const summary: string[] = [`**${escapeMarkdown(name, 80)}**${alias} · ${SCOPE_TEXT[def[gen]?.scope ?? def.scope]}`, '', what, ''];
  for (const section of options.sections ?? []) for (const line of section) summary.push(line);
  summary.push(statusLine(ctx, def));
  const kb = kbLines(ctx.catalog, def, options.kbUrlTemplate);
  const extra = options.extra ?? [];
  const roomForExtra = summary.length + kb.length + extra.length <= SUMMARY_MAX_LINES;
  if (roomForExtra) for (const line of extra) summary.push(line);
  for (const line of kb) summary.push(line);

  const more: string[] = [];
  if (!roomForExtra) {
    for (const line of extra) more.push(line);
    more.push('');
  }
  if (rest) more.push(rest, '');
  more.push(`- Syntax: ${syntaxOf(def, gen)}`);
  if (def.default !== undefined) more.push(`- Default: \`${def.default}\``);
  if (def.duplicates && gen === 'classic') more.push(`- Set twice: ${DUP_TEXT[def.duplicates]}, Virtuozzo 7 the last`);
  if (def.aliases?.length) more.push(`- Also spelt: ${def.aliases.map((a) => `\`${a}\``).join(', ')}`);
  more.push(generationLine('classic', def.classic), generationLine('vz7', def.vz7));
  if (ctx.known(def)) for (const s of ctx.status(def)) more.push('', `Why ${s.kind}: ${s.message}`);
  const links = moreLinks(ctx.catalog, def);
  if (links.length > 0) {
    more.push('');
    for (const l of links) more.push(l);
  }
  return [...summary, '', '---', '', MORE_HEADING, '', ...more].join('\n');
}

/** The short syntax text of a parameter on a generation (as the hover's "Syntax" line shows it). */
export function syntaxText(def: ParameterDef, gen: Generation): string {
  return syntaxOf(def, gen);
}

/**
 * Hover for the key or value under `position`: the parameter's summary (what it is, the value in
 * human units, the effective value and its source, the status for the target, the KB articles) and a
 * "More" section (see {@link parameterMarkdown}). Hovering a line that is not a known parameter gives
 * the file's kind and target and why they were chosen. Pure; returns null where there is nothing to
 * say. Text from the file, its path and the settings is escaped (./markdown.ts).
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function computeHover(text: string, editorPosition: Position, options: HoverOptions = {}): HoverResult | null {
  const ctx = analyze(text, options);
  // The model counts vzctl's lines (a lone CR does not end one); the editor's position is mapped in, the range out.
  const result = hoverAt(ctx, fromEditorPosition(ctx.doc, editorPosition), options);
  return result && ctx.doc.editorLines ? { contents: result.contents, range: toEditorRange(ctx.doc, result.range) } : result;
}

function hoverAt(ctx: LintContext, position: Position, options: HoverOptions): HoverResult | null {
  const kindText = ctx.kind === 'node' ? 'node config (vz.conf)' : ctx.kind === 'ct0' ? 'host CT0 config (0.conf)' : 'container config';
  // The first line explains in full how the kind and target were chosen; elsewhere one short line.
  const footer = position.line === 0
    ? `_Checked as a ${kindText}_ — ${escapeMarkdown(ctx.kindReason, 300)} — _against ${describeTarget(ctx.target)}_ (${codeSpan(formatTarget(ctx.target))}; ${escapeMarkdown(targetReason(ctx.target, 'editor'), 300)}).` +
      (ctx.target.generation === 'vz7'
        ? '\n\n**Virtuozzo 7\'s vzctl rewrites this file:** it is created and modified by vzctl, and changes made otherwise can be lost (ve.conf(5)). Change a running container with `vzctl set CTID … --save` (code action "Copy as vzctl set command").'
        : '')
    : `_${kindText}, checked against ${describeTarget(ctx.target)}._`;
  const line = ctx.doc.lines[position.line];
  if (!line) return null;
  if (line.kind !== 'entry') {
    if (position.line !== 0) return null;
    return { contents: footer, range: { start: { line: 0, character: 0 }, end: { line: 0, character: (ctx.doc.text[0] ?? '').length } } };
  }
  const e = line;
  const onKey = contains(e.keyRange, position);
  const onValue = contains(e.rawValueRange, position);
  if (!onKey && !onValue) return null;
  const def = ctx.catalog.parameter(e.name);
  const range = onKey ? e.keyRange : e.rawValueRange;
  if (!def) {
    return { contents: [`**${escapeMarkdown(e.name, 80)}** is not a parameter vzconf knows for either vzctl generation.`, '', footer].join('\n'), range };
  }
  const sections: string[][] = [];
  if (onValue) sections.push(valueSection(ctx, e, def, position));
  const eff = effectiveSection(ctx, e, def);
  sections.push(eff.main);
  const contents = parameterMarkdown(ctx, def, { name: e.name, ...(options.kbUrlTemplate !== undefined ? { kbUrlTemplate: options.kbUrlTemplate } : {}), sections, extra: eff.related });
  return { contents: `${contents}\n\n${footer}`, range };
}
