/**
 * Benchmarks (not tests): lint throughput on the real corpus and on a large synthetic file, and the
 * memory a lint holds. Prints numbers; asserts nothing. Run with `npm run bench`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getCatalog } from '../../server/src/catalog/load';
import { computeCompletions } from '../../server/src/service/completion';
import { formatText } from '../../server/src/service/format';
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

const cont = 'HOSTNAME=a\\\n'.repeat(8000);
time('lint 8 000 backslash-continued lines (was quadratic)', 5, () => lint(cont, { path: '/etc/vz/conf/101.conf' }));
const dups = 'IPTABLES="ipt_REJECT"\n'.repeat(40000);
time('lint 40 000 repeated IPTABLES lines (was quadratic)', 3, () => lint(dups, { path: '/etc/vz/conf/101.conf' }));
time('complete a key at the end of that UBC config', 200, () => computeCompletions(ct, { line: ct.split('\n').length - 1, character: 0 }, { path: '/etc/vz/conf/101.conf' }));
time('format that UBC config', 200, () => formatText(ct));

global.gc?.();
const before = process.memoryUsage().heapUsed;
const held = Array.from({ length: 100 }, () => lint(ct, { path: '/etc/vz/conf/101.conf' }));
const after = process.memoryUsage().heapUsed;
console.log(`${'heap held per lint result (100 results kept)'.padEnd(58)} ${((after - before) / 100 / 1024).toFixed(1).padStart(9)} KiB`);
void held;
