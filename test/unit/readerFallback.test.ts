/**
 * The built vzlint's reading thread (dist/vzlint-reader.js, read.ts Prefetcher) is an optimisation: when
 * its file is missing, broken, or of another build whose messages differ (a partial copy or upgrade of
 * dist/), a run of 500 files or more must print what it prints with it, and end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../..');
const dist = path.join(repo, 'dist');
let dir = '';
let copy = '';

before(() => {
  if (!existsSync(path.join(dist, 'vzlint-reader.js'))) return;
  dir = mkdtempSync(path.join(tmpdir(), 'vzconf-reader-fallback-'));
  // Enough files for the reading thread (PREFETCH_FROM, 500).
  const conf = path.join(dir, 'node', 'conf');
  mkdirSync(conf, { recursive: true });
  writeFileSync(path.join(dir, 'node', 'vz.conf'), 'VE_LAYOUT=ploop\n');
  for (let i = 100; i < 620; i += 1) writeFileSync(path.join(conf, `${i}.conf`), `HOSTNAME="ct${i}"\nIP_ADDRESS="10.0.${i >> 8}.${i & 255}"\nPHYSPAGES="0:262144"\nFOO=bar\n`);
  copy = path.join(dir, 'dist');
  cpSync(dist, copy, { recursive: true });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `vzlint --format json conf` over the node with the CLI bundle of `distDir` (a guard ends a hang: the test then fails). */
function run(distDir: string): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(distDir, 'vzlint-core.js'), '--format', 'json', 'conf'], { cwd: path.join(dir, 'node'), maxBuffer: 1 << 26, timeout: 60_000 });
  return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

describe('vzlint without a usable reading thread', { skip: existsSync(path.join(dist, 'vzlint-reader.js')) ? false : 'dist/ not built (npm run build)' }, () => {
  const reader = (): string => path.join(copy, 'vzlint-reader.js');
  const variants: [string, () => void][] = [
    ['missing', () => rmSync(reader())],
    ['a syntax error', () => writeFileSync(reader(), 'this is not JavaScript (\n')],
    [
      // A reader of an older build (before readerProtocol.ts: it served `vzlintReader: true`) whose
      // messages differ: it listens and answers nothing this build asks.
      'of an older build whose messages differ',
      () => writeFileSync(reader(), "const { parentPort, workerData } = require('node:worker_threads');\nif (parentPort && workerData && workerData.vzlintReader === true) parentPort.on('message', () => undefined);\n"),
    ],
  ];
  let reference: ReturnType<typeof run> | undefined;
  for (const [what, make] of variants) {
    it(`a reader ${what}: the same output and status as with it`, () => {
      const expected = (reference ??= run(dist));
      assert.equal(expected.status, 1, expected.err);
      cpSync(path.join(dist, 'vzlint-reader.js'), reader());
      make();
      const got = run(copy);
      assert.equal(got.status, expected.status, got.err);
      assert.equal(got.err, expected.err);
      assert.equal(got.out, expected.out);
    });
  }
});
