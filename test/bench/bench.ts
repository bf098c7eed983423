/**
 * Benchmarks (not tests): lint throughput on the real corpus and on a large synthetic file, and the
 * memory a lint holds. Prints numbers; asserts nothing. Run with `npm run bench`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getCatalog } from '../../server/src/catalog/load';
import { computeHover } from '../../server/src/service/hover';
import { lint } from '../../server/src/service/lint';

const corpus = resolve(__dirname, '../../../shared/corpus');
const SKIP = /(^|\/)(dists|README\.md|SOURCES\.md|download\.conf|osrelease\.conf|oom-groups\.conf|networks_classes)/;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (SKIP.test(p)) continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function time(label: string, runs: number, fn: () => void): void {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i += 1) fn();
  const ms = (performance.now() - t0) / runs;
  console.log(`${label.padEnd(58)} ${ms.toFixed(3).padStart(9)} ms/run  (${runs} runs)`);
}

const t0 = performance.now();
getCatalog();
console.log(`${'catalogue load (schemas/*.yaml)'.padEnd(58)} ${(performance.now() - t0).toFixed(1).padStart(9)} ms (once)`);

const files = walk(corpus).map((p) => ({ p, text: readFileSync(p, 'utf8') }));
const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
time(`lint the whole corpus (${files.length} files, ${lines} lines)`, 20, () => { for (const f of files) lint(f.text, { path: f.p }); });

const ct = readFileSync(join(corpus, 'upstream/openvz-vzctl-classic/historical/ve-basic.conf-sample@vzctl-4.6'), 'utf8');
time('lint one UBC container config (ve-basic, vzctl 4.6)', 500, () => lint(ct, { path: '/etc/vz/conf/101.conf' }));
time('hover on a key of that config', 500, () => computeHover(ct, { line: 10, character: 2 }, { path: '/etc/vz/conf/101.conf' }));

const big = Array.from({ length: 10000 }, (_, i) => (i % 3 === 0 ? `# comment ${i}` : i % 3 === 1 ? `KMEMSIZE="${i}:${i + 1}"` : `IP_ADDRESS="192.0.2.${i % 250}"`)).join('\n');
time('lint a 10 000-line file', 5, () => lint(big, { path: '/etc/vz/conf/101.conf' }));
const long = `DESCRIPTION="${'x'.repeat(1_000_000)}"\n`;
time('lint a 1 MB single-line value', 5, () => lint(long, { path: '/etc/vz/conf/101.conf' }));

global.gc?.();
const before = process.memoryUsage().heapUsed;
const held = Array.from({ length: 100 }, () => lint(ct, { path: '/etc/vz/conf/101.conf' }));
const after = process.memoryUsage().heapUsed;
console.log(`${'heap held per lint result (100 results kept)'.padEnd(58)} ${((after - before) / 100 / 1024).toFixed(1).padStart(9)} KiB`);
void held;
