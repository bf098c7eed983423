/**
 * The facts of a file (server/src/rules/facts.ts) that `lint()` calls a rule on: a rule with `needs` must
 * report nothing for a file that has none of the facts it needs, and `lint()` must give the same findings as
 * calling every rule. Checked on the corpus, on files that trip each rule, and on random files of such lines
 * (fast-check, fixed seed), over targets, kinds of file, node configs, line endings and templates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copyFinding } from '../../server/src/rules/finding';
import { fileFacts, SHELL_WORD, SUPPRESSION_COMMENT } from '../../server/src/rules/facts';
import { RULES } from '../../server/src/rules/index';
import type { Finding, LintContext, Rule } from '../../server/src/rules/types';
import { analyze, lint, type LintOptions } from '../../server/src/service/lint';
import { shellWords } from '../../server/src/service/shellSafety';
import { suppressionTracker } from '../../server/src/service/suppressions';
import { CORPUS, filesUnder, NEEDS_CORPUS } from '../helpers/corpus';

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';
const NODE_TEXT = 'VIRTUOZZO=yes\nLOCKDIR=/vz/lock\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\nDISK_QUOTA=no\nVE_LAYOUT=ploop\nIPTABLES="ipt_REJECT"\n';
/** A vz.conf that sets what containers usually set (UBCs, a vSwap pair, the layout), for the facts that must look at the file's own lines only. */
const NODE_UBC_TEXT = 'DISK_QUOTA=yes\nVE_LAYOUT=simfs\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nNUMPROC="100:200"\nKMEMSIZE="1000:1000"\nMEMINFO="pages:100"\nNETFILTER="full"\nQUOTAUGIDLIMIT="100"\n';

/**
 * A non-vSwap UBC set (vzcfgvalidate's whole check set, PHYSPAGES unlimited) whose values trip every check of
 * the resources family: barrier below limit, guarantees not unlimited, the 32-bit "unlimited", small buffers
 * and gaps, too few files and too little kernel memory and dentry cache.
 */
const NON_VSWAP_UBCS = [
  'NUMPROC="100:200"', 'NUMTCPSOCK="100:100"', 'NUMOTHERSOCK="100:100"', 'NUMPTY="16:16"', 'VMGUARPAGES="1000:2000"',
  'OOMGUARPAGES="1000:2147483647"', 'KMEMSIZE="100000:200000"', 'TCPSNDBUF="100000:100000"', 'TCPRCVBUF="1000:1000"',
  'OTHERSOCKBUF="100000:100000"', 'DGRAMRCVBUF="1000:1000"', 'PRIVVMPAGES="500:600"', 'NUMFILE="100:100"',
  'DCACHESIZE="1000:1000"', 'PHYSPAGES="10:unlimited"',
].join('\n');

/** Lines that trip the core rules one by one (and some that trip nothing), for the files below. */
const LINES = [
  '', '# a comment', 'ONBOOT="yes"', 'ONBOOT=yes', 'HOSTNAME="ct.example.com"', 'HOSTNAME web1', '--netfilter full',
  'HOSTNAME="unterminated', `${'K'.repeat(600)}=1`, 'ONBOOT = "yes"', 'ONBOOT= yes', 'ONBOOT=yes # note', 'ONBOOT="yes" # note',
  'NAMESERVER=inherit # keep', "ONBOOT='yes'", "FEATURES='nfs:on'", 'DESCRIPTION="two\nlines"', 'DESCRIPTION=a\\', 'b',
  'HOSTNAME=$(hostname)', 'VE_ROOT=/vz/root/$VEID', 'VE_ROOT=/vz/$HOME', 'IPTABLES_MODULES="$IPTABLES"', 'HOSTNAME=a;reboot',
  'HOSTNAME=a b', 'HOSTNAME=a > b', 'HOSTNAME="${x"', 'UNKNOWN_KEY=1', 'HOSTNAM=x', 'RAM=2G', 'VERSION=2', 'VEID=101',
  'NETFILTER="full"', 'NETFILTER="ful"', 'LOCKDIR=/vz/lock', 'VE0CPUUNITS=1000', 'IPTABLES="ipt_REJECT ipt_tos"', 'IP6TABLES="ip6_tables"',
  'NOATIME="yes"', 'VETH=""', 'CAPABILITY="CHOWN:on"', 'KMEMSIZE="100:50"', 'KMEMSIZE="50:100"', 'PHYSPAGES="0:1G"',
  'DISKSPACE="10G:5G"', 'DISKINODES="200:100"', 'CPUUNITS="abc"', 'ONBOOT="Yes"', 'FEATURES="nfs:on bogus:on"',
  'CPUUNITS="99999999999999999999999"', 'NUMPROC="-1"', 'NETIF="ifname=eth0,foo=bar"', 'IP_ADDRESS="10.0.0.1 10.0.0.300 10.0.0.2"',
  'IOPRIO="9"', 'VE_LAYOUT="ploop:raw"', 'CPULIMIT="100m"', 'SWAPPAGES="0:512M"', 'DISK_QUOTA="no"',
  '# vzconf-disable-next-line unknown-parameter', '# vzconf-disable duplicate-parameter', '# vzconf-enable duplicate-parameter',
  '# vzconf-disable bogus-rule -- why', '# vzconf-disablex foo', '# vzconf-disable-next-line', 'X=1\rY=2', 'HOSTNAME={{ name }}',
  'IP_ADDRESS={{ ips }}', '{% if x %}', '{% endif %}', 'ORIGIN_SAMPLE="vswap-256m"', 'QUOTAUGIDLIMIT="100"',
  NON_VSWAP_UBCS, 'PHYSPAGES="1G"', 'SWAPPAGES="256M:512M"', 'PRIVVMPAGES="1000:1000"', 'SWAPPAGES="0:4294967297"',
  'MEMINFO="pages:1000"', 'MOUNT_OPTS="nosuid"', 'VE_LAYOUT="simfs"', 'VE_PRIVATE="/mnt/nfs/$VEID"', 'VE_ROOT="/vz/root"',
  'VEFSTYPE="simfs"', 'DEVICES="c:10:200:rw"', 'CAPABILITY="SYS_ADMIN:on"', 'FEATURES="ppp:on"', 'LOCKDIR=/var/lock/vz',
  'DISK_QUOTA="no"', 'NETFILTER="full"',
];

/** Files that trip the rules the random lines above trip seldom or never (a NUL, a byte-order mark). */
const SPECIAL: [string, LintOptions][] = [
  ['\uFFFD\uFFFDO\0N\0B\0O\0O\0T\0=\0y\0e\0s\0\n\0', { path: CT }],
  ['\0O\0N\0B\0O\0O\0T\0=\0y\0e\0s\0\n', { path: CT }],
  ['\uFEFFONBOOT="yes"\n', { path: CT }],
  ['\uFEFF# MEMORY = 1G\n', { path: CT }],
  ['\uFEFF#MEMORY = 1G\n', { path: CT }],
  ['ONBOOT="yes"\r\nHOSTNAME="a"\r\n', { path: CT }],
  ['ONBOOT="yes"\r\nHOSTNAME="a"\n', { path: NODE }],
  ['ONBOOT="yes"\rHOSTNAME="a"\r', { path: CT }],
  ['HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"\n', { path: CT }],
  ['IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2"\n', { path: CT }],
  ['IOPRIO="3"\nIOPRIO="9"\n', { path: CT }],
  ['ONBOOT="yes"\nHOSTNAME="a"\n', { path: '/etc/vz/conf/0.conf' }],
  ['KMEMSIZE="100:50"\n', { path: '/etc/vz/conf/0.conf' }],
  ['NETFILTER="full"\nVEID="101"\nHOSTNAME="a"\n', { path: NODE }],
  ['HOSTNAME={{ name }}\nIP_ADDRESS={{ ips }}\nDESCRIPTION={{ d }}\n', { path: '/etc/vz/conf/101.conf.j2' }],
  ['VE_LAYOUT="ploop"\nPHYSPAGES="0:1G"\nQUOTAUGIDLIMIT="100"\n', { path: CT, nodeConfig: { path: NODE, text: NODE_TEXT } }],
  [`${NON_VSWAP_UBCS}\n`, { path: CT, target: 'classic@4.7' }],
  [`${NON_VSWAP_UBCS}\n`, { path: CT, target: 'classic@4.7', nodeConfig: { path: NODE, text: NODE_UBC_TEXT } }],
  ['PHYSPAGES="1G"\nSWAPPAGES="256M:512M"\nPRIVVMPAGES="1000:1000"\nMEMINFO="pages:1000"\n', { path: CT, target: 'classic@4.7' }],
  ['PHYSPAGES="0:1G"\nSWAPPAGES="0:4294967297"\n', { path: CT, target: 'classic@4.7', capacity: { ramBytes: 1n << 29n, swapBytes: 1n << 29n } }],
  ['PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n', { path: CT, target: 'classic@4.7', nodeConfig: { path: NODE, text: NODE_UBC_TEXT } }],
  ['VE_LAYOUT="simfs"\nMOUNT_OPTS="nosuid"\nVE_PRIVATE="/mnt/nfs/$VEID"\nDEVICES="c:10:200:rw"\nCAPABILITY="SYS_ADMIN:on"\nFEATURES="ppp:on"\nNETFILTER="full"\n', { path: CT, target: 'classic@4.11' }],
  ['VEFSTYPE="simfs"\nVE_ROOT="/vz/root"\n', { path: NODE, target: 'vz7' }],
  ['LOCKDIR=/var/lock/vz\nVE_PRIVATE="/vz/private"\n', { path: NODE, target: 'classic@4.7' }],
  ['IPTABLES="ipt_REJECT ipt_tos"\n', { path: CT, target: 'classic@4.3', nodeConfig: { path: NODE, text: NODE_TEXT } }],
];

/** The findings of `check` as plain objects (fixes read), for deep comparison. */
function plain(fs: readonly Finding[]): unknown[] {
  return fs.map((f) => JSON.parse(JSON.stringify(copyFinding(f, {}))) as unknown);
}

/** Rules with `needs` that reported something, over all the inputs checked (so that no check is vacuous). */
const fired = new Set<string>();

/**
 * Asserts, for the file `text` linted with `options`: every rule with `needs` whose facts the file lacks
 * reports nothing; the shell words and the suppression tracker `lint()` skips are empty; and `lint()` gives
 * the findings it gives when every rule is called.
 */
function check(text: string, options: LintOptions): void {
  const ctx: LintContext = analyze(text, options);
  const facts = fileFacts(ctx);
  for (const rule of RULES) {
    if (rule.needs === undefined) continue;
    const out = rule.check(ctx);
    if (out.length > 0) fired.add(rule.id);
    if ((facts & rule.needs) === 0) assert.deepEqual(plain(out), [], `${rule.id} reported on a file without its facts: ${JSON.stringify(text.slice(0, 200))} ${JSON.stringify(options, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  if ((facts & SHELL_WORD) === 0) assert.deepEqual(shellWords(ctx), []);
  if ((facts & SUPPRESSION_COMMENT) === 0) assert.equal(suppressionTracker(ctx), undefined);
  assert.deepEqual(plain(lint(text, options).findings), plain(everyRule(() => lint(text, options).findings)), JSON.stringify(text.slice(0, 200)));
}

/** Runs `run` with every rule of `RULES` called whatever the file's facts (the rules without their `needs`). */
function everyRule<T>(run: () => T): T {
  const rules = RULES as Rule[];
  const saved = rules.slice();
  for (let i = 0; i < rules.length; i += 1) {
    const r = saved[i] as Rule;
    rules[i] = { id: r.id, check: (ctx: LintContext) => r.check(ctx) };
  }
  try {
    return run();
  } finally {
    for (let i = 0; i < saved.length; i += 1) rules[i] = saved[i] as Rule;
  }
}

describe('rule facts: a rule is called only for a file with one of the facts it needs', () => {
  it('files that trip each rule, and random files of such lines (fast-check, fixed seed)', () => {
    for (const [text, options] of SPECIAL) check(text, options);
    const file = fc.tuple(fc.array(fc.constantFrom(...LINES), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean())
      .map(([lines, eol, bom, final]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}${final ? eol : ''}`);
    const options = fc.record<LintOptions>({
      path: fc.constantFrom(CT, NODE, '/etc/vz/conf/0.conf', '/etc/vz/conf/101.conf.j2', '/etc/vz/conf/ve-vswap-256m.conf-sample'),
      target: fc.constantFrom('auto', 'vz7', 'classic@4.3', 'classic@3.0.10', 'classic@4.7', 'classic@4.11', 'vz7@7.0.200'),
      nodeConfig: fc.constantFrom(undefined, { path: NODE, text: NODE_TEXT }, { path: NODE, text: NODE_UBC_TEXT }),
      capacity: fc.constantFrom(undefined, { ramBytes: 1n << 29n, swapBytes: 1n << 29n }),
      ignoreSuppressions: fc.boolean(),
    }, { requiredKeys: ['path', 'target'] });
    fc.assert(fc.property(file, options, (text, opts) => check(text, opts)), { numRuns: Number(process.env.FC_RUNS ?? 400), ...(process.env.FC_SEED ? {} : { seed: 20261202 }) });
    // Every rule with facts reported on some file: the checks above were not vacuous.
    const gated = RULES.filter((r) => r.needs !== undefined).map((r) => r.id);
    assert.deepEqual(gated.filter((id) => !fired.has(id)), []);
  });

  it('the corpus, as container configs and as vz.conf, on its own target and on Virtuozzo 7', { skip: NEEDS_CORPUS }, () => {
    for (const file of filesUnder(CORPUS, /\.(md|json)$/, 1_000_000)) {
      const text = readFileSync(file, 'utf8');
      check(text, { path: file });
      check(text, { path: file, target: 'vz7' });
      check(text, { path: CT, nodeConfig: { path: NODE, text: NODE_TEXT } });
      check(text, { path: CT, target: 'classic@4.7', nodeConfig: { path: NODE, text: NODE_UBC_TEXT }, capacity: { ramBytes: 1n << 29n, swapBytes: 1n << 29n } });
    }
  });
});
