/**
 * duplicate-ip-address and duplicate-ct-name name the other container's file so that the admin can find it:
 * a Virtuozzo 7 container's UUID-named config whole (it was cut to "3f1c2d4e-1111-4a2b-9c3d…"), within
 * ~100 characters, and its full path in the detail.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCaptured as run } from '../helpers/vzlint';

const UUID = '3f1c2d4e-1111-4a2b-9c3d-0123456789ab';
const CT = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

describe('cross-container findings name the other file whole', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzlint-other-file-'));
    await mkdir(path.join(root, 'vz/conf'), { recursive: true });
    await writeFile(path.join(root, 'vz/vz.conf'), 'VE_ROOT=/vz/root/$VEID\n');
    await writeFile(path.join(root, `vz/conf/${UUID}.conf`), `${CT}HOSTNAME="web1.example.com"\nIP_ADDRESS="10.1.2.3"\n`);
    await writeFile(path.join(root, 'vz/conf/200.conf'), `${CT}IP_ADDRESS="10.1.2.3"\nHOSTNAME="web1.example.com"\n`);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('200.conf is told the UUID file\'s whole name, the UUID file is told 200.conf, full paths in the detail', async () => {
    const r = await run(['--format', 'json', '--target', 'vz7', 'vz'], root);
    const items = JSON.parse(r.out) as { file: string; rule: string; message: string; detail?: string }[];
    const of = (rule: string, file: string): { message: string; detail?: string } | undefined => items.find((i) => i.rule === rule && i.file.endsWith(file));
    const ip200 = of('duplicate-ip-address', '200.conf');
    assert.equal(ip200?.message, `10.1.2.3 is also assigned to ${UUID}.conf line 5`, r.out);
    assert.ok(ip200?.detail?.includes(path.join(root, `vz/conf/${UUID}.conf`)), ip200?.detail);
    assert.equal(of('duplicate-ip-address', `${UUID}.conf`)?.message, '10.1.2.3 is also assigned to 200.conf line 4');
    const name200 = of('duplicate-ct-name', '200.conf');
    assert.equal(name200?.message, `HOSTNAME "web1.example.com" is also used by ${UUID}.conf`, r.out);
    assert.ok(name200?.detail?.includes(path.join(root, `vz/conf/${UUID}.conf`)), name200?.detail);
    for (const i of items) assert.ok(i.message.length <= 100, i.message);
  });
});
