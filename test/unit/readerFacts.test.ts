/**
 * Value and key facts settled from the readers at the tags (the "truth leftovers"): each test names the
 * repository, tag, file and function that decide it. Lines are real ones (corpus/wild, corpus/upstream)
 * or in their shape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { computeHover } from '../../server/src/service/hover';
import { effectiveConfigText } from '../../server/src/service/effective';

const CT = '/etc/vz/conf/101.conf';

/** Findings as "line rule severity" (0-based line), optionally only of some rules. */
function found(text: string, target: string, rules?: string[], path = CT): string[] {
  return lint(text, { target, path })
    .findings.filter((f) => !rules || rules.includes(f.rule))
    .map((f) => `${f.range.start.line} ${f.rule} ${f.severity}`);
}

describe('EXT_IP_ADDRESS on Virtuozzo 7: a name nothing reads from a config', () => {
  // libvzctl config_param_map has it only as a "TODO" comment (lib/env_config.c @ v7.0.42, v7.0.737,
  // v8.0.90), so add_env_param() never parses it; vzctl 7's Config[] (src/config.c @ v7.0.35..v9.0.1) names
  // it for `vzctl set --ext_ipadd` only (SetParam() checks each address, nothing uses tmpparam.ext_ipadd),
  // and vzlist's merge_conf() reader is under `#if 0` (src/vzlist.c @ v7.0.35..v9.0.1).
  it('any value is "no effect" (ignored-parameter), never an invalid value', () => {
    for (const line of ['EXT_IP_ADDRESS="0.0.0.0"', 'EXT_IP_ADDRESS="192.168.0.101/24"', 'EXT_IP_ADDRESS="198.51.100.177 10.0.0.x"']) {
      assert.deepEqual(found(`${line}\n`, 'vz7@7.0.737', ['ignored-parameter', 'invalid-value', 'questionable-value']), ['0 ignored-parameter warning'], line);
    }
    const f = lint('EXT_IP_ADDRESS="10.0.0.x"\n', { target: 'vz7', path: CT }).findings.find((x) => x.rule === 'ignored-parameter');
    assert.match(f?.detail ?? '', /libvzctl lists it only as a TODO, vzctl and vzlist never load it/);
  });
  it('a bad address does not make libvzctl refuse the config (the container still clashes as live)', () => {
    const input = { containers: [
      { path: CT, text: 'IP_ADDRESS="198.51.100.177"\nEXT_IP_ADDRESS="10.0.0.x"\n' },
      { path: '/etc/vz/conf/102.conf', text: 'IP_ADDRESS="198.51.100.177"\n' },
    ] };
    const r = lintNode(input, { target: 'vz7' });
    const dup = r.files.flatMap((x) => x.findings).filter((x) => x.rule === 'duplicate-ip-address');
    assert.equal(dup.length, 2);
    for (const d of dup) assert.doesNotMatch(d.detail ?? '', /refuses the whole config/);
  });
  it('the hover says what reads it and what does not', () => {
    const h = computeHover('EXT_IP_ADDRESS="10.0.0.x"\n', { line: 0, character: 2 }, { path: CT, target: 'vz7' });
    const text = JSON.stringify(h?.contents ?? '');
    assert.match(text, /ignored in all versions/);
    assert.match(text, /TODO comment/);
    assert.doesNotMatch(text, /vzlist reports/);
  });
  it('classic vzctl does not know it (src/lib/config.c @ vzctl-4.11.1)', () => {
    assert.deepEqual(found('EXT_IP_ADDRESS="192.168.0.101/24"\n', 'classic@4.11.1', ['unknown-parameter', 'invalid-value']), ['0 unknown-parameter warning']);
  });
});

const VSWAP = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:262144"\n';
/** The value findings of one line after a vSwap pair (0-based line 2). */
const valueFindings = (line: string, target: string, path = CT): string[] =>
  lint(`${VSWAP}${line}\n`, { target, path }).findings.filter((f) => f.rule === 'invalid-value' || f.rule === 'questionable-value').map((f) => `${f.severity}: ${f.message}`);

describe('classic parse_ul() (src/lib/util.c): a result above LONG_MAX is refused from vzctl 3.0.29 (commit bc67e660)', () => {
  it('real lines pass: CPUS="1", QUOTATIME="0", QUOTAUGIDLIMIT="150", CPUUNITS="1000" (corpus/wild, upstream)', () => {
    for (const line of ['CPUS="1"', 'QUOTATIME="0"', 'QUOTAUGIDLIMIT="150"', 'CPUUNITS="1000"', 'CPUS="unlimited"', 'CPUS="-0"', 'CPUS=""']) {
      for (const t of ['classic@4.11.1', 'classic@3.0.28']) assert.deepEqual(valueFindings(line, t), [], `${line} @ ${t}`);
    }
  });
  it('a negative number or one above LONG_MAX: "vzctl warns and skips the line" from 3.0.29', () => {
    assert.deepEqual(valueFindings('CPUS="-2"', 'classic@4.11.1'), ['error: CPUS: -2 is negative; vzctl warns and skips the line']);
    assert.deepEqual(valueFindings('QUOTATIME="-1"', 'classic@3.0.29'), ['error: QUOTATIME: -1 is negative; vzctl warns and skips the line']);
    assert.deepEqual(valueFindings('CPUS="9223372036854775808"', 'classic@4.11.1'), ['error: CPUS: 9223372036854775808 is above LONG_MAX; vzctl warns and skips the line']);
    assert.deepEqual(valueFindings('CPUS="9223372036854775807"', 'classic@4.11.1'), []);
  });
  it('before 3.0.29 the number went through an int and was taken: no finding (nothing refused), but beyond ULONG_MAX is ERANGE', () => {
    assert.deepEqual(valueFindings('CPUS="-2"', 'classic@3.0.28'), []);
    assert.deepEqual(valueFindings('QUOTAUGIDLIMIT="-5"', 'classic@3.0.28'), [], 'it was "outside 0.." before this fix');
    assert.deepEqual(valueFindings('CPUS="18446744073709551616"', 'classic@3.0.28').length, 1);
  });
  it('the range is checked on the number stored: CPUUNITS="-5" is 18446744073709551611 before 3.0.29, 4294967304 is 8', () => {
    assert.match(valueFindings('CPUUNITS="-5"', 'classic@3.0.28')[0] ?? '', /-5 is read as 18446744073709551611, outside 8\.\.500000/);
    assert.deepEqual(valueFindings('CPUUNITS="4294967304"', 'classic@3.0.28'), []);
    assert.match(valueFindings('CPUUNITS="4294967304"', 'classic@4.11.1')[0] ?? '', /outside 8\.\.500000/);
    assert.match(valueFindings('CPUUNITS=""', 'classic@4.11.1')[0] ?? '', /the empty value reads as 0, outside 8\.\.500000/);
  });
});

describe('classic parse_int() (src/lib/util.c): LOG_LEVEL, VERBOSE, VEID, STOP_TIMEOUT', () => {
  const NODE = '/etc/vz/vz.conf';
  it('LOG_LEVEL takes any int (the real LOG_LEVEL=0 and a negative one alike); it was "outside -1.." before this fix', () => {
    for (const line of ['LOG_LEVEL=0', 'LOG_LEVEL=-5', 'VERBOSE=0', 'LOG_LEVEL=2147483647']) assert.deepEqual(valueFindings(line, 'classic@4.11.1', NODE), [], line);
  });
  it('from 3.0.29 a number outside INT_MIN..INT_MAX is refused; before, only one beyond long (ERANGE)', () => {
    assert.deepEqual(valueFindings('LOG_LEVEL=2147483648', 'classic@4.11.1', NODE), ['error: LOG_LEVEL: 2147483648 is outside INT_MIN..INT_MAX; vzctl warns and skips the line']);
    assert.deepEqual(valueFindings('VERBOSE=-2147483649', 'classic@3.0.29', NODE).length, 1);
    assert.deepEqual(valueFindings('LOG_LEVEL=2147483648', 'classic@3.0.28', NODE), []);
    assert.deepEqual(valueFindings('LOG_LEVEL=9223372036854775808', 'classic@3.0.28', NODE).length, 1);
  });
  it('STOP_TIMEOUT: parse_int() then "int_id < 0" is refused (src/lib/config.c @ vzctl-4.4..4.11.1)', () => {
    assert.match(valueFindings('STOP_TIMEOUT="-1"', 'classic@4.11.1', NODE)[0] ?? '', /^error: STOP_TIMEOUT: -1 is below 0/);
    assert.deepEqual(valueFindings('STOP_TIMEOUT="120"', 'classic@4.11.1', NODE), []);
  });
});

describe('Virtuozzo 7 parse_ul() (libvzctl lib/util.c @ v7.0.42, lib/common.c @ v7.0.737..v8.0.90): empty is refused', () => {
  it('CPUS="", CPUUNITS="", BOOTORDER="", QUOTAUGIDLIMIT="", HA_PRIO="": libvzctl refuses, so the whole config', () => {
    for (const key of ['CPUS', 'CPUUNITS', 'BOOTORDER', 'QUOTAUGIDLIMIT', 'HA_PRIO']) {
      assert.deepEqual(valueFindings(`${key}=""`, 'vz7'), [`error: ${key}: the value is empty; libvzctl rejects it with an error`], key);
    }
    // Classic takes an empty CPUS as 0 (strtoul converts nothing and stops at the end).
    assert.deepEqual(valueFindings('CPUS=""', 'classic@4.11.1'), []);
  });
  it('a negative number wraps (no finding), and no "unlimited" is taken', () => {
    assert.deepEqual(valueFindings('CPUS="-1"', 'vz7'), []);
    assert.deepEqual(valueFindings('CPUS="1"', 'vz7'), []);
    assert.match(valueFindings('CPUS="unlimited"', 'vz7')[0] ?? '', /^error: CPUS: "unlimited" is not a whole number/);
  });
  it('HA_PRIO: at most UINT_MAX (MAXHAPRIO, lib/env.h @ v7.0.42..v8.0.90); -1 wraps above it', () => {
    assert.deepEqual(valueFindings('HA_PRIO="4294967295"', 'vz7'), []);
    assert.deepEqual(valueFindings('HA_PRIO="4294967296"', 'vz7'), ['error: HA_PRIO: 4294967296 is above 4294967295; libvzctl rejects it with an error']);
    assert.match(valueFindings('HA_PRIO="-1"', 'vz7')[0] ?? '', /-1 is read as 18446744073709551615, above 4294967295/);
  });
});

describe('BURST_CPU_AVG_USAGE / BURST_CPULIMIT: parse_ul(), refused without a message (libvzctl lib/env_config.c @ v7.0.42..v8.0.90)', () => {
  // add_env_param() returns parse_ul()'s 1 as it is (not VZCTL_E_INVAL): no "Invalid parameter" line, and
  // vzctl_update_env_param() still fails the open, so vzctl (src/vzctl.c @ v7.0.254) exits 1.
  const KEYS = ['BURST_CPU_AVG_USAGE', 'BURST_CPULIMIT'];
  it('a whole number passes, with blanks before it or a sign (strtoul); a negative one wraps', () => {
    for (const key of KEYS) {
      for (const v of ['0', '50', ' 7', '+3', '-1', '18446744073709551615']) {
        for (const t of ['vz7@7.0.42', 'vz7@7.0.384', 'vz7']) assert.deepEqual(valueFindings(`${key}="${v}"`, t), [], `${key}=${v} @ ${t}`);
      }
    }
  });
  it('a word, a fraction, an empty value or ERANGE is refused, and the message says it prints nothing', () => {
    for (const key of KEYS) {
      assert.deepEqual(valueFindings(`${key}="abc"`, 'vz7'), [`error: ${key}: "abc" is not a whole number; libvzctl rejects the config without a message`]);
      assert.deepEqual(valueFindings(`${key}="50%"`, 'vz7@7.0.42').length, 1);
      assert.deepEqual(valueFindings(`${key}="1.5"`, 'vz7').length, 1);
      assert.deepEqual(valueFindings(`${key}=""`, 'vz7'), [`error: ${key}: the value is empty; libvzctl rejects the config without a message`]);
      assert.match(valueFindings(`${key}="18446744073709551616"`, 'vz7')[0] ?? '', /18446744073709551616 is beyond/);
    }
    // Other keys keep their "Invalid parameter" words.
    assert.deepEqual(valueFindings('HA_PRIO="abc"', 'vz7'), ['error: HA_PRIO: "abc" is not a whole number; libvzctl rejects it with an error']);
  });
  it('only the last line counts: an earlier bad line is not refused (a warning, not an error)', () => {
    const f = lint(`${VSWAP}BURST_CPULIMIT="x"\nBURST_CPULIMIT="80"\n`, { target: 'vz7', path: CT }).findings.filter((x) => x.rule === 'invalid-value');
    assert.deepEqual(f.map((x) => x.severity), ['warning']);
  });
  it('the refused config counts for the fleet checks like any other refused value', () => {
    const input = { containers: [
      { path: CT, text: 'IP_ADDRESS="198.51.100.177"\nBURST_CPULIMIT="fast"\n' },
      { path: '/etc/vz/conf/102.conf', text: 'IP_ADDRESS="198.51.100.177"\n' },
    ] };
    const dup = lintNode(input, { target: 'vz7' }).files.flatMap((x) => x.findings).filter((x) => x.rule === 'duplicate-ip-address');
    assert.equal(dup.length, 2);
    for (const d of dup) assert.match(d.detail ?? '', /refuses the whole config of 101\.conf \(BURST_CPULIMIT on line 2\)/);
  });
  it('the effective configuration and the hover say "without a message", not "Invalid parameter"', () => {
    const text = `${VSWAP}BURST_CPU_AVG_USAGE="high"\n`;
    const node = { path: '/etc/vz/vz.conf', text: '' };
    const out = effectiveConfigText(text, { path: CT, nodeConfig: node, target: 'vz7' });
    assert.match(out, /^# BURST_CPU_AVG_USAGE has no effective value: libvzctl [\d.]+ \(Virtuozzo 7\+\) refuses "high" \(101\.conf line 3\) without a message, so/m);
    const hover = JSON.stringify(computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node, target: 'vz7' })?.contents ?? '');
    assert.match(hover, /refuses `high` \(this line\) without a message/);
    assert.doesNotMatch(hover, /Invalid parameter/);
  });
  it('classic vzctl does not know them (src/lib/config.c @ vzctl-4.11.1)', () => {
    assert.deepEqual(found('BURST_CPULIMIT="abc"\n', 'classic@4.11.1', ['unknown-parameter', 'invalid-value']), ['0 unknown-parameter warning']);
  });
});

describe('SLMMODE, TRAFFIC_SHAPING, RATEBOUND, PAGECACHE_ISOLATION: a quiet refusal before 7.0.294.9 and on 7.0.295..7.0.309 (libvzctl lib/env_config.c at each tag)', () => {
  // Up to v7.0.294.8 and on v7.0.295..v7.0.309 the handlers `return VZCTL_E_INVAL` before err_inval, the only
  // place that logs "Invalid parameter"; v7.0.294.9 (commit cc050a5) and v7.0.310 (commit 7189bed4) `goto
  // err_inval`. slm_mode2id() (lib/slm.c) and yesno2id() (lib/util.c) compare with strcmp() at every tag.
  const QUIET = ['vz7@7.0.42', 'vz7@7.0.68', 'vz7@7.0.284', 'vz7@7.0.294.8', 'vz7@7.0.295', 'vz7@7.0.309'];
  const LOUD = ['vz7@7.0.294.9', 'vz7@7.0.294.12', 'vz7@7.0.310', 'vz7@7.0.737', 'vz7@8.0.90'];
  const BAD: [string, string][] = [['SLMMODE', 'full'], ['TRAFFIC_SHAPING', 'on'], ['RATEBOUND', '1'], ['PAGECACHE_ISOLATION', 'true']];
  it('a value the reader cannot read: "without a message" where the handler returns early, "with an error" where it logs', () => {
    for (const [key, v] of BAD) {
      for (const t of QUIET) {
        if (key === 'PAGECACHE_ISOLATION' && (t === 'vz7@7.0.42' || t === 'vz7@7.0.68')) {
          // Not a key before 7.0.284: libvzctl ignores it, so no value finding at all.
          assert.deepEqual(valueFindings(`${key}="${v}"`, t), [], `${key} @ ${t}`);
          continue;
        }
        const f = valueFindings(`${key}="${v}"`, t);
        assert.equal(f.length, 1, `${key} @ ${t}`);
        assert.match(f[0] ?? '', new RegExp(`^error: ${key}: "${v}" is not .*; libvzctl rejects the config without a message$`), `${key} @ ${t}`);
      }
      for (const t of LOUD) {
        assert.deepEqual(valueFindings(`${key}="${v}"`, t).map((m) => m.replace(/^.*; /, '')), ['libvzctl rejects it with an error'], `${key} @ ${t}`);
      }
    }
  });
  it('the words it reads pass at every tag, compared case-sensitively', () => {
    assert.deepEqual(valueFindings('SLMMODE="full"', 'vz7@7.0.300'), ['error: SLMMODE: "full" is not ubc|slm|all; libvzctl rejects the config without a message']);
    for (const t of [...QUIET, ...LOUD]) {
      for (const v of ['ubc', 'slm', 'all']) assert.deepEqual(valueFindings(`SLMMODE="${v}"`, t), [], `SLMMODE=${v} @ ${t}`);
      for (const v of ['yes', 'no']) assert.deepEqual(valueFindings(`RATEBOUND="${v}"`, t), [], `RATEBOUND=${v} @ ${t}`);
    }
    assert.match(valueFindings('SLMMODE="All"', 'vz7@7.0.300')[0] ?? '', /"All" must be written "all".*without a message$/);
    assert.match(valueFindings('TRAFFIC_SHAPING="YES"', 'vz7')[0] ?? '', /"YES" must be written "yes".*rejects it with an error$/);
  });
  it('the finding cites the tag read for that range', () => {
    const detail = (t: string) => lint(`${VSWAP}SLMMODE="x"\n`, { target: t, path: CT }).findings.find((f) => f.rule === 'invalid-value')?.detail ?? '';
    assert.match(detail('vz7@7.0.200'), /Source: OpenVZ\/libvzctl v7\.0\.42 lib\/env_config\.c/);
    assert.match(detail('vz7@7.0.300'), /Source: OpenVZ\/libvzctl v7\.0\.295 lib\/env_config\.c/);
  });
  it('the effective configuration and the hover say "without a message" in the quiet ranges only', () => {
    const text = `${VSWAP}TRAFFIC_SHAPING="maybe"\n`;
    const node = { path: '/etc/vz/vz.conf', text: '' };
    for (const [t, how] of [['vz7@7.0.300', 'without a message'], ['vz7@7.0.310', 'with "Invalid parameter"']] as const) {
      const out = effectiveConfigText(text, { path: CT, nodeConfig: node, target: t });
      assert.match(out, new RegExp(`^# TRAFFIC_SHAPING has no effective value: libvzctl [\\d.]+ \\(Virtuozzo 7\\+\\) refuses "maybe" \\(101\\.conf line 3\\) ${how}, so`, 'm'), t);
      const hover = JSON.stringify(computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node, target: t })?.contents ?? '');
      assert.ok(hover.includes(`refuses \`maybe\` (this line) ${how.replace(/"/g, '\\"')}`), `${t}: ${hover}`);
    }
  });
  it('classic vzctl does not know them (src/lib/config.c @ vzctl-4.11.1)', () => {
    assert.deepEqual(found('SLMMODE="x"\n', 'classic@4.11.1', ['invalid-value']), []);
  });
});

describe('CPUMASK / NODEMASK as bitmap_parse() reads them (classic src/lib/bitmap.c; libvzctl lib/bitmap.c)', () => {
  it('an empty item is refused at every version; one trailing comma is not', () => {
    for (const t of ['classic@3.0.26', 'classic@4.11.1', 'vz7@7.0.284', 'vz7@7.0.737']) {
      assert.deepEqual(valueFindings('CPUMASK="0,,1"', t).map((m) => m.replace(/;.*/, '')), ['error: CPUMASK: an empty item between two commas'], t);
      assert.equal(valueFindings('NODEMASK=",0"', t).length, t === 'classic@3.0.26' ? 0 : 1, t);
      assert.deepEqual(valueFindings('CPUMASK="0-3,8,"', t), [], t);
    }
    const f = lint(`${VSWAP}CPUMASK="0,,1"\n`, { target: 'vz7', path: CT }).findings.find((x) => x.rule === 'invalid-value');
    assert.deepEqual([f?.range.start.character, f?.range.end.character], [10, 12], 'the two commas');
  });
  it('an empty value: classic refuses it, libvzctl reads it as every CPU', () => {
    assert.match(valueFindings('CPUMASK=""', 'classic@4.11.1')[0] ?? '', /^error: CPUMASK: the value is empty/);
    assert.deepEqual(valueFindings('CPUMASK=""', 'vz7'), []);
  });
  it('a number strtol() cuts to 32 bits is taken (classic, libvzctl before 7.0.326); strtoul() from 7.0.326 holds it', () => {
    assert.deepEqual(valueFindings('CPUMASK="4294967296"', 'classic@4.11.1'), []);
    assert.deepEqual(valueFindings('CPUMASK="4294967296"', 'vz7@7.0.284'), []);
    assert.match(valueFindings('CPUMASK="4294967296"', 'vz7@7.0.371')[0] ?? '', /outside 0\.\.4095/);
  });
});

describe('VEFSTYPE on Virtuozzo 7: read from vz.conf only (get_global_param(), lib/create.c @ v7.0.42..v8.0.90)', () => {
  it('the real container line (corpus/wild/039: VEFSTYPE="simfs") is misplaced: a container config\'s VEFSTYPE is read by nothing', () => {
    const fs = lint('VEFSTYPE="simfs"\n', { target: 'vz7', path: CT }).findings;
    assert.deepEqual(fs.map((f) => `${f.rule} ${f.severity}`), ['misplaced-parameter warning']);
    assert.match(fs[0]?.message ?? '', /without effect in a container config/);
    assert.doesNotMatch(fs.map((f) => f.detail ?? '').join(' '), /simfs.*live/i, 'no live-migration note on a line that does nothing');
  });
  it('the shipped vz.conf line (VEFSTYPE="ext4", upstream virtuozzo7-vzctl etc/vz.conf) is in place', () => {
    assert.deepEqual(found('VEFSTYPE="ext4"\n', 'vz7', undefined, '/etc/vz/vz.conf'), []);
  });
  it('the hover says who reads it and that a container config\'s line does nothing', () => {
    const text = JSON.stringify(computeHover('VEFSTYPE="simfs"\n', { line: 0, character: 2 }, { path: CT, target: 'vz7' })?.contents ?? '');
    assert.match(text, /get_global_param/);
    assert.match(text, /A container config's VEFSTYPE is read by nothing/);
  });
});

describe('Virtuozzo 7 IOLIMIT: parse_iolimit() (libvzctl lib/io.c @ v7.0.42..v8.0.90; commit d2d1090 in 7.0.530)', () => {
  // strtoull(), then only the first character left is looked at: b/k/m/g/t (get_mul(), lib/util.c) or
  // `return 1` (no log, at every tag). ERANGE and a rate above UINT_MAX `return 1` up to v7.0.529 and
  // VZCTL_E_INVAL (logged by err_inval in add_env_param(), lib/env_config.c) from v7.0.530.
  const BEFORE = ['vz7@7.0.42', 'vz7@7.0.358', 'vz7@7.0.529'];
  const AFTER = ['vz7@7.0.530', 'vz7@7.0.737', 'vz7@8.0.90'];
  const QUIET = 'libvzctl rejects the config without a message';
  const LOUD = 'libvzctl rejects it with an error';
  it('a bad unit or a value without a number is refused without a message at every tag', () => {
    for (const t of [...BEFORE, ...AFTER]) {
      for (const v of ['10x', 'abc', '1.5', ' ', '+']) {
        assert.deepEqual(valueFindings(`IOLIMIT="${v}"`, t), [`error: IOLIMIT: "${v}" is not a rate in bytes/s; ${QUIET}`], `${v} @ ${t}`);
      }
    }
  });
  it('ERANGE, above UINT_MAX and a negative number: quiet up to 7.0.529, "Invalid parameter" from 7.0.530', () => {
    const cases: [string, string][] = [['4294967296', '4294967296 is above UINT_MAX bytes/s'], ['5g', '5g is above UINT_MAX bytes/s'],
      ['99999999999k', '99999999999k is above UINT_MAX bytes/s'], ['-1', '-1 wraps to a rate above UINT_MAX'],
      ['18446744073709551616', '184467440737095… overflows strtoull()']];
    for (const [v, what] of cases) {
      for (const t of BEFORE) assert.deepEqual(valueFindings(`IOLIMIT="${v}"`, t), [`error: IOLIMIT: ${what}; ${QUIET}`], `${v} @ ${t}`);
      for (const t of AFTER) assert.deepEqual(valueFindings(`IOLIMIT="${v}"`, t), [`error: IOLIMIT: ${what}; ${LOUD}`], `${v} @ ${t}`);
    }
    // Never called a truncation on Virtuozzo 7: the limit is an unsigned int, refused above UINT_MAX.
    assert.deepEqual(found(`${VSWAP}IOLIMIT="5g"\n`, 'vz7@7.0.529', ['value-truncated']), []);
  });
  it('up to UINT_MAX is taken as written (no INT_MAX cut); blanks, "+", "-0", "unlimited" pass', () => {
    for (const t of [...BEFORE, ...AFTER]) {
      for (const v of ['0', '4294967295', '3g', '4194303k', ' 5', '+5', '-0', '10K', '7b', 'unlimited']) {
        assert.deepEqual(valueFindings(`IOLIMIT="${v}"`, t), [], `${v} @ ${t}`);
      }
    }
  });
  it('taken but not as meant: empty and a word starting with a unit letter read as 0, text after the unit is ignored', () => {
    for (const t of ['vz7@7.0.529', 'vz7@7.0.530']) {
      assert.deepEqual(valueFindings('IOLIMIT=""', t), ['warning: IOLIMIT: the empty value reads as 0, no limit']);
      assert.deepEqual(valueFindings('IOLIMIT="bogus"', t), ['warning: IOLIMIT: "bogus" reads as 0, no limit']);
      assert.deepEqual(valueFindings('IOLIMIT="10kfoo"', t), ['warning: IOLIMIT: "10kfoo" reads as 10240 bytes/s']);
      assert.deepEqual(valueFindings('IOLIMIT="17179869184t"', t), ['warning: IOLIMIT: "17179869184t" overflows and reads as 0 bytes/s, no limit']);
    }
  });
  it('the finding cites the tag of its range; effective view and hover say "without a message" only where quiet', () => {
    const detail = (v: string, t: string) => lint(`${VSWAP}IOLIMIT="${v}"\n`, { target: t, path: CT }).findings.find((f) => f.rule === 'invalid-value')?.detail ?? '';
    assert.match(detail('5g', 'vz7@7.0.200'), /Source: OpenVZ\/libvzctl v7\.0\.42 lib\/io\.c/);
    assert.match(detail('10x', 'vz7@8.0.90'), /Source: OpenVZ\/libvzctl v8\.0\.90 lib\/io\.c/);
    const node = { path: '/etc/vz/vz.conf', text: '' };
    for (const [v, t, how] of [['10x', 'vz7@8.0.90', 'without a message'], ['5g', 'vz7@7.0.529', 'without a message'], ['5g', 'vz7@7.0.530', 'with "Invalid parameter"']] as const) {
      const text = `${VSWAP}IOLIMIT="${v}"\n`;
      const out = effectiveConfigText(text, { path: CT, nodeConfig: node, target: t });
      assert.match(out, new RegExp(`^# IOLIMIT has no effective value: libvzctl [\\d.]+ \\(Virtuozzo 7\\+\\) refuses "${v}" \\(101\\.conf line 3\\) ${how}, so`, 'm'), `${v} @ ${t}`);
      const hover = JSON.stringify(computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node, target: t })?.contents ?? '');
      assert.ok(hover.includes(`refuses \`${v}\` (this line) ${how.replace(/"/g, '\\"')}`), `${t}: ${hover}`);
    }
  });
  it('IOLIMIT_MB is no config key on Virtuozzo 7 (a parameter id for the command line, no name in config_param_map)', () => {
    assert.deepEqual(found('IOLIMIT_MB="abc"\n', 'vz7@8.0.90', ['unknown-parameter', 'invalid-value']), ['0 unknown-parameter warning']);
  });
});

describe('Virtuozzo 7 IOPSLIMIT: parse_iopslimit() (libvzctl lib/io.c @ v7.0.42..v8.0.90, unchanged)', () => {
  // parse_ul() stores strtoul()'s number, then returns 1 when text is left; above UINT_MAX parse_iopslimit()
  // returns VZCTL_E_INVAL (logged), else parse_ul()'s 1 as it is (no log). Empty: parse_ul() returns before
  // it stores anything and an uninitialised number is compared: nothing is claimed.
  const TAGS = ['vz7@7.0.42', 'vz7@7.0.529', 'vz7@7.0.530', 'vz7@8.0.90'];
  it('text after the number (a word, a fraction, a unit) is refused without a message', () => {
    for (const t of TAGS) {
      for (const v of ['abc', '1.5', '10k', ' ']) {
        assert.deepEqual(valueFindings(`IOPSLIMIT="${v}"`, t), [`error: IOPSLIMIT: "${v}" is not a whole number; libvzctl rejects the config without a message`], `${v} @ ${t}`);
      }
    }
  });
  it('a number above UINT_MAX (a negative one wraps, text after it or not) logs "Invalid parameter"', () => {
    for (const t of TAGS) {
      assert.deepEqual(valueFindings('IOPSLIMIT="-1"', t), ['error: IOPSLIMIT: -1 wraps to 18446744073709551615, above UINT_MAX; libvzctl rejects it with an error']);
      assert.deepEqual(valueFindings('IOPSLIMIT="4294967296"', t), ['error: IOPSLIMIT: 4294967296 is above UINT_MAX; libvzctl rejects it with an error']);
      assert.deepEqual(valueFindings('IOPSLIMIT="99999999999k"', t), ['error: IOPSLIMIT: "99999999999k" reads as 99999999999, above UINT_MAX; libvzctl rejects it with an error']);
      assert.match(valueFindings('IOPSLIMIT="18446744073709551616"', t)[0] ?? '', /overflows strtoul\(\); libvzctl rejects it with an error$/);
    }
  });
  it('whole numbers up to UINT_MAX, blanks, a sign, "-0" and "unlimited" pass', () => {
    for (const t of TAGS) {
      for (const v of ['0', '500', '4294967295', ' 5', '+5', '-0', 'unlimited']) assert.deepEqual(valueFindings(`IOPSLIMIT="${v}"`, t), [], `${v} @ ${t}`);
    }
  });
  it('an empty value is a warning that claims nothing about libvzctl (its outcome is undefined), never an error', () => {
    for (const t of TAGS) {
      assert.deepEqual(valueFindings('IOPSLIMIT=""', t), ['warning: IOPSLIMIT: the empty value leaves libvzctl comparing an unset number (undefined)']);
      assert.deepEqual(lint(`${VSWAP}IOPSLIMIT=""\n`, { target: t, path: CT }).findings.filter((f) => f.severity === 'error'), []);
    }
  });
  it('the effective view and the hover say what libvzctl does with an empty value, never show ""', () => {
    // parse_ul() returns 1 before storing; parse_iopslimit() returns VZCTL_E_INVAL or that 1: an error either way.
    const node = { path: '/etc/vz/vz.conf', text: 'VE_ROOT="/vz/root/$VEID"\n' };
    const said = /reads no number from the empty value and then tests a variable it never set; both of its branches return an error, so the config is refused, logged or not by chance \(parse_iopslimit\(\), lib\/io\.c @ v7\.0\.42\.\.v8\.0\.90\)/;
    for (const t of TAGS) {
      const text = `${VSWAP}IOPSLIMIT=""\n`;
      const out = effectiveConfigText(text, { path: CT, nodeConfig: node, target: t });
      assert.doesNotMatch(out, /^IOPSLIMIT=/m, t);
      const line = out.split('\n').find((l) => l.startsWith('# IOPSLIMIT')) ?? '';
      assert.match(line, /^# IOPSLIMIT has no known effective value \(101\.conf line 3\): libvzctl /, t);
      assert.match(line, said, t);
      const hover = computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node, target: t })?.contents ?? '';
      assert.doesNotMatch(hover, /Effective: `""`/, t);
      assert.match(hover, /- Effective: none known \(this line\) — libvzctl /, t);
      assert.match(hover, said, t);
      // From vz.conf (libvzctl merges it into the container's map): the same, naming vz.conf's line.
      const fromNode = effectiveConfigText(VSWAP, { path: CT, nodeConfig: { path: node.path, text: 'IOPSLIMIT=""\n' }, target: t });
      assert.match(fromNode, /^# IOPSLIMIT has no known effective value \(vz\.conf line 1\): libvzctl .*reads no number/m, t);
      // A number is still shown as the effective value.
      assert.match(effectiveConfigText(`${VSWAP}IOPSLIMIT="300"\n`, { path: CT, nodeConfig: node, target: t }), /^IOPSLIMIT="300" +# 101\.conf line 3$/m, t);
    }
    // Classic reads an empty IOPSLIMIT with its own reader; the view shows what it stores as before.
    assert.doesNotMatch(effectiveConfigText(`${VSWAP}IOPSLIMIT=""\n`, { path: CT, nodeConfig: node, target: 'classic@4.11.1' }), /no known effective value/);
  });
  it('classic keeps its own reader (an unsetting refusal, src/lib/config.c @ vzctl-4.6..4.11.1)', () => {
    assert.match(valueFindings('IOPSLIMIT="abc"', 'classic@4.11.1')[0] ?? '', /vzctl warns and unsets it$/);
  });
});
