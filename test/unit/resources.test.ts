/**
 * The resources family: the UBC sets vzctl start requires (check_ub(), src/lib/ub.c) and every check of
 * vzcfgvalidate (src/validate.c), both modes; fixes applied and re-linted; corpus files worked by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { RESOURCES_RULES } from '../../server/src/rules/resources/index';
import { analyze, lint, type LintOptions, type LintResult } from '../../server/src/service/lint';
import { isVswap, mergedUbc, nonVswapInputs, ubc } from '../../server/src/rules/resources/ubc';
import { pairOf } from '../../server/src/model/effective';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../helpers/edits';
import { NEEDS_CORPUS } from '../helpers/corpus';

/** A finding's whole text: the short message and the long detail (where the numbers and the why went). */
const said = (f: { message: string; detail?: string } | undefined): string => `${f?.message ?? ''} ${f?.detail ?? ''}`;

const CT = '/etc/vz/conf/101.conf';
const OPTS: LintOptions = { path: CT, target: 'classic' };
const corpus = resolve(__dirname, '../../../shared/corpus');

/** Our rules plus the core rule we defer vzcfgvalidate's check 2 to. */
const OURS = new Set([...RESOURCES_RULES.map((r) => r.id), 'barrier-above-limit']);

/** `rule PARAM` for every finding of ours; PARAM is the key of the finding's line ("-" for line 1 without a key). */
function pairs(r: LintResult): string[] {
  return r.findings.filter((f) => OURS.has(f.rule)).map((f) => {
    const e = r.doc.entries.find((x) => x.line === f.range.start.line);
    return `${f.rule} ${e?.name ?? '-'}`;
  }).sort();
}

function run(text: string, opts: LintOptions = OPTS): LintResult {
  return lint(text, opts);
}

/**
 * A complete non-vSwap UBC set: vzctl 4.6's ve-basic sample. It passes every vzcfgvalidate check
 * (worked out in the corpus section below).
 */
const BASE = [
  'KMEMSIZE="14372700:14790164"',
  'LOCKEDPAGES="2048:2048"',
  'PRIVVMPAGES="65536:69632"',
  'SHMPAGES="21504:21504"',
  'NUMPROC="240:240"',
  'PHYSPAGES="0:unlimited"',
  'VMGUARPAGES="33792:unlimited"',
  'OOMGUARPAGES="26112:unlimited"',
  'NUMTCPSOCK="360:360"',
  'NUMFLOCK="188:206"',
  'NUMPTY="16:16"',
  'NUMSIGINFO="256:256"',
  'TCPSNDBUF="1720320:2703360"',
  'TCPRCVBUF="1720320:2703360"',
  'OTHERSOCKBUF="1126080:2097152"',
  'DGRAMRCVBUF="262144:262144"',
  'NUMOTHERSOCK="360:360"',
  'DCACHESIZE="3409920:3624960"',
  'NUMFILE="9312:9312"',
  'AVNUMPROC="180:180"',
  'NUMIPTENT="128:128"',
  'DISKSPACE="2G:2.2G"',
  'DISKINODES="200000:220000"',
  'ONBOOT="no"',
].join('\n') + '\n';

/** BASE with some lines replaced (`KEY: value`) or removed (`KEY: null`). */
function base(changes: Record<string, string | null>): string {
  let text = BASE;
  for (const [k, v] of Object.entries(changes)) {
    const re = new RegExp(`^${k}=.*\\n`, 'm');
    assert.match(text, re, `${k} not in BASE`);
    text = text.replace(re, v === null ? '' : `${k}="${v}"\n`);
  }
  return text;
}

/** The first finding of `rule`, asserted present. */
function one(r: LintResult, rule: string): Finding {
  const f = r.findings.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule} finding among ${pairs(r).join(', ')}`);
  return f;
}

/** Applies the fix of the first `rule` finding whose title matches, re-lints with the same options. */
function fix(text: string, rule: string, title: RegExp = /./, opts: LintOptions = OPTS): { text: string; after: LintResult; fix: { title: string; detail?: string; safe: boolean } } {
  const f = one(run(text, opts), rule);
  const x = f.fixes?.find((y) => title.test(y.title));
  assert.ok(x, `no fix ${title} among ${f.fixes?.map((y) => y.title).join(' | ')}`);
  const next = applyEdits(text, x.edits);
  return { text: next, after: run(next, opts), fix: x };
}

describe('resources: the base set is clean', () => {
  it('vzctl 4.6 ve-basic values give no finding of ours', () => {
    assert.deepEqual(pairs(run(BASE)), []);
  });
});

describe('resources: issue cases', () => {
  it('101.conf with VMGUARPAGES="65536:unlimited", PRIVVMPAGES="32768:36000": privvmpages barrier below vmguarpages', () => {
    const text = base({ VMGUARPAGES: '65536:unlimited', PRIVVMPAGES: '32768:36000' });
    const r = run(text);
    // 32768 < 65536 → vzcfgvalidate "Warning: privvmpages.bar should be > 65536 (currently, 32768)".
    assert.deepEqual(pairs(r), ['ubc-privvmpages-vmguarpages PRIVVMPAGES']);
    const f = one(r, 'ubc-privvmpages-vmguarpages');
    assert.equal(f.severity, 'warning');
    assert.match(said(f), /32768 pages \(128 MiB\) is below the VMGUARPAGES barrier 65536 pages \(256 MiB\)/);
    // Repair: barrier := 65536; the limit 36000 is below it, so it becomes 65536 too.
    const x = fix(text, 'ubc-privvmpages-vmguarpages');
    assert.match(x.text, /^PRIVVMPAGES="65536:65536"$/m);
    assert.equal(x.fix.safe, false);
    assert.deepEqual(pairs(x.after), []);
  });

  it('keeps a PRIVVMPAGES limit that is already above the new barrier (not vzcfgvalidate -r\'s vmguarpages limit)', () => {
    const x = fix(base({ VMGUARPAGES: '65536:unlimited', PRIVVMPAGES: '32768:100000' }), 'ubc-privvmpages-vmguarpages');
    assert.match(x.text, /^PRIVVMPAGES="65536:100000"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('101.conf with only ONBOOT, DISKSPACE, OSTEMPLATE cannot start on classic: one error at line 1, vSwap block fix', () => {
    const text = 'ONBOOT="yes"\nDISKSPACE="1048576:1153024"\nOSTEMPLATE="centos-6-x86_64"\n';
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-required ONBOOT']);
    const f = one(r, 'ubc-required');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 0);
    assert.match(said(f), /No UBC parameters: a non-vSwap config needs all 20 \([^)]*KMEMSIZE[^)]*NUMIPTENT[^)]*\), a vSwap config PHYSPAGES="0:<RAM>" and SWAPPAGES/);
    const x = fix(text, 'ubc-required', /ve-vswap-1g/);
    assert.equal(x.fix.safe, false);
    assert.equal(x.text, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nONBOOT="yes"\nDISKSPACE="1048576:1153024"\nOSTEMPLATE="centos-6-x86_64"\n');
    assert.deepEqual(pairs(x.after), []);
    assert.deepEqual(x.after.findings.filter((y) => y.severity === 'error').map((y) => y.rule), []);
    // Every sample block is offered; each one fixes the file.
    const titles = (f.fixes ?? []).map((y) => y.title);
    assert.equal(titles.length, 5);
    for (const t of titles) assert.deepEqual(pairs(fix(text, 'ubc-required', new RegExp(t.replace(/[()"]/g, '.'))).after), []);
  });

  it('the same file on vz7, as 0.conf, or as vz.conf: no resource rule', () => {
    const text = 'ONBOOT="yes"\nDISKSPACE="1048576:1153024"\nOSTEMPLATE="centos-6-x86_64"\n';
    assert.deepEqual(pairs(run(text, { path: CT, target: 'vz7' })), []);
    assert.deepEqual(pairs(run(text, { path: '/etc/vz/conf/0.conf', target: 'classic' })), []);
    assert.deepEqual(pairs(run(text, { path: '/etc/vz/vz.conf', target: 'classic' })), []);
  });
});

describe('resources: ubc-required', () => {
  it('a partial non-vSwap set: one finding on the first UBC line listing what is missing', () => {
    const text = 'ONBOOT="yes"\n' + base({ NUMSIGINFO: null, NUMIPTENT: null });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-required KMEMSIZE']);
    const f = one(r, 'ubc-required');
    assert.equal(f.range.start.line, 1);
    assert.match(said(f), /^2 of 20 UBCs missing: NUMSIGINFO, NUMIPTENT; vzctl start fails /);
    assert.match(said(f), /2 of the 20 UBC parameters of a non-vSwap config missing: NUMSIGINFO, NUMIPTENT;/);
    // The fix turns PHYSPAGES="0:unlimited" into the vSwap RAM and inserts SWAPPAGES before the UBC block.
    const x = fix(text, 'ubc-required', /ve-vswap-1g/);
    assert.match(x.text, /^PHYSPAGES="0:1G"$/m);
    assert.match(x.text, /^ONBOOT="yes"\nSWAPPAGES="0:2G"\nKMEMSIZE=/);
    assert.deepEqual(pairs(x.after), []);
  });

  it('a missing one of vzcfgvalidate\'s check_param() set stops every formula check (as vzcfgvalidate does)', () => {
    // KMEMSIZE is far too low, but vzcfgvalidate stops at "parameter dcachesize not found".
    const r = run(base({ DCACHESIZE: null, KMEMSIZE: '1000:1000' }));
    assert.deepEqual(pairs(r), ['ubc-required KMEMSIZE']);
    assert.match(said(one(r, 'ubc-required')), /missing: DCACHESIZE;/);
  });

  it('a missing one outside check_param() (NUMSIGINFO) still lets the formulas run', () => {
    assert.deepEqual(pairs(run(base({ NUMSIGINFO: null, NUMFILE: '5000:5000' }))), ['ubc-numfile NUMFILE', 'ubc-required KMEMSIZE']);
  });

  it('a value vzctl skips counts as missing and says so', () => {
    const r = run(base({ NUMPTY: '16M' }));
    assert.ok(pairs(r).includes('ubc-required KMEMSIZE'));
    assert.match(said(one(r, 'ubc-required')), /NUMPTY is written but not valid, so vzctl skips it/);
  });

  it('SWAPPAGES with no (valid) PHYSPAGES: the message names SWAPPAGES, which is there, not "no vSwap PHYSPAGES/SWAPPAGES"', () => {
    // classic vzctl keeps the single quotes, so PHYSPAGES='0:512M' is skipped: no vSwap config, no UBCs.
    const bad = one(run('PHYSPAGES=\'0:512M\'\nSWAPPAGES="0:1G"\n'), 'ubc-required');
    assert.equal(bad.message, 'SWAPPAGES without a valid PHYSPAGES and no UBC parameters; vzctl start fails');
    assert.match(bad.detail ?? '', /PHYSPAGES is written but not valid, so vzctl skips it/);
    assert.equal(one(run('SWAPPAGES="0:1G"\n'), 'ubc-required').message, 'SWAPPAGES without PHYSPAGES and no UBC parameters; vzctl start fails');
    assert.equal(one(run('ONBOOT="yes"\n'), 'ubc-required').message, 'No UBC parameters and no vSwap PHYSPAGES/SWAPPAGES; vzctl start fails');
  });

  it('vSwap config without SWAPPAGES: error, fix adds the swap of the sample with the same RAM', () => {
    const text = 'ONBOOT="yes"\nPHYSPAGES="0:512M"\n';
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-required PHYSPAGES']);
    assert.match(said(one(r, 'ubc-required')), /without SWAPPAGES: vzctl start fails with "required UB parameter swappages not set"/);
    const x = fix(text, 'ubc-required');
    assert.match(`${x.fix.title} ${x.fix.detail ?? ''}`, /SWAPPAGES="0:1G".*ve-vswap-512m sample, which has the same RAM/);
    assert.equal(x.text, 'ONBOOT="yes"\nSWAPPAGES="0:1G"\nPHYSPAGES="0:512M"\n');
    assert.deepEqual(pairs(x.after), []);
  });

  it('vSwap config with a RAM no sample has: the default sample\'s swap', () => {
    const x = fix('PHYSPAGES="0:3G"\n', 'ubc-required');
    assert.match(x.fix.title, /SWAPPAGES="0:2G" \(from vzctl's ve-vswap-1g sample\)/);
    assert.deepEqual(pairs(x.after), []);
  });

  it('vSwap config with PHYSPAGES and SWAPPAGES only: nothing required (vzctl ≥ 3.1)', () => {
    assert.deepEqual(pairs(run('PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n')), []);
  });

  it('before vzctl 3.0.30 (check_ub without is_vswap_config) a vSwap config needed the full set too', () => {
    const r = run('PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n', { path: CT, target: 'classic@3.0.29' });
    assert.deepEqual(pairs(r), ['ubc-required PHYSPAGES']);
    assert.match(said(one(r, 'ubc-required')), /^19 of 20 UBCs missing/);
  });

  it('PHYSPAGES limit 2147483647 is not vSwap (is_vswap_config treats INT_MAX as unlimited)', () => {
    const r = run('PHYSPAGES="0:2147483647"\n');
    assert.match(said(one(r, 'ubc-required')), /^19 of 20/);
  });

  it('UBCs set in the node\'s vz.conf count, as vzctl merges them', () => {
    const nodeConfig = { path: '/etc/vz/vz.conf', text: 'SWAPPAGES="0:1G"\n' };
    assert.deepEqual(pairs(run('PHYSPAGES="0:512M"\n', { ...OPTS, nodeConfig })), []);
  });

  it('DISK_QUOTA=yes in the file itself: DISKSPACE and DISKINODES are required too (vzcfgvalidate)', () => {
    const r = run('DISK_QUOTA="yes"\n' + base({ DISKSPACE: null, DISKINODES: null }));
    assert.deepEqual(pairs(r), ['ubc-required KMEMSIZE']);
    assert.match(said(one(r, 'ubc-required')), /^DISK_QUOTA=yes without DISKSPACE and DISKINODES/);
    // Without DISK_QUOTA in the file vzcfgvalidate does not check them.
    assert.deepEqual(pairs(run(base({ DISKSPACE: null, DISKINODES: null }))), []);
  });
});

describe('resources: vzcfgvalidate check 1 (barrier = limit) and check 2 (barrier <= limit)', () => {
  it('NUMPROC 240:260 → ubc-barrier-equals-limit, fix both := 260', () => {
    const text = base({ NUMPROC: '240:260', AVNUMPROC: null });
    assert.deepEqual(pairs(run(text)), ['ubc-barrier-equals-limit NUMPROC']);
    assert.equal(one(run(text), 'ubc-barrier-equals-limit').severity, 'error');
    const x = fix(text, 'ubc-barrier-equals-limit');
    assert.match(x.text, /^NUMPROC="260:260"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('every CHECK_B parameter is checked, SHMPAGES in pages', () => {
    const r = run(base({ SHMPAGES: '21504:30000', NUMPTY: '16:20', NUMSIGINFO: '256:300', NUMIPTENT: '128:200', NUMFILE: '9312:9400', NUMOTHERSOCK: '360:400', NUMTCPSOCK: '360:400' }));
    assert.deepEqual(pairs(r), ['NUMFILE', 'NUMIPTENT', 'NUMOTHERSOCK', 'NUMPTY', 'NUMSIGINFO', 'NUMTCPSOCK', 'SHMPAGES'].map((n) => `ubc-barrier-equals-limit ${n}`));
    assert.match(said(r.findings.find((f) => /SHMPAGES/.test(f.message))), /21504 pages \(84 MiB\)/);
  });

  it('a barrier above the limit is left to barrier-above-limit (never reported twice)', () => {
    assert.deepEqual(pairs(run(base({ NUMPROC: '260:240' }))), ['barrier-above-limit NUMPROC']);
    assert.deepEqual(pairs(run(base({ KMEMSIZE: '14790164:14372700' }))), ['barrier-above-limit KMEMSIZE']);
  });

  it('barrier-above-limit covers DISKSPACE/DISKINODES unless DISK_QUOTA=no (here or in vz.conf)', () => {
    assert.deepEqual(pairs(run(base({ DISKSPACE: '3G:2G' }))), ['barrier-above-limit DISKSPACE']);
    assert.deepEqual(pairs(run('DISK_QUOTA="no"\n' + base({ DISKSPACE: '3G:2G' }))), []);
    assert.deepEqual(pairs(run(base({ DISKINODES: '300000:200000' }), { ...OPTS, nodeConfig: { path: '/etc/vz/vz.conf', text: 'DISK_QUOTA=no\n' } })), []);
  });

  it('a socket buffer with barrier above limit does not also fail the gap check (unsigned wrap, as in C)', () => {
    assert.deepEqual(pairs(run(base({ TCPSNDBUF: '2703360:1720320' }))), ['barrier-above-limit TCPSNDBUF']);
  });
});

describe('resources: checks 3 and 4 (guarantees, physpages) and the 32-bit unlimited', () => {
  it('OOMGUARPAGES limit 30000 → ubc-guarantee-limit error, fix := unlimited', () => {
    const text = base({ OOMGUARPAGES: '26112:30000' });
    assert.deepEqual(pairs(run(text)), ['ubc-guarantee-limit OOMGUARPAGES']);
    const x = fix(text, 'ubc-guarantee-limit');
    assert.match(x.text, /^OOMGUARPAGES="26112:unlimited"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('VMGUARPAGES limit 2147483647 → ubc-32bit-unlimited warning, not vzcfgvalidate\'s error', () => {
    const text = base({ VMGUARPAGES: '33792:2147483647' });
    assert.deepEqual(pairs(run(text)), ['ubc-32bit-unlimited VMGUARPAGES']);
    assert.equal(one(run(text), 'ubc-32bit-unlimited').severity, 'warning');
    const x = fix(text, 'ubc-32bit-unlimited');
    assert.match(x.text, /^VMGUARPAGES="33792:unlimited"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('PHYSPAGES barrier 100 in non-vSwap mode → ubc-physpages, fix := 0:unlimited', () => {
    const text = base({ PHYSPAGES: '100:unlimited' });
    assert.deepEqual(pairs(run(text)), ['ubc-physpages PHYSPAGES']);
    const x = fix(text, 'ubc-physpages');
    assert.match(x.text, /^PHYSPAGES="0:unlimited"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('PHYSPAGES 0:2147483647 → ubc-32bit-unlimited', () => {
    const x = fix(base({ PHYSPAGES: '0:2147483647' }), 'ubc-32bit-unlimited');
    assert.match(x.text, /^PHYSPAGES="0:unlimited"$/m);
    assert.deepEqual(pairs(x.after), []);
  });
});

describe('resources: formulas (checks 5–13)', () => {
  it('ubc-dcachesize: limit 3500000 < NUMFILE 9312 × 384 = 3575808 → warning, fix lim := 3575808', () => {
    const text = base({ DCACHESIZE: '3409920:3500000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-dcachesize DCACHESIZE']);
    assert.equal(one(r, 'ubc-dcachesize').severity, 'warning');
    assert.match(said(one(r, 'ubc-dcachesize')), /3500000 bytes \(3\.34 MiB\) is below 384 bytes × the NUMFILE barrier 9312 = 3575808 bytes \(3\.41 MiB\)/);
    const x = fix(text, 'ubc-dcachesize');
    assert.match(x.text, /^DCACHESIZE="3409920:3575808"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('ubc-kmemsize: 8000000 < 40 KiB × 180 + 3624960 = 10997760 → error, fix bar := 10997760, lim + 2997760', () => {
    const text = base({ KMEMSIZE: '8000000:8500000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-kmemsize KMEMSIZE']);
    assert.equal(one(r, 'ubc-kmemsize').severity, 'error');
    assert.match(said(one(r, 'ubc-kmemsize')), /barrier 8000000 bytes \(7\.63 MiB\) is below 40 KiB × avnumproc 180 \(the AVNUMPROC barrier\) \+ the DCACHESIZE limit 3624960 bytes \(3\.46 MiB\) = 10997760 bytes \(10\.49 MiB\)/);
    const x = fix(text, 'ubc-kmemsize');
    assert.match(x.text, /^KMEMSIZE="10997760:11497760"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('ubc-kmemsize with NUMPROC and DCACHESIZE unlimited: the need wraps to LONG_MAX − 40 KiB, said as such, never as raw bytes', () => {
    // 40960 × (LONG_MAX / 2) + LONG_MAX, & LONG_MAX = 9223372036854734847 (vzcfgvalidate's unsigned arithmetic).
    const r = run(base({ AVNUMPROC: null, NUMPROC: 'unlimited', DCACHESIZE: '3409920:unlimited' }));
    const f = one(r, 'ubc-kmemsize');
    assert.equal(f.message, 'KMEMSIZE: the formula overflows with NUMPROC unlimited; vzcfgvalidate reports an error');
    assert.ok(f.message.length <= 100);
    assert.match(f.detail ?? '', /above LONG_MAX because NUMPROC is unlimited/);
    assert.doesNotMatch(f.message, /\d{10}/);
    assert.match(f.detail ?? '', /= 9223372036854734847 bytes \(unlimited − 40 KiB\)/);
  });

  it('socket gaps and DCACHESIZE say their sizes in units, not raw byte counts', () => {
    assert.equal(one(run(base({ TCPSNDBUF: '1720320:1720320' })), 'ubc-tcpsndbuf-gap').message, 'TCPSNDBUF: limit − barrier = 0 bytes is below the 900 KiB needed; vzcfgvalidate reports an error');
    assert.equal(one(run(base({ DCACHESIZE: '1048576:1048576' })), 'ubc-dcachesize').message, 'DCACHESIZE: limit 1 MiB is below 384 bytes × NUMFILE = 3.41 MiB; vzcfgvalidate warns');
  });

  it('ubc-kmemsize without AVNUMPROC: avnumproc = NUMPROC barrier / 2 (the brief\'s numbers)', () => {
    // 40 KiB × (240 / 2 = 120) + 1048576 = 4915200 + 1048576 = 5963776 > 2752512. DCACHESIZE 1048576 is
    // also below 9312 × 384 = 3575808, so ubc-dcachesize fires as well.
    const r = run(base({ AVNUMPROC: null, KMEMSIZE: '2752512:2936012', DCACHESIZE: '1048576:1048576' }));
    assert.deepEqual(pairs(r), ['ubc-dcachesize DCACHESIZE', 'ubc-kmemsize KMEMSIZE']);
    assert.match(said(one(r, 'ubc-kmemsize')), /2752512 bytes \(2\.63 MiB\) is below 40 KiB × avnumproc 120 \(half the NUMPROC barrier 240\) \+ the DCACHESIZE limit 1048576 bytes \(1 MiB\) = 5963776 bytes \(5\.69 MiB\)/);
  });

  it('ubc-kmemsize with an unlimited limit keeps it unlimited', () => {
    const x = fix(base({ KMEMSIZE: '8000000:unlimited' }), 'ubc-kmemsize');
    assert.match(x.text, /^KMEMSIZE="10997760:unlimited"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('ubc-tcpsndbuf-gap (error), ubc-othersockbuf-gap (error), ubc-tcprcvbuf-gap (warning)', () => {
    // NUMTCPSOCK 360 × 2560 = 921600; NUMOTHERSOCK 360 × 2560 = 921600.
    const text = base({ TCPSNDBUF: '1720320:2000000', TCPRCVBUF: '1720320:2000000', OTHERSOCKBUF: '1126080:1500000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-othersockbuf-gap OTHERSOCKBUF', 'ubc-tcprcvbuf-gap TCPRCVBUF', 'ubc-tcpsndbuf-gap TCPSNDBUF']);
    assert.equal(one(r, 'ubc-tcpsndbuf-gap').severity, 'error');
    assert.equal(one(r, 'ubc-othersockbuf-gap').severity, 'error');
    assert.equal(one(r, 'ubc-tcprcvbuf-gap').severity, 'warning');
    assert.match(said(one(r, 'ubc-tcpsndbuf-gap')), /limit − barrier = 2000000 − 1720320 = 279680 bytes \(273\.13 KiB\) is below 2\.5 KiB × the NUMTCPSOCK barrier 360 = 921600 bytes \(900 KiB\)/);
    let t = text;
    for (const [rule, re] of [['ubc-tcpsndbuf-gap', /^TCPSNDBUF="1720320:2641920"$/m], ['ubc-othersockbuf-gap', /^OTHERSOCKBUF="1126080:2047680"$/m], ['ubc-tcprcvbuf-gap', /^TCPRCVBUF="1720320:2641920"$/m]] as const) {
      const x = fix(t, rule);
      assert.match(x.text, re);
      assert.ok(!pairs(x.after).some((p) => p.startsWith(rule)));
      t = x.text;
    }
    assert.deepEqual(pairs(run(t)), []);
  });

  it('ubc-socket-buffer-minimum: TCPRCVBUF barrier below 64 KiB, DGRAMRCVBUF below 32 KiB (warnings)', () => {
    const text = base({ TCPRCVBUF: '60000:1000000', DGRAMRCVBUF: '30000:30000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-socket-buffer-minimum DGRAMRCVBUF', 'ubc-socket-buffer-minimum TCPRCVBUF']);
    assert.equal(one(r, 'ubc-socket-buffer-minimum').severity, 'warning');
    const x = fix(text, 'ubc-socket-buffer-minimum', /TCPRCVBUF/);
    assert.match(x.text, /^TCPRCVBUF="65536:1005536"$/m);
    const y = fix(x.text, 'ubc-socket-buffer-minimum', /DGRAMRCVBUF/);
    assert.match(y.text, /^DGRAMRCVBUF="32768:32768"$/m);
    // At 32 KiB it meets the minimum but not vzcfgvalidate's recommendation.
    assert.deepEqual(pairs(y.after), ['ubc-buffer-recommendation DGRAMRCVBUF']);
  });

  it('ubc-buffer-recommendation: OTHERSOCKBUF barrier 100000 (< 129 KiB) → info, fix 132096 with the limit shifted', () => {
    const text = base({ OTHERSOCKBUF: '100000:1100000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-buffer-recommendation OTHERSOCKBUF']);
    assert.equal(one(r, 'ubc-buffer-recommendation').severity, 'info');
    const x = fix(text, 'ubc-buffer-recommendation');
    assert.match(x.text, /^OTHERSOCKBUF="132096:1132096"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('ubc-numfile: 5000 < max(32 × 180 = 5760, 360 + 360 + 16 = 736) → warning, fix 5760:5760', () => {
    const text = base({ NUMFILE: '5000:5000' });
    const r = run(text);
    assert.deepEqual(pairs(r), ['ubc-numfile NUMFILE']);
    assert.equal(one(r, 'ubc-numfile').severity, 'warning');
    const x = fix(text, 'ubc-numfile');
    assert.match(x.text, /^NUMFILE="5760:5760"$/m);
    assert.deepEqual(pairs(x.after), []);
  });

  it('ubc-numfile uses the socket sum when it is larger', () => {
    // max(32 × 180 = 5760, 9000 + 360 + 16 = 9376) = 9376 > 9312.
    const r = run(base({ NUMTCPSOCK: '9000:9000' }));
    assert.ok(pairs(r).includes('ubc-numfile NUMFILE'));
    assert.match(said(one(r, 'ubc-numfile')), /= 9376 open files/);
  });

  it('unlimited everywhere (vzctl 4.6 ve-unlimited) passes: the wrapped arithmetic of vzcfgvalidate', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(resolve(corpus, 'upstream/openvz-vzctl-classic/historical/ve-unlimited.conf-sample@vzctl-4.6'), 'utf8');
    assert.deepEqual(pairs(run(text)), []);
  });
});

describe('resources: vSwap mode', () => {
  it('vswap-barrier: PHYSPAGES="1G:1G" → error, fix barrier := 0', () => {
    const text = 'PHYSPAGES="1G:1G"\nSWAPPAGES="0:2G"\n';
    const r = run(text);
    assert.deepEqual(pairs(r), ['vswap-barrier PHYSPAGES']);
    assert.equal(one(r, 'vswap-barrier').severity, 'error');
    assert.match(said(one(r, 'vswap-barrier')), /barrier 262144 pages \(1 GiB\) should be 0/);
    const x = fix(text, 'vswap-barrier');
    assert.equal(x.text, 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n');
    assert.deepEqual(pairs(x.after), []);
  });

  it('vswap-barrier on one value (PHYSPAGES="32G"): the message shows what was written and that it is the barrier too', () => {
    const r = run('PHYSPAGES="32G"\nSWAPPAGES="0:1G"\n');
    const f = one(r, 'vswap-barrier');
    assert.equal(f.message, 'PHYSPAGES: "32G" also sets the barrier (32 GiB), which should be 0; vzcfgvalidate reports an error');
    assert.match(f.detail ?? '', /the single value "32G" as barrier and limit, 8388608 pages \(32 GiB\) each/);
    assert.match(f.detail ?? '', /as in "0:32G"/);
    // A pair says barrier, as written.
    assert.equal(one(run('PHYSPAGES="1G:1G"\nSWAPPAGES="0:2G"\n'), 'vswap-barrier').message, 'PHYSPAGES: barrier 1G should be 0 in a vSwap config; vzcfgvalidate reports an error');
  });

  it('vswap-barrier on SWAPPAGES; no non-vSwap check runs in vSwap mode', () => {
    assert.deepEqual(pairs(run('PHYSPAGES="0:1G"\nSWAPPAGES="512M:2G"\nKMEMSIZE="1:1"\nNUMPROC="1:2"\n')), ['vswap-barrier SWAPPAGES']);
  });

  it('vswap-limit-above-host: only with a host capacity; clamp fix', () => {
    const text = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
    assert.deepEqual(pairs(run(text)), []);
    const capacity = { ramBytes: 512n * 1024n * 1024n, swapBytes: 1024n * 1024n * 1024n };
    const opts = { ...OPTS, capacity };
    const r = run(text, opts);
    assert.deepEqual(pairs(r), ['vswap-limit-above-host PHYSPAGES', 'vswap-limit-above-host SWAPPAGES']);
    assert.equal(one(r, 'vswap-limit-above-host').severity, 'warning');
    assert.match(said(one(r, 'vswap-limit-above-host')), /limit 262144 pages \(1 GiB\) is above the host's RAM 131072 pages \(512 MiB\)/);
    const x = fix(text, 'vswap-limit-above-host', /PHYSPAGES/, opts);
    assert.match(x.text, /^PHYSPAGES="0:131072"$/m);
    const y = fix(x.text, 'vswap-limit-above-host', /SWAPPAGES/, opts);
    assert.match(y.text, /^SWAPPAGES="0:262144"$/m);
    assert.deepEqual(pairs(y.after), []);
    // Equal to the host is fine; only RAM known → only PHYSPAGES checked.
    assert.deepEqual(pairs(run('PHYSPAGES="0:512M"\nSWAPPAGES="0:64G"\n', { ...OPTS, capacity: { ramBytes: 512n * 1024n * 1024n } })), []);
  });

  it('Virtuozzo 7 PHYSPAGES="N:N" samples are not flagged on vz7', () => {
    assert.deepEqual(pairs(run('PHYSPAGES="262144:262144"\nSWAPPAGES="262144:262144"\n', { path: CT, target: 'vz7' })), []);
  });

  it('0.conf (CT0) and vz.conf get none of the container rules', () => {
    const bad = 'PHYSPAGES="1G:1G"\nKMEMSIZE="1:1"\n';
    assert.deepEqual(pairs(run(bad, { path: '/etc/vz/conf/0.conf', target: 'classic' })), []);
    assert.deepEqual(pairs(run(base({ KMEMSIZE: '1000:1000' }), { path: CT, target: 'classic', kind: 'ct0' })), []);
    assert.deepEqual(pairs(run(bad, { path: '/etc/vz/vz.conf', target: 'classic' })), []);
  });
});

/**
 * Corpus parity: the §6 formulas worked by hand for each file; the exact set of (rule, parameter) our
 * rules report must equal it. Files linted as a CT config on classic.
 */
describe('resources: corpus files worked by hand', () => {
  const lintFile = (rel: string): string[] => pairs(run(readFileSync(resolve(corpus, rel), 'utf8'), OPTS));

  it('historical/ve-basic.conf-sample@vzctl-4.6: clean', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:unlimited → non-vSwap. All 20 present. avnumproc = AVNUMPROC.bar = 180.
    // 1 bar==lim: NUMPROC 240:240, NUMTCPSOCK 360:360, NUMOTHERSOCK 360:360, SHMPAGES 21504:21504,
    //   NUMFILE 9312:9312, NUMPTY 16:16, NUMSIGINFO 256:256, NUMIPTENT 128:128 → ok.
    // 2 bar<=lim: KMEMSIZE 14372700<=14790164, LOCKEDPAGES 2048:2048, PRIVVMPAGES 65536<=69632,
    //   TCPSNDBUF/TCPRCVBUF 1720320<=2703360, OTHERSOCKBUF 1126080<=2097152, DGRAMRCVBUF 262144:262144,
    //   NUMFLOCK 188<=206, DCACHESIZE 3409920<=3624960 → ok (no DISK_QUOTA in the file: quota not checked).
    // 3 VMGUARPAGES / OOMGUARPAGES limits unlimited → ok.  4 PHYSPAGES 0:unlimited → ok.
    // 5 dcachesize: 9312 × 384 = 3575808 <= lim 3624960 → ok.
    // 6 kmemsize: 40960 × 180 = 7372800 + 3624960 = 10997760 <= bar 14372700 → ok.
    // 7 privvmpages.bar 65536 >= vmguarpages.bar 33792 → ok.
    // 8 tcpsndbuf: 2703360 − 1720320 = 983040 >= 2560 × 360 = 921600 → ok.
    // 9 othersockbuf: 2097152 − 1126080 = 971072 >= 921600 → ok.  10 tcprcvbuf: 983040 >= 921600 → ok.
    // 11 tcprcvbuf/tcpsndbuf bar 1720320 >= 65536 → ok.  12 dgramrcvbuf 262144, othersockbuf 1126080 >= 132096 → ok.
    // 13 numfile: max(32 × 180 = 5760, 360 + 360 + 16 = 736) = 5760 <= 9312 → ok.
    assert.deepEqual(lintFile('upstream/openvz-vzctl-classic/historical/ve-basic.conf-sample@vzctl-4.6'), []);
  });

  it('historical/ve-light.conf-sample@vzctl-3.0.10: 32-bit unlimited ×3 (deviation) and two recommendations', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:2147483647 → INT_MAX counts as unlimited → non-vSwap. All 20 present. avnumproc = AVNUMPROC.bar = 15.
    // 1: NUMPROC 40:40, NUMTCPSOCK 40:40, NUMOTHERSOCK 40:40, SHMPAGES 1152:1152, NUMFILE 512:512, NUMPTY 4:4,
    //    NUMSIGINFO 256:256, NUMIPTENT 16:16 → ok.
    // 2: KMEMSIZE 1740800<=1847296, TCPSNDBUF/TCPRCVBUF 159744<=262144, OTHERSOCKBUF 61440<=163840,
    //    DGRAMRCVBUF 32768:32768, PRIVVMPAGES 7680<=8448, LOCKEDPAGES 4:4, NUMFLOCK 50<=60, DCACHESIZE 196608<=202752 → ok.
    // 3: VMGUARPAGES and OOMGUARPAGES limit 2147483647 ≠ LONG_MAX → vzcfgvalidate error; ours: ubc-32bit-unlimited ×2.
    // 4: PHYSPAGES bar 0 ok; limit 2147483647 ≠ LONG_MAX → vzcfgvalidate error; ours: ubc-32bit-unlimited.
    // 5: 512 × 384 = 196608 <= DCACHESIZE lim 202752 → ok.
    // 6: 40960 × 15 = 614400 + 202752 = 817152 <= KMEMSIZE bar 1740800 → ok.
    // 7: PRIVVMPAGES bar 7680 >= VMGUARPAGES bar 1725 → ok.
    // 8: TCPSNDBUF 262144 − 159744 = 102400 >= 2560 × 40 = 102400 → ok (equal passes).
    // 9: OTHERSOCKBUF 163840 − 61440 = 102400 >= 2560 × 40 = 102400 → ok.  10: TCPRCVBUF 102400 >= 102400 → ok.
    // 11: TCPRCVBUF / TCPSNDBUF bar 159744 >= 65536 → ok.
    // 12: DGRAMRCVBUF bar 32768: not < 32768, but < 132096 → Recommendation; OTHERSOCKBUF 61440 < 132096 → Recommendation.
    // 13: numfile: max(32 × 15 = 480, 40 + 40 + 4 = 84) = 480 <= 512 → ok.
    assert.deepEqual(lintFile('upstream/openvz-vzctl-classic/historical/ve-light.conf-sample@vzctl-3.0.10'), [
      'ubc-32bit-unlimited OOMGUARPAGES', 'ubc-32bit-unlimited PHYSPAGES', 'ubc-32bit-unlimited VMGUARPAGES',
      'ubc-buffer-recommendation DGRAMRCVBUF', 'ubc-buffer-recommendation OTHERSOCKBUF',
    ]);
  });

  it('wild 033 (Shorewall doc 101.conf): clean', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:9223372036854775807 → non-vSwap. All 20 present. avnumproc = AVNUMPROC.bar = 180.
    // 1: NUMPROC 240:240, NUMTCPSOCK 360:360, NUMOTHERSOCK 360:360, SHMPAGES 21504:21504, NUMFILE 9312:9312,
    //    NUMPTY 16:16, NUMSIGINFO 256:256, NUMIPTENT 200:200 → ok.
    // 2: KMEMSIZE 574890800<=589781600, LOCKEDPAGES 256:256, PRIVVMPAGES 1073741824<=2137483648, TCPSNDBUF /
    //    TCPRCVBUF 1720320<=2703360, OTHERSOCKBUF 1126080<=2097152, DGRAMRCVBUF 262144:262144, NUMFLOCK 188<=206,
    //    DCACHESIZE 3409920<=3624960; DISKSPACE 1048576<=1153024, DISKINODES 200000<=220000 → ok.
    // 3: VMGUARPAGES / OOMGUARPAGES limit LONG_MAX → ok.  4: PHYSPAGES 0:LONG_MAX → ok.
    // 5: 9312 × 384 = 3575808 <= 3624960 → ok.
    // 6: 40960 × 180 = 7372800 + 3624960 = 10997760 <= 574890800 → ok.
    // 7: PRIVVMPAGES bar 1073741824 >= VMGUARPAGES bar 262144 → ok (that it looks like bytes is another rule's).
    // 8: 2703360 − 1720320 = 983040 >= 2560 × 360 = 921600 → ok.  9: 2097152 − 1126080 = 971072 >= 921600 → ok.
    // 10: 983040 >= 921600 → ok.  11: 1720320 >= 65536 → ok.  12: 262144 and 1126080 >= 132096 → ok.
    // 13: max(32 × 180 = 5760, 360 + 360 + 16 = 736) = 5760 <= 9312 → ok.
    assert.deepEqual(lintFile('wild/033-shorewall-doc-2009-101.conf'), []);
  });

  it('wild 035 (provision-unix default UBC): privvmpages below vmguarpages', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:LONG_MAX → non-vSwap. All 20 present. avnumproc = AVNUMPROC.bar = 1275.
    // 1: NUMPROC 2550:2550, NUMTCPSOCK 2550:2550, NUMOTHERSOCK 2550:2550, SHMPAGES 45445:45445, NUMFILE 40800:40800,
    //    NUMPTY 255:255, NUMSIGINFO 1024:1024, NUMIPTENT 1536:1536 → ok.
    // 2: KMEMSIZE 104506470<=114957117, TCPSNDBUF/TCPRCVBUF 24390690<=34835490, OTHERSOCKBUF 12195345<=22640145,
    //    DGRAMRCVBUF equal, PRIVVMPAGES 128000<=131072, LOCKEDPAGES equal, NUMFLOCK 1000<=1100,
    //    DCACHESIZE 22816310<=23500800 → ok.
    // 3, 4: limits LONG_MAX, PHYSPAGES 0:LONG_MAX → ok.
    // 5: 40800 × 384 = 15667200 <= 23500800 → ok.
    // 6: 40960 × 1275 = 52224000 + 23500800 = 75724800 <= 104506470 → ok.
    // 7: PRIVVMPAGES bar 128000 < VMGUARPAGES bar 131072 → Warning → ubc-privvmpages-vmguarpages.
    // 8: 34835490 − 24390690 = 10444800 >= 2560 × 2550 = 6528000 → ok.  9: 22640145 − 12195345 = 10444800 >= 6528000 → ok.
    // 10: ok as 8.  11: 24390690 >= 65536 → ok.  12: DGRAMRCVBUF / OTHERSOCKBUF 12195345 >= 132096 → ok.
    // 13: max(32 × 1275 = 40800, 2550 + 2550 + 255 = 5355) = 40800 <= 40800 → ok (equal passes).
    assert.deepEqual(lintFile('wild/035-provision-unix-perl-default-ubc.conf'), ['ubc-privvmpages-vmguarpages PRIVVMPAGES']);
  });

  it('wild 036 (puppet example): kmemsize barrier above limit, two barrier ≠ limit', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:LONG_MAX → non-vSwap. All 20 present. avnumproc = AVNUMPROC.bar = 360.
    // 1: NUMTCPSOCK 9000:9900 and NUMOTHERSOCK 1800:2000 → Error ×2 (ubc-barrier-equals-limit); NUMPROC 1600:1600,
    //    SHMPAGES 4097152:4097152, NUMFILE 30000:30000, NUMPTY 64:64, NUMSIGINFO 512:512, NUMIPTENT 128:128 → ok.
    // 2: KMEMSIZE 300331648 > 150331648 → Error (barrier-above-limit, the core rule); others ok: PRIVVMPAGES
    //    99999999999999999 equal, TCP*BUF / OTHERSOCKBUF 57600000<=115200000, NUMFLOCK 800<=840, DCACHESIZE 24582912<=24680064.
    // 3, 4: ok.
    // 5: 30000 × 384 = 11520000 <= 24680064 → ok.
    // 6: 40960 × 360 = 14745600 + 24680064 = 39425664 <= KMEMSIZE bar 300331648 → ok.
    // 7: 99999999999999999 >= 33792 → ok.
    // 8: 115200000 − 57600000 = 57600000 >= 2560 × 9000 = 23040000 → ok.  9: 57600000 >= 2560 × 1800 = 4608000 → ok.
    // 10: ok as 8.  11: 57600000 >= 65536 → ok.  12: DGRAMRCVBUF 522144, OTHERSOCKBUF 57600000 >= 132096 → ok.
    // 13: max(32 × 360 = 11520, 9000 + 1800 + 64 = 10864) = 11520 <= 30000 → ok.
    assert.deepEqual(lintFile('wild/036-puppet-openvz-example-sample-ct-uncommented.conf'), [
      'barrier-above-limit KMEMSIZE', 'ubc-barrier-equals-limit NUMOTHERSOCK', 'ubc-barrier-equals-limit NUMTCPSOCK',
    ]);
  });

  it('wild 038 (Ubuntu forums 101.conf): 32-bit unlimited ×3 (deviation)', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES 0:2147483647 → non-vSwap (INT_MAX). All 20 present. avnumproc = AVNUMPROC.bar = 200.
    // 1: NUMPROC 400:400, NUMTCPSOCK 500:500, NUMOTHERSOCK 500:500, SHMPAGES 131072:131072, NUMFILE 9312:9312,
    //    NUMPTY 64:64, NUMSIGINFO 512:512, NUMIPTENT 128:128 → ok.
    // 2: KMEMSIZE 16384000<=18022400, PRIVVMPAGES 262144<=292912, TCPSNDBUF/TCPRCVBUF 5365760<=10485760,
    //    OTHERSOCKBUF 1503232<=4063232, DGRAMRCVBUF equal, LOCKEDPAGES equal, NUMFLOCK 200<=220, DCACHESIZE 4194304<=4317184 → ok.
    // 3: VMGUARPAGES / OOMGUARPAGES limit 2147483647 → vzcfgvalidate error; ours ubc-32bit-unlimited ×2.
    // 4: PHYSPAGES limit 2147483647 → vzcfgvalidate error; ours ubc-32bit-unlimited.
    // 5: 9312 × 384 = 3575808 <= 4317184 → ok.
    // 6: 40960 × 200 = 8192000 + 4317184 = 12509184 <= 16384000 → ok.
    // 7: 262144 >= 102400 → ok.
    // 8: 10485760 − 5365760 = 5120000 >= 2560 × 500 = 1280000 → ok.  9: 4063232 − 1503232 = 2560000 >= 1280000 → ok.
    // 10: ok as 8.  11: 5365760 >= 65536 → ok.  12: 262144 and 1503232 >= 132096 → ok.
    // 13: max(32 × 200 = 6400, 500 + 500 + 64 = 1064) = 6400 <= 9312 → ok.
    assert.deepEqual(lintFile('wild/038-ubuntuforums-2008-ubuntu804-101.conf'), [
      'ubc-32bit-unlimited OOMGUARPAGES', 'ubc-32bit-unlimited PHYSPAGES', 'ubc-32bit-unlimited VMGUARPAGES',
    ]);
  });

  it('wild 031 (ve-vps.unlimited, everything unlimited): only the PHYSPAGES barrier', { skip: NEEDS_CORPUS }, () => {
    // PHYSPAGES unlimited:unlimited → limit LONG_MAX → non-vSwap. All 20 present, every one LONG_MAX:LONG_MAX.
    // avnumproc = AVNUMPROC.bar = LONG_MAX = 2^63 − 1.
    // 1, 2, 3: all equal / unlimited → ok.  4: PHYSPAGES barrier LONG_MAX ≠ 0 → Error → ubc-physpages.
    // 5: (2^63 − 1) × 384 mod 2^64 = 2^64 − 384, & LONG_MAX = 2^63 − 384 <= DCACHESIZE lim 2^63 − 1 → ok.
    // 6: 40960 × (2^63 − 1) + (2^63 − 1) mod 2^64 = 2^63 − 40961, & LONG_MAX the same <= KMEMSIZE bar → ok.
    // 7: equal → ok.
    // 8–10: gap 0; 2.5 × 1024 × (2^63 − 1) ≈ 2.4e22 ≥ 2^64 → converts to 0x8000000000000000 (x86-64), & LONG_MAX = 0
    //    → 0 < 0 is false → ok.
    // 11, 12: barriers LONG_MAX → ok.
    // 13: 32 × (2^63 − 1) mod 2^64 = 2^64 − 32; sum 3 × (2^63 − 1) mod 2^64 = 2^63 − 3; max & LONG_MAX = 2^63 − 32
    //    <= NUMFILE bar → ok.
    // (DISKSPACE="unlimited:unlimited" is invalid in classic: invalid-value, not ours.)
    assert.deepEqual(lintFile('wild/031-c2corg-puppet-ve-vps.unlimited.conf-sample.conf'), ['ubc-physpages PHYSPAGES']);
  });

  it('shipped vSwap samples of vzctl 4.11.1 are clean; VZ7 samples on vz7 too', { skip: NEEDS_CORPUS }, () => {
    for (const f of ['ve-vswap-256m', 've-vswap-512m', 've-vswap-1g', 've-vswap-1024m', 've-vswap-2g', 've-vswap-4g', 've-basic', 've-light']) {
      assert.deepEqual(lintFile(`upstream/openvz-vzctl-classic/conf/${f}.conf-sample`), [], f);
    }
    for (const f of ['ve-vswap.1024MB', 've-basic', 've-slm.512MB']) {
      const text = readFileSync(resolve(corpus, `upstream/virtuozzo7-vzctl/etc/${f}.conf-sample`), 'utf8');
      assert.deepEqual(pairs(run(text, { path: CT, target: 'vz7' })), [], f);
    }
  });
});

describe('ubc-required fix order', () => {
  it("offers the node's CONFIGFILE sample first, then the others from small to large", () => {
    const r = lint('ONBOOT="yes"\n', { path: '/etc/vz/conf/101.conf', nodeConfig: { path: '/etc/vz/vz.conf', text: 'CONFIGFILE="vswap-2g"\n' } });
    const titles = r.findings.find((f) => f.rule === 'ubc-required')?.fixes?.map((f) => /\((ve-\S+)\)$/.exec(f.title)?.[1]);
    assert.deepEqual(titles, ['ve-vswap-2g', 've-vswap-256m', 've-vswap-512m', 've-vswap-1g', 've-vswap-4g']);
  });
});

describe('resources: the per-lint memo answers each context for itself', () => {
  it('questions about two files asked in turn (the memo keeps the last context) get each file\'s answers', () => {
    const vswapCtx = analyze('PHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n', OPTS);
    // A complete non-vSwap config (vzctl's ve-basic sample numbers).
    const ubcText = ['KMEMSIZE="14372700:14790164"', 'LOCKEDPAGES="256:256"', 'PRIVVMPAGES="65536:69632"', 'SHMPAGES="21504:21504"',
      'NUMPROC="240:240"', 'PHYSPAGES="0:unlimited"', 'VMGUARPAGES="33792:unlimited"', 'OOMGUARPAGES="26112:unlimited"',
      'NUMTCPSOCK="360:360"', 'NUMFLOCK="188:206"', 'NUMPTY="16:16"', 'NUMSIGINFO="256:256"', 'TCPSNDBUF="1720320:2703360"',
      'TCPRCVBUF="1720320:2703360"', 'OTHERSOCKBUF="1126080:2097152"', 'DGRAMRCVBUF="262144:262144"', 'NUMOTHERSOCK="360:360"',
      'DCACHESIZE="3409920:3624960"', 'NUMFILE="9312:9312"', 'NUMIPTENT="128:128"', ''].join('\n');
    const ubcCtx = analyze(ubcText, OPTS);
    for (let i = 0; i < 2; i += 1) {
      assert.equal(isVswap(vswapCtx), true);
      assert.equal(isVswap(ubcCtx), false);
      assert.equal(nonVswapInputs(vswapCtx), undefined);
      assert.ok(nonVswapInputs(ubcCtx));
      assert.equal(ubc(vswapCtx, 'PHYSPAGES')?.lim, 131072n);
      assert.equal(ubc(ubcCtx, 'NUMPROC')?.bar, 240n);
      assert.equal(ubc(vswapCtx, 'NUMPROC'), undefined);
    }
  });

  it('mergedUbc takes vz.conf\'s pair for a container without the line, and nothing when vz.conf lacks it too', () => {
    const ctx = analyze('PHYSPAGES="0:512M"\n', { ...OPTS, nodeConfig: { path: '/etc/vz/vz.conf', text: 'SWAPPAGES="0:1G"\n' } });
    assert.equal(mergedUbc(ctx, 'SWAPPAGES')?.lim, 262144n);
    assert.equal(mergedUbc(ctx, 'PHYSPAGES')?.lim, 131072n);
    assert.equal(mergedUbc(ctx, 'NUMPROC'), undefined);
  });

  it('ubc() takes the line and pair pairOf() does: one clean line, duplicates, refused and questionable values', () => {
    const texts = [
      'PHYSPAGES="0:512M"\n',
      'PHYSPAGES="0:unlimited"\nPHYSPAGES="0:512M"\n',
      'NUMPROC="240:240"\nNUMPROC="abc"\n',
      'NUMPROC="abc"\nNUMPROC="240:240"\n',
      'NUMPROC="abc"\n',
      'KMEMSIZE="300331648:150331648"\n',
      'NUMPROC=" 240:240"\n',
      'TCPSENDBUF="1720320:2703360"\nTCPSNDBUF="1720320:2703361"\n',
    ];
    for (const target of ['classic', 'classic@3.0.20', 'vz7']) {
      for (const text of texts) {
        const ctx = analyze(text, { path: CT, target });
        for (const name of ['PHYSPAGES', 'NUMPROC', 'KMEMSIZE', 'TCPSNDBUF', 'TCPSENDBUF']) {
          const u = ubc(ctx, name);
          const p = pairOf(ctx, name);
          assert.equal(u?.entry, p?.entry, `${target} ${text} ${name}`);
          assert.equal(u?.barPart, p?.pair.barrier, `${target} ${text} ${name}`);
          assert.equal(u?.limPart, p?.pair.limit, `${target} ${text} ${name}`);
        }
      }
    }
  });
});
