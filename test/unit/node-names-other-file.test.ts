/**
 * duplicate-ip-address, duplicate-ct-name and duplicate-mac-address name the other container's file so that the admin can find it:
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
    await writeFile(path.join(root, `vz/conf/${UUID}.conf`), `${CT}HOSTNAME="web1.example.com"\nIP_ADDRESS="10.1.2.3"\nNETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\n`);
    await writeFile(path.join(root, 'vz/conf/200.conf'), `${CT}IP_ADDRESS="10.1.2.3"\nHOSTNAME="web1.example.com"\nNETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\n`);
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
    assert.equal(of('duplicate-mac-address', '200.conf')?.message, `MAC 00:18:51:AA:BB:CC is also set in ${UUID}.conf line 6`, r.out);
    assert.equal(of('duplicate-mac-address', `${UUID}.conf`)?.message, 'MAC 00:18:51:AA:BB:CC is also set in 200.conf line 6');
    for (const i of items) assert.ok(i.message.length <= 100, i.message);
  });
});

describe('--summary says what the memory was compared with', () => {
  it('--node-ram alone: RAM (swap not given); with --node-swap: RAM + swap', async () => {
    const root = path.resolve(__dirname, '../..');
    const ramOnly = await run(['--no-color', '--summary', '--node-ram', '4G', 'examples'], root);
    assert.match(ramOnly.out, /PHYSPAGES \+ SWAPPAGES \+ PRIVVMPAGES: 4\.25 GiB of node RAM 4 GiB \(swap not given\) \(over\)/);
    assert.match(ramOnly.out, /above node RAM \(4 GiB; swap not given\)/);
    assert.doesNotMatch(ramOnly.out, /RAM \+ swap/);
    const both = await run(['--no-color', '--summary', '--node-ram', '4G', '--node-swap', '1G', 'examples'], root);
    assert.match(both.out, /PHYSPAGES \+ SWAPPAGES \+ PRIVVMPAGES: 4\.25 GiB of node RAM \+ swap 5 GiB\n/);
    // Rule rows: errors, then warnings, then infos, each by count.
    const rank = (s: string | undefined): number => ['error', 'warning', 'info'].indexOf(s ?? '');
    // One block per node (a blank line between them), then the fleet's.
    const blocks = both.out.split('\n\n').filter((b) => /^(Node |Fleet:)/m.test(b));
    assert.deepEqual(blocks.map((b) => /^(Node |Fleet:).*/m.exec(b)?.[0]), ['Node examples/etc/vz/vz.conf (3 containers, 4 files)', 'Node templates (0 containers, 1 file)', 'Fleet: 2 nodes (3 containers, 5 files)']);
    for (const block of [blocks[0] as string, blocks[2] as string]) {
      const rows = [...block.matchAll(/^ {4}[a-z-]+: \d+ (error|warning|info)/gm)].map((m) => m[1]);
      assert.ok(rows.length > 3 && rows.every((s, i) => i === 0 || rank(rows[i - 1]) <= rank(s)), rows.join());
    }
  });
});
