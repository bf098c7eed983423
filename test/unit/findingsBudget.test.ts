/**
 * The findings budget (server/src/rules/budget.ts): rules skip building findings that are certainly beyond
 * the findings cap and count them instead. The findings kept, every field of them (fixes included), and the
 * "N more findings not shown" count must be those of a lint that builds every finding, for every input:
 * the pathological bench inputs, suppression comments around the cap, custom keys, severity overrides, `off`
 * rules, a byte-order-mark comment, the corpus, and random files (fast-check).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FindingsBudget } from '../../server/src/rules/budget';
import { copyFinding } from '../../server/src/rules/finding';
import type { Finding, Fix } from '../../server/src/rules/types';
import { budgetStats, lint, type LintOptions } from '../../server/src/service/lint';

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';

/**
 * Plain copies (a lazy finding's fixes read), so deepEqual compares every field; each fix as its JSON text,
 * made once per fix object (findings of one key share a fix that removes thousands of lines).
 */
function plain(fs: readonly Finding[]): unknown[] {
  const json = new Map<Fix, string>();
  const text = (x: Fix): string => {
    let t = json.get(x);
    if (t === undefined) json.set(x, (t = JSON.stringify(x)));
    return t;
  };
  return fs.map((f) => {
    const copy = copyFinding(f, {});
    return { ...copy, fixes: copy.fixes?.map(text) };
  });
}

/**
 * Lints `text` with and without the budget, asserts the findings are deep-equal and that no lint fell back
 * to building everything; returns how many findings the budget counted without building them.
 */
function same(text: string, options: LintOptions): number {
  const { dropped, fallbacks } = budgetStats;
  const budgeted = lint(text, { ...options, findingsBudget: true }).findings;
  const counted = budgetStats.dropped - dropped;
  const full = lint(text, { ...options, findingsBudget: false }).findings;
  assert.deepEqual(plain(budgeted), plain(full));
  assert.equal(budgetStats.fallbacks, fallbacks, 'no rule returned other findings than it admitted');
  return counted;
}

const more = (text: string, options: LintOptions): string | undefined => lint(text, options).findings.find((f) => f.rule === 'too-many-findings')?.message;

describe('findings budget: the same findings as building every one', () => {
  it('40,000 repeated IPTABLES lines in vz.conf (the bench line): 30,001 counted, not built', () => {
    const text = 'IPTABLES="ipt_REJECT"\n'.repeat(40_000);
    assert.equal(same(text, { path: NODE }), 30_001);
    assert.match(more(text, { path: NODE }) ?? '', /^30001 more findings not shown/);
  });

  it('repeated IPTABLES lines in a container config, and IP_ADDRESS lines every other one refused', () => {
    assert.ok(same('IPTABLES="ipt_REJECT"\n'.repeat(25_000), { path: CT }) > 0);
    assert.ok(same('IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="bad"\n'.repeat(12_000), { path: CT }) > 0);
  });

  it('12,000 unknown keys, with custom keys (knownParameters) among them', () => {
    const text = Array.from({ length: 12_000 }, (_, i) => `TOOL_KEY_${i}="v"`).join('\n');
    assert.ok(same(text, { path: CT }) > 0);
    const known = Array.from({ length: 3_000 }, (_, i) => `TOOL_KEY_${i * 3}`);
    // 8,000 unknown left: under the cap, nothing counted, nothing lost.
    assert.equal(same(text, { path: CT, knownParameters: known }), 0);
    assert.ok(same(text + '\n' + text.replaceAll('TOOL_KEY', 'OTHER_KEY'), { path: CT, knownParameters: known }) > 0);
  });

  it('suppression comments before, around and beyond the cap (next-line, blocks, whole file), and ignoreSuppressions', () => {
    const lines: string[] = [];
    for (let i = 0; i < 22_000; i += 1) {
      if (i % 997 === 0) lines.push('# vzconf-disable-next-line deprecated-parameter');
      if (i === 9_500) lines.push('# vzconf-disable deprecated-parameter,invalid-value -- around the cap');
      if (i === 10_600) lines.push('# vzconf-enable deprecated-parameter,invalid-value');
      if (i === 20_000) lines.push('# vzconf-disable unknown-parameter');
      lines.push(i % 3 === 0 ? 'IPTABLES="ipt_REJECT"' : i % 3 === 1 ? 'IP_ADDRESS="bad"' : `KEY_${i}=x`);
    }
    const text = `${lines.join('\n')}\n`;
    for (const path of [NODE, CT]) {
      assert.ok(same(text, { path }) > 0);
      assert.ok(same(text, { path, ignoreSuppressions: true }) > 0);
    }
  });

  it('severity overrides, rules that are off, and too-many-findings off or overridden', () => {
    const text = 'IPTABLES="ipt_REJECT"\nIP_ADDRESS="bad"\nx\nHOSTNAME = a\n'.repeat(6_000);
    const overrides: LintOptions['rules'][] = [
      { 'deprecated-parameter': 'error' },
      { 'deprecated-parameter': 'off' },
      { 'invalid-value': 'off', 'too-many-findings': 'off' },
      { 'too-many-findings': 'info', 'missing-equals': 'off' },
    ];
    for (const rules of overrides) same(text, { path: CT, rules });
  });

  it('a byte-order mark before a comment on line 0, and many findings on one line (ties in position)', () => {
    same(`\uFEFF# IPTABLES="x"\n${'IPTABLES="ipt_REJECT"\n'.repeat(12_000)}`, { path: NODE });
    // One line of 12,000 list items vzctl does not know, then more lines: the cap falls inside line 0.
    same(`IPTABLES="${Array.from({ length: 12_000 }, (_, i) => `bogus_${i}`).join(' ')}"\n${'IPTABLES="ipt_REJECT"\n'.repeat(5_000)}`, { path: CT });
    same(`FEATURES="${Array.from({ length: 12_000 }, (_, i) => `f${i}:on`).join(' ')}"\n${'IP_ADDRESS="bad"\n'.repeat(3_000)}`, { path: CT });
  });

  it('files of 1,000 lines or more use the budget by default, smaller ones only when asked', () => {
    let { dropped } = budgetStats;
    lint('IPTABLES="ipt_REJECT"\n'.repeat(12_000), { path: NODE });
    assert.ok(budgetStats.dropped > dropped);
    // One line with 12,000 modules vzctl does not know: a one-line file is linted without it by default.
    const line = `IPTABLES="${Array.from({ length: 12_000 }, (_, i) => `bogus_${i}`).join(' ')}"\n`;
    dropped = budgetStats.dropped;
    lint(line, { path: CT });
    assert.equal(budgetStats.dropped, dropped);
    lint(line, { path: CT, findingsBudget: true });
    assert.ok(budgetStats.dropped > dropped);
  });

  it('random files of repeated lines (fast-check, fixed seed): kept findings and count unchanged', () => {
    const kinds = [
      'IPTABLES="ipt_REJECT"', 'IP_ADDRESS="bad"', 'IP_ADDRESS="10.0.0.1"', 'ONBOT="yes"', 'x', 'HOSTNAME = "a"',
      '# comment', '', 'NUMPROC="100:50"', 'DISKSPACE=bad', 'KMEMSIZE="1:2"', 'NETFILTER="full"', 'VETH="x"',
      '# vzconf-disable-next-line deprecated-parameter,unknown-parameter', '# vzconf-disable invalid-value',
      '# vzconf-enable invalid-value', 'NOATIME="yes"', 'FEATURES="bogus:on nfs:on"', 'IPTABLES="ipt_REJECT bogus"',
    ];
    const segment = fc.tuple(fc.nat({ max: kinds.length }), fc.integer({ min: 1, max: 3_000 }));
    const file = fc.array(segment, { minLength: 1, maxLength: 12 }).map((segs) => {
      const out: string[] = [];
      let n = 0;
      for (const [k, count] of segs) for (let i = 0; i < count; i += 1) out.push(k === kinds.length ? `KEY_${(n += 1)}=v` : (kinds[k] as string));
      return `${out.join('\n')}\n`;
    });
    const overrides: LintOptions['rules'][] = [{}, { 'unknown-parameter': 'off' }, { 'invalid-value': 'error', 'too-many-findings': 'off' }];
    const options = fc.record<LintOptions>({
      path: fc.constantFrom(CT, NODE),
      target: fc.constantFrom('auto', 'vz7', 'classic@3.0.13'),
      ignoreSuppressions: fc.boolean(),
      knownParameters: fc.constantFrom<string[]>([], ['KEY_1', 'KEY_7', 'ONBOT']),
      rules: fc.constantFrom(...overrides),
    });
    let counted = 0;
    fc.assert(fc.property(file, options, (text, opts) => { counted += same(text, opts); }), { numRuns: Number(process.env.FC_RUNS ?? 12), ...(process.env.FC_SEED ? {} : { seed: 20261201 }) });
    assert.ok(counted > 0, 'some random file was beyond the cap');
  });

  const corpus = path.resolve(__dirname, '../../../shared/corpus');
  it('the corpus: the same findings with the budget forced on', { skip: existsSync(corpus) ? false : `corpus not found at ${corpus}` }, () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : /\.(md|json)$/.test(n) ? [] : [p];
    });
    const files = walk(corpus);
    assert.ok(files.length > 100);
    for (const p of files) same(readFileSync(p, 'utf8'), { path: p });
  });
});

describe('FindingsBudget', () => {
  it('refuses only findings strictly beyond the cap-th smallest position, and counts them', () => {
    const b = new FindingsBudget(3, () => true);
    b.begin('r');
    const at = (line: number, character = 0) => ({ line, character });
    assert.deepEqual([b.admit('r', at(5)), b.admit('r', at(1)), b.admit('r', at(9))], [true, true, true]);
    // Full: the largest kept is line 9.
    assert.equal(b.admit('r', at(10)), false);
    assert.equal(b.admit('r', at(9)), true, 'a tie is built');
    assert.equal(b.admit('r', at(2)), true);
    // Now 1, 2, 5 are the smallest: 6 is beyond.
    assert.equal(b.admit('r', at(6)), false);
    assert.equal(b.admit('r', at(5, 1)), false);
    assert.equal(b.dropped, 3);
  });

  it('never refuses a finding a filter may remove, nor counts it as kept', () => {
    const b = new FindingsBudget(1, (_rule, line) => line !== 7);
    b.begin('r');
    assert.equal(b.admit('r', { line: 3, character: 0 }), true);
    assert.equal(b.admit('r', { line: 7, character: 0 }), true);
    assert.equal(b.admit('r', { line: 8, character: 0 }), false);
    assert.equal(b.admittedCount, 1);
  });
});
