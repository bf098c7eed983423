/**
 * Value checks no stricter than vzctl's own readers: each case is what the handler at the named tag does
 * with the value (classic kolyshkin/vzctl src/lib/config.c, libvzctl lib/env_config.c, lib/dev.c,
 * lib/meminfo.c); the `sscanf()` results were checked against glibc 2.36's sscanf with the same formats.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';
import { scan } from '../../server/src/values/scanf';
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
