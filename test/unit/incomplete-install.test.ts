/**
 * A partial copy of dist/ (a broken install): each bundle started without a file it requires from beside
 * itself (dist/lsp-protocol.js, dist/vzlint-core.js, dist/vendor/*.js) says so in one line (the missing
 * file, that the install is incomplete, what to do) and exits non-zero, instead of Node's stack.
 * Run on copies of the built dist/ in a temporary folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const built = ['server.js', 'lsp-protocol.js', 'vzlint.js', 'vzlint-core.js', 'client.js', 'vendor/yaml.js'].every((f) => existsSync(path.join(dist, f)));
const skip = built ? false : 'dist/ is not built (npm test builds it)';

describe('an incomplete install says so in one line', { skip }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'vzconf-partial-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const work = path.join(tmp, 'work');
  mkdirSync(work);
  writeFileSync(path.join(work, '.vzconf.yaml'), 'rules: {}\n');
  writeFileSync(path.join(work, 'vz.conf'), 'VE0CPUUNITS="1000"\n');
  let copies = 0;

  /**
   * A copy of an install (dist/ and schemas/vzconf-config.schema.json beside it) without `missing`
   * (paths relative to dist/); @returns the copy's dist folder.
   */
  function copyWithout(...missing: string[]): string {
    copies += 1;
    const dir = path.join(tmp, `install${copies}`, 'dist');
    cpSync(dist, dir, { recursive: true });
    mkdirSync(path.join(dir, '..', 'schemas'));
    cpSync(path.join(root, 'schemas', 'vzconf-config.schema.json'), path.join(dir, '..', 'schemas', 'vzconf-config.schema.json'));
    for (const f of missing) rmSync(path.join(dir, f));
    return dir;
  }

  function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    const r = spawnSync(process.execPath, [file, ...args], { cwd: work, encoding: 'utf8', input: '', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache'), ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function assertOneLine(stderr: string, program: string, missing: string): void {
    const lines = stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, stderr);
    assert.equal(lines[0]?.startsWith(`${program}: incomplete install: ${JSON.stringify(missing)} is missing; `), true, stderr);
    assert.match(lines[0] as string, /npm run build$/);
    assert.doesNotMatch(stderr, /\n\s+at |Require stack|MODULE_NOT_FOUND/);
  }

  it('the language server without lsp-protocol.js: one line, exit 1 (--stdio and --version alike)', () => {
    const dir = copyWithout('lsp-protocol.js');
    for (const args of [['--stdio'], ['--version']]) {
      const r = run(path.join(dir, 'server.js'), args);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      assertOneLine(r.stderr, 'vzconf-language-server', path.join(dir, 'lsp-protocol.js'));
    }
  });

  it('vzlint without its CLI bundle: one line, exit 2, with and without the compile cache', () => {
    const dir = copyWithout('vzlint-core.js');
    for (const env of [{}, { VZLINT_COMPILE_CACHE: '0' }]) {
      const r = run(path.join(dir, 'vzlint.js'), ['vz.conf'], env);
      assert.equal(r.status, 2, r.stderr);
      assertOneLine(r.stderr, 'vzlint', path.join(dir, 'vzlint-core.js'));
    }
  });

  it('vzlint without a vendor bundle it needs (yaml for .vzconf.yaml, fast-glob for a pattern): one line, exit 2', () => {
    const dir = copyWithout('vendor/yaml.js', 'vendor/fast-glob.js');
    const r = run(path.join(dir, 'vzlint.js'), ['vz.conf']);
    assert.equal(r.status, 2, r.stderr);
    assertOneLine(r.stderr, 'vzlint', path.join(dir, 'vendor', 'yaml.js'));
    const g = run(path.join(dir, 'vzlint.js'), ['--no-config', '*.conf']);
    assert.equal(g.status, 2, g.stderr);
    assertOneLine(g.stderr, 'vzlint', path.join(dir, 'vendor', 'fast-glob.js'));
    // A run that needs neither still works.
    const ok = run(path.join(dir, 'vzlint.js'), ['--no-config', 'vz.conf']);
    assert.equal(ok.stderr, '');
    assert.ok(ok.status === 0 || ok.status === 1, String(ok.status));
  });

  it('vzlint without schemas/ beside dist/ (a copy of dist/ alone), reading a .vzconf.yaml: one line, exit 2', () => {
    const dir = copyWithout('../schemas/vzconf-config.schema.json');
    const r = run(path.join(dir, 'vzlint.js'), ['vz.conf']);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, 'vzlint', path.join(dir, '..', 'schemas', 'vzconf-config.schema.json'));
  });

  it('the extension without lsp-protocol.js: activation fails with that line as its error', () => {
    const dir = copyWithout('lsp-protocol.js');
    // The extension host provides `vscode`; a stand-in is enough to load the bundle.
    const stub = path.join(dir, '..', 'node_modules', 'vscode');
    mkdirSync(stub, { recursive: true });
    writeFileSync(path.join(stub, 'index.js'), 'module.exports = {};\n');
    const script = `try { require(${JSON.stringify(path.join(dir, 'client.js'))}); console.log('loaded'); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.stdout.trim(), `vzconf: incomplete install: ${JSON.stringify(path.join(dir, 'lsp-protocol.js'))} is missing; reinstall the extension (or run npm run build)`);
  });

  it('started through a symlink with --preserve-symlinks-main: no false "incomplete install"', () => {
    // `node --preserve-symlinks-main /usr/local/bin/vzlint` keeps the symlink's folder as __dirname, which
    // holds none of dist/'s files: the bundles look beside their real path.
    const dir = copyWithout();
    const bin = path.join(tmp, `bin${copies}`);
    mkdirSync(bin);
    symlinkSync(path.join(dir, 'vzlint.js'), path.join(bin, 'vzlint'));
    symlinkSync(path.join(dir, 'server.js'), path.join(bin, 'vzconf-language-server'));
    const flags = [['--preserve-symlinks-main'], ['--preserve-symlinks', '--preserve-symlinks-main']];
    for (const [i, env] of [{}, { VZLINT_COMPILE_CACHE: '0' }].entries()) {
      const spawn = (file: string, args: string[]) => spawnSync(process.execPath, [...(flags[i] ?? []), file, ...args], { cwd: work, encoding: 'utf8', input: '', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache'), ...env } });
      // A .vzconf.yaml (the yaml bundle and schemas/), a pattern (fast-glob) and --fix-dry-run (diff).
      const v = spawn(path.join(bin, 'vzlint'), ['--fix-dry-run', 'vz.conf', '*.conf']);
      assert.doesNotMatch(v.stderr, /incomplete install/, v.stderr);
      assert.ok(v.status === 0 || v.status === 1, `${v.status}: ${v.stderr}`);
      const s = spawn(path.join(bin, 'vzconf-language-server'), ['--version']);
      assert.equal(s.status, 0, s.stderr);
      assert.match(s.stdout, /^vzconf-language-server \d/);
    }
    // A file really missing is still named where it is missing: beside the real bundle.
    rmSync(path.join(dir, 'vendor', 'yaml.js'));
    const r = spawnSync(process.execPath, ['--preserve-symlinks-main', path.join(bin, 'vzlint'), 'vz.conf'], { cwd: work, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assertOneLine(r.stderr, 'vzlint', path.join(dir, 'vendor', 'yaml.js'));
  });

  it('a complete copy runs as the original does', () => {
    const dir = copyWithout();
    const r = run(path.join(dir, 'server.js'), ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^vzconf-language-server \d/);
    const v = run(path.join(dir, 'vzlint.js'), ['vz.conf', '*.conf']);
    assert.equal(v.stderr, '');
  });
});
