import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCatalog } from '../../server/src/catalog/load';
import { parseConfig } from '../../server/src/parser/parse';
import { parseSuppressions } from '../../server/src/rules/suppressions';
import { applyTextEdits, computeCodeActions, computeLinkActions, FindingIndex, computeSuppressionActions, copyAsVzctlSetAction, kindWanted, OPEN_RULE_DOCS_COMMAND, orderLightbulb, primaryRule, type ContextDiagnostic } from '../../server/src/service/codeActions';
import { toDiagnostic, ruleDocsUrl } from '../../server/src/service/diagnostics';
import { effectiveConfigText } from '../../server/src/service/effective';
import { effectiveValue } from '../../server/src/model/effective';
import { computeHover } from '../../server/src/service/hover';
import { analyze, lint, type LintOptions } from '../../server/src/service/lint';
import { shellQuote, vzctlSetCommand } from '../../server/src/service/vzctlSet';
import type { Range } from '../../server/src/parser/types';
import type { TextEdit } from '../../server/src/rules/types';

const URI = 'file:///w/etc/vz/conf/101.conf';
const CT = '/w/etc/vz/conf/101.conf';
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

/** Applies non-overlapping edits to `text` (lines end at \n or \r\n). */
function apply(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => (starts[p.line] ?? text.length) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

function diagnosticsOf(text: string, opts: LintOptions = {}): ContextDiagnostic[] {
  return lint(text, { path: CT, ...opts }).findings.map((f) => toDiagnostic(f) as unknown as ContextDiagnostic);
}

function suppressionActions(text: string, range: Range) {
  const hasRule = (id: string): boolean => getCatalog().hasRule(id);
  const directives = parseSuppressions(parseConfig(text, { dialect: 'classic' })).directives;
  return computeSuppressionActions({ uri: URI, text, diagnostics: diagnosticsOf(text), range, hasRule, directives });
}

function at(line: number, character = 0): Range {
  return { start: { line, character }, end: { line, character } };
}

describe('code actions: Disable <rule> for this line / file', () => {
  it('inserts a next-line comment with the line indentation and the CRLF line ending, and the finding goes away', () => {
    const text = `PHYSPAGES="0:1G"\r\nSWAPPAGES="0:2G"\r\n    KMEMSIZE="300331648:150331648"\r\n`;
    const actions = suppressionActions(text, { start: { line: 2, character: 0 }, end: { line: 2, character: 34 } });
    const line = actions.find((a) => a.title === 'Disable barrier-above-limit for this line');
    assert.ok(line, actions.map((a) => a.title).join());
    const fixed = apply(text, line.edit.changes[URI] ?? []);
    assert.equal(fixed, 'PHYSPAGES="0:1G"\r\nSWAPPAGES="0:2G"\r\n    # vzconf-disable-next-line barrier-above-limit -- <reason>\r\n    KMEMSIZE="300331648:150331648"\r\n');
    assert.deepEqual(diagnosticsOf(fixed).filter((d) => d.code === 'barrier-above-limit'), []);
    const file = actions.find((a) => a.title === 'Disable barrier-above-limit for this file');
    assert.ok(file);
    const fixedFile = apply(text, file.edit.changes[URI] ?? []);
    assert.ok(fixedFile.startsWith('# vzconf-disable barrier-above-limit -- <reason>\r\nPHYSPAGES'), fixedFile);
    assert.deepEqual(diagnosticsOf(fixedFile).filter((d) => d.code === 'barrier-above-limit'), []);
    assert.ok(actions.every((a) => a.kind === 'quickfix' && a.isPreferred === undefined));
  });

  it('uses LF in LF files, keeps a byte-order mark first, and offers one pair per rule', () => {
    const text = `MY_KEY="1"\nMY_KEY="2"\n${VSWAP}`;
    const actions = suppressionActions(text, { start: { line: 0, character: 0 }, end: { line: 1, character: 3 } });
    const titles = actions.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, 'no duplicates');
    assert.ok(titles.includes('Disable unknown-parameter for line 2'), titles.join());
    const line = actions.find((a) => a.title === 'Disable unknown-parameter for line 1');
    assert.equal(apply(text, line?.edit.changes[URI] ?? []), `# vzconf-disable-next-line unknown-parameter -- <reason>\nMY_KEY="1"\nMY_KEY="2"\n${VSWAP}`);
    const bomText = `\uFEFFONBOOT="yes"\n${VSWAP}`;
    const bom = suppressionActions(bomText, at(0)).find((a) => a.title === 'Disable byte-order-mark for this file');
    assert.ok(bom);
    const fixed = apply(bomText, bom.edit.changes[URI] ?? []);
    assert.equal(fixed, `\uFEFFONBOOT="yes"\n# vzconf-disable byte-order-mark -- <reason>\n${VSWAP}`);
    assert.ok(!suppressionActions(bomText, at(0)).some((a) => a.title === 'Disable byte-order-mark for this line'));
    assert.deepEqual(diagnosticsOf(fixed).map((d) => d.code), []);
  });

  it('never ends an inserted comment with a lone CR (vzctl and sh would read the next line as part of the comment), nor inserts one after it', () => {
    const text = `${VSWAP}CAPABILITY="SYS_ADMIN:on"\r# granted for NFS\n`;
    const lsp = (t: string, edits: readonly TextEdit[]): string => applyTextEdits(t, edits);
    const actions = suppressionActions(text, at(2, 12));
    const line = actions.find((a) => a.title === 'Disable dangerous-capability for this line');
    assert.ok(line, actions.map((a) => a.title).join());
    const fixed = lsp(text, line.edit.changes[URI] ?? []);
    assert.equal(fixed, `${VSWAP}# vzconf-disable-next-line dangerous-capability -- <reason>\nCAPABILITY="SYS_ADMIN:on"\r# granted for NFS\n`);
    // vzctl still reads the capability (a comment ended by the lone CR took it in), and the finding is silenced.
    assert.equal(effectiveValue(analyze(fixed, { path: CT }), 'CAPABILITY')?.value, 'SYS_ADMIN:on');
    assert.deepEqual(diagnosticsOf(fixed).filter((d) => d.code === 'dangerous-capability'), []);
    // The file action in a file whose only line break is a lone CR.
    const only = 'FOO="1"\r# x';
    const file = suppressionActions(only, at(0)).find((a) => a.title === 'Disable unknown-parameter for this file');
    assert.ok(file);
    assert.equal(lsp(only, file.edit.changes[URI] ?? []), '# vzconf-disable unknown-parameter -- <reason>\nFOO="1"\r# x');
    // A diagnostic on the editor line after a lone CR (the middle of vzctl's line 3): no line action.
    const mid = `${VSWAP}ONBOOT="yes"\rFOO=1\n`;
    const d: ContextDiagnostic = { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 3 } }, message: 'm', source: 'vzconf', code: 'unknown-parameter' };
    const directives = parseSuppressions(parseConfig(mid, { dialect: 'classic' })).directives;
    const midActions = computeSuppressionActions({ uri: URI, text: mid, diagnostics: [d], range: at(3), hasRule: (id) => getCatalog().hasRule(id), directives });
    assert.deepEqual(midActions.map((a) => a.title), ['Disable unknown-parameter for this file']);
  });

  it('adds to an existing suppression comment instead of stacking a new one', () => {
    const text = `# vzconf-disable inline-comment -- ok\n${VSWAP}# vzconf-disable-next-line shell-expansion -- ok\nMY_KEY="1"\n`;
    const actions = suppressionActions(text, at(4));
    const line = actions.find((a) => a.title === 'Disable unknown-parameter for this line');
    assert.equal(apply(text, line?.edit.changes[URI] ?? []).split('\n')[3], '# vzconf-disable-next-line shell-expansion,unknown-parameter -- ok');
    const file = actions.find((a) => a.title === 'Disable unknown-parameter for this file');
    assert.equal(apply(text, file?.edit.changes[URI] ?? []).split('\n')[0], '# vzconf-disable inline-comment,unknown-parameter -- ok');
  });

  it('a finding over several lines (a run of duplicates) gets a block that names its lines: vzconf-disable above, vzconf-enable below', () => {
    // HOSTNAME on lines 3–8: vzctl uses line 3, one finding covers the run 4–8; then another HOSTNAME at line 10.
    const run = Array.from({ length: 5 }, (_, i) => `HOSTNAME="h${i}"`).join('\n');
    const text = `${VSWAP}HOSTNAME="used"\n${run}\nONBOOT="yes"\nHOSTNAME="late"\n`;
    const dup = diagnosticsOf(text).filter((d) => d.code === 'duplicate-parameter');
    assert.deepEqual(dup.map((d) => [d.range.start.line, d.range.end.line]), [[3, 7], [9, 9]]);
    const actions = suppressionActions(text, at(5, 2));
    const titles = actions.map((a) => a.title);
    // Not "for this line": the cursor is on line 6 and a next-line comment above line 4 would name one line.
    assert.ok(!titles.includes('Disable duplicate-parameter for this line'), titles.join(' | '));
    const block = actions.find((a) => a.title === 'Disable duplicate-parameter for lines 4–8');
    assert.ok(block, titles.join(' | '));
    const fixed = apply(text, block.edit.changes[URI] ?? []);
    assert.equal(fixed, `${VSWAP}HOSTNAME="used"\n# vzconf-disable duplicate-parameter -- <reason>\n${run}\n# vzconf-enable duplicate-parameter\nONBOOT="yes"\nHOSTNAME="late"\n`);
    // The run is silenced, the later duplicate (outside the block) is not; no unknown-suppression.
    const after = diagnosticsOf(fixed);
    assert.deepEqual(after.filter((d) => d.code === 'duplicate-parameter').map((d) => d.range.start.line), [11]);
    assert.ok(!after.some((d) => d.code === 'unknown-suppression'), JSON.stringify(after));
    // vzctl reads what it read before (comments only were added).
    assert.equal(effectiveConfigText(fixed, { path: CT }).replace(/line \d+/g, ''), effectiveConfigText(text, { path: CT }).replace(/line \d+/g, ''));
    // A single-line finding keeps the next-line comment.
    const single = suppressionActions(text, at(9, 2)).map((a) => a.title);
    assert.ok(single.includes('Disable duplicate-parameter for this line'), single.join(' | '));
  });

  it('a block at the end of a file without a final line break; none after a lone CR', () => {
    const text = `${VSWAP}HOSTNAME="a"\nHOSTNAME="b"\nHOSTNAME="c"`;
    const block = suppressionActions(text, at(3)).find((a) => a.title === 'Disable duplicate-parameter for lines 4–5');
    assert.ok(block);
    const fixed = apply(text, block.edit.changes[URI] ?? []);
    assert.equal(fixed, `${VSWAP}HOSTNAME="a"\n# vzconf-disable duplicate-parameter -- <reason>\nHOSTNAME="b"\nHOSTNAME="c"\n# vzconf-enable duplicate-parameter`);
    assert.ok(!diagnosticsOf(fixed).some((d) => d.code === 'duplicate-parameter'));
    const cr = `# x\r# y\n${text}`;
    assert.ok(!suppressionActions(cr, at(5)).some((a) => a.title.startsWith('Disable duplicate-parameter for line')), 'editor lines are not vzctl lines after a lone CR');
  });

  it('never inserts inside a multi-line value: a finding on a continuation line gets only the file action', () => {
    const text = `DESCRIPTION="a\nb $(x)"\n${VSWAP}`;
    const unsafe = diagnosticsOf(text).find((d) => d.code === 'shell-unsafe-value');
    assert.equal(unsafe?.range.start.line, 1, 'the finding is on the continuation line');
    const actions = suppressionActions(text, at(1, 3));
    assert.ok(!actions.some((a) => a.title.startsWith('Disable shell-unsafe-value for line') || a.title === 'Disable shell-unsafe-value for this line'), actions.map((a) => a.title).join());
    const file = actions.find((a) => a.title === 'Disable shell-unsafe-value for this file');
    assert.ok(file);
    const fixed = apply(text, file.edit.changes[URI] ?? []);
    assert.ok(fixed.startsWith('# vzconf-disable shell-unsafe-value -- <reason>\nDESCRIPTION="a\nb $(x)"\n'), fixed);
    assert.deepEqual(diagnosticsOf(fixed).filter((d) => d.code === 'shell-unsafe-value'), []);
    // A line comment there would have been part of the value the shell reads, and would silence nothing.
    const naive = text.replace('\nb $(x)', '\n# vzconf-disable-next-line shell-unsafe-value -- x\nb $(x)');
    assert.ok(diagnosticsOf(naive).some((d) => d.code === 'shell-unsafe-value'));
  });

  it('never inserts a line right after a continuing backslash (a word that swallows the next settings): only the file action', () => {
    // X=1\ takes in the next line in the shell's reading (vzctl reads it as a setting of its own).
    const text = 'HOSTNAME="a"\nX=1\\\nHOSTNAME="b"\nHOSTNAME="c"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';
    const dup = diagnosticsOf(text).filter((d) => d.code === 'duplicate-parameter');
    assert.deepEqual(dup.map((d) => [d.range.start.line, d.range.end.line]), [[2, 3]]);
    const titles = suppressionActions(text, at(2, 1)).map((a) => a.title);
    assert.ok(!titles.some((t) => /^Disable duplicate-parameter for (this line|lines? )/.test(t)), titles.join(' | '));
    assert.ok(titles.includes('Disable duplicate-parameter for this file'), titles.join(' | '));
    const one = 'PHYSPAGES="0:1G"\nX=1\\\nFOO=x\n';
    assert.ok(diagnosticsOf(one).some((d) => d.code === 'unknown-parameter' && d.range.start.line === 2));
    const oneTitles = suppressionActions(one, at(2, 1)).map((a) => a.title);
    assert.ok(!oneTitles.includes('Disable unknown-parameter for this line'), oneTitles.join(' | '));
    assert.ok(oneTitles.includes('Disable unknown-parameter for this file'), oneTitles.join(' | '));
    // The file comment never goes inside the word either: below a byte-order mark's line ending in a backslash, below the word.
    const first = '\uFEFFX=1\\\nFOO=x\nPHYSPAGES="0:1G"\n';
    const file = suppressionActions(first, at(1, 1)).find((a) => a.title === 'Disable unknown-parameter for this file');
    assert.ok(file);
    assert.equal(apply(first, file.edit.changes[URI] ?? []), '\uFEFFX=1\\\nFOO=x\n# vzconf-disable unknown-parameter -- <reason>\nPHYSPAGES="0:1G"\n');
  });

  it('after a lone CR, adding a rule to an existing comment edits that comment (editor coordinates), never a config line', () => {
    const text = 'PHYSPAGES="0:1G"\rSWAPPAGES="0:2G"\n# vzconf-disable unknown-parameter -- legacy\nSWAPPAGES="0:1G"\nONBOOT = "yes"\n';
    const d = diagnosticsOf(text).find((x) => x.code === 'space-around-equals');
    assert.ok(d);
    const file = suppressionActions(text, d.range).find((a) => a.title === 'Disable space-around-equals for this file');
    assert.ok(file);
    const edits = file.edit.changes[URI] ?? [];
    assert.deepEqual(edits.map((e) => e.range.start), [{ line: 2, character: 34 }]);
    // Applied as an editor does (lines end at \r too): the comment gets the rule, the config lines stay.
    assert.equal(applyTextEdits(text, edits), 'PHYSPAGES="0:1G"\rSWAPPAGES="0:2G"\n# vzconf-disable unknown-parameter,space-around-equals -- legacy\nSWAPPAGES="0:1G"\nONBOOT = "yes"\n');
  });

  it('a byte-order mark on a multi-line first value: the file comment goes below the whole value', () => {
    const text = `\uFEFFDESCRIPTION="a\nb"\n${VSWAP}`;
    const file = suppressionActions(text, at(0)).find((a) => a.title === 'Disable byte-order-mark for this file');
    assert.ok(file);
    const fixed = apply(text, file.edit.changes[URI] ?? []);
    assert.equal(fixed, `\uFEFFDESCRIPTION="a\nb"\n# vzconf-disable byte-order-mark -- <reason>\n${VSWAP}`);
    assert.deepEqual(diagnosticsOf(fixed).filter((d) => d.code === 'byte-order-mark'), []);
  });

  it('whole-file findings anchored at 0:0 (ubc-required) get only the file action; a line comment would not silence them', () => {
    for (const text of ['ONBOOT="yes"\n', '# a container\nONBOOT="yes"\n']) {
      const d = diagnosticsOf(text).find((x) => x.code === 'ubc-required');
      assert.deepEqual(d?.range.start, { line: 0, character: 0 });
      const actions = suppressionActions(text, at(0));
      assert.deepEqual(actions.map((a) => a.title), ['Disable ubc-required for this file'], text);
      const fixed = apply(text, actions[0]?.edit.changes[URI] ?? []);
      assert.deepEqual(diagnosticsOf(fixed).filter((x) => x.code === 'ubc-required'), [], fixed);
      const naive = `# vzconf-disable-next-line ubc-required -- x\n${text}`;
      assert.ok(diagnosticsOf(naive).some((x) => x.code === 'ubc-required'), 'the line comment would not have silenced it');
    }
    // Anchored on a UBC line instead, the line action works.
    const text = `ONBOOT="yes"\nKMEMSIZE="14372700:14790164"\n`;
    const line = suppressionActions(text, at(1)).find((a) => a.title === 'Disable ubc-required for this line');
    assert.ok(line);
    assert.deepEqual(diagnosticsOf(apply(text, line.edit.changes[URI] ?? [])).filter((x) => x.code === 'ubc-required'), []);
  });

  it('unknown-suppression on a suppression comment gets only the file action', () => {
    const text = `# vzconf-disable-next-line no-such-rule\nONBOOT="yes"\n${VSWAP}`;
    const actions = suppressionActions(text, at(0, 30));
    assert.deepEqual(actions.map((a) => a.title), ['Disable unknown-suppression for this file']);
    const fixed = apply(text, actions[0]?.edit.changes[URI] ?? []);
    assert.deepEqual(diagnosticsOf(fixed).filter((d) => d.code === 'unknown-suppression'), [], fixed);
    const naive = `# vzconf-disable-next-line unknown-suppression -- x\n${text}`;
    assert.ok(diagnosticsOf(naive).some((d) => d.code === 'unknown-suppression'), 'a next-line comment skips the suppression comment below it');
  });

  it('a diagnostic sent with its old range after the text changed gets no line action, only the file action', () => {
    const hasRule = (id: string): boolean => getCatalog().hasRule(id);
    const before = `${VSWAP}MY_KEY="1"\nONBOOT="yes"\n`;
    const stale = diagnosticsOf(before).filter((d) => d.code === 'unknown-parameter');
    assert.deepEqual(stale.map((d) => d.range.start.line), [2]);
    const offered = (text: string): string[][] => {
      const directives = parseSuppressions(parseConfig(text, { dialect: 'classic' })).directives;
      const index = new FindingIndex(lint(text, { path: CT }).findings);
      const isCurrent = (d: ContextDiagnostic): boolean => index.match([d])[0] !== undefined;
      const actions = computeSuppressionActions({ uri: URI, text, diagnostics: stale, range: at(2), hasRule, directives, isCurrent });
      return actions.map((a) => [a.title, apply(text, a.edit.changes[URI] ?? [])]);
    };
    // Unchanged text: the line action lands above MY_KEY.
    assert.deepEqual(offered(before)[0], ['Disable unknown-parameter for this line', `${VSWAP}# vzconf-disable-next-line unknown-parameter -- <reason>\nMY_KEY="1"\nONBOOT="yes"\n`]);
    // A line inserted above: MY_KEY is on line 4 now and line 3 is SWAPPAGES: no line action, which would go above it.
    const moved = `# new\n${before}`;
    assert.deepEqual(offered(moved), [['Disable unknown-parameter for this file', `# vzconf-disable unknown-parameter -- <reason>\n${moved}`]]);
    // The line made shorter (its finding's range no longer fits it), and the line gone altogether.
    const shorter = `${VSWAP}MY\nONBOOT="yes"\n`;
    assert.deepEqual(offered(shorter).map(([t]) => t), ['Disable unknown-parameter for this file']);
    const gone = VSWAP;
    assert.deepEqual(offered(gone).map(([t]) => t), ['Disable unknown-parameter for this file']);
    for (const text of [moved, shorter, gone]) for (const [, out] of offered(text)) assert.ok(out.endsWith(text), 'the file comment is the only change');
  });

  it('ignores diagnostics of other sources and codes that are not rules', () => {
    const text = 'MY_KEY="1"\n';
    const d = diagnosticsOf(text)[0] as ContextDiagnostic;
    const directives = parseSuppressions(parseConfig(text, { dialect: 'classic' })).directives;
    const hasRule = (id: string): boolean => getCatalog().hasRule(id);
    const none = computeSuppressionActions({ uri: URI, text, range: at(0), hasRule, directives, diagnostics: [{ ...d, source: 'shellcheck' }, { ...d, code: 'invalid-setting' }] });
    assert.deepEqual(none, []);
  });
});

describe('code actions: Learn more and the lightbulb order', () => {
  const hasRule = (id: string): boolean => getCatalog().hasRule(id);
  it('one "Learn more" entry for the rule under the cursor (its docs page), no entry per KB article', () => {
    const text = `IPTABLES="iptable_filter"\n${VSWAP}`;
    const diagnostics = diagnosticsOf(text);
    const actions = computeLinkActions({ diagnostics, range: at(0), hasRule, docsUrl: ruleDocsUrl });
    assert.deepEqual(actions.map((a) => a.title), ['Learn more about deprecated-parameter']);
    const docs = actions[0]!;
    assert.equal(docs.command.command, 'vzconf.openUrl');
    assert.match(String(docs.command.arguments?.[0]), /^file:\/\/.*\/docs\/rules\/deprecated-parameter\.md$/);
    const viaCommand = computeLinkActions({ diagnostics, range: at(0), hasRule, docsUrl: ruleDocsUrl, docsCommand: OPEN_RULE_DOCS_COMMAND });
    assert.deepEqual(viaCommand[0]?.command, { title: 'Learn more about deprecated-parameter', command: 'vzconf.openRuleDocs', arguments: ['deprecated-parameter'] });
    assert.deepEqual(computeLinkActions({ diagnostics, range: at(40), hasRule, docsUrl: ruleDocsUrl }), []);
  });

  it('fixes first, one Disable pair for the first rule, then Learn more; titles are plain text', () => {
    // Two findings on one line: the pair and the docs entry are for the first one only.
    const text = 'KMEMSIZE="300:200"\nKMEMSIZE="1:2"\n';
    const diagnostics = diagnosticsOf(text);
    const range = at(0);
    const rule = primaryRule(diagnostics, range, hasRule);
    assert.ok(rule);
    const fixes = computeCodeActions(URI, diagnostics, range, lint(text, { path: CT }).findings);
    const directives = parseSuppressions(parseConfig(text, { dialect: 'classic' })).directives;
    const suppressions = computeSuppressionActions({ uri: URI, text, diagnostics, range, hasRule, directives });
    const learn = computeLinkActions({ diagnostics, range, hasRule, docsUrl: ruleDocsUrl });
    const ordered = orderLightbulb<{ title: string; isPreferred?: boolean }>(fixes, suppressions, learn, rule).map((a) => a.title);
    const rulesOnLine = new Set(diagnostics.filter((d) => d.range.start.line === 0).map((d) => d.code));
    assert.ok(rulesOnLine.size >= 2, `two rules on the line: ${[...rulesOnLine].join()}`);
    assert.equal(ordered.filter((t) => t.startsWith('Disable ')).length, 2, ordered.join(' | '));
    assert.deepEqual(ordered.filter((t) => t.startsWith('Disable ')), [`Disable ${rule} for this line`, `Disable ${rule} for this file`]);
    assert.equal(ordered[ordered.length - 1], `Learn more about ${rule}`);
    const firstNonFix = ordered.findIndex((t) => t.startsWith('Disable '));
    assert.deepEqual(ordered.slice(0, firstNonFix), fixes.map((f) => f.title).sort((a, b) => Number(fixes.find((f) => f.title === b)?.isPreferred ?? false) - Number(fixes.find((f) => f.title === a)?.isPreferred ?? false)));
    for (const t of [...ordered, copyAsVzctlSetAction('x').title]) assert.doesNotMatch(t, /[`*_[\]]/, `no Markdown in "${t}"`);
  });

  it('kindWanted follows context.only', () => {
    assert.ok(kindWanted('quickfix', undefined));
    assert.ok(kindWanted('refactor.vzconf.vzctlSet', ['refactor']));
    assert.ok(!kindWanted('quickfix', ['refactor']));
  });
});

describe('code actions: Copy as a vzctl set command', () => {
  const cmd = (line: string, opts: LintOptions = {}, file = CT): string | undefined => {
    const ctx = analyze(`${VSWAP}${line}\n`, { path: file, ...opts });
    const e = ctx.doc.lines[2];
    return e?.kind === 'entry' ? vzctlSetCommand(ctx, e)?.command : undefined;
  };

  it('maps the documented options', () => {
    assert.equal(cmd('NETFILTER="stateful"'), 'vzctl set 101 --netfilter stateful --save');
    assert.equal(cmd('ONBOOT="yes"'), 'vzctl set 101 --onboot yes --save');
    assert.equal(cmd('HOSTNAME="ct101.example.com"'), 'vzctl set 101 --hostname ct101.example.com --save');
    assert.equal(cmd('DISKSPACE="10G:11G"'), 'vzctl set 101 --diskspace 10G:11G --save');
    assert.equal(cmd('CPUUNITS="1000"'), 'vzctl set 101 --cpuunits 1000 --save');
    assert.equal(cmd('VE_ROOT="/vz/root/$VEID"'), "vzctl set 101 --root '/vz/root/$VEID' --save");
    assert.equal(cmd('DESCRIPTION="web server"'), "vzctl set 101 --description 'web server' --save");
    assert.equal(cmd('IPTABLES="iptable_filter ipt_REJECT"'), "vzctl set 101 --iptables 'iptable_filter ipt_REJECT' --save");
  });

  it('UBC parameters: the lower-case name, value as written', () => {
    assert.equal(cmd('KMEMSIZE="14372700:14790164"'), 'vzctl set 101 --kmemsize 14372700:14790164 --save');
    assert.equal(cmd('PRIVVMPAGES="unlimited"'), 'vzctl set 101 --privvmpages unlimited --save');
    assert.equal(cmd('AVNUMPROC="180:180"'), undefined, 'no --avnumproc in vzctl(8)');
    assert.equal(cmd('KMEMSIZE="14372700:14790164"', { target: 'vz7' }), undefined, "not in Virtuozzo 7's vzctl(8)");
    assert.equal(cmd('NUMPROC="240:240"', { target: 'vz7' }), 'vzctl set 101 --numproc 240:240 --save');
  });

  it('lists: one option per item, --ipdel all first for the incremental --ipadd', () => {
    assert.equal(cmd('IP_ADDRESS="10.0.0.1 10.0.0.2/24"'), 'vzctl set 101 --ipdel all --ipadd 10.0.0.1 --ipadd 10.0.0.2/24 --save');
    assert.equal(cmd('NAMESERVER="8.8.8.8 1.1.1.1"'), 'vzctl set 101 --nameserver 8.8.8.8 --nameserver 1.1.1.1 --save');
    assert.equal(cmd('FEATURES="nfs:on,sysfs:off"'), 'vzctl set 101 --features nfs:on --features sysfs:off --save');
  });

  it('only where an option is known, for a container whose CTID is in the file name', () => {
    assert.equal(cmd('IOLIMIT="10485760"'), undefined, 'a plain number is MB/s on the command line');
    assert.equal(cmd('IOLIMIT="10m"'), 'vzctl set 101 --iolimit 10m --save');
    assert.equal(cmd('NETIF="ifname=eth0"'), undefined, 'no documented option with the file syntax');
    assert.equal(cmd('MY_KEY="1"'), undefined);
    assert.equal(cmd('ONBOOT="yes"', {}, '/w/etc/vz/conf/ve-basic.conf-sample'), undefined);
    assert.equal(cmd('ONBOOT="yes"', {}, '/w/etc/vz/vz.conf'), undefined);
    assert.equal(cmd('HOSTNAME=""'), undefined);
    const uuid = '0f6c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
    assert.equal(cmd('ONBOOT="yes"', { target: 'vz7' }, `/w/etc/vz/conf/${uuid}.conf`), `vzctl set ${uuid} --onboot yes --save`);
  });

  it('repeated keys: only the line(s) vzctl uses; merged lists from all used lines; never an invalid value', () => {
    const all = (text: string, opts: LintOptions = {}): (string | undefined)[] => {
      const ctx = analyze(text, { path: '/x/conf/101.conf', ...opts });
      return ctx.doc.lines.filter((l) => l.kind === 'entry').map((l) => (l.kind === 'entry' ? vzctlSetCommand(ctx, l)?.command : undefined));
    };
    const both = 'vzctl set 101 --ipdel all --ipadd 10.0.0.1 --ipadd 10.0.0.2 --save';
    assert.deepEqual(all('IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2"\n'), [both, both], 'classic merges both lines: --ipdel all must not drop 10.0.0.2');
    assert.deepEqual(all('IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="10.0.0.2"\n', { target: 'vz7' }), [undefined, 'vzctl set 101 --ipdel all --ipadd 10.0.0.2 --save'], 'Virtuozzo 7: the last wins');
    const merged = 'vzctl set 101 --ipdel all --ipadd 10.0.0.1 --ipadd 10.0.0.3 --ipadd 10.0.0.2 --save';
    assert.deepEqual(all('IP_ADDRESS="10.0.0.1 10.0.0.3"\nIP_ADDRESS="not-an-ip"\nIP_ADDRESS="10.0.0.3 10.0.0.2"\n'), [merged, undefined, merged], 'deduplicated; the invalid line (skipped by vzctl) is left out');
    assert.deepEqual(all('HOSTNAME="a"\nHOSTNAME="b"\n'), ['vzctl set 101 --hostname a --save', undefined], 'classic: the first wins');
    assert.deepEqual(all('HOSTNAME="a"\nHOSTNAME="b"\n', { target: 'vz7' }), [undefined, 'vzctl set 101 --hostname b --save']);
    assert.deepEqual(all('ONBOOT="maybe"\nIP_ADDRESS="not-an-ip"\nCPUUNITS="abc"\n'), [undefined, undefined, undefined], 'invalid values');
    const iptables = "vzctl set 101 --iptables 'iptable_filter ipt_REJECT' --save";
    assert.deepEqual(all('IPTABLES="iptable_filter"\nIPTABLES="ipt_REJECT"\n'), [iptables, iptables]);
  });

  it('the action copies through the client command', () => {
    const a = copyAsVzctlSetAction('vzctl set 101 --onboot yes --save');
    assert.equal(a.kind, 'refactor.vzconf.vzctlSet');
    assert.deepEqual(a.command, { title: a.title, command: 'vzconf.copyToClipboard', arguments: ['vzctl set 101 --onboot yes --save'] });
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('effective configuration text', () => {
  it('merges node and container as vzctl does and says where each value comes from', () => {
    const node = { path: '/w/etc/vz/vz.conf', text: 'DISK_QUOTA=no\nVE_PRIVATE="/vz/private/$VEID"\nLOCKDIR=/vz/lock\nONBOOT="no"\n' };
    const text = `${VSWAP}ONBOOT="yes"\nONBOOT="no"\nMY_KEY="1"\n`;
    const out = effectiveConfigText(text, { path: CT, nodeConfig: node });
    assert.match(out, /^ONBOOT="yes" +# 101\.conf line 3$/m, 'classic: the first ONBOOT wins, over vz.conf');
    assert.match(out, /^DISK_QUOTA="no" +# vz\.conf line 1$/m);
    assert.match(out, /^VE_PRIVATE="\/vz\/private\/\$VEID" +# vz\.conf line 2$/m);
    assert.match(out, /^# LOCKDIR="\/vz\/lock" {2}\(vz\.conf line 3\)$/m, 'node-wide keys listed apart');
    assert.match(out, /^# MY_KEY="1" {2}\(101\.conf line 5\)$/m);
    assert.match(effectiveConfigText(text, { path: CT, nodeConfig: node, target: 'vz7' }), /^ONBOOT="no" +# 101\.conf line 4$/m, 'Virtuozzo 7: the last wins');
  });

  it('never shows a line vzctl skips for an invalid value: the earlier line, vz.conf or the default, and says so', () => {
    const node = { path: '/w/etc/vz/vz.conf', text: 'CPUUNITS="500"\n' };
    // Line 3 is skipped; line 4 is then not a duplicate and applies (classic: the handler set nothing).
    const text = `${VSWAP}NETFILTER="Stateful"\nNETFILTER="stateful"\nCPUUNITS="1K"\nNUMPROC="1K"\nCPULIMIT="200%"\n`;
    const out = effectiveConfigText(text, { path: CT, nodeConfig: node });
    assert.match(out, /^NETFILTER="stateful" +# 101\.conf line 4; 101\.conf line 3 skipped by vzctl \(invalid value\)$/m);
    assert.match(out, /^CPUUNITS="500" +# vz\.conf line 1; 101\.conf line 5 skipped by vzctl \(invalid value\)$/m);
    assert.match(out, /^# NUMPROC is not set; 101\.conf line 6 skipped by vzctl \(invalid value\)$/m);
    assert.match(out, /^CPULIMIT="0" +# vzctl's default; 101\.conf line 7 skipped by vzctl \(invalid value\)$/m);
    assert.doesNotMatch(out, /Stateful|"1K"|200%/);
    const hover = computeHover(text, { line: 6, character: 2 }, { path: CT, nodeConfig: node })?.contents ?? '';
    assert.match(hover, /Effective: `0` vzctl's built-in default \(vzctl skips this line: invalid value\)/);
  });

  it('never shows vz.conf\'s VE_LAYOUT as the container\'s: it is the default for vzctl create only (vzctl.c @ 4.9.4, image.c @ 4.9.3)', () => {
    const node = { path: '/w/etc/vz/vz.conf', text: 'VE_LAYOUT=ploop\nDISK_QUOTA=yes\n' };
    const text = `${VSWAP}DISKINODES="200000:220000"\n`;
    const out = effectiveConfigText(text, { path: CT, nodeConfig: node });
    assert.doesNotMatch(out, /^VE_LAYOUT=/m);
    assert.match(out, /^# VE_LAYOUT is not set in 101\.conf: vz\.conf line 1 \("ploop"\) is only the default for vzctl create; vzctl 4\.11\.1 detects this container's layout from its private area \(and saves it at the next vzctl start\)$/m);
    // vzctl 4.7 does the same (VE_LAYOUT feeds vzctl create only), without saving it at start.
    assert.match(effectiveConfigText(text, { path: CT, nodeConfig: node, target: 'classic@4.7' }), /^# VE_LAYOUT is not set in 101\.conf: .*; vzctl 4\.7 detects this container's layout from its private area$/m);
    // Its own line: the layout on 4.9.4+; before 4.9.4 read for vzctl create only.
    const own = `${text}VE_LAYOUT="simfs"\n`;
    assert.match(effectiveConfigText(own, { path: CT, nodeConfig: node }), /^VE_LAYOUT="simfs" +# 101\.conf line 4$/m);
    assert.match(effectiveConfigText(own, { path: CT, nodeConfig: node, target: 'classic@4.9.3' }), /^VE_LAYOUT="simfs" +# 101\.conf line 4; vzctl 4\.9\.3 reads it for vzctl create only and detects an existing container's layout from its private area$/m);
    // A sample is what vzctl create merges over vz.conf: there the node's VE_LAYOUT applies.
    assert.match(effectiveConfigText(text, { path: '/w/etc/vz/conf/ve-x.conf-sample', nodeConfig: node }), /^VE_LAYOUT="ploop" +# vz\.conf line 1$/m);
    // The hover of a quota key names the layout the same way, not "ploop from vz.conf".
    const hover = computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node })?.contents ?? '';
    assert.match(hover, /VE_LAYOUT: not set in this file; vz\.conf line 1 \(`ploop`\) is only the default for vzctl create/);
    assert.doesNotMatch(hover, /VE_LAYOUT: `ploop` from vz\.conf/);
    // The CT's own line does not "override" vz.conf's, which never applied to it.
    const ownHover = computeHover(own, { line: 3, character: 2 }, { path: CT, nodeConfig: node })?.contents ?? '';
    assert.match(ownHover, /Effective: `simfs` from this file, line 4 \(this line\)/);
    assert.doesNotMatch(ownHover, /overrides vz\.conf/);
  });
});

describe('effective configuration on Virtuozzo 7: a value libvzctl refuses', () => {
  // libvzctl keeps the last line of a key and refuses an invalid value (add_env_param → VZCTL_E_INVAL;
  // vzctl2_env_open_conf fails, lib/env_config.c and lib/env.c @ v7.0.737; vzctl v7.0.254 does not skip it).
  const node = { path: '/w/etc/vz/vz.conf', text: 'ONBOOT="yes"\nCPUUNITS="500"\n' };
  it('is never shown as the effective value, neither is an earlier line nor vz.conf\'s', () => {
    const text = `${VSWAP}ONBOOT="yes"\nONBOOT="maybe"\n`;
    const out = effectiveConfigText(text, { path: CT, nodeConfig: node, target: 'vz7' });
    assert.doesNotMatch(out, /^ONBOOT=/m);
    assert.match(out, /^# ONBOOT has no effective value: libvzctl [\d.]+ \(Virtuozzo 7\+\) refuses "maybe" \(101\.conf line 4\) with "Invalid parameter", so vzctl commands on this container fail until it is fixed$/m);
    // Classic skips such a line instead, and vz.conf's value applies.
    assert.match(effectiveConfigText(`${VSWAP}ONBOOT="maybe"\n`, { path: CT, nodeConfig: node, target: 'classic' }), /^ONBOOT="yes" +# vz\.conf line 1; 101\.conf line 3 skipped by vzctl \(invalid value\)$/m);
    // The last line wins on Virtuozzo 7: an invalid earlier line is replaced, not refused.
    assert.match(effectiveConfigText(`${VSWAP}ONBOOT="maybe"\nONBOOT="no"\n`, { path: CT, nodeConfig: node, target: 'vz7' }), /^ONBOOT="no" +# 101\.conf line 4$/m);
  });
  it('a refused vz.conf value is not shown either; the hover says the same', () => {
    const bad = { path: '/w/etc/vz/vz.conf', text: 'ONBOOT="maybe"\n' };
    const out = effectiveConfigText(VSWAP, { path: CT, nodeConfig: bad, target: 'vz7' });
    assert.match(out, /^# ONBOOT has no effective value: .* refuses "maybe" \(vz\.conf line 1\)/m);
    const text = `${VSWAP}ONBOOT="maybe"\n`;
    const hover = computeHover(text, { line: 2, character: 2 }, { path: CT, nodeConfig: node, target: 'vz7' })?.contents ?? '';
    assert.match(hover, /Effective: none — libvzctl [\d.]+ \(Virtuozzo 7\+\) refuses `maybe` \(this line\) with "Invalid parameter"/);
    assert.doesNotMatch(hover, /Effective: `maybe`/);
  });
});
