/**
 * Loading the files that a bundle in dist/ requires from beside itself (dist/lsp-protocol.js for the
 * client and the server, dist/vendor/*.js for vzlint; see scripts/build.mjs). When one is missing, the
 * install is incomplete (a partial copy of dist/, a broken package): that is said in one line that names
 * the file and what to do, instead of Node's "Cannot find module" stack. Used only by the bundles: the
 * build wraps those requires in {@link requireBeside}.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** What a bundle does when a file beside it is missing. */
export interface MissingFilePolicy {
  /** The program named at the start of the line, e.g. `vzlint` or `vzconf-language-server`. */
  program: string;
  /** Exit the process with this status after printing the line to stderr; undefined: throw an Error. */
  exitCode?: number;
  /** What the user can do, e.g. `reinstall the extension`. */
  remedy: string;
}

/**
 * A file the installed program needs is missing (e.g. `schemas/vzconf-config.schema.json` beside dist/).
 * The message is `incomplete install: "FILE" is missing; REMEDY`, one line: the CLI prints it without a stack.
 */
export class IncompleteInstallError extends Error {
  /** The missing file (absolute path). */
  readonly file: string;
  constructor(file: string, remedy: string) {
    super(`incomplete install: ${JSON.stringify(file)} is missing; ${remedy}`);
    this.name = 'IncompleteInstallError';
    this.file = file;
  }
}

/**
 * The one line that says a bundle's file is missing: `PROGRAM: incomplete install: "FILE" is missing;
 * REMEDY`. The path is JSON-quoted, so a control character in it cannot reach the terminal raw.
 */
export function missingFileMessage(file: string, policy: MissingFilePolicy): string {
  return `${policy.program}: ${new IncompleteInstallError(file, policy.remedy).message}`;
}

/**
 * The folder a bundle's files sit in: that of `bundleFile` (its `__filename`) with symlinks resolved. Node
 * resolves them for the main module itself, but not under `--preserve-symlinks-main` (or
 * `NODE_PRESERVE_SYMLINKS`), where `__dirname` of `node --preserve-symlinks-main /usr/local/bin/vzlint` is
 * `/usr/local/bin`, which holds none of dist/'s files. `bundleFile`'s own folder when it cannot be resolved.
 */
export function bundleDir(bundleFile: string): string {
  return path.dirname(realFile(bundleFile));
}

/** `file` with symlinks resolved (see {@link bundleDir}); `file` itself when it cannot be resolved. */
export function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Returns `load(file)`, a `require` of `file`: `rel` in the folder of the bundle `bundleFile` (its
 * `__filename`; symlinks resolved, see {@link bundleDir}). When it fails because that file does not exist,
 * prints {@link missingFileMessage} to stderr and exits with `policy.exitCode`, or throws an Error with that
 * message when no exit code is given (the extension host shows it). Any other failure (the file exists but
 * throws, a module it requires is missing) is rethrown as it is.
 */
export function requireBeside<T>(bundleFile: string, rel: string, load: (file: string) => T, policy: MissingFilePolicy): T {
  const file = path.join(bundleDir(bundleFile), rel);
  try {
    return load(file);
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND' || existsSync(file)) throw err;
    const message = missingFileMessage(file, policy);
    if (policy.exitCode === undefined) throw new Error(message);
    process.stderr.write(`${message}\n`);
    process.exit(policy.exitCode);
  }
}
