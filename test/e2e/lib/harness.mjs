// Shared by the e2e launcher (in-host tests) and the UI check: an isolated environment per run,
// code-server 4.100.3 (VS Code 1.100.3) on a free local port, and Debian's chromium driven by
// playwright-core. Every wait here has an explicit timeout. See ../shared/reference/vscode-e2e-notes.md (beside the repository)
// in the project's notes for why each flag is there.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E_DIR, '..', '..');
export const CODE_SERVER = path.join(E2E_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.VZCONF_E2E_CHROMIUM || '/usr/bin/chromium';

/** Timeouts (ms). One place, so a slow machine can be accommodated without hunting for numbers. */
export const TIMEOUTS = {
  codeServerReady: 60_000,
  browserLaunch: 60_000,
  pageLoad: 60_000,
  workbench: 120_000,
  installExtension: 120_000,
  stop: 10_000,
};

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` (sync or async) every `interval` ms until it returns a truthy value, which is
 * returned; throws `Error(timed out … waiting for <what>)` after `timeoutMs`.
 */
export async function waitUntil(what, probe, timeoutMs, interval = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/**
 * The directories of one isolated VS Code run under `runDir`: HOME, XDG dirs and TMPDIR (code-server
 * and chromium write there on every start), user data and extensions.
 */
export function runLayout(runDir) {
  return {
    runDir,
    home: path.join(runDir, 'home'),
    tmp: path.join(runDir, 'tmp'),
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    config: path.join(runDir, 'code-server.yaml'),
  };
}

/** The environment for code-server and chromium: HOME, XDG_* and TMPDIR point into the run dir. */
export function isolatedEnv(layout, extra = {}) {
  const env = { ...process.env };
  // Variables of an enclosing VS Code / Electron would change how code-server and its host behave.
  for (const key of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(key)) delete env[key];
  }
  return {
    ...env,
    HOME: layout.home,
    XDG_CONFIG_HOME: path.join(layout.home, '.config'),
    XDG_DATA_HOME: path.join(layout.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(layout.home, '.cache'),
    XDG_STATE_HOME: path.join(layout.home, '.local', 'state'),
    XDG_RUNTIME_DIR: layout.tmp,
    TMPDIR: layout.tmp,
    ...extra,
  };
}

/** User settings for a quiet, deterministic workbench (no trust prompt, no welcome page, no updates). */
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'explorer.compactFolders': false,
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'git.enabled': false,
};

/** Creates the run's directories and user settings. */
export function prepareRun(layout) {
  for (const dir of [layout.home, layout.tmp, path.join(layout.userDataDir, 'User'), layout.extensionsDir]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(layout.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // An explicit (empty) config file, so code-server never writes ~/.config/code-server/config.yaml.
  writeFileSync(layout.config, 'auth: none\n');
}

/** Whether a GET of `url` answers 200 within `timeoutMs`. */
function httpOk(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = httpGet(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs code-server's CLI once (e.g. `--install-extension x.vsix`) in the run's environment. */
export function codeServerCli(layout, args, { timeoutMs = TIMEOUTS.installExtension, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CODE_SERVER, '--config', layout.config, '--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir, ...args],
      { env: isolatedEnv(layout), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code-server ${args.join(' ')}: no exit after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (logFile) writeFileSync(logFile, out);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}\n${out}`));
    });
  });
}

/**
 * Starts code-server serving `workspace` and waits until /healthz answers. Returns
 * `{ url, port, stop() }`; stop() ends the whole process group (server, extension host, language
 * server, pty host, file watcher). Output goes to `<runDir>/code-server.log`.
 */
export async function startCodeServer(layout, workspace, env = {}) {
  if (!existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed (${CODE_SERVER}): run test/e2e/install.sh first`);
  }
  const port = await freePort();
  const log = createWriteStream(path.join(layout.runDir, 'code-server.log'));
  const args = [
    CODE_SERVER,
    '--config', layout.config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    '--user-data-dir', layout.userDataDir,
    '--extensions-dir', layout.extensionsDir,
    workspace,
  ];
  const child = spawn(process.execPath, args, { env: isolatedEnv(layout, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `code-server to answer on ${url}/healthz`,
    async () => {
      if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${path.join(layout.runDir, 'code-server.log')}`);
      return httpOk(`${url}/healthz`, 2_000);
    },
    TIMEOUTS.codeServerReady,
  );

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const gone = await waitUntil('code-server to stop', () => exited !== null, TIMEOUTS.stop, 100).catch(() => false);
    if (!gone) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // Children that left the group (none expected) would be orphaned; the group kill covers the rest.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // group empty
    }
  };
  return { url, port, stop, pid: child.pid };
}

/** Chromium flags that keep it quiet on a closed network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--password-store=basic',
];

/** Launches Debian's chromium with playwright-core; returns `{ browser, page }`. */
export async function launchBrowser(layout, { width = 1280, height = 800 } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set VZCONF_E2E_CHROMIUM)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: isolatedEnv(layout),
    timeout: TIMEOUTS.browserLaunch,
  });
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return { browser, context, page };
}

/** Opens the workbench at `url` (with `query`) and waits until it is laid out. */
export async function openWorkbench(page, url, query) {
  await page.goto(`${url}/?${query}`, { waitUntil: 'domcontentloaded', timeout: TIMEOUTS.pageLoad });
  await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout: TIMEOUTS.workbench });
}

/** Console messages of the page that are known noise on a closed network (see the notes). */
export function isNoise(text) {
  return /open-vsx\.org|ENOTFOUND|vsda|ERR_CONNECTION_REFUSED|net::ERR_|marketplace|Failed to load resource|gallery|update\.code\.visualstudio/i.test(text);
}
