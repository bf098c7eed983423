/**
 * The memory table of `vzlint --node-ram` on a large node: the rows that matter (every container over the
 * node alone, then the largest) and a count of the rest; every row with --verbose; totals over all rows.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatMemoryTable, MEMORY_TABLE_ROWS, type MemoryTable } from '../../server/src/cli/format';
import type { MemoryRow } from '../../server/src/service/node';
import { runCaptured as run } from '../helpers/vzlint';

const GIB = 1024n ** 3n;

function table(rows: MemoryRow[], ramGiB: bigint): MemoryTable {
  const ram = rows.reduce((s, r) => s + (r.ramBytes ?? 0n), 0n);
  const swap = rows.reduce((s, r) => s + (r.swapBytes ?? 0n), 0n);
  return {
    node: '/etc/vz/vz.conf',
    display: (p) => p,
    summary: { rows, ramBytes: ram, swapBytes: swap, privvmBytes: 0n, totalBytes: ram + swap, unlimited: { physpages: 0, swappages: 0, privvmpages: 0 }, capacity: { ramBytes: ramGiB * GIB }, overRam: ram > ramGiB * GIB, overTotal: ram + swap > ramGiB * GIB, overSwap: false },
  };
}
const row = (ctid: number, ramGiB: bigint): MemoryRow => ({ path: `conf/${ctid}.conf`, ctid: String(ctid), mode: 'vswap', basis: 'PHYSPAGES limit + SWAPPAGES limit', ramBytes: ramGiB * GIB, swapBytes: 0n });

describe('memory table rows on a large node', () => {
  // 1,000 containers of 1 GiB, a few of 2 GiB, one of 128 GiB (over a 64 GiB node alone).
  const rows = Array.from({ length: 1000 }, (_, i) => row(100 + i, i % 97 === 0 ? 2n : 1n));
  rows[500] = row(600, 128n);
  const shown = (text: string): string[] => [...text.matchAll(/conf\/(\d+)\.conf/g)].map((m) => m[1] ?? '');

  it('shows the container over the node first, then the largest, up to MEMORY_TABLE_ROWS, and counts the rest', () => {
    const out = formatMemoryTable([table(rows, 64n)], { color: false });
    const ids = shown(out);
    assert.equal(ids.length, MEMORY_TABLE_ROWS);
    assert.equal(ids[0], '600');
    for (const id of ids.slice(1, 11)) assert.equal((Number(id) - 100) % 97, 0, `${id} is one of the 2 GiB containers`);
    assert.match(out, new RegExp(`… ${1000 - MEMORY_TABLE_ROWS} more containers +\\(--verbose lists them all\\)`));
    assert.match(out, /total +1\.11 TiB/, 'the total still counts every container (1,138 GiB)');
  });
  it('every row with verbose; a small node as before, in file order and without a count', () => {
    assert.equal(shown(formatMemoryTable([table(rows, 64n)], { color: false, verbose: true })).length, 1000);
    const small = formatMemoryTable([table(rows.slice(0, 5), 64n)], { color: false });
    assert.deepEqual(shown(small), ['100', '101', '102', '103', '104']);
    assert.doesNotMatch(small, /more container/);
  });
  it('every container over the node is shown, even past the limit', () => {
    const many = rows.map((r, i) => (i < 30 ? row(100 + i, 65n) : r));
    assert.equal(shown(formatMemoryTable([table(many, 64n)], { color: false })).filter((id) => Number(id) < 130).length, 30);
  });

  describe('vzlint --node-ram over a node of 40 containers', () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'vzconf-memrows-'));
      await mkdir(path.join(dir, 'etc/vz/conf'), { recursive: true });
      await writeFile(path.join(dir, 'etc/vz/vz.conf'), 'VE_LAYOUT="ploop"\n');
      for (let i = 0; i < 40; i += 1) await writeFile(path.join(dir, `etc/vz/conf/${200 + i}.conf`), `PHYSPAGES="0:${i === 7 ? 96 : 1}G"\nSWAPPAGES="0:1G"\n`);
    });
    after(async () => rm(dir, { recursive: true, force: true }));
    it('prints the rows that matter, all with --verbose', async () => {
      const r = await run(['--node-ram', '64G', 'etc/vz'], dir);
      const table = r.out.slice(r.out.indexOf('Memory committed'));
      assert.equal(shown(table).length, MEMORY_TABLE_ROWS);
      assert.equal(shown(table)[0], '207');
      assert.match(r.out, new RegExp(`… ${40 - MEMORY_TABLE_ROWS} more containers`));
      const v = await run(['--node-ram', '64G', '--verbose', 'etc/vz'], dir);
      assert.equal(shown(v.out.slice(v.out.indexOf('Memory committed'))).length, 40);
    });
  });
});
