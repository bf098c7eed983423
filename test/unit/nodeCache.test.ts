/**
 * The per-node cache (server/src/service/nodeCache.ts) over an injected, counting file system: what is
 * read when, what is recomputed when, and that results equal lintNode's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { configFileOf, mergeFindings, NodeCache, QUICK_FIRST_ANSWER_FILES, type NodeFs } from '../../server/src/service/nodeCache';
import { lintNode, sortFindings } from '../../server/src/service/node';
import type { Finding } from '../../server/src/rules/types';
import { BoundedReadError } from '../../server/src/util/boundedRead';
import { GatedFs } from '../helpers/gatedFs';

const ETC = path.resolve('/srv/node/etc/vz');
const CONF = path.join(ETC, 'conf');
const VZ = path.join(ETC, 'vz.conf');
const ct = (id: number, ip: string): string => `PHYSPAGES="0:262144"\nSWAPPAGES="0:524288"\nDISKSPACE="1048576:1153024"\nIP_ADDRESS="${ip}"\n`;

/** A node in memory; every call is counted. */
function fakeFs(files: Map<string, string>): NodeFs & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async readText(p) {
      calls.push(`read ${p}`);
      const t = files.get(p);
      if (p.endsWith('.fifo')) return { error: new BoundedReadError(p, 'special', 'is a named pipe, not a regular file') };
      return t === undefined ? { error: new BoundedReadError(p, 'missing', 'no such file') } : { text: t };
    },
    async listDir(dir) {
      calls.push(`list ${dir}`);
      return [...files.keys()].filter((p) => path.dirname(p) === dir).map((p) => path.basename(p));
    },
    async exists(p) {
      calls.push(`stat ${p}`);
      return files.has(p);
    },
  };
}

function node(): Map<string, string> {
  return new Map([
    [VZ, 'DISK_QUOTA=yes\n'],
    [path.join(CONF, '101.conf'), ct(101, '10.0.0.1')],
    [path.join(CONF, '102.conf'), ct(102, '10.0.0.2')],
    [path.join(CONF, '103.conf'), ct(103, '10.0.0.3')],
  ]);
}

const request = { stopAt: '/srv/node', options: {} };
/** Position, rule, severity and message of a finding (what a user sees of it). */
const brief = (f: Finding): string => `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.rule} ${f.severity} ${f.message}`;
const rules = (f: { findings: readonly { rule: string }[] } | undefined): string[] => (f?.findings ?? []).map((x) => x.rule);

describe('NodeCache', () => {
  it('reads the node once; a second lint reads nothing and reuses the node rules', async () => {
    const files = node();
    const fs = fakeFs(files);
    const cache = new NodeCache(fs);
    const a = await cache.lintFile(path.join(CONF, '101.conf'), request);
    assert.ok(a);
    const reads = fs.calls.length;
    assert.deepEqual(fs.calls.filter((c) => c.startsWith('read')).sort(), [VZ, ...['101', '102', '103'].map((n) => path.join(CONF, `${n}.conf`))].map((p) => `read ${p}`).sort());
    const b = await cache.lintFile(path.join(CONF, '102.conf'), request);
    assert.equal(fs.calls.length, reads, 'nothing read for a sibling');
    assert.equal(b?.generation, a.generation);
    assert.equal(cache.stats.nodeRuleRuns, 1);
    // Same findings as lintNode over the same files.
    const whole = lintNode({ nodeConfig: { path: VZ, text: files.get(VZ) as string }, containers: [...files].filter(([p]) => p !== VZ).map(([p, text]) => ({ path: p, text })) });
    assert.deepEqual(b?.findings, whole.files.find((f) => f.path === path.join(CONF, '102.conf'))?.findings);
  });

  it('an edit re-analyses one file, runs the node rules once, reads nothing; unchanged siblings say so', async () => {
    const files = node();
    const fs = fakeFs(files);
    const cache = new NodeCache(fs);
    const p101 = path.join(CONF, '101.conf');
    const p102 = path.join(CONF, '102.conf');
    const p103 = path.join(CONF, '103.conf');
    const first = await cache.lintFile(p101, request);
    assert.ok(first);
    await cache.lintFile(p102, request);
    await cache.lintFile(p103, request);
    const reads = fs.calls.length;
    const analyses = cache.stats.analyses;
    cache.setOpenText(p101, ct(101, '10.0.0.2'));
    const edited = await cache.lintFile(p101, request);
    assert.ok(edited && edited.generation === first.generation + 1);
    assert.ok(rules(edited).includes('duplicate-ip-address'));
    assert.equal(cache.stats.analyses - analyses, 1, 'only the edited file is analysed again');
    assert.ok(!cache.unchangedSince(edited.state, p102, first.generation), '102 now shares an address');
    assert.ok(cache.unchangedSince(edited.state, p103, first.generation), '103 is unaffected');
    assert.ok(rules(await cache.lintFile(p102, request)).includes('duplicate-ip-address'));
    assert.equal(fs.calls.length, reads, 'no disk read for the edit');
    assert.equal(cache.stats.nodeRuleRuns, 2);
  });

  it('an edit that leaves the container\'s facts as they were (a comment, ONBOOT) does not run the node rules again', async () => {
    const files = node();
    const cache = new NodeCache(fakeFs(files));
    const p101 = path.join(CONF, '101.conf');
    const p102 = path.join(CONF, '102.conf');
    await cache.lintFile(p101, request);
    await cache.lintFile(p102, request);
    assert.equal(cache.stats.nodeRuleRuns, 1);
    cache.setOpenText(p101, ct(101, '10.0.0.1') + '# typing a comment\nONBOOT="yes"\n');
    const edited = await cache.lintFile(p101, request);
    await cache.lintFile(p102, request);
    assert.equal(cache.stats.nodeRuleRuns, 1, 'facts unchanged: the node findings stand');
    cache.setOpenText(p101, 'PHYSPAGES="0:262144" # line 1 grows\n' + ct(101, '10.0.0.1').split('\n').slice(1).join('\n') + '# typing a comment\nONBOOT="yes"\n');
    await cache.lintFile(p101, request);
    assert.equal(cache.stats.nodeRuleRuns, 1, 'with a vz.conf, the length of line 1 is nothing the node rules see');
    assert.ok(edited && cache.unchangedSince(edited.state, p102, edited.generation - 1));
    cache.setOpenText(p101, '\n' + ct(101, '10.0.0.2'));
    assert.ok(rules(await cache.lintFile(p101, request)).includes('duplicate-ip-address'));
    assert.equal(cache.stats.nodeRuleRuns, 2, 'a changed address runs them');
  });

  it('after any sequence of edits, every file\'s findings equal lintNode over the same texts', async () => {
    const names = ['101', '102', '103'];
    const edit = fc.record({
      file: fc.constantFrom(...names),
      kind: fc.constantFrom('comment', 'ip-dup', 'ip-own', 'hostname-dup', 'suppress-ip', 'suppress-file', 'blank-line', 'private-literal', 'line1-longer'),
    });
    // Without a vz.conf, node-memory-overcommit (with a node RAM) marks the first container's line 1.
    const capacity = { ramBytes: 1n << 30n };
    await fc.assert(fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), fc.boolean(), async (edits, withVz) => {
      const files = node();
      if (!withVz) files.delete(VZ);
      const request = { stopAt: '/srv/node', options: { capacity } };
      const texts = new Map(names.map((n) => [n, ct(Number(n), `10.0.0.${n.slice(2)}`)]));
      const cache = new NodeCache(fakeFs(files));
      for (const n of names) await cache.lintFile(path.join(CONF, `${n}.conf`), request);
      for (const e of edits) {
        const t = texts.get(e.file) as string;
        const next = {
          comment: `${t}# note\n`,
          'ip-dup': t.replace(/IP_ADDRESS="[^"]*"/, 'IP_ADDRESS="10.0.0.9"'),
          'ip-own': t.replace(/IP_ADDRESS="[^"]*"/, `IP_ADDRESS="10.0.1.${e.file.slice(2)}"`),
          'hostname-dup': `${t}HOSTNAME="Same.Example"\n`,
          'suppress-ip': `# vzconf-disable-next-line duplicate-ip-address\n${t}`,
          'suppress-file': `# vzconf-disable duplicate-ct-name duplicate-ip-address\n${t}`,
          'blank-line': `\n${t}`,
          'private-literal': `${t}VE_PRIVATE="/vz/private/shared"\n`,
          'line1-longer': `#${t}`,
        }[e.kind];
        texts.set(e.file, next);
        cache.setOpenText(path.join(CONF, `${e.file}.conf`), next);
        const containers = names.map((n) => ({ path: path.join(CONF, `${n}.conf`), text: texts.get(n) as string }));
        // With its vz.conf, the cache has the whole conf/ folder: a complete node (node-level comments judged).
        const whole = lintNode(withVz ? { nodeConfig: { path: VZ, text: files.get(VZ) as string }, containers, complete: true } : { containers }, { capacity });
        for (const n of names) {
          const p = path.join(CONF, `${n}.conf`);
          const got = await cache.lintFile(p, request);
          assert.deepEqual(got?.findings.map(brief), whole.files.find((f) => f.path === p)?.findings.map(brief), `${n}.conf after ${edits.map((x) => `${x.file}:${x.kind}`).join(', ')}`);
        }
      }
    }), { numRuns: 60, seed: 8 });
  });

  it('lintFileAlone: on a big node not loaded yet, the file\'s own findings with vz.conf, reading only those two', async () => {
    const files = new Map([[VZ, 'DISK_QUOTA=yes\nVE_ROOT=/vz/root/$VEID\n']]);
    for (let id = 101; id <= 101 + QUICK_FIRST_ANSWER_FILES; id += 1) files.set(path.join(CONF, `${id}.conf`), ct(id, '10.0.0.1') + (id === 101 ? 'ONBOOT="yes"\nONBOOT="no"\n' : ''));
    const fs = fakeFs(files);
    const cache = new NodeCache(fs);
    const p101 = path.join(CONF, '101.conf');
    const alone = await cache.lintFileAlone(p101, request);
    assert.ok(alone);
    assert.deepEqual(fs.calls.filter((c) => c.startsWith('read')).sort(), [`read ${p101}`, `read ${VZ}`].sort(), 'only the file and vz.conf are read');
    const full = await cache.lintFile(p101, request);
    assert.ok(full && full.findings.some((f) => f.rule === 'duplicate-ip-address'), 'the node rules come with lintFile');
    assert.deepEqual(alone.map((f) => f.rule), ['duplicate-parameter']);
    assert.deepEqual(full.findings.filter((f) => f.rule !== 'duplicate-ip-address'), [...alone], 'the own findings are the same');
    assert.equal(await cache.lintFileAlone(path.join(CONF, '102.conf'), request), undefined, 'loaded: lintFile is the answer');
    // A small node is read whole at once.
    assert.equal(await new NodeCache(fakeFs(node())).lintFileAlone(p101, request), undefined);
  });

  it('a watched change of vz.conf is read again and reaches every container; an unreadable explicit node config is reported', async () => {
    const files = node();
    const fs = fakeFs(files);
    const cache = new NodeCache(fs);
    const p101 = path.join(CONF, '101.conf');
    assert.ok(!rules(await cache.lintFile(p101, request)).includes('disk-quota-off'));
    files.set(VZ, 'DISK_QUOTA=no\n');
    assert.ok(!rules(await cache.lintFile(p101, request)).includes('disk-quota-off'), 'not re-read without being told');
    cache.fileChanged(VZ);
    const before = fs.calls.length;
    assert.ok(rules(await cache.lintFile(p101, request)).includes('disk-quota-off'));
    assert.deepEqual(fs.calls.slice(before).filter((c) => c.startsWith('read')), [`read ${VZ}`]);
    const explicit = await cache.lintFile(p101, { ...request, nodeConfigPath: '/srv/node/node.fifo' });
    assert.match(explicit?.nodeConfigProblem ?? '', /node\.fifo: is a named pipe/);
    assert.ok(!rules(explicit).includes('disk-quota-off'), 'checked without a node config');
  });

  it('a vz.conf found by the search that cannot be read is reported with its path (permission denied)', async () => {
    const files = node();
    const fs = fakeFs(files);
    const denied = { ...fs, async readText(p: string) {
      return p === VZ ? { error: new BoundedReadError(p, 'io', 'permission denied') } : fs.readText(p);
    } };
    const r = await new NodeCache(denied).lintFile(path.join(CONF, '101.conf'), request);
    assert.equal(r?.nodeConfigProblem, `${VZ}: permission denied`);
    assert.equal(r?.nodeConfigFound, VZ);
    assert.equal(r?.nodeConfig, undefined, 'checked without it');
    // Given by the setting: the problem, but not as a found one.
    const given = await new NodeCache(denied).lintFile(path.join(CONF, '101.conf'), { ...request, nodeConfigPath: VZ });
    assert.equal(given?.nodeConfigProblem, `${VZ}: permission denied`);
    assert.equal(given?.nodeConfigFound, undefined);
  });

  it('an open vz.conf wins over the disk and finding it anew re-keys its containers', async () => {
    const files = node();
    files.delete(VZ);
    const cache = new NodeCache(fakeFs(files));
    const p101 = path.join(CONF, '101.conf');
    const alone = await cache.lintFile(p101, request);
    assert.equal(alone?.nodeConfig, undefined);
    cache.setOpenText(VZ, 'DISK_QUOTA=no\n');
    const withNode = await cache.lintFile(p101, request);
    assert.equal(withNode?.nodeConfig?.path, VZ);
    assert.ok(rules(withNode).includes('disk-quota-off'));
  });
});

describe('mergeFindings (per-file findings with the node rules\' findings of the file)', () => {
  const finding = fc.record({
    line: fc.integer({ min: 0, max: 6 }),
    character: fc.integer({ min: 0, max: 3 }),
    rule: fc.constantFrom('duplicate-ip-address', 'duplicate-parameter', 'shared-private-path', 'unknown-parameter'),
    n: fc.integer(),
  }).map(({ line, character, rule, n }): Finding => ({ rule, severity: 'warning', message: String(n), range: { start: { line, character }, end: { line, character: character + 1 } } }));

  it('reads the default sample (CONFIGFILE) with the node: a ploop vz.conf whose sample has no DISKSPACE gets the error without the sample open', async () => {
    const files = node();
    files.set(VZ, 'VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n');
    files.set(path.join(CONF, 've-unlimited.conf-sample'), 'NUMPROC="unlimited"\n');
    files.set(path.join(CONF, 've-basic.conf-sample'), 'DISKSPACE="1G:1G"\n');
    const fs = fakeFs(files);
    const cache = new NodeCache(fs);
    const r = await cache.lintFile(VZ, { ...request, options: { target: 'classic@4.6' } });
    assert.deepEqual(rules(r).filter((x) => x === 'ploop-sample-without-diskspace'), ['ploop-sample-without-diskspace']);
    assert.ok(fs.calls.includes(`read ${path.join(CONF, 've-unlimited.conf-sample')}`));
    assert.ok(!fs.calls.includes(`read ${path.join(CONF, 've-basic.conf-sample')}`), 'only the sample CONFIGFILE names');
    assert.equal(configFileOf('# x\nCONFIGFILE="vswap-256m" # note\nCONFIGFILE="basic"\n'), 'vswap-256m');
    assert.equal(configFileOf('CONFIGFILE=light\n'), 'light');
    assert.equal(configFileOf('CONFIGFILE="../x"\n'), undefined);
  });

  it('gives the order of sorting both lists together (per-file first among equals)', () => {
    fc.assert(fc.property(fc.array(finding, { maxLength: 30 }), fc.array(finding, { maxLength: 10 }), (own, node) => {
      const sortedOwn = sortFindings([...own]);
      assert.deepEqual(mergeFindings(sortedOwn, node), sortFindings([...sortedOwn, ...node]));
    }));
  });

  it('returns the per-file array itself when the node rules found nothing in the file', () => {
    const own: Finding[] = [{ rule: 'x', severity: 'info', message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }];
    assert.equal(mergeFindings(own, undefined), own);
    assert.equal(mergeFindings(own, []), own);
  });
});

/**
 * An open, unsaved vz.conf while its node is still being read (a container read held by the test, so
 * the order is fixed): whatever happens in that window — the document opened or edited, a watched-file
 * change of it on disk — the node and the vz.conf itself are checked with the open text, never the disk's.
 */
describe('NodeCache: an open vz.conf keeps its unsaved text while the node loads', () => {
  const p101 = path.join(CONF, '101.conf');
  const p102 = path.join(CONF, '102.conf');
  const unsaved = 'VE_ROOT=/vz/root/$VEID\nVE_ROOT=/vz/other\n';
  const disk = 'DISK_QUOTA=yes\n';
  const order = [
    ['open before, watched change during the load', true, ['change']],
    ['opened during the load, then a watched change', false, ['open', 'change']],
    ['a watched change, then opened, then edited, during the load', false, ['change', 'open', 'edit']],
  ] as const;
  for (const [name, openBefore, during] of order) {
    it(name, async () => {
      const fs = new GatedFs(node(), [p102]);
      fs.files.set(VZ, disk);
      const cache = new NodeCache(fs);
      if (openBefore) cache.setOpenText(VZ, unsaved);
      const loading = cache.lintFile(p101, request);
      await fs.waiting(p102);
      for (const step of during) {
        // Opened with a first text, then edited to the unsaved one (when the order has an edit).
        if (step === 'open') cache.setOpenText(VZ, (during as readonly string[]).includes('edit') ? 'X' : unsaved);
        else if (step === 'edit') cache.setOpenText(VZ, unsaved);
        else {
          // Another program writes vz.conf (the editor's buffer stays unsaved).
          fs.files.set(VZ, `${disk}# written on disk\n`);
          cache.fileChanged(VZ);
        }
      }
      fs.release(p102);
      const ct = await loading;
      assert.equal(ct?.nodeConfig?.text, unsaved, 'the container is checked with the open text');
      const vz = await cache.lintFile(VZ, request);
      assert.deepEqual(rules(vz).filter((r) => r === 'duplicate-parameter'), ['duplicate-parameter'], 'vz.conf is checked from its open text');
    });
  }
});

describe('NodeCache: two lints of a node that changes while it loads', () => {
  it('a document closed during the load: a lint that asked meanwhile answers from the disk, not the closed text', async () => {
    const p101 = path.join(CONF, '101.conf');
    const p102 = path.join(CONF, '102.conf');
    const fs = new GatedFs(node(), [p102]);
    // On disk 101.conf has a parameter vzctl does not know; the open buffer does not.
    fs.files.set(p101, `${ct(101, '10.0.0.1')}FOO101=1\n`);
    const cache = new NodeCache(fs);
    cache.setOpenText(p101, ct(101, '10.0.0.1'));
    const first = cache.lintFile(p101, request);
    await fs.waiting(p102);
    cache.closeText(p101);
    // Asked after the close, while the load that read the buffer is still in flight.
    const second = cache.lintFile(p101, request);
    fs.release(p102);
    await first;
    assert.deepEqual(rules(await second), ['unknown-parameter']);
  });
});
