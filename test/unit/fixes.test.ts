import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lint, type LintOptions } from '../../server/src/service/lint';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../helpers/edits';
import { NEEDS_CORPUS } from '../helpers/corpus';

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';
const corpus = resolve(__dirname, '../../../shared/corpus');

/**
 * Lints, takes the fix titled like `title` of the first `rule` finding, applies it, re-lints.
 * `after` lists the findings of the fixed text that the original did not have (compared by rule and
 * message), so unrelated findings of small snippets (e.g. a missing UBC set) do not mask the result;
 * `all` is every finding of the fixed text.
 */
function applyFix(text: string, opts: LintOptions, rule: string, title: RegExp = /./): { text: string; after: Finding[]; all: Finding[]; fixTitle: string } {
  const before = lint(text, opts).findings;
  const f = before.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule} finding`);
  const fix = f.fixes?.find((x) => title.test(x.title));
  assert.ok(fix, `no fix matching ${title} among ${f.fixes?.map((x) => x.title).join(' | ')}`);
  const next = applyEdits(text, fix.edits);
  const all = lint(next, opts).findings;
  const old = new Set(before.filter((x) => x !== f).map((x) => `${x.rule}\u0000${x.message}`));
  const after = all.filter((x) => !old.has(`${x.rule}\u0000${x.message}`));
  return { text: next, after, all, fixTitle: fix.title };
}

describe('quick fixes: applied and re-linted', () => {
  it('CT IPTABLES with NAT modules becomes NETFILTER="full" and the deprecation goes away', () => {
    const text = 'ONBOOT="yes"\nIPTABLES="ipt_REJECT iptable_filter ip_conntrack iptable_nat ipt_REDIRECT"\nHOSTNAME="ct"\n';
    const r = applyFix(text, { path: CT }, 'deprecated-parameter');
    assert.equal(r.text, 'ONBOOT="yes"\n# vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules (iptable_nat, ipt_REDIRECT)\nNETFILTER="full"\nHOSTNAME="ct"\n');
    assert.match(r.fixTitle, /vzctl 4\.7\+/);
    // "full" is what the NAT modules need: the fix's own result raises nothing new (no netfilter-full info).
    assert.deepEqual(r.after.map((f) => f.rule), []);
    // CRLF and indentation are kept.
    const crlf = applyFix('ONBOOT="yes"\r\n  IPTABLES="iptable_nat"\r\n', { path: CT }, 'deprecated-parameter');
    assert.equal(crlf.text, 'ONBOOT="yes"\r\n  # vzconf-disable-next-line netfilter-full -- IPTABLES had NAT modules (iptable_nat)\r\n  NETFILTER="full"\r\n');
  });

  it('CT IPTABLES with conntrack only becomes stateful, with plain filters stateless, and says it widens access', () => {
    assert.match(applyFix('IPTABLES="iptable_filter ipt_state"\n', { path: CT }, 'deprecated-parameter').text, /^NETFILTER="stateful"$/m);
    const r = applyFix('IPTABLES="iptable_filter ipt_REJECT"\n', { path: CT }, 'deprecated-parameter');
    assert.equal(r.text, 'NETFILTER="stateless"\n');
    assert.match(r.fixTitle, /widens access/);
  });

  it('wild 035 (per-CT IPTABLES with NAT modules) converts to full', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(resolve(corpus, 'wild/035-provision-unix-perl-default-ubc.conf'), 'utf8');
    const r = applyFix(text, { path: CT }, 'deprecated-parameter');
    assert.match(r.text, /^NETFILTER="full"$/m);
    assert.doesNotMatch(r.text, /^IPTABLES=/m);
    assert.ok(!r.after.some((f) => f.rule === 'deprecated-parameter'));
  });

  it('vz.conf IPTABLES is renamed to IPTABLES_MODULES', () => {
    const text = 'LOCKDIR=/vz/lock\nIPTABLES="ipt_REJECT ipt_tos ipt_limit iptable_filter"\n';
    const r = applyFix(text, { path: NODE }, 'deprecated-parameter');
    assert.equal(r.text, 'LOCKDIR=/vz/lock\nIPTABLES_MODULES="ipt_REJECT ipt_tos ipt_limit iptable_filter"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('vzctl 4.6 vz.conf: one fix inlines IPTABLES where IPTABLES_MODULES="$IPTABLES" and merges IP6TABLES', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(resolve(corpus, 'upstream/openvz-vzctl-classic/historical/vz.conf.in@vzctl-4.6'), 'utf8');
    const r = applyFix(text, { path: NODE }, 'deprecated-parameter', /Move IPTABLES, IP6TABLES/);
    assert.match(r.fixTitle, /CTs without NETFILTER lose access/);
    assert.match(r.text, /^IPTABLES_MODULES="ipt_REJECT ipt_tos ipt_limit ipt_multiport iptable_filter iptable_mangle ipt_TCPMSS ipt_tcpmss ipt_ttl ipt_length ip6_tables ip6table_filter ip6table_mangle ip6t_REJECT"$/m);
    assert.doesNotMatch(r.text, /^IP6?TABLES=/m);
    assert.ok(!r.after.some((f) => f.rule === 'deprecated-parameter'));
    // The comment headers of the two removed lists go with them; every other line is untouched.
    const headers = ['## IPv4 iptables kernel modules to be enabled in CTs by default', '## IPv6 ip6tables kernel modules'];
    for (const h of headers) assert.ok(text.includes(`${h}\n`) && !r.text.includes(`${h}\n`), `${h} removed`);
    const keep = (t: string) => t.split('\n').filter((l) => !/^(IP6?TABLES|IPTABLES_MODULES)=/.test(l) && !headers.includes(l) && l !== '');
    assert.deepEqual(keep(r.text), keep(text));
    assert.doesNotMatch(r.text, /\n\n\n/, 'no run of blank lines is left');
  });

  it('IPTABLES and IP6TABLES without IPTABLES_MODULES: the IPTABLES fix folds both into IPTABLES_MODULES (IP6TABLES itself is not deprecated: the 4.11.1 init script loads it)', () => {
    const text = 'IPTABLES="ipt_REJECT iptable_filter"\nIPV6="yes"\nIP6TABLES="ip6_tables ip6table_filter"';
    const found = lint(text, { path: NODE }).findings.filter((f) => f.rule === 'deprecated-parameter');
    assert.equal(found.length, 1);
    const results = found.map((f) => applyEdits(text, f.fixes?.[0]?.edits ?? []));
    assert.equal(results[0], 'IPTABLES_MODULES="ipt_REJECT iptable_filter ip6_tables ip6table_filter"\nIPV6="yes"');
  });

  it('the five-line IPTABLES of the Shorewall vz.conf becomes one IPTABLES_MODULES line with all 24 modules', { skip: NEEDS_CORPUS }, () => {
    const text = readFileSync(resolve(corpus, 'wild/032-shorewall-doc-2009-vz.conf'), 'utf8');
    const r = applyFix(text, { path: NODE }, 'deprecated-parameter');
    const line = r.text.split('\n').find((l) => l.startsWith('IPTABLES_MODULES='));
    assert.ok(line);
    assert.equal(line.slice('IPTABLES_MODULES="'.length, -1).split(' ').length, 24);
    assert.ok(!r.after.some((f) => f.rule === 'multiline-value' || f.rule === 'missing-equals' || f.rule === 'deprecated-parameter'));
  });

  it('NETFILTER is removed from vz.conf', () => {
    const r = applyFix('LOCKDIR=/vz/lock\nNETFILTER="full"\nVE_ROOT=/vz/root/$VEID\n', { path: NODE }, 'misplaced-parameter');
    assert.equal(r.text, 'LOCKDIR=/vz/lock\nVE_ROOT=/vz/root/$VEID\n');
  });

  it('keeps CRLF line endings when deleting a line', () => {
    const r = applyFix('LOCKDIR=/vz/lock\r\nNETFILTER="full"\r\nVE_ROOT=/vz/root/$VEID\r\n', { path: NODE }, 'misplaced-parameter');
    assert.equal(r.text, 'LOCKDIR=/vz/lock\r\nVE_ROOT=/vz/root/$VEID\r\n');
  });

  it('spaces around "=" are removed', () => {
    assert.equal(applyFix('ONBOOT = "yes"\n', { path: CT }, 'space-around-equals').text, 'ONBOOT="yes"\n');
  });

  /** Whether the first `rule` finding of `text` offers its fix as safe (applied by fix-all). */
  const safeFix = (text: string, rule: string): boolean | undefined => lint(text, { path: CT }).findings.find((x) => x.rule === rule)?.fixes?.[0]?.safe;

  it('a fix that makes vzctl start reading a line is never safe (README: safe only if vzctl and sh read the same)', () => {
    // vzctl reads the key "ONBOOT " (no parameter) and the value \x20"1G:1G" (refused): the fixed lines take effect.
    assert.equal(safeFix('ONBOOT = "yes"\n', 'space-around-equals'), false);
    assert.equal(safeFix('DISKSPACE= "1G:1G"\n', 'space-around-equals'), false);
    assert.equal(safeFix('HOSTNAME= a\n', 'space-around-equals'), false);
    // A key vzctl does not read before or after the fix: safe.
    assert.equal(safeFix('MYAPP_NOTE = "a"\n', 'space-around-equals'), true);
    // A byte-order mark hides ONBOOT from vzctl (key "\uFEFFONBOOT"): removing it turns ONBOOT on, for review.
    assert.equal(safeFix('\uFEFFONBOOT="yes"\n', 'byte-order-mark'), false);
    // Before a comment or a blank line the removal only makes the line a comment again: safe.
    assert.equal(safeFix('\uFEFF# ct 101\nONBOOT="yes"\n', 'byte-order-mark'), true);
    assert.equal(safeFix('\uFEFF\nONBOOT="yes"\n', 'byte-order-mark') ?? true, true);
  });

  it('an unquoted value with spaces gets quoted', () => {
    const r = applyFix('DESCRIPTION=web server\n', { path: CT }, 'shell-unsafe-value');
    assert.equal(r.text, 'DESCRIPTION="web server"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('barrier above limit: limit := barrier as vzcfgvalidate -r does', () => {
    const r = applyFix('KMEMSIZE="300331648:150331648"\n', { path: CT }, 'barrier-above-limit', /Set the limit/);
    assert.equal(r.text, 'KMEMSIZE="300331648:300331648"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('duplicates: the ignored HOSTNAME line is removed; union keys are merged', () => {
    assert.equal(applyFix('HOSTNAME="a"\nHOSTNAME="b"\n', { path: CT }, 'duplicate-parameter').text, 'HOSTNAME="a"\n');
    const r = applyFix('IP_ADDRESS="10.0.0.1"\nONBOOT="yes"\nIP_ADDRESS="10.0.0.2 10.0.0.1"\n', { path: CT }, 'duplicate-parameter');
    assert.equal(r.text, 'IP_ADDRESS="10.0.0.1 10.0.0.2"\nONBOOT="yes"\n');
  });

  it('classic inline comment moves above the line', () => {
    const r = applyFix('NAMESERVER=inherit # from host\n', { path: NODE }, 'inline-comment');
    assert.equal(r.text, '# from host\nNAMESERVER=inherit\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('a typo is renamed to the suggestion', () => {
    const r = applyFix('PHYSPAGE="0:1G"\n', { path: CT }, 'unknown-parameter');
    assert.equal(r.text, 'PHYSPAGES="0:1G"\n');
  });

  it('removes a byte-order mark', () => {
    assert.equal(applyFix('\uFEFFONBOOT="yes"\n', { path: CT }, 'byte-order-mark').text, 'ONBOOT="yes"\n');
  });

  it('removes a parameter the target ignores, even on the last line without a newline', () => {
    assert.equal(applyFix('ONBOOT="yes"\nVETH="x"', { path: CT }, 'ignored-parameter').text, 'ONBOOT="yes"');
  });

  it('a line without "=" is turned into a comment', () => {
    const r = applyFix('ONBOOT="yes"\nthis is a note\n', { path: CT }, 'missing-equals');
    assert.equal(r.text, 'ONBOOT="yes"\n# this is a note\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('an unmatched quote is closed at the end of the line', () => {
    const r = applyFix('HOSTNAME="ct101.example.com\nONBOOT="yes"\n', { path: CT }, 'unmatched-quote');
    assert.equal(r.text, 'HOSTNAME="ct101.example.com"\nONBOOT="yes"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it("classic single quotes become double quotes", () => {
    const r = applyFix("ONBOOT='yes'\n", { path: CT }, 'single-quotes');
    assert.equal(r.text, 'ONBOOT="yes"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('a multi-line value is joined onto one line', () => {
    const r = applyFix('DESCRIPTION="web\n   frontend"\nONBOOT="yes"\n', { path: CT }, 'multiline-value');
    assert.equal(r.text, 'DESCRIPTION="web frontend"\nONBOOT="yes"\n');
    assert.deepEqual(r.after.map((f) => f.rule), []);
  });

  it('a removed parameter is deleted (NETFILTER on libvzctl 8.0.70)', () => {
    const r = applyFix('ONBOOT="yes"\nNETFILTER="full"\nHOSTNAME="x"\n', { path: CT, target: 'vz7@8.0.70' }, 'removed-parameter');
    assert.equal(r.text, 'ONBOOT="yes"\nHOSTNAME="x"\n');
  });
});
