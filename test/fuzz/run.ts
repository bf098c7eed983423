/**
 * `npm run fuzz`: the fuzz tier with a large budget (default 100,000 inputs; FUZZ_RUNS to change,
 * FUZZ_SEED to replay). Prints progress, then inputs, time, peak RSS and heap after GC, and the failures by
 * property (known ones — see KNOWN_FAILURES — are counted, others stop the run with the counterexample).
 * Needs `node --expose-gc` for the memory check (the npm script passes it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { checkInput, fuzzInput, KNOWN_FAILURES, PropertyFailure, seedTexts, stageTimes } from './fuzz';

async function main(): Promise<void> {
  const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
  /** Worker processes (default 2, the cores CI has); each runs its share of the inputs with its own seed. */
  const workers = Number(process.env.FUZZ_WORKERS ?? 2);

  if (workers > 1 && process.env.FUZZ_WORKER === undefined) {
    const t0 = performance.now();
    const codes = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        new Promise<number>((resolve) => {
          const share = Math.floor(runs / workers) + (i < runs % workers ? 1 : 0);
          const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string], {
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, FUZZ_WORKER: String(i), FUZZ_RUNS: String(share), FUZZ_SEED: String(seed + i) },
          });
          child.stdout.on('data', (d: Buffer) => process.stdout.write(d.toString().replace(/^fuzz:/gm, `fuzz[${i}]:`)));
          child.on('close', (code) => resolve(code ?? 1));
        }),
      ),
    );
    const failed = codes.filter((c) => c !== 0).length;
    console.log(`fuzz: ${runs} inputs on ${workers} workers in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${failed === 0 ? 'no failure' : `${failed} worker(s) FAILED`}`);
    process.exit(failed === 0 ? 0 : 1);
    }
  /** Heap growth (after GC) that counts as a leak, in bytes. */
  const MAX_HEAP_GROWTH = 256 * 1024 * 1024;

  const gc = (globalThis as { gc?: () => void }).gc;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vzconf-fuzz-'));
  const seeds = seedTexts();
  const known = new Map<string, number>();
  let done = 0;
  let bytes = 0;
  let largest = 0;
  let peakRss = 0;
  let baseHeap = 0;
  let maxHeap = 0;
  const started = performance.now();

  console.log(`fuzz: ${runs} inputs, seed ${seed}, ${seeds.length} seed files`);
  gc?.();
  baseHeap = process.memoryUsage().heapUsed;

  try {
    await fc.assert(
      fc.asyncProperty(fuzzInput(seeds), async (input) => {
        try {
          const s = await checkInput(input, tmp);
          bytes += s.bytes;
          largest = Math.max(largest, s.bytes);
        } catch (err) {
          if (err instanceof PropertyFailure && KNOWN_FAILURES.has(err.property)) known.set(err.property, (known.get(err.property) ?? 0) + 1);
          else throw err;
        }
        done += 1;
        if (done % 1000 === 0) {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          if (gc) {
            gc();
            const heap = process.memoryUsage().heapUsed;
            maxHeap = Math.max(maxHeap, heap);
            if (heap - baseHeap > MAX_HEAP_GROWTH) throw new PropertyFailure('memory-bounded', `heap after GC grew by ${Math.round((heap - baseHeap) / 1e6)} MB over ${done} inputs`);
          }
        }
        if (done % 5000 === 0) console.log(`fuzz: ${done} inputs, ${Math.round((performance.now() - started) / 1000)} s, RSS peak ${Math.round(peakRss / 1e6)} MB`);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    gc?.();
    maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    const secs = (performance.now() - started) / 1000;
    console.log(`fuzz: ${done} inputs in ${secs.toFixed(0)} s (${(done / secs).toFixed(0)}/s), ${(bytes / 1e6).toFixed(1)} MB of text, largest ${(largest / 1e6).toFixed(2)} MB`);
    console.log(`fuzz: memory: RSS peak ${Math.round(peakRss / 1e6)} MB, heap after GC ${Math.round(baseHeap / 1e6)} MB at start, at most ${Math.round(maxHeap / 1e6)} MB${gc ? '' : ' (no --expose-gc: not checked)'}`);
    for (const [p, n] of known) console.log(`fuzz: KNOWN FAILURE ${p}: ${n} inputs`);
    console.log(`fuzz: time by stage (s): ${[...stageTimes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ')}`);
    console.log(`fuzz: ${known.size === 0 ? 'every property held' : `every property held except the known failures above`}`);
  } catch (err) {
    console.error(`fuzz: FAILED after ${done} inputs (seed ${seed}): ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
