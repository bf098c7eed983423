/**
 * V8 tuning for large vzlint runs. On a node of 10,000 container configs V8's optimising compiler
 * (TurboFan) spends about as much CPU compiling the engine as the main thread spends linting (about
 * 0.9 s of the run's 2.7 s, on V8's own threads, which on a 2-core machine compete with the main thread
 * and the reading thread). Most of it is inlining: each of the ~50 rule functions inlines the same shared
 * views (`ubc`, `effectiveValue` …) again. A smaller cumulative inlining budget (100 bytes of bytecode,
 * V8's default 920) cut the process's CPU by ~270 ms and its wall time by ~6 % there (docs/performance.md,
 * "1 December, evening"), the main thread's own CPU staying the same. Two optimisation passes that copy
 * or rewrite whole loop bodies and allocations are switched off too: loop peeling (a loop's first pass
 * compiled apart) and escape analysis; with both off the whole run executes 4.5 % fewer instructions
 * (cachegrind, `--predictable --single-threaded`, 7.19 G → 6.87 G; docs/performance.md, "2 December,
 * morning"), the engine's code running as fast as before. The young generation stops growing at
 * the size it has then (`--semi-space-growth-factor=1`, which V8 reads each time it would grow it; 4 MB
 * semi-spaces on the 10,000-container node instead of 16 MB): a scavenge costs what survives it, about the
 * same in all however often scavenges run, while each page of a bigger young generation is a page fault the
 * first time it is written (~10 us each on the VM measured; ~6,000 fewer faults a run and ~80 ms less CPU
 * on the main thread: docs/performance.md, "2 December, late morning").
 *
 * Set only for runs of many files, when the lint is about to start (a one-file run compiles nothing with
 * TurboFan, and loading `node:v8` costs ~4 ms), and only by the `vzlint` command itself (`main.ts`): the
 * flags are process-wide. Node documents `v8.setFlagsFromString` after start as use-with-care; these flags
 * only change how the compiler optimises, never what the code does. V8 does not throw for a flag it lacks
 * (it prints a line to standard error and goes on); every V8 of Node 18 to 22 has these.
 */

/** The flags set by {@link tuneForLargeRun}. */
const LARGE_RUN_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=100 --no-turbo-loop-peeling --no-turbo-escape';

/**
 * The young generation's part of {@link LARGE_RUN_V8_FLAGS}, left out when the run has lint worker threads
 * (`VZLINT_THREADS`): the flag is process-wide, and a worker's heap, just made with 1 MB semi-spaces, would
 * never grow past them.
 */
const LARGE_RUN_YOUNG_FLAG = '--semi-space-growth-factor=1';

/** The same flags at V8's defaults (`node --v8-options`, in every V8 of Node 18 to 22). */
const DEFAULT_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=920 --turbo-loop-peeling --turbo-escape --semi-space-growth-factor=2';

/**
 * Where {@link tuneForLargeRun} leaves a function that sets the flags back to V8's defaults: the launcher
 * (launch.ts) calls it before it writes its code cache at exit. V8 stamps a code cache with a hash of the
 * flags in force and rejects it in a process whose flags differ, so a cache written with the tuned flag
 * was rejected by every later run (each then compiled the bundle again and rewrote the cache: 1 MB).
 */
export const RESTORE_V8_FLAGS = Symbol.for('vzconf.vzlint.restoreV8Flags');

let tuned = false;

/**
 * Sets {@link LARGE_RUN_V8_FLAGS} once per process (with {@link LARGE_RUN_YOUNG_FLAG} unless `workers`, the
 * run's lint worker threads, is above 0), and leaves {@link RESTORE_V8_FLAGS} for the launcher.
 */
export function tuneForLargeRun(workers = 0): void {
  if (tuned) return;
  tuned = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const v8 = require('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString(workers > 0 ? LARGE_RUN_V8_FLAGS : `${LARGE_RUN_V8_FLAGS} ${LARGE_RUN_YOUNG_FLAG}`);
  (globalThis as Record<symbol, unknown>)[RESTORE_V8_FLAGS] = (): void => v8.setFlagsFromString(DEFAULT_V8_FLAGS);
}

/** Whether {@link tuneForLargeRun} was called in this process: a run of many files (`main.ts` ends it quickly). */
export function tunedForLargeRun(): boolean {
  return tuned;
}
