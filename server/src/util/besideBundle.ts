/**
 * Loading the files that a bundle in dist/ requires from beside itself (dist/lsp-protocol.js for the
 * client and the server, dist/vendor/*.js for vzlint; see scripts/build.mjs). When one is missing, the
 * install is incomplete (a partial copy of dist/, a broken package): that is said in one line that names
 * the file and what to do, instead of Node's "Cannot find module" stack. Used only by the bundles: the
 * build wraps those requires in {@link requireBeside}.
 */
import { existsSync } from 'node:fs';
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
 * Returns `load()` (a `require` of `rel`, relative to the bundle's folder `dir`). When it fails because
 * that file does not exist, prints {@link missingFileMessage} to stderr and exits with `policy.exitCode`,
 * or throws an Error with that message when no exit code is given (the extension host shows it). Any
 * other failure (the file exists but throws, a module it requires is missing) is rethrown as it is.
 */
export function requireBeside<T>(dir: string, rel: string, load: () => T, policy: MissingFilePolicy): T {
  try {
    return load();
  } catch (err) {
    const file = path.join(dir, rel);
    if ((err as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND' || existsSync(file)) throw err;
    const message = missingFileMessage(file, policy);
    if (policy.exitCode === undefined) throw new Error(message);
    process.stderr.write(`${message}\n`);
    process.exit(policy.exitCode);
  }
}
