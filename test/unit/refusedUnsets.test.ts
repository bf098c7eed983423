/**
 * Classic IOPRIO, IOLIMIT and IOPSLIMIT: a refused value is not simply skipped (catalogue `onRefused`,
 * model/effective refusedEffect). parse_ioprio() sets IOPRIO back to unset for a number outside 0..7 since
 * vzctl 3.0.24, parse_iolimit() and parse_iopslimit() do so for every value they refuse (4.6+), so an earlier
 * line's value is lost and the container falls back to vz.conf (merge_vps_param()); before 3.0.29 parse_int()
 * stores what strtol() read before refusing it (src/lib/config.c, src/lib/util.c at those tags).
 * duplicate-parameter, invalid-value, the effective value (hover, --print-config) and the fixes follow it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lint, analyze, type LintOptions } from '../../server/src/service/lint';
import { computeHover } from '../../server/src/service/hover';
import { effectiveConfigText } from '../../server/src/service/effective';
import { effectiveValue } from '../../server/src/model/effective';
import type { Finding } from '../../server/src/rules/types';
import { CORPUS, NEEDS_CORPUS } from '../helpers/corpus';

const CT = '/w/etc/vz/conf/101.conf';
const NODE = { path: '/w/etc/vz/vz.conf', text: 'VIRTUOZZO=yes\nLOCKDIR=/vz/lock\nIOPRIO="6"\n' };
const HEAD = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nDISKSPACE="2097152:2306867"\nHOSTNAME="ct101"\n';

function found(text: string, opts: LintOptions = {}): Finding[] {
  return lint(text, { path: CT, nodeConfig: NODE, ...opts }).findings;
}
const rule = (fs: Finding[], id: string): Finding[] => fs.filter((f) => f.rule === id && f.range.start.line >= 4);
const effective = (text: string, name: string, opts: LintOptions = {}): string | undefined => effectiveValue(analyze(text, { path: CT, nodeConfig: NODE, ...opts }), name)?.value;
const effectiveLine = (md: string): string => md.split('\n').find((l) => l.startsWith('- Effective:')) ?? '';

describe('classic IOPRIO outside 0..7 unsets the key (vzctl 3.0.24+)', () => {
  const text = `${HEAD}IOPRIO="3"\nIOPRIO="9"\n`;

  it('duplicate-parameter names the unsetting line, says the earlier value is lost, and offers no removal as if a line were in effect', () => {
    const [d, ...rest] = rule(found(text), 'duplicate-parameter');
    assert.deepEqual(rest, []);
    assert.equal(d?.range.start.line, 4);
    assert.equal(d?.message, 'IOPRIO is also set on line 6; vzctl refuses that line and unsets it');
    assert.deepEqual(d?.facts, ['classic.duplicate-unset']);
    assert.match(d?.detail ?? '', /refuses line 6 \("9"\) and sets IOPRIO back to unset, so the value of this line is lost\. The container takes vz\.conf's value/);
    assert.deepEqual(d?.fixes ?? [], []);
  });

  it('invalid-value says vzctl unsets it, and the effective value is vz.conf\'s, not line 5\'s', () => {
    const [iv] = rule(found(text), 'invalid-value');
    assert.equal(iv?.message, 'IOPRIO: 9 is outside 0..7; vzctl warns and unsets it');
    assert.deepEqual(iv?.facts, ['classic.value-invalid.unset']);
    assert.match(iv?.detail ?? '', /the value of line 5 is lost with it/);
    assert.equal(effective(text, 'IOPRIO'), '6');
    // Without a vz.conf line: the catalogue default, never line 5's 3.
    assert.equal(effective(text, 'IOPRIO', { nodeConfig: { path: NODE.path, text: 'LOCKDIR=/vz/lock\n' } }), '4');
  });

  it('a later accepted line sets it again: that line is in effect, the earlier ones are ignored repeats', () => {
    const three = `${HEAD}IOPRIO="3"\nIOPRIO="9"\nIOPRIO="5"\n`;
    assert.equal(effective(three, 'IOPRIO'), '5');
    const [d, ...rest] = rule(found(three), 'duplicate-parameter');
    assert.deepEqual(rest, []);
    assert.equal(d?.message, 'IOPRIO is also set on line 7; vzctl uses the last line it accepts');
  });

  it('hover and --print-config say the line unsets the key and where the value comes from', () => {
    const opts = { path: CT, nodeConfig: NODE };
    assert.match(effectiveLine(computeHover(text, { line: 4, character: 2 }, opts)?.contents ?? ''), /^- Effective: `6` from vz\.conf line 3 .*\(line 6 unsets it: vzctl refuses that value\)/);
    assert.match(effectiveLine(computeHover(text, { line: 5, character: 2 }, opts)?.contents ?? ''), /^- Effective: `6` from vz\.conf line 3 .*\(vzctl refuses this line and unsets the key\)/);
    const printed = effectiveConfigText(text, opts);
    assert.match(printed, /^IOPRIO="6" +# vz\.conf line 3; 101\.conf line 6 unsets it \(vzctl refuses the value\)$/m);
  });

  it('a value that is not a whole number is skipped at 4.11.1 (parse_int() stores nothing): line 5 stays in effect', () => {
    const t = `${HEAD}IOPRIO="3"\nIOPRIO="abc"\n`;
    assert.equal(effective(t, 'IOPRIO'), '3');
    assert.deepEqual(rule(found(t), 'duplicate-parameter'), []);
    assert.equal(rule(found(t), 'invalid-value')[0]?.message, 'IOPRIO: "abc" is not a whole number; vzctl warns and skips the line');
    // A number beyond a C int fails parse_int() too: skipped, not unset.
    assert.equal(effective(`${HEAD}IOPRIO="3"\nIOPRIO="99999999999"\n`, 'IOPRIO'), '3');
  });

  it('before 3.0.24 and up to 3.0.28 parse_int() keeps the number strtol() read: the refused line replaces line 5', () => {
    for (const target of ['classic@3.0.20', 'classic@3.0.25']) {
      const t = `${HEAD}IOPRIO="3"\nIOPRIO="5x"\n`;
      assert.equal(effective(t, 'IOPRIO', { target }), '5', target);
      assert.equal(rule(found(t, { target }), 'invalid-value')[0]?.message, 'IOPRIO: "5x" is not a whole number; vzctl warns but keeps the number it read', target);
      assert.match(rule(found(t, { target }), 'duplicate-parameter')[0]?.detail ?? '', /uses line 6 \("5x"\), refused but stored as 5,/, target);
    }
    // 3.0.25: a number outside 0..7 is unset already; 3.0.20 keeps it as written.
    assert.equal(effective(`${HEAD}IOPRIO="3"\nIOPRIO="9"\n`, 'IOPRIO', { target: 'classic@3.0.25' }), '6');
    assert.equal(effective(`${HEAD}IOPRIO="3"\nIOPRIO="9"\n`, 'IOPRIO', { target: 'classic@3.0.20' }), '9');
  });

  it('Virtuozzo 7 is unchanged: libvzctl keeps the last line and refuses it', () => {
    const [d] = rule(found(text, { target: 'vz7' }), 'duplicate-parameter');
    assert.match(d?.message ?? '', /^IOPRIO is also set on line 6; libvzctl uses the last$/);
  });
});

describe('classic IOLIMIT and IOPSLIMIT (vzctl 4.6+): every refused value unsets the key', () => {
  it('IOLIMIT "5q" after "3": unset; parse_iolimit()\'s own grammar (blanks, sign, p suffix) is accepted', () => {
    const t = `${HEAD}IOLIMIT="3"\nIOLIMIT="5q"\n`;
    assert.equal(rule(found(t), 'invalid-value')[0]?.message, 'IOLIMIT: "5q" is not a rate in bytes/s or "unlimited"; vzctl warns and unsets it');
    assert.equal(rule(found(t), 'duplicate-parameter')[0]?.message, 'IOLIMIT is also set on line 6; vzctl refuses that line and unsets it');
    assert.equal(effective(t, 'IOLIMIT'), '0', 'the default: vz.conf has none');
    for (const v of ['10p', ' 5', '+5', '', 'k']) assert.deepEqual(rule(found(`${HEAD}IOLIMIT="${v}"\n`), 'invalid-value'), [], v);
    assert.equal(rule(found(`${HEAD}IOLIMIT="-5"\n`), 'value-truncated')[0]?.message, 'IOLIMIT: a negative rate reads as a huge one');
    assert.equal(rule(found(`${HEAD}IOLIMIT="99999999999999999999"\n`), 'invalid-value').length, 1, 'beyond strtoull()');
  });

  it('IOPSLIMIT "-1" after a run of two lines: one finding for the run, no fix', () => {
    const t = `${HEAD}IOPSLIMIT="300"\nIOPSLIMIT="300"\nIOPSLIMIT="-1"\n`;
    const [d, ...rest] = rule(found(t), 'duplicate-parameter');
    assert.deepEqual(rest, []);
    assert.equal(d?.message, 'IOPSLIMIT on lines 5–6 is also set on line 7; vzctl refuses that line and unsets it');
    assert.deepEqual(d?.fixes ?? [], []);
    assert.equal(effective(t, 'IOPSLIMIT'), '0');
  });

  it('before 4.6 the keys are unknown: no claim about what a refused value does', () => {
    const fs = found(`${HEAD}IOLIMIT="3"\nIOLIMIT="5q"\n`, { target: 'classic@4.5' });
    assert.deepEqual(rule(fs, 'invalid-value'), []);
  });
});

describe('on the shipped files (corpus)', () => {
  it('a vzctl 4.7 vSwap sample with IOPRIO repeated, the node\'s shipped 4.9 vz.conf: vz.conf gives no IOPRIO, so none is in effect', { skip: NEEDS_CORPUS }, () => {
    const sample = readFileSync(join(CORPUS, 'versions/classic@4.7/etc/conf/ve-vswap-256m.conf-sample'), 'utf8');
    const vz = readFileSync(join(CORPUS, 'versions/classic@4.9/etc/vz.conf'), 'utf8');
    const text = `${sample}IOPRIO="2"\nIOPRIO="8"\n`;
    const opts = { path: CT, nodeConfig: { path: NODE.path, text: vz }, target: 'classic@4.7' };
    const fs = lint(text, opts).findings;
    assert.equal(rule(fs, 'duplicate-parameter').filter((f) => /IOPRIO/.test(f.message))[0]?.facts?.[0], 'classic.duplicate-unset');
    assert.equal(effectiveValue(analyze(text, opts), 'IOPRIO')?.source, 'default');
  });
});

describe('classic before 3.0.23: merge_vps_param() copies only a container value that is not 0 (MERGE_INT, OpenVZ bug 849)', () => {
  const node = { path: NODE.path, text: 'IOPRIO="6"\nMEMINFO="pages:2048"\n' };
  const at = (text: string, name: string, target: string) => effectiveValue(analyze(text, { path: CT, nodeConfig: node, target }), name);

  it('a container without IOPRIO / MEMINFO does not take vz.conf\'s before 3.0.23, and does from 3.0.23', () => {
    for (const name of ['IOPRIO', 'MEMINFO']) {
      const old = at(HEAD, name, 'classic@3.0.22');
      assert.equal(old?.source, 'default', name);
      assert.equal(old?.mergeNonZero, 'node-not-taken', name);
      assert.equal(at(HEAD, name, 'classic@3.0.23')?.source, 'node', name);
    }
    assert.match(effectiveConfigText(HEAD, { path: CT, nodeConfig: node, target: 'classic@3.0.22' }), /^IOPRIO="4" +# vzctl's default; vzctl 3\.0\.22 does not take it from vz\.conf \(the container's unset value wins\)$/m);
  });

  it('IOPRIO="0" and MEMINFO="none" in the container leave vz.conf\'s value before 3.0.23; other values are the container\'s', () => {
    assert.equal(at(`${HEAD}IOPRIO="0"\n`, 'IOPRIO', 'classic@3.0.22')?.value, '6');
    assert.equal(at(`${HEAD}MEMINFO="none"\n`, 'MEMINFO', 'classic@3.0.22')?.value, 'pages:2048');
    assert.equal(at(`${HEAD}IOPRIO="0"\n`, 'IOPRIO', 'classic@3.0.23')?.value, '0');
    assert.equal(at(`${HEAD}IOPRIO="2"\n`, 'IOPRIO', 'classic@3.0.22')?.value, '2');
    const md = computeHover(`${HEAD}IOPRIO="0"\n`, { line: 4, character: 2 }, { path: CT, nodeConfig: node, target: 'classic@3.0.22' })?.contents ?? '';
    assert.match(effectiveLine(md), /^- Effective: `6` from vz\.conf line 1 .*\(vzctl 3\.0\.22 does not merge a 0 from the container, OpenVZ bug 849\)/);
  });
});
