/**
 * Classic list keys whose handler stores the items of a line one by one and returns ERR_INVAL at the first
 * bad one (behaviour value-invalid-list: parse_ip() for IP_ADDRESS, add_netdev(), parse_dev(),
 * parse_devnodes(), parse_pci(), parse_cap(), src/lib/config.c @ vzctl-4.11.1 and every tag back to
 * 2.7.0): the items before it stay. FEATURES and IPTABLES skip one unknown item and keep the rest
 * (ERR_INVAL_SKIP). invalid-value says what vzctl keeps, and the effective value (hover, --print-config,
 * the fleet's addresses) holds exactly those items. Virtuozzo 7 refuses the whole line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lint, analyze } from '../../server/src/service/lint';
import { effectiveValue } from '../../server/src/model/effective';
import { effectiveConfigText } from '../../server/src/service/effective';
import { computeHover } from '../../server/src/service/hover';
import { vzctlSetCommand } from '../../server/src/service/vzctlSet';
import { CORPUS, NEEDS_CORPUS } from '../helpers/corpus';

const CT = '/w/etc/vz/conf/101.conf';
const HEAD = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\n';
const eff = (text: string, key: string, target = 'classic@4.11.1'): string | undefined => effectiveValue(analyze(text, { path: CT, target }), key)?.value;
const invalid = (text: string, target = 'classic@4.11.1') => lint(text, { path: CT, target }).findings.filter((f) => f.rule === 'invalid-value');

describe('classic list keys keep the items before the first bad one', () => {
  const cases: [string, string, string][] = [
    ['CAPABILITY', 'chown:on bogus:on net_admin:on', 'chown:on'],
    ['DEVICES', 'c:10:229:rw x c:1:5:r', 'c:10:229:rw'],
    ['DEVNODES', 'net/tun:rw fuse:xyz loop0:rw', 'net/tun:rw'],
    ['PCI', '0000:01:00.0 zz 0000:02:00.0', '0000:01:00.0'],
    ['NETDEV', 'eth1 venet0 eth2', 'eth1'],
    ['IP_ADDRESS', '10.0.0.5 10.0.0.300 10.0.0.6', '10.0.0.5'],
  ];
  for (const [key, value, kept] of cases) {
    it(`${key}="${value}": the message says what vzctl keeps, the effective value is "${kept}"`, () => {
      const text = `${HEAD}${key}="${value}"\n`;
      const [f, ...rest] = invalid(text);
      assert.deepEqual(rest, []);
      assert.match(f?.message ?? '', key === 'IP_ADDRESS' ? /; vzctl keeps only the addresses before it$/ : /; vzctl keeps only the items before it$/);
      assert.match(f?.detail ?? '', new RegExp(`vzctl adds ${kept.replace(/[.]/g, '\\.')};`));
      assert.equal(eff(text, key), kept);
      // Virtuozzo 7 (where the key exists) refuses the line: nothing is kept for it, and no partial claim.
      const vz7 = invalid(text, 'vz7')[0];
      if (vz7) assert.doesNotMatch(vz7.message, /keeps only/);
    });
  }

  it('a bad first item keeps nothing: the line is skipped, and an earlier line\'s items stay', () => {
    const text = `${HEAD}DEVICES="c:1:3:rw"\nDEVICES="x c:1:5:r"\n`;
    assert.equal(eff(text, 'DEVICES'), 'c:1:3:rw');
    assert.match(invalid(text)[0]?.message ?? '', /vzctl warns and skips the line$/);
  });

  it('CAPABILITY splits on commas only since vzctl 3.2: before, a comma list is one bad item, refused whole', () => {
    const text = `${HEAD}CAPABILITY="chown:on,net_admin:on"\n`;
    assert.equal(eff(text, 'CAPABILITY'), 'chown:on,net_admin:on');
    assert.equal(invalid(text).length, 0);
    assert.equal(eff(text, 'CAPABILITY', 'classic@3.1'), undefined);
    assert.match(invalid(text, 'classic@3.1')[0]?.message ?? '', /vzctl warns and skips the line$/);
  });

  it('FEATURES and IPTABLES skip one unknown item: the effective value leaves it out, the other items stay', () => {
    assert.equal(eff(`${HEAD}FEATURES="nfs:on bogus:on sysfs:off"\n`, 'FEATURES'), 'nfs:on sysfs:off');
    assert.equal(eff(`${HEAD}IPTABLES="iptable_filter bogus_mod ipt_REJECT"\n`, 'IPTABLES', 'classic@4.6'), 'iptable_filter ipt_REJECT');
  });

  it('hover and --print-config say the line counts only in part', () => {
    const text = `${HEAD}DEVICES="c:10:229:rw x c:1:5:r"\n`;
    const md = computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: { path: '/w/etc/vz/vz.conf', text: 'LOCKDIR=/vz/lock\n' } })?.contents ?? '';
    assert.match(md, /- Effective: `c:10:229:rw` from this file, line 3 \(of this line vzctl keeps only the items before the bad one\)/);
    assert.match(effectiveConfigText(text, { path: CT }), /^DEVICES="c:10:229:rw" +# 101\.conf line 3; of 101\.conf line 3 only the items before the bad one$/m);
  });

  it('on a real config (corpus wild/035): its DEVICES line with a bad item appended keeps both devices', { skip: NEEDS_CORPUS }, () => {
    const src = readFileSync(join(CORPUS, 'wild/035-provision-unix-perl-default-ubc.conf'), 'utf8');
    const text = src.replace(/^DEVICES="c:10:229:rw c:10:200:rw "$/m, 'DEVICES="c:10:229:rw c:10:200:rw c:10:x:rw"');
    assert.notEqual(text, src);
    assert.equal(eff(text, 'DEVICES'), 'c:10:229:rw c:10:200:rw');
    assert.ok(invalid(text).some((f) => /DEVICES: .*; vzctl keeps only the items before it$/.test(f.message)));
  });
});

describe('the vzctl set command of a merged list keeps what vzctl kept of a partly refused line', () => {
  it('IP_ADDRESS "10.0.0.5 10.0.0.300" then "10.0.0.7": --ipdel all adds 10.0.0.5 back', () => {
    const text = `${HEAD}IP_ADDRESS="10.0.0.5 10.0.0.300"\nIP_ADDRESS="10.0.0.7"\n`;
    const ctx = analyze(text, { path: '/w/etc/vz/conf/101.conf', target: 'classic@4.11.1' });
    const line = ctx.doc.entries.find((e) => e.value === '10.0.0.7');
    assert.ok(line);
    assert.equal(vzctlSetCommand(ctx, line)?.command, 'vzctl set 101 --ipdel all --ipadd 10.0.0.5 --ipadd 10.0.0.7 --save');
  });
});
