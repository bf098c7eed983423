/**
 * The CLI as shipped (dist/vzlint.js, production build), whole process: one file against `node -e 0`
 * in paired runs, and a generated node of 10,000 containers against a script that only reads the
 * same files, with peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeNode, vswapConfig } from './generate';
import { median, mp, p95, report } from './stats';

const root = path.resolve(__dirname, '../..');
const vzlint = path.join(root, 'dist/vzlint.js');

/** Builds the production bundles (as `npm run package` ships them) once per bench run. */
export function buildProduction(): void {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`production build failed: ${r.stderr}`);
}

/** Wall time of one child process run, its exit code and peak RSS (bytes, from a preloaded reporter). */
function timed(args: string[], cwd: string, rssFile?: string, env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; code: number | null; rss?: number }> {
  return new Promise((resolve, reject) => {
    const pre = rssFile ? ['--require', rssReporter()] : [];
    const t0 = performance.now();
    const child = spawn(process.execPath, [...pre, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VZCONF_BENCH_RSS: rssFile ?? '', ...env } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 && code !== 1) {
        reject(new Error(`${args.join(' ')}: exit ${code}: ${err.slice(0, 500)}`));
        return;
      }
      const out: { ms: number; code: number | null; rss?: number } = { ms, code };
      if (rssFile) out.rss = Number(readFileSync(rssFile, 'utf8'));
      resolve(out);
    });
  });
}

let reporterPath: string | undefined;
/** A `--require` module that writes the process's peak RSS (bytes) to $VZCONF_BENCH_RSS at exit. */
function rssReporter(): string {
  if (!reporterPath) {
    reporterPath = path.join(mkdtempSync(path.join(tmpdir(), 'vzconf-bench-rss-')), 'rss.cjs');
    writeFileSync(reporterPath, "process.on('exit', () => { const f = process.env.VZCONF_BENCH_RSS; if (f) require('fs').writeFileSync(f, String(process.resourceUsage().maxRSS * 1024)); });\n");
  }
  return reporterPath;
}

export async function cliOneFileBench(quick: boolean): Promise<void> {
  const S = 'cli';
  console.log('\nCLI, one file, whole process (dist/vzlint.js, production build)');
  const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-bench-cli-'));
  try {
    const file = path.join(dir, '101.conf');
    writeFileSync(file, vswapConfig(101, 1));
    const pairs = quick ? 9 : 21;
    const base: number[] = [];
    const ours: number[] = [];
    const ratios: number[] = [];
    // vzlint keeps V8's code cache in the user's cache folder (server/src/cli/launch.ts): a folder of
    // the bench's own, so the first run below writes it and the timed runs read it, as every run after
    // an install does; the first run's time is printed too.
    const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
    const cold = await timed([vzlint, file], dir, undefined, env);
    for (let i = 0; i < pairs; i += 1) {
      // Alternate which runs first, so drift in the machine's load hits both alike.
      const a = i % 2 === 0 ? await timed(['-e', '0'], dir) : undefined;
      const b = await timed([vzlint, file], dir, undefined, env);
      const a2 = a ?? (await timed(['-e', '0'], dir));
      base.push(a2.ms);
      ours.push(b.ms);
      ratios.push(b.ms / a2.ms);
    }
    report(S, 'node -e 0', mp(base));
    report(S, 'vzlint one container config, first run (writes the code cache)', `${cold.ms.toFixed(0)} ms`);
    report(S, 'vzlint one container config', mp(ours));
    const ratio = median(ours) / median(base);
    report(S, `vzlint / node -e 0 (${pairs} paired runs, medians)`, `${ratio.toFixed(2)}× (pairs: median ${median(ratios).toFixed(2)}×, p95 ${p95(ratios).toFixed(2)}×)`, '≤ 1.5×', ratio <= 1.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function cliFleetBench(quick: boolean): Promise<void> {
  const S = 'fleet';
  const count = quick ? 2000 : 10000;
  console.log(`\nCLI over a generated node of ${count.toLocaleString('en')} containers`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-bench-fleet-'));
  try {
    const { root: nodeRoot, bytes } = writeNode(dir, count);
    const reader = path.join(dir, 'read-only.cjs');
    // The baseline: one Node process that finds and reads the same files, and does nothing else.
    writeFileSync(reader, [
      "const fs = require('fs'); const path = require('path');",
      'let n = 0; const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {',
      '  const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.isFile()) n += fs.readFileSync(p, "utf8").length; } };',
      'walk(process.argv[2]); if (n === 0) process.exit(3);',
      '',
    ].join('\n'));
    const rss = path.join(dir, 'rss');
    // Five pairs, each the script then vzlint back to back: the machine is shared, and a median of three
    // moved with one slow run.
    const runs = quick ? 1 : 5;
    const base: number[] = [];
    const ours: number[] = [];
    const rsses: number[] = [];
    let findings = 0;
    for (let i = 0; i < runs; i += 1) {
      base.push((await timed([reader, nodeRoot], dir)).ms);
      const r = await timed([vzlint, '--format', 'json', nodeRoot], dir, rss);
      ours.push(r.ms);
      rsses.push(r.rss ?? 0);
    }
    const out = spawnSync(process.execPath, [vzlint, '--format', 'json', nodeRoot], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    try { findings = (JSON.parse(out.stdout) as unknown[]).length; } catch { findings = -1; }
    report(S, `read-only script (${count} files, ${(bytes / 2 ** 20).toFixed(1)} MiB)`, mp(base));
    report(S, `vzlint --format json (${findings} findings)`, mp(ours));
    const ratio = median(ours) / median(base);
    const pairs = ours.map((t, i) => t / (base[i] as number));
    report(S, `vzlint / read-only (${runs} paired runs, medians)`, `${ratio.toFixed(2)}× (pairs: median ${median(pairs).toFixed(2)}×, p95 ${p95(pairs).toFixed(2)}×)`, '≤ 4×', ratio <= 4);
    const peak = Math.max(...rsses) / 2 ** 20;
    report(S, 'vzlint peak RSS', `${peak.toFixed(0)} MB`, '≤ 200 MB', peak <= 200);
    // vzlint starts no worker thread unless VZLINT_THREADS asks (one made every run slower here); both ways, for the record.
    for (const threads of ['0', '1']) {
      const r = await timed([vzlint, '--format', 'json', nodeRoot], dir, rss, { VZLINT_THREADS: threads });
      report(S, `  VZLINT_THREADS=${threads} (one run, load ${(loadavg()[0] ?? 0).toFixed(2)})`, `${(r.ms / 1000).toFixed(2)} s, ${((r.rss ?? 0) / 2 ** 20).toFixed(0)} MB, ${(r.ms / median(base)).toFixed(1)}×`);
    }
    // The formats that used to gather the whole run: they stream too (one run each).
    for (const args of [['--format', 'sarif'], ['--summary', '--format', 'json']]) {
      const r = await timed([vzlint, ...args, nodeRoot], dir, rss);
      const mb = (r.rss ?? 0) / 2 ** 20;
      report(S, `vzlint ${args.join(' ')} peak RSS (one run)`, `${mb.toFixed(0)} MB, ${(r.ms / 1000).toFixed(2)} s`, '≤ 200 MB', mb <= 200);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
