/**
 * Line numbers after a lone CR (a `\r` not followed by `\n`). vzctl and sh read on past it; editors, LSP,
 * SARIF and `vzlint`'s `line:column` break the line there. Every surface shows the editor's numbering:
 * ranges, and the line numbers that messages, details, fix titles, hovers, the effective configuration and
 * the target's reason name. The test: a comment `# a\r# b` inserted into a file must give, everywhere
 * but the lone-carriage-return finding itself, exactly what the two comments `# a\n# b` give (the same
 * editor text, the same editor lines), on the project's own snippets and fixtures and on the corpus.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { computeHover } from '../../server/src/service/hover';
import { effectiveConfigText } from '../../server/src/service/effective';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import type { Finding } from '../../server/src/rules/types';
import { runCaptured } from '../helpers/vzlint';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const repoRoot = path.resolve(__dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';

/** `text` with two comment lines inserted before line `at`: joined by a lone CR, or by a line feed. */
function variants(text: string, at: number): { cr: string; lf: string } {
  const lines = text.split('\n');
  const head = lines.slice(0, at).join('\n');
  const tail = lines.slice(at).join('\n');
  const join = (mid: string): string => (at === 0 ? `${mid}\n${tail}` : `${head}\n${mid}\n${tail}`);
  return { cr: join('# a\r# b'), lf: join('# a\n# b') };
}

/** What a finding shows, in the editor's numbering (the lone-CR finding itself left out). */
function shown(findings: readonly Finding[], inserted = -1): string[] {
  return findings
    // The finding of the lone CR, and findings on the inserted lines (one vzctl line there, two with \n).
    .filter((f) => f.rule !== 'lone-carriage-return' && f.range.start.line !== inserted && f.range.start.line !== inserted + 1)
    .map((f) => JSON.stringify([f.rule, f.range, f.message, f.detail ?? '', (f.fixes ?? []).map((x) => x.title)]))
    .sort();
}

/** Insertion points: the top, the middle and the end of the file (at line boundaries outside multi-line values). */
function insertionPoints(text: string): number[] {
  const n = text.split('\n').length;
  return [...new Set([0, Math.floor(n / 2), n - 1])];
}

/** Whether line `at` starts inside a quoted multi-line value or after a backslash continuation (then skipped). */
function insideValue(text: string, at: number): boolean {
  const before = text.split('\n').slice(0, at).join('\n');
  return ((before.match(/"/g) ?? []).length % 2) === 1 || /\\$/.test(before);
}

function checkFile(where: string, text: string, opts: LintOptions): string[] {
  const problems: string[] = [];
  for (const at of insertionPoints(text)) {
    if (insideValue(text, at)) continue;
    const { cr, lf } = variants(text, at);
    const a = lint(cr, opts);
    const b = lint(lf, opts);
    assert.ok(a.findings.some((f) => f.rule === 'lone-carriage-return'), `${where}@${at}: the lone CR is reported`);
    const sa = shown(a.findings, at);
    const sb = shown(b.findings, at);
    if (JSON.stringify(sa) !== JSON.stringify(sb)) problems.push(`${where}@${at}: findings differ\n  CR: ${sa.filter((x) => !sb.includes(x)).join('\n      ')}\n  LF: ${sb.filter((x) => !sa.includes(x)).join('\n      ')}`);
    const ea = effectiveConfigText(cr, opts);
    const eb = effectiveConfigText(lf, opts);
    if (ea !== eb) problems.push(`${where}@${at}: effective config differs\n${ea}\n---\n${eb}`);
    const editorLines = lf.split('\n').length;
    for (let line = 0; line < editorLines; line += 1) {
      if (line === at || line === at + 1) continue; // the inserted comments themselves
      const ha = computeHover(cr, { line, character: 0 }, opts);
      const hb = computeHover(lf, { line, character: 0 }, opts);
      if (JSON.stringify(ha) !== JSON.stringify(hb)) problems.push(`${where}@${at}: hover on line ${line + 1} differs\n  CR: ${JSON.stringify(ha)}\n  LF: ${JSON.stringify(hb)}`);
    }
  }
  return problems;
}

const UBC_VSWAP = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

/** Written here: each names a line in a message, detail, fix title or hover. */
const SNIPPETS: [string, string, LintOptions][] = [
  ['duplicate first', `${UBC_VSWAP}HOSTNAME="a"\nHOSTNAME="b"\nONBOOT="yes"\nHOSTNAME="c"\nHOSTNAME="d"\n`, { path: CT }],
  ['duplicate last', `${UBC_VSWAP}KMEMSIZE="1:2"\nONBOOT="yes"\nKMEMSIZE="3:4"\nKMEMSIZE="5:6"\n`, { path: CT, target: 'vz7' }],
  ['duplicate union', `${UBC_VSWAP}IP_ADDRESS="10.0.0.1"\nONBOOT="yes"\nIP_ADDRESS="10.0.0.2"\nIP_ADDRESS="10.0.0.3"\nIP_ADDRESS="bad address"\n`, { path: CT }],
  ['meminfo', `${UBC_VSWAP}ONBOOT="yes"\nMEMINFO="pages:1000"\n`, { path: CT }],
  ['layout', `${UBC_VSWAP}VE_LAYOUT="simfs"\nONBOOT="yes"\nMOUNT_OPTS="noatime"\nQUOTAUGIDLIMIT="100"\n`, { path: CT }],
  ['iptables with netfilter', `${UBC_VSWAP}NETFILTER="full"\nONBOOT="yes"\nIPTABLES="ipt_REJECT ipt_tos"\n`, { path: CT }],
  ['iptables node', 'VIRTUOZZO=yes\nIPTABLES="ipt_REJECT"\nLOCKDIR=/vz/lock\nIPTABLES_MODULES="ipt_tos"\n', { path: NODE, target: 'classic@4.7' }],
  ['vz7 keys in classic', `${UBC_VSWAP}ONBOOT="yes"\nVE_TYPE="ct"\nHA_ENABLE="yes"\nCPUUNITS="1000"\n`, { path: CT, target: 'classic' }],
  ['auto target VERSION=2', 'VERSION="2"\nONBOOT="yes"\nDISKSPACE="1G:1G"\n', { path: CT }],
  ['auto vz7', 'ONBOOT="yes"\nVERSION="2"\nHA_ENABLE="yes"\nPLATFORM="linux"\n', { path: CT }],
  ['disk quota', `${UBC_VSWAP}DISK_QUOTA="no"\nONBOOT="yes"\nDISKSPACE="1G:1G"\nDISKINODES="1000:1000"\nQUOTAUGIDLIMIT="100"\n`, { path: CT, target: 'classic@4.6' }],
  // Repeated in more than five places: one finding whose message gives the lines as a span ("between 4 and 18").
  ['duplicate union, many places', `${UBC_VSWAP}${[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `IP_ADDRESS="10.0.0.${i}"\nONBOOT="yes"\n`).join('')}`, { path: CT, target: 'classic' }],
  ['duplicate last, many places', `${UBC_VSWAP}${[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `IP_ADDRESS="10.0.0.${i}"\nONBOOT="yes"\n`).join('')}`, { path: CT, target: 'vz7' }],
];

describe('line numbers after a lone CR: the editor\'s, on every surface', () => {
  it('snippets: findings, details, fix titles, hovers and the effective config name the editor\'s lines', () => {
    const problems = SNIPPETS.flatMap(([where, text, opts]) => checkFile(where, text, opts));
    assert.deepEqual(problems.map((p) => p.slice(0, 2000)), []);
  });

  it('a container checked with its node: vz.conf lines named in the container\'s findings follow vz.conf\'s lone CRs', () => {
    const node = `VE_LAYOUT="ploop"\n# a\r# b\nDISK_QUOTA="no"\nIPTABLES="ipt_REJECT"\n`;
    const nodeLf = `VE_LAYOUT="ploop"\n# a\n# b\nDISK_QUOTA="no"\nIPTABLES="ipt_REJECT"\n`;
    const ct = `${UBC_VSWAP}ONBOOT="yes"\nDISKSPACE="1G:1G"\nIPTABLES="ipt_tos"\n`;
    for (const target of ['classic@4.6', 'classic@4.10'] as const) {
      const a = lint(ct, { path: CT, target, nodeConfig: { path: NODE, text: node } });
      const b = lint(ct, { path: CT, target, nodeConfig: { path: NODE, text: nodeLf } });
      assert.deepEqual(shown(a.findings), shown(b.findings));
      assert.ok(a.findings.some((f) => /vz\.conf line 4/.test(`${f.message} ${f.detail ?? ''}`)), JSON.stringify(shown(a.findings)));
      for (let line = 0; line < 5; line += 1) {
        assert.deepEqual(computeHover(ct, { line, character: 0 }, { path: CT, target, nodeConfig: { path: NODE, text: node } }), computeHover(ct, { line, character: 0 }, { path: CT, target, nodeConfig: { path: NODE, text: nodeLf } }));
      }
      assert.equal(effectiveConfigText(ct, { path: CT, target, nodeConfig: { path: NODE, text: node } }), effectiveConfigText(ct, { path: CT, target, nodeConfig: { path: NODE, text: nodeLf } }));
    }
  });

  it('node checks: another container\'s line in duplicate-ip-address and duplicate-ct-name follows its lone CRs', () => {
    const other = (sep: string): string => `${UBC_VSWAP}# a${sep}# b\nNAME="web"\nIP_ADDRESS="10.0.0.9"\n`;
    const mine = `${UBC_VSWAP}NAME="web"\nIP_ADDRESS="10.0.0.9"\n`;
    const run = (sep: string): string[] => lintNode({ containers: [{ path: '/etc/vz/conf/101.conf', text: mine }, { path: '/etc/vz/conf/102.conf', text: other(sep) }] }).files
      .flatMap((f) => shown(f.findings).map((s) => `${f.path} ${s}`));
    const cr = run('\r');
    assert.deepEqual(cr, run('\n'));
    assert.ok(cr.some((s) => s.includes('102.conf line 5')), cr.join('\n'));
  });

  it('project fixtures (examples/, the e2e workspace), each file on its own and as a node', () => {
    const problems: string[] = [];
    for (const dir of ['examples/etc/vz', 'test/e2e/fixtures/workspace/etc/vz']) {
      const abs = path.join(repoRoot, dir);
      const nodeText = readFileSync(path.join(abs, 'vz.conf'), 'utf8');
      problems.push(...checkFile(`${dir}/vz.conf`, nodeText, { path: NODE }));
      for (const name of readdirSync(path.join(abs, 'conf')).sort()) {
        const text = readFileSync(path.join(abs, 'conf', name), 'utf8');
        problems.push(...checkFile(`${dir}/conf/${name}`, text, { path: `/etc/vz/conf/${name}`, nodeConfig: { path: NODE, text: nodeText } }));
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the shared corpus (upstream/ and wild/), automatic target', (t) => {
    if (!existsSync(corpus)) {
      t.skip('../shared/corpus is absent (bare clone): lone-CR corpus check skipped');
      return;
    }
    const problems: string[] = [];
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []);
    for (const sub of ['upstream', 'wild']) {
      // dists/*.conf are another format (as in corpus.test.ts): only vz.conf, CTID.conf and samples.
      if (!existsSync(path.join(corpus, sub))) continue;
      for (const file of walk(path.join(corpus, sub)).filter((f) => /\.conf(-sample)?$|\/vz$/.test(f) && !f.includes(`${path.sep}dists${path.sep}`)).sort()) {
        const text = readFileSync(file, 'utf8');
        if (text.includes('\r') || text.length > 200_000) continue;
        problems.push(...checkFile(path.relative(corpus, file), text, { path: /vz\.conf$|\/vz$/.test(file) ? NODE : CT }));
      }
    }
    assert.deepEqual(problems.slice(0, 3).map((p) => p.slice(0, 2000)), []);
  });

  it('vzlint prints the editor\'s line in both the position and the message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-lonecr-'));
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', '101.conf'), `# a\r# b\n${UBC_VSWAP}HOSTNAME="x"\nHOSTNAME="y"\n`);
    const r = await runCaptured(['--format', 'json', '--no-config', '--target', 'classic@4.6', path.join(dir, 'conf', '101.conf')], dir);
    const items = JSON.parse(r.out) as { line: number; rule: string; message: string }[];
    const dup = items.find((i) => i.rule === 'duplicate-parameter');
    assert.equal(dup?.line, 6);
    assert.equal(dup?.message, 'HOSTNAME is also set on line 5; vzctl uses the first');
  });
});
