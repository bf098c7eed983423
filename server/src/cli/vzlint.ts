import { readdir as readdirCb } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type FastGlob from 'fast-glob';
import { version } from '../../../package.json';
import { parseKind } from '../model/kind';
import { parseTargetSetting } from '../model/target';
import { findConfigFile, loadConfigFile, ConfigFileError, type ConfigFileSettings } from '../service/config';
import { OptionError } from '../service/lint';
import { lintNode, parseCapacitySize, type NodeFile } from '../service/node';
import { confDirOf, findNodeConfig, isInside, isNodeConfigName, listConfDir } from '../service/nodeFiles';
import type { NodeCapacity } from '../rules/types';
import { getCatalog } from '../catalog/load';
import { editDistance } from '../rules/util';
import type { Severity } from '../catalog/types';
import { MAX_FILE_BYTES } from '../limits';
import { BoundedReadError, readTextBounded } from '../util/boundedRead';
import { escapeControls } from '../util/escape';
import { formatJson, formatMemoryTable, formatStylish, type FileReport, type MemoryTable } from './format';

/** Where `runVzlint` writes and resolves paths. Every string written already ends with its newline. */
export interface VzlintIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Relative PATHs are resolved against this folder (they are still reported as given). */
  cwd: string;
  /** Whether stdout is a terminal; stylish output is coloured only then. Default false. */
  isTTY?: boolean;
  /** Environment read for `NO_COLOR`. Default: none (so no `NO_COLOR`). */
  env?: Record<string, string | undefined>;
}

/** Exit codes of vzlint. */
export const EXIT = {
  /** No error-severity finding. */
  ok: 0,
  /** At least one error-severity finding. */
  findings: 1,
  /** Usage error, missing path, unreadable file, or an internal failure. */
  failure: 2,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Glob patterns that pre-select candidates under a directory; {@link isConfigFileName} decides. */
const DISCOVERY_PATTERNS = ['**/vz.conf', '**/vz', '**/*.conf', '**/0.conf.*', '**/ve-*.conf-sample', '**/ve-*.conf-sample.*'];

/**
 * Whether a file found under a searched directory is an OpenVZ / Virtuozzo config file, by its
 * (absolute or relative) path:
 * `vz.conf`; `sysconfig/vz`; `CTID.conf` / `UUID.conf` directly inside a folder named `conf`;
 * `0.conf` (also with an arch suffix such as `0.conf.x86_64`), `ve.conf`, `ve-*.conf-sample` and
 * `ve-*.conf-sample.*` (arch variants) anywhere. Files named explicitly on the command line are
 * linted whatever their name; this only drives directory discovery.
 */
export function isConfigFileName(filePath: string): boolean {
  const norm = filePath.replace(/\\/g, '/');
  const parts = norm.split('/');
  const base = parts[parts.length - 1];
  const parent = parts.length > 1 ? parts[parts.length - 2] : '';
  if (base === 'vz.conf' || base === 've.conf') return true;
  if (base === 'vz' && parent === 'sysconfig') return true;
  if (/^0\.conf(\.[A-Za-z0-9_]+)?$/.test(base)) return true;
  if (/^ve-.+\.conf-sample(\..+)?$/.test(base)) return true;
  if (parent === 'conf' && base.endsWith('.conf')) {
    const stem = base.slice(0, -'.conf'.length);
    return /^\d+$/.test(stem) || UUID.test(stem);
  }
  return false;
}

/**
 * Finds the config files under `dir` (recursively, symlinks not followed, `node_modules` and `.git`
 * skipped), returned as `dir` joined with the path found, sorted.
 *
 * @param dir     the directory as the user gave it (used for the reported paths)
 * @param absDir  the same directory resolved to an absolute path (searched)
 */
export async function discoverConfigFiles(dir: string, absDir: string, onError?: (folder: string, err: NodeJS.ErrnoException) => void): Promise<string[]> {
  // fast-glob skips a folder it cannot read without a word (suppressErrors); its readdir is wrapped to hear of it.
  const fsAdapter = onError
    ? {
        readdir: ((p: string, opts: unknown, cb: (err: NodeJS.ErrnoException | null, res?: unknown) => void) => {
          readdirCb(p, opts as { withFileTypes: true }, (err, res) => {
            if (err && p !== absDir) onError(p, err);
            cb(err, res);
          });
        }) as unknown as typeof readdirCb,
      }
    : undefined;
  // Loaded on the first directory search, not at start (one file needs no globbing).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fg = require('fast-glob') as typeof FastGlob;
  const found = await fg(DISCOVERY_PATTERNS, {
    cwd: absDir,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**', '**/.git/**'],
    unique: true,
    suppressErrors: true,
    ...(fsAdapter ? { fs: fsAdapter } : {}),
  });
  return found
    .filter((rel) => isConfigFileName(path.join(absDir, rel)))
    .map((rel) => path.join(dir, rel))
    .sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Decodes file bytes as UTF-8, never failing: invalid sequences become U+FFFD, NUL bytes are kept,
 * and a leading byte-order mark is kept so that the `byte-order-mark` rule can report it.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    switch (e.code) {
      case 'ENOENT':
        return 'no such file or directory';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied';
      case 'EISDIR':
        return 'is a directory, not a file';
      case 'ENOTDIR':
        return 'not a directory';
      default:
        return `${e.code}: ${e.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

function buildProgram(io: VzlintIO): Command {
  return new Command()
    .name('vzlint')
    .description('Lint OpenVZ / Virtuozzo config files (vz.conf, CTID.conf, ve-*.conf-sample, 0.conf).')
    .addHelpText(
      'after',
      '\nA PATH that is a file is linted whatever its name. A directory is searched recursively\n' +
        '(symlinks not followed, node_modules and .git skipped) for vz.conf, sysconfig/vz,\n' +
        'conf/CTID.conf, conf/UUID.conf, 0.conf[.ARCH], ve.conf and ve-*.conf-sample[.ARCH].\n\n' +
        'Each container config is checked with its node config, found as vzctl does (conf/101.conf ->\n' +
        'vz.conf beside conf/; else the nearest vz.conf up to the directory given, or the current\n' +
        'folder for a file), or the one given with --node-config; without one, vzctl defaults apply.\n' +
        'Files of one node are also checked together (shared IP addresses, VE_PRIVATE/VE_ROOT, names,\n' +
        'memory against --node-ram/--node-swap). SIZE: bytes or a K/M/G/T suffix (64G, 512M).\n\n' +
        'Options also come from a .vzconf.yaml (the nearest one from each file upward, or --config):\n' +
        'target, kind, rules, knownParameters, ignoreSuppressions, nodeConfig, nodeRam, nodeSwap.\n' +
        'Flags win over the file, the file over the defaults; --rule is merged rule by rule and\n' +
        '--known-parameter adds to the list. An invalid .vzconf.yaml stops vzlint with status 2.\n\n' +
        'Exit status: 0 no error findings, 1 error findings, 2 usage or I/O error.',
    )
    .version(version, '-V, --version', 'print the vzlint version')
    .helpOption('-h, --help', 'show this help')
    .argument('<path...>', 'files or directories to lint')
    .option(
      '-t, --target <target>',
      'vzctl to check against: auto, classic, classic@<vzctl version> (e.g. classic@4.6), vz7, vz7@<libvzctl version> (e.g. vz7@8.0.70) or vz7@vzctl-<Virtuozzo vzctl version> (e.g. vz7@vzctl-7.0.254)',
      'auto',
    )
    .option('-k, --kind <kind>', 'file kind: auto (from name/content), node, container or ct0', 'auto')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('--node-config <path>', "the node's vz.conf to check every file with (default: found per file, as vzctl does)")
    .option('--node-ram <size>', 'node RAM for the memory check of all containers of a node (e.g. 64G)')
    .option('--node-swap <size>', 'node swap for the memory check (e.g. 8G)')
    .option('-r, --rule <id=level>', 'set a rule\'s severity (error, warning, info, hint) or turn it off; repeatable, e.g. --rule ignored-parameter=off', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--known-parameter <key>', 'a custom key that unknown-parameter accepts (letters, digits, _); repeatable (adds to knownParameters of .vzconf.yaml)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--ignore-suppressions', 'report findings silenced by "# vzconf-disable…" comments too (for audits)')
    .option('--no-suppressions', 'the same as --ignore-suppressions')
    .option('-c, --config <path>', 'read options from this .vzconf.yaml for every file (default: the nearest .vzconf.yaml from each file upward)')
    .option('--no-config', 'do not read any .vzconf.yaml')
    .option('-v, --verbose', 'list every file checked with its kind and target, also those without findings')
    .option('--explain', 'print the long explanation (why, versions, numbers) under each finding')
    .option('--no-color', 'disable colours (also off when stdout is not a terminal or NO_COLOR is set)')
    .showHelpAfterError('(run vzlint --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Commander's own errors ("error: unknown option '--x'") carry vzlint's prefix like every other error.
      outputError: (s, write) => write(escapeControls(s.replace(/^error: /, 'vzlint: ').replace(/\n$/, ''), { keepNewlines: true }) + '\n'),
    });
}

interface CliOptions {
  target: string;
  kind: string;
  format: 'stylish' | 'json';
  color: boolean;
  nodeConfig?: string;
  nodeRam?: string;
  nodeSwap?: string;
  rule: string[];
  knownParameter: string[];
  ignoreSuppressions?: boolean;
  suppressions: boolean;
  /** A path (`--config`), false (`--no-config`) or undefined (search upward). */
  config?: string | boolean;
  verbose?: boolean;
  explain?: boolean;
}

/**
 * Parses `--rule id=level` values against the catalogue.
 * @returns the overrides, or `{ error }` naming the bad value
 */
export function parseRuleOverrides(values: readonly string[]): Record<string, Severity | 'off'> | { error: string } {
  const out: Record<string, Severity | 'off'> = {};
  const catalog = getCatalog();
  for (const v of values) {
    const m = /^([a-z0-9-]+)=(error|warning|info|hint|off)$/.exec(v.trim());
    if (!m) return { error: `"${v}" is not RULE=LEVEL (LEVEL: error, warning, info, hint or off)` };
    const [, id = '', level] = m;
    if (!catalog.hasRule(id)) {
      const near = catalog.catalog.rules.map((r) => r.id).filter((r) => editDistance(id, r, 3) <= 3).slice(0, 3);
      return { error: `unknown rule "${id}"${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : ''} (see docs/rules/README.md)` };
    }
    out[id] = level as Severity | 'off';
  }
  return out;
}

/**
 * A config file's text through the shared bounded reader (`util/boundedRead.ts`): regular files only, no
 * FIFO, device or /proc file, within a time bound. A file beyond {@link MAX_FILE_BYTES} is not read: its
 * text is empty and `sizeBytes` makes the engine report one `file-too-large` finding.
 *
 * @returns the text, or `{ error }` with a phrase for the message (`is a named pipe, not a regular file`)
 */
async function readBounded(abs: string): Promise<{ text: string; sizeBytes?: number } | { error: string }> {
  try {
    return { text: await readTextBounded(abs, { maxBytes: MAX_FILE_BYTES }) };
  } catch (err) {
    if (err instanceof BoundedReadError) {
      if (err.code === 'too-large') {
        try {
          return { text: '', sizeBytes: Math.max((await stat(abs)).size, MAX_FILE_BYTES + 1) };
        } catch {
          return { text: '', sizeBytes: MAX_FILE_BYTES + 1 };
        }
      }
      return { error: err.detail };
    }
    return { error: errorText(err) };
  }
}

/** Node rules whose findings on a vz.conf that was not asked for are still printed (they are about the containers). */
const ACROSS_CONTAINERS = new Set(['shared-private-path', 'node-memory-overcommit']);

/** One node's files as vzlint lints them together. */
interface NodeGroup {
  /** Absolute path of the node config, if any. */
  nodePath?: string;
  /** Absolute paths of the other files. */
  files: string[];
  /** Folder whose ve-*.conf-sample files name the samples. */
  confDir: string;
}

/**
 * Runs vzlint with the given arguments (without `node` and the script name) and returns the exit
 * code; never calls `process.exit` and writes only through `io`.
 *
 * `vzlint [--target T] [--kind K] [--format stylish|json] [--node-config PATH] [--node-ram SIZE]
 * [--node-swap SIZE] [--no-color] PATH...`
 *
 * - Files are grouped into nodes: a node config (`vz.conf`) with the files that use it, found per file
 *   as vzctl does (`nodeFiles.ts`; the upward search stops at the directory argument, or at `cwd` for
 *   explicit files) or given with `--node-config`; each group goes through `lintNode` (container configs
 *   with their vz.conf, then the cross-container rules). Findings on a vz.conf that was not asked for are
 *   still printed when they are node-level ones, under the vz.conf's path (relative to `cwd` when inside).
 * - `--node-ram` / `--node-swap` (bytes or K/M/G/T suffix) enable the memory check and, in stylish
 *   mode, a memory table per node after the findings. JSON output stays one array of findings.
 *
 * - Explicit files are linted whatever their name; directories are searched (see
 *   {@link isConfigFileName}). All files are linted in sorted path order, each once.
 * - Files are decoded as UTF-8 with replacement (see {@link decodeUtf8}).
 * - `--format json` prints one array of `JsonFinding` (see `format.ts`); `stylish` is for humans.
 * - Returns 0 when no finding has error severity, 1 when one has, 2 on a usage error, a missing
 *   path or an unreadable file (after linting the other files).
 */
export async function runVzlint(argv: string[], given: VzlintIO): Promise<number> {
  // Every message on stderr may name a file or quote a setting: control characters are shown escaped
  // (line breaks between messages kept), so a file name cannot erase earlier lines or retitle the terminal.
  const io: VzlintIO = { ...given, stderr: (s: string) => given.stderr(escapeControls(s, { keepNewlines: true })) };
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.failure;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  const paths = program.args;

  const fromCli = (name: string): boolean => program.getOptionValueSource(name) === 'cli';
  const setting = parseTargetSetting(opts.target);
  if ('error' in setting) {
    io.stderr(`vzlint: --target: ${setting.error}\n`);
    return EXIT.failure;
  }
  const kind = parseKind(opts.kind);
  if (typeof kind === 'object') {
    io.stderr(`vzlint: --kind: ${kind.error}\n`);
    return EXIT.failure;
  }

  const parsedRules = parseRuleOverrides(opts.rule);
  if ('error' in parsedRules && typeof parsedRules.error === 'string') {
    io.stderr(`vzlint: --rule: ${parsedRules.error}\n`);
    return EXIT.failure;
  }
  const cliRules = parsedRules as Record<string, Severity | 'off'>;
  for (const k of opts.knownParameter) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      io.stderr(`vzlint: --known-parameter: "${k}" is not a parameter name (letters, digits and _, not starting with a digit)\n`);
      return EXIT.failure;
    }
  }
  if (opts.config === '') {
    io.stderr('vzlint: --config: the path is empty (give a .vzconf.yaml, or --no-config)\n');
    return EXIT.failure;
  }
  const cliIgnoreSuppressions = opts.ignoreSuppressions === true || opts.suppressions === false;

  /** Parses --node-ram / --node-swap (or nodeRam / nodeSwap of a .vzconf.yaml) into a capacity. */
  const parseCapacity = (ram: [string, string | undefined], swap: [string, string | undefined]): NodeCapacity | string => {
    const cap: NodeCapacity = {};
    for (const [[label, value], key] of [[ram, 'ramBytes'], [swap, 'swapBytes']] as const) {
      if (value === undefined || value === '') continue;
      const size = parseCapacitySize(value);
      if (typeof size === 'object') return `${label}: ${size.error}`;
      cap[key] = size;
    }
    return cap;
  };
  const cliCapacity = parseCapacity(['--node-ram', opts.nodeRam], ['--node-swap', opts.nodeSwap]);
  if (typeof cliCapacity === 'string') {
    io.stderr(`vzlint: ${cliCapacity}\n`);
    return EXIT.failure;
  }
  /** Node configs read up front (the same bounded reader as every file): absolute path -> text. */
  const nodeTexts = new Map<string, { text: string; sizeBytes?: number }>();
  const checkNodeConfig = async (label: string, given: string, abs: string): Promise<boolean> => {
    if (given === '') {
      io.stderr(`vzlint: ${label}: the path is empty\n`);
      return false;
    }
    const read = await readBounded(abs);
    if ('error' in read) {
      io.stderr(`vzlint: ${label}: ${given}: ${read.error}\n`);
      return false;
    }
    nodeTexts.set(abs, read);
    return true;
  };
  let nodeOverride: string | undefined;
  if (opts.nodeConfig !== undefined) {
    nodeOverride = path.resolve(io.cwd, opts.nodeConfig);
    if (!(await checkNodeConfig('--node-config', opts.nodeConfig, nodeOverride))) return EXIT.failure;
  }

  let failed = false;
  // Absolute path -> folder where the upward search for its vz.conf stops.
  const stopAt = new Map<string, string | undefined>();
  // Display path -> absolute path, each file once (the first display path wins).
  const files = new Map<string, string>();
  const seen = new Set<string>();
  const add = (display: string, abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.set(display, abs);
  };
  for (const given of paths) {
    const abs = path.resolve(io.cwd, given);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      io.stderr(`vzlint: ${given}: ${errorText(err)}\n`);
      failed = true;
      continue;
    }
    if (st.isDirectory()) {
      try {
        await readdir(abs);
      } catch (err) {
        io.stderr(`vzlint: ${given}: cannot read the directory: ${errorText(err)}\n`);
        failed = true;
        continue;
      }
      const found = await discoverConfigFiles(given, abs, (folder, err) => {
        const shown = isInside(folder, io.cwd) ? path.relative(io.cwd, folder) || '.' : folder;
        io.stderr(`vzlint: warning: ${shown}: folder skipped, cannot read it: ${errorText(err)}\n`);
      });
      if (found.length === 0) io.stderr(`vzlint: ${given}: no OpenVZ / Virtuozzo config files found in this directory\n`);
      for (const f of found) {
        const fileAbs = path.resolve(io.cwd, f);
        add(f, fileAbs);
        if (!stopAt.has(fileAbs)) stopAt.set(fileAbs, abs);
      }
    } else if (st.isFile()) {
      add(given, abs);
      if (!stopAt.has(abs)) stopAt.set(abs, isInside(abs, io.cwd) ? io.cwd : undefined);
    } else {
      // A named pipe, socket or device: the bounded reader says which, without opening it.
      const read = await readBounded(abs);
      io.stderr(`vzlint: ${given}: ${'error' in read ? read.error : 'not a regular file or directory'}\n`);
      failed = true;
    }
  }

  // Read every file once, bounded in size and time (a FIFO or /proc/kmsg is refused, never waited on).
  const texts = new Map<string, string>();
  const sizes = new Map<string, number>();
  const displayOf = new Map<string, string>();
  for (const display of [...files.keys()].sort(compareStrings)) {
    const abs = files.get(display) as string;
    const read = nodeTexts.get(abs) ?? (await readBounded(abs));
    if ('error' in read) {
      io.stderr(`vzlint: ${display}: ${read.error}\n`);
      failed = true;
      continue;
    }
    texts.set(abs, read.text);
    if (read.sizeBytes !== undefined) sizes.set(abs, read.sizeBytes);
    displayOf.set(abs, display);
  }
  const display = (abs: string): string => displayOf.get(abs) ?? (isInside(abs, io.cwd) ? path.relative(io.cwd, abs) : abs);

  // The .vzconf.yaml of each file: --config, else the nearest one upward (none with --no-config).
  const configs = new Map<string, ConfigFileSettings>();
  const configOf = new Map<string, string | undefined>();
  const explicitConfig = typeof opts.config === 'string' ? path.resolve(io.cwd, opts.config) : undefined;
  for (const abs of texts.keys()) {
    const cfg = explicitConfig ?? (opts.config === false ? undefined : await findConfigFile(path.dirname(abs)));
    configOf.set(abs, cfg);
    if (cfg === undefined || configs.has(cfg)) continue;
    try {
      configs.set(cfg, await loadConfigFile(cfg));
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      // Always name the file: as given to --config, else relative to the working directory (the
      // working directory itself has the empty relative path, so then the absolute one).
      const explicit = cfg === explicitConfig && typeof opts.config === 'string' && opts.config !== '';
      const shown = explicit ? (opts.config as string) : (isInside(err.path, io.cwd) ? path.relative(io.cwd, err.path) : '') || err.path;
      if (err.unreadable) io.stderr(`vzlint: ${explicit ? '--config: ' : ''}${shown}: cannot use it as configuration: ${err.detail}\n`);
      else io.stderr(`vzlint: ${shown}:${err.line + 1}:${err.character + 1}: invalid configuration: ${err.detail}\n`);
      return EXIT.failure;
    }
  }

  /** The options of one file: flags > its .vzconf.yaml > defaults. */
  interface FileOptions {
    target: string;
    kind: string;
    rules: Record<string, Severity | 'off'>;
    knownParameters: string[];
    ignoreSuppressions: boolean;
    nodeConfig?: string;
    capacity?: NodeCapacity;
  }
  const optionsOf = new Map<string | undefined, FileOptions>();
  for (const cfg of new Set(configOf.values())) {
    const file = cfg !== undefined ? (configs.get(cfg) ?? {}) : {};
    const capacity = parseCapacity(
      opts.nodeRam !== undefined ? ['--node-ram', opts.nodeRam] : [`${cfg}: nodeRam`, file.nodeRam],
      opts.nodeSwap !== undefined ? ['--node-swap', opts.nodeSwap] : [`${cfg}: nodeSwap`, file.nodeSwap],
    );
    if (typeof capacity === 'string') {
      io.stderr(`vzlint: ${capacity}\n`);
      return EXIT.failure;
    }
    let nodeConfig = nodeOverride;
    if (nodeConfig === undefined && file.nodeConfig !== undefined) {
      nodeConfig = file.nodeConfig;
      if (!(await checkNodeConfig(`${cfg}: nodeConfig`, file.nodeConfig, nodeConfig))) return EXIT.failure;
    }
    const o: FileOptions = {
      target: fromCli('target') ? opts.target : (file.target ?? opts.target),
      kind: fromCli('kind') ? opts.kind : (file.kind ?? opts.kind),
      rules: { ...(file.rules ?? {}), ...cliRules },
      knownParameters: [...new Set([...(file.knownParameters ?? []), ...opts.knownParameter])],
      ignoreSuppressions: cliIgnoreSuppressions || file.ignoreSuppressions === true,
    };
    if (nodeConfig !== undefined) o.nodeConfig = nodeConfig;
    if (capacity.ramBytes !== undefined || capacity.swapBytes !== undefined) o.capacity = capacity;
    optionsOf.set(cfg, o);
  }

  // Group the files into nodes: each vz.conf with the files that use it (a given node config: one node),
  // separately for each set of options.
  const groups = new Map<string, NodeGroup & { cfg: string | undefined }>();
  for (const abs of texts.keys()) {
    const cfg = configOf.get(abs);
    const o = optionsOf.get(cfg) as FileOptions;
    let nodePath: string | undefined;
    if (o.nodeConfig !== undefined) nodePath = o.nodeConfig;
    else if (isNodeConfigName(abs)) nodePath = abs;
    else nodePath = await findNodeConfig(abs, { stopAt: stopAt.get(abs) });
    const key = `${cfg ?? ''}\0${nodePath ?? `\0${path.dirname(abs)}`}`;
    let g = groups.get(key);
    if (!g) {
      g = { cfg, files: [], confDir: nodePath && o.nodeConfig === undefined ? confDirOf(nodePath) : path.dirname(abs) };
      if (nodePath !== undefined) g.nodePath = nodePath;
      groups.set(key, g);
    }
    if (abs !== nodePath) g.files.push(abs);
  }

  const reports: FileReport[] = [];
  const tables: MemoryTable[] = [];
  const reported = new Set<string>();
  for (const g of groups.values()) {
    const o = optionsOf.get(g.cfg) as FileOptions;
    let nodeConfig: NodeFile | undefined;
    if (g.nodePath !== undefined) {
      let text = texts.get(g.nodePath);
      let sizeBytes = sizes.get(g.nodePath);
      if (text === undefined) {
        const read = nodeTexts.get(g.nodePath) ?? (await readBounded(g.nodePath));
        if ('error' in read) {
          io.stderr(`vzlint: ${display(g.nodePath)}: cannot read the node config: ${read.error}\n`);
          failed = true;
        } else {
          nodeTexts.set(g.nodePath, read);
          text = read.text;
          sizeBytes = read.sizeBytes;
        }
      }
      if (text !== undefined) nodeConfig = { path: g.nodePath, text, ...(sizeBytes !== undefined ? { sizeBytes } : {}) };
    }
    // A node's conf/ folder that exists but cannot be listed would silently hide containers from the node checks.
    try {
      await readdir(g.confDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        io.stderr(`vzlint: ${display(g.confDir)}: cannot read the node's conf/ folder: ${errorText(err)}\n`);
        failed = true;
      }
    }
    const listing = await listConfDir(g.confDir);
    const mine = [...texts.keys()].filter((p) => configOf.get(p) === g.cfg);
    const fileOf = (p: string): NodeFile => ({ path: p, text: texts.get(p) as string, ...(sizes.has(p) ? { sizeBytes: sizes.get(p) as number } : {}) });
    const lintGroup = (files: readonly string[], withNode: boolean): void => {
      const result = lintNode(
        { ...(nodeConfig && withNode ? { nodeConfig } : {}), containers: files.map(fileOf), ...(listing.samples ? { samples: listing.samples } : {}) },
        {
          target: o.target,
          kind: o.kind,
          focus: mine,
          rules: o.rules,
          knownParameters: o.knownParameters,
          ignoreSuppressions: o.ignoreSuppressions,
          ...(o.capacity ? { capacity: o.capacity } : {}),
        },
      );
      for (const f of result.files) {
        // A node config nobody asked for is reported only for findings about its containers.
        const asked = texts.has(f.path) && configOf.get(f.path) === g.cfg;
        if (texts.has(f.path) && !asked) continue;
        const findings = asked ? f.findings : f.findings.filter((x) => ACROSS_CONTAINERS.has(x.rule));
        if (!asked && findings.length === 0) continue;
        if (reported.has(f.path)) continue;
        reported.add(f.path);
        reports.push({ file: display(f.path), kind: f.ctx.kind, target: f.ctx.target, findings });
      }
      if (o.capacity && result.memory.rows.length > 0) {
        tables.push({ node: g.nodePath !== undefined ? display(g.nodePath) : `${display(g.confDir)} (no vz.conf found)`, summary: result.memory, display });
      }
    };
    const internal = (what: string, err: unknown): void => {
      io.stderr(`vzlint: ${what}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      failed = true;
    };
    try {
      lintGroup(g.files, true);
    } catch (err) {
      if (err instanceof OptionError) {
        io.stderr(`vzlint: ${g.cfg !== undefined && !fromCli('target') && !fromCli('kind') ? `${display(g.cfg)}: ` : ''}${err.message}\n`);
        return EXIT.failure;
      }
      // One file must not take its node down with it: lint the files one by one (without the cross-container
      // checks, which need them all) and name the ones that fail.
      if (g.files.length <= 1 && nodeConfig === undefined) internal(g.files.map(display).join(', ') || 'node', err);
      else {
        io.stderr(`vzlint: ${g.nodePath !== undefined ? display(g.nodePath) : display(g.confDir)}: the node checks failed; checking its files one by one\n`);
        failed = true;
        for (const f of g.files) {
          try {
            lintGroup([f], true);
          } catch (e1) {
            try {
              lintGroup([f], false);
              io.stderr(`vzlint: ${display(f)}: checked without its node config, which failed\n`);
            } catch (e2) {
              internal(display(f), e2 ?? e1);
            }
          }
        }
        if (nodeConfig && texts.has(nodeConfig.path) && !reported.has(nodeConfig.path)) {
          try {
            lintGroup([], true);
          } catch (e) {
            internal(display(nodeConfig.path), e);
          }
        }
      }
    }
  }
  reports.sort((a, b) => compareStrings(a.file, b.file));

  if (opts.format === 'json') {
    io.stdout(formatJson(reports));
  } else {
    const noColorEnv = (io.env?.NO_COLOR ?? '') !== '';
    const color = opts.color && io.isTTY === true && !noColorEnv;
    io.stdout(formatStylish(reports, { color, verbose: opts.verbose === true, failed, explain: opts.explain === true }) + formatMemoryTable(tables, { color }));
  }

  if (failed) return EXIT.failure;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT.findings : EXIT.ok;
}
