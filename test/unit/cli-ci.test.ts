import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import type { JsonFinding } from '../../server/src/cli/format';
import { classifyConfigName, looksLikeConfig } from '../../server/src/cli/discover';
import { checkDocsUrlTemplate, escapeCommandData, escapeCommandProperty } from '../../server/src/cli/sarif';
import type { FleetSummary } from '../../server/src/cli/summary';
import { runCaptured as run } from '../helpers/vzlint';

const repo = path.resolve(__dirname, '../..');
const fixtures = path.join(repo, 'test/fixtures/templates');
const wild = path.join(repo, '../shared/corpus/wild');
const CLEAN = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nHOSTNAME="ct.example.org"\n';
const BAD = 'ONBOOT="yes"\nKMEMSIZE="20000000:10000000"\n';
const WARN = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nIPTABLES="ipt_REJECT"\n';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vzlint-ci-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});
async function tree(name: string, files: Record<string, string>): Promise<string> {
  const root = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.join(root, path.dirname(rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}
const json = (s: string): JsonFinding[] => JSON.parse(s) as JsonFinding[];
const filesOf = (s: string): string[] => [...new Set(json(s).map((i) => i.file))].sort();

describe('vzlint finds configs wherever they sit', () => {
  it('CTID.conf outside conf/ by name and content, templates by name, not other files', async () => {
    const root = await tree('anywhere', {
      'backup/101.conf': BAD,
      'repo/files/ct/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf': BAD,
      'repo/files/ct/102.conf': '# not a container config\nlisten 80;\nserver_name x;\n',
      'roles/ovz/templates/101.conf.j2': BAD,
      'roles/ovz/templates/vz.conf.erb': 'VE_ROOT=/vz/root/$VEID\nDISK_QUOTA=<%= @q %>\n',
      'roles/ovz/templates/ve-web.conf-sample.j2': BAD,
      'ispconfig/openvz.conf.tpl': BAD,
      'misc/nginx.conf.j2': 'server { listen 80; }\n',
      'misc/other.conf': BAD,
    });
    const r = await run(['--format', 'json', '.'], root);
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(filesOf(r.out), [
      'backup/101.conf',
      'ispconfig/openvz.conf.tpl',
      'repo/files/ct/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf',
      'roles/ovz/templates/101.conf.j2',
      'roles/ovz/templates/ve-web.conf-sample.j2',
    ]);
    const verbose = await run(['--no-color', '--verbose', '.'], root);
    assert.match(verbose.out, /roles\/ovz\/templates\/vz\.conf\.erb \[node, classic@[\d.]+, template\]/);
    assert.match(verbose.out, /roles\/ovz\/templates\/ve-web\.conf-sample\.j2 \[container, classic@[\d.]+, template\]/);
  });

  it('Virtuozzo 7 layout: conf/CTID.conf links to ve.conf are found; link loops and dangling links neither hang nor repeat', async () => {
    const root = await tree('vz7', { 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'vz/private/101/ve.conf': WARN, 'vz/private/102/ve.conf': BAD });
    await mkdir(path.join(root, 'etc/vz/conf'), { recursive: true });
    await symlink('../../../vz/private/101/ve.conf', path.join(root, 'etc/vz/conf/101.conf'));
    await symlink('../../../vz/private/102/ve.conf', path.join(root, 'etc/vz/conf/102.conf'));
    await symlink('../../../vz/private/103/ve.conf', path.join(root, 'etc/vz/conf/103.conf')); // private area not mounted
    await symlink('..', path.join(root, 'etc/vz/conf/up')); // a loop
    const r = await run(['--format', 'json', 'vz7/etc/vz'], tmp);
    assert.deepEqual(filesOf(r.out), ['vz7/etc/vz/conf/101.conf', 'vz7/etc/vz/conf/102.conf']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /warning: vz7\/etc\/vz\/conf\/103\.conf: skipped, a symbolic link that cannot be followed \(dangling\)/);
    // A glob through the loop lists each file once, not once per level of up/up/up/….
    const g = await run(['--format', 'json', 'vz7/etc/vz/**/*.conf'], tmp);
    assert.deepEqual(filesOf(g.out).filter((f) => f.includes('/conf/')), ['vz7/etc/vz/conf/101.conf', 'vz7/etc/vz/conf/102.conf']);
    assert.equal(json(g.out).length, json(r.out).length);
  });

  it('names: by name, by content, or not at all', () => {
    assert.equal(classifyConfigName('/x/conf/101.conf'), 'config');
    assert.equal(classifyConfigName('/x/backup/101.conf'), 'candidate');
    assert.equal(classifyConfigName('/x/templates/101.conf.j2'), 'candidate');
    assert.equal(classifyConfigName('/x/conf/101.conf.j2'), 'config');
    assert.equal(classifyConfigName('/x/vz.conf.erb'), 'config');
    assert.equal(classifyConfigName('/x/ve-a.conf-sample.j2'), 'config');
    assert.equal(classifyConfigName('/x/ve-a.conf-sample.x86_64'), 'config');
    assert.equal(classifyConfigName('/x/openvz.conf.tpl'), 'candidate');
    assert.equal(classifyConfigName('/x/nginx.conf'), undefined);
    assert.equal(classifyConfigName('/x/vz.conf.rpmnew'), undefined);
    assert.equal(looksLikeConfig('ONBOOT="yes"\nPHYSPAGES="0:1"\n'), true);
    assert.equal(looksLikeConfig('ONBOOT="yes"\nfoo=1\n'), false);
  });

  it('a directory, a glob or a path that matches nothing: exit 2 with a clear message, or 0 with --no-error-on-unmatched-pattern', async () => {
    const root = await tree('unmatched', { 'empty/readme.txt': 'x\n', 'empty/web-sample': CLEAN, 'cfg/conf/101.conf': CLEAN });
    const dir = await run(['empty'], root);
    assert.equal(dir.code, 2);
    assert.match(dir.err, /no files matching "empty" .*were found/);
    // A folder with files of other names (a collection of samples) says how to lint them: name them.
    assert.match(dir.err, /; files of other names are linted when named, e\.g\. "empty\/\*"\)/);
    const named = await run(['--format', 'json', 'empty/*'], root);
    assert.notEqual(named.code, 2, named.err);
    assert.deepEqual(filesOf(named.out), []);
    assert.match(named.err, /matched 1 file that is not an OpenVZ \/ Virtuozzo config by name or content, skipped: empty\/readme\.txt/);
    const glob = await run(['nothing/**/*.conf'], root);
    assert.equal(glob.code, 2);
    assert.match(glob.err, /no files matching the pattern "nothing\/\*\*\/\*\.conf" were found/);
    const allowed = await run(['--no-error-on-unmatched-pattern', '--format', 'json', 'empty', 'cfg'], root);
    assert.equal(allowed.code, 0, allowed.err);
    assert.deepEqual(filesOf(allowed.out), []);
  });

  it('globs are expanded by vzlint (quoted in the shell) and every match is linted', async () => {
    const root = await tree('globs', { 'a/one.conf': BAD, 'b/two.cfg': BAD, 'b/c/three.conf': BAD });
    const r = await run(['--format', 'json', '**/*.conf'], root);
    assert.equal(r.code, 1);
    assert.deepEqual(filesOf(r.out), ['a/one.conf', 'b/c/three.conf']);
  });

  it('a glob skips what is clearly not a config (README.md, MANIFEST.json), says so in one line and in the summary; a file named is linted', async () => {
    const root = await tree('glob-other', {
      'corpus/README.md': '# Samples\n\nSee SOURCES.md.\n',
      'corpus/MANIFEST.json': '{"files": [{"path": "a.conf", "lint_target": "classic@4.6"}]}\n',
      'corpus/notes.txt': 'Set ONBOOT=yes in the file.\n',
      'corpus/wild/web-server.cfg': CLEAN,
      'corpus/wild/odd name': BAD,
      'corpus/conf/101.conf': '',
      'corpus/download.conf': 'TEMPLATE_SERVER=http://example.org\nDOWNLOAD_DIR=/vz/template\n',
      'corpus/tpl/ct.conf.j2': 'ONBOOT={{ onboot }}\n',
    });
    const r = await run(['--format', 'json', 'corpus/**'], root);
    assert.equal(r.code, 1, r.err);
    assert.ok(filesOf(r.out).includes('corpus/wild/odd name'), r.out);
    // Configs of any name (by content), config names whatever the content, templates by name.
    const all = await run(['--verbose', 'corpus/**'], root);
    for (const f of ['corpus/wild/web-server.cfg', 'corpus/wild/odd name', 'corpus/conf/101.conf', 'corpus/tpl/ct.conf.j2']) assert.ok(all.out.includes(f), `${f} is linted:\n${all.out}`);
    for (const f of ['README.md', 'MANIFEST.json', 'notes.txt', 'download.conf']) assert.ok(!all.out.includes(f), `${f} is not linted:\n${all.out}`);
    assert.match(all.err, /^vzlint: note: the pattern "corpus\/\*\*" matched 4 files that are not OpenVZ \/ Virtuozzo configs by name or content, skipped: corpus\/MANIFEST\.json, corpus\/README\.md, corpus\/download\.conf and 1 more \(name a file to lint it anyway\)$/m);
    assert.equal(all.err.split('\n').filter((l) => l.includes('skipped')).length, 1, all.err);
    assert.match(all.out, /\(4 files skipped: not configs\)/);
    const summary = await run(['--summary', 'corpus/**'], root);
    assert.match(summary.out, /Skipped: 4 files a pattern matched, not configs by name or content/);
    const summaryJson = JSON.parse((await run(['--summary', '--format', 'json', 'corpus/**'], root)).out) as { fleet: { skipped?: number } };
    assert.equal(summaryJson.fleet.skipped, 4);
    // Named explicitly, a file is linted whatever it is; a pattern that matches only such files matches nothing.
    const named = await run(['--verbose', 'corpus/README.md'], root);
    assert.match(named.out, /corpus\/README\.md/);
    const only = await run(['corpus/*.md'], root);
    assert.equal(only.code, 2);
    assert.match(only.err, /no files matching the pattern "corpus\/\*\.md" \(it matched 1 file, none an OpenVZ \/ Virtuozzo config by name or content: corpus\/README\.md; name a file to lint it anyway\) were found/);
  });

  it('a file with a NUL byte is not a config: a tar of /etc/vz matched by a glob, or a candidate in a folder, is skipped and never rewritten by --fix', async () => {
    // A tar of conf/101.conf: a 512-byte header (name, NULs, "ustar"), the config's lines (two known
    // parameters, and QUOTATIME, which --fix removes on ploop), padding and the two zero end blocks.
    const header = Buffer.alloc(512);
    header.write('conf/101.conf', 0);
    header.write('ustar  ', 257);
    const body = Buffer.from('PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\nVE_LAYOUT=ploop\nQUOTATIME="10"\nONBOOT="yes"\n');
    const tar = Buffer.concat([header, body, Buffer.alloc(512 - body.length + 1024)]);
    const root = await tree('nul', { 'bk/conf.txt': CLEAN, 'walk/backup/101.conf': CLEAN });
    await writeFile(path.join(root, 'bk/etc-vz.tar'), tar);
    await writeFile(path.join(root, 'walk/backup/102.conf'), tar);
    assert.equal(looksLikeConfig(tar.toString('utf8')), false);
    for (const flag of ['--fix', '--fix-dry-run']) {
      const r = await run([flag, '--verbose', 'bk/*'], root);
      assert.match(r.err, /the pattern "bk\/\*" matched 1 file that is not an OpenVZ \/ Virtuozzo config by name or content, skipped: bk\/etc-vz\.tar/, r.err);
      assert.ok(!r.out.includes('etc-vz.tar') && !r.err.includes('etc-vz.tar: '), r.out + r.err);
      // --fix-dry-run prints only the diff (none here) on stdout.
      if (flag === '--fix') assert.match(r.out, /1 file skipped: not configs\)/);
      else assert.equal(r.out, '');
      assert.deepEqual(readFileSync(path.join(root, 'bk/etc-vz.tar')), tar);
      // A directory search confirms a candidate (CTID.conf outside conf/) by content: NUL means not a config.
      const w = await run([flag, '--verbose', 'walk'], root);
      if (flag === '--fix') assert.ok(w.out.includes('walk/backup/101.conf'), w.out);
      assert.ok(!w.out.includes('102.conf') && !w.err.includes('102.conf'), w.out + w.err);
      assert.deepEqual(readFileSync(path.join(root, 'walk/backup/102.conf')), tar);
    }
  });

  it('a symbolic link loop is named with its error code once', async (t) => {
    const root = await tree('loop', {});
    await mkdir(root, { recursive: true });
    await symlink('loop1', path.join(root, 'loop1'));
    const r = await run(['loop1'], root);
    if (!/ELOOP/.test(r.err)) return t.skip(`no ELOOP on this system: ${r.err}`);
    assert.equal(r.code, 2);
    assert.match(r.err, /^vzlint: loop1: ELOOP: too many symbolic links/m);
    assert.doesNotMatch(r.err, /ELOOP: ELOOP/);
  });

  it('no PATH on a node: lints its /etc/vz as one node and says so', async () => {
    const root = await tree('node', { 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'etc/vz/conf/101.conf': BAD, 'etc/vz/conf/102.conf': CLEAN });
    const r = await run(['--format', 'json'], tmp, { defaultNodeRoot: path.join(root, 'etc/vz') });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /no PATH given: linting this node's .*etc\/vz \(vz\.conf and conf\/\) as one node/);
    assert.ok(filesOf(r.out).every((f) => f.endsWith('conf/101.conf')), r.out);
  });
});

describe('vzlint output formats', () => {
  it('--format sarif is valid SARIF 2.1.0 (official schema) with rules, locations, fixes and relative URIs', async (t) => {
    const schemaFile = path.join(repo, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    if (!existsSync(schemaFile)) {
      t.skip('@microsoft/jest-sarif (dev dependency with the SARIF 2.1.0 schema) is not installed');
      return;
    }
    const root = await tree('sarif', { 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'etc/vz/conf/101.conf': `${BAD}NAME = x\nHOSTNAME=ct 1\n` });
    const r = await run(['--format', 'sarif', '--docs-url', 'https://docs.example.org/rules/{rule}.html', '.'], root);
    assert.equal(r.code, 1, r.err);
    const log = JSON.parse(r.out) as Sarif.Log;
    // The schema's language-tag pattern is not valid as a Unicode regular expression; its formats are informative.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(validate({ ...log, runs: [{ ...log.runs[0], results: [{ level: 'fatal', message: {} }] }] }), false, 'the schema does reject a bad log');
    const run0 = log.runs[0] as Sarif.Run;
    const rules = run0.tool.driver.rules ?? [];
    const kmem = rules.find((x) => x.id === 'barrier-above-limit');
    assert.ok(kmem?.help?.markdown?.startsWith('# barrier-above-limit'), 'help.markdown from docs/rules');
    assert.equal(kmem?.helpUri, 'https://docs.example.org/rules/barrier-above-limit.html');
    const results = run0.results ?? [];
    const res = results.find((x) => x.ruleId === 'barrier-above-limit');
    assert.ok(res);
    assert.equal(res.level, 'error');
    assert.equal(rules[res.ruleIndex as number]?.id, 'barrier-above-limit');
    const loc = res.locations?.[0]?.physicalLocation;
    assert.deepEqual({ uri: loc?.artifactLocation?.uri, base: loc?.artifactLocation?.uriBaseId }, { uri: 'etc/vz/conf/101.conf', base: 'ROOT' });
    assert.equal(loc?.region?.startLine, 2);
    assert.ok(results.some((x) => (x.fixes?.length ?? 0) > 0), 'a safe fix is carried as a SARIF fix');
    // Without --docs-url no helpUri (no public docs site is assumed).
    const plain = JSON.parse((await run(['--format', 'sarif', '.'], root)).out) as Sarif.Log;
    assert.ok((plain.runs[0]?.tool.driver.rules ?? []).every((x) => x.helpUri === undefined));
    const bad = await run(['--format', 'sarif', '--docs-url', 'javascript:alert(1)//{rule}', '.'], root);
    assert.equal(bad.code, 2);
  });

  it('--docs-url: a template whose URL would hold a line break, a blank, a quote or angle brackets is refused (helpUri is a URI; attack)', () => {
    assert.equal(checkDocsUrlTemplate('https://docs.example.org/rules/{rule}.html'), undefined);
    assert.equal(checkDocsUrlTemplate('https://docs.example.org/r?id={rule}&v=1#x'), undefined);
    for (const bad of ['https://x/{rule}\n', 'https://x/{rule}"><b>', 'https://x/{rule} y', 'https://x/{rule}`', 'https://x/{rule}\\', 'https://x/\u001b[2J{rule}', 'https://x/{rule}<script>', 'https://x/{rule}{x}']) {
      assert.match(checkDocsUrlTemplate(bad) ?? '', /characters/, JSON.stringify(bad));
    }
  });

  it('--format github prints workflow commands with % CR LF escaped, and : , in properties', async () => {
    assert.equal(escapeCommandData('50% done\r\nnext'), '50%25 done%0D%0Anext');
    assert.equal(escapeCommandProperty('a:b,c%'), 'a%3Ab%2Cc%25');
    const root = await tree('github', { 'x,y:z/conf/101.conf': BAD });
    const r = await run(['--format', 'github', '.'], root);
    assert.equal(r.code, 1);
    const line = r.out.split('\n').find((l) => l.includes('barrier-above-limit'));
    assert.ok(line, r.out);
    assert.match(line, /^::error file=x%2Cy%3Az\/conf\/101\.conf,line=2,col=\d+,endLine=2,endColumn=\d+,title=vzlint barrier-above-limit::/);
    assert.ok(!line.slice(2).includes('::error'), 'one command per line');
  });
});

describe('vzlint CI knobs and exit codes', () => {
  it('exit 0 / 1 / 2, --severity-threshold, --max-warnings, --quiet', async () => {
    const root = await tree('knobs', { 'w/conf/101.conf': WARN, 'e/conf/102.conf': BAD });
    assert.equal((await run(['w'], root)).code, 0, 'warnings only: 0');
    assert.equal((await run(['e'], root)).code, 1, 'an error: 1');
    assert.equal((await run(['missing'], root)).code, 2, 'a missing path: 2');
    assert.equal((await run(['--severity-threshold', 'warning', 'w'], root)).code, 1);
    assert.equal((await run(['--severity-threshold', 'bogus', 'w'], root)).code, 2);
    const max = await run(['--max-warnings', '0', 'w'], root);
    assert.equal(max.code, 1);
    assert.match(max.err, /more than --max-warnings 0/);
    assert.equal((await run(['--max-warnings', '99', 'w'], root)).code, 0);
    assert.equal((await run(['--max-warnings', '-1', 'w'], root)).code, 2);
    const both = await run(['--fix', '--fix-dry-run', 'w'], root);
    assert.equal(both.code, 2, 'write or show: not both');
    assert.match(both.err, /'--fix-dry-run' cannot be used with option '--fix'/);
    const quiet = await run(['--quiet', '--format', 'json', '.'], root);
    assert.equal(quiet.code, 1);
    assert.ok(json(quiet.out).length > 0 && json(quiet.out).every((i) => i.severity === 'error'), quiet.out);
    // As in ESLint (and vzlint --help's example): --quiet hides warnings, --max-warnings still counts them.
    const quietMax = await run(['--quiet', '--max-warnings', '0', '--format', 'json', 'w'], root);
    assert.equal(quietMax.code, 1, 'warnings hidden by --quiet still count for --max-warnings');
    assert.deepEqual(json(quietMax.out), [], 'and are not printed');
    assert.match(quietMax.err, /\d+ warnings? \(not shown: --quiet\), more than --max-warnings 0/);
    assert.equal((await run(['--quiet', 'w'], root)).code, 0, 'without --max-warnings, quiet warnings do not fail the run');
  });

  it('--quiet: the summary line never says "no problems" while it hides warnings (a failing CI gate)', async () => {
    const root = await tree('quietgate', { 'w/conf/101.conf': WARN, 'e/conf/102.conf': BAD, 'c/conf/103.conf': CLEAN });
    const warned = json((await run(['--format', 'json', 'w'], root)).out).filter((i) => i.severity === 'warning').length;
    assert.ok(warned > 0);
    const gate = await run(['--no-color', '--max-warnings', '0', '-q', 'w'], root);
    assert.equal(gate.code, 1);
    // Exit 1: the line says why, never "✔".
    assert.equal(gate.out, `✖ no errors (1 file checked; ${warned} warning${warned === 1 ? '' : 's'} not shown: --quiet; see above)\n`);
    // The reason once, on stderr.
    assert.equal(gate.err, `vzlint: ${warned} warning${warned === 1 ? '' : 's'} (not shown: --quiet), more than --max-warnings 0\n`);
    // With errors, only errors are counted (not "0 warnings") and the hidden ones named.
    const mixed = await run(['--no-color', '-q', 'w', 'e'], root);
    assert.equal(mixed.code, 1);
    assert.match(mixed.out, new RegExp(`\\n✖ 2 errors in 1 of 2 files \\(${warned} warnings? not shown: --quiet\\)\\n$`));
    // Nothing hidden: still "no problems".
    assert.equal((await run(['--no-color', '-q', 'c'], root)).out, '✔ no problems (1 file checked)\n');
    // The same through --fix (which gathers the reports before printing; nothing safe to fix here).
    const fix = await run(['--no-color', '--fix', '-q', 'w'], root);
    assert.match(fix.err, /0 files changed/);
    assert.match(fix.out, /^✔ no errors \(1 file checked; \d+ warnings? not shown: --quiet\)\n$/);
    // --fix -q --max-warnings: the same gate, the same line (it said "✔" with exit 1).
    const fixGate = await run(['--no-color', '--fix', '-q', '--max-warnings', '0', 'w'], root);
    assert.equal(fixGate.code, 1);
    assert.match(fixGate.out, /^✖ no errors \(1 file checked; \d+ warnings? not shown: --quiet; see above\)\n$/);
    // The machine formats are unchanged: no summary line.
    assert.deepEqual(json((await run(['--format', 'json', '--max-warnings', '0', '-q', 'w'], root)).out), []);
    assert.equal((await run(['--format', 'github', '--max-warnings', '0', '-q', 'w'], root)).out, '');
  });

  it('--quiet with --severity-threshold: hidden findings at the threshold still fail the run (a CI gate)', async () => {
    const root = await tree('quietthreshold', { 'w/conf/101.conf': WARN, 'c/conf/103.conf': CLEAN });
    const warned = json((await run(['--format', 'json', 'w'], root)).out).filter((i) => i.severity === 'warning').length;
    assert.ok(warned > 0);
    const ws = `${warned} warning${warned === 1 ? '' : 's'}`;
    // Streamed output: exit 1, the reason once on stderr, and no "✔" (it was exit 0 and "✔ no errors").
    const gate = await run(['--no-color', '-q', '--severity-threshold', 'warning', 'w'], root);
    assert.equal(gate.code, 1);
    assert.equal(gate.err, `vzlint: ${ws} (not shown: --quiet) at or above --severity-threshold warning\n`);
    assert.equal(gate.out, `✖ no errors (1 file checked; ${ws} not shown: --quiet; see above)\n`);
    // Through --fix (reports gathered before printing) and in the machine formats: the same exit status.
    const fix = await run(['--no-color', '--fix', '-q', '--severity-threshold', 'warning', 'w'], root);
    assert.equal(fix.code, 1);
    assert.match(fix.out, /^✖ no errors \(1 file checked; \d+ warnings? not shown: --quiet; see above\)\n$/);
    for (const format of ['json', 'sarif', 'github']) {
      assert.equal((await run(['-q', '--severity-threshold', 'warning', '--format', format, 'w'], root)).code, 1, format);
    }
    // Below the threshold, hidden findings do not fail the run; a clean file stays "✔ no problems".
    assert.equal((await run(['-q', '--severity-threshold', 'error', 'w'], root)).code, 0);
    const clean = await run(['--no-color', '-q', '--severity-threshold', 'hint', 'c'], root);
    assert.deepEqual([clean.code, clean.out, clean.err], [0, '✔ no problems (1 file checked)\n', '']);
  });

  it('--print-config FILE prints the resolved options and target as JSON', async () => {
    const root = await tree('printcfg', { '.vzconf.yaml': 'rules:\n  inline-comment: off\nnodeRam: 64G\n', 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'etc/vz/conf/101.conf': CLEAN });
    const r = await run(['--print-config', 'etc/vz/conf/101.conf', '--rule', 'unknown-parameter=error'], root);
    assert.equal(r.code, 0, r.err);
    const cfg = JSON.parse(r.out) as Record<string, unknown>;
    assert.equal(cfg.kind, 'container');
    assert.match(String(cfg.target), /^classic@/);
    assert.equal(cfg.nodeConfig, 'etc/vz/vz.conf');
    assert.equal(cfg.configFile, '.vzconf.yaml');
    assert.deepEqual(cfg.rules, { 'inline-comment': 'off', 'unknown-parameter': 'error' });
    assert.equal(cfg.nodeRamBytes, String(64n * 1024n ** 3n));
    assert.equal((await run(['--print-config', 'nope.conf'], root)).code, 2);
  });

  it('--print-config names where an explicit target came from: the .vzconf.yaml or --target, never "the settings"', async () => {
    const root = await tree('printcfg-source', { 'nodes/.vzconf.yaml': 'target: classic@4.6\n', 'nodes/etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'nodes/etc/vz/conf/101.conf': CLEAN });
    const fromFile = JSON.parse((await run(['--print-config', 'nodes/etc/vz/conf/101.conf'], root)).out) as Record<string, unknown>;
    assert.equal(fromFile.target, 'classic@4.6');
    assert.equal(fromFile.targetReason, 'set to classic@4.6 in nodes/.vzconf.yaml');
    const fromFlag = JSON.parse((await run(['--print-config', 'nodes/etc/vz/conf/101.conf', '--target', 'vz7'], root)).out) as Record<string, unknown>;
    assert.equal(fromFlag.targetReason, 'set to vz7 by --target');
    // auto: how to choose another target, in vzlint's words (never the editor setting vzconf.target).
    const auto = JSON.parse((await run(['--print-config', 'nodes/etc/vz/conf/101.conf', '--no-config'], root)).out) as Record<string, unknown>;
    assert.match(String(auto.targetReason), /^auto: classic vzctl [\d.]+ .*\. Set --target or target: in \.vzconf\.yaml \(e\.g\. classic@4\.6\) for an older node$/);
    assert.doesNotMatch(String(auto.targetReason), /vzconf\.target/);
  });

  it('--help lists the formats, exit codes and examples; --version prints the version', async () => {
    const help = await run(['--help'], tmp);
    assert.equal(help.code, 0);
    for (const s of ['stylish', 'sarif', 'github', '--max-warnings', '--fix-dry-run', 'Exit status:', 'Examples:', '--no-error-on-unmatched-pattern']) assert.ok(help.out.includes(s), s);
    const v = await run(['--version'], tmp);
    assert.match(v.out, /^\d+\.\d+\.\d+/);
  });

  it('a progress line on a terminal stderr only for runs over a second, erased at the end', async () => {
    const root = await tree('progress', { 'a/conf/101.conf': CLEAN, 'b/conf/102.conf': CLEAN });
    let clock = 0;
    const slow = await run(['a', 'b'], root, { stderrIsTTY: true, now: () => (clock += 800) });
    assert.match(slow.err, /\rvzlint: \d+\/\d+ nodes and templates checked…/);
    assert.ok(slow.err.endsWith('\r\u001b[K'), JSON.stringify(slow.err));
    const fast = await run(['a', 'b'], root, { stderrIsTTY: true, now: () => 0 });
    assert.equal(fast.err, '');
    const notTty = await run(['a', 'b'], root, { stderrIsTTY: false, now: () => (clock += 800) });
    assert.equal(notTty.err, '');
  });
});

describe('vzlint templates', () => {
  it("the project's template fixtures: values with placeholders not value-checked, plain ones are, control lines and branches understood", async () => {
    const r = await run(['--format', 'json', '.'], fixtures);
    const items = json(r.out);
    const errors = items.filter((i) => i.severity === 'error').map((i) => `${i.file}:${i.line}:${i.rule}`);
    // The one deliberate error: the suffix Q of a plain value in an else branch (line 4's Q after a
    // placeholder is not judged: the placeholder can render to anything).
    assert.deepEqual(errors, ['ansible/roles/openvz/templates/etc/vz/conf/101.conf.j2:9:invalid-value']);
    assert.match(items.find((i) => i.rule === 'invalid-value')?.message ?? '', /suffix "Q"/);
    // No control line is a config line, no branch pair is a duplicate.
    assert.ok(!items.some((i) => i.rule === 'missing-equals' || i.rule === 'duplicate-parameter'), r.out);
    // Everything else still works: the global IPTABLES of the Jinja2 vz.conf is deprecated.
    assert.ok(items.some((i) => i.file.endsWith('vz.conf.j2') && i.rule === 'deprecated-parameter'), r.out);
    // --template reads any file as a template; without it ${var} stays a shell-expansion finding.
    const root = await tree('tmplflag', { 'conf/101.conf': 'ONBOOT="yes"\nPHYSPAGES="0:{{ ram }}M"\nSWAPPAGES="0:1G"\nHOSTNAME="${name}.example.org"\nDISKSPACE="10G:11X"\nDISKINODES="{{ d }}G:{{ d }}X"\n' });
    const plain = json((await run(['--format', 'json', '.'], root)).out);
    assert.ok(plain.some((i) => i.rule === 'shell-expansion'));
    const templ = json((await run(['--format', 'json', '--template', '.'], root)).out);
    assert.deepEqual(templ.filter((i) => i.severity === 'error').map((i) => `${i.line}:${i.rule}`), ['5:invalid-value']);
    assert.ok(!templ.some((i) => i.rule === 'shell-expansion'));
  });

  it('the corpus templates (ISPConfig, Jinja2, Python %-format) give no template-caused errors', async (t) => {
    if (!existsSync(wild)) {
      t.skip('../shared/corpus is absent (bare clone): corpus template check skipped');
      return;
    }
    const dir = path.join(tmp, 'corpus-templates');
    await mkdir(dir, { recursive: true });
    // Copied without their template extension: as plain files first, then with --template.
    for (const f of ['027-debops-ve-vswap-debops.conf-sample.j2.tmpl', '040-python-openvz-ct-template-percent.tmpl', '041-ispconfig3-openvz.conf.tpl-ubc.tmpl', '042-ispconfig3-openvz.conf.tpl-vswap.tmpl']) {
      await cp(path.join(wild, f), path.join(dir, `${f.slice(0, 3)}.txt`));
    }
    const asPlain = json((await run(['--format', 'json', '--kind', 'container', '*.txt'], dir)).out);
    const asTemplate = json((await run(['--format', 'json', '--kind', 'container', '--template', '*.txt'], dir)).out);
    const errors = (items: JsonFinding[]): number => items.filter((i) => i.severity === 'error').length;
    assert.ok(errors(asPlain) > 100, `as plain files they give the known false errors (${errors(asPlain)})`);
    assert.equal(errors(asTemplate), 0, JSON.stringify(asTemplate.filter((i) => i.severity === 'error'), null, 1));
  });
});

describe('vzlint fleet and --summary', () => {
  it('DIR/<host>/etc/vz is one node per host; every finding names its host; summary per node and fleet, also as JSON', async () => {
    const root = await tree('fleet', {
      'nodes/web1/etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n',
      'nodes/web1/etc/vz/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:262144"\nIP_ADDRESS="10.0.0.1"\n',
      'nodes/web1/etc/vz/conf/102.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:0"\nKMEMSIZE="2:1"\n',
      'nodes/db2/etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n',
      'nodes/db2/etc/vz/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:0"\nIP_ADDRESS="10.0.0.1"\n',
    });
    const r = await run(['--format', 'json', 'nodes/'], root);
    const items = json(r.out);
    assert.ok(items.length > 0);
    for (const i of items) assert.equal(i.host, /nodes\/(\w+)\//.exec(i.file)?.[1], JSON.stringify(i));
    // The same IP on two hosts is not a duplicate: each host is its own node.
    assert.ok(!items.some((i) => i.rule === 'duplicate-ip-address'), r.out);
    const s = await run(['--format', 'json', '--summary', '--node-ram', '4G', '--node-swap', '1G', 'nodes/'], root);
    const summary = JSON.parse(s.out) as FleetSummary;
    assert.deepEqual(summary.nodes.map((n) => [n.name, n.containers, n.files]), [['db2', 1, 2], ['web1', 2, 3]]);
    const web1 = summary.nodes[1];
    assert.equal(web1?.bySeverity.warning, 1);
    assert.deepEqual(web1?.byRule['barrier-above-limit'], { warning: 1 });
    assert.equal(web1?.memory?.ramBytes, String(2n * 1024n ** 3n));
    assert.equal(web1?.memory?.ramSwapBytes, String(3n * 1024n ** 3n));
    assert.equal(web1?.memory?.capacityRamSwapBytes, String(5n * 1024n ** 3n));
    assert.equal(web1?.memory?.physpagesBytes, String(2n * 1024n ** 3n));
    assert.equal(web1?.memory?.swappagesBytes, String(1n * 1024n ** 3n));
    assert.equal(web1?.memory?.privvmpagesBytes, '0');
    assert.equal(summary.fleet.nodes, 2);
    assert.equal(summary.fleet.containers, 3);
    const text = await run(['--no-color', '--summary', 'nodes/'], root);
    assert.match(text.out, /Node web1 \(2 containers, 3 files\)\n {2}0 errors, 1 warning, /);
    assert.match(text.out, /Fleet: 2 nodes \(3 containers, 5 files\)/);
    assert.match(text.out, /\n {4}barrier-above-limit: 1 warning\n/);
    // The memory lines say what they sum, in the field's terms; "RAM" alone was not true with PRIVVMPAGES in it.
    const mem = await run(['--no-color', '--summary', '--node-ram', '4G', 'nodes/'], root);
    assert.match(mem.out, /\n {2}memory \(pages × 4 KiB\): vSwap PHYSPAGES limits 2 GiB, SWAPPAGES limits 1 GiB, UBC PRIVVMPAGES barriers 0 B\n {4}PHYSPAGES \+ PRIVVMPAGES: 2 GiB of node RAM 4 GiB\n {4}PHYSPAGES \+ SWAPPAGES \+ PRIVVMPAGES: 3 GiB of node RAM 4 GiB \(swap not given\)\n/);
    assert.doesNotMatch(mem.out, /committed: RAM/);
    // Counts per rule are plural like the totals: "2 warnings", not "2 warning".
    const two = await tree('fleet-plural', { 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'etc/vz/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:0"\nKMEMSIZE="2:1"\nLOCKEDPAGES="2:1"\n' });
    assert.match((await run(['--no-color', '--summary', 'etc/vz'], two)).out, /\n {4}barrier-above-limit: 2 warnings\n/);
  });
});

describe('vzlint --summary: unlimited and near-unlimited values are counted apart, not summed', () => {
  it('PRIVVMPAGES 99999999999999999 (below LONG_MAX, 355 EiB) and a 4 PiB PHYSPAGES limit do not swamp the totals', async () => {
    const root = await tree('summary-unlimited', {
      'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n',
      'etc/vz/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:262144"\n',
      // UBC mode (PHYSPAGES unlimited), PRIVVMPAGES near LONG_MAX: no finite memory to add.
      'etc/vz/conf/102.conf': 'PHYSPAGES="unlimited"\nPRIVVMPAGES="99999999999999999:99999999999999999"\n',
      // vSwap with a PHYSPAGES limit of exactly 2^40 pages (4 PiB): effectively unlimited; its swap still counts.
      'etc/vz/conf/103.conf': 'PHYSPAGES="0:1099511627776"\nSWAPPAGES="0:262144"\n',
      // Just below the threshold: summed.
      'etc/vz/conf/104.conf': 'PHYSPAGES="0:1099511627775"\nSWAPPAGES="unlimited"\n',
    });
    const s = JSON.parse((await run(['--format', 'json', '--summary', 'etc/vz'], root)).out) as FleetSummary;
    const m = s.nodes[0]?.memory;
    assert.equal(m?.physpagesBytes, String(262144n * 4096n + 1099511627775n * 4096n));
    assert.equal(m?.swappagesBytes, String(2n * 262144n * 4096n));
    assert.equal(m?.privvmpagesBytes, '0');
    assert.deepEqual(m?.unlimited, { physpages: 1, swappages: 1, privvmpages: 1 });
    const text = (await run(['--no-color', '--summary', 'etc/vz'], root)).out;
    assert.match(text, /\n {4}not summed, unlimited \(or ≥ 4 PiB\): 1 PHYSPAGES limit, 1 SWAPPAGES limit, 1 PRIVVMPAGES barrier\n/);
    assert.doesNotMatch(text, /EiB/);
    // None unlimited: no such line, no such JSON field.
    const plain = await tree('summary-finite', { 'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n', 'etc/vz/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:0"\n' });
    assert.doesNotMatch((await run(['--no-color', '--summary', 'etc/vz'], plain)).out, /not summed/);
    assert.equal((JSON.parse((await run(['--format', 'json', '--summary', 'etc/vz'], plain)).out) as FleetSummary).nodes[0]?.memory?.unlimited, undefined);
  });
});

describe('vzlint --summary names a node without vz.conf as its files are given', () => {
  it('a folder outside the working directory keeps the relative form it was given in, not an absolute path', async () => {
    const root = await tree('summary-outside', { 'work/.keep': '', 'other/conf/101.conf': 'PHYSPAGES="0:262144"\nSWAPPAGES="0:0"\n' });
    const r = await run(['--no-color', '--summary', '../other/conf'], path.join(root, 'work'));
    assert.match(r.out, /\nNode \.\.\/other\/conf \(no vz\.conf found\) \(1 container, 1 file\)\n/);
  });
});

describe('the editor recognises the same template names', () => {
  it("package.json filenamePatterns cover every template fixture and none of the plain non-config names", async () => {
    // picomatch: the glob matcher fast-glob uses; VS Code's glob syntax for these patterns is the same.
    const picomatch = (await import('picomatch')).default;
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { contributes: { languages: { id: string; filenamePatterns: string[] }[] } };
    const patterns = pkg.contributes.languages.find((l) => l.id === 'vzconf')?.filenamePatterns ?? [];
    const matches = picomatch(patterns, { dot: true });
    for (const f of [
      '/repo/ansible/roles/openvz/templates/etc/vz/conf/101.conf.j2',
      '/repo/ansible/roles/openvz/templates/etc/vz/vz.conf.j2',
      '/repo/puppet/templates/vz.conf.erb',
      '/repo/helm/ve-app.conf-sample.tmpl',
      '/repo/ispconfig/openvz.conf.tpl',
      '/repo/python/202.conf.tmpl',
      '/repo/files/101.conf.jinja',
    ]) assert.ok(matches(f), f);
    for (const f of ['/repo/templates/nginx.conf.j2', '/repo/roles/x/templates/sshd.conf.erb']) assert.ok(!matches(f), f);
  });
});

describe('vzlint: every .vzconf.yaml problem in one run (trial: a bad target showed only after the others, unpositioned)', () => {
  it('a target no release matches and three schema mistakes: four lines, each file:line:col, exit 2, nothing linted', async () => {
    const root = await tree('config-all', { '.vzconf.yaml': 'target: classic@4.66\nrules:\n  nosuch-rule: off\nnodeRam: lots\nbogus: 1\n', 'conf/101.conf': CLEAN });
    const r = await run(['conf/101.conf'], root);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    const lines = r.err.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => /^vzlint: \.vzconf\.yaml:(\d+:\d+): invalid configuration: /.exec(l)?.[1]), ['1:9', '3:3', '4:10', '5:1'], r.err);
    assert.match(lines[0] ?? '', /target: classic@4\.66 is newer than any classic vzctl \(the last is 4\.11\.1\)$/);
  });
});
