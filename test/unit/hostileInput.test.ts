/**
 * Hostile input found by the attack run: each case is the real input that went wrong, checked for the
 * behaviour it must have (the findings and their ranges); speed is measured elsewhere, never asserted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DETAIL_CHARS } from '../../server/src/limits';
import { lint } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { computeFormatting } from '../../server/src/service/format';
import { parseConfig } from '../../server/src/parser/parse';
import { applyEdits } from '../helpers/edits';

/** `count` distinct IPv4 addresses joined by blanks, 10.1.0.0 upward. */
function addresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
}

describe('hostile input', () => {
  it('IP_ADDRESS with 100,000 addresses: a duplicate address across containers has its exact range (the item ranges were found by searching the line once per address)', () => {
    const ips = addresses(100_000);
    const big = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nIP_ADDRESS="${ips.join(' ')}"\n`;
    const last = ips[ips.length - 1] as string;
    const other = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nIP_ADDRESS="192.0.2.1 ${last}"\n`;
    const result = lintNode({ containers: [{ path: '/etc/vz/conf/101.conf', text: big }, { path: '/etc/vz/conf/102.conf', text: other }] });
    const dup = result.files.find((f) => f.path.endsWith('101.conf'))?.findings.filter((f) => f.rule === 'duplicate-ip-address') ?? [];
    assert.equal(dup.length, 1, JSON.stringify(dup));
    const line = big.split('\n')[2] as string;
    const at = line.indexOf(last);
    assert.deepEqual(dup[0]?.range, { start: { line: 2, character: at }, end: { line: 2, character: at + last.length } });
  });

  it('the same line with a backslash in a comment after it: the range is the whole value (vzctl unescapes it, columns shift)', () => {
    const ips = addresses(1_000);
    const big = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nIP_ADDRESS="${ips.join(' ')}" # a\\b\n`;
    const last = ips[ips.length - 1] as string;
    const other = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nIP_ADDRESS="${last}"\n`;
    const result = lintNode({ containers: [{ path: '/etc/vz/conf/101.conf', text: big }, { path: '/etc/vz/conf/102.conf', text: other }] });
    const file = result.files.find((f) => f.path.endsWith('101.conf'));
    const dup = file?.findings.filter((f) => f.rule === 'duplicate-ip-address') ?? [];
    assert.equal(dup.length, 1, JSON.stringify(file?.findings.map((f) => f.rule)));
    assert.equal(dup[0]?.range.start.character, 'IP_ADDRESS="'.length);
  });

  it('CPUS of a million digits: the detail (hover, --explain, JSON) is cut like the message, not the whole value', () => {
    const text = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nCPUS="${'9'.repeat(1_000_000)}"\n`;
    const f = lint(text, { path: '/etc/vz/conf/101.conf' }).findings.find((x) => x.rule === 'invalid-value');
    assert.ok(f?.detail, JSON.stringify(f));
    assert.ok(f.detail.length <= MAX_DETAIL_CHARS, String(f.detail.length));
    // Its beginning and its end (the reason and the source) are kept.
    assert.match(f.detail, /^CPUS: 9+…9+ is beyond what strtoul\(\) reads \(ERANGE\)\. Source: /);
  });

  it('formatting a line with 200,000 blanks inside its value: one edit that drops only the trailing blanks (the line pattern backtracked over the run once per character)', () => {
    const inner = ' '.repeat(200_000);
    const text = `DESCRIPTION="a${inner}b"   \nHOSTNAME=x${inner}y\n`;
    const edits = computeFormatting(text);
    assert.deepEqual(edits.map((e) => e.range.start.line), [0, 1]);
    assert.equal(applyEdits(text, edits), `DESCRIPTION="a${inner}b"\nHOSTNAME="x${inner}y"\n`);
  });

  it('CAPABILITY with 20,000 dangerous tokens: one finding per capability, each fix edits the line once (a finding and a whole-value rewrite per token took minutes and gigabytes)', () => {
    const caps = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? 'sys_admin:on' : i % 3 === 1 ? 'SYS_ADMIN:on' : 'net_admin:on'));
    const text = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nCAPABILITY="CHOWN:on ${caps.join(' ')} KILL:off"\n`;
    const found = lint(text, { path: '/etc/vz/conf/101.conf' }).findings.filter((f) => f.rule === 'dangerous-capability');
    assert.deepEqual(found.map((f) => f.message), [
      'sys_admin:on: a host-wide capability; grant it only to a trusted container',
      'net_admin:on: a host-wide capability; grant it only to a trusted container',
    ]);
    // The range is the first token of the capability; the fix removes every token of it (any case).
    assert.deepEqual(found[0]?.range, { start: { line: 2, character: 21 }, end: { line: 2, character: 33 } });
    const fixed = applyEdits(text, found[0]?.fixes?.[0]?.edits ?? []);
    assert.equal(fixed.split('\n')[2], `CAPABILITY="CHOWN:on ${Array.from({ length: Math.floor(20_000 / 3) }, () => 'net_admin:on').join(' ')} KILL:off"`);
  });

  it('a value of 100,000 "${A" with no "}": one issue at the first "${", no expansion (the "}" was searched to the end of the line at each "$")', () => {
    const value = '${A'.repeat(100_000);
    const text = `HOSTNAME="${value}"\nDESCRIPTION="\${C}"\n`;
    const doc = parseConfig(text, { dialect: 'classic' });
    const [first, second] = doc.lines;
    assert.ok(first?.kind === 'entry' && second?.kind === 'entry');
    assert.equal(first.shell.value, value);
    assert.deepEqual(first.shell.issues.map((i) => [i.kind, i.range]), [['unclosed-expansion', { start: { line: 0, character: 10 }, end: { line: 0, character: value.length + 11 } }]]);
    assert.equal(lint(text, { path: '/etc/vz/conf/101.conf' }).findings.filter((f) => f.rule === 'shell-unsafe-value').length, 1);
    assert.deepEqual(second.shell.issues.map((i) => [i.kind, i.text]), [['expansion', 'C']]);
  });
});
