/**
 * Completion for vz.conf / CTID.conf: parameter names valid for the file kind and target, and values
 * at the cursor (enums, FEATURES / CAPABILITY items, iptables module names, OS template and sample
 * names). Pure over its inputs; results are LSP-shaped (structural types, no dependency on
 * vscode-languageserver) so the protocol layer hands them over unchanged.
 *
 * Sources: the parameter catalogue (schemas/parameters.yaml: kind via `scope`, target via
 * `since` / `status`), schemas/vocabulary.yaml (features, capabilities, iptables modules, netfilter
 * modes), schemas/samples.yaml (sample names vzctl shipped), schemas/templates.yaml (OS templates of
 * KB 127023) and schemas/host-modules.yaml (host modules of vzctl 4.11.1's vz.conf.in).
 */
import { schemaData } from '../catalog/load';
import type { Generation, ParameterDef } from '../catalog/types';
import { knownAt } from '../catalog/features';
import { compareVersions } from '../model/version';
import { splitLines } from '../parser/parse';
import type { Position, Range } from '../parser/types';
import type { LintContext } from '../rules/types';
import { grammarOf } from '../values/validate';
import { capabilityMarkdown, kbUrl, parameterMarkdown, syntaxText } from './hover';
import { analyze, type LintOptions } from './lint';
import { shippedSamples } from './node';

/** LSP `CompletionItemKind` values used here. */
export const CompletionItemKind = { Property: 10, Value: 12, EnumMember: 20, File: 17, Module: 9 } as const;
/** LSP `InsertTextFormat`: 1 plain text, 2 snippet. */
export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;
/** LSP `CompletionItemTag.Deprecated`. */
export const DEPRECATED_TAG = 1 as const;

/** An LSP `CompletionItem` (the fields vzconf fills). */
export interface CompletionItem {
  label: string;
  kind: number;
  detail?: string;
  documentation?: { kind: 'markdown'; value: string };
  sortText?: string;
  filterText?: string;
  insertTextFormat?: 1 | 2;
  /** Replaces `range` (on the cursor's line, containing the cursor) by `newText`. */
  textEdit: { range: Range; newText: string };
  tags?: 1[];
  /** LSP 3.17 label details: shown beside the label (`default`, a key's note). */
  labelDetails?: { description?: string };
  /** `editor.action.triggerSuggest` after inserting a key whose value has its own completions. */
  command?: { title: string; command: string };
}

export interface CompletionOptions extends LintOptions {
  /** KB link template with `{id}` for the documentation; default from schemas/kb.yaml. */
  kbUrlTemplate?: string;
  /** Sample names present in the node's conf/ folder (`ve-NAME.conf-sample`), offered first for CONFIGFILE / ORIGIN_SAMPLE. */
  samples?: readonly string[];
}

/** Outline / completion label of each catalogue group (the order of vzctl's sample files). */
export const GROUP_LABELS: Record<ParameterDef['group'], string> = {
  general: 'General',
  memory: 'Memory (vSwap)',
  ubc: 'Resources (UBC)',
  disk: 'Disk',
  cpu: 'CPU',
  io: 'I/O',
  network: 'Network',
  netfilter: 'Netfilter',
  devices: 'Devices and features',
  node: 'Node (vz.conf)',
  vz7: 'Virtuozzo 7',
};

// ---------------------------------------------------------------------------------------------
// Data files

/** schemas/templates.yaml (validated by templates.schema.json). */
export interface TemplateData {
  source: string;
  /** The KB article the names come from (127023). */
  kb: number;
  templates: { name: string; distribution: string; archs: ('x86' | 'x86_64')[] }[];
}

/** schemas/host-modules.yaml (validated by host-modules.schema.json). */
export interface HostModuleData {
  source: string;
  modules: { name: string; family: 'ipv4' | 'ipv6' }[];
}

let templateData: TemplateData | undefined;
let hostModuleData: HostModuleData | undefined;

/** The OS template names of KB 127023, loaded once from schemas/templates.yaml. */
export function osTemplates(): TemplateData {
  templateData ??= schemaData<TemplateData>('templates');
  return templateData;
}

/** The host module names of schemas/host-modules.yaml, loaded once. */
export function hostModules(): HostModuleData {
  hostModuleData ??= schemaData<HostModuleData>('host-modules');
  return hostModuleData;
}

// ---------------------------------------------------------------------------------------------
// Where the cursor is

type CursorContext =
  | { kind: 'key'; range: Range; snippet: boolean }
  | {
    kind: 'value'; name: string; contentStart: number; contentEnd: number; quoted: boolean; text: string; cursor: number;
    /** The opening quote, if any. */
    quote: '"' | "'" | null;
    /** The raw value (quotes included): from just after `=` to just after the closing quote (or the content's end). */
    rawStart: number;
    rawEnd: number;
  }
  | { kind: 'none' };

const IDENT = /[A-Za-z0-9_]/;

/**
 * Reads the cursor's line: in the key part (blank line, or before the first `=`), or inside a value
 * (after `=`, inside the quotes if any, not after the closing quote), or nowhere useful (comments).
 */
function cursorContext(lineText: string, line: number, character: number): CursorContext {
  const bomSkip = line === 0 && lineText.startsWith('\uFEFF') ? 1 : 0;
  let i = bomSkip;
  while (i < lineText.length && (lineText[i] === ' ' || lineText[i] === '\t')) i += 1;
  const ch = Math.min(character, lineText.length);
  if (lineText[i] === '#') return { kind: 'none' };
  const eq = lineText.indexOf('=', i);
  if (eq < 0 || ch <= eq) {
    if (ch < i) return i >= lineText.length ? { kind: 'key', range: rangeOf(line, ch, ch), snippet: true } : { kind: 'none' };
    if (!/^[A-Za-z0-9_]*$/.test(lineText.slice(i, ch))) return { kind: 'none' };
    let end = ch;
    while (end < lineText.length && IDENT.test(lineText[end] as string)) end += 1;
    const rest = lineText.slice(end).trim();
    return { kind: 'key', range: rangeOf(line, i, end), snippet: eq < 0 && rest === '' };
  }
  const name = lineText.slice(i, eq).trim();
  const valueStart = eq + 1;
  const q = lineText[valueStart];
  let trimmedEnd = lineText.length;
  while (trimmedEnd > valueStart && (lineText[trimmedEnd - 1] === ' ' || lineText[trimmedEnd - 1] === '\t')) trimmedEnd -= 1;
  if (q === '"' || q === "'") {
    const contentStart = valueStart + 1;
    if (ch < contentStart) return { kind: 'none' };
    const close = lineText.lastIndexOf(q);
    const closed = close >= contentStart;
    if (closed && ch > close) return { kind: 'none' };
    const contentEnd = closed ? close : Math.max(trimmedEnd, ch);
    return { kind: 'value', name, contentStart, contentEnd, quoted: true, text: lineText.slice(contentStart, contentEnd), cursor: ch - contentStart, quote: q, rawStart: valueStart, rawEnd: closed ? close + 1 : contentEnd };
  }
  const contentEnd = Math.max(trimmedEnd, ch);
  return { kind: 'value', name, contentStart: valueStart, contentEnd, quoted: false, text: lineText.slice(valueStart, contentEnd), cursor: ch - valueStart, quote: null, rawStart: valueStart, rawEnd: contentEnd };
}

function rangeOf(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

// ---------------------------------------------------------------------------------------------
// Snippets

/** Escapes text for a snippet placeholder `${1:text}`. */
function placeholderText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A snippet choice `${n|a,b|}`. */
function choice(n: number, values: readonly string[]): string {
  return `\${${n}|${values.map((v) => v.replace(/[\\$}|,]/g, (c) => `\\${c}`)).join(',')}|}`;
}

function enumValues(def: ParameterDef, gen: Generation): string[] {
  return def[gen]?.values ?? def.values ?? ['yes', 'no'];
}

/** Names whose value completion is worth opening right after the key is inserted. */
const SUGGEST_AFTER = new Set(['OSTEMPLATE', 'DEF_OSTEMPLATE', 'CONFIGFILE', 'ORIGIN_SAMPLE']);

/**
 * The value part of a key's snippet, from its grammar: `${1:barrier}:${2:limit}` for UBC pairs,
 * a choice for enums, `name:on|off` for FEATURES / CAPABILITY, the default as placeholder otherwise.
 *
 * @returns the snippet text between the quotes, and whether to open value completion afterwards
 */
function valueSnippet(ctx: LintContext, def: ParameterDef): { body: string; suggest: boolean } {
  const gen = ctx.target.generation;
  const g = grammarOf(def, gen);
  const vocab = ctx.catalog.catalog.vocabulary;
  switch (g) {
    case 'ubc': return { body: '${1:barrier}:${2:limit}', suggest: false };
    case 'quota': return { body: '${1:soft}:${2:hard}', suggest: false };
    case 'yesno':
    case 'enum': return { body: choice(1, enumValues(def, gen)), suggest: false };
    case 'meminfo': return { body: choice(1, ['privvmpages:1', 'none']), suggest: false };
    case 've-layout': return { body: choice(1, ['ploop', 'simfs', 'ploop:expanded', 'ploop:plain']), suggest: false };
    case 'features': return { body: `${choice(1, featureNames(ctx))}:${choice(2, ['on', 'off'])}`, suggest: false };
    case 'capability': return { body: `${choice(1, vocab.capabilities)}:${choice(2, ['on', 'off'])}`, suggest: false };
    case 'iptables-modules':
    case 'module-list': return { body: '$1', suggest: true };
    case 'neighbour-devs': return { body: choice(1, ['detect', 'all']), suggest: false };
    case 'cpumask': return { body: def.name === 'CPUMASK' ? choice(1, ['all', 'auto']) : '${1:all}', suggest: false };
    case 'iolimit': return { body: '${1:bytes per second}', suggest: false };
    case 'cpulimit': return { body: '${1:percent}', suggest: false };
    case 'netif': return { body: 'ifname=${1:eth0}', suggest: false };
    default:
      if (SUGGEST_AFTER.has(def.name)) return { body: '$1', suggest: true };
      return { body: def.default !== undefined ? `\${1:${placeholderText(def.default)}}` : '$1', suggest: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Whether the parameter belongs in a file of this kind (the rule misplaced-parameter, turned around). */
function fitsKind(ctx: LintContext, def: ParameterDef): boolean {
  const scope = def[ctx.target.generation]?.scope ?? def.scope;
  if (ctx.kind === 'node') return scope !== 'container';
  if (scope === 'node') return false;
  if (ctx.kind === 'ct0') return def.group === 'ubc' || def.group === 'memory' || def.name === 'ONBOOT';
  return true;
}

/**
 * Keys offered only with a note and sorted after the keys they are easily taken for: CPUUWEIGHT is
 * classic vzctl's misspelt table entry (schemas/parameters.yaml: "a typo of CPUWEIGHT"); a user looking
 * for the CPU weight wants CPUUNITS (classic) or CPUWEIGHT (Virtuozzo 7).
 */
const NOTED_KEYS: Readonly<Record<string, string>> = {
  CPUUWEIGHT: 'undocumented; the name is a typo of CPUWEIGHT (use CPUUNITS)',
};

/** Deprecated or ignored on the target (tagged Deprecated, sorted last); removed keys are not offered. */
function statusOf(ctx: LintContext, def: ParameterDef): 'ok' | 'deprecated' | 'removed' {
  const s = ctx.status(def);
  if (s.some((x) => x.kind === 'removed')) return 'removed';
  return s.length > 0 ? 'deprecated' : 'ok';
}

function keyCompletions(ctx: LintContext, cur: Extract<CursorContext, { kind: 'key' }>, line: number, template: string): CompletionItem[] {
  const gen = ctx.target.generation;
  const set = new Set<string>();
  for (const e of ctx.doc.entries) {
    if (e.line === line || ctx.doc.continuationLines.has(e.line)) continue;
    const d = ctx.catalog.parameter(e.name);
    if (d) set.add(d.name);
  }
  const out: CompletionItem[] = [];
  for (const def of ctx.catalog.catalog.parameters) {
    if (!ctx.known(def) || !fitsKind(ctx, def) || set.has(def.name)) continue;
    const status = statusOf(ctx, def);
    if (status === 'removed') continue;
    const note = NOTED_KEYS[def.name];
    const item: CompletionItem = {
      label: def.name,
      kind: CompletionItemKind.Property,
      detail: `${note ? `${note} · ` : ''}${GROUP_LABELS[def.group]} · ${syntaxText(def, gen).replace(/`/g, '')}${status === 'deprecated' ? ' · deprecated' : ''}`,
      documentation: { kind: 'markdown', value: parameterMarkdown(ctx, def, { kbUrlTemplate: template }) },
      sortText: `${status === 'deprecated' ? '9' : note ? '5' : '1'}_${def.name}`,
      textEdit: { range: cur.range, newText: def.name },
    };
    if (note) item.labelDetails = { description: note };
    if (status === 'deprecated') item.tags = [DEPRECATED_TAG];
    if (cur.snippet) {
      const v = valueSnippet(ctx, def);
      item.textEdit = { range: cur.range, newText: `${def.name}="${v.body}"` };
      item.insertTextFormat = InsertTextFormat.Snippet;
      if (v.suggest) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
    }
    out.push(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values

/** FEATURES names the target knows (classic by `classicSince`, vz7 by `vz7` and `vz7Since`). */
function featureNames(ctx: LintContext): string[] {
  return ctx.catalog.catalog.vocabulary.features
    .filter((f) => knownAt(f, ctx.target.generation, ctx.target.version))
    .map((f) => f.name);
}

/** A value the completion offers: what is inserted and what explains it. */
interface ValueChoice {
  value: string;
  /** Markdown line(s) about this value, shown above the parameter's documentation. */
  about?: string;
  detail?: string;
  /** Snippet text to insert instead of `value` (e.g. `pages:${1:262144}`). */
  snippet?: string;
  /** Sorts after the others (and is tagged Deprecated when `deprecated`). */
  last?: boolean;
  deprecated?: boolean;
  /** vzctl's value when the key is unset (schemas/parameters.yaml `default`): marked "default". */
  isDefault?: boolean;
}

/** The token of a list value under the cursor (offsets within the value content). */
function tokenAt(text: string, cursor: number, seps: string): { start: number; end: number } {
  let start = cursor;
  while (start > 0 && !seps.includes(text[start - 1] as string)) start -= 1;
  let end = cursor;
  while (end < text.length && !seps.includes(text[end] as string)) end += 1;
  return { start, end };
}

/** The other items of a list value (not the token being edited). */
function otherItems(text: string, token: { start: number; end: number }, seps: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`[^${seps.replace(/[\\\]^-]/g, (c) => `\\${c}`)}]+`, 'g');
  for (const m of text.matchAll(re)) {
    if (m.index === token.start) continue;
    out.push(m[0]);
  }
  return out;
}

function listChoices(ctx: LintContext, def: ParameterDef, existing: readonly string[]): ValueChoice[] {
  const gen = ctx.target.generation;
  const vocab = ctx.catalog.catalog.vocabulary;
  const g = grammarOf(def, gen);
  if (g === 'features') {
    const have = new Set(existing.map((t) => t.split(':')[0]));
    const known = new Set(featureNames(ctx));
    return vocab.features.filter((f) => known.has(f.name) && !have.has(f.name)).flatMap((f) => (['on', 'off'] as const).map((state) => ({
      value: `${f.name}:${state}`,
      about: `**\`${f.name}\`:** ${f.description}`,
      detail: `feature ${f.name} ${state}`,
    })));
  }
  if (g === 'capability') {
    const have = new Set(existing.map((t) => (t.split(':')[0] ?? '').toUpperCase()));
    return vocab.capabilities.filter((c) => !have.has(c)).flatMap((c) => (['on', 'off'] as const).map((state) => {
      const dangerous = vocab.dangerousCapabilities?.some((d) => d.name === c) === true;
      return {
        value: `${c}:${state}`,
        about: capabilityMarkdown(vocab, c),
        detail: `capability ${c} ${state}${dangerous && state === 'on' ? ' (dangerous)' : ''}`,
        last: dangerous && state === 'on',
      };
    }));
  }
  if (g === 'iptables-modules') {
    const have = new Set(existing);
    return vocab.iptablesModules.filter((m) => !have.has(m.name) && !(gen === 'vz7' && m.classicOnly)).map((m) => ({
      value: m.name,
      about: `**\`${m.name}\`** needs at least \`NETFILTER="${m.netfilter}"\` on vzctl 4.7+.`,
      detail: `iptables module (NETFILTER ${m.netfilter})`,
    }));
  }
  // module-list: host modules the init script loads (IPTABLES_MODULES; IP6TABLES takes the IPv6 ones).
  const have = new Set(existing);
  const v4 = def.name === 'IP6TABLES' ? [] : vocab.iptablesModules.filter((m) => !m.classicOnly || gen === 'classic').map((m) => m.name);
  const v6 = hostModules().modules.map((m) => m.name);
  return [...new Set([...v4, ...v6])].filter((n) => !have.has(n)).map((n) => ({
    value: n,
    detail: `host module${v6.includes(n) ? ' (IPv6)' : ''}`,
    about: `**\`${n}\`** is loaded on the node by the vz init script (${v6.includes(n) ? hostModules().source : 'a classic IPTABLES module name, schemas/vocabulary.yaml'}).`,
  }));
}

function templateChoices(ctx: LintContext, template: string): ValueChoice[] {
  const data = osTemplates();
  const link = `[KB ${data.kb}](${kbUrl(template, data.kb)})`;
  const out: ValueChoice[] = [];
  for (const t of data.templates) {
    if (ctx.target.generation === 'vz7') {
      out.push({ value: `.${t.name}`, detail: `${t.distribution} EZ template · KB ${data.kb}`, about: `**\`.${t.name}\`** — ${t.distribution} OS EZ template of Virtuozzo 6.0 (${link}); the leading dot marks an EZ template, as Virtuozzo's vz.conf writes DEF_OSTEMPLATE. The node's template area (TEMPLATE in vz.conf) may hold other templates.` });
    } else {
      for (const arch of t.archs) {
        out.push({ value: `${t.name}-${arch}`, detail: `${t.distribution} ${arch} · KB ${data.kb}`, about: `**\`${t.name}-${arch}\`** — ${t.distribution}, ${arch === 'x86' ? '32-bit (x86)' : '64-bit (x86_64)'}: an OS template name listed for Virtuozzo 6.0 in ${link}, in the \`name-arch\` form of classic vzctl's template caches (vz.conf.in: \`DEF_OSTEMPLATE="centos-6-x86"\`). The node's template area (TEMPLATE in vz.conf) may hold other templates.` });
      }
    }
  }
  return out;
}

function sampleChoices(ctx: LintContext, local: readonly string[] | undefined): ValueChoice[] {
  const out: ValueChoice[] = [];
  const seen = new Set<string>();
  for (const name of local ?? []) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ value: name, detail: `ve-${name}.conf-sample (on this node)`, about: `**\`${name}\`** — \`ve-${name}.conf-sample\` in the node's conf/ folder.` });
  }
  const v = ctx.target.version;
  for (const s of shippedSamples()[ctx.target.generation] ?? []) {
    if (seen.has(s.name)) continue;
    const gone = ctx.target.generation === 'classic' && s.until !== undefined && compareVersions(v, s.until) >= 0;
    const notYet = ctx.target.generation === 'classic' && s.from !== undefined && compareVersions(v, s.from) < 0;
    if (gone || notYet) continue;
    seen.add(s.name);
    out.push({ value: s.name, detail: `ve-${s.name}.conf-sample (shipped with vzctl)`, about: `**\`${s.name}\`** — \`ve-${s.name}.conf-sample\`, a sample config vzctl shipped (seen in ${s.seenIn.join(', ')}).`, last: !!local?.length });
  }
  return out;
}

function scalarChoices(ctx: LintContext, def: ParameterDef, template: string, samples: readonly string[] | undefined): ValueChoice[] {
  const gen = ctx.target.generation;
  const g = grammarOf(def, gen);
  const vocab = ctx.catalog.catalog.vocabulary;
  if (def.name === 'OSTEMPLATE' || def.name === 'DEF_OSTEMPLATE') return templateChoices(ctx, template);
  if (def.name === 'CONFIGFILE' || def.name === 'ORIGIN_SAMPLE') return sampleChoices(ctx, samples);
  switch (g) {
    case 'yesno':
    case 'enum':
      return enumValues(def, gen).map((v) => {
        const mode = def.name === 'NETFILTER' ? vocab.netfilterModes.find((m) => m.name === v) : undefined;
        const isDefault = def.default === v;
        return mode
          ? { value: v, detail: `${isDefault ? 'default · ' : ''}${mode.description}`, about: `**\`${mode.name}\`:** ${mode.description}${isDefault ? ' This is the default when the key is unset.' : ''}`, isDefault }
          : { value: v, ...(isDefault ? { detail: 'default', isDefault } : {}) };
      });
    case 'meminfo':
      return [
        { value: 'privvmpages:1', detail: 'default: memory figures from PRIVVMPAGES × 1', about: '**`privvmpages:N`** — /proc/meminfo shows PRIVVMPAGES × N as the total memory (the default is `privvmpages:1`).' },
        { value: 'pages:N', snippet: 'pages:${1:262144}', detail: 'a fixed size in 4 KiB pages', about: '**`pages:N`** — /proc/meminfo shows N pages of 4 KiB as the total memory (262144 pages = 1 GiB).' },
        { value: 'none', detail: 'the host\'s /proc/meminfo', about: '**`none`** — no virtualised /proc/meminfo.' },
      ];
    case 've-layout':
      return [
        { value: 'ploop', detail: 'image-based container (ploop)' },
        { value: 'simfs', detail: 'directory-based container (simfs)' },
        { value: 'ploop:expanded', detail: 'ploop, image grows on demand' },
        { value: 'ploop:plain', detail: 'ploop, preallocated image' },
        { value: 'ploop:raw', detail: 'ploop raw format: neither recommended nor supported by vzctl', last: true },
      ];
    case 'neighbour-devs': {
      const out: ValueChoice[] = [{ value: 'detect', detail: 'the devices with a route to the container addresses' }, { value: 'all', detail: 'every network device' }];
      if (gen === 'classic' && compareVersions(ctx.target.version, '4.9') >= 0) out.push({ value: 'list:', snippet: 'list:${1:eth0}', detail: 'listed devices (vzctl 4.9+)' });
      return out;
    }
    case 'cpumask':
      return def.name === 'CPUMASK' ? [{ value: 'all' }, { value: 'auto' }] : [{ value: 'all' }];
    case 'iolimit':
      return [{ value: 'unlimited', detail: 'no I/O bandwidth limit' }];
    default:
      return def.default !== undefined ? [{ value: def.default, detail: 'default', isDefault: true }] : [];
  }
}

function valueCompletions(ctx: LintContext, cur: Extract<CursorContext, { kind: 'value' }>, line: number, template: string, samples: readonly string[] | undefined): CompletionItem[] {
  const def = ctx.catalog.parameter(cur.name);
  if (!def || !ctx.known(def)) return [];
  const gen = ctx.target.generation;
  const g = grammarOf(def, gen);
  const docFor = (about: string | undefined): { kind: 'markdown'; value: string } => ({
    kind: 'markdown',
    value: parameterMarkdown(ctx, def, { name: cur.name, kbUrlTemplate: template, sections: about ? [[about]] : [] }),
  });
  let order = 0;
  const make = (c: ValueChoice, range: Range, quote: boolean, kind: number, filterPrefix = ''): CompletionItem => {
    const body = c.snippet ?? c.value;
    const item: CompletionItem = {
      label: c.value,
      kind,
      documentation: docFor(c.about),
      sortText: `${c.last || c.deprecated ? '9' : '1'}_${String(order++).padStart(4, '0')}`,
      textEdit: { range, newText: quote ? `"${body}"` : body },
    };
    if (c.detail) item.detail = c.detail;
    if (c.isDefault) item.labelDetails = { description: 'default' };
    if (c.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
    if (quote) item.filterText = `${filterPrefix}${c.value}`;
    if (c.deprecated) item.tags = [DEPRECATED_TAG];
    return item;
  };
  const abs = (start: number, end: number): Range => rangeOf(line, cur.contentStart + start, cur.contentStart + end);
  // Classic vzctl keeps single quotes as part of the value (`ONBOOT='yes'` is invalid): a scalar
  // replaces the whole raw value, quotes included, by a double-quoted one; list items and UBC parts,
  // which would stay inside the single quotes, are not offered.
  const classicSingle = ctx.doc.dialect === 'classic' && cur.quote === "'";

  if (g === 'features' || g === 'capability' || g === 'iptables-modules' || g === 'module-list') {
    if (classicSingle) return [];
    const seps = g === 'module-list' ? ' \t' : ' \t,';
    const token = tokenAt(cur.text, cur.cursor, seps);
    const existing = otherItems(cur.text, token, seps);
    return listChoices(ctx, def, existing).map((c) => make(c, abs(token.start, token.end), false, CompletionItemKind.EnumMember));
  }
  if (g === 'ubc' || g === 'quota') {
    // `unlimited` for the part under the cursor (classic quota values do not take it).
    if (g === 'quota' && gen === 'classic') return [];
    if (classicSingle) return [];
    const token = tokenAt(cur.text, cur.cursor, ':');
    return [make({ value: 'unlimited', detail: 'no limit (LONG_MAX)' }, abs(token.start, token.end), false, CompletionItemKind.Value)];
  }
  // Scalars replace the whole value; an unquoted value gets the double quotes vzctl writes.
  if (classicSingle) {
    const raw = rangeOf(line, cur.rawStart, cur.rawEnd);
    return scalarChoices(ctx, def, template, samples).map((c) => make(c, raw, true, g === 'yesno' || g === 'enum' ? CompletionItemKind.EnumMember : CompletionItemKind.Value, "'"));
  }
  const quote = !cur.quoted;
  const kind = g === 'yesno' || g === 'enum' ? CompletionItemKind.EnumMember : CompletionItemKind.Value;
  return scalarChoices(ctx, def, template, samples).map((c) => make(c, abs(0, cur.text.length), quote, kind));
}

// ---------------------------------------------------------------------------------------------

/**
 * Completion items at `position`:
 * - on a blank line or in the key part: the parameters the target knows (not removed), that belong
 *   in this kind of file (node: node-wide and shared keys; container: container and shared keys;
 *   ct0: UBC, memory and ONBOOT) and are not set elsewhere in the file; on a line without `=` the item
 *   inserts `KEY="…"` as a snippet of the value grammar; deprecated or ignored keys are tagged
 *   Deprecated and sorted last;
 * - in a value: enum values (NETFILTER modes with their description, yes/no, VE_LAYOUT, MEMINFO
 *   forms…), FEATURES / CAPABILITY `name:on|off` items and module names not already in the list,
 *   OS template names (KB 127023) and sample names (`options.samples` first, then the samples vzctl
 *   shipped), `unlimited` for UBC parts. The edit never reaches into an inline `# comment` and nothing
 *   is offered inside one; in classic vzctl, whose values keep single quotes, a single-quoted value is
 *   replaced whole by a double-quoted one (list items and UBC parts are not offered there).
 * Every item's documentation is the hover's Markdown for the parameter.
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function computeCompletions(text: string, position: Position, options: CompletionOptions = {}): CompletionItem[] {
  // With a lone CR the editor's lines are not vzctl's (lone-carriage-return reports it): nothing is offered
  // rather than a completion for a line vzctl does not read as shown.
  if (/\r(?!\n)/.test(text)) return [];
  const lineText = splitLines(text).lines[position.line];
  if (lineText === undefined) return [];
  let cur = cursorContext(lineText, position.line, position.character);
  if (cur.kind === 'none') return [];
  const ctx = analyze(text, options);
  // Inside a multi-line quoted value the line is not a line of its own for vzctl's reader of the shell.
  if (ctx.doc.continuationLines.has(position.line)) return [];
  const entry = ctx.doc.lines[position.line];
  const comment = cur.kind === 'value' && entry?.kind === 'entry' ? entry.inlineComment : undefined;
  if (comment) {
    // An inline `# comment` (a comment for Virtuozzo 7; classic vzctl reads it into an unquoted value, but
    // it is meant as one): nothing to complete in it, and the value's edit ends before it.
    const commentStart = comment.range.start.character;
    if (position.character >= commentStart) return [];
    cur = cursorContext(lineText.slice(0, commentStart), position.line, position.character);
    if (cur.kind !== 'value') return [];
  }
  const template = options.kbUrlTemplate?.trim() || ctx.catalog.catalog.defaultUrlTemplate;
  if (cur.kind === 'key') return keyCompletions(ctx, cur, position.line, template);
  return valueCompletions(ctx, cur, position.line, template, options.samples);
}
