#!/usr/bin/env node
// The e2e tier (npm run test:e2e): the vzconf extension in a real VS Code — code-server 4.100.3
// (VS Code 1.100.3) in Debian's chromium, see lib/harness.mjs.
//
//   1. in-host tests: @vscode/test-electron's runTests() with launcher.mjs as the "VS Code
//      executable"; mocha runs inside the extension host (src/index.ts) against the extension
//      under development (the repository root, dist/ as built) on a copy of fixtures/workspace;
//   2. UI check (ui.mjs): the packaged .vsix installed into code-server, squiggles, the Problems
//      panel and a hover, with screenshots saved to docs/images/.
//
// Ends with the line `N passed, N failed` and exits 1 when a case failed (2 when the run could not start).
//
//   node test/e2e/run.mjs [--host-only | --ui-only] [--vsix FILE] [--screenshots]
//
// Screenshots go to test/e2e/.run/last/screenshots/; only --screenshots (npm run screenshots) writes
// them to docs/images/ for the README and docs/editor.md.
//
// Environment: VZCONF_E2E_KEEP=1 keeps the temporary run directory; VZCONF_E2E_CHROMIUM overrides
// /usr/bin/chromium; VZCONF_E2E_HOST_TIMEOUT_MS bounds the in-host run (default 240000).
// Prerequisites (.ci/run installs them): apt packages chromium, ripgrep, libkrb5-dev; test/e2e/install.sh.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { CHROMIUM, CODE_SERVER, E2E_DIR, ROOT, runLayout } from './lib/harness.mjs';
import { runUiCheck } from './ui.mjs';

const started = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (s) => console.log(s);

const args = process.argv.slice(2);
const opts = { host: true, ui: true, vsix: undefined, screenshots: false };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--host-only') opts.ui = false;
  else if (args[i] === '--ui-only') opts.host = false;
  else if (args[i] === '--vsix' && args[i + 1]) opts.vsix = path.resolve(args[++i]);
  else if (args[i] === '--screenshots') opts.screenshots = true;
  else {
    console.error(`e2e: unknown option ${args[i]} (expected --host-only, --ui-only, --vsix FILE, --screenshots)`);
    process.exit(2);
  }
}

function fatal(message) {
  console.error(`e2e: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(2);
}

function sh(label, cmd, cmdArgs, cwd = ROOT) {
  log(`e2e: ${label}`);
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: 'inherit' });
  if (r.status !== 0) fatal(`${label} failed (exit ${r.status ?? r.error})`);
}

/** Newest modification time under `p` (file or folder). */
function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

// --- prerequisites -------------------------------------------------------------------------------
if (!existsSync(CODE_SERVER) || !existsSync(path.join(E2E_DIR, 'node_modules', 'playwright-core'))) {
  fatal('the e2e dependencies are not installed: run `bash test/e2e/install.sh` (it seeds the ripgrep cache and runs npm ci in test/e2e)');
}
if (!existsSync(CHROMIUM)) fatal(`chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor !== 20) log(`e2e: warning: code-server 4.100.3 is made for Node 20; this is Node ${process.versions.node}`);

sh('compiling the in-host tests (tsc -p test/e2e)', process.execPath, [path.join(E2E_DIR, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', E2E_DIR]);

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let vsix = opts.vsix;
if (opts.ui && !vsix) {
  vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const sources = ['package.json', 'README.md', 'CHANGELOG.md', '.vscodeignore', 'client/src', 'server/src', 'schemas', 'syntaxes', 'docs/rules', 'docs/editor.md', 'docs/configuration.md', 'docs/security.md', 'scripts/extension-readme.mjs', 'language-configuration.json', 'images'];
  const newestSource = Math.max(...sources.map((s) => newest(path.join(ROOT, s))));
  if (!existsSync(vsix) || statSync(vsix).mtimeMs < newestSource) {
    sh(`packaging ${path.basename(vsix)} (npm run package: the .vsix is missing or older than the sources)`, process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')]);
  } else {
    log(`e2e: using ${path.relative(ROOT, vsix)} (newer than the sources)`);
  }
}
if (opts.host && !existsSync(path.join(ROOT, 'dist', 'client.js'))) {
  sh('building dist/ (npm run build)', process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')]);
}

// --- run directory -------------------------------------------------------------------------------
// Short and outside the repository: VS Code puts IPC sockets under TMPDIR (107-byte path limit).
const base = mkdtempSync(path.join(existsSync('/tmp') ? '/tmp' : ROOT, 'vzc-e2e-'));
const keepDir = path.join(E2E_DIR, '.run', 'last');
rmSync(keepDir, { recursive: true, force: true });
mkdirSync(keepDir, { recursive: true });
const fixtures = path.join(E2E_DIR, 'fixtures', 'workspace');
const cases = [];
/** Figures the in-host tests measured (metrics.json), printed in the summary. */
const metrics = [];

function saveLogs(runDir, prefix) {
  for (const f of ['progress.log', 'results.json', 'metrics.json', 'code-server.log', 'browser-console.log', 'install-extension.log', 'failure.png']) {
    const p = path.join(runDir, f);
    if (existsSync(p)) cpSync(p, path.join(keepDir, `${prefix}-${f}`));
  }
}

// --- 1. in-host tests through @vscode/test-electron ----------------------------------------------
if (opts.host) {
  const t0 = Date.now();
  const runDir = path.join(base, 'host');
  const layout = runLayout(runDir);
  const workspace = path.join(runDir, 'workspace');
  mkdirSync(runDir, { recursive: true });
  cpSync(fixtures, workspace, { recursive: true });
  log('e2e: in-host tests (runTests → launcher.mjs → code-server + chromium → mocha in the extension host)');
  const { runTests } = await import('@vscode/test-electron');
  let runError;
  try {
    await runTests({
      vscodeExecutablePath: path.join(E2E_DIR, 'launcher.mjs'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(E2E_DIR, '.run', 'out', 'index.js'),
      launchArgs: [workspace, `--user-data-dir=${layout.userDataDir}`, `--extensions-dir=${layout.extensionsDir}`],
      extensionTestsEnv: { VZCONF_E2E_RUN_DIR: runDir },
    });
  } catch (err) {
    runError = err;
  }
  const resultsFile = path.join(runDir, 'results.json');
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  if (results?.done) {
    for (const r of results.results) {
      cases.push({ title: r.title, ok: r.state === 'passed', ms: r.durationMs, error: r.error });
    }
    if (results.results.length === 0) cases.push({ title: 'in-host tests', ok: false, ms: 0, error: 'mocha ran no test' });
  } else {
    cases.push({ title: 'in-host tests', ok: false, ms: Date.now() - t0, error: `no results from the extension host (${runError?.message ?? 'unknown'})` });
  }
  const metricsFile = path.join(runDir, 'metrics.json');
  if (existsSync(metricsFile)) {
    for (const [name, m] of Object.entries(JSON.parse(readFileSync(metricsFile, 'utf8')))) metrics.push(`${name}: ${m.value} ${m.unit}`);
  }
  saveLogs(runDir, 'host');
  log(`e2e: in-host tier took ${secs(Date.now() - t0)}`);
}

// --- 2. UI check with the packaged .vsix ---------------------------------------------------------
if (opts.ui) {
  const t0 = Date.now();
  const runDir = path.join(base, 'ui');
  const workspace = path.join(runDir, 'workspace');
  mkdirSync(runDir, { recursive: true });
  cpSync(fixtures, workspace, { recursive: true });
  const imagesDir = opts.screenshots ? path.join(ROOT, 'docs', 'images') : path.join(keepDir, 'screenshots');
  log(`e2e: UI check (${path.relative(ROOT, vsix)} installed into code-server, screenshots to ${path.relative(ROOT, imagesDir)}/)`);
  try {
    cases.push(...(await runUiCheck({ runDir, workspace, vsix, imagesDir, log })));
  } catch (err) {
    cases.push({ title: 'ui check', ok: false, ms: Date.now() - t0, error: err instanceof Error ? err.message : String(err) });
  }
  saveLogs(runDir, 'ui');
  log(`e2e: UI tier took ${secs(Date.now() - t0)}`);
}

if (process.env.VZCONF_E2E_KEEP === '1') log(`e2e: kept ${base}`);
else rmSync(base, { recursive: true, force: true });

// --- summary -------------------------------------------------------------------------------------
const passed = cases.filter((c) => c.ok).length;
const failed = cases.length - passed;
log('');
log(`e2e summary (${secs(Date.now() - started)} in all; logs in ${path.relative(ROOT, keepDir)}/):`);
for (const m of metrics) log(`  (measured, no target) ${m}`);
for (const c of cases) {
  log(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.title}${c.ok ? '' : `\n        ${String(c.error ?? '').split('\n').slice(0, 4).join('\n        ')}`}`);
}
log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || cases.length === 0 ? 1 : 0);
