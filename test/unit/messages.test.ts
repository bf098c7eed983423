/**
 * Messages state only true things, briefly (issue 7 item 4, issue 10 item 1). Over the project's
 * fixtures (a snippet for every rule, examples/, the e2e workspace) and the shared corpus (every file
 * under its own release's target, when ../shared/corpus is there), every finding must have:
 * - a message of one sentence, at most 100 characters, no Markdown, quoted file text of at most 30;
 * - fix titles of at most 80 characters, no Markdown;
 * - for every tool it names (vzctl, libvzctl, vzcfgvalidate, the kernel) as doing something, a cited
 *   behaviour fact (schemas/behaviours.yaml) whose words the message uses, proven (not `unverified`)
 *   and valid for the file's target and UBC/vSwap mode. Naming a version ("vzctl 4.7") claims nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { behaviourFact, behaviourFacts, evidenceFor, factHolds, tagVersion } from '../../server/src/catalog/behaviours';
import { getCatalog } from '../../server/src/catalog/load';
import { modeOf } from '../../server/src/rules/say';
import { MAX_MESSAGE, MAX_QUOTE, MAX_TITLE } from '../../server/src/rules/text';
import type { Finding, LintContext } from '../../server/src/rules/types';
import { lint, OptionError, type LintOptions } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import { runCaptured } from '../helpers/vzlint';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const repoRoot = path.resolve(__dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

/** One finding with the context it was raised in (target, kind, mode). */
interface Raised {
  where: string;
  finding: Finding;
  ctx: LintContext;
}

/** Where a tool is named as doing something; a version after the name, or "… parameter", claims nothing. */
const TOOL = /\b(?:lib)?vzctl\b|\bvzcfgvalidate\b|\bthe kernel\b/g;
const NOT_A_CLAIM = /^(?:\s+\d|\s+(?:set|start)\b(?! fails)| parameter\b)/;

/** Every problem of one finding, as readable lines (empty when it is fine). */
function problemsOf(r: Raised): string[] {
  const { finding: f, ctx } = r;
  const out: string[] = [];
  const m = f.message;
  const at = `${r.where} ${f.rule}: ${JSON.stringify(m)}`;
  if ([...m].length > MAX_MESSAGE) out.push(`${at}: ${[...m].length} characters`);
  if (/[\r\n]/.test(m)) out.push(`${at}: more than one line`);
  if (/\.\s+[A-Z]/.test(m.replace(/"[^"]*"/g, '""'))) out.push(`${at}: more than one sentence`);
  if (m.includes('`')) out.push(`${at}: Markdown backticks`);
  for (const qm of m.matchAll(/"([^"]*)"/g)) {
    if ([...(qm[1] ?? '')].length > MAX_QUOTE) out.push(`${at}: quoted text of ${[...(qm[1] ?? '')].length} characters`);
  }
  for (const fix of f.fixes ?? []) {
    if ([...fix.title].length > MAX_TITLE) out.push(`${at}: fix title of ${[...fix.title].length} characters: ${fix.title}`);
    if (fix.title.includes('`')) out.push(`${at}: fix title with backticks: ${fix.title}`);
  }
  const mode = modeOf(ctx);
  const spans: [number, number][] = [];
  for (const id of f.facts ?? []) {
    const fact = behaviourFact(id);
    if (!fact) { out.push(`${at}: cites unknown fact ${id}`); continue; }
    if (fact.unverified) out.push(`${at}: states the unverified fact ${id}`);
    if (!factHolds(fact, ctx.target, mode)) out.push(`${at}: fact ${id} does not hold for ${ctx.target.generation}@${ctx.target.version}, mode ${mode ?? 'none'}`);
    const i = m.indexOf(fact.says);
    if (i < 0) out.push(`${at}: cites ${id} but does not say "${fact.says}"`);
    else spans.push([i, i + fact.says.length]);
  }
  for (const t of m.matchAll(TOOL)) {
    const i = t.index ?? 0;
    if (spans.some(([a, b]) => i >= a && i < b)) continue;
    if (NOT_A_CLAIM.test(m.slice(i + t[0].length))) continue;
    out.push(`${at}: names ${t[0]} at ${i} without a behaviour fact`);
  }
  return out;
}

/** Lints one file and keeps each finding with its context. */
function lintOne(where: string, text: string, opts: LintOptions): Raised[] {
  const r = lint(text, opts);
  return r.findings.map((finding) => ({ where, finding, ctx: r.ctx }));
}

/** Lints a node (vz.conf, containers, the samples of conf/) and keeps each finding with its context. */
function lintNodeFiles(where: string, files: { path: string; text: string }[], opts: LintOptions & { samples?: string[]; capacity?: { ramBytes?: bigint; swapBytes?: bigint } } = {}): Raised[] {
  const node = files.find((f) => /(^|\/)vz\.conf$/.test(f.path));
  const input = { ...(node ? { nodeConfig: node } : {}), containers: files.filter((f) => f !== node), ...(opts.samples ? { samples: opts.samples } : {}) };
  const { samples: _s, ...rest } = opts;
  const r = lintNode(input, rest);
  return r.files.flatMap((f) => f.findings.map((finding) => ({ where: `${where}:${f.path}`, finding, ctx: f.ctx })));
}

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';
const UBC_SET = [
  'KMEMSIZE="14372700:14790164"', 'LOCKEDPAGES="256:256"', 'PRIVVMPAGES="32768:36000"', 'SHMPAGES="21504:21504"',
  'NUMPROC="240:240"', 'PHYSPAGES="0:unlimited"', 'VMGUARPAGES="65536:unlimited"', 'OOMGUARPAGES="26112:unlimited"',
  'NUMTCPSOCK="360:360"', 'NUMFLOCK="188:206"', 'NUMPTY="16:16"', 'NUMSIGINFO="256:256"', 'TCPSNDBUF="1720320:2703360"',
  'TCPRCVBUF="1720320:2703360"', 'OTHERSOCKBUF="1126080:2097152"', 'DGRAMRCVBUF="262144:262144"', 'NUMOTHERSOCK="360:360"',
  'DCACHESIZE="3409920:3624960"', 'NUMFILE="9312:9312"', 'NUMIPTENT="128:128"',
].join('\n');
/** The UBC set with some pairs replaced (`KEY="…"` lines). */
const ubcWith = (...lines: string[]): string => {
  const keys = new Set(lines.map((l) => l.split('=')[0]));
  return `${UBC_SET.split('\n').filter((l) => !keys.has(l.split('=')[0])).concat(lines).join('\n')}\n`;
};

/**
 * A snippet for every per-file rule (written here, not copied): [where, text, options].
 * Each rule must fire on at least one of these or of the node fixtures below.
 */
const SNIPPETS: [string, string, LintOptions][] = [
  ['no equals', 'ONBOOT="yes"\nthis line has no equals\n', { path: CT }],
  ['no equals vz7', 'ONBOOT="yes"\nthis line has no equals\n', { path: CT, target: 'vz7' }],
  ['no equals 3.0', 'this line has no equals\n', { path: CT, target: 'classic@3.0.20' }],
  ['unmatched quote', 'HOSTNAME="ct101.example.com\n', { path: CT }],
  ['long key', `${'X'.repeat(600)}=1\n`, { path: CT }],
  ['long key vz7', `${'X'.repeat(5000)}=1\n`, { path: CT, target: 'vz7' }],
  ['spaces', 'ONBOOT = "yes"\nHOSTNAME= "a"\n', { path: CT }],
  ['inline comment', 'NAMESERVER=inherit # copy resolv.conf\n', { path: NODE }],
  ['single quotes', "ONBOOT='yes'\n", { path: CT }],
  ['multi-line', 'IPTABLES="ipt_REJECT\n  ipt_tos"\n', { path: NODE, target: 'classic@4.6' }],
  ['multi-line vz7', 'DESCRIPTION="a\n  b"\n', { path: CT, target: 'vz7' }],
  ['crlf', 'ONBOOT="yes"\r\nVE_PRIVATE="/vz/private/$VEID"\r\n', { path: CT }],
  ['crlf mixed node', 'LOCKDIR=/vz/lock\nVE_ROOT=/vz/root/$VEID\r\n', { path: NODE }],
  ['bom', '\uFEFFONBOOT="yes"\n', { path: CT }],
  ['bom comment', '\uFEFF# comment\nONBOOT="yes"\n', { path: CT }],
  ['utf-16', '\uFFFD\uFFFDO\0N\0B\0O\0O\0T\0=\0y\0e\0s\0\n\0', { path: CT }],
  ['shell', `DESCRIPTION=web server\nHOSTNAME="$(hostname)"\nNAME="a;b"\nVE_ROOT=x;y\nDESCRIPTION2="$HOST.example.com"\n`, { path: CT }],
  ['shell quote', "DESCRIPTION=don't\n", { path: CT }],
  ['expansion', 'HOSTNAME="$HOST.example.com"\n', { path: CT }],
  ['expansion vz7', 'HOSTNAME="$HOST.example.com"\n', { path: CT, target: 'vz7' }],
  ['unknown', `ONBOT="yes"\nNETFILTER="stateful"\nTECHNOLOGIES="x86_64"\n${'Q'.repeat(200)}="1"\n`, { path: CT, target: 'classic@4.6' }],
  ['unknown vz7', 'ONBOT="yes"\nNOATIME="yes"\nIPTABLES_MODULES="x"\n', { path: CT, target: 'vz7' }],
  ['duplicates', 'HOSTNAME="a"\nHOSTNAME="b"\nKMEMSIZE="1:2"\nKMEMSIZE="3:4"\nIP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2"\n', { path: CT }],
  ['duplicates vz7', 'HOSTNAME="a"\nHOSTNAME="b"\n', { path: CT, target: 'vz7' }],
  ['misplaced', 'NETFILTER="full"\nHOSTNAME="x"\n', { path: NODE }],
  ['misplaced ct', 'LOCKDIR=/vz/lock\n', { path: CT }],
  ['misplaced ct0', 'HOSTNAME="x"\n', { path: '/etc/vz/conf/0.conf' }],
  ['invalid', `ONBOOT="Yes"\nNETFILTER="${'n'.repeat(80)}"\nNUMPROC="240K:240K"\nIP_ADDRESS="10.0.0.1/255.255.255.0"\nCAPABILITY="chown:on sys_foo:off"\nCPUUNITS="7"\nDISKSPACE="unlimited"\nCPULIMIT="200MHz"\nKMEMSIZE="99999999999999999999:unlimited"\nNAME="a/b"\nDEVICES="b:7:all:rw"\nNETIF="bridge=vmbr0"\n`, { path: CT }],
  ['invalid vz7', `FEATURES="nfs:on fuse:on"\nCPULIMIT="{tmpl_var name='cpu_limit_of_this_container'}"\nONBOOT="maybe"\n`, { path: CT, target: 'vz7' }],
  ['list items', 'FEATURES="nfs:on fuse:on sysfs:on abcdefgh:on bad"\nIPTABLES="iptable_filter ipt_MASQUERADE ip6_whatever"\n', { path: CT, target: 'classic@4.6' }],
  ['truncated', 'KMEMSIZE="18446744073709551615:unlimited"\nLOCKEDPAGES="-1"\nIOLIMIT="10000G"\n', { path: CT }],
  ['truncated old', 'KMEMSIZE="18446744073709551615:unlimited"\n', { path: CT, target: 'classic@3.0.20' }],
  ['questionable', 'VE_LAYOUT="ploop:raw"\nNETIF="ifname=eth0,foo=bar"\n', { path: CT }],
  ['barrier above limit', ubcWith('KMEMSIZE="300331648:150331648"', 'DISK_QUOTA="yes"', 'DISKSPACE="2G:1G"'), { path: CT }],
  ['barrier above limit vswap', 'PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nDISK_QUOTA="yes"\nDISKSPACE="2G:1G"\nKMEMSIZE="2:1"\n', { path: CT }],
  ['status', 'IPTABLES="iptable_filter ipt_state"\nVETH="veth101.0,00:18:51:00:00:01,eth0,00:18:51:00:00:02"\nNOATIME="yes"\n', { path: CT }],
  ['status empty iptables', 'IPTABLES=""\n', { path: CT }],
  ['status netfilter', 'NETFILTER="stateless"\nIPTABLES="iptable_filter"\n', { path: CT }],
  ['status vz.conf', 'IPTABLES="ipt_REJECT ipt_tos"\nIP6TABLES="ip6_tables"\n', { path: NODE }],
  ['status vz7', 'CAPABILITY="chown:on"\nTCPSNDBUF="1M:2M"\nNETFILTER="full"\n', { path: CT, target: 'vz7@8.0.70' }],
  ['required', 'ONBOOT="yes"\n', { path: CT }],
  ['required partial', ubcWith('NUMSIGINFO=', 'NUMIPTENT=').replace(/^NUMSIGINFO=\nNUMIPTENT=\n/m, ''), { path: CT }],
  ['required vswap', 'PHYSPAGES="0:512M"\n', { path: CT }],
  ['required quota', `${UBC_SET}\nDISK_QUOTA="yes"\n`, { path: CT }],
  ['vzcfgvalidate', ubcWith('NUMTCPSOCK="9000:9900"', 'VMGUARPAGES="65536:70000"', 'OOMGUARPAGES="26112:2147483647"', 'PHYSPAGES="1:unlimited"', 'DCACHESIZE="3500000:3500000"', 'KMEMSIZE="8000000:9000000"', 'PRIVVMPAGES="32768:36000"', 'TCPSNDBUF="1720320:2000000"', 'OTHERSOCKBUF="61440:70000"', 'TCPRCVBUF="50000:60000"', 'DGRAMRCVBUF="40000:400000"', 'NUMFILE="100:100"', 'AVNUMPROC="180:180"'), { path: CT }],
  ['dcachesize', ubcWith('DCACHESIZE="3500000:3500000"'), { path: CT }],
  ['vswap', 'PHYSPAGES="1G:1G"\nSWAPPAGES="1G:2G"\nPRIVVMPAGES="1000:1000"\nMEMINFO="pages:1000"\n', { path: CT, capacity: { ramBytes: 512n * 1024n * 1024n, swapBytes: 1024n * 1024n * 1024n } }],
  ['pages in bytes', 'PRIVVMPAGES="1073741824:2137483648"\n', { path: CT }],
  ['ploop', 'VE_LAYOUT="ploop"\nDISKINODES="100:100"\nQUOTATIME="0"\nQUOTAUGIDLIMIT="100"\n', { path: CT }],
  ['simfs', 'VE_LAYOUT="simfs"\nMOUNT_OPTS="noatime"\nVE_PRIVATE="/mnt/nfs/vz/private/$VEID"\nDEVICES="c:10:200:rw"\nNETFILTER="full"\nCAPABILITY="sys_admin:on setpcap:on"\nFEATURES="nfsd:on bridge:on"\n', { path: CT }],
  ['simfs vz7', 'VEFSTYPE="simfs"\n', { path: NODE, target: 'vz7' }],
  ['lone cr', 'ONBOOT="yes"\rHOSTNAME="a"\n', { path: CT }],
  ['lone cr at end', 'ONBOOT="yes"\n\r', { path: CT, target: 'vz7' }],
  ['too large', `# ${'x'.repeat(4 * 1024 * 1024)}\n`, { path: CT }],
  ['too many', 'no equals here\n'.repeat(10_050), { path: CT }],
  ['suppressions', '# vzconf-disable-next-line unknwn-parameter\nONBOT=1\n# vzconf-disable-nextline unknown-parameter\n# vzconf-disable-next-line\nONBOT2=1\n', { path: CT }],
  ['unused suppressions', '# vzconf-disable-next-line unknown-parameter,barrier-above-limit\nONBOT=1\n# vzconf-disable-next-line invalid-value\nONBOOT="yes"\n# vzconf-disable single-quotes\nHOSTNAME="a"\n# vzconf-enable single-quotes\n# vzconf-disable inline-comment,invalid-value\n# vzconf-disable-next-line shell-expansion\n', { path: CT }],
];

/** Node fixtures for the cross-file rules. */
function nodeFixtures(): Raised[] {
  const out: Raised[] = [];
  const vz = { path: '/etc/vz/vz.conf', text: 'DISK_QUOTA=no\nIPTABLES="ipt_REJECT"\nCONFIGFILE="myplan"\nVE_PRIVATE=/vz/private/same\n' };
  const cts = [
    { path: '/etc/vz/conf/101.conf', text: 'IP_ADDRESS="10.0.0.1"\nNAME="web"\nHOSTNAME="a.example.com"\nNETIF="ifname=eth0,mac=00:18:51:0A:0B:0C,host_ifname=veth101.0"\nDISKSPACE="1G:1G"\nQUOTAUGIDLIMIT="100"\nIPTABLES="ipt_state"\nPHYSPAGES="0:2G"\nSWAPPAGES="0:2G"\n' },
    { path: '/etc/vz/conf/102.conf', text: 'IP_ADDRESS="10.0.0.1"\nNAME="web"\nHOSTNAME="A.example.com"\nNETIF="ifname=eth0,mac=00-18-51-0a-0b-0c"\nORIGIN_SAMPLE="vps.basic"\nPHYSPAGES="0:2G"\nSWAPPAGES="0:2G"\n' },
  ];
  out.push(...lintNodeFiles('node 4.6', [vz, ...cts], { target: 'classic@4.6', samples: ['basic'], capacity: { ramBytes: 1024n ** 3n, swapBytes: 0n } }));
  out.push(...lintNodeFiles('node no conf', [{ path: '/etc/vz/vz.conf', text: 'CONFIGFILE="vps.basic"\n' }], {}));
  out.push(...lintOne('vz.conf 4.7 LOCKDIR', 'LOCKDIR=/var/lock/vz\nCONFIGFILE="basic"\n', { path: '/etc/vz/vz.conf', target: 'classic@4.7' }));
  out.push(...lintOne('vz.conf 3.0.28 CONFIGFILE', 'CONFIGFILE="basic"\n', { path: '/etc/vz/vz.conf', target: 'classic@3.0.28' }));
  out.push(...lintNodeFiles('ploop node', [{ path: '/etc/vz/vz.conf', text: 'VE_LAYOUT=ploop\nCONFIGFILE="unlimited"\n' }, { path: '/etc/vz/conf/ve-unlimited.conf-sample', text: 'NUMPROC="unlimited"\n' }], { target: 'classic@4.6' }));
  return out;
}

/** Every config file under `dir` (other formats left out), absolute. */
function configFiles(dir: string): string[] {
  const skip = new Set(['dists', 'download.conf', 'osrelease.conf', 'oom-groups.conf', 'networks_classes', 'README.md', 'SOURCES.md', 'MANIFEST.json']);
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...configFiles(full));
    else if (e.isFile()) out.push(full);
  }
  return out.sort();
}

/** The project's own fixtures: snippets, node fixtures, examples/ and the e2e workspace. */
export function fixtureFindings(): Raised[] {
  const out: Raised[] = [];
  for (const [where, text, opts] of SNIPPETS) out.push(...lintOne(where, text, opts));
  out.push(...nodeFixtures());
  for (const dir of ['examples/etc/vz', 'test/e2e/fixtures/workspace/etc/vz']) {
    const abs = path.join(repoRoot, dir);
    if (!existsSync(abs)) continue;
    const files = configFiles(abs).map((f) => ({ path: f, text: readFileSync(f, 'utf8') }));
    out.push(...lintNodeFiles(dir, files));
  }
  return out;
}

/** Message lengths: median, 95th percentile, max. */
function stats(list: Raised[]): string {
  const l = list.map((r) => [...r.finding.message].length).sort((a, b) => a - b);
  const at = (p: number): number => l[Math.min(l.length - 1, Math.floor(p * l.length))] ?? 0;
  return `${l.length} findings, message length median ${at(0.5)}, p95 ${at(0.95)}, max ${l[l.length - 1] ?? 0}`;
}

describe('messages: behaviour facts', () => {
  it('every fact is proven with evidence or marked unverified with a reason; ids unique', () => {
    const facts = behaviourFacts();
    assert.ok(facts.length >= 20);
    assert.equal(new Set(facts.map((f) => f.id)).size, facts.length, 'duplicate fact ids');
    for (const f of facts) {
      assert.ok(f.unverified === true ? (f.reason ?? '').length > 0 && !f.evidence : (f.evidence ?? []).length > 0, f.id);
      // At least one tag of the generation's own repository (others may be cited for contrast).
      const own = f.generation === 'classic' ? ['kolyshkin/vzctl'] : ['OpenVZ/libvzctl', 'OpenVZ/vzctl'];
      if (!f.unverified) assert.ok((f.evidence ?? []).some((e) => own.includes(e.repo)), `${f.id}: no evidence from ${own.join(' or ')}`);
    }
  });

  it('no two proven facts of one behaviour hold for the same target and mode', () => {
    const cat = getCatalog();
    for (const generation of ['classic', 'vz7'] as const) {
      for (const version of cat.catalog.versions[generation]) {
        for (const mode of ['ubc', 'vswap', undefined] as const) {
          const seen = new Map<string, string>();
          for (const f of behaviourFacts()) {
            if (f.unverified || !factHolds(f, { generation, version }, mode)) continue;
            // Facts limited to parameters (the handler of those keys) overlap only on a shared parameter.
            for (const p of f.parameters ?? ['']) {
              const key = `${f.behaviour}\0${p}`;
              const other = seen.get(key) ?? (p === '' ? undefined : seen.get(`${f.behaviour}\0`));
              assert.equal(other, undefined, `${f.id} and ${other} both hold for ${generation}@${version} ${mode ?? ''}`);
              seen.set(key, f.id);
            }
          }
        }
      }
    }
  });

  it('version and mode are honoured: vSwap DISKSPACE soft above hard is not "vzcfgvalidate reports"', () => {
    const r = lint('PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nDISK_QUOTA="yes"\nDISKSPACE="2G:1G"\n', { path: CT });
    const f = r.findings.find((x) => x.rule === 'barrier-above-limit');
    assert.ok(f);
    assert.doesNotMatch(f.message, /vzcfgvalidate/);
    const ubc = lint(ubcWith('DISK_QUOTA="yes"', 'DISKSPACE="2G:1G"'), { path: CT }).findings.find((x) => x.rule === 'barrier-above-limit');
    assert.match(ubc?.message ?? '', /; vzcfgvalidate reports an error$/);
    assert.deepEqual(ubc?.facts, ['classic.vzcfgvalidate-error.ubc']);
    const old = lint('this line has no equals\n', { path: CT, target: 'classic@3.0.20' }).findings.find((x) => x.rule === 'missing-equals');
    assert.equal(old?.message, 'Line without "=" (expected KEY="value"); vzctl skips the line');
    const vz7 = lint('ONBOOT="maybe"\n', { path: CT, target: 'vz7' }).findings.find((x) => x.rule === 'invalid-value');
    assert.match(vz7?.message ?? '', /; libvzctl rejects it with an error$/);
  });
});

describe('messages: short, one sentence, true for the target and mode', () => {
  it('over the fixtures, covering every rule', () => {
    const raised = fixtureFindings();
    const problems = raised.flatMap(problemsOf);
    assert.deepEqual(problems, []);
    const fired = new Set(raised.map((r) => r.finding.rule));
    const missing = getCatalog().catalog.rules.map((r) => r.id).filter((id) => !fired.has(id));
    assert.deepEqual(missing, [], 'rules without a fixture here');
    assert.ok(raised.some((r) => (r.finding.facts ?? []).length > 0));
    console.log(`fixtures: ${stats([...new Map(raised.map((r) => [`${r.finding.rule}|${r.finding.message}`, r])).values()])} (distinct messages)`);
  });

  it('a parameter newer than the target says which version is the target', () => {
    const said = (text: string, target: string): string[] => lint(text, { path: '/etc/vz/vz.conf', target }).findings.filter((f) => f.rule === 'unknown-parameter').map((f) => f.message);
    // Was "VERBOSE needs vzctl 3.0.14 (vzctl 3.0.10); …": the bare version read like a second requirement.
    assert.deepEqual(said('VERBOSE=0\n', 'classic@3.0.10'), ['VERBOSE needs vzctl 3.0.14 (the target is vzctl 3.0.10); vzctl ignores the line']);
    assert.deepEqual(said('VERBOSE=0\n', 'classic@3.0.14'), []);
  });

  it('a number an old vzctl cannot read says what is wrong with it in the short message', () => {
    const said = (text: string, target: string): string[] => lint(text, { path: '/etc/vz/conf/101.conf', target }).findings.filter((f) => f.rule === 'invalid-value').map((f) => f.message);
    // Was 'KMEMSIZE: "1200742.4"; vzctl warns and skips the line' (the reason only in the detail).
    assert.deepEqual(said('KMEMSIZE="1200742.4"\n', 'classic@2.7.0'), ['KMEMSIZE: "1200742.4" has a fraction; vzctl warns and skips the line']);
    assert.deepEqual(said('DISKSPACE="1G"\n', 'classic@3.0.0'), ['DISKSPACE: "1G" has a size suffix; vzctl warns and skips the line']);
    assert.deepEqual(said('KMEMSIZE="1200742.4"\n', 'classic@4.11.1'), []);
  });

  it('over the corpus: every shipped file under its own release, and the upstream and wild files', { skip: existsSync(corpus) ? false : `corpus not found at ${corpus} (../shared/corpus): corpus messages not checked` }, () => {
    const raised: Raised[] = [];
    for (const f of [...configFiles(path.join(corpus, 'upstream')), ...configFiles(path.join(corpus, 'wild'))]) {
      raised.push(...lintOne(path.relative(corpus, f), readFileSync(f, 'utf8'), { path: f }));
    }
    const manifestPath = path.join(corpus, 'versions', 'MANIFEST.json');
    let skippedTargets = 0;
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path: string; lint_target: string }[];
      for (const m of manifest) {
        const file = path.join(corpus, 'versions', m.path);
        try {
          raised.push(...lintOne(`versions/${m.path}`, readFileSync(file, 'utf8'), { path: file, target: m.lint_target }));
        } catch (err) {
          if (!(err instanceof OptionError)) throw err;
          skippedTargets += 1; // a target vzconf does not know yet: the versions corpus test reports it
        }
      }
    }
    assert.ok(raised.length > 1000, `only ${raised.length} findings`);
    const problems = raised.flatMap(problemsOf);
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems`);
    console.log(`corpus: ${stats(raised)}${skippedTargets > 0 ? ` (${skippedTargets} files of unknown targets left out)` : ''}`);
  });
});

describe('messages: the explanation cites the source read at the target version', () => {
  const source = (text: string, target: string, rule: string) => (lint(text, { path: '/etc/vz/conf/101.conf', target }).findings.find((f) => f.rule === rule)?.detail ?? '').match(/Source: (.*)\.$/)?.[1];
  it('ubc-required: vzctl-3.0.10 src/lib/ub.c on classic@3.0.10 and 3.1, vzctl-4.11.1 on 4.11.1 (not the newest tag everywhere)', () => {
    assert.equal(source('NUMPROC="100:100"\n', 'classic@3.0.10', 'ubc-required'), 'kolyshkin/vzctl vzctl-3.0.10 src/lib/ub.c');
    assert.equal(source('NUMPROC="100:100"\n', 'classic@3.1', 'ubc-required'), 'kolyshkin/vzctl vzctl-3.0.10 src/lib/ub.c');
    assert.equal(source('NUMPROC="100:100"\n', 'classic@4.11.1', 'ubc-required'), 'kolyshkin/vzctl vzctl-4.11.1 src/lib/ub.c');
  });
  it('evidenceFor: newest tag at or before the target inside the fact range; outside the range only as a last resort', () => {
    const fact = behaviourFact('classic.create-fails-ploop-no-diskspace');
    assert.ok(fact);
    assert.equal(evidenceFor(fact, { generation: 'classic', version: '4.6' })?.tag, 'vzctl-3.1', 'vzctl-3.0.30.2 is the "before" evidence, never cited');
    assert.equal(evidenceFor(fact, { generation: 'classic', version: '4.11.1' })?.tag, 'vzctl-4.11.1');
    assert.equal(tagVersion('vzctl.open-2.7.0-23'), '2.7.0');
    assert.equal(tagVersion('v7.0.737'), '7.0.737');
  });
});

describe('messages: the long explanation is kept', () => {
  const text = 'KMEMSIZE="300331648:150331648"\n';
  it('the LSP diagnostic keeps the short message; the detail stays in the finding (not shipped on every keystroke)', () => {
    const f = lint(text, { path: CT }).findings.find((x) => x.rule === 'barrier-above-limit');
    assert.ok(f?.detail);
    assert.match(f.detail, /300331648 \(286\.42 MiB\)/);
    const d = toDiagnostic(f);
    assert.equal(d.message, f.message);
    assert.ok(d.message.length <= MAX_MESSAGE);
    assert.ok(!('data' in d), 'no data: fixes and detail are looked up on request');
    assert.doesNotMatch(JSON.stringify(d), /286\.42 MiB/);
  });

  it('vzlint --explain prints the detail under the finding; without it, only the message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-explain-'));
    writeFileSync(path.join(dir, '101.conf'), text);
    const plain = await runCaptured(['--no-color', '101.conf'], dir);
    const explained = await runCaptured(['--no-color', '--explain', '101.conf'], dir);
    assert.doesNotMatch(plain.out, /286\.42 MiB/);
    const lines = explained.out.split('\n');
    const at = lines.findIndex((l) => /barrier-above-limit/.test(l));
    assert.ok(at >= 0, explained.out);
    assert.match(lines.slice(at + 1, at + 4).join(' '), /KMEMSIZE: the barrier 300331648 \(286\.42 MiB\) is above/);
    assert.ok(lines.every((l) => l.length <= 140), 'wrapped');
  });
});
