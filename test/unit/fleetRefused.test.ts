/**
 * The fleet (node) checks count only what vzctl applies (service/node.ts containerFacts): a value libvzctl
 * refuses (Virtuozzo 7 "Invalid parameter", behaviour vz7.value-invalid) or an earlier line libvzctl never
 * reads (it keeps the last line of a key) is no address or name of the container; on classic, a line
 * vzctl skips adds nothing and of an IP_ADDRESS line parse_ip() stops at, only the addresses before the bad
 * one count (src/lib/config.c @ vzctl-4.11.1; libvzctl lib/env_config.c, lib/config.c @ v7.0.737).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintNode, type NodeInput, type NodeLintOptions } from '../../server/src/service/node';
import { formatMemoryTable } from '../../server/src/cli/format';
import { buildSummary, formatSummary } from '../../server/src/cli/summary';

const CT = '/etc/vz/conf/101.conf';
const CT2 = '/etc/vz/conf/102.conf';
const VZ7 = { target: 'vz7' } as const;

function found(input: NodeInput, id: string, options: NodeLintOptions = {}) {
  return lintNode(input, options).files.flatMap((f) => f.findings.filter((x) => x.rule === id).map((x) => ({ path: f.path, ...x })));
}

describe('fleet checks leave out values vzctl does not apply', () => {
  it('Virtuozzo 7: an address on a line libvzctl refuses is not a duplicate', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.5 10.0.0.x"\n' },
    ] };
    assert.deepEqual(found(input, 'duplicate-ip-address', VZ7), []);
    // The same line valid: both hold it.
    const ok: NodeInput = { containers: [input.containers[0]!, { path: CT2, text: 'IP_ADDRESS="10.0.0.5 10.0.0.6"\n' }] };
    assert.equal(found(ok, 'duplicate-ip-address', VZ7).length, 2);
  });

  it('Virtuozzo 7: an earlier IP_ADDRESS line libvzctl never reads holds no address', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.5"\nIP_ADDRESS="10.0.0.6"\n' },
    ] };
    assert.deepEqual(found(input, 'duplicate-ip-address', VZ7), []);
    // Classic merges both lines: 10.0.0.5 is held twice there.
    assert.equal(found(input, 'duplicate-ip-address').length, 2);
  });

  it('classic: parse_ip() stops at a bad address, so an address after it is not the container\'s', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.9 10.0.0.300 10.0.0.5"\n' },
    ] };
    assert.deepEqual(found(input, 'duplicate-ip-address'), []);
    // Before the bad one it counts.
    const before: NodeInput = { containers: [input.containers[0]!, { path: CT2, text: 'IP_ADDRESS="10.0.0.5 10.0.0.300"\n' }] };
    assert.equal(found(before, 'duplicate-ip-address').length, 2);
  });

  it('a NAME classic vzctl refuses is no name of the container; libvzctl takes any NAME (parse_str @ v7.0.42..v8.0.90)', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'NAME="web/1"\n' },
      { path: CT2, text: 'NAME="web/1"\n' },
    ] };
    assert.deepEqual(found(input, 'duplicate-ct-name'), []);
    assert.equal(found(input, 'duplicate-ct-name', VZ7).length, 2);
  });
});

describe('Virtuozzo 7: a container whose config libvzctl refuses (one invalid value refuses it all)', () => {
  it('its other values still clash, and the explanation says the clash is not live until the value is fixed', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\nNAME="web"\nVE_PRIVATE="/vz/private/shared"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.5"\nONBOOT="maybe"\nNAME="web"\nVE_PRIVATE="/vz/private/shared"\n' },
    ] };
    for (const rule of ['duplicate-ip-address', 'duplicate-ct-name', 'shared-private-path']) {
      const fs = found(input, rule, VZ7);
      assert.equal(fs.length, 2, rule);
      for (const f of fs) {
        assert.match(f.detail ?? '', /Virtuozzo 7 refuses the whole config of 102\.conf \(ONBOOT on line 2\)/, rule);
        assert.match(f.detail ?? '', /the clash is not live for it and takes effect once the value is fixed/, rule);
        assert.ok(f.message.length <= 100, f.message);
      }
    }
  });
  it('both refused: "not live now"; classic skips only the bad line, so nothing is said there', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\nCPUUNITS="1"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.5"\nONBOOT="maybe"\n' },
    ] };
    for (const f of found(input, 'duplicate-ip-address', VZ7)) assert.match(f.detail ?? '', /of 101\.conf \(CPUUNITS on line 2\), 102\.conf \(ONBOOT on line 2\).*not live now/);
    const classic = found(input, 'duplicate-ip-address');
    assert.equal(classic.length, 2);
    for (const f of classic) assert.doesNotMatch(f.detail ?? '', /refuses the whole config/);
  });
  it('a refused value in vz.conf that the container does not override refuses its config too; an overridden one does not', () => {
    const node = { path: '/etc/vz/vz.conf', text: 'ONBOOT="maybe"\n' };
    const cts = [{ path: CT, text: 'IP_ADDRESS="10.0.0.5"\n' }, { path: CT2, text: 'IP_ADDRESS="10.0.0.5"\nONBOOT="yes"\n' }];
    const fs = found({ nodeConfig: node, containers: cts }, 'duplicate-ip-address', VZ7);
    assert.equal(fs.length, 2);
    for (const f of fs) assert.match(f.detail ?? '', /refuses the whole config of 101\.conf \(vz\.conf's ONBOOT on line 1\)[^,]/);
  });
  it('an earlier line libvzctl never reads refuses nothing', () => {
    const input: NodeInput = { containers: [
      { path: CT, text: 'IP_ADDRESS="10.0.0.5"\n' },
      { path: CT2, text: 'IP_ADDRESS="10.0.0.5"\nONBOOT="maybe"\nONBOOT="yes"\n' },
    ] };
    for (const f of found(input, 'duplicate-ip-address', VZ7)) assert.doesNotMatch(f.detail ?? '', /refuses the whole config/);
  });
});

describe('Virtuozzo 7: memory of a container whose config libvzctl refuses (vzctl cannot start it until fixed)', () => {
  const GIB = 1n << 30n;
  // 1 GiB RAM + 1 GiB swap each (262144 pages × 4 KiB).
  const vswap = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:262144"\n';
  const input: NodeInput = { containers: [
    { path: CT, text: vswap },
    { path: CT2, text: `${vswap}ONBOOT="maybe"\n` },
    { path: '/etc/vz/conf/103.conf', text: 'PHYSPAGES="0:26214x"\nSWAPPAGES="0:262144"\n' },
  ] };

  it('the summary counts it as configured and says how much of each sum it is; a refused memory value is in no sum', () => {
    const m = lintNode(input, { ...VZ7, capacity: { ramBytes: 4n * GIB } }).memory;
    assert.equal(m.ramBytes, 2n * GIB);
    assert.equal(m.swapBytes, 2n * GIB);
    assert.deepEqual(m.refused, { containers: 1, ramBytes: GIB, swapBytes: GIB, privvmBytes: 0n, totalBytes: 2n * GIB });
    const [r101, r102, r103] = m.rows;
    assert.equal(r101?.refused, undefined);
    assert.deepEqual(r102?.refused, { name: 'ONBOOT', line: 3, source: 'container' });
    assert.equal(r103?.mode, 'none');
    assert.deepEqual(r103?.refusedValues, ['PHYSPAGES']);
    assert.match(r103?.basis ?? '', /libvzctl refuses the PHYSPAGES value/);
    // Classic skips the bad ONBOOT line only: nothing is refused there.
    const classic = lintNode(input, { capacity: { ramBytes: 4n * GIB } }).memory;
    assert.equal(classic.refused, undefined);
    assert.equal(classic.rows[1]?.refused, undefined);
  });

  it('node-memory-overcommit names it and says whether the node is over without it', () => {
    // Over only with the refused container (2 GiB RAM against 1.5 GiB; 1 GiB without it).
    const notLive = found(input, 'node-memory-overcommit', { ...VZ7, capacity: { ramBytes: 3n * GIB / 2n, swapBytes: 2n * GIB } });
    assert.equal(notLive.length, 1);
    assert.match(notLive[0]?.message ?? '', /^2 containers: vSwap PHYSPAGES limits = 2 GiB, above node RAM/);
    const d = notLive[0]?.detail ?? '';
    assert.match(d, /Of the memory summed, 2 GiB is that of 102\.conf \(ONBOOT on line 3\), whose config Virtuozzo 7 refuses/);
    assert.match(d, /Without it the node is not over: the overcommit is not live until the value is fixed\./);
    assert.match(d, /Not counted: the PHYSPAGES of 103\.conf, which libvzctl refuses/);
    // Over even without it (RAM 1 GiB of 101 alone is above 512 MiB).
    const live = found(input, 'node-memory-overcommit', { ...VZ7, capacity: { ramBytes: GIB / 2n } });
    assert.match(live[0]?.detail ?? '', /The node is over even without it\./);
    // Classic: no such note.
    const classic = found(input, 'node-memory-overcommit', { capacity: { ramBytes: GIB / 2n } });
    assert.doesNotMatch(classic[0]?.detail ?? '', /refuses/);
  });

  it('the memory table marks its row and the --summary lines (text and JSON) give its part', () => {
    const m = lintNode(input, { ...VZ7, capacity: { ramBytes: 4n * GIB } }).memory;
    const table = formatMemoryTable([{ node: '/etc/vz/vz.conf', summary: m, display: (p) => p }], { color: false });
    assert.match(table, /102\.conf .*PHYSPAGES limit \+ SWAPPAGES limit \[config refused: ONBOOT on line 3\]/);
    assert.match(table, /of the total, 2 GiB is from the 1 container marked "config refused"/);
    assert.doesNotMatch(table.split('\n').find((l) => l.includes('101.conf')) ?? '', /refused/);
    const summary = buildSummary([{ name: 'n1', files: [CT, CT2], containers: 3, memory: m }], []);
    assert.deepEqual(summary.nodes[0]?.memory?.refused, { containers: 1, ramBytes: String(GIB), ramSwapBytes: String(2n * GIB) });
    assert.deepEqual(summary.fleet.memory?.refused, { containers: 1, ramBytes: String(GIB), ramSwapBytes: String(2n * GIB) });
    assert.match(formatSummary(summary, { color: false }), /of which 1 container whose config Virtuozzo 7 refuses \(no start until fixed\): 1 GiB RAM, 2 GiB all/);
  });
});
