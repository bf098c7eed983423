#!/usr/bin/env node
// Stands in for the VS Code executable given to @vscode/test-electron's runTests()
// (`vscodeExecutablePath`): the update server that test-electron would download VS Code from is
// unreachable here, and no registry ships a desktop VS Code. It takes the arguments runTests passes
// (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=, the
// workspace folder; Electron-only flags are ignored), starts code-server 4.100.3 on that workspace,
// opens the workbench in Debian's chromium with the extension-test payload, echoes the in-host
// progress and exits with the test result: 0 all passed, 1 a test failed, 2 the run broke.
//
// Needs VZCONF_E2E_RUN_DIR (a short path: VS Code puts IPC sockets under its TMPDIR); run.mjs sets it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { isNoise, launchBrowser, openWorkbench, prepareRun, runLayout, sleep, startCodeServer } from './lib/harness.mjs';

const RUN_TIMEOUT_MS = Number(process.env.VZCONF_E2E_HOST_TIMEOUT_MS || 240_000);

function parseArgs(argv) {
  const opts = { positional: [] };
  for (const arg of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (m) opts[m[1]] = m[2];
    else if (!arg.startsWith('--')) opts.positional.push(arg);
  }
  return opts;
}

async function main() {
  const runDir = process.env.VZCONF_E2E_RUN_DIR;
  if (!runDir) throw new Error('VZCONF_E2E_RUN_DIR is not set (run through test/e2e/run.mjs)');
  const opts = parseArgs(process.argv.slice(2));
  const devPath = opts.extensionDevelopmentPath;
  const testsPath = opts.extensionTestsPath;
  const workspace = opts.positional[0];
  if (!devPath || !testsPath || !workspace) {
    throw new Error(`launcher: need --extensionDevelopmentPath=, --extensionTestsPath= and a workspace folder; got ${process.argv.slice(2).join(' ')}`);
  }
  const layout = runLayout(runDir);
  if (opts['user-data-dir']) layout.userDataDir = opts['user-data-dir'];
  if (opts['extensions-dir']) layout.extensionsDir = opts['extensions-dir'];
  prepareRun(layout);

  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const server = await startCodeServer(layout, workspace, { VZCONF_E2E_RUN_DIR: runDir });
  console.log(`launcher: code-server 4.100.3 ready on ${server.url} (${elapsed()})`);
  let browser;
  let exitCode = 2;
  try {
    const launched = await launchBrowser(layout);
    browser = launched.browser;
    const { page } = launched;
    const consoleLog = [];
    let fatal;
    page.on('console', (msg) => {
      const text = msg.text();
      if (!isNoise(text)) consoleLog.push(`[${msg.type()}] ${text}`);
      // The workbench could not start the test runner: waiting longer would not help.
      if (/No extension host found that can launch the test runner/.test(text)) fatal = text;
    });
    page.on('pageerror', (err) => consoleLog.push(`[pageerror] ${err.message}`));
    // VS Code's web workbench reports the extension-test exit code through this hook.
    let automationExit;
    await page.exposeFunction('codeAutomationExit', (code) => {
      automationExit = code;
    });
    await page.exposeFunction('codeAutomationLog', () => {});

    // The workbench parses payload values as URIs: both paths live on the code-server side, so they
    // are vscode-remote URIs with the server's authority (a bare path would mean the browser's file:).
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${pathToFileURL(path.resolve(p)).pathname}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(testsPath)],
    ]);
    await openWorkbench(page, server.url, `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    console.log(`launcher: workbench loaded in chromium (${elapsed()}); tests run in the extension host`);

    const resultsFile = path.join(runDir, 'results.json');
    const progressFile = path.join(runDir, 'progress.log');
    let printed = 0;
    const echoProgress = () => {
      if (!existsSync(progressFile)) return;
      const text = readFileSync(progressFile, 'utf8');
      if (text.length > printed) {
        process.stdout.write(text.slice(printed));
        printed = text.length;
      }
    };
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let results;
    while (Date.now() < deadline) {
      echoProgress();
      if (existsSync(resultsFile)) {
        results = JSON.parse(readFileSync(resultsFile, 'utf8'));
        if (results.done) break;
      }
      if (fatal) break;
      if (automationExit !== undefined && !existsSync(resultsFile)) {
        // The host ended the test run without results: the test index did not load or crashed.
        await sleep(1_000);
        if (!existsSync(resultsFile)) break;
      }
      await sleep(250);
    }
    echoProgress();
    writeFileSync(path.join(runDir, 'browser-console.log'), consoleLog.join('\n') + '\n');
    if (!results?.done) {
      const why = fatal ? `the workbench refused the test runner: ${fatal}` : automationExit !== undefined ? `the extension host exited with ${automationExit} before writing results` : `no results after ${RUN_TIMEOUT_MS} ms`;
      console.error(`launcher: ${why}; last browser console lines:\n${consoleLog.slice(-20).join('\n')}`);
      exitCode = 2;
    } else {
      exitCode = results.failures > 0 ? 1 : 0;
      console.log(`launcher: in-host run finished (${elapsed()}), ${results.failures} failure(s)`);
    }
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`launcher: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
