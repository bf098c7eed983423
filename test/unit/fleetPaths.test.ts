/**
 * The shortcuts of the fleet path (issue 8) answer what the slow way answered: `util/paths.ts` against
 * `node:path`, `ctidOf` and `isNodeConfigName` against the regular expressions they replaced, and
 * sample-not-found's memo of the last question against containers whose targets alternate.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/service/lint';
import { containerFacts, lintNode, NodeLinter, sampleNotFound, type NodeContainer, type NodeFile, type NodeModel } from '../../server/src/service/node';
import { ctidOf, isNodeConfigName } from '../../server/src/service/nodeFiles';
import { inFolder, joinName, resolvePath } from '../../server/src/util/paths';

const NAMES = ['101.conf', 'a', '.hidden', '..x', 'x..', 'conf', 've-basic.conf-sample', 'vz.conf', 'a b', 'é', '...', '-', '~'];
const DIRS = ['/', '/tmp', '/tmp/', '/tmp//a', '/tmp/./a', '/tmp/../a', '/a/b/c', '/a/.b/c', '/a/b/..', '/a/b/.', 'rel', 'rel/x', './rel', '../up', '', '.', '..', '//a', '/a/b c/d'];

describe('util/paths: what node:path answers', () => {
  it('resolvePath(cwd, p) is path.resolve(cwd, p)', () => {
    const cwds = ['/', '/work', '/work/', '/w//x', '/w/./x', '/w/../x', '/a/.hid', 'relcwd'];
    const ps = [...DIRS, ...DIRS.flatMap((d) => NAMES.map((n) => (d === '' ? n : `${d}/${n}`)))];
    for (const cwd of cwds) for (const p of ps) assert.equal(resolvePath(cwd, p), path.resolve(cwd, p), JSON.stringify([cwd, p]));
  });
  it('joinName(dir, name) is path.join(dir, name), also for names readdir never gives', () => {
    for (const dir of DIRS) for (const name of [...NAMES, '', '.', '..', 'a/b', 'a//b']) assert.equal(joinName(dir, name), path.join(dir, name), JSON.stringify([dir, name]));
  });
  it('inFolder(p, dir) is true only where path.dirname(p) === dir', () => {
    const ps = DIRS.flatMap((d) => [d, ...NAMES.map((n) => `${d}/${n}`), `${d}/x/y`]);
    for (const p of ps) {
      for (const dir of [...DIRS, path.dirname(p)]) {
        if (inFolder(p, dir)) assert.equal(path.dirname(p), dir, JSON.stringify([p, dir]));
      }
    }
    // It does say so for the paths vzlint asks about: an absolute, normal path and its folder.
    assert.equal(inFolder('/tmp/fl/conf/101.conf', '/tmp/fl/conf'), true);
    assert.equal(inFolder('/tmp/fl/conf/sub/101.conf', '/tmp/fl/conf'), false);
    assert.equal(inFolder('/tmp/fl/conf2/101.conf', '/tmp/fl/conf'), false);
  });
});

/** The implementations these replaced. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function baseName(p: string): string {
  const norm = p.includes('\\') ? p.replace(/\\/g, '/') : p;
  return norm.slice(norm.lastIndexOf('/') + 1);
}
function oldCtidOf(filePath: string): string | undefined {
  const stem = /^(.+)\.conf$/.exec(baseName(filePath))?.[1];
  if (!stem) return undefined;
  if (/^\d+$/.test(stem)) return /^0+$/.test(stem) ? undefined : stem;
  return UUID.test(stem) ? stem : undefined;
}
function oldIsNodeConfigName(filePath: string): boolean {
  const norm = filePath.replace(/\\/g, '/');
  return baseName(norm) === 'vz.conf' || /(^|\/)sysconfig\/vz$/.test(norm);
}

describe('ctidOf and isNodeConfigName: the same answers as their regular expressions', () => {
  const uuid = '3f1c2d4e-1111-4a2b-9c3d-0123456789ab';
  const stems = ['101', '0', '000', '00100', '1', '', 'a', '1a', ' 1', '1 ', '1\n', '\n1', '12\r3', uuid, uuid.toUpperCase(), `${uuid}x`, uuid.slice(1), '٣', '１２'];
  const files = stems.flatMap((s) => [`${s}.conf`, `${s}.conf.j2`, `${s}.CONF`, `${s}.conf\n`, `${s}conf`, `ve-${s}.conf-sample`, `${s}.conf.conf`]);
  const extra = ['vz.conf', 'vz', 'sysconfig/vz', '/etc/sysconfig/vz', 'xsysconfig/vz', 'sysconfig\\vz', 'c:\\etc\\vz\\vz.conf', 'vz.conf/', 'myvz.conf', '.conf', 'conf', ''];
  const paths = [...files, ...extra].flatMap((f) => [f, `/etc/vz/conf/${f}`, `conf\\${f}`, `a/b\\${f}`]);
  it('ctidOf', () => {
    for (const p of paths) assert.equal(ctidOf(p), oldCtidOf(p), JSON.stringify(p));
    assert.equal(ctidOf('/etc/vz/conf/101.conf'), '101');
  });
  it('isNodeConfigName', () => {
    for (const p of paths) assert.equal(isNodeConfigName(p), oldIsNodeConfigName(p), JSON.stringify(p));
    assert.equal(isNodeConfigName('/etc/vz/vz.conf'), true);
  });
});

describe('sample-not-found remembers only the last question', () => {
  it('containers whose targets alternate get their own target\'s answer for one sample name', () => {
    // vps.basic was renamed in vzctl 3.0.24: missing for 3.0.24, shipped for 3.0.23 (samples.yaml).
    const newer = { generation: 'classic' as const, version: '3.0.24' };
    const older = { generation: 'classic' as const, version: '3.0.23' };
    const name = 'vps.basic';
    const range = { start: { line: 0, character: 15 }, end: { line: 0, character: 24 } };
    const ct = (ctid: string, target: typeof newer): NodeContainer => ({
      path: `/etc/vz/conf/${ctid}.conf`,
      ctid,
      facts: { target, originSample: { name, valueRange: range, rawValueRange: range }, ips: [], paths: [], names: [], memory: { mode: 'none', basis: '' }, place: { firstLineLength: 0 } },
    });
    const model: NodeModel = { containers: [ct('101', newer), ct('102', older), ct('103', newer), ct('104', newer), ct('105', older)], files: [] };
    assert.deepEqual(sampleNotFound.check(model).map((f) => f.path), ['/etc/vz/conf/101.conf', '/etc/vz/conf/103.conf', '/etc/vz/conf/104.conf']);
    // The same with the conf/ folder's listing, where the answer depends on the name only.
    const listed: NodeModel = { ...model, samples: ['basic'] };
    assert.equal(sampleNotFound.check(listed).length, 5);
    assert.deepEqual(sampleNotFound.check({ ...model, samples: ['vps.basic'] }), []);
  });
});

describe('shared-private-path answers one $VEID template without resolving, and only then', () => {
  const found = (containers: NodeFile[], nodeText?: string) => {
    const input = { containers, ...(nodeText !== undefined ? { nodeConfig: { path: '/etc/vz/vz.conf', text: nodeText } } : {}) };
    const whole = lintNode(input).files.flatMap((f) => f.findings.filter((x) => x.rule === 'shared-private-path').map((x) => `${f.path}:${x.range.start.line}`));
    // NodeLinter (the fleet path) answers the same.
    const linter = new NodeLinter(input.nodeConfig, undefined, { compact: true });
    for (const c of containers) linter.add(c);
    const streamed = linter.finish().files.flatMap((f) => f.findings.filter((x) => x.rule === 'shared-private-path').map((x) => `${f.path}:${x.range.start.line}`));
    assert.deepEqual(streamed, whole);
    return whole;
  };
  const ct = (p: string, text: string): NodeFile => ({ path: p, text });
  it('distinct CTIDs under one template: nothing shared', () => {
    assert.deepEqual(found([ct('/n/conf/101.conf', 'VE_PRIVATE="/vz/private/$VEID"\n'), ct('/n/conf/102.conf', 'VE_PRIVATE="/vz/private/$VEID"\n')]), []);
    assert.deepEqual(found([ct('/n/conf/101.conf', ''), ct('/n/conf/102.conf', '')], 'VE_PRIVATE="/vz/private/$VEID/"\n'), []);
  });
  it('one CTID twice (two folders of one node), same template: shared', () => {
    assert.deepEqual(found([ct('/n/conf/101.conf', 'VE_PRIVATE="/vz/private/$VEID"\n'), ct('/n/conf/old/101.conf', 'VE_PRIVATE="/vz/private/$VEID"\n')]), ['/n/conf/101.conf:0', '/n/conf/old/101.conf:0']);
  });
  it('CTIDs out of order, or two templates that meet: grouped path by path', () => {
    assert.deepEqual(found([ct('/n/conf/102.conf', 'VE_ROOT="/vz/root/$VEID"\n'), ct('/n/conf/101.conf', 'VE_ROOT="/vz/root/$VEID"\n')]), []);
    // 11 with /vz/private/$VEID and 1 with /vz/private/1$VEID are both /vz/private/11.
    assert.deepEqual(found([ct('/n/conf/1.conf', 'VE_PRIVATE="/vz/private/1$VEID"\n'), ct('/n/conf/11.conf', 'VE_PRIVATE="/vz/private/$VEID"\n')]), ['/n/conf/1.conf:0', '/n/conf/11.conf:0']);
    // ${VEID} counts as $VEID does; a value without either is one path for all.
    assert.deepEqual(found([ct('/n/conf/1.conf', 'VE_PRIVATE="/vz/${VEID}"\n'), ct('/n/conf/2.conf', 'VE_PRIVATE="/vz/${VEID}"\n')]), []);
    assert.deepEqual(found([ct('/n/conf/1.conf', 'VE_PRIVATE="/vz/x"\n'), ct('/n/conf/2.conf', 'VE_PRIVATE="/vz/x"\n')]), ['/n/conf/1.conf:0', '/n/conf/2.conf:0']);
  });
});

describe('containerFacts takes ORIGIN_SAMPLE, IP_ADDRESS, NETIF, NAME and HOSTNAME from the container only', () => {
  it('set in vz.conf only: none of them; set in the container too: the container\'s', () => {
    const nodeText = 'ORIGIN_SAMPLE="basic"\nIP_ADDRESS="10.0.0.9"\nNETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\nNAME="web"\nHOSTNAME="h.example.com"\nVE_PRIVATE="/vz/private/$VEID"\n';
    const nodeConfig = { path: '/etc/vz/vz.conf', text: nodeText };
    const bare = containerFacts(analyze('ONBOOT="yes"\n', { path: '/etc/vz/conf/101.conf', nodeConfig }));
    assert.equal(bare.originSample, undefined);
    assert.deepEqual([bare.ips, bare.macs, bare.names], [[], undefined, []]);
    // vz.conf's VE_PRIVATE still counts (source node).
    assert.deepEqual(bare.paths.map((p) => [p.param, p.source]), [['VE_PRIVATE', 'node']]);
    const own = containerFacts(analyze(nodeText, { path: '/etc/vz/conf/101.conf', nodeConfig }));
    assert.equal(own.originSample?.name, 'basic');
    assert.deepEqual(own.ips.map((a) => a.ip), ['10.0.0.9']);
    assert.deepEqual(own.macs?.map((m) => m.mac), ['00:18:51:aa:bb:cc']);
    assert.deepEqual(own.names.map((n) => n.key), ['web', 'h.example.com']);
  });
});
