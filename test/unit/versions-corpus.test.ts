/**
 * Every config file upstream vzctl shipped (../shared/corpus/versions, see its README.md and
 * MANIFEST.json), linted under its own release: each file under its manifest `lint_target`, and each
 * release as its package installed it (vz.conf and the samples together), so cross-file checks see
 * that release's samples. No error and no warning is allowed except the upstream slips listed in
 * versions-slips.ts, which must still be reported.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonFinding } from '../../server/src/cli/format';
import { compareVersions } from '../../server/src/model/version';
import { lint } from '../../server/src/service/lint';
import { runCaptured } from '../helpers/vzlint';
import { SLIPS, type Slip } from './versions-slips';

const repoRoot = path.resolve(__dirname, '../..');
const versions = path.resolve(repoRoot, '../shared/corpus/versions');
const present = existsSync(path.join(versions, 'MANIFEST.json'));

/** One MANIFEST.json entry (the fields this test reads). */
interface Entry {
  path: string;
  generation: 'classic' | 'vz7';
  version: string;
  source_path: string;
  also_in_versions: string[];
  lint_target: string;
  installed_by_make_install?: boolean;
}

async function lintJson(argv: string[], cwd: string): Promise<JsonFinding[]> {
  const r = await runCaptured(['--no-color', '--format', 'json', ...argv], cwd);
  assert.ok(r.code === 0 || r.code === 1, `vzlint ${argv.slice(0, 3).join(' ')}…: exit ${r.code}; stderr: ${r.err}`);
  return JSON.parse(r.out) as JsonFinding[];
}

/** A finding as "file:line rule", the key the slips are matched by. */
const keyOf = (f: { file: string; line: number; rule: string }): string => `${f.file}:${f.line} ${f.rule}`;

/** Errors and warnings not in the slip list, and slips not reported, as readable lines. */
function judge(findings: { file: string; line: number; rule: string; severity: string; message: string; target: string }[], slips: readonly Slip[]): { undeserved: string[]; unreported: string[] } {
  const loud = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  const slipKeys = new Set(slips.map(keyOf));
  const undeserved = loud.filter((f) => !slipKeys.has(keyOf(f))).map((f) => `${keyOf(f)} [${f.target}] ${f.severity}: ${f.message}`);
  const seen = new Set(loud.map(keyOf));
  const unreported = slips.filter((s) => !seen.has(keyOf(s))).map((s) => `${keyOf(s)} (${s.why})`);
  return { undeserved, unreported };
}

/** The release a classic version string belongs to as a target: `3.0.11-3` → `3.0.11`. */
const classicTarget = (v: string): string => `classic@${v.replace(/-\d+$/, '')}`;

describe('versions corpus: every shipped config under its own version', {
  skip: present ? false : `skipped: ../shared/corpus/versions not found beside the repository (${versions}); it holds upstream's shipped configs, not ours`,
}, () => {
  let manifest: Entry[];
  let undeservedWarnings = -1;
  before(() => {
    manifest = JSON.parse(readFileSync(path.join(versions, 'MANIFEST.json'), 'utf8')) as Entry[];
  });

  it('the slips list names lines that still hold the slip', () => {
    for (const s of SLIPS) {
      const line = readFileSync(path.join(versions, s.file), 'utf8').split('\n')[s.line - 1] ?? '';
      assert.match(line, s.text, `${s.file}:${s.line} no longer holds the slip (${s.why})`);
    }
  });

  it('accepts every lint_target as a target, and no file gets an undeserved error; every slip is still reported', async () => {
    const byTarget = new Map<string, string[]>();
    for (const e of manifest) byTarget.set(e.lint_target, [...(byTarget.get(e.lint_target) ?? []), e.path]);
    const all: { file: string; line: number; rule: string; severity: string; message: string; target: string }[] = [];
    for (const [target, files] of byTarget) {
      // Cross-file findings (sample names) are judged on the release trees below: a stored folder holds
      // only what changed in that release, not its samples.
      for (const f of await lintJson(['--no-config', '--target', target, ...files], versions)) if (f.rule !== 'sample-not-found') all.push({ ...f, target });
    }
    const { undeserved, unreported } = judge(all, SLIPS);
    if (process.env.VZCONF_DUMP) writeFileSync(process.env.VZCONF_DUMP, undeserved.join('\n'));
    const errors = undeserved.filter((u) => / error: /.test(u));
    assert.deepEqual(errors, [], `${errors.length} errors on shipped files that their own version does not deserve`);
    assert.deepEqual(unreported, [], 'upstream slips no longer reported');
    undeservedWarnings = undeserved.length;
  });

  it('no undeserved warning on a shipped file under its lint_target', () => {
    assert.equal(undeservedWarnings, 0, `${undeservedWarnings} warnings; run with VZCONF_DUMP=FILE to list them`);
  });

  it('auto target: the classic samples with VERSION="2" (2.7.0–3.0.28) are classic, the Virtuozzo 7 ones vz7', () => {
    const withVersion = manifest.filter((e) => /^VERSION="2"\s*$/m.test(readFileSync(path.join(versions, e.path), 'utf8')));
    const classic = withVersion.filter((e) => e.generation === 'classic');
    assert.ok(classic.length >= 16 && withVersion.length - classic.length >= 200, `${classic.length} classic and ${withVersion.length - classic.length} vz7 files with VERSION="2"`);
    const wrong = withVersion
      .map((e) => ({ e, t: lint(readFileSync(path.join(versions, e.path), 'utf8'), { path: e.path }).target }))
      .filter(({ e, t }) => t.generation !== e.generation)
      .map(({ e, t }) => `${e.path}: ${t.generation} (${t.reason})`);
    assert.deepEqual(wrong, []);
  });

  describe('each release as installed', () => {
    let root: string;
    /** Tree path (relative to root) → manifest path, to name findings by the stored file. */
    const origin = new Map<string, string>();
    const releases: { name: string; target: string }[] = [];

    before(() => {
      root = mkdtempSync(path.join(tmpdir(), 'vzconf-releases-'));
      const sets = new Map<string, { generation: 'classic' | 'vz7'; entries: Entry[] }>();
      for (const e of manifest) {
        for (const v of [e.version, ...e.also_in_versions]) {
          const id = `${e.generation}@${v}`;
          const set = sets.get(id) ?? { generation: e.generation, entries: [] };
          set.entries.push(e);
          sets.set(id, set);
        }
      }
      for (const [id, set] of sets) {
        const version = id.slice(id.indexOf('@') + 1);
        const target = set.generation === 'classic' ? classicTarget(version) : `vz7@vzctl-${version}`;
        releases.push({ name: id, target });
        installRelease(root, id, set.generation, set.entries, origin);
        writeFileSync(path.join(root, id, '.vzconf.yaml'), `target: ${target}\n`);
      }
      releases.sort((a, b) => a.name.localeCompare(b.name) || compareVersions(a.name, b.name));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('lints every release tree with its own target (vz7 releases as vz7@vzctl-X): no undeserved error or warning', async () => {
      assert.ok(releases.length >= 250, `only ${releases.length} releases`);
      const findings = await lintJson(['.'], root);
      const mapped = findings.map((f) => {
        const rel = f.file.split(path.sep).join('/');
        const release = rel.slice(0, rel.indexOf('/'));
        return { ...f, file: origin.get(rel) ?? rel, target: releases.find((r) => r.name === release)?.target ?? '?' };
      });
      const unmapped = mapped.filter((f) => !f.file.includes('@') || f.file.startsWith(root));
      assert.deepEqual(unmapped.map((f) => f.file), [], 'findings on files that are not from the manifest');
      const undeserved = [...new Set(judge(mapped, SLIPS).undeserved)];
      if (process.env.VZCONF_DUMP) writeFileSync(`${process.env.VZCONF_DUMP}.installed`, undeserved.join('\n'));
      const errors = undeserved.filter((u) => / error: /.test(u));
      assert.deepEqual(errors.slice(0, 40), [], `${errors.length} errors on releases as installed`);
      // Keys a release's own samples carry are at most info (NETFILTER in the Virtuozzo samples up to
      // vzctl 9.0.1, removed from libvzctl in 8.0.70: schemas/shipped-sample-keys.yaml).
      assert.deepEqual(undeserved.slice(0, 40), [], `${undeserved.length} undeserved warnings on releases as installed`);
    });
  });
});

/**
 * Writes one release's files in the layout its package installed: `etc/vz/vz.conf` and
 * `etc/vz/conf/<sample>` (vz7: only what `make install` installs); releases with the global file
 * `etc/vz` install it as `etc/sysconfig/vz` with the samples in `etc/sysconfig/vz-scripts/`
 * (vzctl.spec of 2.7.0–3.0.0); `debian/vz.conf` (3.0.9–3.0.11) is installed in a second tree
 * `<release>/debian/etc/vz/` beside the same samples. Of per-architecture copies the x86_64 one is
 * installed under the plain name (an x86_64 host), else the plain file.
 */
function installRelease(root: string, id: string, generation: 'classic' | 'vz7', entries: Entry[], origin: Map<string, string>): void {
  const put = (rel: string, from: string): void => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, readFileSync(path.join(versions, from)));
    origin.set(rel, from);
  };
  const sysconfig = entries.some((e) => e.source_path === 'etc/vz');
  const confDir = sysconfig ? 'etc/sysconfig/vz-scripts' : 'etc/vz/conf';
  const samples = new Map<string, Entry>();
  const rank = (p: string): number => (p.endsWith('.x86_64') ? 0 : /\.(x86|ia64|ppc64|sparc64)$/.test(p) ? 2 : 1);
  const globals: Entry[] = [];
  for (const e of entries) {
    if (generation === 'vz7' && e.installed_by_make_install === false) continue;
    const base = path.basename(e.source_path);
    if (e.source_path === 'etc/vz' || e.source_path === 'etc/vz.conf' || e.source_path === 'etc/vz.conf.in' || e.source_path === 'debian/vz.conf') {
      globals.push(e);
      continue;
    }
    const plain = base.replace(/\.(x86_64|x86|ia64|ppc64|sparc64)$/, '');
    const had = samples.get(plain);
    if (!had || rank(e.source_path) < rank(had.source_path)) samples.set(plain, e);
  }
  const trees = globals.some((g) => g.source_path === 'debian/vz.conf') ? ['', 'debian/'] : [''];
  for (const tree of trees) {
    for (const g of globals) {
      const isDebian = g.source_path === 'debian/vz.conf';
      if (isDebian !== (tree === 'debian/')) continue;
      put(`${id}/${tree}${g.source_path === 'etc/vz' ? 'etc/sysconfig/vz' : 'etc/vz/vz.conf'}`, g.path);
    }
    for (const [plain, e] of samples) put(`${id}/${tree}${tree ? 'etc/vz/conf' : confDir}/${plain}`, e.path);
  }
}
