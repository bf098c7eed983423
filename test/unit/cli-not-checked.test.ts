/**
 * vzlint with `--rule file-too-large=off` over a file above the size limit: the file is not checked (no
 * finding says so, a warning on stderr does), and the summary line counts it apart from the files checked
 * instead of calling it checked — in a folder, named alone, with --quiet, --verbose, --fix, and when a
 * worker thread read it.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_FILE_BYTES } from '../../server/src/limits';
import { runCaptured as run } from '../helpers/vzlint';

const OFF = ['--rule', 'file-too-large=off', '--no-color'];
const VSWAP = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

describe('vzlint: a file too large with file-too-large off is not counted as checked', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzlint-not-checked-'));
    await mkdir(path.join(root, 'vz/conf'), { recursive: true });
    await writeFile(path.join(root, 'vz/vz.conf'), 'VE_ROOT=/vz/root/$VEID\n');
    await writeFile(path.join(root, 'vz/conf/101.conf'), `${VSWAP}ONBOOT="no"\n`);
    await writeFile(path.join(root, 'vz/conf/102.conf'), `${VSWAP}${'#'.repeat(MAX_FILE_BYTES)}\n`);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a folder: "in 1 of 2 files" plus the one not checked, not "of 3 files"', async () => {
    const r = await run([...OFF, 'vz'], root);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /vz\/conf\/102\.conf: not checked, larger than 4 MiB \(file-too-large is off\)/);
    assert.match(r.out, /✖ 1 problem \(0 errors, 1 warning, 0 infos\) in 1 of 2 files \(1 file not checked: over 4 MiB with file-too-large off\)\n$/);
  });

  it('named alone: "0 files checked", never "1 file checked"', async () => {
    const r = await run([...OFF, 'vz/conf/102.conf'], root);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '✔ no problems (0 files checked; 1 file not checked: over 4 MiB with file-too-large off)\n');
  });

  it('--verbose lists it as not checked, without a kind or target it was never given', async () => {
    const r = await run([...OFF, '--verbose', 'vz'], root);
    assert.match(r.out, /^vz\/conf\/102\.conf \[not checked: over 4 MiB with file-too-large off\]$/m);
    assert.match(r.out, /^vz\/vz\.conf \[node, classic@[\d.]+\]$/m);
  });

  it('--quiet says both what it hid and what was not checked', async () => {
    const r = await run([...OFF, '--quiet', 'vz'], root);
    assert.equal(r.out, '✔ no errors (2 files checked; 1 file not checked: over 4 MiB with file-too-large off; 1 warning not shown: --quiet)\n');
  });

  it('--fix with nothing to fix (reports gathered, not streamed): the same count', async () => {
    const r = await run([...OFF, '--fix', 'vz/conf/102.conf', 'vz/vz.conf'], root);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '✔ no problems (1 file checked; 1 file not checked: over 4 MiB with file-too-large off)\n');
  });

  it('read by a worker thread: the same summary as without workers', async () => {
    const dir = path.join(root, 'many/conf');
    await mkdir(dir, { recursive: true });
    for (let ct = 101; ct < 165; ct += 1) await writeFile(path.join(dir, `${ct}.conf`), ct === 103 ? '#'.repeat(MAX_FILE_BYTES + 1) : VSWAP);
    for (const workers of [0, 2]) {
      const r = await run([...OFF, 'many'], root, { workers, workersFrom: 1 });
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, '✔ no problems (63 files checked; 1 file not checked: over 4 MiB with file-too-large off)\n', `workers: ${workers}`);
    }
  });
});
