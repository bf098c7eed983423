/**
 * Container-to-container reuse on the fleet path (service/fleetReuse.ts): a rule's findings on one
 * container are taken over for the next only when every line and parameter its run read is the same there.
 * Nothing may change: for corpus nodes, generated nodes and random fleets, NodeLinter with reuse gives
 * exactly the findings, facts and memory rows of NodeLinter linting every file from scratch. And the
 * tracing that decides it must see every read a rule makes: the tests below check the context it hands
 * the rules, field by field.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getCatalog } from '../../server/src/catalog/load';
import { analyze } from '../../server/src/service/lint';
import { FleetReuse, Reads, TracingContext, traceRule } from '../../server/src/service/fleetReuse';
import { NodeLinter, type NodeFile } from '../../server/src/service/node';
import type { LintContext, Rule } from '../../server/src/rules/types';
import { ubcConfig, vswapConfig } from '../bench/generate';
import { CORPUS, filesUnder, NEEDS_CORPUS } from '../helpers/corpus';

/** What a node run gives, as plain data (bigints as strings): every file's findings, the facts and memory rows. */
function runNode(nodeConfig: NodeFile | undefined, files: NodeFile[], reuse: boolean, samples: string[] = []): { out: unknown; linter: NodeLinter } {
  const linter = new NodeLinter(nodeConfig, samples, { compact: true, reuse });
  for (const f of files) linter.add(f);
  const done = linter.finish();
  const plain = JSON.parse(JSON.stringify({
    files: done.files,
    memory: done.memory,
    containers: (linter as unknown as { model: { containers: unknown } }).model.containers,
  }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))) as unknown;
  return { out: plain, linter };
}

/** Asserts that reuse changes nothing for this node; @returns how much was reused. */
function assertSame(nodeConfig: NodeFile | undefined, files: NodeFile[], samples?: string[]): number {
  const fresh = runNode(nodeConfig, files, false, samples);
  const reused = runNode(nodeConfig, files, true, samples);
  assert.deepEqual(reused.out, fresh.out);
  return reused.linter.reuse?.stats.reused ?? 0;
}

const VZ_CONF: NodeFile = {
  path: '/etc/vz/vz.conf',
  text: 'VIRTUOZZO=yes\nLOCKDIR=/vz/lock\nDISK_QUOTA=yes\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\nCONFIGFILE="vswap-1g"\nVE_LAYOUT=ploop\n',
};

describe('fleet reuse gives what a fresh lint gives', () => {
  it('on a generated node (vSwap and UBC, with the bench mistakes)', () => {
    const files: NodeFile[] = [];
    for (let i = 0; i < 360; i += 1) {
      const ctid = 100 + i;
      const mistake = i % 3 === 0 ? (i / 3) % 30 : 0;
      files.push({ path: `/etc/vz/conf/${ctid}.conf`, text: i % 4 === 3 ? ubcConfig(ctid, mistake) : vswapConfig(ctid, mistake) });
    }
    const reused = assertSame(VZ_CONF, files);
    // Most rule results of such a node are taken over (the test would pass vacuously otherwise).
    assert.ok(reused > 360 * 20, `only ${reused} rule results reused`);
  });

  it('on the corpus as one node (real files, each a container)', { skip: NEEDS_CORPUS }, () => {
    const skip = /^(MANIFEST\.json|README\.md|SOURCES\.md|dists|download\.conf|osrelease\.conf|oom-groups\.conf|networks_classes)$|\.(md|json)$/;
    const texts = [...filesUnder(path.join(CORPUS, 'upstream'), skip, 64 * 1024), ...filesUnder(path.join(CORPUS, 'wild'), skip, 64 * 1024)].map((f) => readFileSync(f, 'utf8'));
    assert.ok(texts.length > 20);
    // Each file twice, under different CTIDs: the second copies are compared with the first.
    const files: NodeFile[] = [];
    for (let round = 0; round < 2; round += 1) texts.forEach((text, i) => files.push({ path: `/etc/vz/conf/${1000 + round * 1000 + i}.conf`, text }));
    const nodeText = readFileSync(path.join(CORPUS, 'versions', 'classic@4.9', 'etc', 'vz.conf'), 'utf8');
    assertSame({ path: '/etc/vz/vz.conf', text: nodeText }, files);
    assertSame(undefined, files);
  });

  it('on random fleets: a few samples, each container a sample with a few lines changed', () => {
    // Lines that exercise what reuse must get right: duplicates (first-wins, refused values), comments and
    // suppressions, continued and multi-line values, shell trouble, UBC and vSwap, node-only keys.
    const line = fc.constantFrom(
      'ONBOOT="yes"', 'ONBOOT="maybe"', 'ONBOT="yes"', 'HOSTNAME="a.example.com"', 'HOSTNAME="b.example.com"', 'HOSTNAME=web 1',
      'IP_ADDRESS="10.0.0.1"', 'IP_ADDRESS="10.0.0.1 10.0.0.2"', 'IP_ADDRESS="10.0.0.300"', 'PHYSPAGES="0:512M"', 'PHYSPAGES="0:unlimited"',
      'SWAPPAGES="0:512M"', 'SWAPPAGES="0:1G"', 'KMEMSIZE="14372700:14790164"', 'KMEMSIZE="300331648:150331648"', 'PRIVVMPAGES="65536:69632"',
      'NUMPROC="240:240"', 'VMGUARPAGES="33792:unlimited"', 'DISKSPACE="2G:2.2G"', 'DISK_QUOTA=no', 'VE_LAYOUT="simfs"', 'VE_LAYOUT=ploop',
      'QUOTAUGIDLIMIT=100 # user quota', 'IPTABLES="ipt_REJECT iptable_filter"', 'NETFILTER="full"', 'CAPABILITY="sys_rawio:on"',
      'VE_PRIVATE="/vz/private/$VEID"', 'VE_PRIVATE="/vz/private/shared"', 'NAME="web"', 'ORIGIN_SAMPLE="vswap-512m"', 'ORIGIN_SAMPLE="nosuch"',
      'DESCRIPTION="two\nlines"', 'DESCRIPTION="open', 'FEATURES="nfs:on" \\', '# a comment', '', '  ', 'garbage line',
      '# vzconf-disable-next-line unknown-parameter', '# vzconf-disable shell-unsafe-value', '# vzconf-disable nosuch-rule',
      "NAMESERVER='192.0.2.53'", 'LOCKDIR=/vz/lock', 'CPUUNITS="1000"', 'CPUUNITS="1000"', 'MEMINFO="pages:1000"',
    );
    const sample = fc.array(line, { minLength: 1, maxLength: 14 });
    const fleet = fc.record({
      samples: fc.array(sample, { minLength: 1, maxLength: 3 }),
      containers: fc.array(fc.record({ sample: fc.nat(), edits: fc.array(fc.tuple(fc.nat(), line), { maxLength: 2 }), crlf: fc.boolean(), bom: fc.boolean(), last: fc.boolean() }), { minLength: 2, maxLength: 12 }),
      vz7: fc.boolean(),
      node: fc.boolean(),
    });
    fc.assert(fc.property(fleet, (f) => {
      const files = f.containers.map((c, i) => {
        const lines = [...(f.samples[c.sample % f.samples.length] as string[])];
        for (const [at, text] of c.edits) lines[at % lines.length] = text;
        const eol = c.crlf ? '\r\n' : '\n';
        return { path: `/etc/vz/conf/${101 + i}.conf`, text: `${c.bom ? '\uFEFF' : ''}${lines.join(eol)}${c.last ? eol : ''}` };
      });
      const nodeText = `${VZ_CONF.text}${f.vz7 ? 'VZ_TOOLS_BCID=2\nVEFSTYPE=ext4\n' : ''}`;
      assertSame(f.node ? { path: '/etc/vz/vz.conf', text: nodeText } : undefined, files);
    }), { seed: 20261201, numRuns: 100 });
  });
});

/** A rule that does what `body` does with the context and reports nothing. */
function probe(body: (ctx: LintContext) => void): Rule {
  return { id: 'probe', check: (ctx) => { body(ctx); return []; } };
}

const TEXT = '# CT 101\nONBOOT="yes"\nHOSTNAME="a.example.com"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\n';

describe('the tracing context sees every read', () => {
  const ctx = analyze(TEXT, { path: '/etc/vz/conf/101.conf' });
  const reads = (body: (c: LintContext) => void): Reads => traceRule(probe(body), ctx).reads;

  it('notes a line, a parameter, or the whole file', () => {
    assert.deepEqual([...reads((c) => c.doc.lines[2]).lines], [2]);
    assert.deepEqual([...reads((c) => c.doc.text[1]).lines], [1]);
    assert.deepEqual([...reads((c) => c.byName.get('HOSTNAME')).names], ['HOSTNAME']);
    assert.deepEqual([...reads((c) => c.byName.has('ONBOOT')).names], ['ONBOOT']);
    const e = ctx.byName.get('PHYSPAGES')?.[0];
    assert.ok(e);
    const v = reads((c) => c.values.get(e));
    assert.deepEqual([[...v.lines], [...v.names]], [[3], ['PHYSPAGES']]);
    // The line count, dialect, endings and (empty) multi-line views are the same in every file compared.
    assert.equal(reads((c) => [c.doc.lines.length, c.doc.text.length, c.doc.dialect, c.doc.eol, c.doc.bom, c.doc.multiline.length, c.doc.continuationLines.size, c.kind, c.target]).whole, false);
    for (const whole of [
      (c: LintContext) => c.doc.entries,
      (c: LintContext) => c.live,
      (c: LintContext) => c.path,
      (c: LintContext) => c.kindReason,
      (c: LintContext) => c.values.forEach(() => undefined),
      (c: LintContext) => c.values.size,
      (c: LintContext) => [...c.values.keys()],
      (c: LintContext) => [...c.byName.values()],
      (c: LintContext) => c.byName.size,
      (c: LintContext) => c.doc.lines.map((l) => l.kind),
      (c: LintContext) => [...c.doc.text],
      (c: LintContext) => c.doc.lines.some((l) => l.kind === 'invalid'),
      (c: LintContext) => Object.keys(c.doc),
      (c: LintContext) => 5 in c.doc.lines,
    ]) assert.equal(reads(whole).whole, true, whole.toString());
  });

  it('answers every field of a lint context, with the same data', () => {
    const node = analyze(VZ_CONF.text, { path: VZ_CONF.path, kind: 'node' });
    const full = analyze(TEXT, { path: '/etc/vz/conf/101.conf', nodeConfig: VZ_CONF, nodeContext: node, capacity: { ramBytes: 1n << 30n } });
    const traced = new TracingContext(full, new Reads());
    const keys = Object.keys(full);
    // A field added to LintContext (or to analyze's context) must be traced too.
    assert.ok(keys.length >= 14, keys.join(','));
    for (const k of keys) {
      const d = Object.getOwnPropertyDescriptor(TracingContext.prototype, k);
      assert.ok(d?.get, `TracingContext traces ${k}`);
      const a = (full as unknown as Record<string, unknown>)[k];
      const b = (traced as unknown as Record<string, unknown>)[k];
      if (k === 'byName' || k === 'values') assert.deepEqual([...(b as Map<unknown, unknown>).entries()], [...(a as Map<unknown, unknown>).entries()]);
      else if (k === 'doc') assert.equal((b as typeof full.doc).lines[1], full.doc.lines[1]);
      else assert.equal(b, a, k);
    }
  });

  it('reuses a result only while what the rule read is the same', () => {
    const catalog = getCatalog();
    const hostname = probe((c) => c.byName.get('HOSTNAME'));
    const onboot: Rule = { id: 'onboot', check: (c) => (c.byName.get('ONBOOT') ?? []).map((e) => ({ rule: 'onboot', severity: 'info' as const, message: e.value, range: e.valueRange })) };
    const reuse = new FleetReuse();
    const texts = [TEXT, TEXT.replace('a.example.com', 'b.example.com'), TEXT.replace('"yes"', '"no"')];
    const results: unknown[][] = [];
    for (const text of texts) {
      const c = analyze(text, { path: '/etc/vz/conf/101.conf', catalog });
      const run = reuse.begin(c);
      results.push([run.run(hostname, 0, c), run.run(onboot, 1, c)]);
      run.done();
    }
    // File 2 differs in HOSTNAME: onboot is reused, hostname traced again; file 3 differs in ONBOOT: the reverse.
    assert.deepEqual(reuse.stats, { reused: 2, traced: 4, direct: 0, alone: 0 });
    assert.equal((results[2]?.[1] as { message: string }[])[0]?.message, 'no');
    assert.equal(results[1]?.[1], results[0]?.[1]);
  });
});
