/**
 * Engine, in process (TypeScript sources through tsx, the compiled catalogue): lint of large configs,
 * linear growth 1k → 10k → 100k lines, the pathological inputs that used to be quadratic, and the
 * older per-feature timings on the real corpus.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getCatalog } from '../../server/src/catalog/load';
import { computeCompletions } from '../../server/src/service/completion';
import { formatText } from '../../server/src/service/format';
import { computeHover } from '../../server/src/service/hover';
import { lint } from '../../server/src/service/lint';
import { largeConfig } from './generate';
import { linear, median, mp, ms, report, sample } from './stats';

const CT = '/etc/vz/conf/101.conf';
const corpus = resolve(__dirname, '../../../shared/corpus');
const SKIP = /(^|\/)(dists|README\.md|SOURCES\.md|MANIFEST\.json|download\.conf|osrelease\.conf|oom-groups\.conf|networks_classes)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (SKIP.test(p)) continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Median ms of linting `text` (enough runs for about `budgetMs`, at least 5). */
function lintTimes(text: string, budgetMs: number): number[] {
  const once = sample(1, () => lint(text, { path: CT }), 1)[0] as number;
  const runs = Math.max(5, Math.min(200, Math.round(budgetMs / Math.max(once, 0.01))));
  return sample(runs, () => lint(text, { path: CT }), 2);
}

export function engineBench(quick: boolean): void {
  const S = 'engine';
  console.log('\nEngine (in process)');
  const t0 = performance.now();
  getCatalog();
  report(S, 'catalogue load (compiled at build time)', ms(performance.now() - t0), 'reported');

  const budget = quick ? 300 : 1500;
  const sizes = [1000, 10000, 100000];
  const points: { size: number; ms: number }[] = [];
  for (const n of sizes) {
    const text = largeConfig(n);
    const times = lintTimes(text, n === 100000 ? budget * 2 : budget);
    points.push({ size: n, ms: median(times) });
    const findings = lint(text, { path: CT }).findings.length;
    if (n === 10000) report(S, `lint a 10,000-line config (${findings} findings)`, mp(times), '≤ 15 ms median', median(times) <= 15);
    else report(S, `lint a ${n.toLocaleString('en')}-line config (${findings} findings)`, mp(times));
  }
  const lin = linear(points);
  report(S, 'linear 1k → 10k → 100k lines (time per line vs 1k)', lin.text, '±25 %', lin.pass);

  const patho: [string, (k: number) => string, number, number][] = [
    ['1 MB single-line value (100 KB → 1 MB)', (k) => `DESCRIPTION="${'x'.repeat(k)}"\n`, 100_000, 1_000_000],
    ['repeated IPTABLES lines (4,000 → 40,000)', (k) => 'IPTABLES="ipt_REJECT"\n'.repeat(k), 4000, 40000],
    ['backslash-continued lines (800 → 8,000)', (k) => 'HOSTNAME=a\\\n'.repeat(k), 800, 8000],
  ];
  for (const [label, make, small, large] of patho) {
    const a = median(lintTimes(make(small), budget / 2));
    const bTimes = lintTimes(make(large), budget);
    const l = linear([{ size: small, ms: a }, { size: large, ms: median(bTimes) }]);
    report(S, `pathological: ${label}`, `${ms(a)} → ${mp(bTimes)}, ${l.text}`, 'linear ±25 %', l.pass);
  }

  if (existsSync(corpus)) {
    const files = walk(corpus).map((p) => ({ p, text: readFileSync(p, 'utf8') }));
    const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
    report(S, `lint the whole corpus (${files.length} files, ${lines} lines)`, mp(sample(quick ? 3 : 10, () => { for (const f of files) lint(f.text, { path: f.p }); }, 1)));
  } else {
    console.log(`  (corpus timings skipped: ${corpus} not found)`);
  }
  const ct = vswapLike();
  report(S, 'lint one container config', mp(sample(200, () => lint(ct, { path: CT }))));
  report(S, 'hover on a key of that config', mp(sample(200, () => computeHover(ct, { line: 3, character: 2 }, { path: CT }))));
  report(S, 'complete a key at its end', mp(sample(100, () => computeCompletions(ct, { line: ct.split('\n').length - 1, character: 0 }, { path: CT }))));
  report(S, 'format it', mp(sample(200, () => formatText(ct))));
}

function vswapLike(): string {
  return largeConfig(16) + 'ONBOT="yes"\n';
}
