/** Timing and reporting helpers of the bench: medians, p95, and one line per figure with its target. */
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The 95th percentile (nearest rank). */
export function p95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] as number;
}

/** Runs `fn` `warmup` times, then `runs` times, returning each run's milliseconds. */
export function sample(runs: number, fn: () => void, warmup = 2): number[] {
  for (let i = 0; i < warmup; i += 1) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function sampleAsync(runs: number, fn: () => Promise<void>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** One result line of the bench: a figure, how it was measured, and pass/fail against its target. */
export interface Verdict {
  section: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean | undefined;
}

export const verdicts: Verdict[] = [];

/** Records and prints a figure; `pass` undefined = reported without a target. */
export function report(section: string, figure: string, value: string, target = '', pass?: boolean): void {
  verdicts.push({ section, figure, value, target, pass });
  const mark = pass === undefined ? '    ' : pass ? 'PASS' : 'FAIL';
  console.log(`  ${mark}  ${figure.padEnd(62)} ${value.padEnd(34)} ${target}`);
}

export function ms(x: number): string {
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`;
}

/** `median (p95)` of millisecond samples. */
export function mp(xs: readonly number[]): string {
  return `${ms(median(xs))} (p95 ${ms(p95(xs))})`;
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version} ${process.platform}-${process.arch}`;
}

/**
 * Whether growth is linear: the per-unit cost (time / size) of every larger input at most `tolerance`
 * above the smallest input's. A lower per-unit cost (fixed costs spread over a larger input) passes;
 * the ratios are printed either way.
 */
export function linear(points: readonly { size: number; ms: number }[], tolerance = 0.25): { pass: boolean; text: string } {
  const base = (points[0] as { size: number; ms: number });
  const unit = base.ms / base.size;
  const ratios = points.map((p) => p.ms / p.size / unit);
  return {
    pass: ratios.every((r) => r <= 1 + tolerance),
    text: ratios.map((r) => `×${r.toFixed(2)}`).join(' → '),
  };
}
