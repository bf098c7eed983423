/**
 * Value checks no stricter than vzctl's own readers: each case is what the handler at the named tag does
 * with the value (classic kolyshkin/vzctl src/lib/config.c, libvzctl lib/env_config.c, lib/dev.c,
 * lib/meminfo.c); the `sscanf()` results were checked against glibc 2.36's sscanf with the same formats.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';
import { asCInt, asCULong, scan } from '../../server/src/values/scanf';
import { pciAccepted } from '../../server/src/values/validate';

/** Findings of some rules as "line rule severity" (0-based line). */
function found(text: string, target: string, rules: string[], kind = 'container'): string[] {
  return lint(text, { target, kind }).findings.filter((f) => rules.includes(f.rule)).map((f) => `${f.range.start.line} ${f.rule} ${f.severity}`);
}
const VALUE_RULES = ['invalid-value', 'questionable-value', 'unknown-list-item', 'value-truncated'];

describe('scan(): the sscanf() subset vzctl uses, as glibc reads it', () => {
  it('counts the fields PCI formats fill', () => {
    const count = (s: string, f: string) => scan(s, f).length;
    assert.equal(count('0000:00:01.0', '%x:%x:%x.%d'), 4);
    assert.equal(count('00:01.0', '%x:%x:%x.%d'), 2, 'the second ":" does not match "."');
    assert.equal(count('00:01.0', '%x:%x.%d'), 3);
    assert.equal(count('1:2:3', '%x:%x.%d'), 2);
    assert.equal(count('1:1.', '%x:%x.%d'), 2, 'no digits after the dot');
    assert.equal(count(':1.1', '%x:%x.%d'), 0);
    assert.equal(count('\t0x1:+2.-3', '%x:%x.%d'), 3, 'blanks, 0x and signs');
    assert.equal(count('1\t:1.1', '%x:%x.%d'), 1, 'no blank before a literal');
  });
  it('%c, %Ns, %N[^:] and %lu as DEVICES and MEMINFO use them', () => {
    assert.deepEqual(scan('c:1:3:rwqrwq', '%c:%d:%15[^:]:%5s').map((f) => (f.kind === 'text' ? f.value : f.value.toString())), ['c', '1', '3', 'rwqrw']);
    assert.equal(scan('c:1:0123456789abcdef:r', '%c:%d:%15[^:]:%5s').length, 3, '16 characters do not fit %15[^:]');
    assert.equal(scan('none:', '%31[^:]:%lu').length, 1);
    assert.equal(scan('pages: 7x', '%31[^:]:%lu').length, 2);
  });
  it('numbers of any length: leading zeros read exactly, one too long for any C type clamps as glibc does', () => {
    const num = (s: string, f: string): bigint | undefined => { const x = scan(s, f)[0]; return x?.kind === 'number' ? x.value : undefined; };
    assert.equal(num(`${'0'.repeat(100_000)}12`, '%lu'), 12n);
    assert.equal(num(`0x${'0'.repeat(1000)}ff`, '%x'), 255n);
    assert.equal(num('0x', '%x'), 0n, 'a bare 0x is the 0 glibc already read');
    assert.equal(num('-0x10', '%x'), -16n);
    assert.equal(asCULong(num('18446744073709551615', '%lu') as bigint), 18446744073709551615n);
    assert.equal(asCULong(num('9'.repeat(4_000_000), '%lu') as bigint), 18446744073709551615n, 'ULONG_MAX');
    assert.equal(asCInt(num(`-${'9'.repeat(4_000_000)}`, '%d') as bigint), 0, '(int)LONG_MIN');
    assert.equal(scan(`c:${'9'.repeat(4_000_000)}:1:rw`, '%c:%d:%15[^:]:%5s').length, 4);
    // 40 significant digits are still exact; 41 are read as 10^40 (beyond the 64-bit range either way).
    assert.equal(num(`1${'0'.repeat(39)}`, '%lu'), 10n ** 39n);
    assert.ok((num(`1${'0'.repeat(40)}`, '%lu') as bigint) > 18446744073709551615n);
  });
});

describe('PCI: what sscanf("%x:%x:%x.%d") or ("%x:%x.%d") reads (parse_pci @ vzctl-3.0.25..4.11.1, parse_pcidev_str @ v7.0.42..v8.0.90)', () => {
  it('accepts what glibc reads and refuses the rest', () => {
    for (const ok of ['00:01.0', '0000:00:1f.7', '0x0:0x1.0', '00:01.0junk', '1:2.3:4', '+1:-2.+3', '00:\t01.\t2', '0x:01.0', '1:1.0x5', '1:2:3.4x', '0000:00:01.0:7', '00:01.0.5']) {
      assert.equal(pciAccepted(ok), true, ok);
    }
    for (const no of ['00:01', '1:2:3', '1:2:3.', '00:01.x', 'g:1.1', ':1.1', '1:.1', '1:1.', '1:1.-', '1:2:3:4.5', '1 :1.1', '-:1.1', '0xg:1.1', '+-1:1.1']) {
      assert.equal(pciAccepted(no), false, no);
    }
  });
  it('no error for a value vzctl and libvzctl accept; an error for one they refuse', () => {
    for (const t of ['classic@4.11.1', 'classic@3.0.25', 'vz7@7.0.737', 'vz7@7.0.42']) {
      assert.deepEqual(found('PCI="00:01.0junk 0x1:0x2.3"\n', t, VALUE_RULES), [], t);
      assert.deepEqual(found('PCI="0000:00:01.0 00:02"\n', t, VALUE_RULES), ['0 invalid-value error'], t);
    }
  });
  it('libvzctl splits PCI on commas and tabs too (LIST_DELIMITERS); classic on spaces only', () => {
    const [f] = lint('PCI="00:01.0,00:02\n', { target: 'vz7@7.0.737', kind: 'container' }).findings.filter((x) => x.rule === 'invalid-value');
    assert.match(f?.message ?? '', /"00:02"/);
    assert.equal(f?.range.start.character, 13);
  });
});

describe('DEVICES as each generation reads it', () => {
  it('classic 3.0.29+: sign and blanks in numbers, 5 permission characters read and the rest ignored, loop refused', () => {
    assert.deepEqual(found('DEVICES="c:+1:3:rwrwrwx c:1:all:none b:8:\t5:r"\n', 'classic@4.11.1', VALUE_RULES), []);
    assert.deepEqual(found('DEVICES="b:07:1:r"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error'], 'major 07 is 7');
    assert.deepEqual(found('DEVICES="c:1:3:rx"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error']);
    assert.deepEqual(found('DEVICES="x:1:3:r"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error']);
  });
  it('classic before 3.0.29 did not check the permissions (parse_dev_perm result dropped @ vzctl-3.0.28)', () => {
    assert.deepEqual(found('DEVICES="c:1:3:rx"\n', 'classic@3.0.28', VALUE_RULES), []);
    assert.deepEqual(found('DEVICES="c:1:3"\n', 'classic@3.0.28', VALUE_RULES), ['0 invalid-value error']);
  });
  it('Virtuozzo 7: items split on commas, no loop check, a bad permission refused', () => {
    assert.deepEqual(found('DEVICES="c:1:3:rw,b:7:1:r"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('DEVICES="c:1:3:rx"\n', 'vz7@7.0.737', VALUE_RULES), ['0 invalid-value error']);
  });
});

describe('MEMINFO (parse_meminfo @ vzctl-3.0.10..4.11.1, libvzctl lib/meminfo.c @ v7.0.42..v8.0.90)', () => {
  it('an empty value sets nothing; blanks, signs and text after the number are read by %lu; "none:" is none', () => {
    for (const t of ['classic@4.11.1', 'classic@3.0.10', 'vz7@7.0.737']) {
      assert.deepEqual(found('MEMINFO=""\n', t, VALUE_RULES), [], t);
      assert.deepEqual(found('MEMINFO="pages: 5x"\n', t, VALUE_RULES), [], t);
      assert.deepEqual(found('MEMINFO="none:"\n', t, VALUE_RULES), [], t);
      assert.deepEqual(found('MEMINFO="pages:0"\n', t, VALUE_RULES), ['0 invalid-value error'], t);
      assert.deepEqual(found('MEMINFO="none:5"\n', t, VALUE_RULES), ['0 invalid-value error'], t);
      assert.deepEqual(found('MEMINFO="Pages:5"\n', t, VALUE_RULES), ['0 invalid-value error'], t);
    }
  });
});

describe('VM_OVERCOMMIT: sscanf("%f") (conf_parse_float @ vzctl-4.6..4.11.1, add_env_param @ v7.0.42..v8.0.90)', () => {
  it('accepts blanks, a sign, exponents, inf and trailing text; refuses a value with no number first', () => {
    for (const t of ['classic@4.11.1', 'vz7@7.0.737']) {
      assert.deepEqual(found('VM_OVERCOMMIT=" +1.5e1x"\nVM_OVERCOMMIT=".5"\n', t, VALUE_RULES), [], t);
      assert.deepEqual(found('VM_OVERCOMMIT="x1.5"\n', t, VALUE_RULES), ['0 invalid-value error'], t);
    }
  });
});

describe('values no reader of the target looks at', () => {
  it('Virtuozzo 7 from 7.0.60 takes NUMTCPSOCK and the socket buffers without reading them (env_config.c `break`)', () => {
    assert.deepEqual(found('NUMTCPSOCK="junk"\nTCPSNDBUF="x"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('NUMTCPSOCK="junk"\n', 'vz7@7.0.48', VALUE_RULES), ['0 invalid-value error'], 'parse_ub() still reads it at v7.0.59');
  });
  it('QUOTATIME on every Virtuozzo 7, CAPABILITY from 7.0.134, OOMGUARPAGES and DCACHESIZE never in the table', () => {
    assert.deepEqual(found('QUOTATIME="abc"\nOOMGUARPAGES="x"\nDCACHESIZE="y"\nCAPABILITY="bogus"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('CAPABILITY="bogus"\n', 'vz7@7.0.100', VALUE_RULES), ['0 invalid-value error']);
  });
  it('keys vzctl itself ignores (PARAM_IGNORED) or never lists: questionable, not "vzctl warns and skips the line"', () => {
    const fs = lint('VE_PARALLEL="abc"\nVZFASTBOOT="x"\nMODULES_DISABLED="1"\n', { target: 'classic@4.11.1', kind: 'node' }).findings.filter((f) => VALUE_RULES.includes(f.rule));
    assert.deepEqual(fs.map((f) => `${f.range.start.line} ${f.rule} ${f.severity}`), ['0 questionable-value warning', '1 questionable-value warning', '2 questionable-value warning']);
    for (const f of fs) assert.doesNotMatch(`${f.message} ${f.detail ?? ''}`, /skips the line|rejects/);
    assert.match(fs[0]?.detail ?? '', /vzctl itself does not read VE_PARALLEL/);
  });
  it('LOCAL_UID / LOCAL_GID: conf_parse_ulong()\'s result is not looked at (vzctl-4.3..4.11.1), so no warning from vzctl', () => {
    const fs = lint('LOCAL_UID="abc"\n', { target: 'classic@4.11.1', kind: 'container' }).findings.filter((f) => VALUE_RULES.includes(f.rule));
    assert.deepEqual(fs.map((f) => `${f.rule} ${f.severity}`), ['questionable-value warning']);
    assert.match(fs[0]?.detail ?? '', /refuses nothing here/);
  });
  it('Virtuozzo 7 keys outside libvzctl\'s config table (LOGGING, LOG_LEVEL, IPV6, VE_STOP_MODE…) refuse no config', () => {
    const fs = lint('LOGGING="Yes"\nLOG_LEVEL="x"\nIPV6="1"\nVE_STOP_MODE="halt"\n', { target: 'vz7@7.0.737', kind: 'node' }).findings.filter((f) => VALUE_RULES.includes(f.rule));
    assert.deepEqual(fs.map((f) => `${f.range.start.line} ${f.rule} ${f.severity}`), ['0 questionable-value warning', '1 questionable-value warning', '2 questionable-value warning', '3 questionable-value warning']);
    for (const f of fs) assert.doesNotMatch(`${f.message} ${f.detail ?? ''}`, /rejects/);
  });
});

describe('CPULIMIT as parse_cpulimit() reads it (classic src/lib/config.c @ vzctl-3.0.9..4.11.1, libvzctl lib/cpu.c)', () => {
  const one = (v: string, t: string) => found(`CPULIMIT="${v}"\n`, t, VALUE_RULES);
  it('classic: strtoul() blanks, sign and an empty value; % at most 100 after the int cast; % only from 3.0.9', () => {
    for (const v of ['', ' +50', '-5', '%', '50%', '4294967296%']) assert.deepEqual(one(v, 'classic@4.11.1'), [], v);
    for (const v of ['150%', '-5%', '5 ', 'x', '50m']) assert.deepEqual(one(v, 'classic@4.11.1'), ['0 invalid-value error'], v);
    assert.deepEqual(one('50%', 'classic@3.0.0'), ['0 invalid-value error']);
  });
  it('Virtuozzo 7: a negative number wraps from 7.0.465 (commit 14d1b5ca dropped the INT_MAX check); CPULIMIT_MHZ takes any text after the number', () => {
    assert.deepEqual(one('-5', 'vz7@7.0.737'), []);
    assert.deepEqual(one('-5', 'vz7@7.0.459'), ['0 invalid-value error']);
    assert.deepEqual(one('200MHz', 'vz7@7.0.737'), []);
    assert.deepEqual(one('5 ', 'vz7@7.0.737'), ['0 invalid-value error']);
    assert.deepEqual(found('CPULIMIT_MHZ="500MHz"\n', 'vz7@7.0.737', VALUE_RULES), []);
  });
});

describe('CPUMASK: bitmap_parse() bits (CPUMASK_NBITS 1024 before vzctl 4.8, 4096 from it)', () => {
  it('CPU 2000 is refused on 4.7, accepted on 4.8 and on Virtuozzo 7', () => {
    assert.deepEqual(found('CPUMASK="0-3,2000"\n', 'classic@4.7', VALUE_RULES), ['0 invalid-value error']);
    assert.deepEqual(found('CPUMASK="0-3,2000"\n', 'classic@4.8', VALUE_RULES), []);
    assert.deepEqual(found('CPUMASK="0-3,2000"\n', 'vz7@7.0.737', VALUE_RULES), []);
  });
});

describe('NETIF as parse_netif_str() reads it', () => {
  const one = (v: string, t: string) => found(`NETIF="${v}"\n`, t, VALUE_RULES);
  it('parse_hwaddr() reads six 2-character groups and looks at neither the separators nor what follows', () => {
    for (const t of ['classic@4.11.1', 'vz7@7.0.737']) {
      assert.deepEqual(one('ifname=eth0,mac=00-18-51-aa-bb-cc', t), [], t);
      assert.deepEqual(one('ifname=eth0,mac=00:18:51:AA:BB:CCjunk', t), [], t);
      assert.deepEqual(one('ifname=eth0,mac=zz:18:51:AA:BB:CC', t), ['0 invalid-value error'], t);
      assert.deepEqual(one('ifname=eth0,mac=00:18:51', t), ['0 questionable-value warning'], `${t}: reads past the end, not provably refused`);
    }
    assert.deepEqual(one('ifname=eth0,mac=001851AABBCC', 'vz7@7.0.737'), [], 'libvzctl: 12 characters without separators');
  });
  it('interface names: 16 characters before vzctl 4.7 and on Virtuozzo 7, 15 from 4.7 (commit 1b6cb0c2)', () => {
    assert.deepEqual(one('ifname=abcdefghijklmnop', 'classic@4.6'), []);
    assert.deepEqual(one('ifname=abcdefghijklmnop', 'vz7@7.0.737'), []);
    assert.deepEqual(one('ifname=abcdefghijklmnop', 'classic@4.11.1'), ['0 invalid-value error']);
  });
  it('an empty mac_filter= is skipped (classic 3.0.23+ and libvzctl), an empty ifname= before a real one is harmless', () => {
    for (const t of ['classic@4.11.1', 'vz7@7.0.737']) {
      assert.deepEqual(one('ifname=eth0,mac_filter=', t), [], t);
      assert.deepEqual(one('ifname=,ifname=eth0', t), [], t);
      assert.deepEqual(one('bridge=br0', t), ['0 invalid-value error'], t);
    }
  });
});

describe('IP_ADDRESS prefixes as canon_ip() (classic 3.0.29+) and libvzctl parse_ip() read them', () => {
  const one = (v: string, t: string) => found(`IP_ADDRESS="${v}"\n`, t, VALUE_RULES);
  it('classic from 3.0.29: parse_int() takes a sign and an empty prefix (0); before 3.0.29 no prefix at all', () => {
    assert.deepEqual(one('10.0.0.1/+24', 'classic@4.11.1'), []);
    assert.deepEqual(one('10.0.0.1/', 'classic@4.11.1'), []);
    assert.deepEqual(one('10.0.0.1/33', 'classic@4.11.1'), ['0 invalid-value error']);
    assert.deepEqual(one('10.0.0.1/24', 'classic@3.0.28'), ['0 invalid-value error']);
  });
  it('Virtuozzo 7: an empty prefix is refused, an IPv4 prefix up to 128 is read', () => {
    assert.deepEqual(one('10.0.0.1/', 'vz7@7.0.737'), ['0 invalid-value error']);
    assert.deepEqual(one('10.0.0.1/64', 'vz7@7.0.737'), []);
    assert.deepEqual(one('::1/129', 'vz7@7.0.737'), ['0 invalid-value error']);
  });
});

describe('Virtuozzo 7 numbers as libvzctl reads them', () => {
  it('parse_ul() keys take a negative number (strtoul wraps it); IOPSLIMIT takes "unlimited" (lib/io.c)', () => {
    assert.deepEqual(found('BOOTORDER="-5"\nQUOTAUGIDLIMIT="-1"\nCPUWEIGHT="-2"\nIOPSLIMIT="unlimited"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('BOOTORDER="-5"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error'], 'classic parse_ul() refuses above LONG_MAX');
  });
  it('NUMNETIF and NUMMEMORYSUBGROUPS are read by parse_ub(): a pair or "unlimited", no size suffix', () => {
    assert.deepEqual(found('NUMNETIF="4:4"\nNUMMEMORYSUBGROUPS="unlimited"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('NUMNETIF="4K"\n', 'vz7@7.0.737', VALUE_RULES), ['0 invalid-value error']);
  });
  it('NAME takes any text (parse_str, lib/env_config.c @ v7.0.42..v8.0.90); classic check_name() refuses "/"', () => {
    assert.deepEqual(found('NAME="web/1"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('NAME="web/1"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error']);
  });
});

describe('DEVNODES as parse_devnodes_str() reads it (the device itself is the host\'s business)', () => {
  it('classic: the name is what comes before the last ":"; an empty permission sets none', () => {
    assert.deepEqual(found('DEVNODES="sda: net:tun:rw"\n', 'classic@4.11.1', VALUE_RULES), []);
    assert.deepEqual(found('DEVNODES="sda:rx"\n', 'classic@4.11.1', VALUE_RULES), ['0 invalid-value error']);
  });
  it('Virtuozzo 7: the name ends at the first ":" (so "net:tun:rw" has permissions "tun:rw"), items split on commas', () => {
    assert.deepEqual(found('DEVNODES="sda:rw,sdb:"\n', 'vz7@7.0.737', VALUE_RULES), []);
    assert.deepEqual(found('DEVNODES="net:tun:rw"\n', 'vz7@7.0.737', VALUE_RULES), ['0 invalid-value error']);
  });
});
