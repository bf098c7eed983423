/**
 * Rules of the limits family (server/src/rules/limits/): memory sense checks, layout and quota,
 * limitations with KB links. Each rule: positive and negative cases, fixes applied and re-linted,
 * real corpus inputs (../shared/corpus).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { LIMITS_RULES } from '../../server/src/rules/limits/index';
import { sharedStorageHint } from '../../server/src/rules/limits/common';
import { looksLikeBytes } from '../../server/src/values/numbers';
import type { Finding } from '../../server/src/rules/types';
import { computeHover } from '../../server/src/service/hover';
import { analyze, lint, type LintOptions } from '../../server/src/service/lint';
import { pagesValueInBytes } from '../../server/src/rules/limits/memory';
import { clearParseCache } from '../../server/src/parser/parse';
import { parseSizedNumber } from '../../server/src/values/numbers';
import { applyEdits } from '../helpers/edits';
import { NEEDS_CORPUS } from '../helpers/corpus';

/** A finding's whole text: the short message and the long detail (where the numbers and the why went). */
const said = (f: { message: string; detail?: string } | undefined): string => `${f?.message ?? ''} ${f?.detail ?? ''}`;

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';
const corpus = resolve(__dirname, '../../../shared/corpus');
const read = (rel: string): string => readFileSync(resolve(corpus, rel), 'utf8');
const MINE = new Set(LIMITS_RULES.map((r) => r.id));

/** Findings of one rule (or of every limits rule when `rule` is omitted). */
function run(text: string, opts: LintOptions = { path: CT }, rule?: string): Finding[] {
  return lint(text, opts).findings.filter((f) => (rule ? f.rule === rule : MINE.has(f.rule)));
}

/** Applies the fix titled like `title` of the first `rule` finding and re-lints (`after`: limits findings only, other families evolve on their own). */
function applyFix(text: string, opts: LintOptions, rule: string, title: RegExp = /./): { text: string; after: Finding[]; safe: boolean } {
  const f = run(text, opts, rule)[0];
  assert.ok(f, `no ${rule} finding`);
  const fix = f.fixes?.find((x) => title.test(x.title));
  assert.ok(fix, `no fix matching ${title} among ${f.fixes?.map((x) => x.title).join(' | ')}`);
  const next = applyEdits(text, fix.edits);
  return { text: next, after: lint(next, opts).findings.filter((x) => MINE.has(x.rule)), safe: fix.safe };
}

const nodeWith = (text: string): LintOptions => ({ path: CT, nodeConfig: { path: NODE, text } });

describe('limits: registration', () => {
  it('registers twelve rules, each with metadata and a docs page (checked by rules.test.ts too)', () => {
    assert.equal(LIMITS_RULES.length, 12);
    const ids = LIMITS_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('privvmpages-below-vswap', () => {
  const issueCase = 'PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="512M:512M"\n';

  it('flags the issue case with pages and MiB', () => {
    const [f, ...rest] = run(issueCase, { path: CT }, 'privvmpages-below-vswap');
    assert.ok(f);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, 2);
    assert.match(said(f), /131072 pages \(512 MiB\)/);
    assert.match(said(f), /= 262144 pages \(1 GiB\)/);
  });

  it('is silent when PRIVVMPAGES covers RAM+swap, is unlimited, or the CT is not vSwap', () => {
    assert.deepEqual(run('PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="1G:1G"\n', { path: CT }, 'privvmpages-below-vswap'), []);
    assert.deepEqual(run('PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="unlimited"\n', { path: CT }, 'privvmpages-below-vswap'), []);
    assert.deepEqual(run('PHYSPAGES="0:unlimited"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="512M:512M"\n', { path: CT }, 'privvmpages-below-vswap'), []);
    assert.deepEqual(run('PHYSPAGES="0:2147483647"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="512M:512M"\n', { path: CT }, 'privvmpages-below-vswap'), []);
    // No SWAPPAGES: the required-set rule's business, no RAM+swap to compare with.
    assert.deepEqual(run('PHYSPAGES="0:512M"\nPRIVVMPAGES="256M"\n', { path: CT }, 'privvmpages-below-vswap'), []);
  });

  it('applies to classic containers only (not vz7, not 0.conf)', () => {
    assert.deepEqual(run(issueCase, { path: CT, target: 'vz7' }, 'privvmpages-below-vswap'), []);
    assert.deepEqual(run(issueCase, { path: '/etc/vz/conf/0.conf' }, 'privvmpages-below-vswap'), []);
  });

  it('fix: set to RAM+swap, re-lint is clean; fix: remove the line', () => {
    const a = applyFix(issueCase, { path: CT }, 'privvmpages-below-vswap', /RAM\+swap/);
    assert.equal(a.text, 'PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="262144:262144"\n');
    assert.equal(a.safe, false);
    assert.ok(!a.after.some((f) => f.rule === 'privvmpages-below-vswap'));
    const b = applyFix(issueCase, { path: CT }, 'privvmpages-below-vswap', /Remove/);
    assert.equal(b.text, 'PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\n');
    assert.ok(!b.after.some((f) => f.rule === 'privvmpages-below-vswap'));
  });
});

describe('pages-value-in-bytes', () => {
  it('flags the issue case / wild 033: 4 TiB / 7.96 TiB as pages, 1 GiB / 1.99 GiB as bytes', { skip: NEEDS_CORPUS }, () => {
    for (const text of ['PRIVVMPAGES="1073741824:2137483648"\n', read('wild/033-shorewall-doc-2009-101.conf')]) {
      const fs = run(text, { path: CT }, 'pages-value-in-bytes');
      assert.equal(fs.length, 1);
      const f = fs[0] as Finding;
      assert.equal(f.severity, 'warning');
      assert.match(said(f), /4 TiB \/ 7\.96 TiB as pages/);
      assert.match(said(f), /1 GiB \/ 1\.99 GiB/);
    }
  });

  it('never fires on unlimited, LONG_MAX, INT_MAX, sentinels, suffixed values or normal sizes', { skip: NEEDS_CORPUS }, () => {
    for (const v of ['unlimited', '9223372036854775807', '2147483647:2147483647', '4294967295', '999999999', '99999999999999999:99999999999999999', '0:2T', '262144:292912', '268435455']) {
      assert.deepEqual(run(`PRIVVMPAGES="${v}"\n`, { path: CT }, 'pages-value-in-bytes'), [], v);
    }
    // wild 036 ("99999999999999999") and the VZ7 slm samples (INT_MAX / LONG_MAX).
    assert.deepEqual(run(read('wild/036-puppet-openvz-example-sample-ct-uncommented.conf'), { path: CT }, 'pages-value-in-bytes'), []);
    assert.deepEqual(run(read('upstream/virtuozzo7-vzctl/etc/ve-slm.512MB.conf-sample'), { path: '/x/ve-slm.512MB.conf-sample' }, 'pages-value-in-bytes'), []);
  });

  it('the threshold is 2^28 pages (1 TiB) and 2^44', () => {
    const part = (t: string) => {
      const r = parseSizedNumber(t, 0, 'pages', 'classic');
      assert.ok(r.ok);
      return r.part;
    };
    assert.equal(looksLikeBytes(part('268435456')), true);
    assert.equal(looksLikeBytes(part('268435455')), false);
    assert.equal(looksLikeBytes(part('17592186044416')), true);
    assert.equal(looksLikeBytes(part('17592186044417')), false);
    assert.equal(looksLikeBytes(part('1G')), false);
  });

  it('also checks PHYSPAGES (both generations) and 0.conf, but not what the target ignores', () => {
    assert.equal(run('PHYSPAGES="0:536870912"\nSWAPPAGES="0:0"\n', { path: CT }, 'pages-value-in-bytes').length, 1);
    assert.equal(run('VERSION="2"\nPHYSPAGES="536870912:536870912"\n', { path: CT }, 'pages-value-in-bytes').length, 1);
    assert.equal(run('PRIVVMPAGES="1073741824"\n', { path: '/etc/vz/conf/0.conf' }, 'pages-value-in-bytes').length, 1);
    // OOMGUARPAGES is ignored by Virtuozzo 7.
    assert.deepEqual(run('OOMGUARPAGES="1073741824"\n', { path: CT, target: 'vz7' }, 'pages-value-in-bytes'), []);
  });

  it('fix: divide by 4096 (not safe), then clean; "unlimited" offered for limits but not PHYSPAGES', () => {
    const r = applyFix('PRIVVMPAGES="1073741824:2137483648"\n', { path: CT }, 'pages-value-in-bytes', /divide/);
    assert.equal(r.text, 'PRIVVMPAGES="262144:521846"\n');
    assert.equal(r.safe, false);
    assert.ok(!r.after.some((f) => f.rule === 'pages-value-in-bytes'));
    const u = applyFix('PRIVVMPAGES="1073741824:unlimited"\n', { path: CT }, 'pages-value-in-bytes', /divide/);
    assert.equal(u.text, 'PRIVVMPAGES="262144:unlimited"\n');
    const n = applyFix('PRIVVMPAGES="1073741824"\n', { path: CT }, 'pages-value-in-bytes', /unlimited/);
    assert.equal(n.text, 'PRIVVMPAGES="unlimited"\n');
    assert.deepEqual(n.after, []);
    const phys = run('PHYSPAGES="0:536870912"\nSWAPPAGES="0:0"\n', { path: CT }, 'pages-value-in-bytes')[0];
    assert.ok(phys && !phys.fixes?.some((x) => /unlimited/.test(x.title)));
    // A mixed pair that division would invert gets no divide fix.
    const mixed = run('PRIVVMPAGES="300000:1073741824"\n', { path: CT }, 'pages-value-in-bytes')[0];
    assert.ok(mixed && !mixed.fixes?.some((x) => /divide/.test(x.title)));
  });
});

describe('pages-value-in-bytes: lines found by parameter, reported in file order', () => {
  it('the rule itself returns its findings in file order, whatever the catalogue order of the parameters', () => {
    // SWAPPAGES, PRIVVMPAGES, PHYSPAGES: not the catalogue's order; a second PRIVVMPAGES line too.
    const text = 'SWAPPAGES="1073741824"\nPRIVVMPAGES="2147483648"\nNUMPROC="240:240"\nPHYSPAGES="0:536870912"\nPRIVVMPAGES="1073741824"\n';
    const fs = pagesValueInBytes.check(analyze(text, { path: CT }));
    assert.deepEqual(fs.map((f) => f.range.start.line), [0, 1, 3, 4]);
    assert.deepEqual(fs.map((f) => f.message.split(':')[0]), ['SWAPPAGES', 'PRIVVMPAGES', 'PHYSPAGES', 'PRIVVMPAGES']);
  });
});

describe('early exits: a rule still reports when the line it looks for first is there', () => {
  it('privvmpages-below-vswap and meminfo-under-vswap, with the line they look up first last in the file', () => {
    assert.equal(run('PHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\nPRIVVMPAGES="256M:256M"\n', { path: CT }, 'privvmpages-below-vswap').length, 1);
    assert.equal(run('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nMEMINFO="privvmpages:1"\n', { path: CT }, 'meminfo-under-vswap').length, 1);
    // Without the vSwap PHYSPAGES: nothing, with the line there.
    assert.deepEqual(run('PRIVVMPAGES="256M:256M"\nSWAPPAGES="0:512M"\n', { path: CT }, 'privvmpages-below-vswap'), []);
    assert.deepEqual(run('MEMINFO="privvmpages:1"\n', { path: CT }, 'meminfo-under-vswap'), []);
  });

  it('shared-storage-path answers each file for its own value (the last value of a key is remembered)', () => {
    const nfs = 'VE_PRIVATE="/mnt/nfs/vz/private/$VEID"\nVE_ROOT="/vz/root/$VEID"\n';
    const local = 'VE_PRIVATE="/vz/private/$VEID"\nVE_ROOT="/mnt/nfs/root/$VEID"\n';
    for (let i = 0; i < 2; i += 1) {
      assert.deepEqual(run(nfs, { path: CT }, 'shared-storage-path').map((f) => f.range.start.line), [0]);
      assert.deepEqual(run(local, { path: CT }, 'shared-storage-path').map((f) => f.range.start.line), [1]);
    }
  });
});

describe('meminfo-under-vswap', () => {
  it('flags MEMINFO in a vSwap container (faded), not in a UBC one', { skip: NEEDS_CORPUS }, () => {
    const [f] = run('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nMEMINFO="privvmpages:1"\n', { path: CT }, 'meminfo-under-vswap');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(f.unnecessary, true);
    assert.match(said(f), /65536 pages \(256 MiB\)/);
    assert.deepEqual(run('PHYSPAGES="0:unlimited"\nMEMINFO="privvmpages:1"\n', { path: CT }, 'meminfo-under-vswap'), []);
    assert.deepEqual(run(read('wild/036-puppet-openvz-example-sample-ct-uncommented.conf'), { path: CT }, 'meminfo-under-vswap'), []);
  });

  it('classic only; the VZ7 vps samples with MEMINFO get nothing', { skip: NEEDS_CORPUS }, () => {
    assert.deepEqual(run('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nMEMINFO="privvmpages:1"\n', { path: CT, target: 'vz7' }, 'meminfo-under-vswap'), []);
    assert.deepEqual(run(read('upstream/virtuozzo7-vzctl/etc/ve-vps.256MB.conf-sample'), { path: '/x/ve-vps.256MB.conf-sample' }, 'meminfo-under-vswap'), []);
  });

  it('fix: remove (safe), then clean', () => {
    const r = applyFix('PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nMEMINFO="privvmpages:1"\n', { path: CT }, 'meminfo-under-vswap');
    assert.equal(r.text, 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\n');
    assert.equal(r.safe, true);
    assert.deepEqual(r.after, []);
  });
});

describe('layoutOf: the last file\'s answer is reused only for the same line, check, target, kind and sample-ness', () => {
  it('files sharing one VE_LAYOUT line model, linted in turn with other targets, kinds and paths, get their own layout', () => {
    const text = 'VE_LAYOUT="ploop"\nDISKINODES="200000:220000"\n';
    const ploop = (opts: LintOptions): number => run(text, opts, 'ignored-on-ploop').length;
    for (let i = 0; i < 2; i += 1) {
      assert.equal(ploop({ path: CT, target: 'classic' }), 1);
      // vzctl 4.9.3 detects an existing container's layout: the line says nothing there.
      assert.equal(ploop({ path: CT, target: 'classic@4.9.3' }), 0);
      // … but a sample is read by vzctl create (DISKINODES in a sample sizes the image: not flagged either).
      assert.equal(ploop({ path: '/etc/vz/conf/ve-x.conf-sample', target: 'classic@4.9.3' }), 0);
      assert.equal(run('VE_LAYOUT="ploop"\nQUOTATIME="0"\n', { path: '/etc/vz/conf/ve-x.conf-sample', target: 'classic@4.9.3' }, 'ignored-on-ploop').length, 1);
      assert.equal(run('VE_LAYOUT="ploop"\nQUOTATIME="0"\n', { path: CT, target: 'classic@4.9.3' }, 'ignored-on-ploop').length, 0);
      // Another value on the same line number: another line model.
      assert.equal(run('VE_LAYOUT="simfs"\nDISKINODES="200000:220000"\n', { path: CT, target: 'classic' }, 'ignored-on-ploop').length, 0);
      // The same line in vz.conf: not a container.
      assert.equal(ploop({ path: NODE, target: 'classic' }), 0);
    }
  });
});

describe('ignored-on-ploop', () => {
  const quota = 'DISKSPACE="1G:1.1G"\nDISKINODES="200000:220000"\nQUOTATIME="0"\nDISK_QUOTA="yes"\n';

  it('flags DISKINODES, QUOTATIME and DISK_QUOTA when the CT says ploop', () => {
    const fs = run(`VE_LAYOUT="ploop"\n${quota}`, { path: CT }, 'ignored-on-ploop');
    assert.deepEqual(fs.map((f) => f.range.start.line), [2, 3, 4]);
    assert.ok(fs.every((f) => f.severity === 'info'));
    // QUOTATIME and DISK_QUOTA do nothing (faded); DISKINODES still sizes an image made from this config.
    assert.deepEqual(fs.map((f) => f.unnecessary === true), [false, true, true]);
  });

  it('only from vzctl 4.9.4: before, vzctl reads VE_LAYOUT for vzctl create only and detects the layout from the private area', () => {
    // src/lib/config.c @ vzctl-4.9.3 stores VE_LAYOUT in the create options; src/vzctl.c @ vzctl-4.9.4 reads it for the CT.
    for (const target of ['classic@3.1', 'classic@4.7', 'classic@4.9.3']) {
      assert.deepEqual(run(`VE_LAYOUT="ploop"\n${quota}`, { path: CT, target }, 'ignored-on-ploop'), [], target);
      assert.deepEqual(run('VE_LAYOUT="simfs"\nMOUNT_OPTS="noatime"\n', { path: CT, target }, 'mount-opts-on-simfs'), [], target);
    }
    assert.equal(run(`VE_LAYOUT="ploop"\n${quota}`, { path: CT, target: 'classic@4.9.4' }, 'ignored-on-ploop').length, 3);
    // A sample's own line is what vzctl create takes, at any version (from 4.7 DISKINODES sizes the image: not flagged).
    assert.equal(run(`VE_LAYOUT="ploop"\n${quota}`, { path: '/etc/vz/conf/ve-x.conf-sample', target: 'classic@4.6.1' }, 'ignored-on-ploop').length, 3);
    assert.equal(run(`VE_LAYOUT="ploop"\n${quota}`, { path: '/etc/vz/conf/ve-x.conf-sample', target: 'classic@4.7' }, 'ignored-on-ploop').length, 2);
  });

  it('from vzctl 4.7 DISKINODES sizes a new ploop image: a sample keeps it, a container is told only create/convert use it', () => {
    // ef320d32 "vzctl create, vzctl convert: honor diskinodes": src/lib/create.c and src/lib/image.c @ vzctl-4.7.
    const big = 'VE_LAYOUT="ploop"\nDISKSPACE="10G:10G"\nDISKINODES="655360:655360"\nQUOTATIME="0"\n';
    const sample = { path: '/etc/vz/conf/ve-big.conf-sample' };
    for (const target of ['classic@4.7', 'classic@4.11.1']) {
      const fs = run(big, { ...sample, target }, 'ignored-on-ploop');
      assert.deepEqual(fs.map((f) => /^(\w+)/.exec(f.message)?.[1]), ['QUOTATIME'], target);
      // No safe fix in a sample: vzctl create --layout simfs overrides its VE_LAYOUT and uses the quota lines.
      assert.ok(fs.every((f) => f.fixes?.every((x) => !x.safe)), target);
    }
    // Before 4.7 the ploop image came from DISKSPACE alone: DISKINODES had no effect, but the fix stays unsafe in a sample.
    const old = run(big, { ...sample, target: 'classic@4.6.1' }, 'ignored-on-ploop');
    assert.match(old[0]?.message ?? '', /^DISKINODES has no effect on a ploop container/);
    assert.equal(old[0]?.fixes?.[0]?.safe, false);
    // A container config: no limit, read only by vzctl create (a config written before it) and convert; never a safe fix.
    const ct = run(big, { path: CT }, 'ignored-on-ploop');
    assert.equal(ct[0]?.message, 'DISKINODES sets no limit on a ploop container; only vzctl create and convert use it');
    assert.deepEqual(ct[0]?.facts, ['classic.ploop-diskinodes-create-only']);
    assert.equal(ct[0]?.fixes?.[0]?.safe, false);
    assert.notEqual(ct[0]?.unnecessary, true);
    assert.match(ct[0]?.detail ?? '', /vzctl-4\.7|vzctl-4\.11\.1/);
  });

  it('gives the findings of a fresh lint to files that share their lines (a fleet), and the right fix on a last line', () => {
    // The containers of a node share line models; the rule keeps one finding per shared line. Each file's
    // findings must still be its own: the same as linting it alone (parse cache cleared), including the
    // fix of a DISKINODES line that ends a file without a final newline (its line break is the one before).
    const files = [
      `VE_LAYOUT="ploop"\n${quota}HOSTNAME="a"\n`,
      `VE_LAYOUT="ploop"\n${quota}HOSTNAME="b"\n`,
      'VE_LAYOUT="ploop"\nDISKSPACE="1G:1.1G"\nDISKINODES="200000:220000"',
      `VE_LAYOUT="ploop"\n${quota}`,
      `VE_LAYOUT="ploop:expanded"\n${quota}`,
    ];
    const together = files.map((text) => run(text, { path: CT }, 'ignored-on-ploop'));
    const alone = files.map((text) => {
      clearParseCache();
      return run(text, { path: CT }, 'ignored-on-ploop');
    });
    assert.deepEqual(together, alone);
    const last = together[2]?.[0]?.fixes?.[0]?.edits[0]?.range;
    assert.deepEqual(last, { start: { line: 1, character: 19 }, end: { line: 2, character: 26 } });
    assert.match(said(together[4]?.[0]), /VE_LAYOUT="ploop:expanded" on line 1\b/);
  });

  it("does not take an existing container's layout from the node's vz.conf (vzctl detects it from the private area)", () => {
    // vzctl src/vzctl.c @ vzctl-4.9.4: the global layout is dropped once the CT config is read.
    assert.deepEqual(run(quota, nodeWith('VE_LAYOUT=ploop\n'), 'ignored-on-ploop'), []);
    assert.deepEqual(run(`${quota}QUOTAUGIDLIMIT="100"\n`, nodeWith('VE_LAYOUT="ploop:expanded"\n'), 'quotaugidlimit-on-ploop'), []);
    // The container's own line decides, whatever the node says.
    const fs = run(`VE_LAYOUT="ploop"\n${quota}`, nodeWith('VE_LAYOUT=simfs\n'), 'ignored-on-ploop');
    assert.equal(fs.length, 3);
    assert.match(said(fs[0]), /VE_LAYOUT="ploop" on line 1\b/);
  });

  it('an old container without VE_LAYOUT on a node whose vz.conf says ploop (wild 014 + 033) gets nothing', { skip: NEEDS_CORPUS }, () => {
    const fs = run(read('wild/033-shorewall-doc-2009-101.conf'), nodeWith(read('wild/014-vzctl4.8-vz.conf')));
    assert.ok(!fs.some((f) => ['ignored-on-ploop', 'mount-opts-on-simfs', 'quotaugidlimit-on-ploop'].includes(f.rule)), fs.map((f) => f.rule).join());
  });

  it('stays silent on simfs, when the layout is unknown, for CT0/vz.conf, and for samples inheriting the node default', { skip: NEEDS_CORPUS }, () => {
    assert.deepEqual(run(`VE_LAYOUT="simfs"\n${quota}`, { path: CT }, 'ignored-on-ploop'), []);
    assert.deepEqual(run(quota, { path: CT }, 'ignored-on-ploop'), []);
    assert.deepEqual(run(quota, nodeWith('LOCKDIR=/vz/lock\n'), 'ignored-on-ploop'), []);
    assert.deepEqual(run(quota, nodeWith('VE_LAYOUT=simfs\n'), 'ignored-on-ploop'), []);
    assert.deepEqual(run(`VE_LAYOUT=ploop\n${quota}`, { path: NODE }, 'ignored-on-ploop'), []);
    // The shipped vz.conf (4.11: VE_LAYOUT=ploop and DISK_QUOTA=yes) is not a container.
    assert.deepEqual(run(read('upstream/openvz-vzctl-classic/vz.conf.in'), { path: NODE }), []);
    const vzconf = read('upstream/openvz-vzctl-classic/vz.conf.in');
    for (const s of ['ve-vswap-256m.conf-sample', 've-basic.conf-sample']) {
      const opts: LintOptions = { path: `/etc/vz/conf/${s}`, nodeConfig: { path: NODE, text: vzconf } };
      assert.deepEqual(run(read(`upstream/openvz-vzctl-classic/conf/${s}`), opts), [], s);
    }
  });

  it('a container made from the vswap sample on a ploop node gets it once its config says ploop', { skip: NEEDS_CORPUS }, () => {
    const text = read('upstream/openvz-vzctl-classic/conf/ve-vswap-256m.conf-sample');
    const node = nodeWith(read('upstream/openvz-vzctl-classic/vz.conf.in'));
    assert.deepEqual(run(text, node, 'ignored-on-ploop'), []);
    // vzctl create (4.9.4 and later) and vzctl start write VE_LAYOUT into the container's config.
    const fs = run(`${text}VE_LAYOUT="ploop"\n`, node, 'ignored-on-ploop');
    assert.deepEqual(fs.map((f) => /^(\w+)/.exec(f.message)?.[1]), ['DISKINODES', 'QUOTATIME']);
  });

  it('fix: remove the line (safe: the container itself says ploop; DISKINODES only for review, vzctl create reads it)', () => {
    const r = applyFix(`VE_LAYOUT="ploop"\n${quota}`, { path: CT }, 'ignored-on-ploop');
    assert.equal(r.safe, false);
    assert.equal(r.text, `VE_LAYOUT="ploop"\nDISKSPACE="1G:1.1G"\nQUOTATIME="0"\nDISK_QUOTA="yes"\n`);
    assert.equal(r.after.filter((f) => f.rule === 'ignored-on-ploop').length, 2);
    const q = applyFix(`VE_LAYOUT="ploop"\nQUOTATIME="0"\n`, { path: CT }, 'ignored-on-ploop');
    assert.equal(q.safe, true);
    assert.equal(q.text, 'VE_LAYOUT="ploop"\n');
  });

  it('wild 039 (simfs, DISK_QUOTA=no) gets nothing from the layout rules', { skip: NEEDS_CORPUS }, () => {
    const fs = run(read('wild/039-rbd-ceph-create-ct-heredoc.tmpl'), { path: CT });
    assert.ok(!fs.some((f) => ['ignored-on-ploop', 'mount-opts-on-simfs', 'quotaugidlimit-on-ploop'].includes(f.rule)));
  });
});

describe('mount-opts-on-simfs', () => {
  it("flags MOUNT_OPTS on simfs (the container's own VE_LAYOUT), not on ploop or unknown", () => {
    const [f] = run('VE_LAYOUT="simfs"\nMOUNT_OPTS="noatime"\n', { path: CT }, 'mount-opts-on-simfs');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    // The node's VE_LAYOUT is for new containers only: this one's layout is on disk.
    assert.deepEqual(run('MOUNT_OPTS="noatime"\n', nodeWith('VE_LAYOUT=simfs\n'), 'mount-opts-on-simfs'), []);
    assert.deepEqual(run('VE_LAYOUT="ploop"\nMOUNT_OPTS="noatime"\n', { path: CT }, 'mount-opts-on-simfs'), []);
    assert.deepEqual(run('MOUNT_OPTS="noatime"\n', { path: CT }, 'mount-opts-on-simfs'), []);
  });

  it('fix: remove, then clean', () => {
    const r = applyFix('VE_LAYOUT="simfs"\nMOUNT_OPTS="noatime"\n', { path: CT }, 'mount-opts-on-simfs');
    assert.equal(r.text, 'VE_LAYOUT="simfs"\n');
    assert.ok(!r.after.some((f) => f.rule === 'mount-opts-on-simfs'));
  });
});

describe('quotaugidlimit-on-ploop', () => {
  it('explains the on/off switch on ploop (info), not for 0, simfs or unknown layout', { skip: NEEDS_CORPUS }, () => {
    const [f] = run('VE_LAYOUT="ploop"\nQUOTAUGIDLIMIT="100"\n', { path: CT }, 'quotaugidlimit-on-ploop');
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.match(said(f), /on\/off switch/);
    assert.deepEqual(run('VE_LAYOUT="ploop"\nQUOTAUGIDLIMIT="0"\n', { path: CT }, 'quotaugidlimit-on-ploop'), []);
    assert.deepEqual(run('VE_LAYOUT="simfs"\nQUOTAUGIDLIMIT="100"\n', { path: CT }, 'quotaugidlimit-on-ploop'), []);
    assert.deepEqual(run(read('wild/035-provision-unix-perl-default-ubc.conf'), { path: CT }, 'quotaugidlimit-on-ploop'), []);
  });

  it('DISKSPACE="unlimited" on classic stays an invalid-value error, not duplicated here', () => {
    const all = lint('VE_LAYOUT="ploop"\nDISKSPACE="unlimited"\n', { path: CT }).findings;
    assert.deepEqual(all.filter((f) => f.range.start.line === 1).map((f) => f.rule), ['invalid-value']);
    assert.deepEqual(all.filter((f) => MINE.has(f.rule)), []);
  });
});

describe('shared-storage-path', () => {
  it('the issue case: simfs on /mnt/nfs → online migration breaks (KB 111855)', () => {
    const fs = run('VE_LAYOUT="simfs"\nVE_PRIVATE="/mnt/nfs/vz/private/$VEID"\n', { path: CT });
    const f = fs.find((x) => x.rule === 'shared-storage-path');
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.match(said(f), /online migration does not work/);
    assert.match(said(f), /KB 111855/);
    // Classic vzmigrate --online migrates simfs containers (bin/vzmigrate.in @ vzctl-4.11.1): no simfs note.
    assert.ok(!fs.some((x) => x.rule === 'simfs-live-migration'));
  });

  it('heuristics: an "nfs" component, /mnt/, /net/, /nfs*; not /vz, /var/lib/vz, /home, "nfsroot" components', () => {
    for (const p of ['/mnt/nfs/vz/private/$VEID', '/srv/NFS/vz/root/$VEID', '/mnt/data/private/$VEID', '/net/filer/vz/$VEID', '/nfs/vz/$VEID', '/nfs2/vz/$VEID']) assert.ok(sharedStorageHint(p), p);
    for (const p of ['/vz/private/$VEID', '/var/lib/vz/root/$VEID', '/home/vz/private/$VEID', '/srv/nfsroot/vz', '@VZDIR@/private/$VEID', 'mnt/x']) assert.equal(sharedStorageHint(p), undefined, p);
  });

  it('applies to VE_ROOT and to vz.conf (the default for every CT), not to 0.conf', () => {
    assert.equal(run('VE_ROOT="/mnt/nfs/root/$VEID"\n', { path: CT }, 'shared-storage-path').length, 1);
    const [n] = run('VE_PRIVATE=/nfs/vz/private/$VEID\n', { path: NODE }, 'shared-storage-path');
    assert.match(said(n), /every container/);
    assert.deepEqual(run('VE_PRIVATE=/nfs/vz/private/0\n', { path: '/etc/vz/conf/0.conf', kind: 'ct0' }, 'shared-storage-path'), []);
  });

  it('the shipped vz.conf files and corpus CTs on /vz, /var/lib/vz, /home get nothing', { skip: NEEDS_CORPUS }, () => {
    for (const f of ['upstream/openvz-vzctl-classic/vz.conf.in', 'upstream/virtuozzo7-vzctl/etc/vz.conf', 'wild/028-typo3-chef-host-vz.conf', 'wild/032-shorewall-doc-2009-vz.conf']) {
      assert.deepEqual(run(read(f), { path: NODE }, 'shared-storage-path'), [], f);
    }
    for (const f of ['wild/030-linode-docs-debian9-101.conf', 'wild/033-shorewall-doc-2009-101.conf', 'wild/039-rbd-ceph-create-ct-heredoc.tmpl']) {
      assert.deepEqual(run(read(f), { path: CT }, 'shared-storage-path'), [], f);
    }
  });
});

describe('simfs-live-migration', () => {
  it('classic VE_LAYOUT=simfs gets nothing, in a CT or vz.conf, at any version: classic vzmigrate --online migrates simfs', () => {
    for (const target of ['classic@3.1', 'classic@4.7', 'classic@4.11.1', undefined]) {
      const opts = target ? { target } : {};
      assert.deepEqual(run('VE_LAYOUT="simfs"\n', { path: CT, ...opts }, 'simfs-live-migration'), [], target);
      assert.deepEqual(run('VE_LAYOUT=simfs\n', { path: NODE, ...opts }, 'simfs-live-migration'), [], target);
    }
  });

  it('a classic fleet of simfs containers (VE_LAYOUT="simfs" in each, as vzctl 4.9.4+ saves it) gets no note per container', { skip: NEEDS_CORPUS }, () => {
    // wild/039 is no longer one: auto checks it as Virtuozzo 7 (four libvzctl-only keys against VE_LAYOUT).
    for (const f of ['wild/030-linode-docs-debian9-101.conf', 'wild/037-lxc-book-debian7-vzctl-saved-1.conf']) {
      assert.deepEqual(run(read(f), { path: CT }, 'simfs-live-migration'), [], f);
    }
  });

  it('Virtuozzo 7 vz.conf VEFSTYPE=simfs; the shipped VZ7 vz.conf (VEFSTYPE=ext4) is silent', { skip: NEEDS_CORPUS }, () => {
    const [f] = run('VEFSTYPE="simfs"\n', { path: NODE, target: 'vz7' }, 'simfs-live-migration');
    assert.match(said(f), /cannot be live-migrated/);
    assert.deepEqual(run(read('upstream/virtuozzo7-vzctl/etc/vz.conf'), { path: NODE }, 'simfs-live-migration'), []);
  });

  it("Virtuozzo 7 container config with VEFSTYPE=simfs gets nothing: libvzctl reads only vz.conf's VEFSTYPE", () => {
    assert.deepEqual(run('VEFSTYPE="simfs"\n', { path: CT, target: 'vz7' }, 'simfs-live-migration'), []);
  });
});

describe('checkpoint-blocking-parameter', () => {
  it('DEVICES / DEVNODES / PCI may block checkpointing (KB 113781, "may")', () => {
    const fs = run('DEVICES="c:10:200:rw"\nDEVNODES="net/tun:rw"\nPCI="0000:01:00.0"\n', { path: CT }, 'checkpoint-blocking-parameter');
    assert.equal(fs.length, 3);
    assert.ok(fs.every((f) => f.severity === 'info' && /may block checkpointing/.test(f.message) && /KB 113781/.test(f.message)));
  });

  it('BINDMOUNT on Virtuozzo 7; "none" permissions and empty values are silent', () => {
    assert.equal(run('VERSION="2"\nBINDMOUNT="/data:/mnt/data"\n', { path: CT }, 'checkpoint-blocking-parameter').length, 1);
    assert.deepEqual(run('DEVICES="c:10:200:none"\n', { path: CT }, 'checkpoint-blocking-parameter'), []);
    assert.deepEqual(run('DEVNODES=""\n', { path: CT }, 'checkpoint-blocking-parameter'), []);
  });

  it('wild 035 (DEVICES) and 039 (DEVNODES) get it once each', { skip: NEEDS_CORPUS }, () => {
    assert.equal(run(read('wild/035-provision-unix-perl-default-ubc.conf'), { path: CT }, 'checkpoint-blocking-parameter').length, 1);
    assert.equal(run(read('wild/039-rbd-ceph-create-ct-heredoc.tmpl'), { path: CT }, 'checkpoint-blocking-parameter').length, 1);
  });
});

describe('netfilter-full', () => {
  it('info on NETFILTER="full" in a CT; not stateless/stateful, not vz.conf, not where NETFILTER is removed', () => {
    const [f] = run('NETFILTER="full"\n', { path: CT }, 'netfilter-full');
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.match(said(f), /NAT and connection tracking/);
    assert.deepEqual(run('NETFILTER="stateful"\n', { path: CT }, 'netfilter-full'), []);
    // Only the line that says full, with another before it.
    assert.deepEqual(run('NETFILTER="stateless"\nNETFILTER="full"\n', { path: CT, target: 'vz7' }, 'netfilter-full').map((f) => f.range.start.line), [1]);
    assert.deepEqual(run('NETFILTER="full"\n', { path: NODE }, 'netfilter-full'), []);
    assert.deepEqual(run('NETFILTER="full"\n', { path: CT, target: 'vz7@8.0.70' }, 'netfilter-full'), []);
    assert.deepEqual(run('NETFILTER="full"\n', { path: CT, target: 'classic@4.6' }, 'netfilter-full'), []);
  });

  it('fix: stateful (not safe), then clean', () => {
    const r = applyFix('NETFILTER="full"\n', { path: CT }, 'netfilter-full', /stateful/);
    assert.equal(r.text, 'NETFILTER="stateful"\n');
    assert.equal(r.safe, false);
    assert.deepEqual(r.after, []);
  });
});

describe('dangerous-capability', () => {
  it('warns per dangerous capability switched on; setpcap says the CT may not start', () => {
    const fs = run('CAPABILITY="chown:on SYS_ADMIN:on net_admin:off setpcap:on"\n', { path: CT }, 'dangerous-capability');
    assert.equal(fs.length, 2);
    assert.ok(fs.every((f) => f.severity === 'warning'));
    assert.equal(fs[0]?.range.start.character, 'CAPABILITY="chown:on '.length);
    assert.match(said(fs[1]), /probably not start/);
  });

  it('silent for harmless or switched-off caps, vz7 ≥ 7.0.134 (ignored), vz.conf', () => {
    assert.deepEqual(run('CAPABILITY="net_admin:off chown:on"\n', { path: CT }, 'dangerous-capability'), []);
    assert.deepEqual(run('CAPABILITY="sys_admin:on"\n', { path: CT, target: 'vz7' }, 'dangerous-capability'), []);
    assert.equal(run('CAPABILITY="sys_admin:on"\n', { path: CT, target: 'vz7@7.0.0' }, 'dangerous-capability').length, 1);
    assert.deepEqual(run('CAPABILITY="sys_admin:on"\n', { path: NODE }, 'dangerous-capability'), []);
  });

  it('fix: remove the token; the last token removes the line', () => {
    const r = applyFix('CAPABILITY="chown:on setpcap:on"\n', { path: CT }, 'dangerous-capability');
    assert.equal(r.text, 'CAPABILITY="chown:on"\n');
    assert.deepEqual(r.after, []);
    const one = applyFix('ONBOOT="yes"\nCAPABILITY="net_admin:on"\n', { path: CT }, 'dangerous-capability');
    assert.equal(one.text, 'ONBOOT="yes"\n');
    assert.deepEqual(one.after, []);
  });
});

describe('host-kernel-feature', () => {
  it('info for nfsd / bridge / ppp on, not for nfs, sysfs or off', { skip: NEEDS_CORPUS }, () => {
    const fs = run('FEATURES="nfsd:on bridge:on ppp:on nfs:on sysfs:on"\n', { path: CT }, 'host-kernel-feature');
    assert.deepEqual(fs.map((f) => /^(\w+)/.exec(f.message)?.[1]), ['nfsd', 'bridge', 'ppp']);
    assert.ok(fs.every((f) => f.severity === 'info'));
    assert.deepEqual(run('FEATURES="nfsd:off nfs:on"\n', { path: CT }, 'host-kernel-feature'), []);
    assert.deepEqual(run(read('wild/036-puppet-openvz-example-sample-ct-uncommented.conf'), { path: CT }, 'host-kernel-feature'), []);
  });
});

describe('limits: shipped samples and hover', () => {
  it('classic vswap samples and vzctl 4.6 ve-basic get no warnings or errors from these rules', { skip: NEEDS_CORPUS }, () => {
    for (const s of ['ve-vswap-256m.conf-sample', 've-vswap-1g.conf-sample', 've-vswap-4g.conf-sample', 've-basic.conf-sample', 've-light.conf-sample']) {
      const fs = run(read(`upstream/openvz-vzctl-classic/conf/${s}`), { path: `/etc/vz/conf/${s}` });
      assert.deepEqual(fs.filter((f) => f.severity === 'error' || f.severity === 'warning'), [], s);
    }
    assert.deepEqual(run(read('upstream/openvz-vzctl-classic/historical/ve-basic.conf-sample@vzctl-4.6'), { path: '/x/ve-basic.conf-sample' }), []);
  });

  it('VZ7 samples get only the netfilter-full hint', { skip: NEEDS_CORPUS }, () => {
    const fs = run(read('upstream/virtuozzo7-vzctl/etc/ve-vswap.1024MB.conf-sample'), { path: '/x/ve-vswap.1024MB.conf-sample' });
    assert.deepEqual(fs.map((f) => `${f.rule}/${f.severity}`), ['netfilter-full/info']);
  });

  it('hover says a restart is needed for CAPABILITY, NETFILTER, FEATURES, QUOTAUGIDLIMIT, DISK_QUOTA, MOUNT_OPTS', () => {
    for (const [key, value] of [['CAPABILITY', 'net_admin:on'], ['NETFILTER', 'stateful'], ['FEATURES', 'nfs:on'], ['QUOTAUGIDLIMIT', '100'], ['DISK_QUOTA', 'no'], ['MOUNT_OPTS', 'noatime']]) {
      const h = computeHover(`${key}="${value}"\n`, { line: 0, character: 2 }, { path: CT, target: 'classic' });
      assert.match(h?.contents ?? '', /needs a restart/, key);
    }
  });
});
