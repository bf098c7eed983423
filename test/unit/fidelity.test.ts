/**
 * Issue 7's "inputs that fail today": each is one instance of a kind of wrong fact (a version fact
 * written from the newest vzctl and applied to all, a value form the reader accepts, a scope), checked
 * here on fixtures written for this project, with the value vzctl or libvzctl really gives at that
 * version (the sources at the tag named in each test).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';
import { getCatalog } from '../../server/src/catalog/load';
import { behaviourFacts } from '../../server/src/catalog/behaviours';
import { applyEdits } from '../helpers/edits';
import type { Finding } from '../../server/src/rules/types';

/** Findings as "line rule severity" (0-based line), optionally only of some rules. */
function found(text: string, target: string, kind = 'container', rules?: string[]): string[] {
  return lint(text, { target, kind })
    .findings.filter((f) => !rules || rules.includes(f.rule))
    .map((f) => `${f.range.start.line} ${f.rule} ${f.severity}`);
}
const vswap = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\n';

describe('number values read as vzctl reads them (classic parse_ul_sfx, libvzctl parse_ul_sfx)', () => {
  it('an empty value is 0:0 and does not drop the line: PHYSPAGES="0:1G" + SWAPPAGES="" starts', () => {
    for (const t of ['classic@4.11.1', 'classic@3.0.30', 'vz7@7.0.737']) {
      assert.deepEqual(found('PHYSPAGES="0:1G"\nSWAPPAGES=""\n', t, 'container', ['invalid-value', 'ubc-required', 'questionable-value']), ['1 questionable-value warning'], t);
    }
  });
  it('NUMPROC="240:" is 240:0 (barrier above the limit), not an invalid value', () => {
    assert.deepEqual(found(`${vswap}NUMPROC="240:"\n`, 'classic@4.11.1', 'container', ['invalid-value', 'barrier-above-limit']), ['2 barrier-above-limit warning']);
  });
  it('barrier above limit: a warning (the kernel accepts it), an error only where vzcfgvalidate reports one', () => {
    // vSwap mode and Virtuozzo 7: nothing refuses the pair (OpenVZ kernel kernel/bc/sys.c checks only UB_MAXVALUE).
    assert.deepEqual(found(`${vswap}KMEMSIZE="2G:1G"\n`, 'classic@4.11.1', 'container', ['barrier-above-limit']), ['2 barrier-above-limit warning']);
    assert.deepEqual(found('KMEMSIZE="2G:1G"\n', 'vz7@7.0.737', 'container', ['barrier-above-limit']), ['0 barrier-above-limit warning']);
    // UBC mode: vzcfgvalidate's "barrier should be <= limit" (src/validate.c) is an Error.
    assert.deepEqual(found('KMEMSIZE="2G:1G"\n', 'classic@4.11.1', 'container', ['barrier-above-limit']), ['0 barrier-above-limit error']);
    const [f] = lint(`${vswap}KMEMSIZE="2G:1G"\n`, { kind: 'container', target: 'classic@4.11.1' }).findings.filter((x) => x.rule === 'barrier-above-limit');
    assert.match(f?.detail ?? '', /OpenVZ kernel accepts it/);
    assert.doesNotMatch(`${f?.message ?? ''} ${f?.detail ?? ''}`, /refuse|not proven/);
  });
  it('leading blanks and a + sign are read (strtoull)', () => {
    assert.deepEqual(found('PHYSPAGES=" 0:1G"\nSWAPPAGES="+0:2G"\n', 'classic@4.11.1', 'container', ['invalid-value']), []);
    assert.deepEqual(found('PHYSPAGES=" 0:1G"\nSWAPPAGES="+0:2G"\n', 'vz7', 'container', ['invalid-value']), []);
    assert.deepEqual(found(`${vswap}NUMPROC="  +"\n`, 'classic@4.11.1', 'container', ['invalid-value']), ['2 invalid-value error'], 'a sign with no digits is refused');
    assert.deepEqual(found(`${vswap}NUMPROC=" unlimited"\n`, 'classic@4.11.1', 'container', ['invalid-value']), ['2 invalid-value error'], '"unlimited" only as the first characters');
  });
  it('"unlimited" in UBC values since vzctl 3.0.19; fractions since 3.0.28', () => {
    assert.deepEqual(found(`${vswap}NUMPROC="unlimited"\n`, 'classic@3.0.18', 'container', ['invalid-value']), ['2 invalid-value error']);
    assert.deepEqual(found(`${vswap}NUMPROC="unlimited"\n`, 'classic@3.0.19', 'container', ['invalid-value']), []);
    assert.deepEqual(found(`${vswap}KMEMSIZE="1.5M"\n`, 'classic@3.0.27', 'container', ['invalid-value']), ['2 invalid-value error']);
    assert.deepEqual(found(`${vswap}KMEMSIZE="1.5M"\n`, 'classic@3.0.28', 'container', ['invalid-value']), []);
  });
  it('the keys classic reads with parse_ul() take "unlimited" from 3.0.19 (schemas/parameters.yaml `unlimited`), the others never', () => {
    const iv = (text: string, target: string) => found(text, target, 'container', ['invalid-value']);
    for (const k of ['QUOTAUGIDLIMIT', 'QUOTATIME', 'CPUS', 'CPUUWEIGHT']) {
      assert.deepEqual(iv(`${k}="unlimited"\n`, 'classic@4.11.1'), [], `${k}: conf_parse_ulong() at vzctl-4.11.1`);
    }
    // CPUS and the misspelt CPUUWEIGHT were wrong before: parse_ul() reads them (PARAM_VCPUS, PARAM_CPUWEIGHT).
    assert.deepEqual(iv('CPUS="unlimited"\n', 'classic@3.0.19'), []);
    assert.deepEqual(iv('QUOTAUGIDLIMIT="unlimited"\n', 'classic@3.0.18'), ['0 invalid-value error'], 'parse_ul() of 3.0.18 has no "unlimited"');
    assert.deepEqual(iv('CPUUNITS="unlimited"\n', 'classic@4.11.1'), ['0 invalid-value error'], 'read as LONG_MAX, then outside 8..500000');
    assert.deepEqual(iv('IOPRIO="unlimited"\n', 'classic@4.11.1'), ['0 invalid-value error'], 'IOPRIO is not read with parse_ul()');
    const defs = getCatalog().catalog.parameters.filter((d) => d.classic?.unlimited).map((d) => d.name).sort();
    assert.deepEqual(defs, ['BOOTORDER', 'CPUS', 'CPUUNITS', 'CPUUWEIGHT', 'LOCAL_GID', 'LOCAL_UID', 'QUOTATIME', 'QUOTAUGIDLIMIT']);
  });
  it('DISKSPACE/DISKINODES "unlimited": accepted 3.0.19–4.3, refused from 4.4 (commit "Deny unlimited value for DISKSPACE/DISKINODES")', () => {
    const t = 'DISKSPACE="unlimited"\nDISKINODES="unlimited"\n';
    assert.deepEqual(found(t, 'classic@4.3', 'container', ['invalid-value']), []);
    assert.deepEqual(found(t, 'classic@3.0.19', 'container', ['invalid-value']), []);
    assert.deepEqual(found(t, 'classic@4.4', 'container', ['invalid-value']), ['0 invalid-value error', '1 invalid-value error']);
    assert.deepEqual(found(t, 'classic@3.0.18', 'container', ['invalid-value']), ['0 invalid-value error', '1 invalid-value error']);
    assert.deepEqual(found(t, 'vz7', 'container', ['invalid-value']), []);
  });
  it('classic QUOTAUGIDLIMIT/QUOTATIME "unlimited" (parse_ul since 3.0.19), blanks and empty read as numbers', () => {
    const t = 'QUOTAUGIDLIMIT="unlimited"\nQUOTATIME="unlimited"\n';
    assert.deepEqual(found(t, 'classic@4.11.1', 'container', ['invalid-value']), []);
    assert.deepEqual(found(t, 'classic@3.0.18', 'container', ['invalid-value']), ['0 invalid-value error', '1 invalid-value error']);
    assert.deepEqual(found('QUOTAUGIDLIMIT=" +100"\nQUOTATIME=""\n', 'classic@4.11.1', 'container', ['invalid-value']), []);
  });
});

describe('version and vocabulary facts checked at the tags', () => {
  it('NETIF fields by version: bridge= and mac_filter= from classic 3.0.23 (src/lib/config.c), not in libvzctl lib/veth.c', () => {
    const netif = 'NETIF="ifname=eth0,bridge=vmbr0,mac_filter=on"\n';
    const unknown = (target: string) => lint(netif, { target, kind: 'container' }).findings
      .filter((f) => f.rule === 'invalid-value' || f.rule === 'questionable-value').map((f) => /unknown NETIF field "(\w+)"/.exec(f.message)?.[1] ?? f.message);
    assert.deepEqual(unknown('classic@3.0.23'), []);
    assert.deepEqual(unknown('classic@4.11.1'), []);
    // vzctl 3.0.22 parse_netif_str() knows ifname, host_ifname, mac and host_mac only.
    assert.deepEqual(unknown('classic@3.0.22'), ['bridge', 'mac_filter']);
    // libvzctl has no bridge= (the virtual network is network=); mac_filter= it reads from v7.0.42.
    assert.deepEqual(unknown('vz7@7.0.42'), ['bridge']);
  });
  it('NETIF fields by version: libvzctl reads type= from v7.0.265, vport= from v7.0.573, ifaceid= from v7.0.700', () => {
    const unknownFields = (value: string, target: string) => lint(`NETIF="ifname=eth0,${value}"\n`, { target, kind: 'container' }).findings
      .filter((f) => /unknown NETIF field/.test(f.message)).length;
    assert.equal(unknownFields('type=routed', 'vz7@7.0.264'), 1);
    assert.equal(unknownFields('type=routed', 'vz7@7.0.265'), 0);
    assert.equal(unknownFields('vport=ovs', 'vz7@7.0.572'), 1);
    assert.equal(unknownFields('vport=ovs', 'vz7@7.0.573'), 0);
    assert.equal(unknownFields('ifaceid=x1', 'vz7@7.0.699'), 1);
    assert.equal(unknownFields('ifaceid=x1', 'vz7@8.0.90'), 0);
    // Classic vzctl never reads the Virtuozzo 7 fields.
    assert.equal(unknownFields('gw=192.0.2.1', 'classic@4.11.1'), 1);
  });
  it('vz7 FEATURES="sysfs:on": libvzctl lib/vzfeatures.c lists sysfs at v7.0.42 and v7.0.737', () => {
    assert.deepEqual(found('FEATURES="sysfs:on"\n', 'vz7', 'container', ['invalid-value', 'unknown-list-item']), []);
  });
  it('vSwap-only configs are accepted from vzctl 3.0.30 (check_ub tests is_vswap_config first), not before', () => {
    assert.deepEqual(found(vswap, 'classic@3.0.30', 'container', ['ubc-required']), []);
    assert.deepEqual(found(vswap, 'classic@3.0.29', 'container', ['ubc-required']), ['0 ubc-required error']);
  });
  it('PHYSPAGES limit 2147483647 without SWAPPAGES: vSwap on 3.0.30.1 (SWAPPAGES then required), unlimited from 3.0.30.2', () => {
    const all = 'KMEMSIZE="1:1"\nLOCKEDPAGES="1:1"\nPRIVVMPAGES="1:1"\nSHMPAGES="1:1"\nNUMPROC="1:1"\nPHYSPAGES="0:2147483647"\nVMGUARPAGES="1:unlimited"\nOOMGUARPAGES="1:unlimited"\nNUMTCPSOCK="1:1"\nNUMFLOCK="1:1"\nNUMPTY="1:1"\nNUMSIGINFO="1:1"\nTCPSNDBUF="1:1"\nTCPRCVBUF="1:1"\nOTHERSOCKBUF="1:1"\nDGRAMRCVBUF="1:1"\nNUMOTHERSOCK="1:1"\nDCACHESIZE="1:1"\nNUMFILE="1:1"\nNUMIPTENT="1:1"\n';
    assert.deepEqual(found(all, 'classic@3.0.30.1', 'container', ['ubc-required']).map((f) => f.split(' ').slice(1).join(' ')), ['ubc-required error']);
    assert.deepEqual(found(all, 'classic@3.0.30.2', 'container', ['ubc-required']), []);
  });
  it('NEIGHBOUR_DEVS="" means all to the network scripts (vps-functions vz_get_neighbour_devs)', () => {
    assert.deepEqual(found('NEIGHBOUR_DEVS=""\n', 'classic', 'node', ['invalid-value']), []);
  });
  it('vz7 CPULIMIT="200%": libvzctl parse_cpulimit takes % as percent of one CPU', () => {
    assert.deepEqual(found('CPULIMIT="200%"\n', 'vz7', 'container', ['invalid-value']), []);
    assert.deepEqual(found('CPULIMIT="1000MHZ"\n', 'vz7', 'container', ['invalid-value']), []);
    assert.deepEqual(found('CPULIMIT="200%"\n', 'classic', 'container', ['invalid-value']), ['0 invalid-value error']);
  });
  it('vz7 IP_ADDRESS with commas: libvzctl splits on LIST_DELIMITERS (blank, tab, comma)', () => {
    assert.deepEqual(found('IP_ADDRESS="192.0.2.10,192.0.2.11"\n', 'vz7', 'container', ['invalid-value']), []);
    assert.deepEqual(found('IP_ADDRESS="192.0.2.10,192.0.2.11"\n', 'classic', 'container', ['invalid-value']), ['0 invalid-value error']);
  });
  it('CONFIG_CUSTOMIZED is a container key (ctid.conf(5) at vzctl-3.0.28)', () => {
    assert.deepEqual(found('CONFIG_CUSTOMIZED="yes"\n', 'classic@3.0.28', 'container', ['misplaced-parameter']), []);
  });
  it('IP6TABLES in vz.conf of 4.11.1: the init script still loads it, so no "obsolete" finding', () => {
    assert.deepEqual(found('IP6TABLES="ip6_tables"\n', 'classic@4.11.1', 'node').filter((f) => !f.includes(' info')), []);
  });
  it('VE_STOP_MODE on 4.1.1: the 4.1.1 init scripts already read it', () => {
    assert.deepEqual(found('VE_STOP_MODE="suspend"\n', 'classic@4.1.1', 'node', ['unknown-parameter']), []);
    assert.deepEqual(found('VE_STOP_MODE="suspend"\n', 'classic@4.1', 'node', ['unknown-parameter']).length, 1);
  });
  it('2147483647 in an i386 sample (name *.x86, or a sample before 3.0.14) is at most info', () => {
    const ubcs = 'KMEMSIZE="1:1"\nLOCKEDPAGES="1:1"\nPRIVVMPAGES="1:1"\nSHMPAGES="1:1"\nNUMPROC="1:1"\nPHYSPAGES="0:2147483647"\nVMGUARPAGES="1:2147483647"\nOOMGUARPAGES="1:2147483647"\nNUMTCPSOCK="1:1"\nNUMFLOCK="1:1"\nNUMPTY="1:1"\nNUMSIGINFO="1:1"\nTCPSNDBUF="1:1"\nTCPRCVBUF="1:1"\nOTHERSOCKBUF="1:1"\nDGRAMRCVBUF="1:1"\nNUMOTHERSOCK="1:1"\nDCACHESIZE="1:1"\nNUMFILE="1:1"\nNUMIPTENT="1:1"\n';
    const sev = (t: string, path?: string) => lint(ubcs, { target: t, kind: 'container', ...(path ? { path } : {}) }).findings.filter((f) => f.rule === 'ubc-32bit-unlimited').map((f) => f.severity);
    assert.deepEqual(sev('classic@3.0.13'), ['info', 'info', 'info']);
    assert.deepEqual(sev('classic@4.0', '/etc/vz/conf/ve-light.conf-sample.x86'), ['info', 'info', 'info']);
    assert.deepEqual(sev('classic@4.0', '/etc/vz/conf/101.conf'), ['warning', 'warning', 'warning']);
  });
  it('LONG_MAX is advised and written as the target reads it: "unlimited" from 3.0.19, digits before, no fix before 3.0.9', () => {
    // vzctl src/lib/config.c: parse_ul_sfx() reads "unlimited" from vzctl-3.0.19; 3.0.0-8 to 3.0.18 read
    // digits and clamp above LONG_MAX; vzctl.open-2.7.0-23 reads strtoul() with no clamp (i386 refuses
    // 9223372036854775807). One finding per target, its message and the text its fix writes.
    const ubcs = 'KMEMSIZE="1:1"\nLOCKEDPAGES="1:1"\nPRIVVMPAGES="1:1"\nSHMPAGES="1:1"\nNUMPROC="1:1"\nPHYSPAGES="0:2147483647"\nVMGUARPAGES="6144:2147483647"\nOOMGUARPAGES="1:1"\nNUMTCPSOCK="1:1"\nNUMFLOCK="1:1"\nNUMPTY="1:1"\nNUMSIGINFO="1:1"\nTCPSNDBUF="1:1"\nTCPRCVBUF="1:1"\nOTHERSOCKBUF="1:1"\nDGRAMRCVBUF="1:1"\nNUMOTHERSOCK="1:1"\nDCACHESIZE="1:1"\nNUMFILE="1:1"\nNUMIPTENT="1:1"\n';
    const at = (target: string, rule: string, name: string) => {
      const r = lint(ubcs, { target, kind: 'container', path: '/vz/ve-vps.basic.conf-sample' });
      const f = r.findings.find((x) => x.rule === rule && r.doc.entries.find((e) => e.line === x.range.start.line)?.name === name);
      assert.ok(f, `${target}: no ${rule} on ${name}`);
      return { message: f.message, fixes: (f.fixes ?? []).map((x) => x.edits.map((e) => e.newText).join('')) };
    };
    assert.deepEqual(at('classic@4.11.1', 'ubc-32bit-unlimited', 'VMGUARPAGES'),
      { message: 'VMGUARPAGES: limit 2147483647 is the 32-bit "unlimited"; write "unlimited"', fixes: ['"6144:unlimited"'] });
    assert.deepEqual(at('classic@3.0.19', 'ubc-32bit-unlimited', 'VMGUARPAGES').fixes, ['"6144:unlimited"']);
    assert.deepEqual(at('classic@3.0.18', 'ubc-32bit-unlimited', 'VMGUARPAGES'),
      { message: 'VMGUARPAGES: limit 2147483647 is the 32-bit "unlimited"; write 9223372036854775807', fixes: ['"6144:9223372036854775807"'] });
    assert.deepEqual(at('classic@3.0.10', 'ubc-32bit-unlimited', 'VMGUARPAGES'),
      { message: 'VMGUARPAGES: 2147483647 is "unlimited" only on i386; write 9223372036854775807', fixes: ['"6144:9223372036854775807"'] });
    assert.deepEqual(at('classic@2.7.0', 'ubc-32bit-unlimited', 'VMGUARPAGES'),
      { message: 'VMGUARPAGES: 2147483647 is "unlimited" only on i386; on x86_64 write 9223372036854775807', fixes: [] });
    // vzcfgvalidate's own "limit should be unlimited" (OOMGUARPAGES="1:1") writes the same spelling.
    assert.deepEqual(at('classic@3.0.19', 'ubc-guarantee-limit', 'OOMGUARPAGES').fixes, ['"1:unlimited"']);
    assert.deepEqual(at('classic@3.0.10', 'ubc-guarantee-limit', 'OOMGUARPAGES').fixes, ['"1:9223372036854775807"']);
    assert.deepEqual(at('classic@2.7.0', 'ubc-guarantee-limit', 'OOMGUARPAGES').fixes, []);
    // The written value is clean at its target: nothing for ubc-32bit-unlimited or invalid-value.
    const fixed = ubcs.replace('VMGUARPAGES="6144:2147483647"', 'VMGUARPAGES="6144:9223372036854775807"');
    assert.deepEqual(found(fixed, 'classic@3.0.10', 'container', ['invalid-value', 'value-truncated', 'ubc-32bit-unlimited', 'ubc-guarantee-limit']).filter((x) => x.startsWith('6 ')), []);
  });
});

describe('facts of the scripts and of later versions', () => {
  it('NAMESERVER="inherit # Copy …" in vz.conf of 4.4+: only the first word is used (vps_configure.c), so info only', () => {
    const t = 'NAMESERVER=inherit # Copy from host system\'s /etc/resolv.conf\n';
    assert.deepEqual(found(t, 'classic@4.4', 'node', ['inline-comment']), ['0 inline-comment info']);
    assert.deepEqual(found('HOSTNAME=a # b\n', 'classic@4.4', 'container', ['inline-comment']), ['0 inline-comment warning']);
  });
  it('NAMESERVER="inherit" before vzctl 4.4 / libvzctl 7.0.431 is written into resolv.conf as a server', () => {
    assert.deepEqual(found('NAMESERVER="inherit"\n', 'classic@4.3', 'container', ['questionable-value']), ['0 questionable-value warning']);
    assert.deepEqual(found('NAMESERVER="inherit"\n', 'classic@4.4', 'container', ['questionable-value']), []);
    assert.deepEqual(found('NAMESERVER="inherit"\n', 'vz7@7.0.430', 'container', ['questionable-value']), ['0 questionable-value warning']);
    assert.deepEqual(found('NAMESERVER="inherit"\n', 'vz7@7.0.431', 'container', ['questionable-value']), []);
  });
  it('a key the target release\'s own samples carry is info + Unnecessary (VERSION in classic 2005–2011 samples, QUOTATIME in VZ7 ones; ARCH never warns)', () => {
    const f = (text: string, target: string) => lint(text, { target, kind: 'container' }).findings.filter((x) => x.rule === 'unknown-parameter' || x.rule === 'ignored-parameter').map((x) => `${x.rule} ${x.severity} ${x.unnecessary === true}`);
    assert.ok(!f('VERSION="2"\n', 'classic@3.0.14').some((x) => x.includes('warning')), 'VERSION in a 3.0.14 sample: no warning');
    assert.ok(!f('ARCH="x86_64"\n', 'vz7@7.0.737').some((x) => x.includes('warning')), 'ARCH: no warning (a catalogue key now, like VERSION)');
    assert.deepEqual(f('QUOTATIME="0"\n', 'vz7@7.0.737'), ['ignored-parameter info true']);
  });
  it('NETFILTER left the libvzctl config table in 8.0.70 (env_config.c at v8.0.69 has it, v8.0.70 not): on a stock-sample key that is info + Unnecessary', () => {
    const r = (text: string, target: string) => lint(text, { path: '/etc/vz/conf/ve-basic.conf-sample', target }).findings.filter((x) => x.rule === 'removed-parameter');
    const at70 = r('NETFILTER="stateless"\n', 'vz7@8.0.70');
    assert.deepEqual(at70.map((x) => [x.severity, x.unnecessary, x.message]), [['info', true, 'NETFILTER was removed in libvzctl 8.0.70; libvzctl ignores it']]);
    assert.deepEqual(r('NETFILTER="stateless"\n', 'vz7@vzctl-9.0.1').map((x) => x.severity), ['info'], 'vzctl 9.0.1 still ships NETFILTER in its samples');
    assert.deepEqual(r('NETFILTER="stateless"\n', 'vz7@8.0.69'), [], 'still parsed at 8.0.69');
    // IPTABLES is in no Virtuozzo sample: its removal stays a warning.
    assert.deepEqual(r('IPTABLES="iptable_filter"\n', 'vz7@8.0.70').map((x) => x.severity), ['warning']);
  });
  it('KMEMSIZE: libvzctl reads it from a config only from 7.0.496, and in 7.0.456 to 7.0.458 and the 442.9/442.12, 470.2–470.9, 487.2 tags (env_config.c)', () => {
    const r = (target: string) => lint('PHYSPAGES="0:1G"\nKMEMSIZE="100000:200000"\n', { path: '/etc/vz/conf/101.conf', target }).findings.filter((x) => x.rule === 'ignored-parameter');
    assert.deepEqual(r('vz7@7.0.46').map((x) => [x.severity, x.message]), [['warning', 'KMEMSIZE has no effect in libvzctl 7.0.46']], 'not yet a key of the shipped samples (7.0.48)');
    for (const v of ['7.0.300', '7.0.442.10', '7.0.459', '7.0.480', '7.0.495']) assert.deepEqual(r(`vz7@${v}`).map((x) => x.severity), ['info'], `${v}: ignored, a stock sample key`);
    for (const v of ['7.0.442.9', '7.0.442.12', '7.0.456', '7.0.458', '7.0.470.2', '7.0.470.9', '7.0.487.2', '7.0.496', '7.0.737', '8.0.90']) assert.deepEqual(r(`vz7@${v}`), [], `${v}: read`);
  });
});

describe('IP_ADDRESS with one bad address (classic parse_ip() adds the addresses before it)', () => {
  const text = 'IP_ADDRESS="10.0.0.5 10.0.0.300 10.0.0.6"\n';
  it('says which addresses vzctl keeps and which are lost, at 4.11.1 and 3.0.10 (src/lib/config.c parse_ip())', () => {
    for (const target of ['classic@4.11.1', 'classic@3.0.10']) {
      const f = lint(text, { target, kind: 'container' }).findings.find((x) => x.rule === 'invalid-value');
      assert.equal(f?.message, 'IP_ADDRESS: "10.0.0.300" is not a valid IPv4 address; vzctl keeps only the addresses before it', target);
      assert.match(f?.detail ?? '', /vzctl adds 10\.0\.0\.5; 10\.0\.0\.300, 10\.0\.0\.6 are lost/, target);
      assert.deepEqual(f?.facts, ['classic.value-invalid.ip-list'], target);
    }
    // Bad from the first address on: nothing is added, the whole-line fact holds.
    assert.match(lint('IP_ADDRESS="10.0.0.300 10.0.0.6"\n', { target: 'classic@4.11.1', kind: 'container' }).findings.find((x) => x.rule === 'invalid-value')?.message ?? '', /vzctl warns and skips the line$/);
    // Another key keeps the whole-line fact; Virtuozzo 7 its own.
    assert.match(lint('ONBOOT="maybe"\n', { target: 'classic@4.11.1', kind: 'container' }).findings.find((x) => x.rule === 'invalid-value')?.message ?? '', /vzctl warns and skips the line$/);
    assert.doesNotMatch(lint(text, { target: 'vz7@7.0.737', kind: 'container' }).findings.find((x) => x.rule === 'invalid-value')?.message ?? '', /keeps only/);
  });
  it('the union merge keeps what vzctl added from the rejected line (to review)', () => {
    const two = `IP_ADDRESS="10.0.0.1"\n${text}`;
    const f = lint(two, { target: 'classic@4.11.1', kind: 'container' }).findings.find((x) => x.rule === 'duplicate-parameter');
    const fix = f?.fixes?.[0];
    assert.ok(fix);
    assert.equal(fix.title, 'Merge the 2 IP_ADDRESS lines into line 1 (of line 2 only what vzctl adds)');
    assert.equal(fix.safe, false);
    assert.equal(applyEdits(two, fix.edits), 'IP_ADDRESS="10.0.0.1 10.0.0.5"\n');
  });
});

describe('duplicate-parameter cites the handler that makes the last line win', () => {
  it('NETFILTER: parse_netfilter() in src/lib/iptables.c (not ub.c); UBCs: add_ub_param() in src/lib/ub.c; MEMINFO: src/lib/config.c', () => {
    const src = (text: string, name: string) => {
      const f = lint(text, { target: 'classic@4.11.1', kind: 'container' }).findings.find((x) => x.rule === 'duplicate-parameter');
      assert.ok(f, name);
      assert.match(f.message, /vzctl uses the last$/, name);
      return /Source: (.*)\.$/.exec(f.detail ?? '')?.[1];
    };
    assert.equal(src('NETFILTER="full"\nNETFILTER="stateless"\n', 'NETFILTER'), 'kolyshkin/vzctl vzctl-4.11.1 src/lib/iptables.c');
    assert.equal(src('KMEMSIZE="1:1"\nKMEMSIZE="2:2"\n', 'KMEMSIZE'), 'kolyshkin/vzctl vzctl-4.11.1 src/lib/ub.c');
    assert.equal(src('MEMINFO="none"\nMEMINFO="pages:1"\n', 'MEMINFO'), 'kolyshkin/vzctl vzctl-4.11.1 src/lib/config.c');
  });
  it('every parameter whose classic duplicates policy is "last" has a proven fact for it', () => {
    const cat = getCatalog();
    const missing = cat.catalog.parameters.filter((d) => d.duplicates === 'last' && d.classic !== undefined)
      .filter((d) => !behaviourFacts().some((f) => f.behaviour === 'duplicate-last' && f.generation === 'classic' && (f.parameters?.includes(d.name) ?? true)))
      .map((d) => d.name);
    assert.deepEqual(missing, []);
  });
});

describe('IPTABLES next to NETFILTER (vzctl get_ipt_mask(): a valid NETFILTER wins, IPTABLES is ignored)', () => {
  const dep = (text: string): Finding | undefined => lint(text, { kind: 'container', target: 'classic@4.11.1' }).findings.find((f) => f.rule === 'deprecated-parameter');
  it('says IPTABLES is ignored and names the NETFILTER line', () => {
    const f = dep('NETFILTER="stateful"\nIPTABLES="iptable_filter ipt_state"\n');
    assert.equal(f?.message, 'IPTABLES: NETFILTER on line 1 sets the access; vzctl ignores it');
    assert.equal(f?.fixes?.[0]?.safe, true, 'stateful grants every listed module: fix-all may remove the line');
  });
  it('removing a list that asks for more than NETFILTER grants is offered, not applied by fix-all', () => {
    const f = dep('NETFILTER="stateless"\nIPTABLES="iptable_filter iptable_nat"\n');
    assert.match(f?.message ?? '', /vzctl ignores it$/);
    assert.deepEqual(f?.fixes?.map((x) => [x.title, x.safe]), [['Remove IPTABLES (ignored: NETFILTER on line 1 sets the access)', false]]);
  });
  it('a NETFILTER line with an invalid value is skipped: IPTABLES applies and is only deprecated', () => {
    const f = dep('NETFILTER="Stateful"\nIPTABLES="iptable_filter"\n');
    assert.match(f?.message ?? '', /^IPTABLES in a container config is deprecated since vzctl 4\.7; use NETFILTER/);
    assert.ok(!f?.fixes?.some((x) => /^Remove IPTABLES/.test(x.title)), JSON.stringify(f?.fixes));
  });
});
