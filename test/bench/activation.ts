/**
 * Extension start-up in a real VS Code: the e2e tier's in-host run (`node test/e2e/run.mjs --host-only`,
 * code-server + chromium, needs `bash test/e2e/install.sh`) reports, from the extension's own exports
 * (client/src/extension.ts, StartupTimes), how long after activate() began the language server was
 * ready and the first diagnostics arrived. One run; reported, no target (issue 8).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { report } from './stats';

const root = path.resolve(__dirname, '../..');

export function activationBench(): void {
  const S = 'activation';
  console.log('\nExtension activation in VS Code (e2e tier, in-host run)');
  if (!existsSync(path.join(root, 'test/e2e/node_modules/@vscode/test-electron'))) {
    report(S, 'activation → first diagnostics', 'skipped: the e2e tier is not installed (bash test/e2e/install.sh)');
    return;
  }
  const metricsFile = path.join(root, 'test/e2e/.run/last/host-metrics.json');
  rmSync(metricsFile, { force: true });
  const r = spawnSync(process.execPath, [path.join(root, 'test/e2e/run.mjs'), '--host-only'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (!existsSync(metricsFile)) {
    const tail = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-2).join(' ');
    report(S, 'activation → first diagnostics', `not measured: the e2e run wrote no metrics (exit ${r.status}: ${tail})`);
    return;
  }
  const metrics = JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, { value: number; unit: string }>;
  for (const [name, m] of Object.entries(metrics)) report(S, name, `${m.value} ${m.unit} (one run; e2e ${r.status === 0 ? 'passed' : 'FAILED'})`);
}
