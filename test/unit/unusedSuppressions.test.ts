import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capFindings, lint, toEditorFinding, type LintOptions } from '../../server/src/service/lint';
import { MAX_FINDINGS_PER_FILE } from '../../server/src/limits';
import { suppressionTracker } from '../../server/src/service/suppressions';
import { filterTemplateFindings } from '../../server/src/service/template';
import { lintNode, NodeLinter, NODE_LEVEL_RULES, type NodeInput, type NodeLintOptions } from '../../server/src/service/node';
import { NODE_LEVEL_RULE_IDS, unusedSuppressionFindings } from '../../server/src/service/unusedSuppressions';
import { fixAllText } from '../../server/src/service/codeActions';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import type { Finding } from '../../server/src/rules/types';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCaptured } from '../helpers/vzlint';

const CT = '/etc/vz/conf/101.conf';
const NODE_PATH = '/etc/vz/vz.conf';
const NODE = { path: NODE_PATH, text: 'VE_LAYOUT=ploop\n' };
/** The vSwap pair classic vzctl needs (so ubc-required stays quiet). */
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
const BAD_KMEM = 'KMEMSIZE="300331648:150331648"\n';
const OPTS: LintOptions = { path: CT, nodeConfig: NODE };

function unused(text: string, opts: LintOptions = {}): Finding[] {
  return lint(text, { ...OPTS, ...opts }).findings.filter((f) => f.rule === 'unused-suppression');
}
function at(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.character}-${f.range.end.character}`;
}
/** Applies every safe fix of `text`'s findings (as fix-all and `vzlint --fix` do). */
async function fixed(text: string, opts: LintOptions = {}): Promise<string> {
  const o = { ...OPTS, ...opts };
  return (await fixAllText(text, lint(text, o).findings, (t) => lint(t, o).findings)).text;
}

describe('unused-suppression', () => {
  it('a comment that silences a finding is quiet; one whose line has no such finding is reported, faded, info', () => {
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}`), []);
    const [f, ...rest] = unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit -- old\nKMEMSIZE="1:2"\n`);
    assert.equal(rest.length, 0);
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.equal(f.unnecessary, true);
    assert.equal(f.message, 'Unused vzconf-disable-next-line of barrier-above-limit: it silences nothing on line 4');
    assert.equal(at(f), '3:0-53');
    assert.deepEqual(toDiagnostic(f).tags, [1], 'LSP Unnecessary tag');
    assert.ok(f.message.length <= 100);
  });

  it('one unused id of several: reported on the id, the fix takes only it out (first, middle, last)', async () => {
    const text = `${VSWAP}# vzconf-disable-next-line invalid-value, barrier-above-limit,unknown-parameter -- x\n${BAD_KMEM}`;
    const found = unused(text);
    assert.deepEqual(found.map((f) => [f.message, at(f)]), [
      ['Unused invalid-value: it silences nothing on line 4', '3:27-40'],
      ['Unused unknown-parameter: it silences nothing on line 4', '3:62-79'],
    ]);
    assert.deepEqual(found.map((f) => f.fixes?.map((x) => [x.title, x.safe])), [[['Remove invalid-value from this comment', true]], [['Remove unknown-parameter from this comment', true]]]);
    assert.equal(await fixed(text), `${VSWAP}# vzconf-disable-next-line barrier-above-limit -- x\n${BAD_KMEM}`);
    const middle = `${VSWAP}# vzconf-disable-next-line barrier-above-limit invalid-value,value-truncated\n${BAD_KMEM}`;
    assert.equal(await fixed(middle), `${VSWAP}# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}`);
  });

  it('fix-all removes whole comments and keeps every finding silenced that was', async () => {
    const text = `# vzconf-disable invalid-value -- nothing invalid any more\n${VSWAP}# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}# vzconf-disable-next-line unknown-parameter\nONBOOT="yes"\n`;
    const after = await fixed(text);
    assert.equal(after, `${VSWAP}# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}ONBOOT="yes"\n`);
    assert.deepEqual(lint(after, OPTS).findings, []);
  });

  it('two comments over one finding: the most specific is used, the wider one is reported', () => {
    const text = `# vzconf-disable barrier-above-limit\n${VSWAP}# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}`;
    assert.deepEqual(unused(text).map(at), ['1:0-36']);
    // Stacked next-line comments: the first is used.
    const stacked = `${VSWAP}# vzconf-disable-next-line barrier-above-limit\n# vzconf-disable-next-line barrier-above-limit\n${BAD_KMEM}`;
    assert.deepEqual(unused(stacked).map((f) => f.range.start.line + 1), [4]);
    // An id written twice: the second is reported, its fix keeps the first.
    const twice = unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit,barrier-above-limit\n${BAD_KMEM}`);
    assert.deepEqual(twice.map(at), ['3:47-66']);
  });

  it('blocks: an unused block is removed with its vzconf-enable; a used one and nested ones are judged per block', async () => {
    const text = `${VSWAP}# vzconf-disable barrier-above-limit\nONBOOT="yes"\n# vzconf-enable barrier-above-limit\n${BAD_KMEM}`;
    const [f] = unused(text);
    assert.equal(f?.message, 'Unused vzconf-disable of barrier-above-limit: it silences nothing on line 4');
    assert.equal(f?.fixes?.[0]?.title, 'Remove this unused vzconf-disable comment and its vzconf-enable');
    assert.equal(await fixed(text), `${VSWAP}ONBOOT="yes"\n${BAD_KMEM}`);
    const used = `${VSWAP}# vzconf-disable barrier-above-limit\n${BAD_KMEM}# vzconf-enable barrier-above-limit\n`;
    assert.deepEqual(unused(used), []);
    // The outer block's own lines have the finding, the inner block has none.
    const nested = `${VSWAP}# vzconf-disable barrier-above-limit\n${BAD_KMEM}# vzconf-disable barrier-above-limit\nONBOOT="yes"\n# vzconf-enable barrier-above-limit\n# vzconf-enable barrier-above-limit\n`;
    assert.deepEqual(unused(nested).map((x) => x.range.start.line + 1), [5]);
    // An enable that ends two blocks loses only the unused one's id.
    const shared = `${VSWAP}# vzconf-disable barrier-above-limit\n# vzconf-disable invalid-value\n${BAD_KMEM}# vzconf-enable barrier-above-limit,invalid-value\n`;
    assert.equal(await fixed(shared), `${VSWAP}# vzconf-disable barrier-above-limit\n${BAD_KMEM}# vzconf-enable barrier-above-limit\n`);
  });

  it('no line after a next-line comment, and an empty block', () => {
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit\n`).map((f) => f.message), ['Unused vzconf-disable-next-line: no line follows it to silence']);
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable barrier-above-limit\n# vzconf-enable barrier-above-limit\n`).map((f) => f.message), ['Unused vzconf-disable of barrier-above-limit: its block is empty']);
  });

  it('not judged: rules that are off, node-level rules, capacity rules without capacity, unknown ids', () => {
    const text = `${VSWAP}# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n`;
    assert.equal(unused(text).length, 1);
    assert.deepEqual(unused(text, { rules: { 'barrier-above-limit': 'off' } }), []);
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable duplicate-ip-address,duplicate-ct-name,vswap-limit-above-host\n`), []);
    assert.equal(unused(`${VSWAP}# vzconf-disable vswap-limit-above-host\n`, { capacity: { ramBytes: 1n << 40n } }).length, 1);
    const bogus = lint(`${VSWAP}# vzconf-disable bogus-rule\n`, OPTS).findings.map((f) => f.rule);
    assert.deepEqual(bogus, ['unknown-suppression']);
    assert.deepEqual([...NODE_LEVEL_RULE_IDS].sort(), NODE_LEVEL_RULES.map((r) => r.id).sort());
  });

  it('knownParameters and ignoreSuppressions do not make a comment look unused', () => {
    const text = `${VSWAP}# vzconf-disable-next-line unknown-parameter -- our backup tool\nMY_TOOL_ID="42"\n`;
    assert.deepEqual(lint(text, { ...OPTS, knownParameters: ['MY_TOOL_ID'] }).findings, []);
    const audit = lint(text, { ...OPTS, ignoreSuppressions: true }).findings.map((f) => f.rule);
    assert.deepEqual(audit, ['unknown-parameter']);
    const stale = `${VSWAP}# vzconf-disable-next-line unknown-parameter\nONBOOT="yes"\n`;
    assert.deepEqual(lint(stale, { ...OPTS, ignoreSuppressions: true }).findings.map((f) => f.rule), ['unused-suppression']);
  });

  it('duplicate-parameter runs that a comment keeps out of the group count as silenced', () => {
    const text = `${VSWAP}ONBOOT="yes"\n# vzconf-disable-next-line duplicate-parameter -- kept on purpose\nONBOOT="no"\n`;
    const r = lint(text, OPTS).findings.map((f) => f.rule);
    assert.deepEqual(r, []);
    assert.deepEqual(lint(text, { ...OPTS, ignoreSuppressions: true }).findings.map((f) => f.rule).filter((x) => x === 'unused-suppression'), []);
  });

  it('vzconf-disable unused-suppression silences these findings and is reported itself when it silences none', () => {
    const stale = `${VSWAP}# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n`;
    assert.deepEqual(unused(`# vzconf-disable unused-suppression -- kept for the next vendor drop\n${stale}`), []);
    const [f] = unused(`# vzconf-disable unused-suppression\n${VSWAP}`);
    assert.equal(f?.message, 'Unused unused-suppression: it silences nothing in this file');
    assert.deepEqual(unused(stale, { rules: { 'unused-suppression': 'off' } }), []);
    assert.equal(unused(stale, { rules: { 'unused-suppression': 'warning' } })[0]?.severity, 'warning');
  });

  it('a container config without its vz.conf gets the fix one by one, not from fix-all', () => {
    const [f] = unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n`, { nodeConfig: undefined });
    assert.equal(f?.fixes?.[0]?.safe, false);
    assert.match(f?.detail ?? '', /vz\.conf was not read/);
  });

  it('templates: only a next-line comment aimed at a line without a placeholder is judged', () => {
    const opts = { path: '/srv/t/101.conf.j2' };
    assert.equal(unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n`, opts).length, 1);
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable-next-line barrier-above-limit\nKMEMSIZE="{{ a }}:{{ b }}"\n`, opts), []);
    assert.deepEqual(unused(`${VSWAP}# vzconf-disable barrier-above-limit\nONBOOT="yes"\n`, opts), []);
  });

  it('a block whose vzconf-enable names the rule twice: the fix takes every copy out, leaving no enable that ends nothing', async () => {
    const both = `${VSWAP}# vzconf-disable unknown-parameter,unknown-parameter\nONBOOT="yes"\n# vzconf-enable unknown-parameter,unknown-parameter\nFOO=1\n`;
    assert.equal(await fixed(both), `${VSWAP}ONBOOT="yes"\nFOO=1\n`);
    const some = `${VSWAP}# vzconf-disable unknown-parameter,invalid-value\nFOO=1\n# vzconf-enable invalid-value,invalid-value,unknown-parameter\n`;
    const out = await fixed(some);
    assert.equal(out, `${VSWAP}# vzconf-disable unknown-parameter\nFOO=1\n# vzconf-enable unknown-parameter\n`);
    assert.deepEqual(lint(out, OPTS).findings.map((f) => f.rule), []);
  });

  it('nested and following blocks of one rule: each finding is credited to the innermost block around it, the comment lines themselves to none', () => {
    const text = `${VSWAP}# vzconf-disable unknown-parameter\nA=1\n# vzconf-disable unknown-parameter\n# vzconf-disable unknown-parameter\nB=1\n# vzconf-enable unknown-parameter\n`
      + `# vzconf-enable unknown-parameter\n# vzconf-disable unknown-parameter\n# vzconf-enable unknown-parameter\nC=1\n# vzconf-enable unknown-parameter\nD=1\n`;
    // Blocks: 3–13 (A, C), 5–9 (nothing of its own), 6–8 (B), 10–11 (empty); D=1 is outside all of them.
    assert.deepEqual(unused(text).map((f) => [f.message, at(f)]), [
      ['Unused vzconf-disable of unknown-parameter: it silences nothing on lines 6–8', '5:0-34'],
      ['Unused vzconf-disable of unknown-parameter: its block is empty', '10:0-34'],
    ]);
    assert.deepEqual(lint(text, OPTS).findings.filter((f) => f.rule === 'unknown-parameter').map((f) => f.range.start.line + 1), [14]);
  });

  it('at the findings cap nothing is judged', () => {
    const text = `# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n${'x\n'.repeat(10001)}`;
    assert.deepEqual(unused(text), []);
    assert.equal(unused(`# vzconf-disable-next-line barrier-above-limit\nONBOOT="yes"\n${'x\n'.repeat(100)}`).length, 1);
  });

  it('past the cap by unused comments: the first 10,000 findings and the count are those of building them all', () => {
    // 6,000 lines with findings of other rules, some silenced, some not; 9,000 comments unused (whole, one
    // id of two, ids of unused-suppression itself, next to findings on the same line); a whole-file
    // vzconf-disable of unused-suppression in the middle of a block that ends it. Over the cap only by
    // unused-suppression findings, which lint builds only up to the cap.
    const parts: string[] = [VSWAP];
    for (let i = 0; i < 3000; i += 1) {
      parts.push(
        `# vzconf-disable-next-line invalid-value,unknown-parameter\nX${i}=1\n`,
        `# vzconf-disable-next-line barrier-above-limit${i % 7 === 0 ? ',unused-suppression' : ''}\nONBOOT="maybe"\n`,
        `# vzconf-disable-next-line nonsense-rule${i},key-too-long\n`,
      );
      if (i === 1500) parts.push('# vzconf-disable unused-suppression\n');
      if (i === 2000) parts.push('# vzconf-enable unused-suppression\n');
    }
    const text = parts.join('');
    const result = lint(text, OPTS);
    const ctx = result.ctx;
    // What lint reported before it built only the findings within the cap: every unused-suppression finding
    // built (unusedSuppressionFindings, against the same counts of used comments), merged with the other
    // rules' findings, sorted, then cut.
    const others = lint(text, { ...OPTS, rules: { 'unused-suppression': 'off' } }).findings;
    assert.equal(others.some((f) => f.rule === 'too-many-findings'), false);
    const tracker = suppressionTracker(ctx);
    assert.ok(tracker);
    const all = [...others, ...unusedSuppressionFindings(ctx, tracker, {})];
    all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
    assert.ok(all.length > MAX_FINDINGS_PER_FILE + 1000, `${all.length} findings`);
    assert.deepEqual(result.findings, capFindings(all, ctx));
    const more = all.length - MAX_FINDINGS_PER_FILE;
    assert.equal(result.findings[0]?.message, `${more} more findings not shown: vzconf reports the first ${MAX_FINDINGS_PER_FILE} of a file`);
    assert.equal(result.findings.length, MAX_FINDINGS_PER_FILE + 1);
    // Both passes and the self-silenced comments are in the cut: unused ids of unused-suppression, whole
    // comments and single ids.
    const kinds = new Set(result.findings.filter((f) => f.rule === 'unused-suppression').map((f) => f.message.replace(/line \d+/, 'line N')));
    assert.ok(kinds.has('Unused unused-suppression: it silences nothing on line N'), [...kinds].join('\n'));
    assert.ok(kinds.has('Unused key-too-long: it silences nothing on line N'), [...kinds].join('\n'));
  });

  it('past the cap in a template and after lone CRs: the same findings as building them all', () => {
    for (const [text, opts] of [
      [Array.from({ length: 6000 }, (_, i) => `# vzconf-disable-next-line invalid-value\nONBOOT={{ x${i} }}\n# vzconf-disable-next-line invalid-value\nHOSTNAME=h${i}\n{% if a %}\n# vzconf-disable-next-line invalid-value {{ y }}\n{% endif %}\n`).join(''), { template: true }],
      ['# vzconf-disable-next-line invalid-value\rONBOOT=yes\n# vzconf-disable-next-line unknown-parameter\n'.repeat(6000), {}],
    ] as const) {
      const result = lint(text, { ...OPTS, ...opts });
      const ctx = result.ctx;
      const tracker = suppressionTracker(ctx);
      assert.ok(tracker);
      const others = lint(text, { ...OPTS, ...opts, rules: { 'unused-suppression': 'off' } }).findings;
      assert.equal(others.some((f) => f.rule === 'too-many-findings'), false);
      // The reference: built in the model's line numbers, filtered and shown as a template shows findings.
      const built = filterTemplateFindings(ctx, unusedSuppressionFindings(ctx, tracker, {})).map((f) => toEditorFinding(ctx.doc, f));
      const all = [...others, ...built];
      all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
      assert.ok(all.length > MAX_FINDINGS_PER_FILE, `${all.length} findings`);
      assert.deepEqual(result.findings, capFindings(all, ctx));
    }
  });
});

describe('unused-suppression in vzlint', () => {
  it('printed like any finding (info, exit 0), --fix --fix-level info removes the comment in a node layout (vz.conf beside conf/)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'vzlint-unused-'));
    try {
      await mkdir(path.join(tmp, 'conf'));
      await writeFile(path.join(tmp, 'vz.conf'), 'VE_LAYOUT=ploop\n');
      const file = path.join(tmp, 'conf', '101.conf');
      const text = `${VSWAP}# vzconf-disable-next-line barrier-above-limit -- vendor value\nONBOOT="yes"\n`;
      await writeFile(file, text);
      const json = await runCaptured(['--format', 'json', 'conf/101.conf'], tmp);
      assert.equal(json.code, 0, json.err);
      const items = JSON.parse(json.out) as { rule: string; severity: string; line: number; fixable: boolean; message: string }[];
      assert.deepEqual(items.map((i) => [i.rule, i.severity, i.line, i.fixable]), [['unused-suppression', 'info', 3, true]]);
      // An info: plain --fix leaves it and says so (--fix-level, docs/cli.md).
      const plain = await runCaptured(['--fix', 'conf/101.conf'], tmp);
      assert.match(plain.err, /1 safe fix below --fix-level warning not applied \(--fix-level info applies it\)/);
      assert.equal(await readFile(file, 'utf8'), text);
      const r = await runCaptured(['--fix', '--fix-level', 'info', 'conf/101.conf'], tmp);
      assert.equal(r.err, 'vzlint: --fix: 1 file changed, 1 fix applied\n');
      assert.equal(await readFile(file, 'utf8'), `${VSWAP}ONBOOT="yes"\n`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('unused-suppression of node-level rules (judged by a complete node run)', () => {
  const CT2 = '/etc/vz/conf/102.conf';
  const vz = { path: NODE_PATH, text: 'VE_PRIVATE=/vz/private/$VEID\nVE_ROOT=/vz/root/$VEID\n' };
  /** Node 101 + 102 sharing 10.0.0.5; 101 suppresses that, plus comments that silence nothing. */
  const input = (complete: boolean, ct101: string, ct102 = `${VSWAP}IP_ADDRESS="10.0.0.5"\n`): NodeInput => ({ complete, nodeConfig: vz, containers: [{ path: CT, text: ct101 }, { path: CT2, text: ct102 }] });
  const nodeUnused = (i: NodeInput, options: NodeLintOptions = {}): string[] => lintNode(i, options).files.flatMap((f) => f.findings.filter((x) => x.rule === 'unused-suppression').map((x) => `${path.basename(f.path)} ${x.range.start.line + 1}:${x.range.start.character} ${x.severity} ${x.message}`));
  const CT101 = `${VSWAP}# vzconf-disable-next-line duplicate-ip-address -- shared on purpose\nIP_ADDRESS="10.0.0.5"\n# vzconf-disable-next-line duplicate-ip-address\nHOSTNAME="ct101"\n# vzconf-disable duplicate-ct-name,shared-private-path\n`;

  it('complete: the names that silenced nothing are reported, one finding per name; the used one is not', () => {
    assert.deepEqual(nodeUnused(input(true, CT101)), [
      '101.conf 5:27 info Unused duplicate-ip-address: it silences nothing on line 6',
      '101.conf 7:17 info Unused duplicate-ct-name: it silences nothing in this file',
      '101.conf 7:35 info Unused shared-private-path: it silences nothing in this file',
    ]);
    // The duplicate-ip-address finding of 101 stays silenced; 102's is reported.
    const r = lintNode(input(true, CT101));
    assert.deepEqual(r.files.flatMap((f) => f.findings.filter((x) => x.rule === 'duplicate-ip-address').map(() => path.basename(f.path))), ['102.conf']);
  });

  it('NodeLinter with the conf/ listing as a function (vzlint): called only when a comment names a node-level rule', () => {
    const run = (ct101: string, listed: string[]): { calls: number; unused: string[] } => {
      let calls = 0;
      const linter = new NodeLinter(vz, undefined, { compact: true, nodeContainers: () => { calls += 1; return listed; } });
      linter.add({ path: CT, text: ct101 });
      linter.add({ path: CT2, text: `${VSWAP}IP_ADDRESS="10.0.0.5"\n` });
      const unused = linter.finish().files.flatMap((f) => f.findings.filter((x) => x.rule === 'unused-suppression').map((x) => `${path.basename(f.path)} ${x.range.start.line + 1}`));
      return { calls, unused };
    };
    // Every listed file added: complete, so the comments are judged as lintNode judges them (complete).
    assert.deepEqual(run(CT101, [CT, CT2]), { calls: 1, unused: nodeUnused(input(true, CT101)).map((x) => x.split(':')[0] as string) });
    // A listed file not added: not complete, nothing judged.
    assert.deepEqual(run(CT101, [CT, CT2, '/etc/vz/conf/103.conf']), { calls: 1, unused: [] });
    // No comment names a node-level rule: the listing is never made.
    assert.deepEqual(run(`${VSWAP}IP_ADDRESS="10.0.0.5"\n`, [CT, CT2]).calls, 0);
  });

  it('not complete (some of the files, no vz.conf): nothing is judged, as before', () => {
    assert.deepEqual(nodeUnused(input(false, CT101)), []);
    assert.deepEqual(nodeUnused({ complete: true, containers: [{ path: CT, text: CT101 }] }), [], 'no vz.conf: not complete');
  });

  it('a rule that is off is not judged; unused-suppression off reports none; its override applies', () => {
    assert.deepEqual(nodeUnused(input(true, CT101), { rules: { 'duplicate-ct-name': 'off', 'shared-private-path': 'off' } }), ['101.conf 5:27 info Unused duplicate-ip-address: it silences nothing on line 6']);
    assert.deepEqual(nodeUnused(input(true, CT101), { rules: { 'unused-suppression': 'off' } }), []);
    assert.match(nodeUnused(input(true, CT101), { rules: { 'unused-suppression': 'warning' } })[0] ?? '', / warning Unused/);
  });

  it('ignoreSuppressions: the same names are unused (what each would silence still counts)', () => {
    assert.deepEqual(nodeUnused(input(true, CT101), { ignoreSuppressions: true }), nodeUnused(input(true, CT101)));
  });

  it('credit as in a file: the line comment first, then the innermost block, then the first whole-file comment', () => {
    const text = `${VSWAP}# vzconf-disable duplicate-ip-address\n# vzconf-disable duplicate-ip-address\n# vzconf-disable-next-line duplicate-ip-address\nIP_ADDRESS="10.0.0.5"\n# vzconf-enable duplicate-ip-address\n`;
    // The next-line comment is credited; the outer whole-file one and the block are not.
    assert.deepEqual(nodeUnused(input(true, text)), [
      '101.conf 3:17 info Unused duplicate-ip-address: it silences nothing in this file',
      '101.conf 4:17 info Unused duplicate-ip-address: it silences nothing on lines 5–6',
    ]);
  });

  it('a vzconf-disable unused-suppression silences these, and the file\'s own lint does not call it unused', () => {
    const text = `# vzconf-disable unused-suppression\n${VSWAP}# vzconf-disable-next-line duplicate-ip-address\nHOSTNAME="ct101"\n`;
    assert.deepEqual(lint(text, OPTS).findings.filter((f) => f.rule === 'unused-suppression'), []);
    assert.deepEqual(nodeUnused(input(true, text)), []);
    assert.equal(nodeUnused(input(true, text.slice(text.indexOf('\n') + 1))).length, 1);
  });

  it('rules with more inputs: node-memory-overcommit needs the node RAM, sample-not-found the sample names', () => {
    const text = `${VSWAP}# vzconf-disable node-memory-overcommit,sample-not-found\n`;
    assert.deepEqual(nodeUnused(input(true, text)), []);
    assert.deepEqual(nodeUnused(input(true, text), { capacity: { ramBytes: 1n << 40n } }).map((m) => m.replace(/ info .*: /, ' ')), ['101.conf 3:17 it silences nothing in this file']);
    assert.equal(nodeUnused({ ...input(true, text), samples: ['basic'] }).length, 1);
  });

  it('the fix removes the name but is not safe (the folder may not hold every container of the real node)', () => {
    const f = lintNode(input(true, CT101)).files[1]?.findings.find((x) => x.rule === 'unused-suppression');
    assert.equal(f?.fixes?.[0]?.safe, false);
    assert.match(f?.detail ?? '', /when the whole node was checked/);
    assert.match(f?.detail ?? '', /not applied by fix-all/);
  });

  it('vzlint: over the node folder it is reported; over one container config it is not', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'vzlint-node-unused-'));
    try {
      await mkdir(path.join(tmp, 'conf'));
      await writeFile(path.join(tmp, 'vz.conf'), vz.text);
      await writeFile(path.join(tmp, 'conf', '101.conf'), CT101);
      await writeFile(path.join(tmp, 'conf', '102.conf'), `${VSWAP}IP_ADDRESS="10.0.0.5"\n`);
      const rulesAt = (out: string): string[] => (JSON.parse(out) as { file: string; rule: string; line: number }[]).filter((i) => i.rule === 'unused-suppression').map((i) => `${i.file} ${i.line}`);
      const all = await runCaptured(['--format', 'json', '.'], tmp);
      assert.deepEqual(rulesAt(all.out), ['conf/101.conf 5', 'conf/101.conf 7', 'conf/101.conf 7']);
      const one = await runCaptured(['--format', 'json', 'conf/101.conf'], tmp);
      assert.deepEqual(rulesAt(one.out), [], 'without 102.conf the run cannot know');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
