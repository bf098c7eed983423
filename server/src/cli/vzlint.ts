import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import fg from 'fast-glob';
import { version } from '../../../package.json';
import { parseKind } from '../model/kind';
import { parseTargetSetting } from '../model/target';
import { lint, OptionError } from '../service/lint';
import { formatJson, formatStylish, type FileReport } from './format';

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
export async function discoverConfigFiles(dir: string, absDir: string): Promise<string[]> {
  const found = await fg(DISCOVERY_PATTERNS, {
    cwd: absDir,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**', '**/.git/**'],
    unique: true,
    suppressErrors: true,
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
        return 'is a directory';
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
        'Exit status: 0 no error findings, 1 error findings, 2 usage or I/O error.',
    )
    .version(version, '-V, --version', 'print the vzlint version')
    .helpOption('-h, --help', 'show this help')
    .argument('<path...>', 'files or directories to lint')
    .option(
      '-t, --target <target>',
      'vzctl to check against: auto, classic, classic@<vzctl version> (e.g. classic@4.6), vz7 or vz7@<libvzctl version> (e.g. vz7@8.0.70)',
      'auto',
    )
    .option('-k, --kind <kind>', 'file kind: auto (from name/content), node, container or ct0', 'auto')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('--no-color', 'disable colours (also off when stdout is not a terminal or NO_COLOR is set)')
    .showHelpAfterError('(run vzlint --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s),
    });
}

interface CliOptions {
  target: string;
  kind: string;
  format: 'stylish' | 'json';
  color: boolean;
}

/**
 * Runs vzlint with the given arguments (without `node` and the script name) and returns the exit
 * code; never calls `process.exit` and writes only through `io`.
 *
 * `vzlint [--target T] [--kind K] [--format stylish|json] [--no-color] PATH...`
 *
 * - Explicit files are linted whatever their name; directories are searched (see
 *   {@link isConfigFileName}). All files are linted in sorted path order, each once.
 * - Files are decoded as UTF-8 with replacement (see {@link decodeUtf8}).
 * - `--format json` prints one array of `JsonFinding` (see `format.ts`); `stylish` is for humans.
 * - Returns 0 when no finding has error severity, 1 when one has, 2 on a usage error, a missing
 *   path or an unreadable file (after linting the other files).
 */
export async function runVzlint(argv: string[], io: VzlintIO): Promise<number> {
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.failure;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  const paths = program.args;

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

  let failed = false;
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
      const found = await discoverConfigFiles(given, abs);
      if (found.length === 0) io.stderr(`vzlint: ${given}: no OpenVZ / Virtuozzo config files found in this directory\n`);
      for (const f of found) add(f, path.resolve(io.cwd, f));
    } else if (st.isFile()) {
      add(given, abs);
    } else {
      io.stderr(`vzlint: ${given}: not a regular file or directory\n`);
      failed = true;
    }
  }

  const reports: FileReport[] = [];
  for (const display of [...files.keys()].sort(compareStrings)) {
    const abs = files.get(display) as string;
    let text: string;
    try {
      text = decodeUtf8(await readFile(abs));
    } catch (err) {
      io.stderr(`vzlint: ${display}: cannot read: ${errorText(err)}\n`);
      failed = true;
      continue;
    }
    try {
      const result = lint(text, { path: abs, target: opts.target, kind: opts.kind });
      reports.push({ file: display, kind: result.kind, target: result.target, findings: result.findings });
    } catch (err) {
      if (err instanceof OptionError) {
        io.stderr(`vzlint: ${err.message}\n`);
        return EXIT.failure;
      }
      io.stderr(`vzlint: ${display}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      failed = true;
    }
  }

  if (opts.format === 'json') {
    io.stdout(formatJson(reports));
  } else {
    const noColorEnv = (io.env?.NO_COLOR ?? '') !== '';
    io.stdout(formatStylish(reports, { color: opts.color && io.isTTY === true && !noColorEnv }));
  }

  if (failed) return EXIT.failure;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT.findings : EXIT.ok;
}
