/**
 * vzlint's search of a directory (`discoverConfigFiles`) walks the folders itself instead of matching
 * every name against the discovery globs with fast-glob (issue 8: on a node of 10,000 containers the glob
 * matching was a third of the run). It must find exactly what fast-glob with those globs and options
 * finds, then classified the same way: checked here on a tree of every awkward name and link.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fg from 'fast-glob';
import { classifyConfigName, discoverConfigFiles, DISCOVERY_PATTERNS, IGNORE, looksLikeConfig } from '../../server/src/cli/discover';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'vzconf-discover-'));
after(() => {
  try {
    chmodSync(path.join(tmp, 'tree', 'locked'), 0o755);
  } catch {
    // not created
  }
  rmSync(tmp, { recursive: true, force: true });
});

const CONFIG = 'ONBOOT="yes"\nPHYSPAGES="0:256M"\n';

/** Names that the globs and the classification treat in every way: configs, candidates, near misses. */
const NAMES = [
  'vz.conf', 'vz', 've.conf', '0.conf', '0.conf.x86_64', '0.conf.', '101.conf', '0101.conf', 'abc.conf', '.101.conf', '.vz.conf',
  've-basic.conf-sample', 've-.conf-sample', 've-vswap.conf-sample.x86_64', 've-x.conf-sample.j2', 'x.conf-sample',
  'vz.conf.j2', 'vz.conf.J2', 'vz.j2', '101.conf.erb', 'web.conf.tmpl', 'a.conf.template', 'a.conf.txt', 'README.md',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6.conf', 'openvz.conf.tpl', 'x.conf-sample.gotmpl', '0.conf.jinja2',
];

function tree(): string {
  const root = path.join(tmp, 'tree');
  for (const dir of ['', 'conf', 'etc/sysconfig', 'etc/vz/conf', 'node_modules/x/conf', '.git/conf', '.hidden/conf', 'host.a/etc/vz/conf', 'locked']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  for (const dir of ['', 'conf', 'etc/vz/conf', 'node_modules/x/conf', '.git/conf', '.hidden/conf', 'host.a/etc/vz/conf']) {
    for (const name of NAMES) writeFileSync(path.join(root, dir, name), CONFIG);
  }
  writeFileSync(path.join(root, 'etc', 'sysconfig', 'vz'), CONFIG);
  writeFileSync(path.join(root, 'etc', 'sysconfig', 'vz.j2'), CONFIG);
  // Links: to a file, to a folder, dangling; a folder link is not followed.
  symlinkSync(path.join(root, 'conf', '101.conf'), path.join(root, 'etc', 'vz', 'conf', '202.conf'));
  symlinkSync(path.join(root, 'conf'), path.join(root, 'etc', 'vz', 'conf', '303.conf'));
  symlinkSync(path.join(root, 'nowhere.conf'), path.join(root, 'etc', 'vz', 'conf', '404.conf'));
  symlinkSync(path.join(root, 'conf'), path.join(root, 'linked'));
  writeFileSync(path.join(root, 'locked', '101.conf'), CONFIG);
  return root;
}

/** The search as it was: fast-glob over the discovery globs, regular files and links to them, then classified. */
async function withFastGlob(dir: string, abs: string, skipped: string[]): Promise<string[]> {
  const entries = await fg(DISCOVERY_PATTERNS, { cwd: abs, ignore: IGNORE, unique: true, suppressErrors: true, dot: false, onlyFiles: false, followSymbolicLinks: false, objectMode: true });
  const out: string[] = [];
  for (const e of entries) {
    let file = e.dirent.isFile();
    if (e.dirent.isSymbolicLink()) {
      try {
        const { statSync } = await import('node:fs');
        file = statSync(path.join(abs, e.path)).isFile();
      } catch {
        file = false;
      }
      if (!file && classifyConfigName(path.join(abs, e.path)) !== undefined) skipped.push(path.join(dir, e.path));
    }
    if (!file) continue;
    const cls = classifyConfigName(path.join(abs, e.path));
    if (cls === undefined) continue;
    if (cls === 'candidate') {
      const { readFileSync } = await import('node:fs');
      if (!looksLikeConfig(readFileSync(path.join(abs, e.path), 'utf8'))) continue;
    }
    out.push(path.join(dir, e.path));
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('directory search (discoverConfigFiles)', () => {
  it('finds what fast-glob with the discovery globs finds, links and hidden folders included', async () => {
    const root = tree();
    if (process.getuid?.() !== 0) chmodSync(path.join(root, 'locked'), 0);
    const skippedOld: string[] = [];
    const expected = await withFastGlob('given', root, skippedOld);
    const skipped: string[] = [];
    const errors: string[] = [];
    const got = await discoverConfigFiles('given', root, (folder) => errors.push(folder), (file) => skipped.push(file));
    assert.deepEqual(got, expected);
    assert.deepEqual(skipped.sort(), skippedOld.sort());
    // The walk did see configs in every kind of place, and none in node_modules, .git or hidden folders.
    for (const p of ['given/vz.conf', 'given/conf/101.conf', 'given/etc/sysconfig/vz', 'given/etc/vz/conf/202.conf', 'given/host.a/etc/vz/conf/ve-basic.conf-sample', 'given/conf/vz.conf.j2']) {
      assert.ok(got.includes(p), p);
    }
    assert.ok(!got.some((p) => /node_modules|\.git|\.hidden|given\/linked|vz\.j2|404\.conf|303\.conf/.test(p)), got.join('\n'));
    assert.deepEqual(skipped.sort(), ['given/etc/vz/conf/303.conf', 'given/etc/vz/conf/404.conf']);
    if (process.getuid?.() !== 0) assert.deepEqual(errors, [path.join(root, 'locked')]);
  });
});
