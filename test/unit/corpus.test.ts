/**
 * Runs vzlint over every real config file of the shared corpus (`../shared/corpus`, beside the repo:
 * CI clones the repository with `shared/` next to it). See the corpus's `upstream/README.md` and
 * `wild/SOURCES.md` for where each file comes from.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { JsonFinding } from '../../server/src/cli/format';
import { runCaptured } from '../helpers/vzlint';

const repoRoot = path.resolve(__dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

/** Files and folders of the corpus in other formats than vz.conf / CTID.conf. */
const OTHER_FORMATS = new Set(['dists', 'download.conf', 'osrelease.conf', 'oom-groups.conf', 'networks_classes', 'README.md', 'SOURCES.md']);

/** Every file under `dir` (recursively), as paths relative to the corpus, sorted; other formats left out. */
function configFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (OTHER_FORMATS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { for (const f of configFiles(full)) out.push(f); }
    else if (entry.isFile()) out.push(path.relative(corpus, full));
  }
  return out.sort();
}

/** vzlint run in-process in the corpus folder. */
const vzlint = (argv: string[]) => runCaptured(argv, corpus);

async function lintJson(argv: string[]): Promise<{ code: number; items: JsonFinding[]; err: string }> {
  const r = await vzlint(['--format', 'json', ...argv]);
  let items: JsonFinding[];
  try {
    items = JSON.parse(r.out) as JsonFinding[];
  } catch (e) {
    assert.fail(`vzlint --format json printed no valid JSON (${(e as Error).message}); stderr: ${r.err}`);
  }
  assert.ok(Array.isArray(items), 'one JSON array');
  return { code: r.code, items, err: r.err };
}

/** 1-based line of the first match of `re` (multiline) in a corpus file. */
function lineOf(file: string, re: RegExp): number {
  const text = readFileSync(path.join(corpus, file), 'utf8');
  const m = re.exec(text);
  assert.ok(m, `${re} not found in ${file}`);
  return text.slice(0, m.index).split('\n').length;
}

/** The text of a 1-based line of a corpus file. */
function lineText(file: string, line: number): string {
  return readFileSync(path.join(corpus, file), 'utf8').split('\n')[line - 1];
}

/**
 * Error-severity findings on shipped upstream samples that are real slips in the sample, each
 * verified by reading the file. Anything else with error severity on a shipped sample fails the test.
 */
// None: the one there was (ve-vps.plesk.conf-sample DISKINODES="3500000:370000", soft above hard) is a
// barrier-above-limit warning since nothing refuses such a pair; the findings snapshot still has it.
const SAMPLE_SLIPS: { file: string; line: number; rule: string; text: RegExp; why: string }[] = [];

const key = (f: { file: string; line: number; rule: string }): string => `${f.file}:${f.line}:${f.rule}`;

describe('corpus', { skip: existsSync(corpus) ? false : `corpus not found at ${corpus}` }, () => {
  let files: string[];
  let all: { code: number; items: JsonFinding[]; err: string };

  before(async () => {
    files = [...configFiles(path.join(corpus, 'upstream')), ...configFiles(path.join(corpus, 'wild'))];
    all = await lintJson(files);
  });

  it('finds the corpus files', () => {
    assert.ok(files.length >= 100, `only ${files.length} files`);
    assert.ok(files.some((f) => f.endsWith('.tmpl')), 'templates are included');
    assert.ok(!files.some((f) => f.includes('/dists/') || f.endsWith('networks_classes') || f.endsWith('.md')));
  });

  it('lints every file with exit 0 or 1 and valid JSON', () => {
    assert.ok(all.code === 0 || all.code === 1, `exit ${all.code}; stderr: ${all.err}`);
    assert.equal(all.err, '');
    const known = new Set(files);
    for (const item of all.items) {
      assert.ok(known.has(item.file), `unexpected file ${item.file}`);
      assert.ok(item.line >= 1 && item.column >= 1 && item.endLine >= item.line, JSON.stringify(item));
      assert.doesNotMatch(item.message, /^internal error/, `${item.file}:${item.line} ${item.rule}`);
    }
  });

  it('gives every file a kind and a target', async () => {
    const r = await vzlint(['--no-color', '--verbose', ...files]);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}; stderr: ${r.err}`);
    const headers = new Map<string, string>();
    for (const line of r.out.split('\n')) {
      const m = /^(\S.*) \[(node|container|ct0), ((?:classic|vz7)@\d+(?:\.\d+)*)(?:, template)?\]$/.exec(line);
      if (m) headers.set(m[1], `${m[2]}, ${m[3]}`);
    }
    for (const f of files) assert.ok(headers.has(f), `no [kind, target] header for ${f}`);
  });

  it('reports the global IPTABLES of historical vz.conf files as deprecated', () => {
    for (const file of [
      'upstream/openvz-vzctl-classic/historical/vz.conf.in@vzctl-4.6',
      'upstream/openvz-vzctl-classic/historical/vz.conf@vzctl-3.0.10',
      'wild/035-provision-unix-perl-default-ubc.conf',
    ]) {
      const line = lineOf(file, /^IPTABLES=/m);
      assert.ok(
        all.items.some((i) => i.file === file && i.rule === 'deprecated-parameter' && i.line === line),
        `${file}:${line}: no deprecated-parameter finding`,
      );
    }
  });

  it('reports the folded IPTABLES value of the Shorewall vz.conf once, as multiline-value', () => {
    const file = 'wild/032-shorewall-doc-2009-vz.conf';
    const mine = all.items.filter((i) => i.file === file);
    assert.equal(mine.filter((i) => i.rule === 'multiline-value').length, 1, JSON.stringify(mine, null, 1));
    assert.equal(mine.filter((i) => i.rule === 'missing-equals').length, 0, JSON.stringify(mine, null, 1));
  });

  it('finds no error in shipped upstream samples except the documented slips', async () => {
    const classic = files.filter((f) => /^upstream\/openvz-vzctl-classic\/(conf|historical)\//.test(f));
    const vz7 = files.filter((f) => f.startsWith('upstream/virtuozzo7-vzctl/etc/'));
    assert.ok(classic.length >= 15 && vz7.length >= 50, `${classic.length} classic, ${vz7.length} vz7 samples`);
    const errors: JsonFinding[] = [];
    for (const [target, set] of [['classic', classic], ['vz7', vz7]] as const) {
      const r = await lintJson(['--target', target, ...set]);
      assert.ok(r.code === 0 || r.code === 1, `--target ${target}: exit ${r.code}; stderr: ${r.err}`);
      for (const i of r.items) if (i.severity === 'error') errors.push(i);
    }
    for (const slip of SAMPLE_SLIPS) {
      assert.match(lineText(slip.file, slip.line), slip.text, `${slip.file}:${slip.line} is no longer the slip (${slip.why})`);
    }
    const unexpected = errors.filter((e) => !SAMPLE_SLIPS.some((s) => key(s) === key(e)));
    assert.deepEqual(unexpected.map((e) => `${key(e)} ${e.message}`), [], 'errors on shipped samples');
    const missing = SAMPLE_SLIPS.filter((s) => !errors.some((e) => key(e) === key(s)));
    assert.deepEqual(missing.map(key), [], 'documented slips must still be reported');
  });

  it('prints totals by rule over the whole corpus', () => {
    const byRule = new Map<string, { error: number; warning: number; info: number; hint: number; files: Set<string> }>();
    for (const i of all.items) {
      let row = byRule.get(i.rule);
      if (!row) byRule.set(i.rule, (row = { error: 0, warning: 0, info: 0, hint: 0, files: new Set() }));
      row[i.severity] += 1;
      row.files.add(i.file);
    }
    const rows = [...byRule.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    const table = rows.map(([rule, r]) => ({ rule, total: r.error + r.warning + r.info + r.hint, error: r.error, warning: r.warning, info: r.info, hint: r.hint, files: r.files.size }));
    const filesWithFindings = new Set(all.items.map((i) => i.file)).size;
    console.log(`vzlint over the corpus: ${files.length} files, ${all.items.length} findings in ${filesWithFindings} files (auto target/kind)`);
    console.table(table);
    assert.equal(table.reduce((n, r) => n + r.total, 0), all.items.length);
  });
});
