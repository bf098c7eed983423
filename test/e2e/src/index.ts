/**
 * Test entry point loaded by VS Code's extension host (`extensionTestsPath`): runs the mocha suites
 * in ./suite inside the host, so they assert through the real `vscode` API against the extension
 * under development.
 *
 * Results go to the driver through files in the run directory (`VZCONF_E2E_RUN_DIR`, set by
 * test/e2e/run.mjs on code-server's environment, which the extension host inherits):
 *   progress.log   one line per finished test, appended as the run goes (the launcher echoes it);
 *   results.json   written once at the end: every test with its state, duration and error.
 * The promise rejects when a test failed, so VS Code also reports a non-zero exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface CaseResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const runDir = process.env.VZCONF_E2E_RUN_DIR;
  const progress = (line: string): void => {
    if (runDir) fs.appendFileSync(path.join(runDir, 'progress.log'), line + '\n');
  };
  const results: CaseResult[] = [];
  const writeResults = (extra: Record<string, unknown>): void => {
    if (!runDir) return;
    const file = path.join(runDir, 'results.json');
    fs.writeFileSync(file + '.tmp', JSON.stringify({ results, ...extra }, null, 2));
    fs.renameSync(file + '.tmp', file);
  };

  // The spec reporter would only reach the browser console; the files above are what the driver reads.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'dot' });
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, file));
  }
  progress(`in-host: mocha loaded ${mocha.files.length} file(s), VS Code API ready`);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        writeResults({ failures, done: true });
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => {
        results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
        progress(`  ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`);
      });
      runner.on('fail', (t, err: Error) => {
        const error = (err && (err.stack ?? err.message)) || String(err);
        results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error });
        progress(`  FAIL ${t.fullTitle()}\n${error.split('\n').slice(0, 6).map((l) => '       ' + l).join('\n')}`);
      });
      runner.on('pending', (t) => {
        results.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 });
        progress(`  skip ${t.fullTitle()}`);
      });
    } catch (err) {
      writeResults({ failures: 1, done: true, crash: String(err) });
      reject(err);
    }
  });
}
