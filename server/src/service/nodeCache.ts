/**
 * The per-node cache: what a node's files say, and what linting them together gives, computed once per
 * change of one of the node's files and shared by every open document, the workspace lint and any other
 * caller (the CLI can feed it the same way).
 *
 * A *node* is a node config (`vz.conf`, or none) plus the folder of container configs checked with it
 * (`conf/` beside `vz.conf`, or the folder of a file found elsewhere; see `nodeFiles.ts`). For one node and
 * one set of lint options the cache keeps a {@link NodeState}:
 *
 * - the node config's text and its analysis (`analyze`, kind node), shared by every container;
 * - each container's text and analysis, redone only when that text (or the node config) changed;
 * - the per-file lint (`lint`) of the files someone asked about (open documents, a workspace lint);
 * - the node rules' findings (cross-container comparisons: shared addresses and paths, names, memory
 *   against the node, samples), computed at most once per {@link NodeState.generation}.
 *
 * The *disk state* (file texts, folder listings, which node configs exist) is read once and then kept: it
 * is refreshed only when told — {@link NodeCache.fileChanged} from file watching
 * (`workspace/didChangeWatchedFiles`), {@link NodeCache.refreshOnOpenOrSave} on open and save. Open
 * documents' texts ({@link NodeCache.setOpenText}) win over the disk. So a keystroke reads nothing from
 * disk: it re-analyses the one changed file and re-runs the node rules.
 *
 * Every read goes through an injectable {@link NodeFs} (default: {@link diskNodeFs}, the bounded reader:
 * no FIFO, device or /proc file, size and time bound, never blocking the event loop); `stats` counts them.
 *
 * Callers that publish results compare before publishing: {@link NodeCache.lintFile} returns the node's
 * generation, which changes exactly when a node-wide input changed, and {@link NodeCache.statesAffectedBy}
 * names the nodes a changed path belongs to.
 */
import { readdir, stat } from '../util/fsAsync';
import path from 'node:path';
import type { Finding, LintContext } from '../rules/types';
import { BoundedReadError } from '../util/boundedRead';
import { MAX_FILE_BYTES } from '../limits';
import { analyze, isTooLarge, lint, type LintOptions, type LintResult } from './lint';
import { compareFindings, containerFacts, nodeRuleFindings, sortFindings, type ContainerFacts, type NodeContainer, type NodeLintOptions, type NodeModel } from './node';
import { confDirOf, ctidOf, isNodeConfigName, nodeConfigCandidates, readConfigFile, sampleNameOf } from './nodeFiles';

/**
 * The sample name CONFIGFILE gives in a vz.conf text, read as classic vzctl reads the line (the first
 * CONFIGFILE line wins; a double-quoted value ends at its quote, an unquoted one at a blank): only to
 * choose which `ve-NAME.conf-sample` to read with the node; the rules read the analysed file.
 */
export function configFileOf(text: string): string | undefined {
  const m = /^CONFIGFILE=(?:"([^"\n]*)"|([^\s"#]*))/m.exec(text);
  const name = (m?.[1] ?? m?.[2] ?? '').trim();
  return name === '' || name.includes('/') ? undefined : name;
}

// ------------------------------------------------------------------------------------------------
// File-system access

/** What {@link NodeFs.readText} gives: the text (and its size in bytes, from disk), or the read error. */
export type ReadResult = { text: string; sizeBytes?: number } | { error: BoundedReadError };

/** The file-system reads of the cache; injectable so that tests can count them or serve a fake node. */
export interface NodeFs {
  /**
   * A config file's text, with its size in bytes when known (the size limit is judged on it, see
   * `LintOptions.sizeBytes`; without it, on the text's UTF-8 length), or why it cannot be read (a file
   * beyond the limit: code 'too-large' with its `sizeBytes`). Never throws, never hangs: see boundedRead.ts.
   */
  readText(filePath: string): Promise<ReadResult>;
  /** Names of the files (and symbolic links) in a folder; empty when it cannot be listed. */
  listDir(dir: string): Promise<string[]>;
  /**
   * Whether something other than a folder is at the path (for finding a node config): a regular file, or a
   * named pipe, device … that {@link readText} then refuses, which is reported rather than passed over.
   */
  exists(filePath: string): Promise<boolean>;
}

/** The real file system: bounded reads (`readConfigFile`), `readdir`, `stat`. */
export function diskNodeFs(): NodeFs {
  return {
    readText: readConfigFile,
    async listDir(dir) {
      try {
        return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
      } catch {
        return [];
      }
    },
    async exists(filePath) {
      try {
        return !(await stat(filePath)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Types

/** Which node a file belongs to. */
export interface NodeKey {
  /** The node config used (absolute path), when one was found or set. */
  nodeConfigPath?: string;
  /** The folder whose `CTID.conf` files are the node's containers. */
  confDir: string;
}

/** How to find and lint a file's node: the settings that apply to it. */
export interface NodeRequest {
  /** Where the upward search for a `vz.conf` stops (workspace folder); see `nodeConfigCandidates`. */
  stopAt?: string;
  /** An explicit node config (setting `vzconf.nodeConfig`, absolute); replaces the search. */
  nodeConfigPath?: string;
  /** Lint options (target, kind, rules, knownParameters, ignoreSuppressions, capacity); no path or node config. */
  options: Omit<NodeLintOptions, 'focus'>;
}

/** The result for one file of a node. */
export interface FileLint {
  /**
   * Per-file findings and node-rule findings, sorted by position. Read-only: without node-rule findings
   * it is the per-file lint's own (cached) array.
   */
  findings: readonly Finding[];
  /** The per-file lint (analysis and per-file findings). */
  result: LintResult;
  /** The node config the file was checked with (path, text, size in bytes when read from disk), when there is one. */
  nodeConfig?: { path: string; text: string; sizeBytes?: number };
  /**
   * Why the node config was not used: it could not be read (missing, a FIFO, a device, a /proc file, too
   * large, too slow, permission denied). The file is then checked without one.
   */
  nodeConfigProblem?: string;
  /**
   * With {@link nodeConfigProblem}: the node config was found by the search (`nodeConfigCandidates`), not
   * given (`NodeRequest.nodeConfigPath`); its path. vzctl would read that file.
   */
  nodeConfigFound?: string;
  /**
   * The file was not checked: it is beyond the size limit on disk (this many bytes). Its findings are its
   * `file-too-large` finding, or none when that rule is off (say it otherwise then, as vzlint does).
   */
  notChecked?: number;
  /** The node state the result came from (compare `generation` to know whether siblings changed). */
  state: NodeState;
  /** `state.generation` when this result was computed. */
  generation: number;
}

/** Counters for instrumentation and tests (the language server answers them to `vzconf/nodeCacheStats`). */
export interface NodeCacheStats {
  /** File-system calls made: texts read, folders listed, files stat'ed. */
  diskReads: number;
  /** Node configs and container configs analysed (parsed and checked). */
  analyses: number;
  /** Runs of the node rules (once per generation of a node that someone asked about). */
  nodeRuleRuns: number;
  /** Node states alive. */
  nodes: number;
}

/** One file of a node state. */
interface Slot {
  path: string;
  text: string;
  /** Size in bytes of the file as read from disk; undefined for an open document's text. */
  sizeBytes?: number;
  ctx: LintContext;
  /** The per-file lint, when someone asked for it (kept for `text` and the current node config). */
  lint?: LintResult;
  /** What the node rules compare of it, when it is a container (computed once per analysis). */
  facts?: ContainerFacts;
}

/**
 * The cached state of one node under one set of lint options. Created by {@link NodeCache}; callers only
 * read `key`, `generation` and `paths()`.
 */
export class NodeState {
  /** Bumped whenever a node-wide input changed: node config text, a container's text, the set of containers, the samples. */
  generation = 0;
  /** Inputs changed since the last resolve (set by the cache, cleared by resolve). */
  dirty = true;
  /**
   * While `dirty`: the only files whose text may have changed (open documents edited), or undefined when
   * anything may have (first resolve, a change on disk, a file opened, closed, created or deleted, the node
   * config): then the node's folder is listed and every file looked at again.
   */
  dirtyPaths: Set<string> | undefined;
  /** Whether a full resolve has completed once (the node's folder listed and its files read). */
  loaded = false;
  resolving: Promise<void> | undefined;
  nodeText: string | undefined;
  /** Size in bytes of the node config as read from disk (undefined when open in the editor). */
  nodeSize: number | undefined;
  nodeError: BoundedReadError | undefined;
  nodeSlot: Slot | undefined;
  slots = new Map<string, Slot>();
  /** Files linted with the node that are not its containers (samples, 0.conf, other names asked about). */
  extras = new Set<string>();
  samples: string[] | undefined;
  /**
   * The last full resolve read the node config and every CTID.conf its conf/ folder lists (the folder
   * listed, not empty): the node model is `complete` (node-level suppression comments are judged).
   */
  complete = false;
  /** Node-rule findings per path, for `ruleGeneration`. */
  ruleFindings: Map<string, Finding[]> | undefined;
  ruleGeneration = -1;
  /**
   * Bumped when something the node rules read changed: the node config, the samples, the set of files,
   * a non-container file, or a container's facts ({@link containerFacts}). A keystroke that leaves the
   * edited container's facts as they were (most do) bumps `generation` but not this, and the node rules'
   * findings of the previous generation stand without running them over every container again.
   */
  ruleInputs = 0;
  /** `ruleInputs` when `ruleFindings` was computed. */
  ruleInputsAt = -1;
  /** Per path: the generation at which its findings last changed (text, node config, or node-rule findings). */
  changedAt = new Map<string, number>();

  constructor(
    readonly id: string,
    readonly key: NodeKey,
    readonly options: LintOptions,
    readonly explicitNodeConfig: boolean,
  ) {}

  /** Every file of the node state (node config first, then containers and extras). */
  paths(): string[] {
    return [...(this.nodeSlot ? [this.nodeSlot.path] : []), ...this.slots.keys()];
  }

  /** Whether a change of `filePath` is an input of this node. */
  dependsOn(filePath: string): boolean {
    return filePath === this.key.nodeConfigPath || path.dirname(filePath) === this.key.confDir || this.extras.has(filePath);
  }
}

/**
 * A string that is equal for two {@link ContainerFacts} exactly when the node rules would see the same
 * container: every field, bigints as digits, Sets and Maps as their entries; the `resolved` memo is left out,
 * and so is the first line's length unless `withFirstLine` (node-memory-overcommit marks a container's line 1
 * only on a node without a node config; with one, typing on line 1 changes nothing the node rules see).
 */
export function factsKey(facts: ContainerFacts, withFirstLine: boolean): string {
  return JSON.stringify(facts, (key, value: unknown) =>
    key === 'resolved' || (key === 'firstLineLength' && !withFirstLine) ? undefined
      : typeof value === 'bigint' ? `${value}n`
        : value instanceof Set ? [...(value as Set<unknown>)]
          : value instanceof Map ? [...(value as Map<unknown, unknown>)]
            : value);
}

/** Whether two maps have the same keys in the same order. */
function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  const other = b.keys();
  for (const k of a.keys()) if (other.next().value !== k) return false;
  return true;
}

/**
 * Above this many container configs still to read, a file of a node that is not loaded yet gets a first
 * answer without the node ({@link NodeCache.lintFileAlone}): reading and analysing a container takes about
 * 0.5 ms, so from here on the whole node takes longer than a keystroke should wait.
 */
export const QUICK_FIRST_ANSWER_FILES = 64;

/** How many files are read from disk at once while a node is first loaded. */
const READ_CONCURRENCY = 32;

/** A stable key of lint options (bigint capacities as strings). */
function optionsKey(o: Omit<NodeLintOptions, 'focus'>): string {
  return JSON.stringify({
    target: o.target ?? null,
    kind: o.kind ?? null,
    rules: o.rules ? Object.entries(o.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null,
    known: o.knownParameters ? [...o.knownParameters].sort() : null,
    ignore: o.ignoreSuppressions === true,
    ram: o.capacity?.ramBytes?.toString() ?? null,
    swap: o.capacity?.swapBytes?.toString() ?? null,
  });
}

/**
 * The per-file findings (sorted, as `lint` returns them) with the node rules' findings of the file
 * merged in, in the order `sortFindings` gives (position, then rule; per-file first among equals). Linear;
 * without node-rule findings the per-file array itself (a keystroke in a file of 10,000 findings copies
 * and re-sorts nothing).
 */
export function mergeFindings(own: readonly Finding[], node: readonly Finding[] | undefined): readonly Finding[] {
  if (!node || node.length === 0) return own;
  const extra = sortFindings([...node]);
  const out: Finding[] = [];
  let j = 0;
  for (const f of own) {
    while (j < extra.length && compareFindings(extra[j] as Finding, f) < 0) out.push(extra[j++] as Finding);
    out.push(f);
  }
  while (j < extra.length) out.push(extra[j++] as Finding);
  return out;
}

/**
 * Whether a file's new text and size (bytes as read from disk; undefined for an open document) give the
 * same findings as the old: the same text, and the same size or a size that changes nothing (`sizeBytes`
 * only decides `file-too-large` and its wording; an open document with its disk text is not re-analysed).
 */
function sameInput(oldText: string | undefined, oldSize: number | undefined, text: string | undefined, size: number | undefined): boolean {
  if (oldText !== text) return false;
  if (oldSize === size || text === undefined) return true;
  return !isTooLarge(text, oldSize) && !isTooLarge(text, size);
}

// ------------------------------------------------------------------------------------------------
// The cache

/**
 * The per-node cache (see the module comment). One instance per language server (or per vzlint run).
 *
 * Typical use by the language server: `setOpenText` on open / change, `closeText` on close,
 * `refreshOnOpenOrSave` on open / save, `fileChanged` for each watched change, `lintFile` to lint a
 * document; after a change of path P, the other documents of `statesAffectedBy(P)` are re-linted (cheap:
 * their per-file results are cached) and published only if their findings changed.
 */
export class NodeCache {
  readonly stats: NodeCacheStats = { diskReads: 0, analyses: 0, nodeRuleRuns: 0, nodes: 0 };
  private readonly open = new Map<string, string>();
  private readonly texts = new Map<string, Promise<ReadResult>>();
  /** The settled values of `texts`, for reading without awaiting (a node of 10,000 files per keystroke). */
  private readonly settled = new Map<string, ReadResult>();
  /** Last result of {@link confDir} per folder, with what it was computed from. */
  private readonly confDirMemo = new Map<string, { listing: Promise<string[]>; open: string; result: { containers: string[]; samples?: string[] } }>();
  private readonly listings = new Map<string, Promise<string[]>>();
  private readonly exists = new Map<string, Promise<boolean>>();
  private readonly states = new Map<string, NodeState>();

  constructor(private readonly fs: NodeFs = diskNodeFs()) {}

  // ---- open documents

  /** An open document's text (it wins over the disk); call on open and on every change. */
  setOpenText(filePath: string, text: string): void {
    if (this.open.get(filePath) === text) return;
    const known = this.open.has(filePath);
    this.open.set(filePath, text);
    this.markDirty(filePath, !known);
  }

  /** The document was closed: its saved text on disk stands for it again. */
  closeText(filePath: string): void {
    if (!this.open.delete(filePath)) return;
    this.markDirty(filePath, true);
    // A file linted with a node only because it was open (a sample, notes.txt …) leaves it.
    for (const s of this.states.values()) s.extras.delete(filePath);
  }

  /** The open documents' texts by path. */
  openTexts(): ReadonlyMap<string, string> {
    return this.open;
  }

  // ---- disk state

  /**
   * A file changed, was created or was deleted on disk (file watching): its text, its existence and its
   * folder's listing are read again when next needed, and the nodes it belongs to are marked changed.
   */
  fileChanged(filePath: string): void {
    this.texts.delete(filePath);
    this.settled.delete(filePath);
    this.exists.delete(filePath);
    this.listings.delete(path.dirname(filePath));
    this.markDirty(filePath, true);
  }

  /**
   * A document was opened or saved: its folder is listed again (a saved new `102.conf` joins its node)
   * and its own disk text is read again when next needed. Siblings' texts are refreshed by file watching.
   */
  refreshOnOpenOrSave(filePath: string): void {
    this.texts.delete(filePath);
    this.settled.delete(filePath);
    this.exists.delete(filePath);
    if (this.listings.delete(path.dirname(filePath))) this.markDirty(filePath, true);
  }

  /** Forgets everything computed (node states), keeping the disk state; e.g. after a settings change. */
  dropResults(): void {
    this.states.clear();
    this.stats.nodes = 0;
  }

  /** Forgets the disk state and every result. */
  clear(): void {
    this.texts.clear();
    this.settled.clear();
    this.listings.clear();
    this.exists.clear();
    this.dropResults();
  }

  /**
   * Whether the findings of `filePath` in `state` are the same as at generation `since` (its text, its
   * node config and the node rules' findings for it unchanged). False when the state has changes not yet
   * resolved (then lint the file to know).
   */
  unchangedSince(state: NodeState, filePath: string, since: number): boolean {
    if (state.dirty || state.resolving || !this.isCurrent(state)) return false;
    this.ruleFindings(state);
    return (state.changedAt.get(filePath) ?? 0) <= since;
  }

  /** Whether `state` is still this cache's (not dropped by {@link dropResults}). */
  isCurrent(state: NodeState): boolean {
    return this.states.get(state.id) === state;
  }

  /** The node states that `filePath` is an input of (its node config, a container, or an extra). */
  statesAffectedBy(filePath: string): NodeState[] {
    const nodeName = isNodeConfigName(filePath);
    return [...this.states.values()].filter((s) => s.dependsOn(filePath) || (nodeName && !s.explicitNodeConfig));
  }

  /**
   * Marks the states `filePath` is an input of as changed. When a file appears or disappears
   * (`membership`) and it is named like a node config, every state that found its node config by search
   * is marked too: the search may now find another one (the next `lintFile` looks again).
   */
  private markDirty(filePath: string, membership: boolean): void {
    const nodeName = membership && isNodeConfigName(filePath);
    for (const s of this.states.values()) {
      if (s.dependsOn(filePath) || (membership && path.dirname(filePath) === s.key.confDir) || (nodeName && !s.explicitNodeConfig)) {
        s.dirty = true;
        if (membership || filePath === s.key.nodeConfigPath || !s.slots.has(filePath)) s.dirtyPaths = undefined;
        else s.dirtyPaths?.add(filePath);
      }
    }
  }

  // ---- reads (cached)

  private diskText(filePath: string): Promise<ReadResult> {
    let p = this.texts.get(filePath);
    if (!p) {
      this.stats.diskReads += 1;
      const pending = this.fs.readText(filePath);
      p = pending;
      this.texts.set(filePath, pending);
      void pending.then((r) => {
        if (this.texts.get(filePath) === pending) this.settled.set(filePath, r);
      });
    }
    return p;
  }

  /**
   * A file's text: the open document's (no `sizeBytes`: judged on its text), else the disk's with its
   * size in bytes (read once until told it changed).
   */
  async text(filePath: string): Promise<ReadResult> {
    const o = this.open.get(filePath);
    if (o !== undefined) return { text: o };
    return this.diskText(filePath);
  }

  private listing(dir: string): Promise<string[]> {
    let p = this.listings.get(dir);
    if (!p) {
      this.stats.diskReads += 1;
      p = this.fs.listDir(dir);
      this.listings.set(dir, p);
    }
    return p;
  }

  private isFile(filePath: string): Promise<boolean> {
    if (this.open.has(filePath)) return Promise.resolve(true);
    let p = this.exists.get(filePath);
    if (!p) {
      this.stats.diskReads += 1;
      p = this.fs.exists(filePath);
      this.exists.set(filePath, p);
    }
    return p;
  }

  /**
   * The CTID.conf paths (sorted) and sample names (sorted; undefined when there is none) of a conf/ folder:
   * the disk listing plus open documents in that folder.
   */
  async confDir(dir: string): Promise<{ containers: string[]; samples?: string[] }> {
    const listing = this.listing(dir);
    const openHere: string[] = [];
    for (const p of this.open.keys()) if (path.dirname(p) === dir) openHere.push(path.basename(p));
    const openKey = openHere.sort().join('/');
    const memo = this.confDirMemo.get(dir);
    if (memo && memo.listing === listing && memo.open === openKey) return memo.result;
    const names = new Set(await listing);
    for (const n of openHere) names.add(n);
    const sorted = [...names].sort();
    const containers = sorted.filter((n) => ctidOf(n) !== undefined).map((n) => path.join(dir, n));
    const samples = sorted.map((n) => sampleNameOf(n)).filter((n): n is string => n !== undefined);
    const result = samples.length > 0 ? { containers, samples } : { containers };
    this.confDirMemo.set(dir, { listing, open: openKey, result });
    return result;
  }

  /**
   * The node of `filePath`: its node config (the explicit one, else the first of `nodeConfigCandidates`
   * that is open or exists on disk; a `vz.conf` is its own) and its containers' folder.
   */
  async nodeOf(filePath: string, request: Pick<NodeRequest, 'stopAt' | 'nodeConfigPath'>): Promise<NodeKey> {
    const isNode = isNodeConfigName(filePath) && request.nodeConfigPath === undefined;
    const confDir = isNode ? confDirOf(filePath) : path.dirname(filePath);
    if (isNode) return { nodeConfigPath: filePath, confDir };
    if (request.nodeConfigPath !== undefined) return { nodeConfigPath: request.nodeConfigPath, confDir };
    for (const candidate of nodeConfigCandidates(filePath, request.stopAt)) {
      if (await this.isFile(candidate)) return { nodeConfigPath: candidate, confDir };
    }
    return { confDir };
  }

  /** The node state of `key` under `options` (created empty, resolved on use). */
  private stateOf(key: NodeKey, options: Omit<NodeLintOptions, 'focus'>, explicit: boolean): NodeState {
    const id = `${key.nodeConfigPath ?? ''}\0${key.confDir}\0${optionsKey(options)}\0${explicit ? 1 : 0}`;
    let s = this.states.get(id);
    if (!s) {
      s = new NodeState(id, key, { ...options }, explicit);
      this.states.set(id, s);
      this.stats.nodes = this.states.size;
    }
    return s;
  }

  // ---- resolution

  /**
   * Brings a state up to date with the open documents and the disk state (reading what is not cached).
   * Also waits for a resolve in flight that another caller started after a change this one must see (a
   * document closed during the previous one): returning at once would answer from the older texts.
   */
  private async resolve(state: NodeState): Promise<void> {
    while (state.dirty || state.resolving) {
      if (!state.resolving) {
        state.dirty = false;
        state.resolving = this.resolveOnce(state).finally(() => {
          state.resolving = undefined;
        });
      }
      await state.resolving;
    }
  }

  private async resolveOnce(state: NodeState): Promise<void> {
    const only = state.dirtyPaths;
    // Changes that arrive while this resolve awaits are collected for the next one.
    state.dirtyPaths = new Set();
    if (only && this.resolveEdited(state, only)) return;
    const { key } = state;
    const node = key.nodeConfigPath !== undefined ? await this.text(key.nodeConfigPath) : undefined;
    const listing = await this.confDir(key.confDir);
    // An empty listing may be a folder that cannot be listed (listDir says nothing): never a complete node.
    const listedAny = (await this.listing(key.confDir)).length > 0;
    const paths = listing.containers.filter((p) => p !== key.nodeConfigPath);
    for (const e of state.extras) if (!paths.includes(e) && e !== key.nodeConfigPath) paths.push(e);
    // The default sample (CONFIGFILE) of the node is read too: ploop-sample-without-diskspace needs its DISKSPACE.
    const defaultSample = node && 'text' in node ? configFileOf(node.text) : undefined;
    if (defaultSample !== undefined && listing.samples?.includes(defaultSample)) {
      const p = path.join(key.confDir, `ve-${defaultSample}.conf-sample`);
      if (!paths.includes(p)) paths.push(p);
    }
    // Read what is neither open nor cached, a few at a time.
    const texts = new Map<string, { text: string; sizeBytes?: number }>();
    const missing: string[] = [];
    for (const p of paths) {
      const r = this.open.has(p) ? { text: this.open.get(p) as string } : this.settled.get(p);
      if (r === undefined) missing.push(p);
      else if ('text' in r) texts.set(p, r);
    }
    for (let i = 0; i < missing.length; i += READ_CONCURRENCY) {
      const batch = missing.slice(i, i + READ_CONCURRENCY);
      const got = await Promise.all(batch.map((p) => this.text(p)));
      batch.forEach((p, j) => {
        const r = got[j];
        if (r && 'text' in r) texts.set(p, r);
      });
    }
    // From here on synchronous: nothing can change the state under us.
    let changed = false;
    const nodeText = node && 'text' in node ? node.text : undefined;
    const nodeSize = node && 'text' in node ? node.sizeBytes : undefined;
    state.nodeError = node && 'error' in node ? node.error : undefined;
    const base: LintOptions = state.options;
    if (!sameInput(state.nodeText, state.nodeSize, nodeText, nodeSize) || (nodeText === undefined) !== (state.nodeSlot === undefined)) {
      changed = true;
      state.nodeText = nodeText;
      state.nodeSize = nodeSize;
      if (nodeText !== undefined && key.nodeConfigPath !== undefined) {
        const opts: LintOptions = { ...base, path: key.nodeConfigPath, ...(nodeSize !== undefined ? { sizeBytes: nodeSize } : {}) };
        const wanted = state.nodeSlot?.lint !== undefined;
        this.stats.analyses += 1;
        const result = wanted ? lint(nodeText, opts) : undefined;
        state.nodeSlot = { path: key.nodeConfigPath, text: nodeText, ...(nodeSize !== undefined ? { sizeBytes: nodeSize } : {}), ctx: result?.ctx ?? analyze(nodeText, opts), ...(result ? { lint: result } : {}) };
      } else {
        state.nodeSlot = undefined;
      }
      state.ruleInputs += 1;
      // Every container is checked with the node config: all of them again.
      for (const slot of state.slots.values()) slot.text = '\0stale';
      if (key.nodeConfigPath !== undefined) state.changedAt.set(key.nodeConfigPath, state.generation + 1);
    }
    const samples = listing.samples;
    if (JSON.stringify(samples) !== JSON.stringify(state.samples)) {
      changed = true;
      state.ruleInputs += 1;
      state.samples = samples;
    }
    const next = new Map<string, Slot>();
    for (const p of paths) {
      const read = texts.get(p);
      if (read === undefined) continue;
      const old = state.slots.get(p);
      if (old && sameInput(old.text, old.sizeBytes, read.text, read.sizeBytes)) {
        next.set(p, old);
        continue;
      }
      changed = true;
      next.set(p, this.updatedSlot(state, p, read.text, read.sizeBytes, old));
    }
    if (!sameKeys(next, state.slots)) {
      changed = true;
      state.ruleInputs += 1;
    }
    state.slots = next;
    const complete = nodeText !== undefined && listedAny && listing.containers.every((p) => p === key.nodeConfigPath || next.has(p));
    if (complete !== state.complete) {
      changed = true;
      state.ruleInputs += 1;
      state.complete = complete;
    }
    if (changed) state.generation += 1;
    state.loaded = true;
  }

  /**
   * The slot of `p` for its new `text`, analysed (and linted if the old one was); notes the change in
   * `changedAt` and, when the node rules could see a difference, in `ruleInputs`. The node rules see a
   * container only through its facts: unchanged facts, unchanged node findings.
   */
  private updatedSlot(state: NodeState, p: string, text: string, sizeBytes: number | undefined, old: Slot | undefined): Slot {
    state.changedAt.set(p, state.generation + 1);
    const slot = this.analyzeSlot(state, p, text, sizeBytes, old?.lint !== undefined);
    if (old?.facts && ctidOf(p) !== undefined && slot.ctx.kind === 'container') {
      slot.facts = containerFacts(slot.ctx);
      const withFirstLine = state.nodeSlot === undefined;
      if (factsKey(slot.facts, withFirstLine) !== factsKey(old.facts, withFirstLine)) state.ruleInputs += 1;
    } else {
      state.ruleInputs += 1;
    }
    return slot;
  }

  /**
   * The quick resolve after edits of open documents that are files of the node already (`only`): nothing
   * is listed or read, only those slots are looked at (a keystroke on a node of 10,000 containers must not
   * walk all of them). Returns false, having changed nothing, when that is not enough (a file not in
   * the node yet, or its text not at hand): then the full resolve runs.
   */
  private resolveEdited(state: NodeState, only: ReadonlySet<string>): boolean {
    const texts: [string, { text: string; sizeBytes?: number }, Slot][] = [];
    for (const p of only) {
      const old = state.slots.get(p);
      const disk = this.settled.get(p);
      const open = this.open.get(p);
      const read = open !== undefined ? { text: open } : disk && 'text' in disk ? disk : undefined;
      if (!old || read === undefined || p === state.key.nodeConfigPath) return false;
      texts.push([p, read, old]);
    }
    let changed = false;
    for (const [p, read, old] of texts) {
      if (sameInput(old.text, old.sizeBytes, read.text, read.sizeBytes)) continue;
      changed = true;
      // Map.set on a key it has keeps the order of the slots.
      state.slots.set(p, this.updatedSlot(state, p, read.text, read.sizeBytes, old));
    }
    if (changed) state.generation += 1;
    return true;
  }

  /**
   * A first answer for a file of a node that is not loaded yet and has more than
   * {@link QUICK_FIRST_ANSWER_FILES} files still to read: the file's own findings with its node config,
   * which are exactly the per-file part of what {@link lintFile} will return, without reading the node's
   * other files and so without the node rules' findings (duplicate addresses and the like), which come
   * with `lintFile`. Reads only the file (unless open) and the node config.
   *
   * @returns undefined when `lintFile` is the quicker answer anyway (the node is loaded, or small), or when
   *   the file or an explicitly set node config cannot be read (`lintFile` reports that)
   * @throws OptionError for an invalid target or kind (as `lint` does)
   */
  async lintFileAlone(filePath: string, request: NodeRequest): Promise<readonly Finding[] | undefined> {
    const key = await this.nodeOf(filePath, request);
    const state = this.stateOf(key, request.options, request.nodeConfigPath !== undefined);
    if (state.loaded) return undefined;
    const listing = await this.confDir(key.confDir);
    let unread = 0;
    for (const p of listing.containers) if (!this.open.has(p) && !this.settled.has(p)) unread += 1;
    if (unread <= QUICK_FIRST_ANSWER_FILES) return undefined;
    const own = this.open.has(filePath) ? { text: this.open.get(filePath) as string } : await this.text(filePath);
    if (!('text' in own)) return undefined;
    const isNodeFile = filePath === key.nodeConfigPath;
    const node = key.nodeConfigPath !== undefined && !isNodeFile ? await this.text(key.nodeConfigPath) : undefined;
    if (node && !('text' in node)) return undefined;
    const options: LintOptions = {
      ...state.options,
      path: filePath,
      ...(own.sizeBytes !== undefined ? { sizeBytes: own.sizeBytes } : {}),
      ...(node && key.nodeConfigPath !== undefined ? { nodeConfig: { path: key.nodeConfigPath, ...node } } : {}),
    };
    return lint(own.text, options).findings;
  }

  /** The options a file of the node is checked with (`sizeBytes`: the file's, when read from disk). */
  private fileOptions(state: NodeState, filePath: string, sizeBytes: number | undefined): LintOptions {
    const n = state.nodeSlot;
    return {
      ...state.options,
      path: filePath,
      ...(sizeBytes !== undefined ? { sizeBytes } : {}),
      ...(n ? { nodeConfig: { path: n.path, text: n.text, ...(n.sizeBytes !== undefined ? { sizeBytes: n.sizeBytes } : {}) }, nodeContext: n.ctx } : {}),
    };
  }

  private analyzeSlot(state: NodeState, filePath: string, text: string, sizeBytes: number | undefined, wantLint: boolean): Slot {
    this.stats.analyses += 1;
    const opts = this.fileOptions(state, filePath, sizeBytes);
    const size = sizeBytes !== undefined ? { sizeBytes } : {};
    if (wantLint) {
      const result = lint(text, opts);
      return { path: filePath, text, ...size, ctx: result.ctx, lint: result };
    }
    return { path: filePath, text, ...size, ctx: analyze(text, opts) };
  }

  /** The node rules' findings for the state's current generation (run once per generation). */
  private ruleFindings(state: NodeState): Map<string, Finding[]> {
    if (state.ruleFindings && state.ruleGeneration === state.generation) return state.ruleFindings;
    if (state.ruleFindings && state.ruleInputsAt === state.ruleInputs) {
      state.ruleGeneration = state.generation;
      return state.ruleFindings;
    }
    const model: NodeModel = { containers: [], files: [] };
    if (state.options.catalog) model.catalog = state.options.catalog;
    if (state.options.capacity) model.capacity = state.options.capacity;
    if (state.samples) model.samples = state.samples;
    if (state.complete) model.complete = true;
    if (state.nodeSlot) {
      model.node = { path: state.nodeSlot.path, ctx: state.nodeSlot.ctx };
      model.files.push(model.node);
    }
    for (const slot of state.slots.values()) {
      const ctid = ctidOf(slot.path);
      if (ctid !== undefined && slot.ctx.kind === 'container') model.containers.push({ path: slot.path, ctid, facts: (slot.facts ??= containerFacts(slot.ctx)) } satisfies NodeContainer);
      else model.files.push({ path: slot.path, ctx: slot.ctx });
    }
    this.stats.nodeRuleRuns += 1;
    const previous = state.ruleFindings;
    const next = nodeRuleFindings(model, state.options);
    // Which files' node-rule findings differ from the previous generation's.
    if (previous) {
      const same = (a: Finding[] | undefined, b: Finding[] | undefined): boolean => (a?.length ?? 0) === (b?.length ?? 0) && JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
      for (const p of new Set([...previous.keys(), ...next.keys()])) if (!same(previous.get(p), next.get(p))) state.changedAt.set(p, state.generation);
    } else {
      for (const p of next.keys()) state.changedAt.set(p, state.generation);
    }
    state.ruleFindings = next;
    state.ruleGeneration = state.generation;
    state.ruleInputsAt = state.ruleInputs;
    return next;
  }

  /** The per-file lint of a slot, computed (and kept unless `retain` is false) when missing. */
  private slotLint(state: NodeState, slot: Slot, retain: boolean): LintResult {
    if (slot.lint) return slot.lint;
    const result = lint(
      slot.text,
      slot === state.nodeSlot ? { ...state.options, path: slot.path, ...(slot.sizeBytes !== undefined ? { sizeBytes: slot.sizeBytes } : {}) } : this.fileOptions(state, slot.path, slot.sizeBytes),
    );
    if (retain) slot.lint = result;
    return result;
  }

  // ---- results

  /**
   * Lints `filePath` with its node: per-file findings (cached for its text and node config) plus the
   * node rules' findings that land in it (cached per node generation). Reads from disk only what the
   * cache does not hold yet. The file's own text is the open document's when open, else the disk's.
   *
   * @param retain  keep the per-file lint for next time (default true; false for closed files of a big
   *   workspace lint, so that memory holds only analyses)
   * @returns undefined when the file is neither open nor readable
   * @throws OptionError for an invalid target or kind (as `lint` does)
   */
  async lintFile(filePath: string, request: NodeRequest, retain = true): Promise<FileLint | undefined> {
    const key = await this.nodeOf(filePath, request);
    const state = this.stateOf(key, request.options, request.nodeConfigPath !== undefined);
    const isNodeFile = filePath === key.nodeConfigPath;
    if (!isNodeFile && !state.slots.has(filePath) && !state.extras.has(filePath)) {
      // Not (yet) one of the node's containers: lint it with the node all the same.
      const listed = ctidOf(filePath) !== undefined && path.dirname(filePath) === key.confDir;
      if (!listed) state.extras.add(filePath);
      state.dirty = true;
      state.dirtyPaths = undefined;
    }
    await this.resolve(state);
    const slot = isNodeFile ? state.nodeSlot : state.slots.get(filePath);
    if (!slot) return this.tooLargeFile(state, filePath, isNodeFile);
    const result = this.slotLint(state, slot, retain);
    const findings = mergeFindings(result.findings, this.ruleFindings(state).get(filePath));
    const out: FileLint = { findings, result, state, generation: state.generation };
    if (state.nodeSlot && !isNodeFile) out.nodeConfig = { path: state.nodeSlot.path, text: state.nodeSlot.text, ...(state.nodeSlot.sizeBytes !== undefined ? { sizeBytes: state.nodeSlot.sizeBytes } : {}) };
    if (!isNodeFile && state.nodeError) {
      out.nodeConfigProblem = state.nodeError.message;
      if (!state.explicitNodeConfig && key.nodeConfigPath !== undefined) out.nodeConfigFound = key.nodeConfigPath;
    }
    return out;
  }

  /**
   * The result for a file of the node that is not one of its slots because it is beyond the size limit
   * on disk (the read refused it, code 'too-large'): its `file-too-large` finding with its size in bytes,
   * as vzlint reports it (none when the rule is off: {@link FileLint.notChecked} says it then). Undefined
   * when the file is not known to be too large (missing, unreadable: nothing to lint).
   */
  private tooLargeFile(state: NodeState, filePath: string, isNodeFile: boolean): FileLint | undefined {
    if (this.open.has(filePath)) return undefined;
    const r = isNodeFile ? (state.nodeError ? { error: state.nodeError } : undefined) : this.settled.get(filePath);
    if (!r || !('error' in r) || r.error.code !== 'too-large') return undefined;
    const sizeBytes = r.error.sizeBytes ?? MAX_FILE_BYTES + 1;
    const result = lint('', { ...(isNodeFile ? { ...state.options, path: filePath } : this.fileOptions(state, filePath, undefined)), sizeBytes });
    return { findings: result.findings, result, state, generation: state.generation, notChecked: sizeBytes };
  }

  /**
   * The node config a (non-node) file is checked with, as hover, code actions and the effective
   * configuration need it; from the cache, reading only what it does not hold. `sizeBytes`: its size on
   * disk when read from there (the size limit is judged on it).
   */
  async nodeConfigFor(filePath: string, request: Pick<NodeRequest, 'stopAt' | 'nodeConfigPath'>): Promise<{ path: string; text: string; sizeBytes?: number } | undefined> {
    if (isNodeConfigName(filePath) && request.nodeConfigPath === undefined) return undefined;
    const key = await this.nodeOf(filePath, request);
    if (key.nodeConfigPath === undefined || key.nodeConfigPath === filePath) return undefined;
    const r = await this.text(key.nodeConfigPath);
    return 'text' in r ? { path: key.nodeConfigPath, ...r } : undefined;
  }
}
