import type { CatalogIndex } from '../catalog/load';
import type { Generation, GenerationInfo, ParameterDef, Vocabulary } from '../catalog/types';
import { describeTarget, formatTarget } from '../model/target';
import { compareVersions } from '../model/version';
import type { Entry, Position, Range } from '../parser/types';
import { effectiveValue, usedEntries, type EffectiveValue } from '../model/effective';
import type { LintContext } from '../rules/types';
import { humanize, isUnlimited, LONG_MAX, type NumberPart } from '../values/numbers';
import { grammarOf, tokens } from '../values/validate';
import { analyze, type LintOptions } from './lint';

export interface HoverOptions extends LintOptions {
  /** KB link template with `{id}`; default from schemas/kb.yaml (`https://kb.virtuozzo.com/{id}`). */
  kbUrlTemplate?: string;
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

const SCOPE_TEXT = { node: 'node-wide: the global `vz.conf`', container: 'per container: `CTID.conf`', both: 'both: a default in `vz.conf`, overridable in `CTID.conf`' } as const;
const UNIT_TEXT: Record<string, string> = {
  pages: 'pages of 4 KiB (x86); suffixes K/M/G/T are converted',
  bytes: 'bytes; suffixes K/M/G/T are converted',
  kilobytes: '1K blocks; suffixes K/M/G/T are converted',
  items: 'a count of items (no size suffix allowed)',
  inodes: 'inodes',
  seconds: 'seconds',
  percent: 'percent of one CPU',
  'bytes-per-second': 'bytes per second (suffixes b/k/m/g/t)',
  iops: 'I/O operations per second',
};
const DUP_TEXT = { first: 'the first occurrence wins', last: 'the last occurrence wins', union: 'all occurrences are merged' } as const;

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

function generationLine(gen: Generation, info: GenerationInfo | undefined): string {
  const label = gen === 'classic' ? 'Classic vzctl' : 'Virtuozzo 7 (libvzctl)';
  if (!info) return `- ${label}: not known`;
  const parts: string[] = [];
  parts.push(info.since ? `since ${info.since}` : 'known');
  if (info.handling === 'ignored') parts.push('read only by the init/network scripts');
  if (info.handling === 'script') parts.push('not parsed by vzctl; read by scripts or other tools');
  for (const s of info.status ?? []) {
    const when = s.from && s.until ? `${s.from}–${s.until}` : s.from ? `from ${s.from}` : s.until ? `before ${s.until}` : 'all versions';
    parts.push(`**${s.kind}** ${when}${s.in && s.in !== 'any' ? ` in ${s.in === 'node' ? 'vz.conf' : 'CT configs'}` : ''}${s.replacement ? ` → ${s.replacement}` : ''}`);
  }
  return `- ${label}: ${parts.join('; ')}`;
}

function syntaxOf(def: ParameterDef, gen: Generation): string {
  const g = grammarOf(def, gen);
  const values = def[gen]?.values ?? def.values;
  switch (g) {
    case 'ubc': return '`barrier[:limit]`, each a number with optional suffix, or `unlimited`';
    case 'quota': return '`soft[:hard]`';
    case 'yesno':
    case 'enum': return (values ?? ['yes', 'no']).map((v) => `\`${v}\``).join(' | ');
    case 'features': return 'space/comma list of `name:on|off`';
    case 'capability': return 'space/comma list of `capname:on|off` (names case-insensitive)';
    case 'iptables-modules': return 'space/comma list of iptables module names';
    case 'ip-list': return 'space-separated `addr[/prefix]` (IPv4 or IPv6)';
    case 'netif': return '`ifname=…[,bridge=…][,mac=…][,host_ifname=…][,host_mac=…]`, interfaces separated by `;`';
    case 'devices': return 'space list of `b|c:major:minor|all:perm` (perm from r, w, q, or none)';
    case 'devnodes': return 'space list of `device:perm`';
    case 'meminfo': return '`none` | `pages:N` | `privvmpages:N`';
    case 've-layout': return '`simfs` | `ploop` | `ploop:expanded|plain|raw`';
    case 'cpulimit': return gen === 'vz7' ? '`N`, `N%`, `Nm` or `NMHz`' : '`N` or `N%`';
    case 'cpumask': return '`all` | `auto` | list like `0-3,7`';
    case 'iolimit': return 'bytes/s, optional b/k/m/g/t suffix, or `unlimited`';
    case 'integer': {
      const r = def[gen]?.range ?? def.range;
      return r ? `whole number ${r.min ?? ''}..${r.max ?? ''}` : 'whole number';
    }
    default: return g;
  }
}

function describePart(p: NumberPart, unit: ParameterDef['unit']): string {
  if (p.unlimited) return '`unlimited`';
  const stored = p.value === LONG_MAX ? 'LONG_MAX' : p.value.toString();
  const unitWord = unit === 'pages' ? ' pages' : unit === 'kilobytes' ? ' KiB blocks' : unit === 'bytes' ? ' bytes' : '';
  const human = isUnlimited(p.value) ? humanize(p.value, unit) : unit === 'items' || unit === 'inodes' || !unit ? '' : ` = ${humanize(p.value, unit)}`;
  return `\`${p.text}\`${p.suffix ? ` → ${stored}${unitWord}` : unitWord}${human}`;
}

/** What a capability is, and for a dangerous one what it grants (schemas/vocabulary.yaml). Shared with completion. */
export function capabilityMarkdown(vocab: Vocabulary, name: string): string {
  const danger = vocab.dangerousCapabilities?.find((c) => c.name === name);
  return `**\`${name}\`** is a Linux capability${danger ? `; turning it on grants ${danger.grants} — use with care` : ''}.`;
}

/** The hover text of the value under the cursor: numbers in human units, list items explained. */
function valueSection(ctx: LintContext, e: Entry, def: ParameterDef, pos: Position): string[] {
  const out: string[] = [];
  const check = ctx.values.get(e);
  if (check?.pair) {
    const { barrier, limit, single } = check.pair;
    const [a, b] = def.grammar === 'quota' ? ['soft', 'hard'] : ['barrier', 'limit'];
    out.push(`**Value:** ${a} ${describePart(barrier, def.unit)}, ${b} ${single ? `(same as ${a})` : describePart(limit, def.unit)}`);
  }
  const vocab = ctx.catalog.catalog.vocabulary;
  const g = grammarOf(def, ctx.target.generation);
  const offset = pos.line === e.line ? pos.character - e.valueRange.start.character : -1;
  const item = tokens(e.value, ' \t,').find((t) => offset >= t.start && offset <= t.end);
  if (g === 'enum' && def.name === 'NETFILTER') {
    const mode = vocab.netfilterModes.find((m) => m.name === e.value);
    if (mode) out.push(`**\`${mode.name}\`:** ${mode.description}`);
  } else if (g === 'features' && item) {
    const f = vocab.features.find((x) => x.name === item.text.split(':')[0]);
    if (f) out.push(`**\`${f.name}\`:** ${f.description}`);
  } else if (g === 'capability' && item) {
    const name = (item.text.split(':')[0] ?? '').toUpperCase();
    if (vocab.capabilities.includes(name)) out.push(capabilityMarkdown(vocab, name));
  } else if (g === 'iptables-modules' && item) {
    const m = ctx.catalog.iptablesModule(item.text);
    if (m) out.push(`**\`${m.name}\`** needs at least \`NETFILTER="${m.netfilter}"\` on vzctl 4.7+.`);
  }
  if (e.name !== e.key) out.push(`vzctl reads the key as \`${JSON.stringify(e.key)}\`.`);
  return out;
}

/** Where an effective value comes from, for the hover: this file's line, vz.conf's line, or the default. */
function fromText(ctx: LintContext, eff: EffectiveValue): string {
  const line = (eff.entry?.line ?? 0) + 1;
  if (eff.source === 'default') return "vzctl's built-in default (not set in this file or in vz.conf)";
  if (eff.source === 'node') return `from vz.conf line ${line}${eff.path ? ` (\`${eff.path}\`)` : ''}`;
  return `from this file, line ${line}`;
}

/** Parameters whose effect depends on another one the node may set. */
const RELATED: Record<string, string[]> = {
  DISKSPACE: ['DISK_QUOTA', 'VE_LAYOUT'],
  DISKINODES: ['DISK_QUOTA', 'VE_LAYOUT'],
  QUOTATIME: ['DISK_QUOTA', 'VE_LAYOUT'],
  QUOTAUGIDLIMIT: ['DISK_QUOTA', 'VE_LAYOUT'],
};

/**
 * The effective value section (only when the file is checked with its node's vz.conf): the value vzctl
 * ends up with for the hovered parameter and where it comes from (this file's line, vz.conf line N, or
 * the built-in default), the vz.conf line a container value overrides, and the effective value of the
 * parameters it depends on (DISK_QUOTA for quotas; the node's IPTABLES list before vzctl 4.7).
 */
function effectiveSection(ctx: LintContext, e: Entry, def: ParameterDef): string[] {
  const node = ctx.node;
  // A key the target does not know has no effective value to speak of (the hover says it is unknown).
  if (!node || ctx.kind === 'node' || !ctx.known(def)) return [];
  const out: string[] = [];
  const eff = effectiveValue(ctx, def.name);
  if (eff) {
    const mine = eff.entry === e ? ' (this line)' : eff.source === 'container' ? ` (line ${(eff.entry?.line ?? 0) + 1} wins over this one)` : '';
    out.push(`**Effective value:** \`${eff.value}\` — ${fromText(ctx, eff)}${mine}`);
    const global = usedEntries(node, def);
    const g = global[global.length - 1];
    if (eff.source === 'container' && g && !def.ignoredInNodeConfig?.includes(ctx.target.generation)) {
      out.push(`- overrides vz.conf line ${g.line + 1}: \`${def.name}="${g.value}"\`${def.duplicates === 'union' ? ' (lists replace the global one, they are not merged)' : ''}`);
    }
  }
  for (const name of RELATED[def.name] ?? []) {
    const r = effectiveValue(ctx, name);
    if (r && !(name === 'VE_LAYOUT' && r.source === 'default')) out.push(`- ${name}: \`${r.value}\` — ${fromText(ctx, r)}${name === 'DISK_QUOTA' && r.value === 'no' ? ': the disk quota is off, so this is not enforced (simfs)' : ''}`);
  }
  if (def.name === 'IPTABLES' && ctx.target.generation === 'classic' && compareVersions(ctx.target.version, '4.7') < 0) {
    const global = usedEntries(node, def);
    if (global.length > 0) out.push(`- the node allows (vz.conf line ${global.map((x) => x.line + 1).join(', ')}): ${global.map((x) => `\`${x.value}\``).join(' ')} — a module outside that list never loads in a container (KB 113056)`);
  }
  return out;
}

function linksSection(catalog: CatalogIndex, def: ParameterDef, template: string): string[] {
  const out: string[] = [];
  const ids = new Set<number>(def.kb ?? []);
  for (const gen of ['classic', 'vz7'] as const) for (const s of def[gen]?.status ?? []) for (const id of s.kb ?? []) ids.add(id);
  if (ids.size > 0) {
    out.push('**Knowledge base**');
    for (const id of ids) {
      const a = catalog.kb(id);
      if (!a) continue;
      const current = a.current ? ` ([current copy](${a.current}))` : '';
      // For an article known only by its title, say nothing we cannot stand behind.
      out.push(a.evidence === 'title-only'
        ? `- [KB ${id}: ${a.title}](${kbUrl(template, id)})${current}`
        : `- [KB ${id}: ${a.title}](${kbUrl(template, id)})${current} — ${a.summary.trim()}`);
    }
  }
  const links = (def.links ?? []).filter((l) => l.url.startsWith('https://'));
  if (links.length > 0) {
    out.push('**Docs**');
    for (const l of links) out.push(`- [${l.title}](${l.url})`);
  }
  return out;
}

/** Options of {@link parameterMarkdown}. */
export interface ParameterMarkdownOptions {
  /** The key as written (an alias shows "alias of …"); default the parameter's own name. */
  name?: string;
  /** KB link template with `{id}`; default from schemas/kb.yaml. */
  kbUrlTemplate?: string;
  /** Extra sections shown after the title line, each followed by a blank line when non-empty (value, effective value…). */
  sections?: readonly (readonly string[])[];
}

/**
 * The Markdown documentation of one parameter for the file's target and kind: title with scope, the
 * given extra sections, description, syntax, unit, default, duplicate policy, restart, aliases, the
 * status on both generations and for the target, and the KB articles and docs pages. The hover shows
 * it (plus a footer naming kind and target); completion items carry it as their documentation.
 */
export function parameterMarkdown(ctx: LintContext, def: ParameterDef, options: ParameterMarkdownOptions = {}): string {
  const name = options.name ?? def.name;
  const template = options.kbUrlTemplate?.trim() || ctx.catalog.catalog.defaultUrlTemplate;
  const gen = ctx.target.generation;
  const parts: string[] = [];
  const alias = def.name !== name ? ` (alias of **${def.name}**)` : '';
  parts.push(`**${name}**${alias} — ${SCOPE_TEXT[def[gen]?.scope ?? def.scope]}`);
  parts.push('');
  for (const section of options.sections ?? []) if (section.length > 0) { for (const line of section) parts.push(line); parts.push(''); }
  parts.push(def.description.trim(), '');
  parts.push(`- Syntax: ${syntaxOf(def, gen)}`);
  if (def.unit && def.unit !== 'none') parts.push(`- Unit: ${UNIT_TEXT[def.unit] ?? def.unit}`);
  if (def.default !== undefined) parts.push(`- Default: \`${def.default}\``);
  if (def.duplicates && gen === 'classic') parts.push(`- Set twice: ${DUP_TEXT[def.duplicates]} (classic); Virtuozzo 7 keeps the last`);
  if (def.restart) parts.push('- Changing it on a running container needs a restart');
  if (def.aliases?.length) parts.push(`- Also spelt: ${def.aliases.map((a) => `\`${a}\``).join(', ')}`);
  parts.push(generationLine('classic', def.classic), generationLine('vz7', def.vz7));
  const active = ctx.status(def);
  if (!ctx.known(def)) parts.push('', `**${describeTarget(ctx.target)} does not know ${def.name}.**`);
  for (const s of active) parts.push('', `**${s.kind[0]?.toUpperCase()}${s.kind.slice(1)} on ${describeTarget(ctx.target)}:** ${s.message}${s.replacement ? ` Use ${s.replacement}.` : ''}`);
  const links = linksSection(ctx.catalog, def, template);
  if (links.length > 0) { parts.push(''); for (const l of links) parts.push(l); }
  return parts.join('\n');
}

/** The short syntax text of a parameter on a generation (as the hover's "Syntax" line shows it). */
export function syntaxText(def: ParameterDef, gen: Generation): string {
  return syntaxOf(def, gen);
}

/**
 * Hover for the key or value under `position`: what the parameter does, its syntax, unit, default,
 * scope, version status on both generations and for the target, the value in human units, and the
 * KB articles (our summary of each, so it helps even when an old link is dead) and docs pages.
 * Hovering a line that is not a known parameter gives the file's kind and target and why they were
 * chosen. Pure; returns null where there is nothing to say.
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function computeHover(text: string, position: Position, options: HoverOptions = {}): HoverResult | null {
  const ctx = analyze(text, options);
  const template = options.kbUrlTemplate?.trim() || ctx.catalog.catalog.defaultUrlTemplate;
  const kindText = ctx.kind === 'node' ? 'node config (vz.conf)' : ctx.kind === 'ct0' ? 'host CT0 config (0.conf)' : 'container config';
  // The first line explains in full how the kind and target were chosen; elsewhere one short line.
  const footer = position.line === 0
    ? `_Checked as a ${kindText} — ${ctx.kindReason} — against ${describeTarget(ctx.target)} (\`${formatTarget(ctx.target)}\`; ${ctx.target.reason})._` +
      (ctx.target.generation === 'vz7'
        ? '\n\n**Virtuozzo 7\'s vzctl rewrites this file:** it is created and modified by vzctl, and changes made otherwise can be lost (ve.conf(5)). Change a running container with `vzctl set CTID … --save` (code action "Copy as a `vzctl set` command").'
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
    return { contents: [`**${e.name}** is not a parameter vzconf knows for either vzctl generation.`, '', footer].join('\n'), range };
  }
  const sections: string[][] = [];
  if (onValue) sections.push(valueSection(ctx, e, def, position));
  sections.push(effectiveSection(ctx, e, def));
  const contents = parameterMarkdown(ctx, def, { name: e.name, kbUrlTemplate: template, sections });
  return { contents: `${contents}\n\n${footer}`, range };
}
