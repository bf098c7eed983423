/**
 * deprecated-parameter on IPTABLES (server/src/rules/status.ts): a container config's findings build their
 * fixes on first read, with what the file's lines share (the NETFILTER line in force, the mapping of each
 * module list) computed once; vz.conf's lines all offer the one fix that moves every list to
 * IPTABLES_MODULES, built once. The fixes are what they were when built eagerly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyFinding, LazyFixFinding } from '../../server/src/rules/finding';
import { lint } from '../../server/src/service/lint';
import { applyEdits } from '../helpers/edits';

const CT = '/etc/vz/conf/101.conf';

function deprecated(text: string, path = CT, target?: string) {
  return lint(text, { path, ...(target ? { target } : {}) }).findings.filter((f) => f.rule === 'deprecated-parameter');
}

describe('deprecated IPTABLES: fixes built on first read', () => {
  it('a container line has no fix object until read; then its NETFILTER fix, built once', () => {
    const text = 'IPTABLES="ipt_REJECT iptable_filter"\nHOSTNAME="a"\n';
    const [f] = deprecated(text, CT, 'classic@4.7');
    assert.ok(f instanceof LazyFixFinding);
    assert.ok(!Object.keys(f).includes('fixes'), 'not an own property');
    assert.doesNotMatch(JSON.stringify(f), /NETFILTER="stateless"/);
    const fixes = f.fixes;
    assert.equal(f.fixes, fixes, 'built once');
    assert.equal(fixes?.length, 1);
    assert.equal(fixes?.[0]?.safe, false);
    assert.match(fixes?.[0]?.title ?? '', /^Use NETFILTER="stateless" \(vzctl 4\.7\+\) — widens access by \d+ modules$/);
    assert.equal(applyEdits(text, fixes?.[0]?.edits ?? []), 'NETFILTER="stateless"\nHOSTNAME="a"\n');
  });

  it('a copy is a plain finding with every field of one built eagerly', () => {
    const [f] = deprecated('IPTABLES="ipt_REJECT"\n', CT, 'classic@4.7');
    assert.ok(f);
    const copy = copyFinding(f, {});
    assert.ok(!(copy instanceof LazyFixFinding));
    assert.deepEqual(Object.keys(copy).sort(), ['deprecated', 'detail', 'fixes', 'message', 'range', 'rule', 'severity', 'unnecessary']);
    assert.equal(copy.deprecated, true);
    assert.equal(copy.unnecessary, false);
  });

  it('IPTABLES on several lines: one fix for the whole key, shared by every line, from the modules of every line', () => {
    // A fix for one line alone would set NETFILTER (which wins over every IPTABLES line) from that line's
    // modules: "stateless" here, and the NAT of the other line would be lost without a word.
    const text = 'IPTABLES="ipt_REJECT"\nHOSTNAME="a"\n  IPTABLES="iptable_nat"\n';
    const found = deprecated(text, CT, 'classic@4.7');
    assert.equal(found.length, 2);
    const [a, b] = found.map((f) => f.fixes?.[0]);
    assert.equal(a, b, 'one fix object for the key');
    assert.equal(a?.safe, false);
    assert.match(a?.title ?? '', /^Use NETFILTER="full" for all 2 IPTABLES lines/);
    assert.match(a?.detail ?? '', /^Replace the 2 IPTABLES lines with one NETFILTER="full", the least mode that grants the modules of every line vzctl takes \(needs vzctl 4\.7 or newer; widens access/);
    // NETFILTER in place of the first line; NAT modules need "full", and the fix records why (netfilter-full).
    const fixed = applyEdits(text, a?.edits ?? []);
    assert.equal(fixed, '# vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules (iptable_nat)\nNETFILTER="full"\nHOSTNAME="a"\n');
    assert.deepEqual(deprecated(fixed, CT, 'classic@4.7'), []);
    // Lines with the same list: the same fix, and one line alone keeps its own.
    const same = deprecated('IPTABLES="ipt_REJECT"\nIPTABLES="ipt_REJECT"\n', CT, 'classic@4.7').map((f) => f.fixes?.[0]);
    assert.equal(same[0], same[1]);
    assert.equal(applyEdits('IPTABLES="ipt_REJECT"\nIPTABLES="ipt_REJECT"\n', same[0]?.edits ?? []), 'NETFILTER="stateless"\n');
    // libvzctl (below 8.0.70) takes the last line only: the mode comes from it.
    const vz7 = deprecated('IPTABLES="iptable_nat"\nIPTABLES="ipt_REJECT"\n', CT, 'vz7@7.0.737')[0]?.fixes?.[0];
    assert.match(vz7?.title ?? '', /^Use NETFILTER="stateless" for all 2 IPTABLES lines/);
  });

  it('40,000 IPTABLES lines: the key\'s fix is built once for all of them, one edit per run of lines', () => {
    const text = `${'IPTABLES="ipt_REJECT"\n'.repeat(40_000)}HOSTNAME="a"\n`;
    const found = deprecated(text, CT, 'classic@4.7');
    assert.ok(found.length > 0);
    const first = found[0]?.fixes?.[0];
    assert.ok(found.every((f) => f.fixes?.[0] === first), 'shared');
    assert.equal(first?.edits.length, 2, 'the replacement and one deletion of lines 2–40000');
    assert.equal(applyEdits(text, first?.edits ?? []), 'NETFILTER="stateless"\nHOSTNAME="a"\n');
  });

  it('Virtuozzo 7, the last IPTABLES line empty: the line libvzctl ignores offers no NETFILTER built from its own modules', () => {
    const text = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nIPTABLES="ipt_REJECT iptable_nat"\nIPTABLES=""\n';
    const found = deprecated(text, CT, 'vz7');
    assert.deepEqual(found.map((f) => f.range.start.line), [2, 3]);
    assert.deepEqual(found[0]?.fixes ?? [], []);
    // The line in effect keeps its own fixes (none widens access by NAT modules it does not list).
    assert.ok((found[1]?.fixes ?? []).every((x) => !/NETFILTER="full"/.test(x.title)));
  });

  it('next to a valid NETFILTER: removing the line, safe only when NETFILTER grants every module', () => {
    const text = 'NETFILTER="stateless"\nIPTABLES="ipt_REJECT"\nIPTABLES="iptable_nat"\n';
    const [covered, wider] = deprecated(text, CT, 'classic@4.7');
    assert.deepEqual(covered?.fixes?.map((x) => [x.title, x.safe]), [['Remove IPTABLES (ignored: NETFILTER on line 1 sets the access)', true]]);
    assert.deepEqual(wider?.fixes?.map((x) => x.safe), [false]);
  });

  it('vz.conf: every IPTABLES line offers the one move to IPTABLES_MODULES, one fix object for all', () => {
    const text = 'IPTABLES="ipt_REJECT"\nIPTABLES="ipt_REJECT ipt_LOG"\nIPTABLES="xt_tcpudp"\n';
    const found = deprecated(text, '/etc/vz/vz.conf', 'classic@4.7');
    assert.equal(found.length, 3);
    const fixes = found[0]?.fixes;
    assert.ok(fixes && fixes.length === 1);
    assert.ok(found.every((f) => f.fixes === fixes), 'built once, shared');
    assert.equal(applyEdits(text, fixes[0]?.edits ?? []), 'IPTABLES_MODULES="xt_tcpudp"\n');
  });
});
