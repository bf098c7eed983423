/**
 * The installed `vzlint` (dist/vzlint.js) runs the CLI bundle through V8's code cache
 * (server/src/cli/launch.ts): the cache must never change what vzlint prints or returns, must live only
 * in a folder of the user's own, and must survive a damaged cache file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PREFETCH_FROM } from '../../server/src/cli/read';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'dist', 'vzlint.js');
const built = existsSync(bin) && existsSync(path.join(root, 'dist', 'vzlint-core.js'));
const skip = built ? false : 'dist/vzlint.js is not built (npm test builds it)';

describe('vzlint launcher and its compile cache', { skip }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'vzconf-launch-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const conf = path.join(tmp, '101.conf');
  writeFileSync(conf, 'ONBOOT="yes"\nONBOT="yes"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n');

  function run(cacheHome: string, env: NodeJS.ProcessEnv = {}, target = conf) {
    const r = spawnSync(process.execPath, [bin, '--format', 'json', target], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const caches = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.cache')) : []);

  it('writes one private cache file and prints the same with and without it', () => {
    const home = path.join(tmp, 'home1');
    const first = run(home);
    assert.equal(first.stderr, '');
    assert.equal(first.status, 0, 'warnings only: exit 0');
    const dir = path.join(home, 'vzconf');
    const files = caches(dir);
    assert.equal(files.length, 1, `one cache file in ${dir}`);
    assert.equal(statSync(path.join(dir, files[0] as string)).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const second = run(home);
    assert.deepEqual(second, first);
    const plain = run(home, { VZLINT_COMPILE_CACHE: '0' });
    assert.deepEqual(plain, first);
    assert.ok(JSON.parse(first.stdout).some((f: { rule: string }) => f.rule === 'unknown-parameter'));
  });

  it('ignores a damaged cache file and replaces it', () => {
    const home = path.join(tmp, 'home2');
    const good = run(home);
    const dir = path.join(home, 'vzconf');
    const file = path.join(dir, caches(dir)[0] as string);
    writeFileSync(file, Buffer.alloc(4096, 0x5a));
    assert.deepEqual(run(home), good);
    assert.notEqual(statSync(file).size, 4096, 'V8 rejected the damaged cache and the run wrote a new one');
  });

  it('uses no cache in a folder others can write to, nor with VZLINT_COMPILE_CACHE=0', () => {
    const home = path.join(tmp, 'home3');
    mkdirSync(path.join(home, 'vzconf'), { recursive: true });
    chmodSync(path.join(home, 'vzconf'), 0o777);
    const r = run(home);
    assert.equal(r.stderr, '');
    assert.deepEqual(caches(path.join(home, 'vzconf')), []);
    const off = path.join(tmp, 'home4');
    run(off, { VZLINT_COMPILE_CACHE: '0' });
    assert.deepEqual(caches(path.join(off, 'vzconf')), []);
  });

  it('writes a cache after a run of many files that later runs accept', () => {
    // A run of 500 files or more tunes a V8 flag (v8Tuning.ts); V8 rejects a cache stamped with other flags
    // than the reading process's, so a cache written with the tuned flag was rejected and rewritten by every run.
    const node = path.join(tmp, 'node');
    mkdirSync(path.join(node, 'conf'), { recursive: true });
    writeFileSync(path.join(node, 'vz.conf'), 'VIRTUOZZO=yes\nVE_ROOT=/vz/root/$VEID\n');
    for (let i = 0; i < PREFETCH_FROM; i += 1) writeFileSync(path.join(node, 'conf', `${1000 + i}.conf`), `ONBOOT="yes"\nHOSTNAME="ct${i}"\n`);
    const home = path.join(tmp, 'home5');
    const many = run(home, {}, node);
    assert.equal(many.stderr, '');
    const dir = path.join(home, 'vzconf');
    const file = path.join(dir, caches(dir)[0] as string);
    const written = statSync(file);
    for (const target of [conf, node]) {
      run(home, {}, target);
      const now = statSync(file);
      assert.deepEqual([now.ino, now.mtimeMs, now.size], [written.ino, written.mtimeMs, written.size], `the run over ${target} took the cache as it was`);
    }
  });

  it('still runs when the cache folder cannot be created', () => {
    const blocker = path.join(tmp, 'not-a-folder');
    writeFileSync(blocker, '');
    const r = run(blocker);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.ok(JSON.parse(r.stdout).some((f: { rule: string }) => f.rule === 'unknown-parameter'));
  });
});
