/**
 * Node-level linting: every config file of one node checked together. Each container config is linted
 * with the node's vz.conf (vzctl reads vz.conf first, then CTID.conf: reference §1.1), and rules that need
 * several files at once (`NodeRule`) look across the containers: shared addresses, paths and names, the
 * memory of all containers against the node, samples named by CONFIGFILE / ORIGIN_SAMPLE.
 *
 * Pure over its inputs, like `lint()`: the file system is read by `nodeFiles.ts`, never here.
 */
import { getCatalog, schemaData, type CatalogIndex } from '../catalog/load';
import type { Generation, Severity } from '../catalog/types';
import type { Target } from '../model/target';
import { lineNumber, type EditorLineMap } from '../parser/parse';
import { acceptedTokens, effectiveValue, fileOf, vz7RefusedLine, type EffectiveValue } from '../model/effective';
import { compareVersions } from '../model/version';
import type { Entry, Range } from '../parser/types';
import type { Finding, Fix, LintContext, NodeCapacity } from '../rules/types';
import { copyFinding } from '../rules/finding';
import { capText } from '../limits';
import { clip, fixTitle, q, visible } from '../rules/text';
import { entryRange, finding, lineNo, valueSubRange } from '../rules/util';
import { explain, say } from '../rules/say';
import { HAS_VEID } from '../rules/node/veidPath';
import { formatBytes, isUnlimited, PAGE_SIZE, parseSizedNumber } from '../values/numbers';
import { macAddressOf, tokens, type Pair } from '../values/validate';
import { analyze, capFinding, lint, toEditorFinding, type LintOptions, type LintResult } from './lint';
import { ctidOf, sampleNameOf } from './nodeFiles';
import { isSuppressed, suppressionSets, type SuppressionSets } from './suppressions';
import { nodeSuppressionCovering, nodeSuppressionNames, UNUSED_SUPPRESSION, type NodeSuppressionName } from './unusedSuppressions';

// ------------------------------------------------------------------------------------------------
// Inputs, outputs and the rule interface

/** One file's text and (absolute) path. */
export interface NodeFile {
  path: string;
  text: string;
  /**
   * The file's size in bytes as read, when the caller read it (vzlint); on disk when `text` is not the whole
   * file (beyond the size limit). The size limit is judged on it: see `LintOptions.sizeBytes`.
   */
  sizeBytes?: number;
  /** `sizeBytes` is only a lower bound (see `LintOptions.sizeBytesAtLeast`). */
  sizeBytesAtLeast?: true;
}

/** The files of one node. */
export interface NodeInput {
  /** The node's vz.conf; absent when none was found (vzctl's built-in defaults apply: DISK_QUOTA=yes …). */
  nodeConfig?: NodeFile;
  /**
   * The other files of the node: `CTID.conf` files (numeric other than 0, or UUID: the containers), and
   * optionally samples and `0.conf`, which are linted with the node config but are not containers.
   */
  containers: NodeFile[];
  /**
   * Names of the `ve-NAME.conf-sample` files in the node's conf/ folder. When given (even empty) it is the
   * truth for sample-not-found; when absent, the names vzctl shipped (schemas/samples.yaml) are used.
   */
  samples?: string[];
  /**
   * `containers` are every container config of the node's conf/ folder and `nodeConfig` its vz.conf (the
   * caller listed the folder): suppression comments naming node-level rules are then judged unused like
   * the others ({@link NodeModel.complete}). Default false: a run over some of the files cannot know.
   */
  complete?: boolean;
}

export interface NodeLintOptions extends Omit<LintOptions, 'path' | 'nodeConfig'> {
  /**
   * Paths whose per-file findings are wanted (default: all). Other files are only analysed (no per-file
   * rules), which is enough for the cross-container rules; the language server lints just the open file.
   */
  focus?: readonly string[];
}

/**
 * What the node rules compare of one container, taken from its analysis by {@link containerFacts} (with
 * its node config: effective values may come from vz.conf). Plain data, a few hundred bytes: a node of
 * 10,000 containers keeps these, not 10,000 parsed documents, and a worker thread can send them.
 * Ranges are in the model's line numbering (vzctl's lines); `place` converts them for the editor.
 */
export interface ContainerFacts {
  /** The container's target (for sample-not-found). */
  target: Pick<Target, 'generation' | 'version'>;
  /** ORIGIN_SAMPLE set in the container itself, not empty (the name trimmed). */
  originSample?: { name: string; valueRange: Range; rawValueRange: Range };
  /**
   * The venet addresses of the container's own IP_ADDRESS lines (canonical form, each once, in order),
   * when IP_ADDRESS is set in the container; with the line and range of each.
   */
  ips: { ip: string; line: number; range: Range }[];
  /**
   * The MAC addresses written in the container's own NETIF (`mac=`, the container side, and `host_mac=`,
   * the host side), each address once, lower-case `xx:xx:xx:xx:xx:xx`, with its field's line and range;
   * absent when NETIF sets none (vzctl then generates them), so most containers carry nothing here.
   */
  macs?: { mac: string; field: 'mac' | 'host_mac'; line: number; range: Range }[];
  /**
   * VE_PRIVATE / VE_ROOT as in effect (from the container or vz.conf), when set and not blank; `resolved`
   * memoises {@link resolveVeidPath} of the value for the CTID it was computed with (shared-private-path
   * runs on every change of any container of the node, and the facts live as long as the file's text).
   */
  paths: { param: 'VE_PRIVATE' | 'VE_ROOT'; value: string; source: 'container' | 'node'; line: number; range: Range; resolved?: { ctid: string; path: string } }[];
  /**
   * NAME / HOSTNAME set in the container itself and not blank (value as written); `key` is what
   * duplicate-ct-name compares: the value trimmed, and for HOSTNAME lower-cased.
   */
  names: { param: 'NAME' | 'HOSTNAME'; value: string; key: string; line: number; range: Range }[];
  /**
   * Virtuozzo 7: the first value libvzctl refuses when it opens the container's config (model/effective
   * vz7RefusedLine), which makes it refuse the whole config, so the container does not start until that
   * value is fixed: the facts above are what it will have then, not what runs now. `line` is the 1-based
   * line of that value in its file (the container's, or vz.conf for `source: 'node'`). Absent otherwise.
   */
  refused?: { name: string; line: number; source: 'container' | 'node' };
  /** How its memory is counted (see {@link memorySummary}). */
  memory: Omit<MemoryRow, 'path' | 'ctid'>;
  /** What placing a finding in the file needs. */
  place: FilePlace;
}

/** What a node rule's finding needs of the file it lands in: its suppression comments and editor lines. */
export interface FilePlace {
  /** The rules its suppression comments silence; absent when it has none. */
  suppressed?: SuppressionSets;
  /** Editor line numbering, when the file has lone CRs (see `toEditorFinding`). */
  editorLines?: EditorLineMap;
  /** Length of the first line (node-memory-overcommit marks line 1). */
  firstLineLength: number;
  /** Its suppression comments' names of node-level rules, when it has any (judged by {@link nodeRuleFindings}). */
  nodeNames?: NodeSuppressionName[];
}

/** A container of the node as node rules see it. */
export interface NodeContainer {
  path: string;
  /** From the file name (`101` of `101.conf`, or a UUID). */
  ctid: string;
  facts: ContainerFacts;
}

/** Everything a node rule may read. */
export interface NodeModel {
  /** The node's vz.conf, analysed (kind node), when known. */
  node?: { path: string; ctx: LintContext };
  /** The containers (CTID.conf files), in input order, as {@link ContainerFacts} (each read with the vz.conf above). */
  containers: NodeContainer[];
  /**
   * The files analysed that are not containers, node config first: vz.conf, samples and 0.conf (a node
   * has a few; their whole analysis is kept).
   */
  files: { path: string; ctx: LintContext }[];
  samples?: string[];
  capacity?: NodeCapacity;
  /** The catalogue the files were linted with (default: the process-wide one). */
  catalog?: CatalogIndex;
  /**
   * The model holds the node's vz.conf and every container config of its conf/ folder (the caller listed
   * the folder: vzlint over the folder, the language server): then a suppression comment naming a node-level
   * rule that silenced nothing is reported as unused (see {@link nodeRuleJudged}).
   */
  complete?: boolean;
}

/** A finding of a node rule, attached to one file by its path. */
export interface NodeFinding {
  path: string;
  finding: Finding;
}

/** A rule that needs several files of a node at once (metadata in schemas/rules/node.yaml, like per-file rules). */
export interface NodeRule {
  id: string;
  check(model: NodeModel): NodeFinding[];
}

/** The result for one file of the node. */
export interface NodeFileResult {
  path: string;
  role: 'node' | 'container' | 'other';
  /** The per-file lint (undefined for files outside `focus`). */
  result?: LintResult;
  ctx: LintContext;
  /** Per-file findings (when focused) and node-level findings, sorted by position. */
  findings: Finding[];
}

export interface NodeLintResult {
  /** Node config first (when given), then the other files in input order. */
  files: NodeFileResult[];
  /** Memory of the containers against the node. */
  memory: MemorySummary;
  model: NodeModel;
}

// ------------------------------------------------------------------------------------------------
// Helpers

function ruleFinding(catalog: CatalogIndex, rule: string, range: Range, message: string, extra: Partial<Finding> = {}): Finding {
  return { rule, severity: catalog.rule(rule).severity, message: visible(message), range, ...extra };
}

function catalogOf(model: NodeModel): CatalogIndex {
  return model.catalog ?? model.node?.ctx.catalog ?? getCatalog();
}

/** Where an effective value of a container lives: the container file or the node config (its path). */
function locate(model: NodeModel, c: NodeContainer, source: 'container' | 'node'): string | undefined {
  if (source === 'container') return c.path;
  return model.node?.path;
}

function short(p: string): string {
  return p.replace(/\\/g, '/').split('/').slice(-1)[0] ?? p;
}

/** Longest message that names another file of the node, in characters (GUIDE: ~100). */
const NAMED_FILE_MESSAGE_CHARS = 100;

/**
 * A message naming another file of the node so that the admin can find it: `build(name)` with the file's
 * name whole (`3f1c2d4e-1111-4a2b-9c3d-0123456789ab.conf`, as the finding's own file is shown) when the
 * message stays within {@link NAMED_FILE_MESSAGE_CHARS}, else the name cut in the middle to fit (at
 * least 24 characters: its start and its end stay). The detail names the full path.
 */
function namingFile(filePath: string, build: (name: string) => string): string {
  const name = short(filePath);
  const room = Math.max(24, NAMED_FILE_MESSAGE_CHARS - build('').length);
  return build(name.length <= room ? name : capText(name, room));
}

/**
 * Parses a size given for the node (`--node-ram`, `vzconf.nodeRam`): bytes, or a number with a K/M/G/T
 * suffix (powers of 1024, fractions allowed: `1.5T`), with the engine's own parser (unit bytes).
 *
 * @param allowZero  0 is a real value (a node without swap: `--node-swap 0`); RAM must be positive
 * @returns bytes, or an error message
 */
export function parseCapacitySize(text: string, allowZero = false): bigint | { error: string } {
  const t = text.trim();
  const shown = t.length > 40 ? `${t.slice(0, 40)}…` : t;
  // A capacity is a positive amount: digits with an optional fraction and a K/M/G/T (or B) suffix.
  if (!/^(\d+(\.\d+)?|\.\d+)[KMGTB]?$/i.test(t)) return { error: `invalid size "${shown}": use bytes or a number with a K, M, G or T suffix, e.g. 64G` };
  const r = parseSizedNumber(t, 0, 'bytes', 'classic', false);
  if (!r.ok) return { error: `invalid size "${shown}": ${r.message}` };
  if (r.part.truncated) return { error: `invalid size "${shown}": too large` };
  if (r.part.value === 0n && !allowZero) return { error: `invalid size "${shown}": must be more than 0 bytes` };
  return r.part.value;
}

// ------------------------------------------------------------------------------------------------
// Shipped samples (schemas/samples.yaml)

/** A sample config vzctl shipped (schemas/samples.yaml, validated by samples.schema.json). */
export interface ShippedSample {
  name: string;
  /** First version shipping it, where a source states it. */
  from?: string;
  /** First version without it (exclusive), where a source states it. */
  until?: string;
  renamedTo?: string;
  /** Versions whose shipped files we have. */
  seenIn: string[];
  source: string;
}

let shipped: Record<Generation, ShippedSample[]> | undefined;

/** The shipped sample names per generation, loaded once from schemas/samples.yaml. */
export function shippedSamples(): Record<Generation, ShippedSample[]> {
  shipped ??= schemaData<Record<Generation, ShippedSample[]>>('samples');
  return shipped;
}

/**
 * Whether sample `name` exists for a file of `ctx`'s target: against `samples` (the files in conf/) when
 * known, else against what vzctl shipped (only names removed / renamed by, or added after, that version
 * are reported, since admins add their own samples).
 *
 * @returns undefined when it exists or nothing can be said; else why not and a replacement to offer
 */
export function missingSample(ctx: { target: Pick<Target, 'generation' | 'version'> }, name: string, samples: readonly string[] | undefined): { why: string; replacement?: string; renamedIn?: string } | undefined {
  const list = shippedSamples()[ctx.target.generation] ?? [];
  const known = list.find((s) => s.name === name);
  if (samples) {
    if (samples.includes(name)) return undefined;
    const to = known?.renamedTo;
    const hint = to && samples.includes(to) ? `; vzctl ${known?.until ?? ''} renamed it to "${to}"` : '';
    return { why: `there is no ve-${name}.conf-sample in the node's conf/ folder (it has ${samples.length === 0 ? 'none' : samples.map((s) => `"${s}"`).join(', ')})${hint}`, ...(to && samples.includes(to) ? { replacement: to, ...(known?.until ? { renamedIn: known.until } : {}) } : {}) };
  }
  if (!known) return undefined;
  const v = ctx.target.version;
  if (known.until && compareVersions(v, known.until) >= 0) {
    const what = known.renamedTo ? `renamed to "${known.renamedTo}" in vzctl ${known.until}` : `no longer shipped from vzctl ${known.until}`;
    return { why: `ve-${name}.conf-sample was ${what}, and the target is vzctl ${v} (no ve-*.conf-sample file was found in the node's conf/ folder, so the samples that version shipped are assumed)`, ...(known.renamedTo ? { replacement: known.renamedTo, renamedIn: known.until } : {}) };
  }
  if (known.from && compareVersions(v, known.from) < 0) {
    return { why: `vzctl ships ve-${name}.conf-sample only from ${known.from}, and the target is vzctl ${v} (the samples that version shipped are assumed)` };
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Node rules

/**
 * CONFIGFILE (vz.conf: the default sample of `vzctl create`) or ORIGIN_SAMPLE (a container: the sample it
 * was made from) naming a sample that does not exist. CONFIGFILE findings carry the rule's severity
 * (warning: `vzctl create` without `--config` needs it); ORIGIN_SAMPLE ones are info (only a record).
 */
export const sampleNotFound: NodeRule = {
  id: 'sample-not-found',
  check(model) {
    const out: NodeFinding[] = [];
    const catalog = catalogOf(model);
    // Containers of a node mostly share a target and a sample: each (target, name) is looked up once.
    const misses = new Map<string, ReturnType<typeof missingSample>>();
    // The last question and its answer: the containers of a fleet share one target object and one sample
    // name string (NodeLinter's store), so most are answered without building the memo key.
    let last: { target: Pick<Target, 'generation' | 'version'>; name: string; miss: ReturnType<typeof missingSample> } | undefined;
    const report = (path: string, target: { target: Pick<Target, 'generation' | 'version'> }, param: 'CONFIGFILE' | 'ORIGIN_SAMPLE', name: string, valueRange: Range, rawValueRange: Range): void => {
      let miss: ReturnType<typeof missingSample>;
      if (last !== undefined && last.target === target.target && last.name === name) miss = last.miss;
      else {
        const memo = `${target.target.generation}@${target.target.version ?? ''}\0${name}`;
        miss = misses.get(memo);
        if (miss === undefined && !misses.has(memo)) {
          miss = missingSample(target, name, model.samples);
          if (misses.size < 10_000) misses.set(memo, miss);
        }
        last = { target: target.target, name, miss };
      }
      if (!miss) return;
      const f = ruleFinding(catalog, 'sample-not-found', valueRange, `${param}=${q(name)}: no such sample${miss.replacement ? `; ${miss.renamedIn ? `vzctl ${miss.renamedIn} renamed it` : 'renamed'} to ${q(miss.replacement)}` : ''}`, { detail: `${param}="${name}": no such sample: ${miss.why}.` });
      if (param === 'ORIGIN_SAMPLE') f.severity = 'info';
      if (miss.replacement) f.fixes = [{ title: fixTitle(`Use "${miss.replacement}"`), edits: [{ range: rawValueRange, newText: `"${miss.replacement}"` }], safe: false }];
      out.push({ path, finding: f });
    };
    if (model.node) {
      const ctx = model.node.ctx;
      const eff = effectiveValue(ctx, 'CONFIGFILE');
      const name = eff?.value.trim() ?? '';
      if (eff?.entry && eff.source === (ctx.kind === 'node' ? 'node' : 'container') && name !== '') report(model.node.path, ctx, 'CONFIGFILE', name, eff.entry.valueRange, eff.entry.rawValueRange);
    }
    // A fleet's containers share a few stored ORIGIN_SAMPLE facts (their templates alternate in name order)
    // and one target object (NodeLinter's store): a container with the fact and target of one that reported
    // nothing reports nothing. Up to 8 such pairs are kept and compared in the loop: this runs once a run,
    // unoptimised, over 10,000 containers.
    const quiet: { origin: NonNullable<ContainerFacts['originSample']>; target: ContainerFacts['target'] }[] = [];
    const containers = model.containers;
    for (let i = 0; i < containers.length; i += 1) {
      const c = containers[i] as NodeContainer;
      const facts = c.facts;
      const o = facts.originSample;
      if (o === undefined) continue;
      let known = false;
      for (let k = 0; k < quiet.length && !known; k += 1) {
        const q = quiet[k] as (typeof quiet)[number];
        known = q.origin === o && q.target === facts.target;
      }
      if (known) continue;
      const before = out.length;
      report(c.path, facts, 'ORIGIN_SAMPLE', o.name, o.valueRange, o.rawValueRange);
      if (out.length === before && quiet.length < 8) quiet.push({ origin: o, target: facts.target });
    }
    return out;
  },
};

/** VE_LAYOUT values classic vzctl reads as ploop (`parse_ve_layout()`, src/lib/config.c since 3.1). */
const PLOOP_LAYOUT = /^ploop(?::(?:expanded|plain|raw))?$/;

/**
 * A ploop node (VE_LAYOUT=ploop, in vz.conf or in the sample) whose default sample (CONFIGFILE) sets no
 * DISKSPACE with a hard limit above 0, nor does vz.conf: `vzctl create` without `--diskspace` merges vz.conf,
 * the sample and the command line and then stops with "diskspace not set (required for ploop)"
 * (fs_create(), src/lib/create.c since vzctl 3.1, when VE_LAYOUT came). Classic only; only when the sample's
 * text is among the node's files (`model.files`), since its content decides. Error, on CONFIGFILE in vz.conf.
 */
export const ploopSampleWithoutDiskspace: NodeRule = {
  id: 'ploop-sample-without-diskspace',
  check(model) {
    const node = model.node;
    if (!node || node.ctx.target.generation !== 'classic' || compareVersions(node.ctx.target.version, '3.1') < 0) return [];
    const cfg = effectiveValue(node.ctx, 'CONFIGFILE');
    if (!cfg?.entry || cfg.source !== 'node') return [];
    const name = cfg.value.trim();
    const sample = name === '' ? undefined : model.files.find((f) => f !== node && sampleNameOf(f.path) === name);
    if (!sample) return [];
    // The sample's own VE_LAYOUT overrides vz.conf's (merge_vps_param()); a default is no evidence.
    const layout = effectiveValue(sample.ctx, 'VE_LAYOUT');
    if (!layout?.entry || layout.source === 'default' || !PLOOP_LAYOUT.test(layout.value.trim())) return [];
    const ds = effectiveValue(sample.ctx, 'DISKSPACE');
    if (ds?.entry && ds.source !== 'default') {
      const values = ds.source === 'node' ? sample.ctx.node?.values : sample.ctx.values;
      const pair = values?.get(ds.entry)?.pair;
      if (pair && pair.limit.value > 0n) return [];
    }
    const layoutAt = `${layout.source === 'node' ? 'vz.conf' : `ve-${name}.conf-sample`} line ${lineNo(fileOf(sample.ctx, layout), layout.entry.line)}`;
    const why = ds?.entry && ds.source !== 'default' ? `its DISKSPACE (${ds.source === 'node' ? 'vz.conf' : 'the sample'} line ${lineNo(fileOf(sample.ctx, ds), ds.entry.line)}) has no hard limit above 0` : 'neither it nor vz.conf sets DISKSPACE';
    const said = say(node.ctx, `Sample ${q(name)} sets no DISKSPACE, which ploop needs`, 'create-fails-ploop-no-diskspace');
    return [{ path: node.path, finding: finding(node.ctx, 'ploop-sample-without-diskspace', cfg.entry.valueRange, said, {
      detail: explain(said, `VE_LAYOUT=${layout.value.trim()} (${layoutAt}) makes new containers ploop images, which need a size; CONFIGFILE="${name}" picks ve-${name}.conf-sample, and ${why}`,
        `vzctl create without --diskspace stops with "diskspace not set (required for ploop)" (checked against vzctl ${node.ctx.target.version})`,
        'Add DISKSPACE to the sample, or pass --diskspace to vzctl create'),
    }) }];
  },
};

/** An IP address in a canonical form for comparison (prefix dropped, IPv6 compressed and lower-case). */
export function canonicalIp(item: string): string | undefined {
  const slash = item.indexOf('/');
  const addr = slash < 0 ? item : item.slice(0, slash);
  if (addr === '' || addr === '0.0.0.0' || addr === '::' || addr === '::0') return undefined;
  if (!addr.includes(':')) return addr;
  try {
    return new URL(`http://[${addr}]/`).hostname;
  } catch {
    return addr.toLowerCase();
  }
}

/**
 * The same venet address in IP_ADDRESS of two containers. vzmigrate refuses such a move ("IP address(es)
 * already in use on destination node", kb-map §3); the reference does not say that `vzctl start` refuses
 * the second container, so this is a warning: at best one of them gets the traffic.
 */
export const duplicateIpAddress: NodeRule = {
  id: 'duplicate-ip-address',
  check(model) {
    const catalog = catalogOf(model);
    // Grouped by container (each address is once in a container's list): no object per address of the node.
    const ips: string[] = [];
    const owners: NodeContainer[] = [];
    // Indexed loops: the node rules run once a run, mostly unoptimised (an iterator each was a cost).
    const containers = model.containers;
    for (let i = 0; i < containers.length; i += 1) {
      const c = containers[i] as NodeContainer;
      const list = c.facts.ips;
      for (let j = 0; j < list.length; j += 1) {
        ips.push((list[j] as ContainerFacts['ips'][number]).ip);
        owners.push(c);
      }
    }
    const byIp = sharedGroups(ips, owners);
    const out: NodeFinding[] = [];
    for (const [ip, cs] of byIp.shared()) {
      const list = cs.map((c) => {
        const a = c.facts.ips.find((x) => x.ip === ip) as ContainerFacts['ips'][number];
        return { c, line: a.line, range: a.range };
      });
      // The same for every item of the group: made once (a fleet's shared address has hundreds).
      const note = refusalNote(list.map((o) => o.c));
      for (const item of list) {
        const others = listSome(list.slice(0, 6).filter((o) => o !== item).map((o) => `${o.c.path} line ${lineNumber(o.c.facts.place, o.line)}`), list.length - 1);
        const other = list.find((o) => o !== item) ?? item;
        const more = list.length > 2 ? ` and ${list.length - 2} more` : '';
        out.push({ path: item.c.path, finding: ruleFinding(catalog, 'duplicate-ip-address', item.range,
          namingFile(other.c.path, (name) => `${clip(ip, 39)} is also assigned to ${name} line ${lineNumber(other.c.facts.place, other.line)}${more}`),
          { detail: `${ip} is also assigned to ${others} on this node: two running containers cannot both own one venet address (whichever starts second gets a conflict; vzmigrate refuses an address already in use).${note}` }) });
      }
    }
    return out;
  },
};

/**
 * The same MAC address in the NETIF of two containers (`mac=`, the container side of the veth pair, or
 * `host_mac=`, the host side), typically after a CT config was copied. vzctl compares MACs nowhere: it
 * uses these as written (it generates one from the CTID only when `mac=` is absent; classic uses `mac=` for
 * the host side too when `host_mac=` is absent: parse_netif_str(), src/lib/config.c @ vzctl-4.11.1), so
 * two started containers bring up two interfaces with one address. Warning: on one bridge, or one
 * Ethernet segment, frames for that address reach only one of them.
 */
export const duplicateMacAddress: NodeRule = {
  id: 'duplicate-mac-address',
  check(model) {
    const catalog = catalogOf(model);
    // Grouped by container (each address is once in a container's list); most containers have no list.
    const byMac = new Groups<NodeContainer>();
    const containers = model.containers;
    for (let i = 0; i < containers.length; i += 1) {
      const c = containers[i] as NodeContainer;
      const macs = c.facts.macs;
      if (macs !== undefined) for (const m of macs) byMac.add(m.mac, c);
    }
    const out: NodeFinding[] = [];
    for (const [mac, cs] of byMac.shared()) {
      const list = cs.map((c) => ({ c, m: (c.facts.macs ?? []).find((x) => x.mac === mac) as NonNullable<ContainerFacts['macs']>[number] }));
      const shown = mac.toUpperCase();
      const note = refusalNote(list.map((o) => o.c));
      for (const item of list) {
        const others = listSome(list.slice(0, 6).filter((o) => o !== item).map((o) => `${short(o.c.path)} line ${lineNumber(o.c.facts.place, o.m.line)} (${o.m.field}=)`), list.length - 1);
        const other = list.find((o) => o !== item) ?? item;
        const more = list.length > 2 ? ` and ${list.length - 2} more` : '';
        const hostSide = item.c.facts.target.generation === 'classic' && item.m.field === 'mac' ? ' (classic vzctl gives the host side this address too when host_mac= is absent)' : '';
        out.push({ path: item.c.path, finding: ruleFinding(catalog, 'duplicate-mac-address', item.m.range,
          namingFile(other.c.path, (name) => `MAC ${shown} is also set in ${name} line ${lineNumber(other.c.facts.place, other.m.line)}${more}`),
          { detail: `NETIF ${item.m.field}=${shown}${hostSide} is also set in ${others} on this node. vzctl does not check that MAC addresses are unique: it creates the veth devices with the addresses as written. Two started containers then have interfaces with one MAC; on one bridge or Ethernet segment, frames for that address go to whichever last sent from it, so both lose traffic. Give each interface its own MAC, or remove mac= and host_mac= so that vzctl generates them.${note}` }) });
      }
    }
    return out;
  },
};

/**
 * What the admin needs to know of the Virtuozzo 7 containers among `cs` whose config libvzctl refuses
 * ({@link ContainerFacts.refused}): that they do not start as they are, so the clash is not live yet and
 * takes effect once the refused value is fixed; '' when none is refused. Names at most three of them.
 */
function refusalNote(cs: NodeContainer[]): string {
  const refused = cs.filter((c) => c.facts.refused);
  if (refused.length === 0) return '';
  const named = refused.slice(0, 3).map((c) => {
    const r = c.facts.refused as NonNullable<ContainerFacts['refused']>;
    return `${short(c.path)} (${r.source === 'node' ? "vz.conf's " : ''}${r.name} on line ${r.line})`;
  });
  const more = refused.length > 3 ? ` and ${refused.length - 3} more` : '';
  const all = refused.length === cs.length;
  return ` Virtuozzo 7 refuses the whole config of ${named.join(', ')}${more} for an invalid value, so ${refused.length === 1 ? 'that container does' : 'those containers do'} not start as configured: the clash is ${all ? 'not live now' : 'not live for ' + (refused.length === 1 ? 'it' : 'them')} and takes effect once the value is fixed.`;
}

/**
 * Items grouped by a key, for the cross-container duplicate checks: `shared()` yields the keys that two or
 * more items have, with their items, in the order each key was first added. Only those groups get an array,
 * so a node of 10,000 containers with unique values costs one Map entry each.
 */
export class Groups<T> {
  private readonly first = new Map<string, T>();
  private many: Map<string, T[]> | undefined;

  add(key: string, item: T): void {
    const held = this.first.get(key);
    if (held === undefined) {
      this.first.set(key, item);
      return;
    }
    this.many ??= new Map();
    const list = this.many.get(key);
    if (list) list.push(item);
    else this.many.set(key, [held, item]);
  }

  *shared(): IterableIterator<[string, T[]]> {
    const many = this.many;
    if (!many) return;
    for (const key of this.first.keys()) {
      const list = many.get(key);
      if (list) yield [key, list];
    }
  }
}

/** A 32-bit hash of `s` (FNV-1a over its UTF-16 code units), for {@link sharedGroups}. */
function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The {@link Groups} of `items` by `keys` (item `i` has key `i`; an item may come several times, with several
 * keys), holding only the keys whose hash ({@link hashKey}) comes more than once: equal keys have equal hashes,
 * so `shared()` yields what a Groups of every key yields, in the same order. A fleet's 10,000 distinct
 * addresses or host names cost a sorted typed array of their hashes, not a Map grown past 10,000 entries
 * (rehashed at each doubling, its last tables in fresh pages) at the end of a run.
 */
export function sharedGroups<T>(keys: readonly string[], items: readonly T[]): Groups<T> {
  const n = keys.length;
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) hashes[i] = hashKey(keys[i] as string);
  const groups = new Groups<T>();
  const sorted = hashes.slice().sort();
  let twice: Set<number> | undefined;
  for (let k = 1; k < n; k += 1) {
    const h = sorted[k] as number;
    if (h === sorted[k - 1]) (twice ??= new Set()).add(h);
  }
  if (twice === undefined) return groups;
  for (let i = 0; i < n; i += 1) if (twice.has(hashes[i] as number)) groups.add(keys[i] as string, items[i] as T);
  return groups;
}

/**
 * Up to five of `total` items joined by ", ", then "and N more": messages (and the work to build them)
 * stay small on nodes with thousands of containers.
 * @param first  the first few items (only five are used)
 */
function listSome(first: string[], total: number): string {
  const shown = first.slice(0, 5);
  return total <= shown.length ? shown.join(', ') : `${shown.join(', ')} and ${total - shown.length} more`;
}

/**
 * VE_PRIVATE / VE_ROOT as vzctl resolves it for container `ctid`: subst_VEID() replaces only the first
 * `$VEID` (anywhere, so `$VEIDx` too), or, when there is none, the first `${VEID}`, and leaves every other
 * occurrence as written (`/vz/$VEID/$VEID` is `/vz/101/$VEID`). The same in classic vzctl (src/lib/util.c
 * @ vzctl.open-2.7.0-23..vzctl-4.11.1) and libvzctl (lib/util.c @ v7.0.42..v8.0.90). Trailing `/` are
 * dropped (classic drops them itself; libvzctl keeps them, but the directory is the same one), so that the
 * result compares as a path.
 */
export function resolveVeidPath(value: string, ctid: string): string {
  let expanded = value;
  if (value.includes('$')) {
    let at = value.indexOf('$VEID');
    let len = 5;
    if (at < 0) {
      at = value.indexOf('${VEID}');
      len = 7;
    }
    if (at >= 0) expanded = `${value.slice(0, at)}${ctid}${value.slice(at + len)}`;
  }
  const p = expanded.endsWith('/') ? expanded.replace(/\/+$/, '') : expanded;
  return p === '' ? '/' : p;
}

/**
 * Two containers whose VE_PRIVATE (private area) or VE_ROOT (mount point) resolve to the same path,
 * typically a path without `$VEID` (set in vz.conf, or copied between CT configs): they would share one
 * file system / mount point. Error: at most one of them can run, and a destroy removes the other's data.
 */
export const sharedPrivatePath: NodeRule = {
  id: 'shared-private-path',
  check(model) {
    const catalog = catalogOf(model);
    const out: NodeFinding[] = [];
    const reported = new Set<string>();
    for (const param of ['VE_PRIVATE', 'VE_ROOT'] as const) {
      if (distinctPaths(model.containers, param)) continue;
      // Grouped by container (a container has one path of each param): no object per container of the node.
      const byPath = new Groups<NodeContainer>();
      for (const c of model.containers) {
        const p = pathFact(c, param);
        if (!p) continue;
        if (p.resolved?.ctid !== c.ctid) p.resolved = { ctid: c.ctid, path: resolveVeidPath(p.value.trim(), c.ctid) };
        byPath.add(p.resolved.path, c);
      }
      for (const [resolved, cs] of byPath.shared()) {
        const list = cs.map((c) => ({ c, p: pathFact(c, param) as ContainerFacts['paths'][number] }));
        const names = listSome(list.slice(0, 5).map((x) => short(x.c.path)), list.length);
        const note = refusalNote(list.map((x) => x.c));
        for (const { c, p } of list) {
          const at = locate(model, c, p.source);
          if (at === undefined) continue;
          const key = `${at}\0${p.line}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const noVeid = !HAS_VEID.test(p.value);
          out.push({ path: at, finding: ruleFinding(catalog, 'shared-private-path', p.range,
            `${param} resolves to ${q(resolved)} for ${list.length} containers`, { detail: `${param} resolves to ${resolved} for ${names}${p.source === 'node' ? ' (the value comes from vz.conf)' : ''}: containers on one node need their own ${param === 'VE_PRIVATE' ? 'private area' : 'root mount point'}${noVeid ? '; put $VEID in the path (e.g. /vz/' + (param === 'VE_PRIVATE' ? 'private' : 'root') + '/$VEID)' : ''}.${note}` }) });
        }
      }
    }
    return out;
  },
};

/**
 * Whether no two of `containers` resolve `param` to one path, known without resolving a path: each that
 * has it has the same value, a value with `$VEID` (or `${VEID}`) in it, and their CTIDs strictly increase
 * along the list (vzlint adds a folder's files sorted by name), so differ. {@link resolveVeidPath} puts the
 * CTID (no `/` in it) between the same two parts for each, and only slashes at the very end are dropped:
 * distinct CTIDs give distinct paths. A fleet rendered from one template is answered so (20,000 paths
 * neither built nor grouped); anything else is grouped path by path.
 */
function distinctPaths(containers: readonly NodeContainer[], param: 'VE_PRIVATE' | 'VE_ROOT'): boolean {
  let value: string | undefined;
  let prev: string | undefined;
  for (let i = 0; i < containers.length; i += 1) {
    const c = containers[i] as NodeContainer;
    const p = pathFact(c, param);
    if (p === undefined) continue;
    if (value === undefined) {
      value = p.value;
      const v = value.trim();
      if (!v.includes('$VEID') && !v.includes('${VEID}')) return false;
    } else if (p.value !== value) return false;
    const ctid = c.ctid;
    if ((prev !== undefined && !(prev < ctid)) || ctid === '' || ctid.includes('/')) return false;
    prev = ctid;
  }
  return true;
}

/** The {@link ContainerFacts.paths} item of `param` of container `c`, if it has one. */
function pathFact(c: NodeContainer, param: 'VE_PRIVATE' | 'VE_ROOT'): ContainerFacts['paths'][number] | undefined {
  const paths = c.facts.paths;
  for (let i = 0; i < paths.length; i += 1) if ((paths[i] as ContainerFacts['paths'][number]).param === param) return paths[i];
  return undefined;
}

/** The {@link ContainerFacts.names} item of `param` of container `c`, if it has one. */
function nameFact(c: NodeContainer, param: 'NAME' | 'HOSTNAME'): ContainerFacts['names'][number] | undefined {
  const names = c.facts.names;
  for (let i = 0; i < names.length; i += 1) if ((names[i] as ContainerFacts['names'][number]).param === param) return names[i];
  return undefined;
}

/**
 * Two containers with the same NAME (vzctl's symlink in /etc/vz/names can point to one only) or the same
 * HOSTNAME (compared case-insensitively). Info: legal, but `vzctl enter NAME` and logs get ambiguous.
 */
export const duplicateCtName: NodeRule = {
  id: 'duplicate-ct-name',
  check(model) {
    const catalog = catalogOf(model);
    const out: NodeFinding[] = [];
    for (const param of ['NAME', 'HOSTNAME'] as const) {
      // Grouped by container (a container has one name of each param): no object per container of the node.
      const keys: string[] = [];
      const owners: NodeContainer[] = [];
      const containers = model.containers;
      for (let i = 0; i < containers.length; i += 1) {
        const c = containers[i] as NodeContainer;
        const n = nameFact(c, param);
        if (n) {
          keys.push(n.key);
          owners.push(c);
        }
      }
      const byValue = sharedGroups(keys, owners);
      for (const [, cs] of byValue.shared()) {
        const list = cs.map((c) => ({ c, n: nameFact(c, param) as ContainerFacts['names'][number] }));
        const note = refusalNote(list.map((o) => o.c));
        for (const { c, n } of list) {
          const others = listSome(list.slice(0, 6).filter((o) => o.c !== c).map((o) => `${o.c.path} line ${lineNumber(o.c.facts.place, o.n.line)}`), list.length - 1);
          const other = list.find((o) => o.c !== c) ?? list[0];
          const more = list.length > 2 ? ` and ${list.length - 2} more` : '';
          out.push({ path: c.path, finding: ruleFinding(catalog, 'duplicate-ct-name', n.range,
            namingFile(other?.c.path ?? '', (name) => `${param} ${q(n.value.trim())} is also used by ${name}${more}`),
            { detail: `${param} "${n.value.trim()}" is also used by ${others}${param === 'NAME' ? ': /etc/vz/names can point to one container only, so vzctl commands that take NAME are ambiguous.' : ': two containers answering to one host name confuse logs, monitoring and DNS.'}${note}` }) });
        }
      }
    }
    return out;
  },
};

// ------------------------------------------------------------------------------------------------
// Memory of the node

/** How one container's memory was counted. */
export interface MemoryRow {
  path: string;
  ctid: string;
  /** vSwap: PHYSPAGES + SWAPPAGES limits; ubc: PRIVVMPAGES barrier; none: not counted. */
  mode: 'vswap' | 'ubc' | 'none';
  /** What was used, in words (`PHYSPAGES limit + SWAPPAGES limit`, `PRIVVMPAGES barrier`, or why nothing). */
  basis: string;
  /** RAM in bytes (vSwap: PHYSPAGES limit). */
  ramBytes?: bigint;
  /** Swap in bytes (vSwap: SWAPPAGES limit; 0 when unset). */
  swapBytes?: bigint;
  /** Allocatable memory in bytes (UBC mode: PRIVVMPAGES barrier, RAM and swap together). */
  privvmBytes?: bigint;
  /**
   * The values the row would have summed that are unlimited (LONG_MAX, 2147483647) or effectively so (at
   * least {@link EFFECTIVELY_UNLIMITED_BYTES}), and so are not summed: vSwap PHYSPAGES / SWAPPAGES limits,
   * a UBC-mode PRIVVMPAGES barrier. Absent when none.
   */
  unlimited?: ('PHYSPAGES' | 'SWAPPAGES' | 'PRIVVMPAGES')[];
  /**
   * Virtuozzo 7: the value for which libvzctl refuses this container's whole config ({@link
   * ContainerFacts.refused}): vzctl cannot start it until that value is fixed (vzctl2_env_open_conf() fails,
   * libvzctl lib/env.c @ v7.0.737; vzctl 7 opens every config without VZCTL_CONF_SKIP_PARAM_ERRORS, src/vzctl.c
   * @ v7.0.254; prlctl's dispatcher starts a container by running `vzctl start`, OpenVZ/prl-disp-service
   * Libraries/Virtuozzo/CVzHelper.cpp start_env() @ v7.0.1278), so the row is what it commits once fixed. It stays in the sums (a node must carry the
   * containers it hosts) and {@link MemorySummary.refused} says how much of them it is. Absent otherwise.
   */
  refused?: NonNullable<ContainerFacts['refused']>;
  /**
   * Virtuozzo 7: memory values of the row that libvzctl refuses ("Invalid parameter"), so not counted:
   * what they will be once fixed is not known. Absent when none.
   */
  refusedValues?: ('PHYSPAGES' | 'SWAPPAGES' | 'PRIVVMPAGES')[];
}

/**
 * 2^52 bytes (4 PiB, 2^40 pages of 4 KiB): a memory limit at or above it is counted as unlimited by the
 * memory summary and node-memory-overcommit, as LONG_MAX is. x86-64 defines at most 52 bits of physical
 * address (MAXPHYADDR ≤ 52; AMD64 and Intel SDM), so no node has that much memory and such a limit never
 * binds: it is "unlimited" written as a big number (`PRIVVMPAGES="99999999999999999:…"`), and summed it
 * would swamp the node's totals (that one value is 355 EiB).
 */
export const EFFECTIVELY_UNLIMITED_BYTES = 1n << 52n;

/** Whether a limit in pages is unlimited or at least {@link EFFECTIVELY_UNLIMITED_BYTES}. */
function unlimitedPages(pages: bigint): boolean {
  return isUnlimited(pages) || pages * PAGE_SIZE >= EFFECTIVELY_UNLIMITED_BYTES;
}

export interface MemorySummary {
  rows: MemoryRow[];
  /** Sum of the vSwap containers' RAM (bytes). */
  ramBytes: bigint;
  /** Sum of the vSwap containers' swap (bytes). */
  swapBytes: bigint;
  /** Sum of the UBC-mode containers' PRIVVMPAGES barriers (bytes). */
  privvmBytes: bigint;
  /**
   * Containers whose value of each kind is unlimited or effectively so ({@link MemoryRow.unlimited}) and
   * so is in no sum: vSwap PHYSPAGES limits, vSwap SWAPPAGES limits, UBC-mode PRIVVMPAGES barriers.
   */
  unlimited: { physpages: number; swappages: number; privvmpages: number };
  /** ramBytes + swapBytes + privvmBytes. */
  totalBytes: bigint;
  /**
   * The part of the sums above from Virtuozzo 7 containers whose config libvzctl refuses ({@link
   * MemoryRow.refused}): they do not start until the value is fixed. `containers` counts those with a
   * value in a sum. Absent when there is none.
   */
  refused?: { containers: number; ramBytes: bigint; swapBytes: bigint; privvmBytes: bigint; totalBytes: bigint };
  capacity?: NodeCapacity;
  /** vSwap RAM above the node's RAM (needs capacity.ramBytes). */
  overRam: boolean;
  /** Everything above the node's RAM + swap (needs capacity.ramBytes; swap 0 when not given). */
  overTotal: boolean;
  /** vSwap swap above the node's swap (needs capacity.swapBytes). */
  overSwap: boolean;
}

function pairOfEffective(ctx: LintContext, eff: EffectiveValue | undefined): Pair | undefined {
  if (!eff?.entry) return undefined;
  const values = eff.source === 'node' ? ctx.node?.values : ctx.values;
  return values?.get(eff.entry)?.pair;
}

/**
 * A memory value of a container as {@link memoryRow} counts it: the number of the pair's `part` (pages),
 * `refused` when libvzctl refuses the value (Virtuozzo 7: not applied, and what it will be once fixed is not
 * known, so it is not counted, nor taken as unset: the row says why), undefined when unset or not a pair.
 */
type MemoryValue = bigint | 'refused' | undefined;

function memoryValue(ctx: LintContext, name: 'PHYSPAGES' | 'SWAPPAGES' | 'PRIVVMPAGES', part: 'limit' | 'barrier'): MemoryValue {
  const eff = effectiveValue(ctx, name);
  if (eff?.refused) return 'refused';
  return pairOfEffective(ctx, eff)?.[part].value;
}

/** The rows {@link memoryRow} made last and what each was made of (a fleet's containers mostly repeat a few). */
interface MemoryMemo {
  rows: Recent<{ phys: MemoryValue; other: MemoryValue; row: Omit<MemoryRow, 'path' | 'ctid'> }>;
}

/**
 * The last few (8) items made of something, each with what it was made of: a fleet is rendered from a few
 * templates, whose containers alternate in a folder sorted by name, so the one made last is mostly not the
 * one wanted. Searched by the caller (a loop over {@link items}: no callback to allocate); the oldest is replaced.
 */
class Recent<T> {
  readonly items: T[] = [];
  private next = 0;

  add(item: T): void {
    if (this.items.length < 8) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) & 7;
  }
}

/**
 * How one container's memory is counted (see {@link memorySummary}), from its analysis with the node
 * config (vzctl merges vz.conf and CTID.conf). With `memo`, a row equal to the one made last is that
 * object (rows are shared, never modified).
 */
function memoryRow(ctx: LintContext, memo?: MemoryMemo): Omit<MemoryRow, 'path' | 'ctid'> {
  const phys = memoryValue(ctx, 'PHYSPAGES', 'limit');
  // vzctl's vSwap test (is_vswap_config): a PHYSPAGES limit that is neither LONG_MAX nor 2147483647; then
  // SWAPPAGES counts, else PRIVVMPAGES (neither when PHYSPAGES is refused).
  const other = phys === 'refused' ? undefined
    : phys !== undefined && !isUnlimited(phys) ? memoryValue(ctx, 'SWAPPAGES', 'limit') : memoryValue(ctx, 'PRIVVMPAGES', 'barrier');
  if (memo) for (const r of memo.rows.items) if (r.phys === phys && r.other === other) return r.row;
  const row = memoryRowOf(phys, other);
  memo?.rows.add({ phys, other, row });
  return row;
}

/** {@link memoryRow} of the values it read: PHYSPAGES' limit, then SWAPPAGES' limit (vSwap) or PRIVVMPAGES' barrier. */
function memoryRowOf(phys: MemoryValue, other: MemoryValue): Omit<MemoryRow, 'path' | 'ctid'> {
  const row: Omit<MemoryRow, 'path' | 'ctid'> = { mode: 'none', basis: '' };
  if (phys === 'refused') {
    row.refusedValues = ['PHYSPAGES'];
    row.basis = 'not counted: libvzctl refuses the PHYSPAGES value';
    return row;
  }
  if (phys !== undefined && !isUnlimited(phys)) {
    row.mode = 'vswap';
    const huge = unlimitedPages(phys);
    if (huge) row.unlimited = ['PHYSPAGES'];
    else row.ramBytes = phys * PAGE_SIZE;
    const ram = huge ? 'PHYSPAGES limit effectively unlimited (not counted)' : 'PHYSPAGES limit';
    if (other === 'refused') {
      row.refusedValues = ['SWAPPAGES'];
      row.basis = `${ram}; swap not counted: libvzctl refuses the SWAPPAGES value`;
    } else if (other !== undefined && unlimitedPages(other)) {
      (row.unlimited ??= []).push('SWAPPAGES');
      row.basis = `${ram}; SWAPPAGES ${isUnlimited(other) ? '' : 'effectively '}unlimited (swap not counted)`;
    } else {
      row.swapBytes = other !== undefined ? other * PAGE_SIZE : 0n;
      row.basis = other !== undefined ? `${ram} + SWAPPAGES limit` : `${ram} (no SWAPPAGES)`;
    }
  } else if (other === 'refused') {
    row.refusedValues = ['PRIVVMPAGES'];
    row.basis = 'not counted: libvzctl refuses the PRIVVMPAGES value';
  } else if (other !== undefined && !unlimitedPages(other)) {
    row.mode = 'ubc';
    row.privvmBytes = other * PAGE_SIZE;
    row.basis = 'PRIVVMPAGES barrier';
  } else if (other !== undefined) {
    row.unlimited = ['PRIVVMPAGES'];
    row.basis = `not counted: PRIVVMPAGES barrier ${isUnlimited(other) ? '' : 'effectively '}unlimited`;
  } else {
    row.basis = 'not counted: neither a vSwap PHYSPAGES limit nor PRIVVMPAGES';
  }
  return row;
}

/**
 * Counts each container's memory as vzctl would give it: a vSwap container (PHYSPAGES limit neither
 * unlimited nor 2147483647, as vzctl decides) its PHYSPAGES and SWAPPAGES limits (pages × 4096 B); a
 * UBC-mode container its PRIVVMPAGES barrier (pages × 4096 B; RAM and swap together). Unset values are
 * not counted, nor unlimited ones (LONG_MAX, 2147483647, or at least {@link EFFECTIVELY_UNLIMITED_BYTES}):
 * the row says so and {@link MemorySummary.unlimited} counts them.
 */
export function memorySummary(model: NodeModel): MemorySummary {
  const rows: MemoryRow[] = model.containers.map((c) => ({ path: c.path, ctid: c.ctid, ...c.facts.memory }));
  const sum = (f: (r: MemoryRow) => bigint | undefined): bigint => rows.reduce((a, r) => a + (f(r) ?? 0n), 0n);
  const ramBytes = sum((r) => r.ramBytes);
  const swapBytes = sum((r) => r.swapBytes);
  const privvmBytes = sum((r) => r.privvmBytes);
  const totalBytes = ramBytes + swapBytes + privvmBytes;
  const unlimited = { physpages: 0, swappages: 0, privvmpages: 0 };
  for (const r of rows) {
    if (!r.unlimited) continue;
    for (const u of r.unlimited) unlimited[u === 'PHYSPAGES' ? 'physpages' : u === 'SWAPPAGES' ? 'swappages' : 'privvmpages'] += 1;
  }
  const cap = model.capacity;
  const refusedRows = rows.filter((r) => r.refused && (r.ramBytes !== undefined || r.swapBytes !== undefined || r.privvmBytes !== undefined));
  const s: MemorySummary = {
    rows, ramBytes, swapBytes, privvmBytes, unlimited, totalBytes,
    overRam: cap?.ramBytes !== undefined && ramBytes > cap.ramBytes,
    overTotal: cap?.ramBytes !== undefined && totalBytes > cap.ramBytes + (cap.swapBytes ?? 0n),
    overSwap: cap?.swapBytes !== undefined && swapBytes > cap.swapBytes,
  };
  if (cap) s.capacity = cap;
  if (refusedRows.length > 0) {
    const part = (f: (r: MemoryRow) => bigint | undefined): bigint => refusedRows.reduce((a, r) => a + (f(r) ?? 0n), 0n);
    const r = { containers: refusedRows.length, ramBytes: part((x) => x.ramBytes), swapBytes: part((x) => x.swapBytes), privvmBytes: part((x) => x.privvmBytes), totalBytes: 0n };
    r.totalBytes = r.ramBytes + r.swapBytes + r.privvmBytes;
    s.refused = r;
  }
  return s;
}

/**
 * The containers of the node together promise more memory than the node has (`--node-ram`,
 * `--node-swap`, settings `vzconf.nodeRam` / `vzconf.nodeSwap`). The seed's advice: a node must be able to
 * carry the load of a failover, i.e. every container it may host at once. Reported on vz.conf (line 1),
 * or on the first container config when no vz.conf is known.
 */
export const nodeMemoryOvercommit: NodeRule = {
  id: 'node-memory-overcommit',
  check(model) {
    // Without the node's RAM nothing can be over it (and a node of 10,000 containers needs no rows for that).
    if (model.capacity?.ramBytes === undefined && model.capacity?.swapBytes === undefined) return [];
    const s = memorySummary(model);
    if (!s.overRam && !s.overTotal && !s.overSwap) return [];
    const cap = s.capacity ?? {};
    // What the total was compared with, as true for the options given: RAM alone when no swap was given
    // (counted as 0), else RAM + swap.
    const swapGiven = cap.swapBytes !== undefined;
    const totalCap = formatBytes((cap.ramBytes ?? 0n) + (cap.swapBytes ?? 0n));
    const reasons: string[] = [];
    if (s.overRam) reasons.push(`vSwap RAM (PHYSPAGES limits) ${formatBytes(s.ramBytes)} > node RAM ${formatBytes(cap.ramBytes ?? 0n)}`);
    if (s.overSwap) reasons.push(`vSwap swap (SWAPPAGES limits) ${formatBytes(s.swapBytes)} > node swap ${formatBytes(cap.swapBytes ?? 0n)}`);
    if (s.overTotal) reasons.push(`all memory ${formatBytes(s.totalBytes)} (vSwap RAM + swap, plus PRIVVMPAGES barriers ${formatBytes(s.privvmBytes)} of UBC-mode containers) > ${swapGiven ? `node RAM + swap ${totalCap}` : `node RAM ${totalCap} (swap not given)`}`);
    const counted = s.rows.filter((r) => r.mode !== 'none').length;
    const u = s.unlimited.physpages + s.unlimited.swappages + s.unlimited.privvmpages;
    const left = u > 0 ? ` Not counted: ${u} value${u === 1 ? '' : 's'} unlimited or at least 4 PiB (no node has that much memory).` : '';
    const detail = `The ${counted} container${counted === 1 ? '' : 's'} of this node promise more memory than it has: ${reasons.join('; ')}. A node must be able to carry all the containers it may host, e.g. after a failover.${left}${refusedMemoryNote(s, model.containers)}`;
    // The message counts the containers whose values it sums: vSwap ones for PHYSPAGES (SWAPPAGES), all counted ones for the total.
    const summed = s.overRam ? s.rows.filter((r) => r.ramBytes !== undefined).length
      : s.overSwap ? s.rows.filter((r) => r.swapBytes !== undefined).length
        : counted;
    // What is summed, in the field's terms (as --summary says it), and what it is above.
    const main = s.overRam
      ? `vSwap PHYSPAGES limits = ${formatBytes(s.ramBytes)}, above node RAM (${formatBytes(cap.ramBytes ?? 0n)})`
      : s.overSwap
        ? `vSwap SWAPPAGES limits = ${formatBytes(s.swapBytes)}, above node swap (${formatBytes(cap.swapBytes ?? 0n)})`
        : `PHYSPAGES + SWAPPAGES + PRIVVMPAGES = ${formatBytes(s.totalBytes)}, above ${swapGiven ? `node RAM + swap (${totalCap})` : `node RAM (${totalCap}; swap not given)`}`;
    const message = `${summed} container${summed === 1 ? '' : 's'}: ${main}`;
    const first = model.containers[0];
    const at = model.node ? { path: model.node.path, width: (model.node.ctx.doc.text[0] ?? '').length } : first ? { path: first.path, width: first.facts.place.firstLineLength } : undefined;
    if (!at) return [];
    const range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: at.width } };
    return [{ path: at.path, finding: ruleFinding(catalogOf(model), 'node-memory-overcommit', range, message, { detail }) }];
  },
};

/**
 * What node-memory-overcommit says of the Virtuozzo 7 containers in its sums whose config libvzctl refuses
 * ({@link MemorySummary.refused}): they are counted as they will be once the value is fixed, since vzctl
 * cannot start them before; and whether the node is over without them. '' when there is none.
 */
function refusedMemoryNote(s: MemorySummary, containers: readonly NodeContainer[]): string {
  const name = (c: NodeContainer): string => {
    const x = c.facts.refused as NonNullable<ContainerFacts['refused']>;
    return `${short(c.path)} (${x.source === 'node' ? "vz.conf's " : ''}${x.name} on line ${x.line})`;
  };
  // A memory value libvzctl refuses is in no sum: what it will be once fixed is not known.
  const unknown = containers.filter((c) => c.facts.memory.refusedValues);
  const notCounted = unknown.length === 0 ? '' : ` Not counted: the ${unknown.slice(0, 3).map((c) => `${(c.facts.memory.refusedValues ?? []).join(' and ')} of ${short(c.path)}`).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}, which libvzctl refuses (what it will be once fixed is not known).`;
  const r = s.refused;
  if (!r) return notCounted;
  const refused = containers.filter((c) => {
    const m = c.facts.memory;
    return m.refused && (m.ramBytes !== undefined || m.swapBytes !== undefined || m.privvmBytes !== undefined);
  });
  const named = refused.slice(0, 3).map(name);
  const more = refused.length > 3 ? ` and ${refused.length - 3} more` : '';
  const cap = s.capacity ?? {};
  const stillOver = (cap.ramBytes !== undefined && s.ramBytes - r.ramBytes > cap.ramBytes)
    || (cap.swapBytes !== undefined && s.swapBytes - r.swapBytes > cap.swapBytes)
    || (cap.ramBytes !== undefined && s.totalBytes - r.totalBytes > cap.ramBytes + (cap.swapBytes ?? 0n));
  const one = r.containers === 1;
  return ` Of the memory summed, ${formatBytes(r.totalBytes)} is that of ${named.join(', ')}${more}, whose config Virtuozzo 7 refuses for an invalid value: ${one ? 'it does' : 'they do'} not start until the value is fixed, and ${one ? 'is' : 'are'} counted as configured. ${stillOver ? `The node is over even without ${one ? 'it' : 'them'}.` : `Without ${one ? 'it' : 'them'} the node is not over: the overcommit is not live until the value is fixed.`}${notCounted}`;
}

/** The cross-container rules, in the order their findings are produced. */
export const NODE_LEVEL_RULES: readonly NodeRule[] = [sampleNotFound, ploopSampleWithoutDiskspace, duplicateIpAddress, duplicateMacAddress, sharedPrivatePath, duplicateCtName, nodeMemoryOvercommit];

// ------------------------------------------------------------------------------------------------
// lintNode

/** The order every output uses: by position, then rule id (negative when `a` comes first). */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);
}

/** Sorts findings in place by position, then rule id (the order every output uses). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

/**
 * What the node rules compare of one container ({@link ContainerFacts}), from its analysis (`analyze` or
 * `lint(…).ctx`) with its node config attached.
 */
export function containerFacts(ctx: LintContext): ContainerFacts {
  const refused = refusedOf(ctx);
  // A value libvzctl refuses (Virtuozzo 7: "Invalid parameter", `eff.refused`) or classic vzctl skips is
  // never applied, so it never counts here; of a list line classic takes only part of, only that part.
  const ips = ipsOf(ctx, undefined);
  const target = { generation: ctx.target.generation, version: ctx.target.version };
  return new Facts(target, originOf(ctx, undefined), ips.length === 0 ? NO_ITEMS : ips, pathsOf(ctx, undefined), namesOf(ctx), memoryOf(ctx, undefined, refused), filePlace(ctx), refused, macsOf(ctx));
}

/** No items (shared by the facts of the containers without any; never modified). */
const NO_ITEMS: never[] = Object.freeze([]) as unknown as never[];

/**
 * {@link containerFacts} as {@link NodeLinter} keeps a container until the node's end (a compact run): one
 * {@link KeptContainer}, its path and CTID with its facts, their strings, ranges, target and memory row the
 * stored equal ones (`store`: what {@link FindingStore.shareFacts} makes of facts, without building the
 * copies it would drop).
 */
function keptOf(ctx: LintContext, store: FindingStore, path: string, ctid: string): KeptContainer {
  const originSample = originOf(ctx, store);
  const target = store.target(ctx.target);
  const refused = refusedOf(ctx);
  const memory = memoryOf(ctx, store, refused);
  const place = store.place(filePlace(ctx));
  return new KeptContainer(path, ctid, target, originSample, pathsOf(ctx, store), memory, place, refused, macsOf(ctx), ipsOf(ctx, store), nameOf(ctx, 'NAME', store), nameOf(ctx, 'HOSTNAME', store));
}

/**
 * Virtuozzo 7: the value that makes libvzctl refuse the whole config ({@link ContainerFacts.refused}); the
 * rules say so where they compare this container's other values (they are what it gets once that value is fixed).
 */
function refusedOf(ctx: LintContext): ContainerFacts['refused'] {
  const refusedLine = vz7RefusedLine(ctx);
  return refusedLine ? { ...refusedLine, line: lineNo(refusedLine.source === 'node' && ctx.node ? ctx.node : ctx, refusedLine.line) } : undefined;
}

/** {@link ContainerFacts.memory}: the memory row, which says whether the config is refused. */
function memoryOf(ctx: LintContext, store: FindingStore | undefined, refused: ContainerFacts['refused']): ContainerFacts['memory'] {
  const memory = memoryRow(ctx, store);
  return refused ? { ...memory, refused } : memory;
}

/** {@link ContainerFacts.macs}: of the container's own NETIF line, when vzctl takes it. */
function macsOf(ctx: LintContext): ContainerFacts['macs'] {
  const netif = ownEffectiveValue(ctx, 'NETIF');
  if (netif?.entry && netif.source === 'container' && !netif.refused && !(ctx.values.get(netif.entry)?.problems ?? []).some((p) => p.kind === 'invalid')) {
    const found = netifMacs(ctx, netif.entry);
    if (found.length > 0) return found;
  }
  return undefined;
}

/**
 * The objects a node keeps for each container until its end are made by constructors, not object literals:
 * V8 tracks an object literal's allocation site, and when most of its objects outlive a few scavenges it
 * allocates them in the old space from then on ("pretenuring") and throws away the optimised code of every
 * function that allocates there (containerFacts' helpers and NodeLinter.add were each compiled twice).
 */
class IpFact {
  constructor(public ip: string, public line: number, public range: Range) {}
}
class NameFact {
  constructor(public param: 'NAME' | 'HOSTNAME', public value: string, public key: string, public line: number, public range: Range) {}
}
class Facts implements ContainerFacts {
  constructor(
    public target: ContainerFacts['target'],
    public originSample: ContainerFacts['originSample'],
    public ips: ContainerFacts['ips'],
    public paths: ContainerFacts['paths'],
    public names: ContainerFacts['names'],
    public memory: ContainerFacts['memory'],
    public place: ContainerFacts['place'],
    public refused: ContainerFacts['refused'],
    public macs: ContainerFacts['macs'],
  ) {}
}
class Outcome implements NodeFileOutcome {
  constructor(readonly path: string, readonly role: NodeFileOutcome['role'], readonly kind: NodeFileOutcome['kind'], readonly target: Target, public findings: Finding[]) {}
}
class Container implements NodeContainer {
  constructor(readonly path: string, readonly ctid: string, readonly facts: ContainerFacts) {}
}

/**
 * A container as {@link NodeLinter} keeps it until the node's end: its path, CTID and facts in one object
 * (its own `facts`), with the one venet address and the NAME and HOSTNAME most containers have in fields of
 * their own; `ips` and `names` are made of them when read (the node rules read them once, at the end). Each
 * object kept is copied by a scavenge or two before it reaches the old space: a Container, its Facts, two
 * lists and their items were 370 of the ~780 bytes a container of a fleet kept (64-bit), this ~180.
 */
class KeptContainer implements NodeContainer, ContainerFacts {
  /** The container's only address, with `ipLine` and `ipRange`; undefined when it has none or several (`ipList`). */
  private readonly ip: string | undefined;
  private readonly ipLine: number;
  private readonly ipRange: Range | undefined;
  /** Its addresses when not exactly one. */
  private readonly ipList: ContainerFacts['ips'] | undefined;
  /** NAME: its value, line and range (the value undefined when the container sets none). */
  private readonly nameValue: string | undefined;
  private readonly nameLine: number;
  private readonly nameRange: Range | undefined;
  /** HOSTNAME, as NAME. */
  private readonly hostValue: string | undefined;
  private readonly hostLine: number;
  private readonly hostRange: Range | undefined;

  constructor(
    readonly path: string,
    readonly ctid: string,
    public target: ContainerFacts['target'],
    public originSample: ContainerFacts['originSample'],
    public paths: ContainerFacts['paths'],
    public memory: ContainerFacts['memory'],
    public place: ContainerFacts['place'],
    public refused: ContainerFacts['refused'],
    public macs: ContainerFacts['macs'],
    ips: ContainerFacts['ips'],
    name: ContainerFacts['names'][number] | undefined,
    host: ContainerFacts['names'][number] | undefined,
  ) {
    const one = ips.length === 1 ? ips[0] : undefined;
    this.ip = one?.ip;
    this.ipLine = one?.line ?? 0;
    this.ipRange = one?.range;
    this.ipList = one ? undefined : ips.length === 0 ? NO_ITEMS : ips.slice();
    this.nameValue = name?.value;
    this.nameLine = name?.line ?? 0;
    this.nameRange = name?.range;
    this.hostValue = host?.value;
    this.hostLine = host?.line ?? 0;
    this.hostRange = host?.range;
  }

  get facts(): ContainerFacts {
    return this;
  }

  /** {@link ContainerFacts.ips}, as {@link ipsOf} made them (a new list when made of the fields). */
  get ips(): ContainerFacts['ips'] {
    return this.ipList ?? [new IpFact(this.ip as string, this.ipLine, this.ipRange as Range)];
  }

  /** {@link ContainerFacts.names}, as {@link namesOf} made them (new each time). */
  get names(): ContainerFacts['names'] {
    const name = this.nameValue;
    const host = this.hostValue;
    if (name === undefined && host === undefined) return NO_ITEMS;
    const out: ContainerFacts['names'] = [];
    if (name !== undefined) out.push(new NameFact('NAME', name, nameKey('NAME', name), this.nameLine, this.nameRange as Range));
    if (host !== undefined) out.push(new NameFact('HOSTNAME', host, nameKey('HOSTNAME', host), this.hostLine, this.hostRange as Range));
    return out;
  }
}

/** ORIGIN_SAMPLE set in the container itself and not blank ({@link ContainerFacts.originSample}). */
function originOf(ctx: LintContext, store: FindingStore | undefined): ContainerFacts['originSample'] {
  const origin = ownEffectiveValue(ctx, 'ORIGIN_SAMPLE');
  if (!origin?.entry || origin.refused || origin.source !== (ctx.kind === 'node' ? 'node' : 'container')) return undefined;
  const name = origin.value.trim();
  if (name === '') return undefined;
  return store ? store.origin(origin.entry, ctx.doc.text[origin.entry.line], ctx.target.generation, origin.value, name) : { name, valueRange: origin.entry.valueRange, rawValueRange: origin.entry.rawValueRange };
}

/**
 * The venet addresses of the container's own IP_ADDRESS ({@link ContainerFacts.ips}): the lines the target
 * applies (classic: every line it accepts, merged; Virtuozzo 7: the last), each with the addresses vzctl
 * takes from it (classic parse_ip() stops at a bad one, keeping those before), each address once.
 */
function ipsOf(ctx: LintContext, store: FindingStore | undefined): ContainerFacts['ips'] {
  const ip = ownEffectiveValue(ctx, 'IP_ADDRESS');
  if (!ip?.entry || ip.source !== 'container' || ip.refused) return NO_ITEMS;
  const out: ContainerFacts['ips'] = [];
  // The addresses taken, once there are many (a line of 100,000 addresses); a few are compared one by one.
  let seen: Set<string> | undefined;
  for (const e of ip.merged ?? [ip.entry]) {
    const list = acceptedTokens(ctx, e);
    if (list.length === 0) continue;
    for (const t of list) {
      const addr = canonicalIp(t.text);
      if (!addr) continue;
      if (seen !== undefined) {
        if (seen.has(addr)) continue;
        seen.add(addr);
      } else {
        let dup = false;
        for (const a of out) if (a.ip === addr) dup = true;
        if (dup) continue;
        if (out.length >= 8) {
          seen = new Set(out.map((a) => a.ip));
          seen.add(addr);
        }
      }
      const range = valueSubRange(ctx, e, t.start, t.end);
      out.push(new IpFact(addr, e.line, store ? store.range(range) : range));
    }
  }
  // A compact run's KeptContainer keeps its one item in fields, or a copy with room for its items only (a
  // list grown by push has room for 17).
  return out;
}

/** VE_PRIVATE then VE_ROOT as in effect (from the container or vz.conf), when set and not blank ({@link ContainerFacts.paths}). */
function pathsOf(ctx: LintContext, store: FindingStore | undefined): ContainerFacts['paths'] {
  const priv = pathOf(ctx, 'VE_PRIVATE', store);
  const root = pathOf(ctx, 'VE_ROOT', store);
  if (store) return store.pathList(priv, root);
  return priv ? (root ? [priv, root] : [priv]) : root ? [root] : NO_ITEMS;
}

function pathOf(ctx: LintContext, param: 'VE_PRIVATE' | 'VE_ROOT', store: FindingStore | undefined): ContainerFacts['paths'][number] | undefined {
  const eff = effectiveValue(ctx, param);
  if (!eff?.entry || eff.refused || (eff.source !== 'container' && eff.source !== 'node') || eff.value.trim() === '') return undefined;
  return store ? store.path(param, eff.entry, fileOf(ctx, eff).doc.text[eff.entry.line], ctx.target.generation, eff.value, eff.source) : { param, value: own(eff.value), source: eff.source, line: eff.entry.line, range: entryRange(eff.entry) };
}

/** NAME then HOSTNAME set in the container itself and not blank ({@link ContainerFacts.names}). */
function namesOf(ctx: LintContext): ContainerFacts['names'] {
  const name = nameOf(ctx, 'NAME', undefined);
  const host = nameOf(ctx, 'HOSTNAME', undefined);
  return name ? (host ? [name, host] : [name]) : host ? [host] : NO_ITEMS;
}

function nameOf(ctx: LintContext, param: 'NAME' | 'HOSTNAME', store: FindingStore | undefined): ContainerFacts['names'][number] | undefined {
  const eff = ownEffectiveValue(ctx, param);
  if (!eff?.entry || eff.refused || eff.source !== 'container' || eff.value.trim() === '') return undefined;
  const value = own(eff.value);
  const range = entryRange(eff.entry);
  return new NameFact(param, value, nameKey(param, value), eff.entry.line, store ? store.range(range) : range);
}

/** What two containers' NAME or HOSTNAME values are compared by: trimmed, a host name also lowercased. */
function nameKey(param: 'NAME' | 'HOSTNAME', value: string): string {
  return param === 'HOSTNAME' ? value.trim().toLowerCase() : value.trim();
}

/**
 * {@link effectiveValue} of `name` when the file has a line of it; undefined when it has none. Then the value
 * is vz.conf's or a default, never the file's own, which is all {@link containerFacts} takes of ORIGIN_SAMPLE,
 * IP_ADDRESS, NETIF, NAME and HOSTNAME: a fleet's containers mostly lack NETIF and NAME, and the look-up of
 * a value the file lacks goes on into vz.conf and the defaults.
 */
function ownEffectiveValue(ctx: LintContext, name: string): EffectiveValue | undefined {
  const def = ctx.catalog.parameter(name);
  if (def === undefined || (ctx.byName.get(def.name)?.length ?? 0) === 0) return undefined;
  return effectiveValue(ctx, name);
}

/**
 * The MACs a NETIF line (`entry`, a value vzctl accepts) sets, as parse_netif() reads it (classic
 * src/lib/config.c @ vzctl-3.0.14..4.11.1; libvzctl lib/veth.c @ v8.0.90): interfaces split at `;`, fields
 * at `,`; of several `mac=` (or `host_mac=`) in one interface the last counts; an interface whose ifname an
 * earlier one already has is dropped (classic `find_veth_by_ifname_ve()`). Each address once, at its first field.
 */
function netifMacs(ctx: LintContext, entry: Entry): NonNullable<ContainerFacts['macs']> {
  const out: NonNullable<ContainerFacts['macs']> = [];
  const ifnames = new Set<string>();
  const gen = ctx.target.generation;
  for (const dev of tokens(entry.value, ';')) {
    let ifname = '';
    const last: Partial<Record<'mac' | 'host_mac', { text: string; start: number; end: number }>> = {};
    for (const f of tokens(dev.text, ',')) {
      const eq = f.text.indexOf('=');
      if (eq < 0) continue;
      const k = f.text.slice(0, eq);
      const v = f.text.slice(eq + 1);
      if (k === 'ifname' && ifname === '') ifname = v;
      else if ((k === 'mac' || k === 'host_mac') && !(gen === 'vz7' && v === '')) last[k] = { text: v, start: dev.start + f.start, end: dev.start + f.end };
    }
    if (ifname === '' || ifnames.has(ifname)) continue;
    ifnames.add(ifname);
    for (const field of ['mac', 'host_mac'] as const) {
      const t = last[field];
      const mac = t && macAddressOf(t.text, gen);
      if (!t || !mac || out.some((m) => m.mac === mac)) continue;
      out.push({ mac, field, line: entry.line, range: valueSubRange(ctx, entry, t.start, t.end) });
    }
  }
  return out;
}

/** A string that does not keep the file's text alive (a value sliced from it would). */
function own(s: string): string {
  // A slice of a new string of its own (a space and the text), not of the file's text.
  return s.length > 12 ? ` ${s}`.slice(1) : s;
}

/** The {@link FilePlace} of an analysed file. */
export function filePlace(ctx: LintContext): FilePlace {
  const place: FilePlace = { firstLineLength: (ctx.doc.text[0] ?? '').length };
  const suppressed = suppressionSets(ctx.doc);
  if (suppressed) {
    place.suppressed = suppressed;
    const nodeNames = nodeSuppressionNames(ctx);
    if (nodeNames) place.nodeNames = nodeNames;
  }
  if (ctx.doc.editorLines) place.editorLines = ctx.doc.editorLines;
  return place;
}

/**
 * The findings of the node rules ({@link NODE_LEVEL_RULES}) over `model`, per path of the file each lands
 * in (a container, or the node config), with that file's suppression comments applied (unless
 * `ignoreSuppressions`) and `rules` severity overrides applied (`off` skips the rule). A rule that throws
 * gives one internal-error finding on the first file instead. Shared by {@link lintNode}, {@link NodeLinter}
 * and the language server's per-node cache (`nodeCache.ts`), so all report the same.
 *
 * @returns path → findings, in rule order (unsorted); paths without findings are absent
 */
export function nodeRuleFindings(model: NodeModel, options: Pick<LintOptions, 'rules' | 'ignoreSuppressions'> = {}): Map<string, Finding[]> {
  // Every rule runs first (they read the model only), so that the places are looked up for the files
  // that have findings, not for all 10,000 containers of a fleet.
  const results: { rule: NodeRule; override: Severity | undefined; produced: NodeFinding[] }[] = [];
  for (const rule of NODE_LEVEL_RULES) {
    const override = options.rules?.[rule.id];
    if (override === 'off') continue;
    let produced: NodeFinding[];
    try {
      produced = rule.check(model);
    } catch (err) {
      const first = model.files[0]?.path ?? model.containers[0]?.path;
      produced = first !== undefined ? [{ path: first, finding: { rule: rule.id, severity: 'error', message: `internal error in rule ${rule.id}: ${(err as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } }] : [];
    }
    results.push({ rule, override, produced });
  }
  const placeOf = placesFor(model, results, options);
  const ignore = options.ignoreSuppressions === true;
  const out = new Map<string, Finding[]>();
  // Names of node-level rules in suppression comments credited with a finding (also with ignoreSuppressions:
  // what they would silence counts, as in a file's lint).
  const used = new Set<NodeSuppressionName>();
  for (const { override, produced } of results) {
    for (const nf of produced) {
      const place = placeOf.get(nf.path);
      if (!place) continue;
      // Node-level findings obey the suppression comments of the file they land in, as per-file ones do.
      const f = nf.finding;
      const s = place.suppressed;
      if (place.nodeNames) {
        const credited = nodeSuppressionCovering(place.nodeNames, f.rule, f.range.start.line);
        if (credited) used.add(credited);
      }
      if (!ignore && s && isSuppressed(s, f.rule, f.range.start.line)) continue;
      let list = out.get(nf.path);
      if (!list) out.set(nf.path, (list = []));
      list.push(toEditorFinding(place, capFinding(override ? copyFinding(f, { severity: override }) : f)));
    }
  }
  unusedNodeSuppressions(model, placeOf, used, options, out);
  return out;
}

/**
 * The {@link FilePlace} of each file of `model` by path (a path given twice: its last file's), for the paths
 * the rules' findings (`results`) land in; every path when {@link unusedNodeSuppressions} will read them all
 * (a file names a node-level rule in a suppression comment, and the run can judge such names). A fleet's
 * findings land in a few hundred of its 10,000 containers: a map of 10,000 entries was built for them.
 */
function placesFor(model: NodeModel, results: readonly { produced: readonly NodeFinding[] }[], options: Pick<LintOptions, 'rules'>): Map<string, FilePlace> {
  const filePlaces = model.files.map((f) => filePlace(f.ctx));
  const placeOf = new Map<string, FilePlace>();
  const everyPath = model.complete === true && options.rules?.[UNUSED_SUPPRESSION] !== 'off'
    && (filePlaces.some((p) => p.nodeNames !== undefined) || model.containers.some((c) => c.facts.place.nodeNames !== undefined));
  if (everyPath) {
    for (const c of model.containers) placeOf.set(c.path, c.facts.place);
    model.files.forEach((f, i) => placeOf.set(f.path, filePlaces[i] as FilePlace));
    return placeOf;
  }
  const wanted = new Set<string>();
  for (const r of results) for (const nf of r.produced) wanted.add(nf.path);
  if (wanted.size === 0) return placeOf;
  const containers = model.containers;
  for (let i = 0; i < containers.length; i += 1) {
    const c = containers[i] as NodeContainer;
    if (wanted.has(c.path)) placeOf.set(c.path, c.facts.place);
  }
  model.files.forEach((f, i) => {
    if (wanted.has(f.path)) placeOf.set(f.path, filePlaces[i] as FilePlace);
  });
  return placeOf;
}

/**
 * Whether this node run can tell that a suppression comment naming node-level rule `id` silenced nothing:
 * the rule ran (not `off`) over a {@link NodeModel.complete} model and had what it reads: sample-not-found
 * the conf/ folder's sample names, ploop-sample-without-diskspace also the text of every sample there,
 * node-memory-overcommit the node's RAM (`--node-ram`, `vzconf.nodeRam`). docs/rules/unused-suppression.md.
 */
export function nodeRuleJudged(id: string, model: NodeModel, options: Pick<LintOptions, 'rules'> = {}): boolean {
  if (model.complete !== true || model.node === undefined || options.rules?.[id] === 'off') return false;
  switch (id) {
    case 'sample-not-found':
      return model.samples !== undefined;
    case 'ploop-sample-without-diskspace': {
      if (model.samples === undefined) return false;
      const read = new Set(model.files.map((f) => sampleNameOf(f.path)));
      return model.samples.every((name) => read.has(name));
    }
    case 'node-memory-overcommit':
      return model.capacity !== undefined;
    default:
      return true;
  }
}

/**
 * Adds to `out` the unused-suppression findings of the names of node-level rules that silenced no finding
 * of this run (`used`), where {@link nodeRuleJudged} says the run can know it; each is silenced by the file's
 * own `vzconf-disable unused-suppression` like any finding (unless `ignoreSuppressions`).
 */
function unusedNodeSuppressions(model: NodeModel, placeOf: ReadonlyMap<string, FilePlace>, used: ReadonlySet<NodeSuppressionName>, options: Pick<LintOptions, 'rules' | 'ignoreSuppressions'>, out: Map<string, Finding[]>): void {
  const override = options.rules?.[UNUSED_SUPPRESSION];
  if (override === 'off' || model.complete !== true) return;
  const judged = new Map<string, boolean>();
  for (const [path, place] of placeOf) {
    if (!place.nodeNames) continue;
    for (const n of place.nodeNames) {
      if (used.has(n)) continue;
      let ok = judged.get(n.rule);
      if (ok === undefined) judged.set(n.rule, (ok = nodeRuleJudged(n.rule, model, options)));
      if (!ok) continue;
      const f = n.finding;
      if (options.ignoreSuppressions !== true && place.suppressed && isSuppressed(place.suppressed, UNUSED_SUPPRESSION, f.range.start.line)) continue;
      let list = out.get(path);
      if (!list) out.set(path, (list = []));
      list.push(toEditorFinding(place, override ? copyFinding(f, { severity: override }) : f));
    }
  }
}

/**
 * Lints every file of a node: the node config alone, each other file with the node config (`lint(text,
 * {nodeConfig, capacity})`), then the node rules over all of them. Files outside `options.focus` are only
 * analysed. Rule overrides (`options.rules`) apply to node rules too. Every result keeps its analysis
 * (`ctx`): for a node of thousands of files, {@link NodeLinter} keeps only findings and facts.
 *
 * @throws OptionError for an invalid target or kind option (as `lint` does)
 */
export function lintNode(input: NodeInput, options: NodeLintOptions = {}): NodeLintResult {
  const catalog = options.catalog ?? getCatalog();
  const focus = options.focus ? new Set(options.focus) : undefined;
  const base: LintOptions & { focus?: unknown } = { ...options, catalog };
  delete base.focus;
  const results: NodeFileResult[] = [];
  const run = (file: NodeFile, role: NodeFileResult['role'], extra: LintOptions): NodeFileResult => {
    const opts: LintOptions = { ...base, ...extra, path: file.path, ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}), ...(file.sizeBytesAtLeast === true ? { sizeBytesAtLeast: true } : {}) };
    if (!focus || focus.has(file.path)) {
      const result = lint(file.text, opts);
      return { path: file.path, role, result, ctx: result.ctx, findings: [...result.findings] };
    }
    return { path: file.path, role, ctx: analyze(file.text, opts), findings: [] };
  };
  const model: NodeModel = { containers: [], files: [], catalog };
  if (options.capacity) model.capacity = options.capacity;
  if (input.samples) model.samples = input.samples;
  if (input.complete === true) model.complete = true;
  if (input.nodeConfig) {
    const r = run(input.nodeConfig, 'node', {});
    results.push(r);
    model.node = { path: r.path, ctx: r.ctx };
    model.files.push({ path: r.path, ctx: r.ctx });
  }
  for (const file of input.containers) {
    if (file.path === input.nodeConfig?.path) continue;
    const extra: LintOptions = input.nodeConfig ? { nodeConfig: input.nodeConfig, ...(model.node ? { nodeContext: model.node.ctx } : {}) } : {};
    const ctid = ctidOf(file.path);
    const probe = run(file, 'other', extra);
    const isCt = ctid !== undefined && probe.ctx.kind === 'container';
    const r: NodeFileResult = { ...probe, role: isCt ? 'container' : 'other' };
    results.push(r);
    if (isCt) model.containers.push({ path: r.path, ctid, facts: containerFacts(r.ctx) });
    else model.files.push({ path: r.path, ctx: r.ctx });
  }
  const byPath = new Map(results.map((r) => [r.path, r]));
  for (const [p, list] of nodeRuleFindings(model, options)) {
    const target = byPath.get(p);
    if (target) for (const f of list) target.findings.push(f);
  }
  for (const r of results) sortFindings(r.findings);
  return { files: results, memory: memorySummary(model), model };
}

/** A copy of a string that holds its characters in one piece (a message built from parts holds all the parts). */
function flat(s: string): string {
  // Number() reads every character: V8 flattens the string in place first, and the parts become garbage.
  void Number(s);
  return s;
}

/** A copy of a range in objects of its own (a rule's range may be shared with the parsed document, which it would keep alive). */
function ownRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/**
 * A finding with only what reports print (rule, severity, message, detail, range) and its fixes in their
 * order: the safe ones whole (title and edits: SARIF's fixes), the unsafe ones by their title and safety
 * only, without edits (JSON's `fixes`, `fixable`, `unsafeFix`; `--explain`); strings flattened: a fraction
 * of the memory when thousands of files are kept. Not for --fix, which needs every fix's edits.
 */
export function compactFinding(f: Finding): Finding {
  const out: Finding = { rule: f.rule, severity: f.severity, message: flat(f.message), range: ownRange(f.range) };
  if (f.detail !== undefined) out.detail = flat(f.detail);
  if (f.fixes && f.fixes.length > 0) {
    out.fixes = [];
    for (const x of f.fixes) {
      if (x.safe) out.fixes.push({ title: flat(x.title), edits: x.edits.map((e) => ({ range: ownRange(e.range), newText: flat(e.newText) })), safe: true });
      else out.fixes.push({ title: flat(x.title), edits: [], safe: x.safe });
    }
  }
  return out;
}

/** Whether two ranges have the same positions. */
function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * Whether `kept` (a {@link compactFinding}) is what compacting `f` gives: the same rule, severity, message,
 * detail and range, and the same fixes (titles and safety; the safe ones' edits too).
 */
function sameCompact(kept: Finding, f: Finding): boolean {
  if (kept.rule !== f.rule || kept.severity !== f.severity || kept.message !== f.message || kept.detail !== f.detail || !sameRange(kept.range, f.range)) return false;
  const mine = kept.fixes;
  const fixes = f.fixes;
  if (!fixes || fixes.length === 0) return mine === undefined;
  if (!mine || mine.length !== fixes.length) return false;
  for (let i = 0; i < fixes.length; i += 1) {
    const x = fixes[i] as Fix;
    const k = mine[i] as Fix;
    if (k.title !== x.title || k.safe !== x.safe) return false;
    if (!x.safe) continue;
    if (k.edits.length !== x.edits.length) return false;
    for (let j = 0; j < x.edits.length; j += 1) {
      const a = k.edits[j] as Fix['edits'][number];
      const b = x.edits[j] as Fix['edits'][number];
      if (a.newText !== b.newText || !sameRange(a.range, b.range)) return false;
    }
  }
  return true;
}

/** A fact made of line `entry` (of text `text` at `line`, parsed in dialect `gen`) and its value `value`. */
interface LineFact<T> {
  entry: Entry;
  line: number;
  text: string | undefined;
  gen: Generation;
  value: string;
  fact: T;
}

/** Whether `entry` (its line's text `text`, dialect `gen`) is the line `f` was made of, or one parsed the same. */
function sameLine(f: LineFact<unknown>, entry: Entry, text: string | undefined, gen: Generation): boolean {
  return f.entry === entry || (text !== undefined && f.line === entry.line && f.gen === gen && f.text === text);
}

/**
 * One copy of equal strings, ranges and whole findings across the findings a {@link NodeLinter} keeps: the containers of a
 * node share their mistakes (the same line of the same sample, the same message and explanation), so a
 * fleet keeps each text once, not once per container. Bounded; what it hands out is shared: never modify it.
 */
class FindingStore {
  private readonly strings = new Map<string, string>();
  /** Ranges by their numbers: start (line × 1024 + column) → end (the same) → range, for columns below 1024. */
  private readonly smallRanges = new Map<number, Map<number, Range>>();
  /** Other ranges, by `line:column:line:column`. */
  private readonly ranges = new Map<string, Range>();
  private rangeCount = 0;
  /**
   * The compact findings handed out, by their (stored) message: a finding equal to one of them in every
   * field {@link compactFinding} keeps is that object (a few per message; bounded).
   */
  private readonly findings = new Map<string, Finding[]>();
  /** The unsafe fixes, kept by title only (no edits). */
  private readonly titleFixes = new Map<string, Fix>();

  /** The stored string equal to `s` (stored, flattened, when new). */
  private str(s: string): string {
    const had = this.strings.get(s);
    if (had !== undefined) return had;
    if (this.strings.size >= 4096) this.strings.clear();
    const own = flat(s);
    this.strings.set(own, own);
    return own;
  }

  /** The stored range equal to `r`; when new, `r` itself is stored, or with `copy` a copy of it. */
  range(r: Range, copy = false): Range {
    const { start, end } = r;
    if (start.character < 1024 && end.character < 1024 && start.line < 0x100000 && end.line < 0x100000) {
      // Small integers (below 2^30) as keys: no key string built per range.
      const from = start.line * 1024 + start.character;
      const to = end.line * 1024 + end.character;
      let byEnd = this.smallRanges.get(from);
      const had = byEnd?.get(to);
      if (had !== undefined) return had;
      const own = copy ? ownRange(r) : r;
      // Storing may forget every range first, this start's map with them.
      if (this.count()) byEnd = undefined;
      if (!byEnd) this.smallRanges.set(from, (byEnd = new Map()));
      byEnd.set(to, own);
      return own;
    }
    const key = `${start.line}:${start.character}:${end.line}:${end.character}`;
    const had = this.ranges.get(key);
    if (had !== undefined) return had;
    const own = copy ? ownRange(r) : r;
    this.count();
    this.ranges.set(key, own);
    return own;
  }

  /** Counts a range about to be stored; at the bound, forgets every stored range first (@returns whether it did). */
  private count(): boolean {
    this.rangeCount += 1;
    if (this.rangeCount <= 4096) return false;
    this.smallRanges.clear();
    this.ranges.clear();
    this.rangeCount = 1;
    return true;
  }

  /**
   * {@link compactFinding} of `f`, made of the stored strings, ranges and title-only fixes: equal to
   * `share(compactFinding(f))`, without building the copies that sharing would drop. A finding equal to
   * one handed out before (another container's same line) is that same object: a fleet of 10,000 keeps
   * its 15,000 alike findings as a handful of objects, and the JSON writer quotes each once.
   */
  compact(f: Finding): Finding {
    // A rule may hand out one finding object for the same line of many files (ignored-on-ploop does).
    const done = this.bySource.get(f);
    if (done) return done;
    const out = this.build(f);
    this.bySource.set(f, out);
    return out;
  }

  /**
   * The compact forms of the findings compacted, by the finding given, for as long as that finding lives.
   * Weak: most findings live for one file, and a finding may hold its file's analysis (its fixes are built
   * from it on first read); a map holding the last 256 kept up to ~40 files' analyses alive at every
   * scavenge of a fleet run, each then copied and promoted (7 of the 23 MB promoted over a 10,000-container
   * node). The findings a rule shares between files (ignored-on-ploop's, by line model) live on in its memo.
   */
  private readonly bySource = new WeakMap<Finding, Finding>();

  /** {@link compact} proper. */
  private build(f: Finding): Finding {
    const message = this.str(f.message);
    // The containers of a fleet repeat whole findings (the same line of the same sample): one object for all.
    const same = this.findings.get(message);
    if (same) for (const c of same) if (sameCompact(c, f)) return c;
    const out: Finding = { rule: f.rule, severity: f.severity, message, range: this.range(f.range, true) };
    if (f.detail !== undefined) out.detail = this.str(f.detail);
    const fixes = f.fixes;
    if (fixes && fixes.length > 0) {
      out.fixes = [];
      for (const x of fixes) {
        if (x.safe) out.fixes.push({ title: this.str(x.title), edits: x.edits.map((e) => ({ range: this.range(e.range, true), newText: flat(e.newText) })), safe: true });
        else out.fixes.push(this.titleFix(x.title));
      }
    }
    if (!same) {
      if (this.findings.size >= 4096) this.findings.clear();
      this.findings.set(message, [out]);
    } else if (same.length < 8) same.push(out);
    else same[same.length - 1] = out;
    return out;
  }

  /** The kept form of an unsafe fix titled `title`, without its edits: one object per title. */
  private titleFix(title: string): Fix {
    const had = this.titleFixes.get(title);
    if (had) return had;
    const fix: Fix = { title: this.str(title), edits: [], safe: false };
    if (this.titleFixes.size >= 4096) this.titleFixes.clear();
    this.titleFixes.set(fix.title, fix);
    return fix;
  }

  private readonly targets = new Map<string, Pick<Target, 'generation' | 'version'>>();
  /** The target {@link target} stored or found last (a node's containers mostly share one). */
  private lastTarget?: Pick<Target, 'generation' | 'version'>;

  /** The stored `{ generation, version }` equal to `t`'s. */
  target(t: Pick<Target, 'generation' | 'version'>): Pick<Target, 'generation' | 'version'> {
    const last = this.lastTarget;
    if (last && last.generation === t.generation && last.version === t.version) return last;
    const key = `${t.generation}\0${t.version}`;
    let target = this.targets.get(key);
    if (!target) this.targets.set(key, (target = { generation: t.generation, version: t.version }));
    this.lastTarget = target;
    return target;
  }

  /** The stored string equal to `s`, in a string of its own when new (not a slice of a file's text: {@link own}). */
  ownStr(s: string): string {
    const had = this.strings.get(s);
    return had !== undefined ? had : this.str(own(s));
  }

  /** The memory rows {@link memoryRow} made last, and of what. */
  readonly rows: MemoryMemo['rows'] = new Recent();

  /** Places of files without suppression comments or lone CRs, by the length of the first line (all a place has then). */
  private readonly places = new Map<number, FilePlace>();

  /** The stored place equal to `p` when it has nothing but the first line's length; else `p`. */
  place(p: FilePlace): FilePlace {
    if (p.suppressed !== undefined || p.editorLines !== undefined || p.nodeNames !== undefined) return p;
    const had = this.places.get(p.firstLineLength);
    if (had) return had;
    if (this.places.size >= 1024) this.places.clear();
    this.places.set(p.firstLineLength, p);
    return p;
  }

  /**
   * The ORIGIN_SAMPLE, VE_PRIVATE and VE_ROOT facts made last, with the line and value each was made of: the
   * containers of a fleet share these lines. A line model's columns (so its ranges) are those of its text at
   * its line number in its dialect (the line parser reads nothing else), so an equal line gives equal facts.
   */
  private readonly origins = new Recent<LineFact<NonNullable<ContainerFacts['originSample']>>>();
  private readonly paths = [new Recent<LineFact<ContainerFacts['paths'][number]>>(), new Recent<LineFact<ContainerFacts['paths'][number]>>()];
  private readonly pathLists = new Recent<ContainerFacts['paths']>();

  /** {@link ContainerFacts.originSample} of line `entry` (its text `text`, parsed as `gen`; value `value`, sample `name`), stored. */
  origin(entry: Entry, text: string | undefined, gen: Generation, value: string, name: string): NonNullable<ContainerFacts['originSample']> {
    for (const o of this.origins.items) if (sameLine(o, entry, text, gen) && o.value === value) return o.fact;
    const fact = { name: this.ownStr(name), valueRange: this.range(entry.valueRange), rawValueRange: this.range(entry.rawValueRange) };
    this.origins.add({ entry, line: entry.line, text, gen, value, fact });
    return fact;
  }

  /** A {@link ContainerFacts.paths} item, stored (shared, but for its `resolved` memo, which says whose it is). */
  path(param: 'VE_PRIVATE' | 'VE_ROOT', entry: Entry, text: string | undefined, gen: Generation, value: string, source: 'container' | 'node'): ContainerFacts['paths'][number] {
    const recent = this.paths[param === 'VE_PRIVATE' ? 0 : 1] as (typeof this.paths)[number];
    for (const p of recent.items) if (sameLine(p, entry, text, gen) && p.value === value && p.fact.source === source) return p.fact;
    const fact: ContainerFacts['paths'][number] = { param, value: this.ownStr(value), source, line: entry.line, range: this.range(entryRange(entry)) };
    recent.add({ entry, line: entry.line, text, gen, value, fact });
    return fact;
  }

  /** The list of paths `a` then `b` (each when present): a recent container's list when it holds the same. */
  pathList(a: ContainerFacts['paths'][number] | undefined, b: ContainerFacts['paths'][number] | undefined): ContainerFacts['paths'] {
    if (!a && !b) return NO_ITEMS;
    const n = a && b ? 2 : 1;
    const first = a ?? b;
    for (const list of this.pathLists.items) if (list.length === n && list[0] === first && (n === 1 || list[1] === b)) return list;
    const list = a ? (b ? [a, b] : [a]) : [first as ContainerFacts['paths'][number]];
    this.pathLists.add(list);
    return list;
  }

  /**
   * `facts` with its strings, ranges and target replaced by the stored equal ones (the containers of a node
   * share paths, samples, line positions); changes `facts`. For facts made elsewhere (a worker thread's).
   */
  shareFacts(facts: ContainerFacts): ContainerFacts {
    facts.target = this.target(facts.target);
    const o = facts.originSample;
    if (o) facts.originSample = { name: this.str(o.name), valueRange: this.range(o.valueRange), rawValueRange: this.range(o.rawValueRange) };
    for (const a of facts.ips) a.range = this.range(a.range);
    for (const p of facts.paths) {
      p.value = this.str(p.value);
      p.range = this.range(p.range);
    }
    for (const n of facts.names) n.range = this.range(n.range);
    // Kept until the node is done: each list with room for its items only (a list grown by push has room
    // for 17: 150 bytes each, three per container, 4.5 of the 36 MB a 10,000-container node held at its end).
    if (facts.ips.length > 0) facts.ips = facts.ips.slice();
    if (facts.paths.length > 0) facts.paths = facts.paths.slice();
    if (facts.names.length > 0) facts.names = facts.names.slice();
    return facts;
  }

  /** `f` (a {@link compactFinding}) with its strings and ranges replaced by the stored equal ones; changes `f`. */
  share(f: Finding): Finding {
    f.message = this.str(f.message);
    if (f.detail !== undefined) f.detail = this.str(f.detail);
    f.range = this.range(f.range);
    if (f.fixes) {
      for (const x of f.fixes) {
        x.title = this.str(x.title);
        for (const e of x.edits) e.range = this.range(e.range);
      }
    }
    return f;
  }
}

/** One file as {@link NodeLinter} keeps it: its findings, not its analysis. */
export interface NodeFileOutcome {
  path: string;
  role: NodeFileResult['role'];
  kind: LintContext['kind'];
  target: Target;
  /**
   * Per-file findings (sorted), then the node rules' after {@link NodeLinter.finish} (sorted again); with
   * `compact`, as {@link compactFinding} makes them.
   */
  findings: Finding[];
}

/** Options of {@link NodeLinter}. */
export interface NodeLinterOptions extends NodeLintOptions {
  /** Lint the node config (default), or only analyse it for its containers (`false`). */
  lintNodeConfig?: boolean;
  /**
   * Keep findings as {@link compactFinding} makes them (what reports print, strings flattened): a fleet run
   * without --fix.
   */
  compact?: boolean;
  /**
   * Every container config (CTID.conf) of the node's conf/ folder, as listed: when the node config is
   * there and each of them was added, the model is {@link NodeModel.complete} at {@link NodeLinter.finish}.
   * Or a function that lists them, called only when a suppression comment names a node-level rule.
   */
  nodeContainers?: readonly string[] | (() => readonly string[]);
}

/** One object per distinct target (thousands of files share a handful). */
const targets = new Map<string, Target>();
/** Every field of {@link Target}: a field added there must be added to the key below (the compiler says so). */
const TARGET_FIELDS: Record<keyof Target, true> = { generation: true, version: true, explicit: true, reason: true, choose: true };
void TARGET_FIELDS;
/** The last target given to {@link sharedTarget} and its answer (the files of a node mostly share one object). */
let lastTarget: { given: Target; shared: Target } | undefined;
function sharedTarget(t: Target): Target {
  if (lastTarget?.given === t) return lastTarget.shared;
  const key = `${t.generation}\0${t.version}\0${t.explicit ? 1 : 0}\0${t.reason}\0${t.choose ?? ''}`;
  let shared = targets.get(key);
  if (!shared) {
    if (targets.size > 1000) targets.clear();
    targets.set(key, (shared = t));
  }
  lastTarget = { given: t, shared };
  return shared;
}

/** A container linted elsewhere (a worker thread): what {@link NodeLinter.addLinted} takes. */
export interface LintedContainer {
  path: string;
  kind: LintContext['kind'];
  target: Target;
  /** As in {@link NodeFileOutcome}. */
  findings: Finding[];
  facts: ContainerFacts;
}

/**
 * {@link lintNode} for nodes of any size, one file at a time: of each container it keeps the findings and
 * the {@link ContainerFacts} the node rules compare, so memory grows with the findings, not with the
 * parsed files. Files other than containers (samples, 0.conf) and the node config keep their analysis
 * (a node has a few). Findings equal lintNode's for the same input (every file focused).
 *
 * @throws OptionError (constructor, {@link add}) for an invalid target or kind option (as `lint` does)
 */
export class NodeLinter {
  private readonly base: LintOptions;
  private readonly model: NodeModel;
  private readonly outcomes: NodeFileOutcome[] = [];
  private readonly nodeConfig?: NodeFile;
  /** Texts and ranges of the compact findings kept, each once. */
  private readonly store = new FindingStore();
  /** The findings of a file as kept: a copy, or compact ones. */
  private readonly keep: (findings: readonly Finding[]) => Finding[];

  /**
   * @param nodeConfig  the node's vz.conf (linted here when `lintNodeConfig`, else only analysed)
   */
  constructor(nodeConfig: NodeFile | undefined, samples: string[] | undefined, private readonly options: NodeLinterOptions = {}) {
    const catalog = options.catalog ?? getCatalog();
    const base: LintOptions & { focus?: unknown; lintNodeConfig?: unknown; compact?: unknown; nodeContainers?: unknown } = { ...options, catalog };
    delete base.focus;
    delete base.lintNodeConfig;
    delete base.compact;
    delete base.nodeContainers;
    this.keep = options.compact === true
      ? (list) => list.map((f) => this.store.compact(f))
      : (list) => [...list];
    this.base = base;
    this.model = { containers: [], files: [], catalog };
    if (options.capacity) this.model.capacity = options.capacity;
    if (samples) this.model.samples = samples;
    if (nodeConfig) {
      this.nodeConfig = nodeConfig;
      const opts: LintOptions = { ...base, path: nodeConfig.path, ...(nodeConfig.sizeBytes !== undefined ? { sizeBytes: nodeConfig.sizeBytes } : {}) };
      let ctx: LintContext;
      if (options.lintNodeConfig !== false) {
        const result = lint(nodeConfig.text, opts);
        ctx = result.ctx;
        this.outcomes.push(new Outcome(nodeConfig.path, 'node', ctx.kind, ctx.target, this.keep(result.findings)));
      } else {
        ctx = analyze(nodeConfig.text, opts);
        this.outcomes.push(new Outcome(nodeConfig.path, 'node', ctx.kind, ctx.target, []));
      }
      this.model.node = { path: nodeConfig.path, ctx };
      this.model.files.push(this.model.node);
    }
  }

  /** The options a file of this node is linted with (also in a worker thread, with `nodeContext` rebuilt there). */
  fileOptions(file: Pick<NodeFile, 'path' | 'sizeBytes' | 'sizeBytesAtLeast'>): LintOptions {
    return {
      ...this.base,
      path: file.path,
      ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}),
      ...(file.sizeBytesAtLeast === true ? { sizeBytesAtLeast: true } : {}),
      ...(this.nodeConfig ? { nodeConfig: this.nodeConfig, ...(this.model.node ? { nodeContext: this.model.node.ctx } : {}) } : {}),
    };
  }

  /**
   * {@link fileOptions} in one object reused for every file (lint keeps nothing of its options object;
   * building one per file was a measurable part of a 10,000-file run).
   */
  private optionsFor(file: NodeFile): LintOptions {
    const o = (this.scratch ??= this.fileOptions({ path: '' }));
    o.path = file.path;
    o.sizeBytes = file.sizeBytes;
    o.sizeBytesAtLeast = file.sizeBytesAtLeast;
    return o;
  }

  private scratch?: LintOptions;
  /** A container added has a suppression comment naming a node-level rule ({@link FilePlace.nodeNames}). */
  private namesNodeRule = false;

  /** Lints one file of the node (not the node config) with the node config. */
  add(file: NodeFile): NodeFileOutcome {
    const result = lint(file.text, this.optionsFor(file));
    const ctx = result.ctx;
    const ctid = ctidOf(file.path);
    const isCt = ctid !== undefined && ctx.kind === 'container';
    const outcome: NodeFileOutcome = new Outcome(file.path, isCt ? 'container' : 'other', ctx.kind, sharedTarget(ctx.target), this.keep(result.findings));
    this.outcomes.push(outcome);
    if (isCt) {
      const kept = this.options.compact === true ? keptOf(ctx, this.store, file.path, ctid) : new Container(file.path, ctid, containerFacts(ctx));
      if (kept.facts.place.nodeNames !== undefined) this.namesNodeRule = true;
      this.model.containers.push(kept);
    } else this.model.files.push({ path: file.path, ctx });
    return outcome;
  }

  /**
   * Lints a file with the node config without adding it (a worker thread's part): a container's findings
   * and facts, for {@link addLinted}; undefined when the file is not a container (then {@link add} it).
   */
  lintAlone(file: NodeFile): LintedContainer | undefined {
    const ctid = ctidOf(file.path);
    if (ctid === undefined) return undefined;
    const result = lint(file.text, this.optionsFor(file));
    if (result.ctx.kind !== 'container') return undefined;
    return { path: file.path, kind: result.ctx.kind, target: result.ctx.target, findings: this.keep(result.findings), facts: containerFacts(result.ctx) };
  }

  /** Takes a container linted elsewhere with {@link fileOptions} (kind container, a CTID file name). */
  addLinted(c: LintedContainer): NodeFileOutcome {
    const ctid = ctidOf(c.path);
    if (ctid === undefined || c.kind !== 'container') throw new Error(`${c.path}: not a container config`);
    if (this.options.compact === true) {
      for (const f of c.findings) this.store.share(f);
      this.store.shareFacts(c.facts);
    }
    const outcome: NodeFileOutcome = new Outcome(c.path, 'container', c.kind, sharedTarget(c.target), c.findings);
    this.outcomes.push(outcome);
    if (c.facts.place.nodeNames !== undefined) this.namesNodeRule = true;
    this.model.containers.push(new Container(c.path, ctid, c.facts));
    return outcome;
  }

  /**
   * Runs the node rules over everything added and adds their findings to the files they land in.
   * @returns every file (node config first, then in the order added) and the node's memory
   */
  finish(): { files: NodeFileOutcome[]; memory: MemorySummary } {
    const given = this.options.nodeContainers;
    // Whether the model is complete matters only to suppression comments naming node-level rules (see
    // nodeRuleJudged): without any, the paths of a fleet's 10,000 containers are not compared with the listing.
    const named = this.namesNodeRule || this.model.files.some((f) => filePlace(f.ctx).nodeNames !== undefined);
    if (given !== undefined && this.model.node !== undefined && named) {
      const listed = typeof given === 'function' ? given() : given;
      const added = new Set(this.model.containers.map((c) => c.path));
      if (listed.every((p) => added.has(p))) this.model.complete = true;
    }
    const found = nodeRuleFindings(this.model, this.options);
    if (found.size > 0) {
      // The outcome of each path with findings (a path added twice: its last outcome), without a map of
      // every outcome of the node.
      const byPath = new Map<string, NodeFileOutcome>();
      const outcomes = this.outcomes;
      for (let i = 0; i < outcomes.length; i += 1) {
        const o = outcomes[i] as NodeFileOutcome;
        if (found.has(o.path)) byPath.set(o.path, o);
      }
      for (const [p, list] of found) {
        const target = byPath.get(p);
        if (!target || list.length === 0) continue;
        const all = target.findings;
        for (const f of list) all.push(this.options.compact === true ? this.store.compact(f) : f);
        sortFindings(all);
      }
    }
    const model = this.model;
    let memory: MemorySummary | undefined;
    return {
      files: this.outcomes,
      // Counted when first read: a run without --summary or the node's RAM never reads it (10,000 rows).
      get memory(): MemorySummary {
        return (memory ??= memorySummary(model));
      },
    };
  }
}
