/**
 * QUOTAUGIDLIMIT on a ploop container with DISK_QUOTA=no: classic vzctl (3.1+) mounts the image with user and
 * group quota whenever QUOTAUGIDLIMIT is above 0 and sets it up at start without looking at DISK_QUOTA
 * (src/lib/fs.c, src/lib/res.c @ vzctl-4.11.1); DISK_QUOTA=no only skips the set_ugid_quota script
 * (src/lib/vps_configure.c). quotaugidlimit-on-ploop says so; disk-quota-off, which speaks for simfs, says it
 * for the case where the layout is unknown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';

const CT = '/w/etc/vz/conf/101.conf';
const NODE = (text: string): LintOptions['nodeConfig'] => ({ path: '/w/etc/vz/vz.conf', text });
const rule = (text: string, id: string, opts: LintOptions = {}) => lint(text, { path: CT, ...opts }).findings.filter((f) => f.rule === id);
const PLOOP = 'VE_LAYOUT="ploop"\nPHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nDISKSPACE="2097152:2306867"\n';

describe('QUOTAUGIDLIMIT on ploop and DISK_QUOTA=no', () => {
  it('DISK_QUOTA=no in vz.conf: the finding says it does not turn the user/group quota off', () => {
    const [f, ...rest] = rule(`${PLOOP}QUOTAUGIDLIMIT="100"\n`, 'quotaugidlimit-on-ploop', { nodeConfig: NODE('DISK_QUOTA=no\n') });
    assert.deepEqual(rest, []);
    assert.equal(f?.message, 'QUOTAUGIDLIMIT on ploop only turns user/group quota on (no limit); it stays on with DISK_QUOTA=no');
    assert.ok((f?.message.length ?? 0) <= 100);
    assert.deepEqual(f?.facts, ['classic.ugid-quota-ploop-without-disk-quota']);
    assert.match(f?.detail ?? '', /DISK_QUOTA=no \(vz\.conf line 1 \(\/w\/etc\/vz\/vz\.conf\)\) does not turn it off on ploop/);
    // No disk-quota-off finding on a known ploop layout.
    assert.deepEqual(rule(`${PLOOP}QUOTAUGIDLIMIT="100"\n`, 'disk-quota-off', { nodeConfig: NODE('DISK_QUOTA=no\n') }), []);
  });

  it('with the quota on, the message is as before and states no DISK_QUOTA fact', () => {
    const [f] = rule(`${PLOOP}QUOTAUGIDLIMIT="100"\n`, 'quotaugidlimit-on-ploop', { nodeConfig: NODE('DISK_QUOTA=yes\n') });
    assert.equal(f?.message, 'QUOTAUGIDLIMIT on ploop only turns user/group quota on; the number is not a limit');
    assert.doesNotMatch(f?.detail ?? '', /DISK_QUOTA/);
  });

  it('layout unknown (vz.conf VE_LAYOUT is only the create default): disk-quota-off speaks for simfs and says ploop keeps it on', () => {
    const [f] = rule('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nQUOTAUGIDLIMIT="100"\n', 'disk-quota-off', { nodeConfig: NODE('DISK_QUOTA=no\nVE_LAYOUT=ploop\n') });
    assert.equal(f?.message, 'QUOTAUGIDLIMIT has no effect if simfs: DISK_QUOTA=no in vz.conf line 1');
    assert.match(f?.detail ?? '', /On ploop, though, DISK_QUOTA=no does not turn QUOTAUGIDLIMIT off/);
  });
});

describe('QUOTAUGIDLIMIT on Virtuozzo 7 (libvzctl reads it only as zero or not, lib/util.c, lib/disk.c, lib/env.c @ v7.0.42..v8.0.90)', () => {
  it('any container, no layout needed: the last line above 0 is an on/off switch', () => {
    for (const target of ['vz7@7.0.737', 'vz7@7.0.46', 'vz7@8.0.90']) {
      const fs = rule('QUOTAUGIDLIMIT="100"\nQUOTAUGIDLIMIT="500"\n', 'quotaugidlimit-on-ploop', { target, kind: 'container' });
      assert.deepEqual(fs.map((f) => [f.range.start.line, f.severity, f.message]), [[1, 'info', 'QUOTAUGIDLIMIT on Virtuozzo 7 only turns user/group quota on; the number is not a limit']], target);
    }
    assert.deepEqual(rule('QUOTAUGIDLIMIT="0"\n', 'quotaugidlimit-on-ploop', { target: 'vz7', kind: 'container' }), []);
    assert.deepEqual(rule('QUOTAUGIDLIMIT="500"\nQUOTAUGIDLIMIT="0"\n', 'quotaugidlimit-on-ploop', { target: 'vz7', kind: 'container' }), [], 'libvzctl reads the last line');
  });
  it('classic without a known ploop layout stays silent (simfs uses the number as the vzquota limit)', () => {
    assert.deepEqual(rule('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nQUOTAUGIDLIMIT="500"\n', 'quotaugidlimit-on-ploop', { target: 'classic@4.11.1', kind: 'container' }), []);
  });
});
