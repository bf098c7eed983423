/**
 * Where a container config's node lives on disk, found as vzctl does; shared by `vzlint` and the
 * language server so both see the same node. The only module of the engine that touches the file system.
 *
 * vzctl reads `/etc/vz/vz.conf` and then `/etc/vz/conf/CTID.conf` (classic `reread_vps_config`; very old
 * releases used `/etc/sysconfig/vz` and `/etc/sysconfig/vz-scripts/CTID.conf`). So for
 * `<dir>/conf/<file>` the node config is `<dir>/vz.conf`. Outside such a layout (a repository that keeps
 * configs elsewhere) the nearest `vz.conf` of the same tree is used: the file's own folder, then each
 * parent up to a stop folder (the workspace folder, or the directory given to vzlint).
 */
import { readdir, stat } from '../util/fsAsync';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { BoundedReadError, decodeUtf8, readFileBounded } from '../util/boundedRead';
import { MAX_FILE_BYTES } from '../limits';
import { joinName } from '../util/paths';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The base name of a path, with `/` or `\` separators. */
function baseName(p: string): string {
  const norm = p.includes('\\') ? p.replace(/\\/g, '/') : p;
  return norm.slice(norm.lastIndexOf('/') + 1);
}

/**
 * The container ID of a `CTID.conf` path: a decimal number other than 0 (CT0 is the host) or a UUID
 * (Virtuozzo 7). Undefined for `vz.conf`, `0.conf`, samples and anything else: those are not containers.
 */
export function ctidOf(filePath: string): string | undefined {
  // `NAME.conf` with NAME not empty, read with string calls (no regular expression, no match array: this
  // runs several times for each file of a fleet); the digits and UUID tests reject a NAME with a line break,
  // as `^(.+)\.conf$` did.
  if (!filePath.endsWith('.conf')) return undefined;
  const base = baseName(filePath);
  if (base.length <= 5) return undefined;
  const number = decimalStem(base, base.length - 5);
  if (number !== undefined) return number === 'zeros' ? undefined : base.slice(0, -5);
  const stem = base.slice(0, -5);
  return UUID.test(stem) ? stem : undefined;
}

/**
 * What the first `end` characters of `s` are as a number: `'number'` (decimal digits, not all `0`),
 * `'zeros'` (only `0`s), or undefined (none, or another character). Read in place, without a slice: the
 * stem of `CTID.conf` ({@link ctidOf}), asked for every file of a node's conf/ folder.
 */
export function decimalStem(s: string, end: number): 'number' | 'zeros' | undefined {
  if (end <= 0) return undefined;
  let zeros = true;
  for (let i = 0; i < end; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    if (c !== 48) zeros = false;
  }
  return zeros ? 'zeros' : 'number';
}

/** The sample name of `ve-NAME.conf-sample` (what CONFIGFILE / ORIGIN_SAMPLE name), else undefined. */
export function sampleNameOf(filePath: string): string | undefined {
  return /^ve-(.+)\.conf-sample$/.exec(baseName(filePath))?.[1];
}

/** Whether the path names a node config: `vz.conf` or the pre-3.0 `sysconfig/vz`. */
export function isNodeConfigName(filePath: string): boolean {
  // Both names end in `vz` or `vz.conf`: most paths are answered without the normalised copy.
  if (!filePath.endsWith('vz') && !filePath.endsWith('vz.conf')) return false;
  const norm = filePath.replace(/\\/g, '/');
  return baseName(norm) === 'vz.conf' || /(^|\/)sysconfig\/vz$/.test(norm);
}

/**
 * The node configs that may belong to `filePath`, best first: `<dir>/vz.conf` for a file in
 * `<dir>/conf/` (`<dir>/vz` for `<dir>/vz-scripts/`), then `vz.conf` in the file's folder and in each
 * parent folder up to `stopAt` (inclusive; without `stopAt` only the file's own folder).
 * A node config is its own node: the result for `vz.conf` is empty.
 *
 * @param filePath  absolute path of a config file
 * @param stopAt    absolute folder where the upward search ends (workspace folder, vzlint's directory argument)
 */
export function nodeConfigCandidates(filePath: string, stopAt?: string): string[] {
  if (isNodeConfigName(filePath)) return [];
  const out: string[] = [];
  const dir = path.dirname(filePath);
  const dirBase = path.basename(dir);
  if (dirBase === 'conf') out.push(path.join(path.dirname(dir), 'vz.conf'));
  if (dirBase === 'vz-scripts') out.push(path.join(path.dirname(dir), 'vz'));
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  let cur = dir;
  for (let i = 0; i < 64; i += 1) {
    const candidate = path.join(cur, 'vz.conf');
    if (!out.includes(candidate)) out.push(candidate);
    if (!stop || cur === stop || !isInside(cur, stop)) break;
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return out;
}

/** Whether `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder holding a node's container configs: `conf/` beside `vz.conf` (`vz-scripts/` beside `sysconfig/vz`). */
export function confDirOf(nodeConfigPath: string): string {
  return path.join(path.dirname(nodeConfigPath), path.basename(nodeConfigPath) === 'vz' ? 'vz-scripts' : 'conf');
}

/** Text of open editor buffers by absolute path; they win over the disk. */
export type Overlay = ReadonlyMap<string, string>;

/** Time bound of one read of a node's file, in milliseconds. */
export const NODE_FILE_TIMEOUT_MS = 5_000;

const cache = new Map<string, { mtimeMs: number; size: number; text: string; sizeBytes: number }>();

/** Forgets cached file texts (all, or one path), e.g. on `workspace/didChangeWatchedFiles`. */
export function invalidateFileCache(filePath?: string): void {
  if (filePath === undefined) cache.clear();
  else cache.delete(filePath);
}

/** A config file's text as read from disk, with its size in bytes (the size limit is judged on the bytes). */
export interface DiskText {
  text: string;
  /**
   * The file's size in bytes as read (for `LintOptions.sizeBytes`): each invalid UTF-8 byte decodes to
   * U+FFFD, three bytes of UTF-8, so the text's UTF-8 length can exceed the file's.
   */
  sizeBytes: number;
}

/**
 * A config file's text from disk, read with {@link readFileBounded}: only a regular file on a real file
 * system (never a FIFO, device or /proc file), at most {@link MAX_FILE_BYTES} (as vzlint reads), within
 * {@link NODE_FILE_TIMEOUT_MS}; UTF-8 with replacement, BOM kept.
 *
 * @returns the text and its size in bytes, or the reason it was not read (a file beyond the limit:
 *   code 'too-large' with its `sizeBytes`)
 */
export async function readConfigFile(filePath: string): Promise<DiskText | { error: BoundedReadError }> {
  try {
    const bytes = await readFileBounded(filePath, { maxBytes: MAX_FILE_BYTES, timeoutMs: NODE_FILE_TIMEOUT_MS });
    return { text: decodeUtf8(bytes), sizeBytes: bytes.length };
  } catch (e) {
    return { error: e instanceof BoundedReadError ? e : new BoundedReadError(filePath, 'io', `cannot read (${(e as Error).message})`) };
  }
}

/**
 * A file's text: from `overlay` when open in the editor (no `sizeBytes`: the size limit is judged on its
 * text), else from disk with {@link readConfigFile} (cached while size and mtime stay the same). Undefined
 * when it is not a readable config file.
 */
export async function readConfigText(filePath: string, overlay?: Overlay): Promise<{ text: string; sizeBytes?: number } | undefined> {
  const open = overlay?.get(filePath);
  if (open !== undefined) return { text: open };
  try {
    const st = await stat(filePath);
    if (!st.isFile()) return undefined;
    const hit = cache.get(filePath);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { text: hit.text, sizeBytes: hit.sizeBytes };
    const r = await readConfigFile(filePath);
    if ('error' in r) return undefined;
    cache.set(filePath, { mtimeMs: st.mtimeMs, size: st.size, text: r.text, sizeBytes: r.sizeBytes });
    return r;
  } catch {
    return undefined;
  }
}

/**
 * The node config of `filePath`: the first of {@link nodeConfigCandidates} that is open or exists as anything
 * but a folder (one that cannot be read, a named pipe or a file without read permission, is the caller's
 * to report: vzctl would read it). Undefined when none is found: vzctl's built-in defaults apply then
 * (DISK_QUOTA=yes …).
 */
export async function findNodeConfig(filePath: string, options: { stopAt?: string; overlay?: Overlay } = {}): Promise<string | undefined> {
  for (const candidate of nodeConfigCandidates(filePath, options.stopAt)) {
    if (options.overlay?.has(candidate)) return candidate;
    try {
      // Anything but a folder: a vz.conf that cannot be read (a named pipe, no permission) is reported, not passed over.
      if (!(await stat(candidate)).isDirectory()) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return undefined;
}

/** What a node's conf/ folder holds. */
export interface ConfDirListing {
  /** Absolute paths of the `CTID.conf` files (numeric other than 0, or UUID), sorted. */
  containers: string[];
  /**
   * Names of the `ve-NAME.conf-sample` files, sorted; undefined when there is none (then the folder
   * tells nothing about samples: a repository often keeps only the CT configs).
   */
  samples?: string[];
}

/**
 * Lists the containers and samples of a conf/ folder from disk, plus open buffers in that folder
 * (an unsaved new `102.conf` counts). A missing folder gives empty lists.
 */
export async function listConfDir(confDir: string, overlay?: Overlay): Promise<ConfDirListing> {
  const names = new Set<string>();
  try {
    for (const d of await readdir(confDir, { withFileTypes: true })) if (d.isFile() || d.isSymbolicLink()) names.add(d.name);
  } catch {
    // no such folder
  }
  for (const p of overlay?.keys() ?? []) if (path.dirname(p) === confDir) names.add(path.basename(p));
  const containers = [...names].filter((n) => ctidOf(n) !== undefined).sort().map((n) => path.join(confDir, n));
  const samples = [...names].map((n) => sampleNameOf(n)).filter((n): n is string => n !== undefined).sort();
  return samples.length > 0 ? { containers, samples } : { containers };
}

/**
 * What a listing of a folder holds for {@link confDirListing}: the names of its `ve-NAME.conf-sample` files
 * (NAME, as {@link sampleNameOf}) and of its `CTID.conf` files (as {@link ctidOf}), files or symbolic links,
 * in the listing's order. A directory search fills it as it lists each folder ({@link addConfDirName}), so
 * that a node's conf/ folder of 10,000 files is not listed a second time.
 */
export interface ConfDirNames {
  samples: string[];
  containerNames: string[];
}

/** Adds a folder entry that is a file or a symbolic link, named `name`, to `names` (see {@link ConfDirNames}). */
export function addConfDirName(names: ConfDirNames, name: string): void {
  // A sample ends in `.conf-sample`, a container in `.conf`: most names are answered by their end.
  if (name.endsWith('.conf')) {
    // `DIGITS.conf` read in place (ctidOf copies the name's base and stem): a container unless all zeros.
    const number = decimalStem(name, name.length - 5);
    if (number === 'number' || (number === undefined && ctidOf(name) !== undefined)) names.containerNames.push(name);
  } else if (name.endsWith('.conf-sample')) {
    const sample = sampleNameOf(name);
    if (sample !== undefined) names.samples.push(sample);
  }
}

/**
 * The `samples` of {@link listConfDir} (no open buffers) from one listing of the folder, a function that
 * gives the paths of its CTID.conf files (vzlint has its files already: it compares them, and only when a
 * suppression comment names a node-level rule, NodeLinter `nodeContainers`: a node's 10,000 paths are not
 * kept through its whole lint for nothing), and the error of a folder that exists but cannot be listed (a
 * missing folder, or a file where it would be: no error, no samples, no paths). `listed`: the folder's
 * names as a directory search found them ({@link ConfDirNames}), instead of listing it again.
 */
export async function confDirListing(confDir: string, listed?: ConfDirNames): Promise<{ samples?: string[]; containerPaths?: () => string[]; error?: NodeJS.ErrnoException }> {
  let names = listed;
  if (names === undefined) {
    let entries: Dirent[];
    try {
      entries = await readdir(confDir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? {} : { error: err as NodeJS.ErrnoException };
    }
    names = { samples: [], containerNames: [] };
    for (const d of entries) if (d.isFile() || d.isSymbolicLink()) addConfDirName(names, d.name);
  }
  const containerNames = names.containerNames;
  // The CTID.conf files (paths): whether vzlint was given all of them (NodeLinter `nodeContainers`).
  // joinName's answer is `confDir/NAME` for every such name when it is for the first one (a normal
  // absolute folder): not asked again for each of 10,000.
  const containerPaths = (): string[] => {
    const first = containerNames[0];
    const plain = first !== undefined && joinName(confDir, first) === `${confDir}/${first}`;
    return containerNames.map(plain ? (n) => `${confDir}/${n}` : (n) => joinName(confDir, n));
  };
  return { ...(names.samples.length > 0 ? { samples: [...names.samples].sort() } : {}), containerPaths };
}

/** Everything `lintNode` needs about one node, read from disk and open buffers. */
export interface NodeFiles {
  /** `sizeBytes`: read from disk (see {@link DiskText}); absent for an open buffer. */
  nodeConfig?: { path: string; text: string; sizeBytes?: number };
  /** Files checked with the node: CTID.conf of the conf/ folder, plus the file asked about. */
  containers: { path: string; text: string; sizeBytes?: number }[];
  samples?: string[];
}

/**
 * Gathers the node of `filePath` for the language server: its node config (`nodeConfigPath` when the
 * `vzconf.nodeConfig` setting names one, else found by {@link findNodeConfig}), every CTID.conf in the
 * same conf/ folder (the file's own folder; for a vz.conf, the conf/ beside it) and the sample names there.
 * `filePath` itself is always included (with its overlay text).
 */
export async function loadNodeFiles(filePath: string, options: { stopAt?: string; overlay?: Overlay; nodeConfigPath?: string } = {}): Promise<NodeFiles> {
  const isNode = isNodeConfigName(filePath) && options.nodeConfigPath === undefined;
  const nodePath = isNode ? filePath : (options.nodeConfigPath ?? (await findNodeConfig(filePath, options)));
  const out: NodeFiles = { containers: [] };
  if (nodePath !== undefined) {
    const read = await readConfigText(nodePath, options.overlay);
    if (read !== undefined) out.nodeConfig = { path: nodePath, ...read };
  }
  const confDir = isNode ? confDirOf(filePath) : path.dirname(filePath);
  const listing = await listConfDir(confDir, options.overlay);
  if (listing.samples) out.samples = listing.samples;
  const paths = isNode || listing.containers.includes(filePath) ? listing.containers : [...listing.containers, filePath];
  for (const p of paths) {
    if (p === out.nodeConfig?.path) continue;
    const read = await readConfigText(p, options.overlay);
    if (read !== undefined) out.containers.push({ path: p, ...read });
  }
  return out;
}
