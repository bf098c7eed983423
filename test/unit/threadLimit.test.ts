/**
 * Threads are an optimisation of large vzlint runs: the reading thread (read.ts Prefetcher) and the lint
 * worker threads (lintWorker.ts LintPool). Where none can be started — `new Worker` throws EAGAIN under a
 * thread limit (`ulimit -u`, a cgroup's pids.max counts threads) — a run must lint as it does without them,
 * not end with an internal error.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigReader } from '../../server/src/cli/read';
import { runCaptured } from '../helpers/vzlint';

// The module object the sources load `Worker` from (they require it when they start a thread).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const threads = require('node:worker_threads') as { Worker: unknown };

let dir = '';
const files: string[] = [];

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vzconf-thread-limit-'));
  mkdirSync(path.join(dir, 'conf'));
  writeFileSync(path.join(dir, 'vz.conf'), 'VE_LAYOUT=ploop\n');
  // More containers than one worker batch (64), so that the run hands batches to worker threads.
  for (let i = 100; i < 400; i += 1) {
    const p = path.join(dir, 'conf', `${i}.conf`);
    writeFileSync(p, `HOSTNAME="ct${i}"\nIP_ADDRESS="10.0.${i >> 8}.${i & 255}"\nPHYSPAGES="0:262144"\nFOO=bar\n`);
    files.push(p);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` while every `new Worker` throws as it does when the system refuses a thread. */
async function withoutThreads<T>(fn: () => Promise<T>): Promise<T> {
  const original = threads.Worker;
  threads.Worker = function Worker(): never {
    throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
  };
  try {
    return await fn();
  } finally {
    threads.Worker = original;
  }
}

describe('no thread can be started', () => {
  it('the reading thread: ConfigReader reads every file itself', async () => {
    const plain = new ConfigReader();
    const reader = new ConfigReader();
    await withoutThreads(async () => {
      assert.doesNotThrow(() => reader.prefetch(files, 1));
      for (const f of files) assert.deepEqual(await reader.read(f), await plain.read(f));
      await reader.close();
    });
  });

  it('vzlint with the reading thread: the same output as without it', async () => {
    const expected = await runCaptured(['--format', 'json', '.'], dir, { prefetchFrom: Infinity });
    const got = await withoutThreads(() => runCaptured(['--format', 'json', '.'], dir, { prefetchFrom: 1 }));
    assert.equal(expected.err, '');
    assert.deepEqual(got, expected);
  });

  it('vzlint with worker threads: says so once and lints without them, the same output', async () => {
    const expected = await runCaptured(['--format', 'json', '.'], dir, { prefetchFrom: Infinity });
    const got = await withoutThreads(() => runCaptured(['--format', 'json', '.'], dir, { workers: 2, workersFrom: 1 }));
    assert.equal(got.err, 'vzlint: worker thread failed (EAGAIN); linting without worker threads\n');
    assert.equal(got.code, expected.code);
    assert.equal(got.out, expected.out);
  });
});
