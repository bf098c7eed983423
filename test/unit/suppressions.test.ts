import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { parseConfig } from '../../server/src/parser/parse';
import fc from 'fast-check';
import { parseSuppressions, suggestRuleIds, type SuppressionDirective, type SuppressionName } from '../../server/src/rules/suppressions';
import { SuppressionTracker } from '../../server/src/service/suppressions';
import { getCatalog } from '../../server/src/catalog/load';

const CT = '/etc/vz/conf/101.conf';
/** The vSwap pair classic vzctl needs (so ubc-required stays quiet). */
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
const BAD_KMEM = 'KMEMSIZE="300331648:150331648"\n';

function rules(text: string, opts: LintOptions = {}): string[] {
  return lint(text, { path: CT, ...opts }).findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);
}

describe('suppressions: parsing', () => {
  it('reads the comments of a long file (its directives in an array sized once) as those of a short one', () => {
    // Over 8,192 comments the directives' array is allocated for every `vzconf-` comment and cut to those that
    // are directives: a malformed comment or one inside a multi-line value leaves no hole in it.
    const block = (i: number) => `# vzconf-disable unknown-parameter\nX${i}=1\n# vzconf-enable unknown-parameter\n`;
    const odd = '# vzconf-disable-nextline a-rule\nV="a\n# vzconf-disable b-rule\n"\n';
    const short = `${odd}${block(0)}${block(1)}`;
    const long = `${odd}${Array.from({ length: 4200 }, (_, i) => block(i)).join('')}`;
    const a = parseSuppressions(parseConfig(short, { dialect: 'classic' }));
    const b = parseSuppressions(parseConfig(long, { dialect: 'classic' }));
    assert.equal(b.directives.length, 8400);
    assert.equal(b.nameCount, 8400);
    assert.equal(b.malformed.length, 1);
    assert.ok(b.directives.every((d, k) => d !== undefined && d.line === 4 + 3 * (k >> 1) + 2 * (k & 1)));
    const shape = (d: SuppressionDirective) => ({ line: d.line, scope: d.scope, ids: d.names.map((n) => n.id), index: d.names.map((n) => n.index), block: d.block?.get('unknown-parameter'), size: d.block?.size ?? 0 });
    assert.deepEqual(b.directives.slice(0, 4).map(shape), a.directives.map(shape));
    assert.deepEqual(a.directives.map(shape).map((x) => [x.block, x.size]), [[6, 1], [4, 1], [9, 1], [7, 1]]);
  });

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

describe('suppressions: the reading and the tracker against plain references', () => {
  /** What the comment reading was before its fast path: one regular expression per comment line, one per name. */
  function readByRegex(text: string): { scope?: string; names?: [string, number][]; reason?: string; malformed?: string } | undefined {
    const m = /^(\s*#\s*)(vzconf-[A-Za-z-]*)(.*)$/.exec(text);
    if (!m) return undefined;
    const [, lead = '', word = '', rest = ''] = m;
    const scope = word === 'vzconf-disable-next-line' ? 'line' : word === 'vzconf-disable' ? 'file' : word === 'vzconf-enable' ? 'enable' : undefined;
    if (!scope || (rest !== '' && !/^\s/.test(rest))) return { malformed: text.slice(lead.length, lead.length + word.length + (/^\S*/.exec(rest)?.[0].length ?? 0)) };
    const sep = rest.includes('--') ? rest.search(/(^|\s)--(\s|$)/) : -1;
    const list = sep < 0 ? rest : rest.slice(0, sep);
    const names = [...list.matchAll(/[^,\s]+/g)].map((n): [string, number] => [n[0], lead.length + word.length + (n.index ?? 0)]);
    return { scope, names, reason: sep < 0 ? '' : rest.slice(sep).replace(/^\s*--/, '').trim() };
  }

  it('every comment line reads as the regular expressions read it (blanks of every kind, reasons, odd characters)', () => {
    const parts = {
      lead: ['', ' ', '\t', '  \t', '\u00a0', '\f'],
      mid: ['', ' ', '\t', '\u3000'],
      word: ['vzconf-disable', 'vzconf-disable-next-line', 'vzconf-enable', 'vzconf-disablex', 'vzconf-disable-', 'vzconf-Enable', 'vzconf-'],
      rest: ['', ' a', ' a,b', '\ta, b', ' a,,b ', ' a -- why', ' a --', ' a--b -- c -- d', ' --', ' a\u00a0b', ' é,a', ' a\vb', ' a\rb', 'x', '\u00a0a', ' a\u2028b', ' unknown-parameter,unknown-parameter'],
    };
    const line = fc.tuple(fc.constantFrom(...parts.lead), fc.constantFrom(...parts.mid), fc.constantFrom(...parts.word), fc.array(fc.constantFrom(...parts.rest), { maxLength: 3 }))
      .map(([lead, mid, word, rest]) => `${lead}#${mid}${word}${rest.join('')}`);
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      const doc = parseConfig(`${lines.join('\n')}\nX=1\n`, { dialect: 'classic' });
      const { directives, malformed, nameCount } = parseSuppressions(doc);
      const expected: unknown[] = [];
      doc.lines.forEach((l, i) => {
        if (l.kind !== 'comment' || doc.continuationLines.has(i)) return;
        const r = readByRegex(doc.text[i] ?? '');
        if (r) expected.push({ line: i, ...r });
      });
      let index = 0;
      const actual: unknown[] = [];
      const byLine = new Map<number, unknown>([
        ...directives.map((d): [number, unknown] => [d.line, { line: d.line, scope: d.scope, names: d.names.map((n) => {
          assert.equal(n.index, index++, 'names are numbered in file order');
          assert.deepEqual(n.range, { start: { line: d.line, character: n.character }, end: { line: d.line, character: n.character + n.id.length } });
          return [n.id, n.character];
        }), reason: d.reason }]),
        ...malformed.map((m): [number, unknown] => [m.line, { line: m.line, malformed: m.word }]),
      ]);
      for (const k of [...byLine.keys()].sort((a, b) => a - b)) actual.push(byLine.get(k));
      assert.deepEqual(actual, expected);
      assert.equal(nameCount, index);
    }), { numRuns: 300, seed: 20261202 });
  });

  /** The name that silences a finding of `rule` on `line`, read off the directives one by one (see SuppressionTracker). */
  function coveringByHand(directives: readonly SuppressionDirective[], rule: string, line: number): SuppressionName | undefined {
    for (const d of directives) if (d.scope === 'line' && d.targetLine === line) for (const n of d.names) if (n.id === rule) return n;
    let inner: SuppressionDirective | undefined;
    for (const d of directives) {
      const to = d.scope === 'file' ? d.block?.get(rule) : undefined;
      if (to !== undefined && line > d.line && line < to && (inner === undefined || d.line > inner.line)) inner = d;
    }
    if (inner) return inner.names.find((n) => n.id === rule);
    for (const d of directives) if (d.scope === 'file') for (const n of d.names) if (n.id === rule && d.block?.get(rule) === undefined) return n;
    return undefined;
  }

  it('the tracker credits the name a plain walk over the comments finds, on every line, for every rule', () => {
    const many = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 'a' : `r${i}`)).join(',');
    const kinds = [
      '# vzconf-disable a', '# vzconf-disable a,b', '# vzconf-disable b,a,a', '# vzconf-enable a', '# vzconf-enable b,a',
      '# vzconf-enable a,a', '# vzconf-disable-next-line a', '# vzconf-disable-next-line b,a', `# vzconf-disable-next-line ${many}`,
      `# vzconf-disable ${many},b`, `# vzconf-enable ${many}`, '', 'X=1', '# note', '# vzconf-disable c -- why',
    ];
    fc.assert(fc.property(fc.array(fc.constantFrom(...kinds), { maxLength: 40 }), (lines) => {
      const doc = parseConfig(`${lines.join('\n')}\n`, { dialect: 'classic' });
      const { directives, nameCount } = parseSuppressions(doc);
      const tracker = new SuppressionTracker(directives, nameCount);
      for (const rule of ['a', 'b', 'c', 'r1', 'd']) {
        for (let l = 0; l <= lines.length; l += 1) assert.equal(tracker.covering(rule, l), coveringByHand(directives, rule, l), `${rule} on line ${l} of\n${lines.join('\n')}`);
      }
    }), { numRuns: 400, seed: 20261202 });
  });
});
