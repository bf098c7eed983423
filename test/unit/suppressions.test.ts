import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { parseConfig } from '../../server/src/parser/parse';
import { parseSuppressions, suggestRuleIds } from '../../server/src/rules/suppressions';
import { getCatalog } from '../../server/src/catalog/load';

const CT = '/etc/vz/conf/101.conf';
/** The vSwap pair classic vzctl needs (so ubc-required stays quiet). */
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
const BAD_KMEM = 'KMEMSIZE="300331648:150331648"\n';

function rules(text: string, opts: LintOptions = {}): string[] {
  return lint(text, { path: CT, ...opts }).findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);
}

describe('suppressions: parsing', () => {
  it('reads both directives, rule lists and reasons with their positions', () => {
    const doc = parseConfig('# vzconf-disable-next-line a-rule, b-rule -- because\nX=1\n  #vzconf-disable c-rule\n', { dialect: 'classic' });
    const { directives, malformed } = parseSuppressions(doc);
    assert.deepEqual(malformed, []);
    assert.equal(directives.length, 2);
    const [next, file] = directives;
    assert.equal(next?.scope, 'line');
    assert.equal(next?.targetLine, 1);
    assert.deepEqual(next?.names.map((n) => n.id), ['a-rule', 'b-rule']);
    assert.deepEqual(next?.names[0]?.range, { start: { line: 0, character: 27 }, end: { line: 0, character: 33 } });
    assert.equal(next?.reason, 'because');
    assert.equal(file?.scope, 'file');
    assert.deepEqual(file?.names.map((n) => n.id), ['c-rule']);
    assert.equal(file?.reason, '');
  });

  it('the next line skips blank lines and stacked suppression comments, not other comments', () => {
    const doc = parseConfig('# vzconf-disable-next-line a\n\n# vzconf-disable-next-line b\nX=1\n# vzconf-disable-next-line c\n# note\nY=2\n', { dialect: 'classic' });
    const targets = parseSuppressions(doc).directives.map((d) => d.targetLine);
    assert.deepEqual(targets, [3, 3, 5]);
  });

  it('40 000 stacked next-line comments all reach the line below them (one linear pass, no search per comment)', () => {
    const n = 40000;
    const text = `${'# vzconf-disable-next-line unknown-parameter\n'.repeat(n)}FOO=1\n`;
    const { directives } = parseSuppressions(parseConfig(text, { dialect: 'classic' }));
    assert.equal(directives.length, n);
    assert.ok(directives.every((d) => d.targetLine === n), 'every comment targets FOO=1');
    assert.deepEqual(rules(`${VSWAP}${text}`).filter((r) => r.startsWith('unknown-parameter')), []);
    // Nothing but comments and blanks after them: no target.
    const tail = parseSuppressions(parseConfig('X=1\n# vzconf-disable-next-line a\n\n# vzconf-disable-next-line b\n\n', { dialect: 'classic' }));
    assert.deepEqual(tail.directives.map((d) => d.targetLine), [undefined, undefined]);
  });

  it('a misspelt directive is malformed, not a suppression', () => {
    const doc = parseConfig('# vzconf-disable-nextline unknown-parameter\n# vzconf-enabled x\n# vzconf is great\n', { dialect: 'classic' });
    const p = parseSuppressions(doc);
    assert.deepEqual(p.directives, []);
    assert.deepEqual(p.malformed.map((m) => m.word), ['vzconf-disable-nextline', 'vzconf-enabled']);
  });

  it('suggests rule ids within two edits', () => {
    assert.deepEqual(suggestRuleIds(getCatalog(), 'unknwn-parameter'), ['unknown-parameter']);
    assert.deepEqual(suggestRuleIds(getCatalog(), 'zzzzzzzz'), []);
  });
});

describe('suppressions: filtering in lint()', () => {
  it('next-line silences only the named rule on the next line', () => {
    const text = `${VSWAP}# vzconf-disable-next-line barrier-above-limit -- vendor says so\n${BAD_KMEM}${BAD_KMEM.replace('KMEMSIZE', 'DCACHESIZE')}`;
    assert.deepEqual(rules(text), ['barrier-above-limit@5']);
  });

  it('next-line with another rule does not silence; a file-wide one anywhere does', () => {
    const other = `${VSWAP}# vzconf-disable-next-line unknown-parameter\n${BAD_KMEM}`;
    assert.deepEqual(rules(other), ['unused-suppression@3', 'barrier-above-limit@4']);
    const fileWide = `${VSWAP}${BAD_KMEM}MY_KEY="1"\n# vzconf-disable barrier-above-limit,unknown-parameter -- at the end of the file\n`;
    assert.deepEqual(rules(fileWide), []);
  });

  it('indented comments and Virtuozzo 7 files work too; an inline comment is not a suppression', () => {
    assert.deepEqual(rules(`${VSWAP}   # vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}`), []);
    assert.deepEqual(rules(`# vzconf-disable-next-line unknown-parameter\nMY_KEY="1"\n`, { target: 'vz7' }), []);
    const inline = `${VSWAP}KMEMSIZE="300331648:150331648" # vzconf-disable-next-line barrier-above-limit\n`;
    assert.ok(rules(inline).some((r) => r.startsWith('barrier-above-limit')), rules(inline).join());
  });

  it('vzconf-disable … vzconf-enable silences the rule on the lines between them only; without an enable, the whole file', () => {
    const text = `${VSWAP}${BAD_KMEM}# vzconf-disable barrier-above-limit,unknown-parameter -- migrating\nLOCKEDPAGES="300:100"\nFOO=1\n# vzconf-enable barrier-above-limit\nSHMPAGES="300:100"\nBAR=2\n`;
    // barrier-above-limit: silenced on line 5 only (the block); unknown-parameter: the whole file (no enable of it).
    assert.deepEqual(rules(text).filter((r) => !r.startsWith('ubc')).sort(), ['barrier-above-limit@3', 'barrier-above-limit@8']);
    // Blocks of one rule pair in order; a second enable ends nothing and is reported.
    const twice = `${VSWAP}# vzconf-disable barrier-above-limit -- a\n${BAD_KMEM}# vzconf-enable barrier-above-limit\n# vzconf-enable barrier-above-limit\nLOCKEDPAGES="300:100"\n`;
    assert.deepEqual(rules(twice).filter((r) => !r.startsWith('ubc')), ['unknown-suppression@6', 'barrier-above-limit@7']);
    const f = lint(twice, { path: CT }).findings.find((x) => x.rule === 'unknown-suppression');
    assert.equal(f?.message, 'vzconf-enable barrier-above-limit has no vzconf-disable of it above, so it ends nothing');
    // An enable above its disable ends nothing either: the disable then covers the whole file.
    const before = `# vzconf-enable barrier-above-limit\n${VSWAP}${BAD_KMEM}# vzconf-disable barrier-above-limit -- a\n`;
    assert.deepEqual(rules(before).filter((r) => !r.startsWith('ubc')), ['unknown-suppression@1']);
    // An unknown rule in an enable, and an enable without rules, are reported as for the other directives.
    assert.deepEqual(rules(`${VSWAP}# vzconf-enable barier-above-limit\n# vzconf-enable\n`), ['unknown-suppression@3', 'unknown-suppression@4']);
  });

  it('nested vzconf-disable … vzconf-enable blocks pair like brackets: only the lines inside the outer pair are silenced', () => {
    const D = '# vzconf-disable unknown-parameter';
    const E = '# vzconf-enable unknown-parameter';
    const text = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nFOO0=x\n${D} -- outer\nFOO1=x\n${D} -- inner\nFOO2=x\n${E}\nFOO3=x\n${E}\nFOO4=x\n`;
    assert.deepEqual(rules(text), ['unknown-parameter@3', 'unknown-parameter@11']);
    // An inner block left open: the outer enable closes it, and the outer disable (never closed) covers the whole file.
    const open = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nFOO0=x\n${D} -- outer\nFOO1=x\n${D} -- inner\nFOO2=x\n${E}\nFOO4=x\n`;
    assert.deepEqual(rules(open), []);
  });

  it('ignoreSuppressions reports everything', () => {
    const text = `${VSWAP}# vzconf-disable barrier-above-limit\n${BAD_KMEM}`;
    assert.deepEqual(rules(text), []);
    assert.deepEqual(rules(text, { ignoreSuppressions: true }), ['barrier-above-limit@4']);
  });

  it('severity overrides and suppressions combine', () => {
    const text = `${VSWAP}${BAD_KMEM}`;
    const r = lint(text, { path: CT, rules: { 'barrier-above-limit': 'info' } });
    assert.equal(r.findings[0]?.severity, 'info');
  });
});

describe('unknown-suppression', () => {
  it('reports an unknown rule id at its position with a did-you-mean fix', () => {
    const r = lint(`# vzconf-disable-next-line unknwn-parameter -- typo\nMY_KEY="1"\n${VSWAP}`, { path: CT });
    const u = r.findings.find((f) => f.rule === 'unknown-suppression');
    assert.ok(u);
    assert.equal(u.severity, 'warning');
    assert.deepEqual(u.range, { start: { line: 0, character: 27 }, end: { line: 0, character: 43 } });
    assert.match(u.message, /did you mean unknown-parameter\?/i);
    assert.deepEqual(u.fixes?.map((f) => [f.title, f.safe, f.edits[0]?.newText]), [['Change to unknown-parameter', false, 'unknown-parameter']]);
    assert.ok(r.findings.some((f) => f.rule === 'unknown-parameter'), 'nothing was silenced');
  });

  it('reports a directive without rules and a misspelt directive', () => {
    const r = lint(`# vzconf-disable -- everything\n# vzconf-disable-nextline unknown-parameter\n${VSWAP}`, { path: CT });
    const found = r.findings.filter((f) => f.rule === 'unknown-suppression');
    assert.equal(found.length, 2);
    assert.match(found[0]?.message ?? '', /names no rule/);
    assert.match(found[1]?.message ?? '', /did you mean vzconf-disable-next-line\?/i);
  });

  it('is quiet for known ids, ordinary comments, and can itself be turned off', () => {
    assert.deepEqual(rules(`# vzconf-disable-next-line unknown-parameter, ubc-required -- ok\nMY_KEY="1"\n# a comment about vzconf\n${VSWAP}`), ['unused-suppression@1']);
    assert.deepEqual(rules(`# vzconf-disable-next-line unknown-parameter, ubc-required -- ok\nMY_KEY="1"\n# a comment about vzconf\n${VSWAP}`, { rules: { 'unused-suppression': 'off' } }), []);
    assert.deepEqual(rules(`# vzconf-disable bogus-rule\n${VSWAP}`, { rules: { 'unknown-suppression': 'off' } }), []);
  });
});

describe('knownParameters', () => {
  it('unknown-parameter accepts the custom keys, and only those', () => {
    const text = `MY_TOOL_ID="1"\nOTHER_KEY="2"\n${VSWAP}`;
    assert.deepEqual(rules(text, { knownParameters: ['MY_TOOL_ID'] }), ['unknown-parameter@2']);
    assert.deepEqual(rules(text), ['unknown-parameter@1', 'unknown-parameter@2']);
  });
});

describe('suppressions: node-level findings (lintNode)', () => {
  const ct = `${VSWAP}IP_ADDRESS="10.0.0.5"\n`;
  it('a file-wide or next-line suppression in the file the finding lands in silences it', () => {
    const input = {
      containers: [
        { path: '/n/etc/vz/conf/101.conf', text: ct },
        { path: '/n/etc/vz/conf/102.conf', text: `${VSWAP}# vzconf-disable-next-line duplicate-ip-address -- failover pair\nIP_ADDRESS="10.0.0.5"\n` },
      ],
    };
    const r = lintNode(input);
    const dup = (p: string): number => r.files.find((f) => f.path === p)?.findings.filter((f) => f.rule === 'duplicate-ip-address').length ?? -1;
    assert.equal(dup('/n/etc/vz/conf/101.conf'), 1);
    assert.equal(dup('/n/etc/vz/conf/102.conf'), 0);
    // A block around the line works for node findings too.
    const blocked = lintNode({ containers: [input.containers[0] as { path: string; text: string }, { path: '/n/etc/vz/conf/102.conf', text: `${VSWAP}# vzconf-disable duplicate-ip-address -- failover pair\nIP_ADDRESS="10.0.0.5"\n# vzconf-enable duplicate-ip-address\n` }] });
    assert.equal(blocked.files.find((f) => f.path === '/n/etc/vz/conf/102.conf')?.findings.filter((f) => f.rule === 'duplicate-ip-address').length, 0);
    const outside = lintNode({ containers: [input.containers[0] as { path: string; text: string }, { path: '/n/etc/vz/conf/102.conf', text: `${VSWAP}# vzconf-disable duplicate-ip-address -- failover pair\n# vzconf-enable duplicate-ip-address\nIP_ADDRESS="10.0.0.5"\n` }] });
    assert.equal(outside.files.find((f) => f.path === '/n/etc/vz/conf/102.conf')?.findings.filter((f) => f.rule === 'duplicate-ip-address').length, 1);
    const audit = lintNode(input, { ignoreSuppressions: true });
    assert.equal(audit.files.find((f) => f.path === '/n/etc/vz/conf/102.conf')?.findings.filter((f) => f.rule === 'duplicate-ip-address').length, 1);
  });
});
