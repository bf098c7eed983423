/**
 * `vzlint --summary`: per node and for the whole fleet, the number of containers, the findings by rule
 * and severity, and the memory the containers commit against the node's capacity when it is known.
 */
import type { Severity } from '../catalog/types';
import type { MemorySummary } from '../service/node';
import { formatBytes } from '../values/numbers';
import { colors, type FileReport } from './format';
import { escapeControls } from '../util/escape';

/** What {@link buildSummary} needs of one node. */
export interface NodeSummaryInput {
  /** The host name (fleet layout `<dir>/<host>/etc/vz`), else the node config's display path. */
  name: string;
  host?: string;
  /** The node config as displayed, if one was found. */
  nodeConfig?: string;
  /** Display paths of the node's files. */
  files: string[];
  /** Number of container configs (CTID.conf) of the node. */
  containers: number;
  memory?: MemorySummary;
}

/** Findings counted by severity and by rule. */
export interface FindingCounts {
  bySeverity: Record<Severity, number>;
  /** Rule id → count by severity (only severities that occur). */
  byRule: Record<string, Partial<Record<Severity, number>>>;
}

/**
 * Memory committed by a node's containers (bytes as decimal strings, JSON has no 64-bit integers; the
 * limits and barriers are in 4 KiB pages, counted × 4096).
 */
export interface MemoryCommitted {
  /** vSwap containers' PHYSPAGES limits plus UBC-mode containers' PRIVVMPAGES barriers. */
  ramBytes: string;
  /** The above plus the vSwap containers' SWAPPAGES limits. */
  ramSwapBytes: string;
  /** vSwap containers' PHYSPAGES limits (their RAM). */
  physpagesBytes: string;
  /** vSwap containers' SWAPPAGES limits (their swap). */
  swappagesBytes: string;
  /** UBC-mode containers' PRIVVMPAGES barriers (RAM and swap together). */
  privvmpagesBytes: string;
  /** The node's RAM, when known (`--node-ram`, nodeRam). */
  capacityRamBytes?: string;
  /** The node's RAM + swap, when the RAM is known (swap 0 when not given: then it equals the RAM). */
  capacityRamSwapBytes?: string;
  /** The node's swap, when given (`--node-swap`, nodeSwap); absent: the total was compared with the RAM alone. */
  capacitySwapBytes?: string;
  /** Committed RAM (resp. RAM + swap) above the capacity; only when the capacity is known. */
  overRam?: boolean;
  overRamSwap?: boolean;
  /**
   * Containers whose value is unlimited (LONG_MAX, 2147483647) or effectively so (at least 4 PiB, 2^52
   * bytes: no x86-64 node has that much memory; `EFFECTIVELY_UNLIMITED_BYTES` of service/node.ts), counted
   * here and left out of the sums above: vSwap PHYSPAGES limits, vSwap SWAPPAGES limits, UBC-mode PRIVVMPAGES
   * barriers. Absent when there is none.
   */
  unlimited?: UnlimitedCounts;
  /**
   * The part of the sums above from Virtuozzo 7 containers whose config libvzctl refuses for an invalid
   * value (MemorySummary.refused of service/node.ts): vzctl cannot start them until it is fixed, and they
   * are counted as configured. Absent when there is none.
   */
  refused?: RefusedPart;
}

/** How much of the memory sums is from containers whose config Virtuozzo 7 refuses (see {@link MemoryCommitted.refused}). */
export interface RefusedPart {
  containers: number;
  /** Their share of {@link MemoryCommitted.ramBytes} (bytes, decimal string). */
  ramBytes: string;
  /** Their share of {@link MemoryCommitted.ramSwapBytes} (bytes, decimal string). */
  ramSwapBytes: string;
}

/** Containers with an unlimited value, by what would have been summed (see {@link MemoryCommitted.unlimited}). */
export interface UnlimitedCounts {
  physpages: number;
  swappages: number;
  privvmpages: number;
}

/** One node of the summary (`--summary --format json` prints {@link FleetSummary}). */
export interface NodeSummary extends FindingCounts {
  name: string;
  host?: string;
  nodeConfig?: string;
  files: number;
  containers: number;
  memory?: MemoryCommitted;
}

/** The whole summary: every node, then the fleet's totals. */
export interface FleetSummary {
  nodes: NodeSummary[];
  /** `skipped`: files glob patterns matched that are not configs by name or content (not linted); absent when none. */
  fleet: FindingCounts & { nodes: number; files: number; containers: number; memory?: MemoryCommitted; skipped?: number };
}

function emptyCounts(): FindingCounts {
  return { bySeverity: { error: 0, warning: 0, info: 0, hint: 0 }, byRule: {} };
}

function addCounts(into: FindingCounts, report: Pick<FileReport, 'findings'>): void {
  for (const f of report.findings) {
    into.bySeverity[f.severity] += 1;
    const r = (into.byRule[f.rule] ??= {});
    r[f.severity] = (r[f.severity] ?? 0) + 1;
  }
}

function merge(into: FindingCounts, from: FindingCounts): void {
  for (const s of Object.keys(from.bySeverity) as Severity[]) into.bySeverity[s] += from.bySeverity[s];
  for (const [rule, counts] of Object.entries(from.byRule)) {
    const r = (into.byRule[rule] ??= {});
    for (const [s, n] of Object.entries(counts) as [Severity, number][]) r[s] = (r[s] ?? 0) + n;
  }
}

function committed(m: MemorySummary): MemoryCommitted {
  const ram = m.ramBytes + m.privvmBytes;
  const out: MemoryCommitted = {
    ramBytes: ram.toString(),
    ramSwapBytes: m.totalBytes.toString(),
    physpagesBytes: m.ramBytes.toString(),
    swappagesBytes: m.swapBytes.toString(),
    privvmpagesBytes: m.privvmBytes.toString(),
  };
  const cap = m.capacity;
  if (cap?.ramBytes !== undefined) {
    const total = cap.ramBytes + (cap.swapBytes ?? 0n);
    out.capacityRamBytes = cap.ramBytes.toString();
    out.capacityRamSwapBytes = total.toString();
    if (cap.swapBytes !== undefined) out.capacitySwapBytes = cap.swapBytes.toString();
    out.overRam = ram > cap.ramBytes;
    out.overRamSwap = m.totalBytes > total;
  }
  const u = m.unlimited;
  if (u.physpages + u.swappages + u.privvmpages > 0) out.unlimited = { ...u };
  if (m.refused) out.refused = { containers: m.refused.containers, ramBytes: (m.refused.ramBytes + m.refused.privvmBytes).toString(), ramSwapBytes: m.refused.totalBytes.toString() };
  return out;
}

/**
 * Counts findings as reports go by (`add`), keeping per file only its counts, never its findings; then
 * {@link SummaryCounter.build} makes the summary. Used by `--summary`, which streams.
 */
export class SummaryCounter {
  /** Display path -> the counts of its report (undefined: a report without findings). */
  private readonly counts = new Map<string, FindingCounts | undefined>();
  /** Display paths of the reports read as templates, in the order they came. */
  readonly templates: string[] = [];

  /** Counts the findings of `reports` (a file seen twice keeps its first report, as {@link buildSummary}). */
  add(reports: readonly FileReport[]): void {
    for (const r of reports) {
      if (this.counts.has(r.file)) continue;
      let c: FindingCounts | undefined;
      if (r.findings.length > 0) addCounts((c = emptyCounts()), r);
      this.counts.set(r.file, c);
      if (r.template === true) this.templates.push(r.file);
    }
  }

  /** The summary of `nodes` over the reports added (each report counted once, under the first node by name that lists its `file`). */
  build(nodes: readonly NodeSummaryInput[]): FleetSummary {
    return summarize(nodes, this.counts);
  }
}

/**
 * Builds the summary from the nodes and the reports (each report counted once, under the node that
 * lists its `file`).
 */
export function buildSummary(nodes: readonly NodeSummaryInput[], reports: readonly FileReport[]): FleetSummary {
  const counter = new SummaryCounter();
  counter.add([...reports].reverse());
  return counter.build(nodes);
}

function summarize(nodes: readonly NodeSummaryInput[], byFile: ReadonlyMap<string, FindingCounts | undefined>): FleetSummary {
  const out: NodeSummary[] = [];
  const fleet: FleetSummary['fleet'] = { ...emptyCounts(), nodes: 0, files: 0, containers: 0 };
  let ram = 0n;
  let ramSwap = 0n;
  let phys = 0n;
  let swap = 0n;
  let privvm = 0n;
  const unlimited: UnlimitedCounts = { physpages: 0, swappages: 0, privvmpages: 0 };
  const refused = { containers: 0, ramBytes: 0n, ramSwapBytes: 0n };
  let capRam: bigint | undefined = 0n;
  let capSwap: bigint | undefined = 0n;
  let capTotal: bigint | undefined = 0n;
  let anyMemory = false;
  const counted = new Set<string>();
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of sorted) {
    const counts = emptyCounts();
    let files = 0;
    for (const f of n.files) {
      if (!byFile.has(f) || counted.has(f)) continue;
      counted.add(f);
      files += 1;
      const r = byFile.get(f);
      if (r) merge(counts, r);
    }
    const s: NodeSummary = { name: n.name, files, containers: n.containers, ...counts };
    if (n.host !== undefined) s.host = n.host;
    if (n.nodeConfig !== undefined) s.nodeConfig = n.nodeConfig;
    if (n.memory && n.memory.rows.length > 0) {
      s.memory = committed(n.memory);
      anyMemory = true;
      ram += BigInt(s.memory.ramBytes);
      ramSwap += BigInt(s.memory.ramSwapBytes);
      phys += BigInt(s.memory.physpagesBytes);
      swap += BigInt(s.memory.swappagesBytes);
      privvm += BigInt(s.memory.privvmpagesBytes);
      const u = s.memory.unlimited;
      if (u) for (const k of ['physpages', 'swappages', 'privvmpages'] as const) unlimited[k] += u[k];
      const r = s.memory.refused;
      if (r) {
        refused.containers += r.containers;
        refused.ramBytes += BigInt(r.ramBytes);
        refused.ramSwapBytes += BigInt(r.ramSwapBytes);
      }
      if (capRam !== undefined && s.memory.capacityRamBytes !== undefined && s.memory.capacityRamSwapBytes !== undefined) {
        capRam += BigInt(s.memory.capacityRamBytes);
        capTotal = (capTotal ?? 0n) + BigInt(s.memory.capacityRamSwapBytes);
        capSwap = capSwap !== undefined && s.memory.capacitySwapBytes !== undefined ? capSwap + BigInt(s.memory.capacitySwapBytes) : undefined;
      } else {
        capRam = undefined;
        capTotal = undefined;
      }
    }
    out.push(s);
    fleet.nodes += 1;
    fleet.files += files;
    fleet.containers += n.containers;
    merge(fleet, counts);
  }
  if (anyMemory) {
    fleet.memory = { ramBytes: ram.toString(), ramSwapBytes: ramSwap.toString(), physpagesBytes: phys.toString(), swappagesBytes: swap.toString(), privvmpagesBytes: privvm.toString() };
    if (unlimited.physpages + unlimited.swappages + unlimited.privvmpages > 0) fleet.memory.unlimited = unlimited;
    if (refused.containers > 0) fleet.memory.refused = { containers: refused.containers, ramBytes: refused.ramBytes.toString(), ramSwapBytes: refused.ramSwapBytes.toString() };
    if (capRam !== undefined && capTotal !== undefined) {
      Object.assign(fleet.memory, { capacityRamBytes: capRam.toString(), capacityRamSwapBytes: capTotal.toString(), ...(capSwap !== undefined ? { capacitySwapBytes: capSwap.toString() } : {}), overRam: ram > capRam, overRamSwap: ramSwap > capTotal });
    }
  }
  return { nodes: out, fleet };
}

/** Severities, most severe first. */
const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function severities(c: FindingCounts): string {
  const b = c.bySeverity;
  return `${plural(b.error, 'error')}, ${plural(b.warning, 'warning')}, ${plural(b.info, 'info')}${b.hint > 0 ? `, ${plural(b.hint, 'hint')}` : ''}`;
}

function rules(c: FindingCounts): string[] {
  return Object.entries(c.byRule)
    .map(([rule, n]) => ({ rule, n, rank: SEVERITY_ORDER.findIndex((s) => n[s] !== undefined), total: Object.values(n).reduce((a, b) => a + (b ?? 0), 0) }))
    // Errors first, then warnings, infos, hints (a rule's most severe findings decide), each by count.
    .sort((a, b) => a.rank - b.rank || b.total - a.total || (a.rule < b.rule ? -1 : 1))
    .map(({ rule, n }) => `    ${rule}: ${SEVERITY_ORDER.filter((s) => n[s] !== undefined).map((s) => plural(n[s] as number, s)).join(', ')}`);
}

/**
 * The memory lines of a node or the fleet, in the field's terms: what was summed (vSwap PHYSPAGES and
 * SWAPPAGES limits, UBC-mode PRIVVMPAGES barriers, each pages × 4 KiB), then the two sums compared with
 * the node's RAM and RAM + swap when they are known, then how many values were left out as unlimited.
 */
function memoryLines(m: MemoryCommitted): string[] {
  const b = (x: string): string => formatBytes(BigInt(x));
  const parts = [`vSwap PHYSPAGES limits ${b(m.physpagesBytes)}`, `SWAPPAGES limits ${b(m.swappagesBytes)}`, `UBC PRIVVMPAGES barriers ${b(m.privvmpagesBytes)}`];
  const of = (cap: string | undefined, what: string, over: boolean | undefined, note = ''): string => (cap !== undefined ? ` of ${what} ${b(cap)}${note}${over === true ? ' (over)' : ''}` : '');
  const lines = [
    `  memory (pages × 4 KiB): ${parts.join(', ')}`,
    `    PHYSPAGES + PRIVVMPAGES: ${b(m.ramBytes)}${of(m.capacityRamBytes, 'node RAM', m.overRam)}`,
    // Compared with RAM + swap when the swap was given, else with the RAM alone (swap counted as 0).
    `    PHYSPAGES + SWAPPAGES + PRIVVMPAGES: ${b(m.ramSwapBytes)}${of(m.capacityRamSwapBytes, m.capacitySwapBytes !== undefined ? 'node RAM + swap' : 'node RAM', m.overRamSwap, m.capacitySwapBytes !== undefined ? '' : ' (swap not given)')}`,
  ];
  const u = m.unlimited;
  if (u) {
    const kinds = [[u.physpages, 'PHYSPAGES limit'], [u.swappages, 'SWAPPAGES limit'], [u.privvmpages, 'PRIVVMPAGES barrier']] as const;
    const said = kinds.filter(([n]) => n > 0).map(([n, what]) => plural(n, what));
    lines.push(`    not summed, unlimited (or ≥ 4 PiB): ${said.join(', ')}`);
  }
  const r = m.refused;
  if (r) lines.push(`    of which ${plural(r.containers, 'container')} whose config Virtuozzo 7 refuses (no start until fixed): ${b(r.ramBytes)} RAM, ${b(r.ramSwapBytes)} all`);
  return lines;
}

/** The summary for a terminal: one block per node, then the fleet (when more than one node); names escaped for the terminal. */
export function formatSummary(summary: FleetSummary, options: { color: boolean }): string {
  const c = colors(options.color);
  const out: string[] = [''];
  for (const [i, n] of summary.nodes.entries()) {
    // A blank line between node blocks.
    if (i > 0) out.push('');
    out.push(c.bold(`Node ${escapeControls(n.name)}`) + c.dim(` (${plural(n.containers, 'container')}, ${plural(n.files, 'file')})`));
    out.push(`  ${severities(n)}`);
    for (const line of rules(n)) out.push(line);
    if (n.memory) for (const line of memoryLines(n.memory)) out.push(line);
  }
  if (summary.nodes.length > 1) {
    const f = summary.fleet;
    out.push('', c.bold(`Fleet: ${plural(f.nodes, 'node')}`) + c.dim(` (${plural(f.containers, 'container')}, ${plural(f.files, 'file')})`));
    out.push(`  ${severities(f)}`);
    for (const line of rules(f)) out.push(line);
    if (f.memory) for (const line of memoryLines(f.memory)) out.push(line);
  }
  if ((summary.fleet.skipped ?? 0) > 0) out.push(c.dim(`Skipped: ${plural(summary.fleet.skipped ?? 0, 'file')} a pattern matched, not configs by name or content`));
  return `${out.join('\n')}\n`;
}
