/**
 * duplicate-parameter names the line vzctl really uses (server/src/rules/parameters.ts, the new-user trial):
 * classic vzctl skips a line whose value its handler refuses (conf_parse_yesno(), conf_parse_ulong(),
 * parse_ub() return ERR_INVAL before they store anything, src/lib/config.c @ vzctl-4.11.1), so the key is
 * still unset and the next line is the one in effect; libvzctl (Virtuozzo 7) keeps the last line and
 * refuses it when invalid. The line the rule names must be the one the effective view (usedEntries) takes,
 * and the fix must never keep only a refused line as if it were the one in effect. A union key's lines are
 * merged on classic: the union finding and the effective view (hover, effective configuration) say so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits } from '../helpers/edits';
import { computeHover } from '../../server/src/service/hover';
import { effectiveConfigText } from '../../server/src/service/effective';

const CT = '/etc/vz/conf/101.conf';
/** Lines 1–7 of a plain vSwap container config, so that the repeats below start on line 8 as in the trial. */
const HEAD = 'VE_LAYOUT="ploop"\nPHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nDISKSPACE="2G:2.2G"\nHOSTNAME="ct101"\nOSTEMPLATE="centos-7-x86_64"\nVE_PRIVATE="/vz/private/$VEID"\n';

function found(text: string, opts: LintOptions = {}): Finding[] {
  return lint(text, { path: CT, ...opts }).findings;
}
function duplicates(text: string, opts: LintOptions = {}): Finding[] {
  return found(text, opts).filter((f) => f.rule === 'duplicate-parameter');
}

describe('duplicate-parameter: the line in effect is one vzctl accepts', () => {
  it('classic, first wins, ONBOOT "maybe"/"yes"/"no" on lines 8–10: line 9 is in effect, only line 10 is ignored', () => {
    const text = `${HEAD}ONBOOT="maybe"\nONBOOT="yes"\nONBOOT="no"\n`;
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.equal(f?.range.start.line, 9);
    assert.equal(f?.message, 'ONBOOT is also set on line 9; vzctl uses the first line it accepts');
    assert.deepEqual(f?.facts, ['classic.duplicate-first-valid']);
    assert.match(f?.detail ?? '', /vzctl 4\.11\.1 skips line 8 for an invalid value, uses line 9 \("yes"\) and ignores this one/);
    assert.doesNotMatch(f?.detail ?? '', /uses line 8/);
    const fix = f?.fixes?.[0];
    assert.equal(fix?.title, 'Remove the ignored ONBOOT on line 10');
    assert.equal(fix?.safe, false, 'the shell scripts read the last line');
    assert.equal(applyEdits(text, fix?.edits ?? []), `${HEAD}ONBOOT="maybe"\nONBOOT="yes"\n`);
    // The same run still says line 8 is invalid and skipped.
    assert.ok(found(text).some((x) => x.rule === 'invalid-value' && x.range.start.line === 7 && /skips the line/.test(x.message)));
  });

  it('classic, DISABLED and CPUUNITS: an invalid first line is not the one in effect, and two lines leave nothing to call a repeat', () => {
    for (const [key, bad, good] of [['DISABLED', 'maybe', 'no'], ['CPUUNITS', 'lots', '1000']] as const) {
      const text = `${HEAD}${key}="${bad}"\n${key}="${good}"\n`;
      assert.deepEqual(duplicates(text).map((f) => f.message), [], key);
      assert.ok(found(text).some((x) => x.rule === 'invalid-value' && x.range.start.line === 7), key);
      const three = `${HEAD}${key}="${bad}"\n${key}="${good}"\n${key}="${good}"\n`;
      assert.deepEqual(duplicates(three).map((f) => [f.range.start.line, f.message]), [[9, `${key} is also set on line 9; vzctl uses the first line it accepts`]], key);
    }
  });

  it('classic, last wins (KMEMSIZE): an invalid last line leaves the line before it in effect', () => {
    const text = `${HEAD}KMEMSIZE="1000:2000"\nKMEMSIZE="3000:4000"\nKMEMSIZE="lots"\n`;
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.equal(f?.range.start.line, 7);
    assert.equal(f?.message, 'KMEMSIZE is also set on line 9; vzctl uses the last line it accepts');
    assert.match(f?.detail ?? '', /skips line 10 for an invalid value, uses line 9 \("3000:4000"\) and ignores this one/);
    assert.deepEqual([f?.fixes?.[0]?.title, f?.fixes?.[0]?.safe], ['Remove the ignored KMEMSIZE on line 8', true]);
    // Two lines, the last invalid: the first is in effect and nothing is a repeat.
    assert.deepEqual(duplicates(`${HEAD}KMEMSIZE="1000:2000"\nKMEMSIZE="lots"\n`), []);
  });

  it('classic: a run of ignored lines stops at a skipped line, so its fix never removes the invalid line with them', () => {
    const text = 'KMEMSIZE="1:2"\nKMEMSIZE="lots"\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\n';
    const found = duplicates(text);
    assert.deepEqual(found.map((f) => [f.range.start.line, f.range.end.line]), [[0, 0], [2, 2]]);
    assert.equal(applyEdits(text, found[0]?.fixes?.[0]?.edits ?? []), 'KMEMSIZE="lots"\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\n');
  });

  it('classic: after refused lines the first accepted one is in effect, and a line after it is a duplicate whose value vzctl never reads', () => {
    const text = `${HEAD}ONBOOT="maybe"\nONBOOT="perhaps"\nONBOOT="yes"\nONBOOT="nope"\n`;
    const all = found(text);
    // Lines 8 and 9 are each refused (nothing was set yet); line 11 stops at "duplicate … ignored" unread.
    assert.deepEqual(all.filter((x) => x.rule === 'invalid-value').map((x) => x.range.start.line), [7, 8]);
    const dup = all.filter((x) => x.rule === 'duplicate-parameter');
    assert.deepEqual(dup.map((x) => [x.range.start.line, x.message]), [[10, 'ONBOOT is also set on line 10; vzctl uses the first line it accepts']]);
    assert.match(dup[0]?.detail ?? '', /skips lines 8–9 for an invalid value, uses line 10 \("yes"\)/);
  });

  it('classic: every line refused leaves no line in effect and no duplicate finding', () => {
    assert.deepEqual(duplicates(`${HEAD}ONBOOT="maybe"\nONBOOT="perhaps"\n`), []);
  });

  it('Virtuozzo 7: libvzctl takes the last line even when invalid, and removing the others is no longer offered as safe', () => {
    const text = `${HEAD}ONBOOT="yes"\nONBOOT="no"\nONBOOT="maybe"\n`;
    const [f, ...rest] = duplicates(text, { target: 'vz7' });
    assert.deepEqual(rest, []);
    assert.equal(f?.message, 'ONBOOT on lines 8–9 is also set on line 10; libvzctl uses the last');
    assert.match(f?.detail ?? '', /uses line 10 \("maybe"\), which it refuses, and ignores lines 8–9/);
    assert.equal(f?.fixes?.[0]?.safe, false);
    // A valid last line: the usual safe fix.
    const ok = duplicates(`${HEAD}ONBOOT="maybe"\nONBOOT="yes"\n`, { target: 'vz7' });
    assert.deepEqual(ok.map((x) => [x.range.start.line, x.fixes?.[0]?.safe]), [[7, true]]);
  });
});

describe('duplicate-parameter on union keys: one sentence with the consequence, reported where it says', () => {
  it('classic IP_ADDRESS on lines 22–25 is one finding from line 22 whose message says what vzctl and sh do', () => {
    const text = `${HEAD}${'#\n'.repeat(14)}IP_ADDRESS="10.0.0.11"\nIP_ADDRESS="10.0.0.12"\nIP_ADDRESS="10.0.0.13"\nIP_ADDRESS="10.0.0.14"\n`;
    const [f, ...rest] = duplicates(text);
    assert.deepEqual(rest, []);
    assert.deepEqual([f?.range.start.line, f?.range.start.character, f?.range.end.line], [21, 0, 24]);
    assert.equal(f?.message, 'IP_ADDRESS is set on lines 22–25; vzctl merges them, sh keeps only the last');
    assert.deepEqual(f?.facts, ['classic.duplicate-union']);
    assert.ok((f?.message.length ?? 0) <= 100);
    assert.match(f?.detail ?? '', /adds the items of every line it accepts \("10\.0\.0\.11 10\.0\.0\.12 /);
  });

  it('classic: a rejected list line is named as skipped and the merge drops it, as the effective view does', () => {
    const text = 'IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.x"\nIP_ADDRESS="10.0.0.3"\n';
    const [f] = duplicates(text);
    assert.match(f?.detail ?? '', /\("10\.0\.0\.1 10\.0\.0\.3"\), skipping line 2/);
    assert.deepEqual([f?.fixes?.[0]?.title, f?.fixes?.[0]?.safe], ['Merge the 3 IP_ADDRESS lines into line 1 (dropping line 2, which vzctl rejects)', false]);
    assert.equal(applyEdits(text, f?.fixes?.[0]?.edits ?? []), 'IP_ADDRESS="10.0.0.1 10.0.0.3"\n');
  });
});

describe('the effective view of a union key set on several lines (classic merges them, no line wins)', () => {
  const node = { path: '/w/etc/vz/vz.conf', text: 'IP_ADDRESS="10.0.0.1"\n' };
  const path = '/w/etc/vz/conf/101.conf';
  const text = 'PHYSPAGES="0:256M"\nSWAPPAGES="0:512M"\nIP_ADDRESS="10.0.0.11"\nIP_ADDRESS="10.0.0.12"\nFEATURES="nfs:on"\nIP_ADDRESS="10.0.0.13"\n';
  const effectiveLine = (md: string): string => md.split('\n').find((l) => l.startsWith('- Effective:')) ?? '';

  it('hover: the merged value from every line, this line among them; never "line N wins over this one"', () => {
    const md = effectiveLine(computeHover(text, { line: 2, character: 3 }, { path, nodeConfig: node })?.contents ?? '');
    assert.match(md, /^- Effective: `10\.0\.0\.11 10\.0\.0\.12 10\.0\.0\.13` from this file, lines 3–4, 6 merged \(this line included\)/);
    assert.doesNotMatch(md, /wins over/);
    // Virtuozzo 7 keeps the last line: there it does win.
    const vz7 = effectiveLine(computeHover(text, { line: 2, character: 3 }, { path, nodeConfig: node, target: 'vz7' })?.contents ?? '');
    assert.match(vz7, /^- Effective: `10\.0\.0\.13` from this file, line 6 \(line 6 wins over this one\)/);
    // A key on one line keeps its plain wording.
    assert.match(effectiveLine(computeHover(text, { line: 4, character: 3 }, { path, nodeConfig: node })?.contents ?? ''), /from this file, line 5 \(this line\)/);
  });

  it('hover on a line vzctl skips: its items are not in the merged value and the hover says the line is skipped', () => {
    const bad = `${text}IP_ADDRESS="10.0.0.x"\n`;
    const md = effectiveLine(computeHover(bad, { line: 6, character: 3 }, { path, nodeConfig: node })?.contents ?? '');
    assert.match(md, /`10\.0\.0\.11 10\.0\.0\.12 10\.0\.0\.13` from this file, lines 3–4, 6 merged \(vzctl skips this line: invalid value\)/);
  });

  it('Show effective configuration names every merged line', () => {
    const out = effectiveConfigText(text, { path, nodeConfig: node });
    assert.match(out, /^IP_ADDRESS="10\.0\.0\.11 10\.0\.0\.12 10\.0\.0\.13" +# 101\.conf lines 3–4, 6 \(merged\)$/m);
    assert.match(effectiveConfigText(text, { path, nodeConfig: node, target: 'vz7' }), /^IP_ADDRESS="10\.0\.0\.13" +# 101\.conf line 6$/m);
  });
});

describe('Virtuozzo 7: an invalid value on a line libvzctl never reads', () => {
  it('an earlier line of a repeated key is overwritten before it is parsed: no "rejects it with an error", a warning', () => {
    const text = `${HEAD}ONBOOT="maybe"\nONBOOT="yes"\n`;
    const inv = found(text, { target: 'vz7' }).filter((f) => f.rule === 'invalid-value');
    assert.deepEqual(inv.map((f) => [f.range.start.line, f.severity, f.message]), [[7, 'warning', 'ONBOOT: "maybe" is not yes|no|auto']]);
    assert.match(inv[0]?.detail ?? '', /keeps only the last line of a key, so it never reads this value/);
    // The last line is the one libvzctl parses and refuses: an error that says so.
    const last = found(`${HEAD}ONBOOT="yes"\nONBOOT="maybe"\n`, { target: 'vz7' }).filter((f) => f.rule === 'invalid-value');
    assert.deepEqual(last.map((f) => [f.range.start.line, f.severity, f.message]), [[8, 'error', 'ONBOOT: "maybe" is not yes|no|auto; libvzctl rejects it with an error']]);
  });
});
