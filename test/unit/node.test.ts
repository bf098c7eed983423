/**
 * The node family: a container config checked with its node's vz.conf (per-file rules), and the checks
 * across the containers of one node (lintNode). Cases from issue 3 parts 7 and 8.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { findSchemasDir } from '../../server/src/catalog/load';
import { computeHover } from '../../server/src/service/hover';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { canonicalIp, Groups, lintNode, NODE_LEVEL_RULES, parseCapacitySize, resolveVeidPath, type NodeInput, type NodeLintOptions } from '../../server/src/service/node';
import { confDirListing, ctidOf, decimalStem, findNodeConfig, listConfDir, loadNodeFiles, nodeConfigCandidates, sampleNameOf, type ConfDirNames } from '../../server/src/service/nodeFiles';
import { discoverConfigFiles } from '../../server/src/cli/discover';
import { NODE_RULES } from '../../server/src/rules/node/index';
import { macAddressOf } from '../../server/src/values/validate';
import { applyEdits } from '../helpers/edits';
import { CORPUS, NEEDS_CORPUS } from '../helpers/corpus';
import { runCaptured } from '../helpers/vzlint';

/** A finding's whole text: the short message and the long detail (where the numbers and the why went). */
const said = (f: { message: string; detail?: string } | undefined): string => `${f?.message ?? ''} ${f?.detail ?? ''}`;

const NODE = '/etc/vz/vz.conf';
const CT = '/etc/vz/conf/101.conf';
const CT2 = '/etc/vz/conf/102.conf';
const node = (text: string): LintOptions['nodeConfig'] => ({ path: NODE, text });

function rule(text: string, id: string, opts: LintOptions) {
  return lint(text, { path: CT, ...opts }).findings.filter((f) => f.rule === id);
}

function nodeFindings(input: NodeInput, id: string, options: NodeLintOptions = {}) {
  const r = lintNode(input, options);
  return r.files.flatMap((f) => f.findings.filter((x) => x.rule === id).map((x) => ({ path: f.path, ...x })));
}

describe('disk-quota-off', () => {
  it('vz.conf DISK_QUOTA=no + DISKSPACE in the CT → not enforced, Unnecessary tag', () => {
    const found = rule('DISKSPACE="1048576:1153024"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warning');
    assert.equal(found[0]?.unnecessary, true);
    // No VE_LAYOUT in the CT: vzctl detects the layout from the private area, so the message says "if simfs".
    assert.equal(found[0]?.message, 'DISKSPACE not enforced if simfs: DISK_QUOTA=no in vz.conf line 1');
    assert.match(said(found[0]), /Not enforced if simfs: DISKSPACE \(line 1\) — DISK_QUOTA=no in vz\.conf line 1/);
    assert.match(said(found[0]), /does not say the layout/);
  });
  it('the CT\'s own VE_LAYOUT="simfs" (vzctl 4.9.4+) makes it definite', () => {
    const found = rule('VE_LAYOUT="simfs"\nDISKSPACE="1048576:1153024"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') });
    assert.equal(found[0]?.message, 'DISKSPACE not enforced: DISK_QUOTA=no in vz.conf line 1');
    assert.match(said(found[0]), /VE_LAYOUT="simfs" on line 1/);
    // vzctl before 4.9.4 reads VE_LAYOUT for vzctl create only: the layout is unknown again.
    const old = rule('VE_LAYOUT="simfs"\nDISKSPACE="1048576:1153024"\n', 'disk-quota-off', { target: 'classic@4.7', nodeConfig: node('DISK_QUOTA=no\n') });
    assert.equal(old[0]?.message, 'DISKSPACE not enforced if simfs: DISK_QUOTA=no in vz.conf line 1');
    assert.match(said(old[0]), /detects an existing container's layout from its private area/);
    // vzctl older than VE_LAYOUT (3.0.x) knows simfs only: definite.
    assert.equal(rule('DISKSPACE="1048576:1153024"\n', 'disk-quota-off', { target: 'classic@3.0.30', nodeConfig: node('DISK_QUOTA=no\n') })[0]?.message, 'DISKSPACE not enforced: DISK_QUOTA=no in vz.conf line 1');
  });
  it('vz.conf VE_LAYOUT=ploop is not the CT\'s layout (default for vzctl create only): still reported, "if simfs"', () => {
    const found = rule('DISKSPACE="1048576"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\nVE_LAYOUT=ploop\n') });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.message, 'DISKSPACE not enforced if simfs: DISK_QUOTA=no in vz.conf line 1');
    assert.match(said(found[0]), /vz\.conf line 2, "ploop", is only the default for vzctl create/);
  });
  it('vz.conf DISK_QUOTA=no + QUOTAUGIDLIMIT="100" → second-level quota needs the first', () => {
    const found = rule('QUOTAUGIDLIMIT="100"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') });
    assert.equal(found.length, 1);
    assert.match(said(found[0]), /second-level .* needs the first-level disk quota/);
  });
  it('DISKINODES and QUOTATIME too, in one finding; DISK_QUOTA=no in the CT itself counts', () => {
    const found = rule('DISK_QUOTA="no"\nDISKINODES="200000:220000"\nQUOTATIME="0"\n', 'disk-quota-off', {});
    assert.deepEqual(found.map((f) => f.range.start.line), [1]);
    assert.match(said(found[0]), /DISKINODES \(line 2\), QUOTATIME \(line 3\)/);
    assert.match(said(found[0]), /this file, line 1/);
  });
  it('silent: DISK_QUOTA=yes, no node (vzctl default yes), QUOTAUGIDLIMIT=0, the CT\'s own ploop, vz7, vz.conf itself', () => {
    assert.deepEqual(rule('DISKSPACE="1048576"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=yes\n') }), []);
    assert.deepEqual(rule('DISKSPACE="1048576"\n', 'disk-quota-off', {}), []);
    assert.deepEqual(rule('QUOTAUGIDLIMIT="0"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') }), []);
    assert.deepEqual(rule('VE_LAYOUT="ploop"\nDISKSPACE="1048576"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') }), []);
    assert.deepEqual(rule('DISKSPACE="1048576"\n', 'disk-quota-off', { target: 'vz7', nodeConfig: node('DISK_QUOTA=no\n') }), []);
    assert.deepEqual(lint('DISK_QUOTA=no\nDISKSPACE="1048576"\n', { path: NODE }).findings.filter((f) => f.rule === 'disk-quota-off'), []);
  });
  it('the CT overrides vz.conf: DISK_QUOTA=yes in the CT wins over DISK_QUOTA=no in vz.conf', () => {
    assert.deepEqual(rule('DISK_QUOTA="yes"\nDISKSPACE="1048576"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=no\n') }), []);
    // And the other way round: only the CT's line says no (what the rule looks for before the effective value).
    assert.equal(rule('DISK_QUOTA="no"\nDISKSPACE="1048576"\n', 'disk-quota-off', { nodeConfig: node('DISK_QUOTA=yes\n') }).length, 1);
  });
  it('fix (vz.conf source): inserts DISK_QUOTA="yes" in the CT; re-lint is clean', () => {
    const text = 'ONBOOT="yes"\nDISKSPACE="1048576:1153024"\nQUOTAUGIDLIMIT="100"\n';
    const opts = { path: CT, nodeConfig: node('DISK_QUOTA=no\n') };
    const f = lint(text, opts).findings.find((x) => x.rule === 'disk-quota-off');
    const fix = f?.fixes?.[0];
    assert.ok(fix);
    assert.equal(fix.safe, false);
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /^DISK_QUOTA="yes"$/m);
    assert.deepEqual(lint(fixed, opts).findings.filter((x) => x.rule === 'disk-quota-off'), []);
  });
  it('fix (CT source): sets the CT\'s DISK_QUOTA to yes; re-lint is clean', () => {
    const text = 'DISK_QUOTA="no"\nDISKSPACE="1048576"\n';
    const f = lint(text, { path: CT }).findings.find((x) => x.rule === 'disk-quota-off');
    const fixed = applyEdits(text, f?.fixes?.[0]?.edits ?? []);
    assert.equal(fixed, 'DISK_QUOTA="yes"\nDISKSPACE="1048576"\n');
    assert.deepEqual(lint(fixed, { path: CT }).findings.filter((x) => x.rule === 'disk-quota-off'), []);
  });
});

describe('iptables-not-allowed-by-node', () => {
  const nodeText = 'IPTABLES="iptable_filter ipt_REJECT"\n';
  const ctText = 'IPTABLES="iptable_filter ipt_state iptable_nat"\n';
  it('classic 4.6: ipt_state and iptable_nat will not load, each marked on its own token', () => {
    const found = rule(ctText, 'iptables-not-allowed-by-node', { target: 'classic@4.6', nodeConfig: node(nodeText) });
    assert.equal(found.length, 2);
    assert.match(said(found[0]), /^ipt_state will not load/);
    assert.match(said(found[1]), /^iptable_nat will not load/);
    assert.match(said(found[0]), /KB 113056/);
    const col = ctText.indexOf('ipt_state');
    assert.deepEqual(found[0]?.range, { start: { line: 0, character: col }, end: { line: 0, character: col + 'ipt_state'.length } });
  });
  it('silent on 4.7+, without a node, when vz.conf has no IPTABLES, when all are allowed', () => {
    assert.deepEqual(rule(ctText, 'iptables-not-allowed-by-node', { target: 'classic@4.7', nodeConfig: node(nodeText) }), []);
    assert.deepEqual(rule(ctText, 'iptables-not-allowed-by-node', { target: 'classic@4.6' }), []);
    assert.deepEqual(rule(ctText, 'iptables-not-allowed-by-node', { target: 'classic@4.6', nodeConfig: node('DISK_QUOTA=yes\n') }), []);
    assert.deepEqual(rule('IPTABLES="ipt_REJECT"\n', 'iptables-not-allowed-by-node', { target: 'classic@4.6', nodeConfig: node(nodeText) }), []);
  });
});

describe('ploop-sample-without-diskspace (vzctl create fails: src/lib/create.c fs_create() since 3.1)', () => {
  const SAMPLE = '/etc/vz/conf/ve-unlimited.conf-sample';
  /** A sample without DISKSPACE, like the shipped ve-unlimited of 3.0.24–4.6 (UBCs unlimited, no disk limits). */
  const noDisk = 'ONBOOT="no"\nNUMPROC="unlimited"\nPHYSPAGES="0:unlimited"\n';
  const run = (vz: string, sample: string, target = 'classic@4.6') =>
    nodeFindings({ nodeConfig: { path: NODE, text: vz }, containers: [{ path: SAMPLE, text: sample }] }, 'ploop-sample-without-diskspace', { target });

  it('VE_LAYOUT=ploop + CONFIGFILE naming a sample without DISKSPACE → error on CONFIGFILE, citing the fact', () => {
    const found = run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', noDisk);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.path, NODE);
    assert.equal(found[0]?.severity, 'error');
    assert.equal(found[0]?.range.start.line, 1);
    assert.equal(found[0]?.message, 'Sample "unlimited" sets no DISKSPACE, which ploop needs; vzctl create fails');
    assert.deepEqual(found[0]?.facts, ['classic.create-fails-ploop-no-diskspace']);
    assert.match(found[0]?.detail ?? '', /diskspace not set \(required for ploop\)/);
    assert.match(found[0]?.detail ?? '', /vz\.conf line 1/);
  });
  it('a hard limit of 0 is "not set" too; ploop:expanded is ploop; the sample\'s own VE_LAYOUT=ploop counts', () => {
    assert.equal(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', `${noDisk}DISKSPACE="0:0"\n`).length, 1);
    assert.equal(run('VE_LAYOUT="ploop:expanded"\nCONFIGFILE="unlimited"\n', noDisk).length, 1);
    assert.equal(run('CONFIGFILE="unlimited"\n', `VE_LAYOUT=ploop\n${noDisk}`).length, 1);
  });
  it('silent: simfs (or no VE_LAYOUT), DISKSPACE in the sample or in vz.conf, before 3.1, Virtuozzo 7, sample text unknown', () => {
    assert.deepEqual(run('VE_LAYOUT=simfs\nCONFIGFILE="unlimited"\n', noDisk), []);
    assert.deepEqual(run('#VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', noDisk), [], 'as shipped before 4.7: commented out');
    assert.deepEqual(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', `${noDisk}DISKSPACE="2G:2.2G"\n`), []);
    assert.deepEqual(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\nDISKSPACE="10G:11G"\n', noDisk), [], 'vz.conf values merge into create');
    assert.deepEqual(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', `VE_LAYOUT=simfs\n${noDisk}`), [], 'the sample overrides vz.conf');
    assert.deepEqual(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', noDisk, 'classic@3.0.30.2'), [], 'no ploop before 3.1');
    assert.deepEqual(run('VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n', noDisk, 'vz7'), []);
    assert.deepEqual(nodeFindings({ nodeConfig: { path: NODE, text: 'VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n' }, containers: [], samples: ['unlimited'] }, 'ploop-sample-without-diskspace'), [], 'only the name is known');
  });
  it('shipped files: 3.1 vz.conf with VE_LAYOUT=ploop and CONFIGFILE="unlimited" + the shipped ve-unlimited (vzlint on the folder)', { skip: NEEDS_CORPUS }, async () => {
    const versions = path.join(CORPUS, 'versions');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vzconf-ploop-'));
    try {
      await mkdir(path.join(dir, 'etc/vz/conf'), { recursive: true });
      const vz = readFileSync(path.join(versions, 'classic@3.1/etc/vz.conf'), 'utf8');
      assert.match(vz, /^#VE_LAYOUT=ploop$/m, 'shipped with the line commented out');
      await writeFile(path.join(dir, 'etc/vz/conf/ve-unlimited.conf-sample'), readFileSync(path.join(versions, 'classic@3.0.29/etc/conf/ve-unlimited.conf-sample')));
      const lintTree = async (text: string) => {
        await writeFile(path.join(dir, 'etc/vz/vz.conf'), text);
        const r = await runCaptured(['--no-color', '--no-config', '--format', 'json', '--target', 'classic@3.1', '.'], dir);
        return (JSON.parse(r.out) as { file: string; line: number; rule: string }[]).filter((f) => f.rule === 'ploop-sample-without-diskspace');
      };
      assert.deepEqual(await lintTree(vz.replace(/^CONFIGFILE=.*$/m, 'CONFIGFILE="unlimited"')), [], 'as shipped: simfs');
      const found = await lintTree(vz.replace(/^CONFIGFILE=.*$/m, 'CONFIGFILE="unlimited"').replace(/^#VE_LAYOUT=ploop$/m, 'VE_LAYOUT=ploop'));
      assert.deepEqual(found.map((f) => [f.file.split(path.sep).join('/'), f.rule]), [['etc/vz/vz.conf', 'ploop-sample-without-diskspace']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('script-ignores-setting (vzmigrate and init-script facts of schemas/behaviours.yaml)', () => {
  const found = (text: string, target: string) => lint(text, { path: NODE, target }).findings.filter((f) => f.rule === 'script-ignores-setting');

  it('LOCKDIR other than /vz/lock on vzctl 4.7 to 4.8 → warning naming the versions (bin/vzmigrate.in hard-codes /vz/lock)', () => {
    for (const target of ['classic@4.7', 'classic@4.7.2', 'classic@4.8']) {
      const f = found('LOCKDIR=/var/lock/vz\n', target);
      assert.equal(f.length, 1, target);
      assert.equal(f[0]?.severity, 'warning');
      assert.equal(f[0]?.message, 'LOCKDIR is not /vz/lock (vzctl 4.7 to 4.8); vzmigrate ignores it and locks in /vz/lock');
      assert.deepEqual(f[0]?.facts, ['classic.vzmigrate-hardcoded-lockdir']);
      assert.match(f[0]?.detail ?? '', /LOCKDIR="\/var\/lock\/vz"/);
    }
  });
  it('silent for LOCKDIR=/vz/lock (trailing / too), on 4.6.1 (no lock of its own), 4.9 (reads LOCKDIR) and Virtuozzo 7', () => {
    assert.deepEqual(found('LOCKDIR=/vz/lock\n', 'classic@4.8'), []);
    assert.deepEqual(found('LOCKDIR=/vz/lock/\n', 'classic@4.7'), []);
    for (const target of ['classic@4.6.1', 'classic@4.9', 'classic@4.11.1', 'vz7']) assert.deepEqual(found('LOCKDIR=/var/lock/vz\n', target), [], target);
    assert.deepEqual(lint('LOCKDIR=/var/lock/vz\n', { path: CT, target: 'classic@4.7' }).findings.filter((f) => f.rule === 'script-ignores-setting'), [], 'vz.conf only');
  });
  it('CONFIGFILE="basic": info on 3.0.26 to 3.0.30.2 for the exact line; from 3.1 to 4.6.1 only the shipped line with its comment', () => {
    const plain = 'CONFIGFILE="basic"\n';
    const shipped = 'CONFIGFILE="basic" # Use vswap-256m on RHEL6 kernel\n';
    for (const target of ['classic@3.0.26', 'classic@3.0.30.2']) {
      const f = found(plain, target);
      assert.equal(f.length, 1, target);
      assert.equal(f[0]?.severity, 'info');
      assert.equal(f[0]?.message, 'CONFIGFILE="basic": on a vSwap (042+) kernel the init script turns it into vswap-256m');
      assert.deepEqual(f[0]?.facts, ['classic.init-rewrites-configfile']);
      assert.deepEqual(found(shipped, target), [], `${target}: the grep wants the bare line`);
    }
    for (const target of ['classic@3.1', 'classic@4.6.1']) {
      assert.deepEqual(found(shipped, target).map((f) => [f.severity, f.facts]), [['info', ['classic.init-rewrites-configfile.commented']]], target);
      assert.deepEqual(found(plain, target), [], `${target}: a plain CONFIGFILE="basic" is left alone`);
    }
    for (const target of ['classic@3.0.25', 'classic@4.7', 'vz7']) assert.deepEqual([...found(plain, target), ...found(shipped, target)], [], target);
    assert.deepEqual(found('CONFIGFILE="vswap-256m"\n', 'classic@3.0.28'), []);
  });
  it('the shipped vz.conf of 3.0.26, 3.1 and 4.4 get the info, 4.7 and 4.8 (LOCKDIR=/vz/lock) nothing', { skip: NEEDS_CORPUS }, () => {
    const versions = path.join(CORPUS, 'versions');
    const shipped = (f: string) => readFileSync(path.join(versions, f), 'utf8');
    assert.equal(found(shipped('classic@3.0.26/etc/vz.conf'), 'classic@3.0.26').length, 1);
    assert.equal(found(shipped('classic@3.1/etc/vz.conf'), 'classic@3.1').length, 1);
    assert.equal(found(shipped('classic@4.4/etc/vz.conf'), 'classic@4.6.1').length, 1);
    assert.deepEqual(found(shipped('classic@4.7/etc/vz.conf'), 'classic@4.7'), []);
    assert.deepEqual(found(shipped('classic@4.8/etc/vz.conf'), 'classic@4.8'), []);
    assert.equal(found(shipped('classic@4.8/etc/vz.conf').replace(/^LOCKDIR=.*$/m, 'LOCKDIR=/srv/vz/lock'), 'classic@4.8').length, 1);
  });
});

describe('sample-not-found', () => {
  it('vz.conf CONFIGFILE="vps.basic" on vzctl ≥ 3.0.24 (no conf/ listing) → renamed to basic; fix + re-lint', () => {
    const text = 'CONFIGFILE="vps.basic"\n';
    const found = nodeFindings({ nodeConfig: { path: NODE, text }, containers: [] }, 'sample-not-found', { target: 'classic@3.0.24' });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warning');
    assert.match(said(found[0]), /renamed to "basic" in vzctl 3\.0\.24/);
    // The message says who renamed it (it read as if vzconf had).
    assert.equal(found[0]?.message, 'CONFIGFILE="vps.basic": no such sample; vzctl 3.0.24 renamed it to "basic"');
    // True whether conf/ is missing or holds no samples: it never claims the folder was unavailable.
    assert.match(said(found[0]), /no ve-\*\.conf-sample file was found in the node's conf\/ folder/);
    assert.doesNotMatch(said(found[0]), /not available/);
    // The version is the target's (often the default), not something read from the node.
    assert.match(said(found[0]), /the target is vzctl 3\.0\.24/);
    assert.doesNotMatch(said(found[0]), /this node runs/);
    const fixed = applyEdits(text, found[0]?.fixes?.[0]?.edits ?? []);
    assert.equal(fixed, 'CONFIGFILE="basic"\n');
    assert.deepEqual(nodeFindings({ nodeConfig: { path: NODE, text: fixed }, containers: [] }, 'sample-not-found', { target: 'classic@3.0.24' }), []);
  });
  it('silent on vzctl 3.0.23 (vps.basic still shipped) and for unknown custom names', () => {
    assert.deepEqual(nodeFindings({ nodeConfig: { path: NODE, text: 'CONFIGFILE="vps.basic"\n' }, containers: [] }, 'sample-not-found', { target: 'classic@3.0.23' }), []);
    assert.deepEqual(nodeFindings({ nodeConfig: { path: NODE, text: 'CONFIGFILE="myplan"\n' }, containers: [] }, 'sample-not-found'), []);
  });
  it('with the conf/ listing: any missing name; ORIGIN_SAMPLE in a CT is info', () => {
    const input: NodeInput = { nodeConfig: { path: NODE, text: 'CONFIGFILE="myplan"\n' }, containers: [{ path: CT, text: 'ORIGIN_SAMPLE="vswap-256m"\n' }], samples: ['basic', 'light'] };
    const found = nodeFindings(input, 'sample-not-found');
    assert.deepEqual(found.map((f) => [f.path, f.severity]), [[NODE, 'warning'], [CT, 'info']]);
    assert.match(said(found[0]), /no ve-myplan\.conf-sample in the node's conf\/ folder/);
    // A renamed sample whose new name the folder has: the same wording.
    const renamed = nodeFindings({ ...input, nodeConfig: { path: NODE, text: 'CONFIGFILE="vps.basic"\n' } }, 'sample-not-found');
    assert.equal(renamed[0]?.message, 'CONFIGFILE="vps.basic": no such sample; vzctl 3.0.24 renamed it to "basic"');
    assert.deepEqual(nodeFindings({ ...input, samples: ['myplan', 'vswap-256m'] }, 'sample-not-found'), []);
  });
  it('samples.yaml validates against samples.schema.json', () => {
    const dir = findSchemasDir();
    const ajv = new Ajv({ allErrors: true, strict: true });
    const schema = JSON.parse(readFileSync(path.join(dir, 'samples.schema.json'), 'utf8')) as object;
    const data = parse(readFileSync(path.join(dir, 'samples.yaml'), 'utf8')) as unknown;
    assert.ok(ajv.validate(schema, data), ajv.errorsText(ajv.errors));
  });
});

describe('cross-container rules', () => {
  it('duplicate-ip-address: the same address (IPv6 spelt differently too) on two CTs; 0.0.0.0 ignored', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.1 2001:db8::1 0.0.0.0"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.1/24 2001:DB8:0::1 0.0.0.0"\n' },
      { path: '/etc/vz/conf/103.conf', text: 'IP_ADDRESS="10.0.0.3"\n' },
    ] };
    const found = nodeFindings(input, 'duplicate-ip-address');
    assert.equal(found.length, 4);
    assert.ok(found.every((f) => f.severity === 'warning' && f.path !== '/etc/vz/conf/103.conf'));
    assert.match(said(found[0]), /10\.0\.0\.1 is also assigned to 102\.conf line 1/);
  });
  it('duplicate-ip-address: three holders of one address, each told of the others; the order is the first holder\'s', () => {
    const input: NodeInput = { containers: [
      { path: '/etc/vz/conf/103.conf', text: 'IP_ADDRESS="10.0.0.9 10.0.0.7"\n' },
      { path: CT, text: 'IP_ADDRESS="10.0.0.7"\nHOSTNAME="a.example"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.7 10.0.0.9"\nHOSTNAME="A.Example"\n' },
    ] };
    const found = nodeFindings(input, 'duplicate-ip-address');
    assert.equal(found.length, 5);
    const seven = found.filter((f) => said(f).startsWith('10.0.0.7'));
    assert.equal(seven.length, 3);
    assert.ok(seven.every((f) => / and 1 more$/.test(f.message)), seven.map(said).join('\n'));
    const names = nodeFindings(input, 'duplicate-ct-name');
    assert.deepEqual(names.map((f) => f.path).sort(), [CT, CT2].sort(), 'HOSTNAME compared case-insensitively');
  });
  it('Groups: only keys added twice or more are shared, in the order each key was first added', () => {
    const g = new Groups<number>();
    for (const [k, v] of [['b', 1], ['a', 2], ['c', 3], ['a', 4], ['b', 5], ['a', 6]] as const) g.add(k, v);
    assert.deepEqual([...g.shared()], [['b', [1, 5]], ['a', [2, 4, 6]]]);
    assert.deepEqual([...new Groups<number>().shared()], []);
  });
  it('duplicate-mac-address: a CT config copied from a real one (wild 034, bridged NETIF) → both MACs in both files', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(path.join(CORPUS, 'wild/034-shorewall-doc-2010-bridge-102.conf'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('NETIF='));
    assert.ok(line >= 0, 'the corpus file has a NETIF line');
    const found = nodeFindings({ containers: [{ path: CT, text }, { path: CT2, text }] }, 'duplicate-mac-address');
    assert.deepEqual(found.map((f) => [f.path, f.severity, f.range.start.line]), [[CT, 'warning', line], [CT, 'warning', line], [CT2, 'warning', line], [CT2, 'warning', line]]);
    const netif = text.split('\n')[line] as string;
    assert.equal(netif.slice(found[0]?.range.start.character, found[0]?.range.end.character), 'mac=00:18:51:22:24:80');
    assert.equal(netif.slice(found[1]?.range.start.character, found[1]?.range.end.character), 'host_mac=00:18:51:B6:1A:F0');
    assert.equal(found[0]?.message, `MAC 00:18:51:22:24:80 is also set in 102.conf line ${line + 1}`);
    assert.match(said(found[0]), /vzctl does not check that MAC addresses are unique/);
    // Two real configs with their own (generated) addresses: nothing.
    const other = readFileSync(path.join(CORPUS, 'wild/037-lxc-book-debian7-vzctl-saved-1.conf'), 'utf8');
    assert.deepEqual(nodeFindings({ containers: [{ path: CT, text }, { path: CT2, text: other }] }, 'duplicate-mac-address'), []);
  });
  it('duplicate-mac-address: MACs compare as parse_hwaddr() reads them; mac= of one CT against host_mac= of another', () => {
    const found = nodeFindings({ containers: [
      { path: CT, text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC,host_mac=00:18:51:AA:BB:CC"\n' },
      { path: CT2, text: 'NETIF="ifname=eth0,mac=00:18:51:01:02:03,host_mac=00-18-51-aa-bb-cc"\n' },
      { path: '/etc/vz/conf/103.conf', text: 'NETIF="ifname=eth0,mac=00:18:51:01:02:04;ifname=eth1"\n' },
    ] }, 'duplicate-mac-address');
    // 101's host_mac equal to its own mac= is one address of one CT: one finding there, at mac=.
    assert.deepEqual(found.map((f) => [f.path, f.range.start.character]), [[CT, 19], [CT2, 41]]);
    assert.match(said(found[1]), /^MAC 00:18:51:AA:BB:CC is also set in 101\.conf line 1 NETIF host_mac=00:18:51:AA:BB:CC is also set in 101\.conf line 1 \(mac=\)/);
  });
  it('duplicate-mac-address: silent for generated MACs, a NETIF line vzctl skips, a dropped second ifname, samples', () => {
    const none = (containers: NodeInput['containers']) => assert.deepEqual(nodeFindings({ containers }, 'duplicate-mac-address'), []);
    none([{ path: CT, text: 'NETIF="ifname=eth0,host_ifname=veth101.0"\n' }, { path: CT2, text: 'NETIF="ifname=eth0,host_ifname=veth102.0"\n' }]);
    // ifname missing in the second interface: classic refuses the whole line ("invalid value"), so no device.
    none([{ path: CT, text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC;mac=00:18:51:00:00:01"\n' }, { path: CT2, text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC;host_ifname=x"\n' }]);
    // A second interface named eth0 is dropped by parse_netif() (find_veth_by_ifname_ve): its MAC is never used.
    none([{ path: CT, text: 'NETIF="ifname=eth0,mac=00:18:51:00:00:01;ifname=eth0,mac=00:18:51:AA:BB:CC"\n' }, { path: CT2, text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\n' }]);
    none([{ path: CT, text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\n' }, { path: '/etc/vz/conf/ve-basic.conf-sample', text: 'NETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\n' }]);
  });
  it('macAddressOf: the bytes parse_hwaddr() stores; undefined where hwaddrRead is not ok', () => {
    assert.equal(macAddressOf('00:18:51:AA:BB:CC', 'classic'), '00:18:51:aa:bb:cc');
    assert.equal(macAddressOf('00-18-51-aa-bb-cc', 'classic'), '00:18:51:aa:bb:cc');
    assert.equal(macAddressOf('001851aabbcc', 'vz7'), '00:18:51:aa:bb:cc');
    assert.equal(macAddressOf('001851aabbcc', 'classic'), undefined);
    assert.equal(macAddressOf('00:18:51:AA:BB', 'classic'), undefined);
    assert.equal(macAddressOf('zz:18:51:AA:BB:CC', 'classic'), undefined);
  });
  it('default-path-without-veid: the shipped vz.conf (4.9 and 4.1.1) with $VEID taken out of VE_PRIVATE', { skip: NEEDS_CORPUS }, () => {
    for (const [tag, says] of [['4.9', 'vzctl create fails if it is not empty'], ['4.1.1', 'vzctl create fails if it exists']] as const) {
      const file = path.join(CORPUS, 'versions', `classic@${tag}`, 'etc/vz.conf');
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(lint(text, { path: NODE, target: `classic@${tag}` }).findings.filter((f) => f.rule === 'default-path-without-veid'), [], `${tag} ships $VEID`);
      const bare = text.replace(/^VE_PRIVATE=(.*)\/\$VEID$/m, 'VE_PRIVATE=$1');
      assert.notEqual(bare, text, `${tag}: a VE_PRIVATE line ending in /$VEID`);
      const found = lint(bare, { path: NODE, target: `classic@${tag}` }).findings.filter((f) => f.rule === 'default-path-without-veid');
      assert.equal(found.length, 1);
      assert.equal(found[0]?.message, `VE_PRIVATE has no $VEID: all new containers get this path; ${says}`);
      assert.equal(found[0]?.range.start.line, bare.split('\n').findIndex((l) => l.startsWith('VE_PRIVATE=')));
    }
  });
  it('default-path-without-veid on Virtuozzo 7: the shipped vz.conf with $VEID taken out (libvzctl lib/create.c by version)', { skip: NEEDS_CORPUS }, () => {
    // vzctl2_env_create() reads vz.conf's VE_PRIVATE through conf_parse() (lib/config.c) and refuses an
    // existing private area: create_env_private() up to 7.0.60; from 7.0.61 a check before --private is
    // applied, whose error code 7.0.61..7.0.68 lose (create returns 0 and makes nothing).
    const file = path.join(CORPUS, 'versions', 'vz7@7.0.92', 'etc/vz.conf');
    const text = readFileSync(file, 'utf8');
    const bare = text.replace(/^VE_PRIVATE=(.*)\/\$VEID$/m, 'VE_PRIVATE=$1').replace(/^VE_ROOT=(.*)\/\$VEID$/m, 'VE_ROOT=$1');
    assert.notEqual(bare, text);
    for (const [target, says] of [['vz7@7.0.60', 'vzctl create fails if it exists'], ['vz7@7.0.62', 'vzctl create makes nothing if it exists'], ['vz7@7.0.92', 'vzctl create fails if it exists'], ['vz7@8.0.90', 'vzctl create fails if it exists']] as const) {
      assert.deepEqual(lint(text, { path: NODE, target }).findings.filter((f) => f.rule === 'default-path-without-veid'), [], `${target}: shipped with $VEID`);
      const found = lint(bare, { path: NODE, target }).findings.filter((f) => f.rule === 'default-path-without-veid').sort((a, b) => a.message.localeCompare(b.message));
      assert.deepEqual(found.map((f) => f.message), [
        `VE_PRIVATE has no $VEID: all new containers get this path; ${says}`,
        'VE_ROOT has no $VEID: all new containers get this mount point; libvzctl uses it as written',
      ], target);
      // The classic VE_ROOT consequence (vps_is_mounted()) is not claimed for libvzctl.
      assert.doesNotMatch(found[1]?.detail ?? '', /vps_is_mounted/);
    }
    const late = lint(bare, { path: NODE, target: 'vz7@7.0.737' }).findings.find((f) => f.rule === 'default-path-without-veid' && f.message.startsWith('VE_PRIVATE'));
    assert.match(late?.detail ?? '', /even vzctl create --private fails/);
    assert.match(late?.detail ?? '', /Source: OpenVZ\/libvzctl v7\.0\.737 lib\/create\.c/);
  });
  it('duplicate-ip-address: samples and 0.conf are not containers', () => {
    const input: NodeInput = { containers: [{ path: CT, text: 'IP_ADDRESS="10.0.0.1"\n' }, { path: '/etc/vz/conf/ve-basic.conf-sample', text: 'IP_ADDRESS="10.0.0.1"\n' }, { path: '/etc/vz/conf/0.conf', text: 'IP_ADDRESS="10.0.0.1"\n' }] };
    assert.deepEqual(nodeFindings(input, 'duplicate-ip-address'), []);
  });
  it('shared-private-path: VE_PRIVATE without $VEID in vz.conf → one error on vz.conf; with $VEID silent', () => {
    const cts = [{ path: CT, text: 'ONBOOT=yes\n' }, { path: CT2, text: 'ONBOOT=yes\n' }];
    const found = nodeFindings({ nodeConfig: { path: NODE, text: 'VE_PRIVATE=/vz/private\nVE_ROOT=/vz/root/$VEID\n' }, containers: cts }, 'shared-private-path');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.path, NODE);
    assert.equal(found[0]?.severity, 'error');
    assert.deepEqual(nodeFindings({ nodeConfig: { path: NODE, text: 'VE_PRIVATE=/vz/private/$VEID\nVE_ROOT=/vz/root/${VEID}/\n' }, containers: cts }, 'shared-private-path'), []);
  });
  it('shared-private-path: subst_VEID() replaces only the first $VEID, else the first ${VEID} (classic src/lib/util.c @ vzctl-4.11.1; libvzctl lib/util.c @ v7.0.737)', () => {
    assert.equal(resolveVeidPath('/vz/$VEID/$VEID', '101'), '/vz/101/$VEID');
    assert.equal(resolveVeidPath('/vz/${VEID}/${VEID}', '101'), '/vz/101/${VEID}');
    assert.equal(resolveVeidPath('/vz/${VEID}/$VEID', '101'), '/vz/${VEID}/101', '$VEID is looked for first');
    assert.equal(resolveVeidPath('/vz/private/$VEIDx', '101'), '/vz/private/101x', 'strstr(): no word boundary');
    assert.equal(resolveVeidPath('/vz/private/${VEID', '101'), '/vz/private/${VEID', 'no closing brace: not replaced');
    for (const target of ['classic', 'vz7'] as const) {
      // 101 resolves to /vz/101/$VEID, not /vz/101/101: a literal /vz/101/101 elsewhere is no clash.
      assert.deepEqual(nodeFindings({ containers: [{ path: CT, text: 'VE_PRIVATE="/vz/$VEID/$VEID"\n' }, { path: CT2, text: 'VE_PRIVATE="/vz/101/101"\n' }] }, 'shared-private-path', { target }), [], target);
      // $VEIDx is 101x and 102x: two containers, two paths (it compared "/vz/private/$VEIDx" twice before).
      assert.deepEqual(nodeFindings({ containers: [{ path: CT, text: 'VE_PRIVATE="/vz/private/$VEIDx"\n' }, { path: CT2, text: 'VE_PRIVATE="/vz/private/$VEIDx"\n' }] }, 'shared-private-path', { target }), [], target);
      // …and 101's /vz/private/$VEIDx is /vz/private/101x, which another container names literally: a clash.
      const clash = nodeFindings({ containers: [{ path: CT, text: 'VE_PRIVATE="/vz/private/$VEIDx"\n' }, { path: CT2, text: 'VE_PRIVATE="/vz/private/101x"\n' }] }, 'shared-private-path', { target });
      assert.deepEqual(clash.map((f) => f.path), [CT, CT2], target);
      assert.match(clash[0]?.message ?? '', /VE_PRIVATE resolves to "\/vz\/private\/101x" for 2 containers/);
    }
  });
  it('shared-private-path: a CT config copied with a literal VE_ROOT → both CT lines', () => {
    const found = nodeFindings({ containers: [{ path: CT, text: 'VE_ROOT="/vz/root/101"\n' }, { path: CT2, text: 'VE_ROOT="/vz/root/101/"\n' }] }, 'shared-private-path');
    assert.deepEqual(found.map((f) => f.path), [CT, CT2]);
  });
  it('duplicate-ct-name: NAME and HOSTNAME (case-insensitive) → info; different names silent', () => {
    const found = nodeFindings({ containers: [{ path: CT, text: 'NAME="web"\nHOSTNAME="Web.example.com"\n' }, { path: CT2, text: 'NAME="web"\nHOSTNAME="web.example.com"\n' }] }, 'duplicate-ct-name');
    assert.equal(found.length, 4);
    assert.ok(found.every((f) => f.severity === 'info'));
    assert.deepEqual(nodeFindings({ containers: [{ path: CT, text: 'NAME="a"\n' }, { path: CT2, text: 'NAME="b"\n' }] }, 'duplicate-ct-name'), []);
  });
});

describe('node memory', () => {
  const cts = [
    { path: CT, text: 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\n' },
    { path: CT2, text: 'PRIVVMPAGES="2G:2200M"\n' },
    { path: '/etc/vz/conf/103.conf', text: 'PRIVVMPAGES="unlimited"\n' },
  ];
  it('counts vSwap PHYSPAGES+SWAPPAGES limits and the UBC PRIVVMPAGES barrier, saying which', () => {
    const m = lintNode({ containers: cts }).memory;
    assert.deepEqual(m.rows.map((r) => [r.ctid, r.mode, r.basis]), [
      ['101', 'vswap', 'PHYSPAGES limit + SWAPPAGES limit'],
      ['102', 'ubc', 'PRIVVMPAGES barrier'],
      ['103', 'none', 'not counted: PRIVVMPAGES barrier unlimited'],
    ]);
    assert.equal(m.ramBytes, 1n << 30n);
    assert.equal(m.swapBytes, 512n << 20n);
    assert.equal(m.privvmBytes, 2n << 30n);
  });
  it('over the node → a warning on vz.conf line 1; enough RAM → silent; no capacity → silent', () => {
    const input: NodeInput = { nodeConfig: { path: NODE, text: 'DISK_QUOTA=yes\n' }, containers: cts };
    const found = nodeFindings(input, 'node-memory-overcommit', { capacity: { ramBytes: 2n << 30n } });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.path, NODE);
    assert.equal(found[0]?.range.start.line, 0);
    assert.match(said(found[0]), /3\.5 GiB .* > node RAM 2 GiB \(swap not given\)/);
    // The message says what it sums, in the field's terms, as --summary does, and what it compared: the RAM
    // alone when no swap was given (counted as 0), RAM + swap when it was.
    assert.equal(found[0]?.message, '2 containers: PHYSPAGES + SWAPPAGES + PRIVVMPAGES = 3.5 GiB, above node RAM (2 GiB; swap not given)');
    const withSwap = nodeFindings(input, 'node-memory-overcommit', { capacity: { ramBytes: 2n << 30n, swapBytes: 1n << 30n } });
    assert.equal(withSwap[0]?.message, '2 containers: PHYSPAGES + SWAPPAGES + PRIVVMPAGES = 3.5 GiB, above node RAM + swap (3 GiB)');
    assert.match(said(withSwap[0]), /3\.5 GiB .* > node RAM \+ swap 3 GiB/);
    assert.deepEqual(nodeFindings(input, 'node-memory-overcommit', { capacity: { ramBytes: 4n << 30n } }), []);
    assert.deepEqual(nodeFindings(input, 'node-memory-overcommit'), []);
  });
  it('vSwap RAM above node RAM is flagged even when swap makes the total fit', () => {
    const found = nodeFindings({ containers: [cts[0] as { path: string; text: string }] }, 'node-memory-overcommit', { capacity: { ramBytes: 512n << 20n, swapBytes: 4n << 30n } });
    assert.match(said(found[0]), /vSwap RAM \(PHYSPAGES limits\) 1 GiB > node RAM 512 MiB/);
    assert.equal(found[0]?.message, '1 container: vSwap PHYSPAGES limits = 1 GiB, above node RAM (512 MiB)');
    assert.equal(found[0]?.path, CT, 'no vz.conf: reported on the first container');
  });
  it('counts the containers it sums: the vSwap ones for PHYSPAGES, not every counted container', () => {
    // 101 is vSwap (1 GiB PHYSPAGES), 102 UBC (PRIVVMPAGES), 103 not counted: "1 container", not 2 or 3.
    const found = nodeFindings({ containers: cts }, 'node-memory-overcommit', { capacity: { ramBytes: 512n << 20n, swapBytes: 8n << 30n } });
    assert.equal(found[0]?.message, '1 container: vSwap PHYSPAGES limits = 1 GiB, above node RAM (512 MiB)');
    assert.match(said(found[0]), /The 2 containers of this node/);
  });
  it('a near-unlimited value (PRIVVMPAGES 99999999999999999, below LONG_MAX) is unlimited: no 355 EiB overcommit', () => {
    const huge = [...cts, { path: '/etc/vz/conf/104.conf', text: 'PRIVVMPAGES="99999999999999999:99999999999999999"\n' }];
    const m = lintNode({ containers: huge }).memory;
    assert.deepEqual(m.rows[3]?.basis, 'not counted: PRIVVMPAGES barrier effectively unlimited');
    assert.equal(m.privvmBytes, 2n << 30n);
    assert.deepEqual(m.unlimited, { physpages: 0, swappages: 0, privvmpages: 2 });
    assert.deepEqual(nodeFindings({ containers: huge }, 'node-memory-overcommit', { capacity: { ramBytes: 4n << 30n } }), []);
    const over = nodeFindings({ containers: huge }, 'node-memory-overcommit', { capacity: { ramBytes: 2n << 30n } });
    assert.match(said(over[0]), /Not counted: 2 values unlimited or at least 4 PiB/);
  });
  it('parseCapacitySize: 64G, 512M, bytes, 1.5T; errors', () => {
    assert.equal(parseCapacitySize('64G'), 64n << 30n);
    assert.equal(parseCapacitySize('512m'), 512n << 20n);
    assert.equal(parseCapacitySize('1073741824'), 1n << 30n);
    assert.equal(parseCapacitySize('1.5T'), 3n << 39n);
    assert.ok(typeof parseCapacitySize('lots') === 'object');
    assert.ok(typeof parseCapacitySize('unlimited') === 'object');
  });
});

describe('effective values in hover', () => {
  it('shows DISK_QUOTA from vz.conf line N on a DISKSPACE line', () => {
    const h = computeHover('DISKSPACE="1048576"\n', { line: 0, character: 2 }, { path: CT, nodeConfig: node('# node\nDISK_QUOTA=no\n') });
    assert.match(h?.contents ?? '', /- Effective: `1048576` from this file, line 1 \(this line\)/);
    assert.match(h?.contents ?? '', /- DISK_QUOTA: `no` from vz\.conf line 2/);
  });
  it('says which vz.conf line a CT value overrides, and the default when nothing sets it', () => {
    const h = computeHover('VE_ROOT="/data/root/$VEID"\nDISKSPACE="1"\n', { line: 0, character: 2 }, { path: CT, nodeConfig: node('VE_ROOT=/vz/root/$VEID\n') });
    assert.match(h?.contents ?? '', /overrides vz\.conf line 1/);
    const d = computeHover('DISKSPACE="1"\n', { line: 0, character: 2 }, { path: CT, nodeConfig: node('ONBOOT=yes\n') });
    assert.match(d?.contents ?? '', /- DISK_QUOTA: `yes` vzctl's built-in default/);
  });
  it('no effective section without a node config', () => {
    const h = computeHover('DISKSPACE="1048576"\n', { line: 0, character: 2 }, { path: CT });
    assert.doesNotMatch(h?.contents ?? '', /Effective/);
  });
});

describe('node files on disk', () => {
  let tmp = '';
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  it('conf/101.conf → vz.conf beside conf/; samples and containers listed; 0.conf is no container', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vzconf-node-'));
    const vz = path.join(tmp, 'etc/vz');
    await mkdir(path.join(vz, 'conf'), { recursive: true });
    await writeFile(path.join(vz, 'vz.conf'), 'DISK_QUOTA=no\n');
    for (const [n, t] of [['101.conf', 'DISKSPACE="1"\n'], ['102.conf', 'ONBOOT=yes\n'], ['0.conf', ''], ['ve-basic.conf-sample', ''], ['101.mount', '']]) await writeFile(path.join(vz, 'conf', n), t);
    const ct = path.join(vz, 'conf/101.conf');
    assert.equal(await findNodeConfig(ct), path.join(vz, 'vz.conf'));
    const listing = await listConfDir(path.join(vz, 'conf'));
    assert.deepEqual(listing.containers.map((p) => path.basename(p)), ['101.conf', '102.conf']);
    assert.deepEqual(listing.samples, ['basic']);
    // vzlint's one listing of the folder gives the same samples (a folder named like a sample is none), and
    // a missing conf/ folder, or a file in its place, gives none and no error.
    await writeFile(path.join(vz, 'conf', 've-vswap-1g.conf-sample'), '');
    await mkdir(path.join(vz, 'conf', 've-dir.conf-sample'));
    const conf = await confDirListing(path.join(vz, 'conf'));
    assert.deepEqual(conf.samples, ['basic', 'vswap-1g']);
    assert.deepEqual(conf.containerPaths?.(), ['101.conf', '102.conf'].map((n) => path.join(vz, 'conf', n)));
    assert.equal(conf.error, undefined);
    assert.deepEqual((await listConfDir(path.join(vz, 'conf'))).samples, ['basic', 'vswap-1g']);
    assert.deepEqual(await confDirListing(path.join(tmp, 'missing')), {});
    assert.deepEqual(await confDirListing(path.join(vz, 'vz.conf')), {});
    assert.deepEqual(await confDirListing(path.join(vz, 'conf', '101.conf')), {});
    const files = await loadNodeFiles(ct, { overlay: new Map([[ct, 'QUOTAUGIDLIMIT="10"\n']]) });
    assert.equal(files.nodeConfig?.path, path.join(vz, 'vz.conf'));
    assert.equal(files.containers.find((c) => c.path === ct)?.text, 'QUOTAUGIDLIMIT="10"\n', 'open buffers win');
    const fromNode = await loadNodeFiles(path.join(vz, 'vz.conf'));
    assert.equal(fromNode.containers.length, 2);
    // A file outside conf/: the nearest vz.conf up to the stop folder, not beyond.
    await mkdir(path.join(tmp, 'repo/a/b'), { recursive: true });
    await writeFile(path.join(tmp, 'repo/vz.conf'), '');
    assert.equal(await findNodeConfig(path.join(tmp, 'repo/a/b/101.conf'), { stopAt: path.join(tmp, 'repo') }), path.join(tmp, 'repo/vz.conf'));
    assert.equal(await findNodeConfig(path.join(tmp, 'repo/a/b/101.conf')), undefined);
    // The directory search's names of the folder (discoverConfigFiles onListing) give what a listing of
    // it gives: links (dangling too) counted, folders, zeros (00.conf) and other names not.
    await symlink('101.conf', path.join(vz, 'conf', '104.conf'));
    await symlink('nowhere', path.join(vz, 'conf', '105.conf'));
    await mkdir(path.join(vz, 'conf', '106.conf'));
    for (const n of ['00.conf', 'a1.conf', '0a1b2c3d-0000-4000-8000-00000000abcd.conf', '.107.conf', '108.conf.j2', 've-.conf-sample']) await writeFile(path.join(vz, 'conf', n), '');
    const listed = new Map<string, ConfDirNames>();
    await discoverConfigFiles(vz, vz, undefined, undefined, (folder, names) => listed.set(folder, names));
    const confDir = path.join(vz, 'conf');
    const again = await confDirListing(confDir);
    const againPaths = again.containerPaths?.().sort();
    assert.deepEqual(againPaths?.map((p) => path.basename(p)), ['0a1b2c3d-0000-4000-8000-00000000abcd.conf', '101.conf', '102.conf', '104.conf', '105.conf']);
    const fromSearch = await confDirListing(confDir, listed.get(confDir));
    assert.deepEqual(fromSearch.samples, again.samples);
    assert.deepEqual(fromSearch.containerPaths?.().sort(), againPaths);
  });
  it('names: ctidOf, sampleNameOf, candidates, helpers', () => {
    assert.equal(ctidOf('/x/conf/101.conf'), '101');
    assert.equal(ctidOf('/x/conf/0.conf'), undefined);
    assert.equal(ctidOf('/x/conf/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf'), '6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6');
    assert.equal(ctidOf('/x/conf/web.conf'), undefined);
    assert.equal(ctidOf('/x/conf/000.conf'), undefined, 'all zeros is CT0, the host');
    assert.equal(ctidOf('/x/conf/0101.conf'), '0101');
    assert.equal(ctidOf('/x/conf/1e3.conf'), undefined);
    assert.deepEqual(['101.conf', '00.conf', '.conf', '1a.conf', '٣.conf'].map((n) => decimalStem(n, n.length - 5)), ['number', 'zeros', undefined, undefined, undefined]);
    assert.equal(sampleNameOf('/x/ve-vswap-256m.conf-sample'), 'vswap-256m');
    assert.deepEqual(nodeConfigCandidates('/etc/vz/conf/101.conf'), ['/etc/vz/vz.conf', '/etc/vz/conf/vz.conf']);
    assert.deepEqual(nodeConfigCandidates('/etc/sysconfig/vz-scripts/101.conf'), ['/etc/sysconfig/vz', '/etc/sysconfig/vz-scripts/vz.conf']);
    assert.deepEqual(nodeConfigCandidates('/etc/vz/vz.conf'), []);
    assert.equal(resolveVeidPath('/vz/private/$VEID/', '101'), '/vz/private/101');
    assert.equal(canonicalIp('2001:DB8:0::1/64'), '[2001:db8::1]');
    assert.equal(canonicalIp('0.0.0.0'), undefined);
  });
});

describe('node family registration', () => {
  it('per-file rules and node rules have distinct ids', () => {
    const ids = [...NODE_RULES, ...NODE_LEVEL_RULES].map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('node rules on large nodes', () => {
  it('keep messages short: at most five other containers are named, then a count', () => {
    const containers = Array.from({ length: 40 }, (_, i) => ({ path: `/x/conf/${100 + i}.conf`, text: 'HOSTNAME="same.example.com"\nIP_ADDRESS="10.0.0.1"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n' }));
    const r = lintNode({ containers });
    const ip = r.files[0]?.findings.find((f) => f.rule === 'duplicate-ip-address');
    assert.ok(ip);
    assert.match(said(ip), /and 34 more/);
    assert.ok(ip.message.length <= 100, ip.message);
    assert.ok((ip.detail ?? '').length < 400, ip.detail);
  });
});
