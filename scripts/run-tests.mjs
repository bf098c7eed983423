#!/usr/bin/env node
// Runs the unit and protocol tests with node's own test runner (TypeScript through tsx), prints the
// spec report, then one closing line "N passed, N failed, N skipped" that CI reads.
//   node scripts/run-tests.mjs [test files...]   (default: test/unit/*.test.ts test/protocol/*.test.ts)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let files = process.argv.slice(2);
if (files.length === 0) {
  for (const dir of ['test/unit', 'test/protocol']) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).sort()) if (f.endsWith('.test.ts')) files.push(path.join(dir, f));
  }
}
const tmp = mkdtempSync(path.join(tmpdir(), 'vzconf-tests-'));
const counts = path.join(tmp, 'counts.json');
const child = spawnSync(process.execPath, [
  '--import', 'tsx', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${path.join(root, 'scripts/count-reporter.mjs')}`, `--test-reporter-destination=${counts}`,
  ...files,
], { cwd: root, stdio: 'inherit' });
let summary = { passed: 0, failed: 0, skipped: 0 };
try {
  summary = JSON.parse(readFileSync(counts, 'utf8'));
} catch {
  summary.failed = Math.max(1, summary.failed);
}
rmSync(tmp, { recursive: true, force: true });
const code = child.status ?? 1;
if (code !== 0 && summary.failed === 0) summary.failed = 1; // the runner failed outside any test
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(code);
