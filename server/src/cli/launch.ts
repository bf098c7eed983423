/**
 * The `vzlint` command as installed (bundled to dist/vzlint.js): runs the CLI bundle dist/vzlint-core.js
 * through V8's code cache, so that a run after the first one skips compiling ~600 KB of JavaScript
 * (Node 20 has no built-in compile cache for CommonJS; Node 22's `module.enableCompileCache()` does the
 * same). About a third of a one-file run's time beyond a bare `node -e 0` is that compile.
 *
 * The cache is one file per CLI bundle and Node version in the user's own cache folder
 * (`$XDG_CACHE_HOME/vzconf`, else `~/.cache/vzconf`), used only when that folder is a real folder owned
 * by the user and writable by no one else (bytecode from a folder someone else can write would run as
 * this user, e.g. root on a node). It is written once, atomically (temporary file + rename), when the
 * process exits after a run without a usable cache; V8 itself rejects a cache that does not fit the
 * source or the Node version, and the next run writes a new one. Any error on the way falls back to a
 * plain load: the cache never changes what vzlint does. `VZLINT_COMPILE_CACHE=0` turns it off.
 */
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { missingFileMessage, realFile } from '../util/besideBundle';
import { WORKER_ARG } from './threadArg';
import { RESTORE_V8_FLAGS } from './v8Tuning';

/**
 * This launcher and dist/, where the CLI bundle is beside it: `__filename` and `__dirname` with symlinks
 * resolved (under `node --preserve-symlinks-main` they are the symlink's, e.g. /usr/local/bin/vzlint).
 */
const launcher = realFile(__filename);
const dist = dirname(launcher);
const core = join(dist, 'vzlint-core.js');

/** The cache folder if it is safe to read bytecode from, created (mode 0700) when missing; else undefined. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.VZLINT_COMPILE_CACHE === '0' || typeof process.getuid !== 'function') return undefined;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const dir = join(base, 'vzconf');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** Writes `data` to `file` atomically (mode 0600); removes older vzlint caches of the folder. Never throws. */
function writeCache(dir: string, file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (p !== file && /^vzlint-.*\.cache$/.test(name)) unlinkSync(p);
    }
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

/**
 * Runs the CLI bundle. Without it (a partial copy of dist/), says in one line that the install is
 * incomplete and exits with status 2 (as any vzlint failure), instead of Node's stack.
 */
function run(): void {
  try {
    runCore();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if ((code !== 'ENOENT' && code !== 'MODULE_NOT_FOUND') || existsSync(core)) throw err;
    process.stderr.write(`${missingFileMessage(core, { program: 'vzlint', remedy: 'copy all of dist/ or run npm run build' })}\n`);
    process.exit(2);
  }
}

function runCore(): void {
  // vzlint's worker threads start here too (lintWorker.ts reads this global), so they load the bundle
  // through the same code cache; only the main thread writes it.
  (globalThis as Record<symbol, unknown>)[Symbol.for('vzconf.vzlint.launcher')] = launcher;
  const dir = cacheDir(process.env);
  if (dir === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(core);
    return;
  }
  const source = readFileSync(core, 'utf8');
  const st = statSync(core);
  // One cache per bundle (size, change time, inode) and Node (version, architecture).
  const file = join(dir, `vzlint-${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}-${st.ino}.cache`);
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(file);
  } catch {
    cached = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: core, ...(cached ? { cachedData: cached } : {}) });
  // After the run, so that the functions this run compiled are in the cache too.
  // A worker thread (WORKER_ARG in its argv) only reads the cache.
  // A run of many files changed a V8 flag (v8Tuning.ts): set back first, or the cache would fit no later run.
  if (!process.argv.includes(WORKER_ARG) && (!cached || script.cachedDataRejected === true)) {
    process.once('exit', () => {
      const restore = (globalThis as Record<symbol, unknown>)[RESTORE_V8_FLAGS];
      if (typeof restore === 'function') restore();
      writeCache(dir, file, script.createCachedData());
    });
  }
  const mod = new Module(core, module);
  mod.filename = core;
  const req = createRequire(core);
  mod.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dist);
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, req, mod, core, dist);
}

run();
