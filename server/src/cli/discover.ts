/**
 * Which files `vzlint DIR` and `vzlint 'GLOB'` lint: every config kind vzctl knows, wherever it sits
 * (a node's /etc/vz, a backup folder, a repository's `files/ct/101.conf`, an Ansible role's
 * `templates/101.conf.j2`).
 */
import { readdirSync, type Dirent } from 'node:fs';
import { lstat, open, readdir, stat } from '../util/fsAsync';
import path from 'node:path';
import type FastGlob from 'fast-glob';
import { getCatalog } from '../catalog/load';
import { isTemplateName, stripTemplateExtension, TEMPLATE_EXTENSIONS } from '../parser/template';
import { addConfDirName, decimalStem, type ConfDirNames } from '../service/nodeFiles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How a file name is taken in a directory search:
 * - `config`: a config file by its name alone (`vz.conf`, `sysconfig/vz`, `conf/CTID.conf`,
 *   `0.conf[.ARCH]`, `ve.conf`, `ve-*.conf-sample[.ARCH]`, and each of these with a template extension);
 * - `candidate`: a config file if its content confirms it ({@link looksLikeConfig}): `CTID.conf`
 *   outside a `conf/` folder, and any `*.conf.<template extension>` (ISPConfig's `openvz.conf.tpl`);
 * - undefined: not searched for.
 */
export type NameClass = 'config' | 'candidate' | undefined;

/** Classifies a (relative or absolute) path; see {@link NameClass}. */
export function classifyConfigName(filePath: string): NameClass {
  const norm = filePath.includes('\\') ? filePath.replace(/\\/g, '/') : filePath;
  const template = isTemplateName(norm);
  const inner = template ? stripTemplateExtension(norm) : norm;
  // The last two components (a node's conf/ folder has thousands of files: no split of the whole path).
  const cut = inner.lastIndexOf('/');
  const base = inner.slice(cut + 1);
  const parent = cut > 0 ? inner.slice(inner.lastIndexOf('/', cut - 1) + 1, cut) : '';
  return classifyParts(base, parent, template);
}

/**
 * {@link classifyConfigName} of `folder/name` for a name (no `/` or `\`) in a folder whose last component
 * is `parent` (`''` for the root): the same answer, without building the path (a directory search calls it
 * for every file of a folder with the folder's name computed once).
 */
function classifyInFolder(name: string, parent: string): NameClass {
  // `DIGITS.conf`, what a node's conf/ folder holds thousands of: answered from its characters (the
  // same answer as classifyParts: `0.conf` is a config anywhere, any other number one in conf/).
  if (name.endsWith('.conf') && decimalStem(name, name.length - 5) !== undefined) return parent === 'conf' || name === '0.conf' ? 'config' : 'candidate';
  const template = isTemplateName(name);
  return classifyParts(template ? stripTemplateExtension(name) : name, parent, template);
}

/** The end of {@link classifyConfigName}: `base` is the name without its template extension, `parent` its folder's name. */
function classifyParts(base: string, parent: string, template: boolean): NameClass {
  if (base === 'vz.conf' || base === 've.conf') return 'config';
  if (base === 'vz' && parent === 'sysconfig') return 'config';
  if (/^0\.conf(\.[A-Za-z0-9_]+)?$/.test(base)) return 'config';
  if (/^ve-.+\.conf-sample(\.[A-Za-z0-9_]+)?$/.test(base)) return 'config';
  if (base.endsWith('.conf')) {
    const stem = base.slice(0, -'.conf'.length);
    if (/^\d+$/.test(stem) || UUID.test(stem)) return parent === 'conf' ? 'config' : 'candidate';
    if (template) return 'candidate';
  }
  return undefined;
}

/** Whether a directory search takes the path by its name alone (see {@link classifyConfigName}). */
export function isConfigFileName(filePath: string): boolean {
  return classifyConfigName(filePath) === 'config';
}

/** Bytes read from a candidate to confirm it by content. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Whether a text looks like an OpenVZ / Virtuozzo config: at least two assignment lines (`KEY=…`,
 * leading blanks allowed) whose keys are parameters vzctl knows (any generation), e.g. `ONBOOT` and
 * `PHYSPAGES`, and no NUL byte (a tar or cpio archive of /etc/vz holds such lines between binary
 * headers: it is not a config, and `--fix` would corrupt it). Only the first 64 KiB are looked at.
 */
export function looksLikeConfig(text: string): boolean {
  const head = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  if (head.includes('\0')) return false;
  const catalog = getCatalog();
  const seen = new Set<string>();
  for (const m of head.matchAll(/^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm)) {
    const key = m[1] as string;
    if (catalog.parameter(key)) seen.add(key);
    if (seen.size >= 2) return true;
  }
  return false;
}

async function sniff(absPath: string): Promise<string> {
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

const TEMPLATE_GLOB = `{${TEMPLATE_EXTENSIONS.join(',')}}`;

/** The names that pre-select candidates under a directory, as globs ({@link discoveryName} matches them without a glob library; the tests compare the two); {@link classifyConfigName} decides. */
export const DISCOVERY_PATTERNS = [
  '**/vz.conf', '**/vz', '**/*.conf', '**/0.conf.*', '**/ve-*.conf-sample', '**/ve-*.conf-sample.*',
  `**/*.conf.${TEMPLATE_GLOB}`, `**/*.conf-sample.${TEMPLATE_GLOB}`,
];

export const IGNORE = ['**/node_modules/**', '**/.git/**'];

/** fast-glob, loaded on the first search, not at start (one file needs no globbing). */
function fastGlob(): typeof FastGlob {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('fast-glob') as typeof FastGlob;
}

/**
 * The regular files matching `patterns` under `cwd`, as fast-glob returns them (relative unless a pattern
 * is absolute), including symbolic links to regular files (on Virtuozzo 7 every `conf/CTID.conf` is a link
 * to the container's `ve.conf`), but never descending through a link to a folder: a link loop
 * (`a/up -> ..`) would otherwise list every file once per level until the kernel's ELOOP, each under
 * another name. A dangling link, or one to a FIFO, a device or a folder, is passed to `onSkip` and left out.
 */
async function globRegularFiles(patterns: string | string[], options: FastGlob.Options & { cwd: string }, onSkip?: (rel: string, why: string) => void): Promise<string[]> {
  const entries = await fastGlob()(patterns, { ...options, onlyFiles: false, followSymbolicLinks: false, objectMode: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.dirent.isFile()) out.push(e.path);
    else if (e.dirent.isSymbolicLink()) {
      try {
        if ((await stat(path.resolve(options.cwd, e.path))).isFile()) out.push(e.path);
        else onSkip?.(e.path, 'a symbolic link to something that is not a regular file');
      } catch (err) {
        onSkip?.(e.path, `a symbolic link that cannot be followed (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'dangling' : ((err as NodeJS.ErrnoException).code ?? 'error')})`);
      }
    }
  }
  return out;
}

/**
 * Finds the config files under `dir` (recursively, links to folders not followed, links to files
 * taken (see {@link globRegularFiles}), `node_modules` and `.git`
 * skipped; a sub-folder that cannot be read is passed to `onError`): names that are configs by themselves, and candidates confirmed by content. Returned as
 * `dir` joined with the path found, sorted. An unreadable candidate is skipped.
 *
 * @param dir        the directory as the user gave it (used for the reported paths)
 * @param absDir     the same directory resolved to an absolute path (searched)
 * @param onListing  given each folder listed (its absolute path) with its samples and CTID.conf names
 *   (`confDirListing` then need not list a node's conf/ folder again)
 * @param sync       list each folder synchronously (`vzlint`, which has nothing else to do meanwhile: each
 *   listing then costs no hand-over to libuv's thread pool and back); the language server lists asynchronously
 */
export async function discoverConfigFiles(
  dir: string,
  absDir: string,
  onError?: (folder: string, err: NodeJS.ErrnoException) => void,
  onSkip?: (file: string, why: string) => void,
  onListing?: (folder: string, names: ConfDirNames) => void,
  sync = false,
): Promise<string[]> {
  const found = await walkNames(absDir, onError, (rel, why) => {
    if (why === NOT_UTF8 || classifyConfigName(path.join(absDir, rel)) !== undefined) onSkip?.(path.join(dir, rel), why);
  }, onListing, sync);
  const out: string[] = [];
  // The reported path, `path.join(dir, rel)`: `dir` normalised once, then `rel` (names from readdir, never
  // `.` or `..`, joined by `/`) appended; Windows separators go through path.join.
  const joined = path.join(dir);
  const shown = joined.length > 1 && joined.endsWith(path.sep) ? joined.slice(0, -1) : joined;
  const shownPrefix = shown === '.' ? '' : shown === path.sep ? shown : `${shown}${path.sep}`;
  const reported = (rel: string): string => (path.sep === '/' ? `${shownPrefix}${rel}` : path.join(dir, rel));
  for (const rel of found.configs) out.push(reported(rel));
  for (const rel of found.candidates) {
    try {
      if (!looksLikeConfig(await sniff(path.join(absDir, rel)))) continue;
    } catch {
      continue;
    }
    out.push(reported(rel));
  }
  // The default order is compareStrings' (UTF-16 code units), without a call of it per comparison.
  return out.sort();
}

/** The template extensions of {@link DISCOVERY_PATTERNS}, as the end of a name (case-sensitive, as the globs). */
const TEMPLATE_END = new RegExp(`\\.conf(-sample)?\\.(${TEMPLATE_EXTENSIONS.join('|')})$`);

/**
 * Whether a file name (no folder) matches one of {@link DISCOVERY_PATTERNS}: `vz.conf`, `vz`, `*.conf`,
 * `0.conf.*`, `ve-*.conf-sample`, `ve-*.conf-sample.*`, `*.conf.EXT`, `*.conf-sample.EXT` (EXT a template
 * extension); never a name starting with a dot (the globs do not match those).
 */
function discoveryName(name: string): boolean {
  if (name.startsWith('.')) return false;
  return name === 'vz' || name.endsWith('.conf') || name.startsWith('0.conf.') || (name.startsWith('ve-') && /\.conf-sample(\.|$)/.test(name)) || TEMPLATE_END.test(name);
}

/**
 * Why a file or folder whose name is not valid UTF-8 is not linted: Node hands vzlint every file name
 * decoded as UTF-8, each invalid byte replaced by U+FFFD, and the name so decoded opens nothing.
 */
export const NOT_UTF8 = 'its name is not valid UTF-8, which vzlint cannot open (rename it, or lint it from standard input: vzlint - < FILE)';

/** The same for a PATH named on the command line that is not found and may be such a name. */
export const MAYBE_NOT_UTF8 = 'if its name has bytes that are not UTF-8, vzlint cannot open it (rename it, or lint it from standard input: vzlint - < FILE)';

/** Whether `p` exists (lstat: a dangling link exists). */
async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * {@link walkNames}' loop over one folder's `entries` from `from`, for the entries that need no await: each
 * file or link goes into `names` (when listed), names starting with a dot and other names that are not
 * {@link discoveryName}s are passed over, a regular file is `take`n with its class, a named pipe, socket or
 * device is passed to `onSkip`. Stops at the first entry that needs an await (a folder, a link with a
 * discovery name, a name with U+FFFD that may not open) and returns its index, after adding it to `names`;
 * `entries.length` when none is left. A plain function: its loop over a conf/ folder of 10,000 files was
 * optimised (on-stack) as part of the async walk, with every await of it, ~40-150 ms of V8's compiler.
 */
function plainEntries(entries: readonly Dirent[], from: number, rel: string, names: ConfDirNames | undefined, classOf: (name: string) => NameClass, take: (relPath: string, cls: NameClass) => void, onSkip: (rel: string, why: string) => void): number {
  for (let i = from; i < entries.length; i += 1) {
    const e = entries[i] as Dirent;
    const name = e.name;
    if (names && (e.isFile() || e.isSymbolicLink())) addConfDirName(names, name);
    if (name.startsWith('.')) continue;
    if (e.isDirectory() || (name.includes('\uFFFD') && discoveryName(name))) return i;
    if (!discoveryName(name)) continue;
    if (e.isSymbolicLink()) return i;
    const relPath = rel === '' ? name : `${rel}/${name}`;
    if (e.isFile()) take(relPath, classOf(name));
    else onSkip(relPath, `${e.isFIFO() ? 'a named pipe' : e.isSocket() ? 'a socket' : 'a device'}, not a regular file`);
  }
  return entries.length;
}

/**
 * The files under `absDir` whose names match {@link DISCOVERY_PATTERNS}, as paths relative to it (`/`
 * separated) split by {@link classifyConfigName} into configs by name and candidates (others left out), the way `fast-glob` finds them with the options of {@link globRegularFiles} (folders whose
 * names start with a dot, `node_modules` and `.git` not entered, links to folders not followed, a link to a
 * regular file taken, any other link passed to `onSkip`, a sub-folder that cannot be read passed to
 * `onError`; a named pipe, socket or device with such a name, and a folder named as a config file
 * (`conf/101.conf/`), are passed to `onSkip` too), without matching every name against every pattern: on a node's conf/ folder of 10,000
 * containers that took a third of vzlint's run. Each folder listed is passed to `onListing` with its
 * {@link ConfDirNames} (every entry that is a file or a link, whatever its name).
 */
async function walkNames(absDir: string, onError: ((folder: string, err: NodeJS.ErrnoException) => void) | undefined, onSkip: (rel: string, why: string) => void, onListing?: (folder: string, names: ConfDirNames) => void, sync = false): Promise<{ configs: string[]; candidates: string[] }> {
  /** Files that are configs by name, and candidates (see {@link NameClass}); names of neither class are left out. */
  const configs: string[] = [];
  const candidates: string[] = [];
  const take = (relPath: string, cls: NameClass): void => {
    if (cls === 'config') configs.push(relPath);
    else if (cls === 'candidate') candidates.push(relPath);
  };
  const walk = async (abs: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = sync ? readdirSync(abs, { withFileTypes: true }) : await readdir(abs, { withFileTypes: true });
    } catch (err) {
      if (abs !== absDir) onError?.(abs, err as NodeJS.ErrnoException);
      return;
    }
    // Each file's class (classifyConfigName of `abs/name`) from its name and this folder's name, computed
    // once; a folder or name with a backslash (read as a separator there) takes the whole path.
    const bare = !abs.includes('\\');
    const parent = bare ? abs.slice(abs.lastIndexOf('/') + 1) : '';
    const classOf = (name: string): NameClass => (bare && !name.includes('\\') ? classifyInFolder(name, parent) : classifyConfigName(path.join(abs, name)));
    const names: ConfDirNames | undefined = onListing ? { samples: [], containerNames: [] } : undefined;
    if (names) onListing?.(abs, names);
    // The entries that need no await (files, most of a folder) in a plain loop of its own (plainEntries);
    // the others one by one here, in the listing's order.
    for (let i = plainEntries(entries, 0, rel, names, classOf, take, onSkip); i < entries.length; i = plainEntries(entries, i + 1, rel, names, classOf, take, onSkip)) {
      const e = entries[i] as Dirent;
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      // Node decodes names as UTF-8, a byte that is not becoming U+FFFD: such a name opens nothing. Said,
      // not reported later as missing (a fleet's host folder was 'skipped, cannot read it: no such file').
      if (e.name.includes('\uFFFD') && (e.isDirectory() || discoveryName(e.name)) && !(await exists(path.join(abs, e.name)))) {
        onSkip(relPath, NOT_UTF8);
        continue;
      }
      if (e.isDirectory()) {
        // A folder where a config file belongs (conf/101.conf): said, and searched as any folder.
        if (discoveryName(e.name) && classifyConfigName(`${abs}/${e.name}`) === 'config') onSkip(relPath, 'a directory, not a config file');
        if (e.name !== 'node_modules') await walk(path.join(abs, e.name), relPath);
        continue;
      }
      if (!discoveryName(e.name)) continue;
      if (e.isFile()) take(relPath, classOf(e.name));
      else if (!e.isSymbolicLink()) onSkip(relPath, `${e.isFIFO() ? 'a named pipe' : e.isSocket() ? 'a socket' : 'a device'}, not a regular file`);
      else {
        try {
          if ((await stat(path.join(abs, e.name))).isFile()) take(relPath, classOf(e.name));
          else onSkip(relPath, 'a symbolic link to something that is not a regular file');
        } catch (err) {
          onSkip(relPath, `a symbolic link that cannot be followed (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'dangling' : ((err as NodeJS.ErrnoException).code ?? 'error')})`);
        }
      }
    }
  };
  await walk(absDir, '');
  return { configs, candidates };
}

/**
 * Splits the files a glob pattern matched (relative to `cwd`, as {@link expandGlob} returns them) into
 * those to lint and those that are clearly not configs: a match is linted when its name is a config or a
 * candidate name ({@link classifyConfigName}) or a template's, or when its first 64 KiB look like a config
 * ({@link looksLikeConfig}: two parameters vzctl knows), as `vzlint DIR` confirms candidates; a file that
 * cannot be read is kept (the lint then says why). A file named on the command line is never skipped.
 * `corpus/**` skips README.md, SOURCES.md and MANIFEST.json, and keeps every config of any name.
 */
export async function splitGlobMatches(matched: readonly string[], cwd: string): Promise<{ configs: string[]; skipped: string[] }> {
  const configs: string[] = [];
  const skipped: string[] = [];
  for (const rel of matched) {
    const abs = path.resolve(cwd, rel);
    if (classifyConfigName(abs) !== undefined || isTemplateName(abs)) {
      configs.push(rel);
      continue;
    }
    let text: string | undefined;
    try {
      text = await sniff(abs);
    } catch {
      text = undefined;
    }
    (text === undefined || looksLikeConfig(text) ? configs : skipped).push(rel);
  }
  return { configs, skipped };
}

/** Whether a command-line PATH is a glob pattern (`*`, `?`, `[…]`, `{a,b}`, `**`). */
export function isGlob(arg: string): boolean {
  return fastGlob().isDynamicPattern(arg);
}

/**
 * Expands a glob pattern relative to `cwd` (absolute patterns stay absolute): the regular files it
 * matches, whatever their names (as ESLint does), links to files included and links to folders not
 * followed ({@link globRegularFiles}), `node_modules` and `.git` skipped, sorted.
 */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const found = await globRegularFiles(pattern.replace(/\\/g, '/'), { cwd, ignore: IGNORE, unique: true, suppressErrors: true, dot: false });
  return found.sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
