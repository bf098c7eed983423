/**
 * The findings budget (server/src/rules/budget.ts): the status rules (deprecated, ignored, removed parameter)
 * count the findings certainly beyond the findings cap instead of building them. The findings kept, every
 * field of them (fixes included), and the "N more findings not shown" count must be those of a lint that
 * builds every finding (`allFindings`), for every input: the pathological bench lines, suppression comments
 * before, around and beyond the cap, custom keys, severity overrides, `off` rules, a byte-order-mark comment,
 * a template, the corpus, and random files of repeated lines (fast-check).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FindingsBudget, RuleBudget } from '../../server/src/rules/budget';
import { copyFinding } from '../../server/src/rules/finding';
import { RULES } from '../../server/src/rules/index';
import type { Finding, Fix, LintContext, Rule } from '../../server/src/rules/types';
import { lint, type LintOptions } from '../../server/src/service/lint';

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

const STATUS_RULES: ReadonlySet<string> = new Set(['deprecated-parameter', 'ignored-parameter', 'removed-parameter']);

/** How many findings of rules `ids` (the status rules) a lint built, counted by wrapping their checks. */
function countBuilt(run: () => void, ids: ReadonlySet<string> = STATUS_RULES): number {
  const rules = RULES as Rule[];
  const saved = rules.slice();
  let built = 0;
  for (let i = 0; i < rules.length; i += 1) {
    const r = rules[i] as Rule;
    if (ids.has(r.id)) rules[i] = { id: r.id, check: (ctx: LintContext) => { const out = r.check(ctx); built += out.length; return out; } };
  }
  try {
    run();
  } finally {
    for (let i = 0; i < saved.length; i += 1) rules[i] = saved[i] as Rule;
  }
  return built;
}

/**
 * Lints `text` with the budget and building every finding, asserts the findings are deep-equal (and the
 * "more findings" line with them); returns how many status findings the budget left unbuilt.
 */
function same(text: string, options: LintOptions, ids: ReadonlySet<string> = STATUS_RULES): number {
  let budgeted: Finding[] = [];
  let full: Finding[] = [];
  const builtWith = countBuilt(() => { budgeted = lint(text, options).findings; }, ids);
  const builtWithout = countBuilt(() => { full = lint(text, { ...options, allFindings: true }).findings; }, ids);
  assert.deepEqual(plain(budgeted), plain(full));
  return builtWithout - builtWith;
}

const more = (text: string, options: LintOptions): string | undefined => lint(text, options).findings.find((f) => f.rule === 'too-many-findings')?.message;

describe('findings budget: the same findings as building every one', () => {
  it('40,000 repeated IPTABLES lines in a container config (the bench line): 30,000 not built, the count exact', () => {
    const text = 'IPTABLES="ipt_REJECT"\n'.repeat(40_000);
    assert.equal(same(text, { path: CT }), 30_000);
    // 40,000 deprecated-parameter + duplicate-parameter + ubc-required, 10,000 shown.
    assert.match(more(text, { path: CT }) ?? '', /^30002 more findings not shown/);
  });

  it('the same in vz.conf (one shared fix), and ignored and removed parameters (VETH, NOATIME on vzctl 4.3)', () => {
    assert.equal(same('IPTABLES="ipt_REJECT"\n'.repeat(25_000), { path: NODE }), 15_000);
    assert.equal(same('VETH="x"\n'.repeat(12_000), { path: CT, target: 'classic@4.3' }), 2_000);
    assert.equal(same('NOATIME="yes"\nVETH="x"\n'.repeat(11_000), { path: CT, target: 'classic@4.3' }), 2_000);
  });

  it('suppression comments before, around and beyond the cap (next-line, blocks, whole file), and ignoreSuppressions', () => {
    const lines: string[] = [];
    for (let i = 0; i < 16_000; i += 1) {
      if (i % 997 === 0) lines.push('# vzconf-disable-next-line deprecated-parameter');
      if (i === 10_500) lines.push('# vzconf-disable deprecated-parameter,invalid-value -- around the cap');
      if (i === 11_600) lines.push('# vzconf-enable deprecated-parameter,invalid-value');
      if (i === 14_000) lines.push('# vzconf-disable unknown-parameter');
      lines.push(i % 7 === 0 ? 'IP_ADDRESS="bad"' : i % 7 === 1 ? `KEY_${i}=x` : 'IPTABLES="ipt_REJECT"');
    }
    const text = `${lines.join('\n')}\n`;
    for (const p of [NODE, CT]) {
      assert.ok(same(text, { path: p }) > 0);
      assert.ok(same(text, { path: p, ignoreSuppressions: true }) > 0);
    }
    // A block that silences most IPTABLES lines: fewer than the cap are kept, every one is built, and the
    // 9,000 silenced ones are not.
    const ipt = (n: number): string => 'IPTABLES="ipt_REJECT"\n'.repeat(n);
    const mostSilenced = `${ipt(5_000)}# vzconf-disable deprecated-parameter\n${ipt(9_000)}# vzconf-enable deprecated-parameter\n${ipt(4_000)}`;
    assert.equal(same(mostSilenced, { path: CT }), 9_000);
    // Beyond the cap, a block: its lines are neither built nor counted, those after it are counted.
    const late = `${ipt(15_000)}# vzconf-disable deprecated-parameter\n${ipt(5_000)}# vzconf-enable deprecated-parameter\n${ipt(1_000)}`;
    assert.equal(same(late, { path: CT }), 11_000);
    // 16,000 deprecated-parameter, ubc-required, and duplicate-parameter for each of the three runs of lines.
    assert.match(more(late, { path: CT }) ?? '', /^6004 more findings not shown/);
  });

  it('a suppression comment that silences only findings beyond the cap is still unused-suppression-free (as without the budget)', () => {
    const text = `${'IPTABLES="ipt_REJECT"\n'.repeat(12_000)}# vzconf-disable-next-line deprecated-parameter\nIPTABLES="ipt_REJECT"\n`;
    same(text, { path: CT });
    assert.ok(!lint(text, { path: CT }).findings.some((f) => f.rule === 'unused-suppression'));
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

  it('custom keys (knownParameters), a byte-order mark before a comment on line 0, and a template', () => {
    same(`${'IPTABLES="ipt_REJECT"\nTOOL_KEY=1\n'.repeat(8_000)}`, { path: CT, knownParameters: ['TOOL_KEY'] });
    same(`\uFEFF# IPTABLES="x"\n${'IPTABLES="ipt_REJECT"\n'.repeat(12_000)}`, { path: NODE });
    same(`\uFEFFIPTABLES="x"\n${'IPTABLES="ipt_REJECT"\n'.repeat(12_000)}`, { path: CT });
    const template = `{% if a %}\nIPTABLES="{{ x }}"\n{% endif %}\n${'IPTABLES="ipt_REJECT"\n'.repeat(12_000)}`;
    assert.ok(same(template, { path: `${CT}.j2` }) > 0);
  });

  it('random files of repeated lines (fast-check, fixed seed): kept findings and count unchanged', () => {
    const kinds = [
      'IPTABLES="ipt_REJECT"', 'IP_ADDRESS="bad"', 'ONBOT="yes"', 'x', 'HOSTNAME = "a"', '# comment', '',
      'NETFILTER="full"', 'VETH="x"', 'NOATIME="yes"', 'KMEMSIZE="1:2"',
      '# vzconf-disable-next-line deprecated-parameter,unknown-parameter', '# vzconf-disable deprecated-parameter',
      '# vzconf-enable deprecated-parameter', '# vzconf-disable ignored-parameter', 'IPTABLES="ipt_REJECT bogus"',
    ];
    const segment = fc.tuple(fc.nat({ max: kinds.length }), fc.integer({ min: 1, max: 4_000 }));
    // A run of one status key long enough to reach the cap, somewhere among the segments.
    const long = fc.tuple(fc.constantFrom(0, 8, 9), fc.integer({ min: 9_000, max: 12_000 }));
    const file = fc.tuple(fc.array(segment, { maxLength: 4 }), long, fc.array(segment, { maxLength: 4 })).map(([before, run, after]) => {
      const segs = [...before, run, ...after];
      const out: string[] = [];
      let n = 0;
      for (const [k, count] of segs) for (let i = 0; i < count; i += 1) out.push(k === kinds.length ? `KEY_${(n += 1)}=v` : (kinds[k] as string));
      return `${out.join('\n')}\n`;
    });
    const overrides: LintOptions['rules'][] = [{}, { 'unknown-parameter': 'off' }, { 'deprecated-parameter': 'error', 'too-many-findings': 'off' }];
    const options = fc.record<LintOptions>({
      path: fc.constantFrom(CT, NODE),
      target: fc.constantFrom('auto', 'vz7', 'classic@4.3'),
      ignoreSuppressions: fc.boolean(),
      knownParameters: fc.constantFrom<string[]>([], ['KEY_1', 'ONBOT']),
      rules: fc.constantFrom(...overrides),
    });
    let counted = 0;
    fc.assert(fc.property(file, options, (text, opts) => { counted += same(text, opts); }), { numRuns: Number(process.env.FC_RUNS ?? 12), ...(process.env.FC_SEED ? {} : { seed: 20261201 }) });
    assert.ok(counted > 0, 'some random file was beyond the cap');
  });

  const corpus = path.resolve(__dirname, '../../../shared/corpus');
  it('the corpus: the same findings', { skip: existsSync(corpus) ? false : `corpus not found at ${corpus}` }, () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : /\.(md|json)$/.test(n) ? [] : [p];
    });
    const files = walk(corpus);
    assert.ok(files.length > 100);
    for (const p of files) assert.equal(same(readFileSync(p, 'utf8'), { path: p }), 0);
  });
});

describe('findings a suppression comment silences: not built, the same findings', () => {
  const UNKNOWN: ReadonlySet<string> = new Set(['unknown-parameter']);
  /** `rule@line` of the findings but ubc-required (these files have no UBC). */
  const found = (text: string, options: LintOptions = { path: CT }): string[] =>
    lint(text, options).findings.filter((f) => f.rule !== 'ubc-required').map((f) => `${f.rule}@${f.range.start.line}`);
  const blocks = (k: number): string => Array.from({ length: k }, (_, i) => `# vzconf-disable unknown-parameter\nX${i}=1\n# vzconf-enable unknown-parameter\n`).join('');

  it('vzconf-disable … vzconf-enable blocks around one unknown parameter each (the bench line): none built, none unused', () => {
    assert.equal(same(blocks(1_000), { path: CT }, UNKNOWN), 1_000);
    assert.deepEqual(found(blocks(1_000)), []);
    // At the cap (10,000 findings before the filters), unused-suppression is not judged, as when they were built.
    const atCap = `${blocks(9_999)}# vzconf-disable unknown-parameter\nX=1\n# vzconf-enable unknown-parameter\n# vzconf-disable-next-line invalid-value\nONBOOT=yes\n`;
    assert.equal(same(atCap, { path: CT }, UNKNOWN), 10_000);
    assert.ok(!lint(atCap, { path: CT }).findings.some((f) => f.rule === 'unused-suppression'));
    const belowCap = `${blocks(9_998)}# vzconf-disable-next-line invalid-value\nONBOOT=yes\n`;
    assert.equal(same(belowCap, { path: CT }, UNKNOWN), 9_998);
    assert.deepEqual(found(belowCap), ['unused-suppression@29994']);
  });

  it('next-line, whole-file and unused comments, custom keys, ignoreSuppressions, templates, a byte-order-mark comment', () => {
    const text = '# vzconf-disable-next-line unknown-parameter\nA=1\nB=2\n# vzconf-disable-next-line unknown-parameter,invalid-value\nC=3\n# vzconf-disable-next-line unknown-parameter\nONBOOT=yes\n';
    assert.equal(same(text, { path: CT }, UNKNOWN), 2);
    assert.deepEqual(found(text), ['unknown-parameter@2', 'unused-suppression@3', 'unused-suppression@5']);
    assert.equal(same(text, { path: CT, knownParameters: ['A'] }, UNKNOWN), 2);
    assert.equal(same(text, { path: CT, ignoreSuppressions: true }, UNKNOWN), 0);
    assert.equal(same(`${text}# vzconf-disable unknown-parameter\n`, { path: CT }, UNKNOWN), 3);
    assert.equal(same(`{% if x %}\n${text}{% endif %}\n`, { path: `${CT}.j2` }, UNKNOWN), 2);
    // Line 0 that is a comment once its byte-order mark goes: its finding is dropped before any credit, so
    // the comment that covers it alone is unused.
    const bom = '\uFEFF# MEMORY = 1G\n# vzconf-disable unknown-parameter\n';
    same(bom, { path: CT }, UNKNOWN);
    assert.ok(lint(bom, { path: CT }).findings.some((f) => f.rule === 'unused-suppression'));
    // The status rules skip them too (before the cap as beyond it).
    assert.equal(same(`# vzconf-disable deprecated-parameter\n${'IPTABLES="ipt_REJECT"\n'.repeat(3_000)}# vzconf-enable deprecated-parameter\nIPTABLES="ipt_REJECT"\n`, { path: CT }), 3_000);
  });

  it('a rule that throws: the comments its skipped findings would have used are not counted as used', () => {
    const rules = RULES as Rule[];
    const at = rules.findIndex((r) => r.id === 'unknown-parameter');
    const real = rules[at] as Rule;
    rules[at] = { ...real, check: (ctx: LintContext) => { real.check(ctx); throw new Error('boom'); } };
    try {
      const text = '# vzconf-disable-next-line unknown-parameter\nA=1\n';
      const budgeted = lint(text, { path: CT }).findings;
      assert.deepEqual(plain(budgeted), plain(lint(text, { path: CT, allFindings: true }).findings));
      assert.deepEqual(budgeted.filter((f) => f.rule !== 'ubc-required').map((f) => `${f.rule}@${f.range.start.line}`), ['unknown-parameter@0', 'unused-suppression@0']);
    } finally {
      rules[at] = real;
    }
  });
});

describe('RuleBudget', () => {
  it('builds findings until the cap holds that many kept ones, then counts the kept ones it refuses', () => {
    // Line 7 is removed by a filter (a suppression comment, say): built, never counted.
    const budget = new FindingsBudget({ kept: (_rule, line) => line !== 7, silencer: () => undefined }, 3);
    const r = new RuleBudget(budget, 'r');
    assert.deepEqual([1, 2, 7, 9].map((line) => r.admit(line)), [true, true, true, true]);
    assert.deepEqual([10, 7, 11].map((line) => r.admit(line)), [false, false, false]);
    assert.equal(budget.take(), 2, 'lines 10 and 11 counted, 7 not');
    assert.equal(budget.take(), 0, 'take resets the count');
  });

  it('keeps each rule’s count apart: one rule’s kept findings say nothing of another’s', () => {
    const budget = new FindingsBudget({ kept: () => true, silencer: () => undefined }, 2);
    const a = new RuleBudget(budget, 'a');
    const b = new RuleBudget(budget, 'b');
    assert.deepEqual([a.admit(1), a.admit(2), a.admit(3)], [true, true, false]);
    assert.deepEqual([b.admit(0), b.admit(1)], [true, true]);
    assert.equal(budget.take(), 1);
  });

  it('skips what a suppression comment silences, in any order and before the cap, and hands its names over once', () => {
    const name = { id: 'r', character: 2, index: 0, range: { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } } };
    const budget = new FindingsBudget({ kept: () => true, silencer: (rule, line) => (rule === 'r' && line === 5 ? name : undefined) }, 2);
    const r = new RuleBudget(budget, 'r');
    assert.deepEqual([r.silenced(6), r.silenced(5), r.admit(5), r.admit(1), r.admit(2), r.admit(3), r.silenced(5)], [false, true, false, true, true, false, true]);
    assert.equal(new RuleBudget(budget, 'other').silenced(5), false);
    assert.deepEqual(budget.takeSilenced(), [name, name, name]);
    assert.deepEqual(budget.takeSilenced(), []);
    assert.equal(budget.take(), 1);
  });
});
