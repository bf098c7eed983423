import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { CORE_RULES, RULES } from '../../server/src/rules/index';
import { getCatalog } from '../../server/src/catalog/load';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Rule ids reported outside the per-file rules (none yet). */
// file-too-large and too-many-findings come from lint() itself (limits.ts), not from a rule module.
const EXTRA_RULE_IDS = new Set<string>(['file-too-large', 'too-many-findings', 'unused-suppression', 'sample-not-found', 'ploop-sample-without-diskspace', 'duplicate-ip-address', 'duplicate-mac-address', 'shared-private-path', 'duplicate-ct-name', 'node-memory-overcommit']);

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';

function rulesOf(text: string, opts: LintOptions): string[] {
  return lint(text, opts).findings.map((f) => f.rule);
}

/**
 * Each row: a rule, the text, the options, and whether the rule must fire (with the 1-based line of the
 * first finding) or must stay silent. Positives and negatives for every rule; inputs follow the reference.
 */
type Row = [rule: string, text: string, opts: LintOptions, expectLine: number | null, why: string];
const ROWS: Row[] = [
  ['missing-equals', 'ONBOOT="yes"\nthis line has no equals\n', { path: CT }, 2, 'no "="'],
  ['default-path-without-veid', 'VE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private\n', { path: NODE }, 2, 'vz.conf VE_PRIVATE without $VEID'],
  ['default-path-without-veid', 'VE_ROOT=/vz/root\n', { path: NODE, target: 'classic@3.0.22' }, 1, 'vz.conf VE_ROOT without $VEID'],
  ['default-path-without-veid', 'VE_ROOT=/vz/root/${VEID}/\nVE_PRIVATE="/vz/private/$VEID"\n', { path: NODE }, null, '$VEID and ${VEID}'],
  ['default-path-without-veid', 'VE_PRIVATE=/vz/private/101\n', { path: CT }, null, 'a container config: shared-private-path compares those'],
  ['default-path-without-veid', 'VE_PRIVATE=/vz/private\n', { path: NODE, target: 'vz7' }, 1, 'Virtuozzo 7: libvzctl create takes vz.conf\'s VE_PRIVATE too'],
  ['default-path-without-veid', 'VE_ROOT=/vz/root/$VEIDx\nVE_PRIVATE=/vz/private/${VEID}\n', { path: NODE, target: 'vz7' }, null, 'Virtuozzo 7: $VEID anywhere, or ${VEID}'],
  ['missing-equals', '# a comment\n\nONBOOT="yes"\n', { path: CT }, null, 'comments and blanks'],
  ['unmatched-quote', 'HOSTNAME="ct101.example.com\n', { path: CT }, 1, 'opening quote only'],
  ['unmatched-quote', 'HOSTNAME="ct101.example.com\n', { path: CT, target: 'vz7' }, null, 'libvzctl needs no closing quote'],
  ['key-too-long', `${'X'.repeat(600)}=1\n`, { path: CT }, 1, '600-character key'],
  ['key-too-long', 'ONBOOT=yes\n', { path: CT }, null, 'normal key'],
  ['space-around-equals', 'ONBOOT = "yes"\n', { path: CT }, 1, 'space before ='],
  ['space-around-equals', 'ONBOOT= "yes"\n', { path: CT }, 1, 'space after ='],
  ['space-around-equals', 'ONBOOT="yes"\n', { path: CT }, null, 'tight'],
  ['inline-comment', 'NAMESERVER=inherit # copy resolv.conf\n', { path: NODE }, 1, 'classic: comment joins the value'],
  ['inline-comment', 'NAMESERVER=inherit # copy resolv.conf\n', { path: NODE, target: 'vz7' }, null, 'vz7 strips comments'],
  ['inline-comment', 'CONFIGFILE="basic" # note\n', { path: NODE }, null, 'after a closing quote classic drops it'],
  ['single-quotes', "ONBOOT='yes'\n", { path: CT }, 1, 'classic keeps single quotes'],
  ['single-quotes', "ONBOOT='yes'\n", { path: CT, target: 'vz7' }, null, 'vz7 removes them'],
  ['multiline-value', 'IPTABLES="ipt_REJECT\n  ipt_tos"\n', { path: NODE, target: 'classic@4.6' }, 1, 'quoted value over two lines'],
  ['multiline-value', 'IPTABLES="ipt_REJECT ipt_tos"\n', { path: NODE, target: 'classic@4.6' }, null, 'one line'],
  ['byte-order-mark', '\uFEFFONBOOT="yes"\n', { path: CT }, 1, 'BOM before a key'],
  ['byte-order-mark', '\uFEFF# comment\nONBOOT="yes"\n', { path: CT }, 1, 'BOM before a comment: vzctl no longer sees a comment'],
  ['byte-order-mark', '# comment\nONBOOT="yes"\n', { path: CT }, null, 'no BOM'],
  ['lone-carriage-return', 'NETFILTER="full"\rIPTABLES="iptable_filter"\n', { path: CT }, 1, 'a lone CR joins two settings for vzctl'],
  ['utf16-encoding', '\uFFFD\uFFFDO\0N\0B\0O\0O\0T\0=\0y\0e\0s\0\n\0', { path: CT }, 1, 'UTF-16 little-endian with its byte-order mark, read as bytes'],
  ['utf16-encoding', '\0O\0N\0B\0O\0O\0T\0=\0y\0e\0s\0\n', { path: CT }, 1, 'UTF-16 big-endian without a byte-order mark'],
  ['utf16-encoding', 'ONBOOT="yes"\nHOSTNAME="a\0b"\n', { path: CT }, null, 'a NUL in a value is no UTF-16'],
  ['lone-carriage-return', 'ONBOOT="yes"\r\nHOSTNAME="a"\r\n', { path: CT }, null, 'CRLF line endings are no lone CR'],
  ['crlf-line-endings', 'ONBOOT="yes"\r\nHOSTNAME="a"\r\n', { path: CT }, 1, 'classic vzmigrate sources the CT config with sh'],
  ['crlf-line-endings', 'VE_ROOT=/vz/root/$VEID\nLOCKDIR=/vz/lock\r\n', { path: NODE }, 1, 'mixed endings in vz.conf'],
  ['crlf-line-endings', 'ONBOOT="yes"\nHOSTNAME="a"\n', { path: CT }, null, 'LF only'],
  ['crlf-line-endings', 'ONBOOT="yes"\r\nHOSTNAME="a"\r\n', { path: CT, target: 'vz7' }, null, 'Virtuozzo 7: no fact about sourcing'],
  ['crlf-line-endings', 'ONBOOT="yes"\r\n', { path: '/etc/vz/conf/ve-basic.conf-sample' }, null, 'nothing sources a sample'],
  ['byte-order-mark', '\uFEFF\nONBOOT="yes"\n', { path: CT }, 1, 'BOM alone on the first line: vzctl cannot parse it'],
  ['missing-equals', '\uFEFF# comment\nONBOOT="yes"\n', { path: CT }, null, 'byte-order-mark explains that line'],
  ['shell-unsafe-value', 'DESCRIPTION=web server\n', { path: CT }, 1, 'unquoted whitespace'],
  ['shell-unsafe-value', 'DESCRIPTION="$(hostname)"\n', { path: CT }, 1, 'command substitution'],
  ['shell-unsafe-value', 'VE_PRIVATE="/vz/private/$VEID"\nDESCRIPTION="web server"\n', { path: CT }, null, '$VEID and quoted spaces are fine'],
  ['shell-expansion', 'HOSTNAME="$HOST.example.com"\n', { path: CT }, 1, 'a variable vzctl does not expand'],
  ['shell-expansion', 'IPTABLES_MODULES="$IPTABLES"\n', { path: NODE }, null, 'only the init script reads IPTABLES_MODULES'],
  ['unknown-parameter', 'ONBOT="yes"\n', { path: CT }, 1, 'typo'],
  ['unknown-parameter', 'NOATIME="yes"\n', { path: CT, target: 'vz7' }, null, 'VZ7 knows NOATIME'],
  ['unknown-parameter', 'MODULES_DISABLED=yes\n', { path: NODE }, null, 'script-only key'],
  ['unknown-parameter', 'NETFILTER="stateful"\n', { path: CT, target: 'classic@4.6' }, 1, 'NETFILTER needs 4.7'],
  ['duplicate-parameter', 'HOSTNAME="a"\nHOSTNAME="b"\n', { path: CT }, 2, 'first wins in classic'],
  ['duplicate-parameter', 'KMEMSIZE="1:2"\nKMEMSIZE="3:4"\n', { path: CT }, 1, 'UBC: last wins, the first is reported'],
  ['duplicate-parameter', 'DCACHE="1:2"\nDCACHESIZE="3:4"\n', { path: CT }, 1, 'alias and name are one parameter'],
  ['duplicate-parameter', 'HOSTNAME="a"\n', { path: CT }, null, 'single'],
  ['misplaced-parameter', 'NETFILTER="full"\n', { path: NODE }, 1, 'NETFILTER in vz.conf'],
  ['misplaced-parameter', 'LOCKDIR=/vz/lock\n', { path: CT }, 1, 'node key in a CT config'],
  ['misplaced-parameter', 'NETFILTER="full"\n', { path: NODE, target: 'vz7@8.0.70' }, null, 'removed-parameter reports it instead'],
  ['misplaced-parameter', 'VE_ROOT=/vz/root/$VEID\n', { path: NODE }, null, 'both places'],
  ['misplaced-parameter', 'HOSTNAME="x"\n', { path: '/etc/vz/conf/0.conf' }, 1, 'CT0 processes only UBC'],
  ['invalid-value', 'ONBOOT="Yes"\n', { path: CT }, 1, 'yes/no is case-sensitive'],
  ['invalid-value', 'NETFILTER="Full"\n', { path: CT }, 1, 'NETFILTER is case-sensitive'],
  ['invalid-value', 'NUMPROC="240K:240K"\n', { path: CT }, 1, 'suffix on an item count'],
  ['invalid-value', 'IP_ADDRESS="10.0.0.300"\n', { path: CT }, 1, 'bad IPv4'],
  ['invalid-value', 'IP_ADDRESS="10.0.0.1/255.255.255.0"\n', { path: CT }, 1, 'classic takes only CIDR'],
  ['invalid-value', 'IP_ADDRESS="10.0.0.1/255.255.255.0"\n', { path: CT, target: 'vz7' }, null, 'libvzctl takes a dotted mask'],
  ['invalid-value', 'CAPABILITY="chown:on sys_foo:off"\n', { path: CT }, 1, 'unknown capability'],
  ['invalid-value', 'CPUUNITS="7"\n', { path: CT }, 1, 'CPUUNITS below 8'],
  ['invalid-value', 'DISKSPACE="unlimited"\n', { path: CT }, 1, 'classic DISKSPACE refuses unlimited'],
  ['invalid-value', 'PHYSPAGES="0:256M"\nKMEMSIZE="14M:unlimited"\nIP_ADDRESS="2001:db8::1/64 10.1.1.1"\nCAPABILITY="CHOWN:on,net_admin:off"\nDEVICES="c:10:200:rw b:8:all:r"\n', { path: CT }, null, 'valid values'],
  ['unknown-list-item', 'FEATURES="nfs:on fuse:on"\n', { path: CT }, 1, 'unknown feature'],
  ['unknown-list-item', 'IPTABLES="iptable_filter ipt_MASQUERADE"\n', { path: CT, target: 'classic@4.6' }, 1, 'unknown module'],
  ['unknown-list-item', 'FEATURES="nfs:on,ppp:off"\n', { path: CT }, null, 'known features'],
  ['unknown-list-item', 'FEATURES="nfs:on fuse:on"\n', { path: CT, target: 'vz7' }, null, 'libvzctl rejects the line instead'],
  ['invalid-value', 'FEATURES="nfs:on fuse:on"\n', { path: CT, target: 'vz7' }, 1, 'libvzctl: unknown feature drops the line'],
  ['invalid-value', 'DISKINODES="unlimited"\n', { path: CT }, 1, 'classic DISKINODES refuses unlimited too'],
  ['invalid-value', 'DISKINODES="unlimited"\n', { path: CT, target: 'vz7' }, null, 'libvzctl accepts unlimited quotas'],
  ['value-truncated', 'KMEMSIZE="18446744073709551615:unlimited"\n', { path: CT }, 1, 'above LONG_MAX'],
  ['value-truncated', 'KMEMSIZE="-1"\n', { path: CT }, 1, 'negative wraps to a huge unsigned number'],
  ['invalid-value', 'KMEMSIZE="99999999999999999999:unlimited"\n', { path: CT }, 1, 'beyond 2^64-1 strtoull fails'],
  ['invalid-value', 'PHYSPAGES="0:.5G"\n', { path: CT }, null, 'strtold reads a leading-dot fraction'],
  ['unknown-parameter', 'HOSTNAME="x"\n\uFEFFONBOOT="yes"\n', { path: CT }, 2, 'a BOM in the middle of the file is part of the key'],
  ['unknown-parameter', 'ONBOOT\u00A0="yes"\n', { path: CT }, 1, 'a no-break space before = is part of the key'],
  ['value-truncated', 'KMEMSIZE="9223372036854775807"\n', { path: CT }, null, 'exactly LONG_MAX'],
  ['questionable-value', 'VE_LAYOUT="ploop:raw"\n', { path: CT }, 1, 'raw ploop'],
  ['questionable-value', 'VE_LAYOUT="ploop"\n', { path: CT }, null, 'ploop'],
  ['barrier-above-limit', 'KMEMSIZE="300331648:150331648"\n', { path: CT }, 1, 'case from the issue'],
  ['barrier-above-limit', 'DISKSPACE="2G:1G"\n', { path: CT }, 1, 'quota soft above hard'],
  ['barrier-above-limit', 'KMEMSIZE="1G:unlimited"\nPHYSPAGES="0:2147483647"\n', { path: CT }, null, 'unlimited limits'],
  ['barrier-above-limit', 'KMEMSIZE="100M:90M"\nKMEMSIZE="200M:220M"\n', { path: CT }, null, 'a UBC line overridden by a later one never reaches the kernel'],
  ['unmatched-quote', 'ONBOOT="yes\nSWAPPAGES = "0:512M"\nDESCRIPTION="multi\nline"\n', { path: CT }, 1, 'an unclosed quote that swallows settings is no multi-line value'],
  ['space-around-equals', 'ONBOOT="yes\nSWAPPAGES = "0:512M"\nDESCRIPTION="multi\nline"\n', { path: CT }, 2, 'lines after an unclosed quote are still read by vzctl'],
  ['invalid-value', 'ONBOOT="yes"\nONBOOT="maybe"\n', { path: CT }, null, 'a first-wins duplicate is never parsed by classic vzctl'],
  ['invalid-value', 'ONBOOT="yes"\nONBOOT="maybe"\n', { path: CT, target: 'vz7' }, 2, 'libvzctl keeps (and parses) the last'],
  ['shell-expansion', 'IPTABLES_MODULES="$IPTABLES"\n', { path: NODE, target: 'vz7' }, null, 'unknown to libvzctl: unknown-parameter speaks'],
  ['deprecated-parameter', 'IPTABLES="iptable_filter"\n', { path: CT }, 1, 'CT IPTABLES on vzctl 4.11'],
  ['deprecated-parameter', 'IPTABLES="iptable_filter"\n', { path: CT, target: 'classic@4.6' }, null, 'still the mechanism on 4.6'],
  ['deprecated-parameter', 'IPTABLES="iptable_filter"\n', { path: NODE, target: 'classic@4.6' }, null, 'vz.conf on 4.6'],
  ['deprecated-parameter', 'IP6TABLES="ip6_tables"\n', { path: NODE }, null, 'IP6TABLES: still loaded by the 4.11.1 init script'],
  ['ignored-parameter', 'VETH="veth101.0,00:18:51:00:00:01,eth0,00:18:51:00:00:02"\n', { path: CT }, 1, 'VETH since 3.0.25'],
  ['ignored-parameter', 'CAPABILITY="chown:on"\n', { path: CT, target: 'vz7' }, 1, 'CAPABILITY on VZ7'],
  ['ignored-parameter', 'TCPSNDBUF="1M:2M"\n', { path: CT, target: 'vz7' }, 1, 'UBC ignored on VZ7'],
  ['ignored-parameter', 'TCPSNDBUF="1M:2M"\n', { path: CT }, null, 'classic applies it'],
  ['removed-parameter', 'NOATIME="yes"\n', { path: CT }, 1, 'removed in 4.3'],
  ['removed-parameter', 'NOATIME="yes"\n', { path: CT, target: 'classic@4.2' }, null, 'still known in 4.2'],
  ['removed-parameter', 'NETFILTER="full"\n', { path: CT, target: 'vz7@8.0.70' }, 1, 'gone in libvzctl 8.0.70'],
];

describe('rules: positives and negatives', () => {
  for (const [rule, text, opts, line, why] of ROWS) {
    it(`${rule}: ${why} → ${line === null ? 'silent' : `line ${line}`}`, () => {
      const found = lint(text, opts).findings.filter((f) => f.rule === rule);
      if (line === null) assert.deepEqual(found.map((f) => f.message), []);
      else {
        assert.ok(found.length > 0, `expected ${rule}; got ${rulesOf(text, opts).join(', ') || 'nothing'}`);
        assert.equal((found[0]?.range.start.line ?? -1) + 1, line);
      }
    });
  }

  it('every core rule has a positive and a negative row here', () => {
    for (const r of CORE_RULES) {
      assert.ok(ROWS.some(([id, , , l]) => id === r.id && l !== null), `${r.id} has no positive test`);
      assert.ok(ROWS.some(([id, , , l]) => id === r.id && l === null), `${r.id} has no negative test`);
    }
  });

  it('every rule has metadata and a docs page, and every metadata entry has a rule', () => {
    const cat = getCatalog();
    for (const r of RULES) {
      assert.ok(cat.hasRule(r.id), `${r.id} lacks schemas/rules/*.yaml metadata`);
      assert.ok(existsSync(resolve(__dirname, '../../docs/rules', `${r.id}.md`)), `${r.id} has no docs/rules page`);
    }
    const index = readFileSync(resolve(__dirname, '../../docs/rules/README.md'), 'utf8');
    for (const m of cat.catalog.rules) assert.ok(index.includes(`(${m.id}.md)`), `docs/rules/README.md does not list ${m.id} (npm run docs:rules)`);
    const ids = new Set(RULES.map((r) => r.id));
    for (const m of cat.catalog.rules) assert.ok(ids.has(m.id) || EXTRA_RULE_IDS.has(m.id), `${m.id} has metadata but no rule`);
  });
});

describe('rules: messages say what vzctl does', () => {
  it('shell-unsafe-value cuts a long key (a table row read as KEY=…) to 30 characters, as other rules do', () => {
    const key = '| a row of a Markdown table | github.com/x/y | etc/vz.conf | notes'.repeat(3);
    const f = lint(`${key}=a b\n`, { path: CT }).findings.find((x) => x.rule === 'shell-unsafe-value');
    assert.ok(f);
    assert.ok([...f.message].length <= 100, f.message);
    assert.match(f.message, /^\| a row of a Markdown table \|…: a shell sourcing this file ends the value at the space/);
  });

  it('space-around-equals after "=" cuts a long key too, and the sentence stays whole', () => {
    const key = '| 037-lxc-book-debian7-vzctl-saved-1.conf | "Containerization with LXC" |';
    const f = lint(`${key}= x\n`, { path: CT }).findings.find((x) => x.rule === 'space-around-equals');
    assert.equal(f?.message, 'Space after "=": the value of | 037-lxc-book-debian7-vzctl-… starts with a blank');
  });

  it('DISKSPACE="unlimited": refused in disk quotas since vzctl 4.4 (commit 9bd35704), read as LONG_MAX by 3.0.19 to 4.3.1', () => {
    const at = (target: string) => lint('DISKSPACE="unlimited"\n', { path: CT, target }).findings.filter((f) => f.rule === 'invalid-value');
    assert.equal(at('classic@4.4')[0]?.message, 'DISKSPACE: "unlimited" is refused in disk quotas since vzctl 4.4; vzctl warns and skips the line');
    assert.match(at('classic@4.11.1')[0]?.detail ?? '', /vzctl 3\.0\.19 to 4\.3\.1 read it as LONG_MAX; for no disk limit on a simfs container, set DISK_QUOTA=no/);
    assert.deepEqual(at('classic@4.3'), [], 'accepted before 4.4');
    assert.equal(at('classic@3.0.10')[0]?.message, 'DISKSPACE: "unlimited" is read only from vzctl 3.0.19 on; vzctl warns and skips the line');
    assert.deepEqual(at('vz7'), [], 'libvzctl accepts it');
  });

  it('duplicate-parameter names the line vzctl uses', () => {
    const f = lint('HOSTNAME="a"\nHOSTNAME="b"\n', { path: CT }).findings.find((x) => x.rule === 'duplicate-parameter');
    assert.equal(f?.message, 'HOSTNAME is also set on line 1; vzctl uses the first');
    assert.deepEqual(f?.facts, ['classic.duplicate-first']);
    assert.match(f?.detail ?? '', /uses line 1 \("a"\)/);
  });
  it('deprecated-parameter names the target version', () => {
    const f = lint('IPTABLES="iptable_filter"\n', { path: CT }).findings.find((x) => x.rule === 'deprecated-parameter');
    assert.match(f?.message ?? '', /vzctl 4\.7/);
    assert.match(f?.detail ?? '', /checked against vzctl 4\.11\.1/);
    // One sentence end, not "….  (checked against …)."
    assert.doesNotMatch(f?.detail ?? '', /\. \(checked against/);
    assert.equal(f?.deprecated, true);
  });
  it('classic reads an unknown four-letter feature as nfsd', () => {
    const f = lint('FEATURES="fuse:on"\n', { path: CT }).findings.find((x) => x.rule === 'unknown-list-item');
    assert.match(f?.message ?? '', /nfsd/);
  });
  it('unknown-parameter suggests the near miss', () => {
    const f = lint('PHYSPAGE="0:1G"\n', { path: CT }).findings.find((x) => x.rule === 'unknown-parameter');
    assert.match(f?.message ?? '', /did you mean PHYSPAGES/i);
  });
});

describe('file kind', () => {
  it('treats /etc/sysconfig/vz as a node config', () => {
    assert.equal(lint('LOCKDIR=/vz/lock\n', { path: '/etc/sysconfig/vz' }).kind, 'node');
  });
  it('detects vz.conf, CTID.conf, samples and 0.conf by name', () => {
    assert.equal(lint('', { path: '/etc/vz/vz.conf' }).kind, 'node');
    assert.equal(lint('', { path: '/etc/vz/conf/101.conf' }).kind, 'container');
    assert.equal(lint('', { path: '/etc/vz/conf/ve-vswap-256m.conf-sample' }).kind, 'container');
    assert.equal(lint('', { path: '/etc/vz/conf/0.conf' }).kind, 'ct0');
  });
  it('falls back to content', () => {
    assert.equal(lint('LOCKDIR=/vz/lock\nTEMPLATE=/vz/template\nVE_ROOT=/vz/root/$VEID\n', { path: '/tmp/x' }).kind, 'node');
    assert.equal(lint('PHYSPAGES="0:1G"\n', { path: '/tmp/x' }).kind, 'container');
  });
  it('can be forced', () => {
    assert.equal(lint('PHYSPAGES="0:1G"\n', { path: '/etc/vz/vz.conf', kind: 'container' }).kind, 'container');
  });
});

describe('target', () => {
  it('auto picks vz7 on VERSION="2" with a key classic never had, and classic newest otherwise, never an old version', () => {
    assert.equal(lint('VERSION="2"\nPHYSPAGES="1:1"\nPLATFORM="linux"\n', { path: CT }).target.generation, 'vz7');
    assert.equal(lint('VERSION="2"\nNETFILTER="full"\n', { path: CT }).target.generation, 'vz7', 'NETFILTER came to classic (4.7) after its last VERSION sample (3.0.28.3)');
    // VERSION="2" alone: the classic x86_64 / unlimited samples of 2.7.0–3.0.28.3 carry it too.
    const alone = lint('VERSION="2"\nPHYSPAGES="1:1"\n', { path: CT }).target;
    assert.deepEqual([alone.generation, alone.version], ['classic', '4.11.1']);
    assert.match(alone.reason, /also in the classic samples of 2\.7\.0 to 3\.0\.28\.3/);
    assert.equal(lint('VERSION="2"\nCLASSID="2"\nPLATFORM="linux"\n', { path: CT }).target.generation, 'classic', 'a classic-only key wins');
    const t = lint('IPTABLES="iptable_filter"\n', { path: CT }).target;
    assert.deepEqual([t.generation, t.version, t.explicit], ['classic', '4.11.1', false]);
  });
  it('a single VZ7-era key is not enough evidence', () => {
    assert.equal(lint('RATE="eth0:1:1000"\nPHYSPAGES="0:1G"\n', { path: CT }).target.generation, 'classic');
  });
  it('rejects a classic version after the last classic vzctl, and one older than the catalogue', () => {
    assert.throws(() => lint('', { target: 'classic@9' }), /newer than any classic vzctl/);
    assert.throws(() => lint('', { target: 'classic@2.6' }), /older than the oldest/);
  });
  it('accepts every classic release from 2.7.0 on (the oldest the versions corpus holds)', () => {
    for (const t of ['classic@2.7.0', 'classic@3.0.0', 'classic@3.0.9', 'classic@3.0.28.3']) assert.doesNotThrow(() => lint('ONBOOT="yes"\n', { target: t }), t);
  });
  it('maps a Virtuozzo vzctl version (vz7@vzctl-X) to the libvzctl released with it, by tag date', () => {
    const head = (t: string) => lint('VERSION="2"\n', { target: t, kind: 'container' }).target;
    assert.deepEqual([head('vz7@vzctl-7.0.254'), head('vz7@vzctl-9.0.1')].map((t) => `${t.generation}@${t.version}`), ['vz7@7.0.714', 'vz7@8.0.90']);
    assert.throws(() => lint('', { target: 'vz7@vzctl-6.0.1' }), /no Virtuozzo vzctl release 6\.0\.1 is known \(7\.0\.35 to 9\.0\.1\)/);
    assert.throws(() => lint('', { target: 'classic@vzctl-4.7' }), /classic target names the vzctl version itself/);
  });
  it('rejects a malformed target with the accepted forms', () => {
    assert.throws(() => lint('', { target: 'classic-4.6' }), /classic@<vzctl version>/);
  });

  it("accepts a classic release tag's form (vzctl-3.0.13-1, vzctl.open-2.7.0-23) as that vzctl version", () => {
    // docs/configuration.md: every release from 2.7.0 on; the corpus MANIFEST and the tags write 3.0.13-1.
    assert.equal(lint('', { target: 'classic@3.0.13-1' }).target.version, '3.0.13');
    assert.equal(lint('', { target: 'classic@2.7.0-23' }).target.version, '2.7.0');
    assert.throws(() => lint('', { target: 'vz7@8.0.70-1' }), /only a classic target takes a release tag/);
    assert.throws(() => lint('', { target: 'classic@5.0-1' }), /newer than any classic vzctl/);
  });
});

describe('shell-unsafe-value: what sh does with an unquoted blank', () => {
  const said = (text: string): string[] => lint(text, { path: CT }).findings.filter((f) => f.rule === 'shell-unsafe-value').map((f) => f.message);
  it('a word after the blank is run as a command; a parenthesis is a syntax error (dash: "(" unexpected), so nothing runs', () => {
    assert.deepEqual(said('HOSTNAME=a b\n'), ['HOSTNAME: a shell sourcing this file ends the value at the space and runs "b"']);
    assert.deepEqual(said('HOSTNAME=a\tb\n'), ['HOSTNAME: a shell sourcing this file ends the value at the tab and runs "b"'], 'a tab is named a tab');
    assert.deepEqual(said('SEARCHDOMAIN=a\t> /tmp/x\n'), ['SEARCHDOMAIN: a shell sourcing this file ends the value at the tab and reads ">" as an operator']);
    assert.deepEqual(said('DESCRIPTION=web server (prod)\n'), ['DESCRIPTION: a shell sourcing this file fails with a syntax error at the parenthesis']);
    const fix = lint('DESCRIPTION=web server (prod)\n', { path: CT }).findings.find((f) => f.rule === 'shell-unsafe-value')?.fixes?.[0];
    assert.equal(fix?.edits[0]?.newText, '"web server (prod)"');
    assert.equal(fix?.safe, true);
  });
  it('an unquoted ";" sets the key and runs the next command (an INI-style "; comment"); before nothing, it is harmless', () => {
    // sh: `NAMESERVER="1.1.1.1" ; comment` sets NAMESERVER for good and runs `comment` (not ";", and not with
    // NAMESERVER set only for it); classic vzctl reads "1.1.1.1" (up to the last quote).
    const [f, ...rest] = lint('NAMESERVER="1.1.1.1" ; comment\n', { path: CT }).findings.filter((x) => x.rule === 'shell-unsafe-value');
    assert.equal(rest.length, 0);
    assert.equal(f?.message, 'NAMESERVER: after the unquoted ";" a shell sourcing the file runs "comment"');
    assert.match(f?.detail ?? '', /sets NAMESERVER to "1\.1\.1\.1" and then runs "comment" as a command; vzctl reads "1\.1\.1\.1"/);
    assert.deepEqual([f?.range.start.character, f?.range.end.character], [21, 30]);
    assert.deepEqual(f?.fixes, [], 'a quoted value is not wrapped in quotes again');
    assert.deepEqual(said('DESCRIPTION=db;backup all\n'), ['DESCRIPTION: after the unquoted ";" a shell sourcing the file runs "backup"']);
    const quoteFix = lint('DESCRIPTION=db;backup\n', { path: CT }).findings.find((x) => x.rule === 'shell-unsafe-value')?.fixes?.[0];
    assert.equal(quoteFix?.edits[0]?.newText, '"db;backup"');
    // `;` then nothing or a comment runs nothing: no finding when vzctl reads the same value as sh ...
    assert.deepEqual(said('HOSTNAME="ct101.example.com";\nONBOOT="yes" ; # boot it\n'), []);
    // ... and the difference in the value when it does not (classic keeps the unquoted rest of the line).
    assert.deepEqual(said('NAME=web ;\n'), ['NAME: unquoted ";" ends the value for a shell, not for vzctl']);
    assert.deepEqual(said('HOSTNAME="a";;\n'), ['HOSTNAME: unquoted ";" breaks sourcing of the file by a shell'], '";;" is a syntax error');
  });
  it('a backslash ending the line after ";" joins the next line: the command is there, not "\\" (attack)', () => {
    // sh (dash and bash): `NAME=a;\` + `NEXT=1` runs `NEXT=1`; before a blank line nothing runs; only on the
    // file's last line does dash run a command named `\`.
    assert.deepEqual(said('HOSTNAME="a";\\\nONBOOT="yes"\n'), ['HOSTNAME: after the unquoted ";" a shell sourcing the file runs "ONBOOT=\\"yes\\""']);
    assert.deepEqual(said('HOSTNAME="a";\\\n\n'), []);
    assert.deepEqual(said('HOSTNAME="a";\\'), ['HOSTNAME: after the unquoted ";" a shell sourcing the file runs "\\\\"']);
  });
  it('a value that a final backslash continues is not wrapped in quotes: the quotes would go after the backslash (attack)', () => {
    // sh joins `HOSTNAME=\` and the next line into one word; quoting the first line's (empty) vzctl value
    // gave `HOSTNAME=\""`, an escaped quote and one that never closes: sourcing the file failed altogether.
    const text = 'HOSTNAME=\\\nHOSTNAME=a;\n';
    const found = lint(text, { path: CT }).findings.filter((f) => f.rule === 'shell-unsafe-value');
    assert.deepEqual(found.map((f) => [f.range.start.line, f.fixes]), [[1, []]]);
    assert.deepEqual(lint('DESCRIPTION=a b \\\nx\n', { path: CT }).findings.filter((f) => f.rule === 'shell-unsafe-value').map((f) => f.fixes), [[]]);
  });
  it('in a CRLF file a value with blanks before the line end is not quoted: sh would take the CR for a command and the assignment for its prefix (attack)', () => {
    // dash: `DISK_QUOTA=a; <CR>` sets DISK_QUOTA=a; `DISK_QUOTA="a;" <CR>` sets it only for a command named CR.
    const fixesOf = (text: string) => lint(text, { path: CT }).findings.filter((f) => f.rule === 'shell-unsafe-value').map((f) => f.fixes?.map((x) => x.safe));
    assert.deepEqual(fixesOf('DISK_QUOTA=a; \r\n'), [[]]);
    assert.deepEqual(fixesOf('HOSTNAME=a b \r\n'), [[]]);
    assert.deepEqual(fixesOf('DISK_QUOTA=a; \n'), [[true]], 'LF: the blank ends the line for sh too');
    assert.deepEqual(fixesOf('DISK_QUOTA=a;\r\n'), [[true]], 'no blank before the CR');
  });
  it('a blank before an operator is no command: the shell reads the operator', () => {
    assert.deepEqual(said('SEARCHDOMAIN=example.com > /tmp/out\n'), ['SEARCHDOMAIN: a shell sourcing this file ends the value at the space and reads ">" as an operator']);
    assert.deepEqual(said('DESCRIPTION=a && b\n'), ['DESCRIPTION: a shell sourcing this file ends the value at the space and reads "&&" as an operator']);
    const fix = lint('SEARCHDOMAIN=example.com > /tmp/out\n', { path: CT }).findings.find((x) => x.rule === 'shell-unsafe-value')?.fixes?.[0];
    assert.equal(fix?.edits[0]?.newText, '"example.com > /tmp/out"');
  });
});

describe('shell-unsafe-value: a "${" with no "}" on its line', () => {
  // Checked with dash (/bin/sh) and bash sourcing each file: "Missing '}'", "Bad substitution", or an
  // "Unterminated quoted string" for `"x${A"` (the `"` inside the expansion opens a quote of its own).
  const found = (text: string) => lint(text, { path: CT }).findings.filter((f) => f.rule === 'shell-unsafe-value');
  const MESSAGE = 'HOSTNAME: "${" has no "}" on its line; a shell sourcing the file fails or misreads what follows';
  it('unquoted, inside double quotes, after a closed expansion, without a name: reported from the "${" to the end of the line, no fix', () => {
    for (const [text, at] of [['HOSTNAME=${A\n', 9], ['HOSTNAME="x${A"\n', 11], ['HOSTNAME="${A:-}"x${B\n', 18], ['HOSTNAME=${\n', 9], ['HOSTNAME=${A:-x\nX=}\n', 9]] as const) {
      const f = found(text);
      assert.deepEqual(f.map((x) => [x.message, x.severity, x.fixes ?? []]), [[MESSAGE, 'warning', []]], text);
      const line = text.split('\n')[0] as string;
      assert.deepEqual(f[0]?.range, { start: { line: 0, character: at }, end: { line: 0, character: line.length } }, text);
    }
  });
  it('only the "${": no blank, ";" or quote after it is reported as well (sh reads them inside the expansion)', () => {
    assert.deepEqual(found('HOSTNAME=${A x\n').map((f) => f.message), [MESSAGE]);
    assert.deepEqual(found('HOSTNAME="x${A\n').map((f) => f.message), [MESSAGE]);
  });
  it('not when sh reads it literally or finds the "}": single quotes, a backslash, "}" later on the line, a backslash-newline', () => {
    for (const text of ["HOSTNAME='${A'\n", 'HOSTNAME=\\${A\n', 'HOSTNAME="\\${A"\n', 'HOSTNAME=${A}\n', 'HOSTNAME="${A:-a b}"\n', 'HOSTNAME=${A:-x\\\n}\n']) {
      assert.deepEqual(found(text).map((f) => f.message), [], text);
    }
  });
});

describe('invalid-value: a yes/no or mode in the wrong letter case', () => {
  it('offers to write it as vzctl spells it, for review only (vzctl would start reading the line), on its own line', () => {
    const text = 'ONBOOT="Yes"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nDISABLED="NO"\nNETFILTER="Full"\n';
    const found = lint(text, { path: CT }).findings.filter((f) => f.rule === 'invalid-value');
    assert.deepEqual(found.map((f) => [f.range.start.line, f.fixes?.map((x) => [x.title, x.safe, x.edits[0]?.newText, x.edits[0]?.range.start.character, x.edits[0]?.range.end.character])]), [
      [0, [['Write ONBOOT="yes"', false, 'yes', 8, 11]]],
      [3, [['Write DISABLED="no"', false, 'no', 10, 12]]],
      [4, [['Write NETFILTER="full"', false, 'full', 11, 15]]],
    ]);
    // Two lines with the same wrong value share a message, never the fix's range.
    const twice = lint('ONBOOT="Yes"\nONBOOT="Yes"\n', { path: CT }).findings.filter((f) => f.rule === 'invalid-value');
    assert.deepEqual(twice.map((f) => f.fixes?.[0]?.edits[0]?.range.start.line), [0, 1]);
    // A value that is no spelling of an allowed one gets no such fix.
    assert.deepEqual(lint('ONBOOT="true"\n', { path: CT }).findings.filter((f) => f.rule === 'invalid-value').map((f) => f.fixes ?? []), [[]]);
  });
});

describe('unknown-parameter: RAM and SWAP, the vzctl set options written as keys', () => {
  const unknown = (text: string, opts: LintOptions = {}) => lint(text, { path: CT, ...opts }).findings.filter((f) => f.rule === 'unknown-parameter');
  it('names the parameter the option writes (vzctl(8): --ram sets the PHYSPAGES limit), not an edit-distance guess', () => {
    const [ram, swap] = unknown('RAM="2G"\nSWAP=1G\n');
    assert.equal(ram?.message, 'Unknown parameter RAM (vzctl set --ram writes PHYSPAGES); vzctl ignores the line');
    assert.equal(swap?.message, 'Unknown parameter SWAP (vzctl set --swap writes SWAPPAGES); vzctl ignores the line');
    assert.match(ram?.detail ?? '', /writes PHYSPAGES="0:SIZE" .*a number without a suffix is in 4 KiB pages/);
    // The fix writes what `vzctl set --ram 2G --save` writes, for review (vzctl would start reading a limit).
    assert.deepEqual(ram?.fixes?.map((f) => [f.title, f.safe, f.edits[0]?.newText, f.edits[0]?.range.start.character, f.edits[0]?.range.end.character]),
      [['Write PHYSPAGES="0:2G" (what vzctl set --ram 2G writes)', false, 'PHYSPAGES="0:2G"', 0, 8]]);
    assert.equal(swap?.fixes?.[0]?.edits[0]?.newText, 'SWAPPAGES="0:1G"');
  });
  it('no fix for a bare number (bytes for the option, pages in the file) or when the parameter is already set', () => {
    assert.deepEqual(unknown('RAM="2147483648"\n')[0]?.fixes, []);
    assert.deepEqual(unknown('PHYSPAGES="0:1G"\nRAM="2G"\n')[0]?.fixes, []);
  });
  it('only where the source documents the option (classic vzctl(8)); Virtuozzo 7 keeps the plain message', () => {
    assert.equal(unknown('RAM="2G"\n', { target: 'vz7' })[0]?.message, 'Unknown parameter RAM; libvzctl ignores it');
  });
});

describe('unknown-parameter: a Virtuozzo 7-looking file linted as classic by auto', () => {
  // VE_LAYOUT and CLASSID are classic-only, three Virtuozzo 7 keys are not twice as many, so auto stays
  // classic (resolveTarget, VZ7_MAJORITY): the Virtuozzo 7 keys are one hint.
  const text = 'VE_LAYOUT="simfs"\nUUID="101"\nTECHNOLOGIES="x86_64 nptl"\nDISTRIBUTION="centos"\nONBOOT="yes"\nCLASSID="2"\n';
  const unknown = (t: string, opts: LintOptions) => lint(t, { path: CT, ...opts }).findings.filter((f) => f.rule === 'unknown-parameter');
  it('gives one finding naming how to check it as Virtuozzo 7, not one per line', () => {
    const r = lint(text, { path: CT });
    assert.equal(r.target.generation, 'classic');
    assert.match(r.target.reason, /on mixed evidence: UUID, TECHNOLOGIES, DISTRIBUTION are Virtuozzo 7 keys, but VE_LAYOUT, CLASSID are classic-only/);
    const found = unknown(text, {});
    assert.equal(found.length, 1);
    assert.equal(found[0]?.range.start.line, 1);
    assert.equal(found[0]?.message, '3 Virtuozzo 7 parameters, checked as classic (target vz7 for VZ7); vzctl ignores these lines');
    assert.match(found[0]?.detail ?? '', /UUID \(line 2\), TECHNOLOGIES \(line 3\), DISTRIBUTION \(line 4\)/);
    assert.match(found[0]?.detail ?? '', /--target vz7/);
    // Checked as vz7 they are known.
    assert.deepEqual(unknown(text, { target: 'vz7' }).map((f) => f.message), ['VE_LAYOUT is a classic vzctl parameter; libvzctl ignores it', 'CLASSID is a classic vzctl parameter; libvzctl ignores it']);
  });
  it('an explicit classic target keeps one finding per line; one such key alone keeps its own, with the hint in the detail', () => {
    assert.equal(unknown(text, { target: 'classic' }).length, 3);
    const one = unknown('UUID="101"\nONBOOT="yes"\n', {});
    assert.deepEqual(one.map((f) => f.message), ['UUID is a Virtuozzo 7 parameter; vzctl ignores the line']);
    assert.match(one[0]?.detail ?? '', /picked automatically .*--target vz7/);
  });
  it('the corpus file that showed it (wild 039, a heredoc template), checked as classic: one finding for its four keys', { skip: existsSync(resolve(__dirname, '../../../shared/corpus')) ? false : 'corpus not found (../shared/corpus)' }, () => {
    // Under auto it is Virtuozzo 7 now (four keys against one: test/unit/autoTarget.test.ts); a classic
    // target chosen by a node's vz.conf still gathers them.
    const t = readFileSync(resolve(__dirname, '../../../shared/corpus/wild/039-rbd-ceph-create-ct-heredoc.tmpl'), 'utf8').replace('VEFSTYPE="simfs"\n', 'VEFSTYPE="simfs"\nCLASSID="2"\nLOCAL_UID="0"\n');
    const found = unknown(t, { path: '/etc/vz/conf/039.conf.tmpl', template: true } as LintOptions);
    assert.deepEqual(found.map((f) => f.message), ['4 Virtuozzo 7 parameters, checked as classic (target vz7 for VZ7); vzctl ignores these lines']);
  });
});

describe('multiline-value: an open quote or a final backslash', () => {
  const multiline = (text: string, target: string) => lint(text, { path: CT, target }).findings.filter((f) => f.rule === 'multiline-value');
  it('a quoted value says quoted (classic skips its first line for the unmatched quote)', () => {
    const [f] = multiline('HOSTNAME="web\nserver"\n', 'classic@4.11.1');
    assert.equal(f?.message, 'HOSTNAME: one quoted value over 2 lines; vzctl warns and skips the line');
    assert.match(f?.detail ?? '', /skips the first line \("unmatched quotes"\)/);
  });
  it('an unquoted value continued by a backslash says so, and no quote is claimed', () => {
    const [f] = multiline('HOSTNAME=web\\\nserver\n', 'classic@4.11.1');
    assert.equal(f?.message, 'HOSTNAME: one value over 2 lines, joined by a backslash');
    assert.doesNotMatch(f?.detail ?? '', /quote included/);
    const [g] = multiline('HOSTNAME=web\\\nserver\n', 'vz7');
    assert.equal(g?.message, 'HOSTNAME: one value over 2 lines, joined by a backslash');
  });
});
