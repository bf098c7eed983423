/**
 * `--fix-level`: `vzlint --fix` applies the safe fixes of errors and warnings by default, infos only when
 * asked. A stock ploop container (vzctl create from a vSwap sample writes QUOTATIME="0") must not be
 * rewritten by a bulk --fix: ignored-on-ploop is an info whose lines do no harm (docs/rules/ignored-on-ploop.md).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCaptured as run } from '../helpers/vzlint';

/** A container as vzctl 4.x creates it on a ploop node from ve-vswap-256m.conf-sample (written here). */
const STOCK = '# Container 100\nONBOOT="yes"\nPHYSPAGES="0:256M"\nSWAPPAGES="0:256M"\nDISKSPACE="2048M:2253M"\nDISKINODES="262144:288358"\nQUOTATIME="0"\nCPUUNITS="1000"\nVE_ROOT="/vz/root/$VEID"\nVE_PRIVATE="/vz/private/$VEID"\nVE_LAYOUT="ploop"\nOSTEMPLATE="centos-6-x86_64"\n';
/** The same with a slip: an unquoted blank (shell-unsafe-value, a warning whose safe fix quotes the value). */
const SLIP = `${STOCK}DESCRIPTION=web server\n`;

describe('--fix-level: infos are fixed only when asked', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vzconf-fixlevel-'));
    await mkdir(path.join(dir, 'etc/vz/conf'), { recursive: true });
    await writeFile(path.join(dir, 'etc/vz/vz.conf'), 'VE_LAYOUT="ploop"\nDISK_QUOTA="yes"\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  const write = async (name: string, text: string): Promise<string> => {
    const p = path.join(dir, 'etc/vz/conf', name);
    await writeFile(p, text);
    return p;
  };

  it('the default leaves a stock ploop container alone and says how many safe info fixes it left', async () => {
    const p = await write('100.conf', STOCK);
    const r = await run(['--fix-dry-run', 'etc/vz'], dir);
    assert.equal(r.out, '', 'no diff');
    assert.match(r.err, /0 files would change, 0 fixes would be applied;.* 1 safe fix below --fix-level warning not applied \(--fix-level info applies it\)$/m);
    await run(['--fix', 'etc/vz'], dir);
    assert.equal(await readFile(p, 'utf8'), STOCK);
  });
  it('a real problem in the same file is fixed, the QUOTATIME line kept', async () => {
    const p = await write('100.conf', SLIP);
    await run(['--fix', 'etc/vz'], dir);
    assert.equal(await readFile(p, 'utf8'), `${STOCK}DESCRIPTION="web server"\n`);
  });
  it('--fix-level info applies the info fix too', async () => {
    const p = await write('100.conf', STOCK);
    const r = await run(['--fix-dry-run', '--fix-level', 'info', 'etc/vz'], dir);
    assert.match(r.out, /^-QUOTATIME="0"$/m);
    assert.doesNotMatch(r.err, /below --fix-level/);
    await run(['--fix', '--fix-level=info', 'etc/vz'], dir);
    assert.equal(await readFile(p, 'utf8'), STOCK.replace('QUOTATIME="0"\n', ''));
  });
  it('--fix-level error leaves warnings', async () => {
    const p = await write('100.conf', SLIP);
    const r = await run(['--fix-dry-run', '--fix-level', 'error', 'etc/vz'], dir);
    assert.equal(r.out, '');
    assert.match(r.err, /; 2 safe fixes below --fix-level error not applied \(--fix-level info applies them\)$/m);
    await run(['--fix', '--fix-level', 'error', 'etc/vz'], dir);
    assert.equal(await readFile(p, 'utf8'), SLIP);
    const bad = await run(['--fix', '--fix-level', 'loud', 'etc/vz'], dir);
    assert.equal(bad.code, 2);
  });
});
