import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, link, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { diffHeaderPath, FixRefused, writeFixed } from '../../server/src/cli/fix';
import { hasControls } from '../../server/src/util/escape';
import { fixAllText } from '../../server/src/service/codeActions';
import { lint } from '../../server/src/service/lint';
import { runCaptured as run } from '../helpers/vzlint';

const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'dist/vzlint.js');
const pexec = promisify(execFile);

/**
 * A container config with one safe fix (spaces around "=" on line 4), a BOM, CRLF line ends and no final
 * newline. The BOM stays: its first key is set again on the last line, so removing it is not safe.
 */
const BEFORE = Buffer.from('\uFEFFONBOOT="yes"\r\nPHYSPAGES="0:262144"\r\nSWAPPAGES="0:131072"\r\nMYAPP_NOTE = "ct.example.org"\r\nNAME=web\r\nDISKSPACE="1G:1G"\r\nONBOOT="no"', 'utf8');
const AFTER = Buffer.from('\uFEFFONBOOT="yes"\r\nPHYSPAGES="0:262144"\r\nSWAPPAGES="0:131072"\r\nMYAPP_NOTE="ct.example.org"\r\nNAME=web\r\nDISKSPACE="1G:1G"\r\nONBOOT="no"', 'utf8');
const ONE_UNSAFE = 'vzlint: --fix: 1 file changed, 1 fix applied; 1 unsafe fix not applied (--explain lists it; review in the editor or by hand)\n';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vzlint-fix-'));
  await chmod(tmp, 0o755);
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});
async function ct(name: string, bytes: Buffer = BEFORE, mode = 0o640): Promise<string> {
  const dir = path.join(tmp, name, 'conf');
  await mkdir(dir, { recursive: true });
  await chmod(path.join(tmp, name), 0o777);
  await chmod(dir, 0o777);
  const file = path.join(dir, '101.conf');
  await writeFile(file, bytes);
  await chmod(file, mode);
  return file;
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('vzlint --fix never loses data', () => {
  it('changes only the fixed bytes: BOM, CRLF, no final newline, mode and owner kept; no temp file left', async () => {
    const file = await ct('keep');
    if (isRoot) await chown(file, 65534, 65534);
    const before = await stat(file);
    const r = await run(['--fix', '--format', 'json', file], tmp);
    assert.equal(r.err, ONE_UNSAFE);
    assert.deepEqual(await readFile(file), AFTER);
    const st = await stat(file);
    assert.equal(st.mode & 0o7777, 0o640);
    assert.deepEqual([st.uid, st.gid], [before.uid, before.gid]);
    assert.notEqual(st.ino, before.ino, 'replaced by rename, not rewritten in place');
    // What is printed is what is left after fixing: no space-around-equals finding any more.
    assert.ok(!(JSON.parse(r.out) as { rule: string }[]).some((i) => i.rule === 'space-around-equals'), r.out);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual(await readdir(path.dirname(file)), ['101.conf']);
    // A second run has nothing to fix: the bytes stay.
    await run(['--fix', file], tmp);
    assert.deepEqual(await readFile(file), AFTER);
  });

  it('a byte-order mark whose removal is safe: labelled "fix (safe)" by --explain, and --fix removes it', async () => {
    // <BOM># comment: neither vzctl nor sh reads the first line as a comment; nothing else changes.
    const file = await ct('bom', Buffer.from('\uFEFF# ct 101\nONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n', 'utf8'), 0o644);
    const explain = await run(['--explain', '--no-color', file], tmp);
    assert.match(explain.out, /byte-order-mark\n(\s+.*\n)*?\s+fix \(safe\): Remove the byte-order mark\n/);
    const json = await run(['--format', 'json', file], tmp);
    assert.deepEqual((JSON.parse(json.out) as { rule: string; fixable: boolean }[]).filter((i) => i.rule === 'byte-order-mark').map((i) => i.fixable), [true]);
    const r = await run(['--fix', '--format', 'json', file], tmp);
    assert.equal(r.err, 'vzlint: --fix: 1 file changed, 1 fix applied\n');
    assert.equal(await readFile(file, 'utf8'), '# ct 101\nONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n');
    assert.equal(r.out, '[]\n');
  });

  it('a byte-order mark glued to a comment: only the mark goes, the comment stays byte for byte (CLI --fix and fix-all)', async () => {
    // vzctl reads line 1 as the key "\uFEFF# MEMORY " (spaces around "=", quotes…), but once the mark is
    // removed it is a comment: no other rule's fix may edit it.
    for (const line of ['# MEMORY = 1G', "#X='a b'", '#HOSTNAME="a', ' # X = $(y)']) {
      const text = `\uFEFF${line}\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n`;
      const file = await ct(`bomc${line.length}`, Buffer.from(text, 'utf8'), 0o644);
      const r = await run(['--fix', file], tmp);
      assert.equal(r.err, 'vzlint: --fix: 1 file changed, 1 fix applied\n', line);
      assert.equal(await readFile(file, 'utf8'), text.slice(1), line);
      const all = await fixAllText(text, lint(text, { path: file }).findings, (t) => lint(t, { path: file }).findings);
      assert.equal(all.text, text.slice(1), `fix-all: ${line}`);
      assert.deepEqual(lint(text, { path: file }).findings.filter((f) => f.range.start.line === 0).map((f) => f.rule), ['byte-order-mark'], line);
    }
    // "#" right after the mark: sh runs "\uFEFF#" with $(y) expanded, so that warning stays, without a fix.
    const sh = lint('\uFEFF#X=$(y)\n', { kind: 'container' }).findings.filter((f) => f.range.start.line === 0);
    assert.deepEqual(sh.map((f) => `${f.rule} ${f.fixes?.length ?? 0}`), ['byte-order-mark 1', 'shell-unsafe-value 0']);
  });

  it('LF files and a final newline are kept as they are', async () => {
    const lf = Buffer.from('ONBOOT="yes"\nMYAPP_NOTE = "a"\n', 'utf8');
    const file = await ct('lf', lf, 0o644);
    await run(['--fix', file], tmp);
    assert.equal(await readFile(file, 'utf8'), 'ONBOOT="yes"\nMYAPP_NOTE="a"\n');
  });

  it('follows a symlink and replaces its target, never the link', async () => {
    const target = await ct('link');
    const link = path.join(tmp, 'link', 've.conf');
    await symlink('conf/101.conf', link);
    const r = await run(['--fix', link], tmp);
    assert.equal(r.err, ONE_UNSAFE);
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal(await readlink(link), 'conf/101.conf');
    assert.deepEqual(await readFile(target), AFTER);
  });

  it('--fix-dry-run prints a unified diff and writes nothing', async () => {
    const file = await ct('dry');
    const before = await stat(file);
    const r = await run(['--fix-dry-run', 'dry/conf/101.conf'], tmp);
    assert.match(r.out, /^-{3} a\/dry\/conf\/101\.conf\n\+{3} b\/dry\/conf\/101\.conf\n@@ -1,7 \+1,7 @@/m);
    assert.match(r.out, /^-MYAPP_NOTE = "ct\.example\.org"\r$/m);
    assert.match(r.out, /^\+MYAPP_NOTE="ct\.example\.org"\r$/m);
    assert.deepEqual(await readFile(file), BEFORE);
    assert.equal((await stat(file)).mtimeMs, before.mtimeMs);
    // Named by its absolute path: the same headers, relative to the current directory (no "Index:" line),
    // so that patch -p1 and git apply take the diff from there.
    const abs = await run(['--fix-dry-run', file], tmp);
    assert.equal(abs.out, r.out);
    assert.doesNotMatch(abs.out, /^Index:/m);
    const patchBin = ['/usr/bin/patch', '/bin/patch'].find((p) => existsSync(p));
    if (patchBin) {
      const check = spawnSync(patchBin, ['-p1', '--dry-run', '--batch'], { cwd: tmp, input: abs.out, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    }
  });

  it('--fix-dry-run on a file outside the current directory: headers from the root, never ../; patch -p1 -d / applies them', async () => {
    const file = await ct('outside');
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'vzlint-cwd-'));
    try {
      for (const named of [file, path.relative(elsewhere, file)]) {
        const r = await run(['--fix-dry-run', named], elsewhere);
        const fromRoot = file.slice(1).split(path.sep).join('/');
        assert.ok(r.out.includes(`\n--- a/${fromRoot}\n+++ b/${fromRoot}\n@@ `), r.out);
        assert.doesNotMatch(r.out, /\.\.\//);
        const patchBin = ['/usr/bin/patch', '/bin/patch'].find((p) => existsSync(p));
        if (patchBin) {
          const check = spawnSync(patchBin, ['-p1', '-d', '/', '--dry-run', '--batch'], { cwd: elsewhere, input: r.out, encoding: 'utf8' });
          assert.equal(check.status, 0, check.stdout + check.stderr);
        }
      }
      assert.deepEqual(await readFile(file), BEFORE);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('diffHeaderPath: inside the current directory relative to it, outside from the root', () => {
    assert.equal(diffHeaderPath('/srv/nodes/etc/vz/conf/101.conf', '/srv/nodes'), 'etc/vz/conf/101.conf');
    assert.equal(diffHeaderPath('etc/vz/vz.conf', '/srv/nodes'), 'etc/vz/vz.conf');
    assert.equal(diffHeaderPath('/etc/vz/conf/101.conf', '/root'), 'etc/vz/conf/101.conf');
    assert.equal(diffHeaderPath('../../etc/vz/conf/101.conf', '/home/admin'), 'etc/vz/conf/101.conf');
    assert.equal(diffHeaderPath('/etc/vz/conf/101.conf', '/'), 'etc/vz/conf/101.conf');
    // A sibling whose name starts with two dots is inside.
    assert.equal(diffHeaderPath('..conf/101.conf', '/srv'), '..conf/101.conf');
  });

  it('a file without write permission bits is left alone, also as root (exit 2, named)', async () => {
    const file = await ct('readonly', BEFORE, 0o444);
    const r = await run(['--fix', file], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /101\.conf: the file has no write permission bits; not fixed/);
    assert.deepEqual(await readFile(file), BEFORE);
  });

  it('a file another user may not write (run as nobody): permission denied, unchanged', async (t) => {
    if (!isRoot) {
      t.skip('needs root to run vzlint as another user (setpriv --reuid=65534)');
      return;
    }
    if (!existsSync('/usr/bin/setpriv') || !existsSync(bin)) {
      t.skip('setpriv or dist/vzlint.js (npm run build) missing');
      return;
    }
    if (!nobodyCanRead(bin)) {
      t.skip('user nobody cannot read dist/vzlint.js here (the clone sits in a folder only root may enter)');
      return;
    }
    const file = await ct('other-user', BEFORE, 0o644); // root's file, writable by root only; folder 0777
    const r = await pexec('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, '--fix', file]).then(
      () => ({ code: 0, err: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
    );
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /permission denied; not fixed/);
    assert.deepEqual(await readFile(file), BEFORE);
    assert.equal((await stat(file)).uid, 0);
  });

  it('refuses a file that changed since it was read; the change is kept', async () => {
    const file = await ct('changed');
    const changed = Buffer.from('ONBOOT="no"\n', 'utf8');
    await writeFile(file, changed);
    await assert.rejects(writeFixed(file, BEFORE, AFTER.toString('utf8')), (e: unknown) => e instanceof FixRefused && /changed since vzlint read it/.test(e.message));
    assert.deepEqual(await readFile(file), changed);
  });

  it('a file that is not valid UTF-8 is not fixed (its bytes could not be kept)', async () => {
    const bad = Buffer.concat([Buffer.from('ONBOOT="yes"\nMYAPP_NOTE = "a'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]);
    const file = await ct('latin1', bad, 0o644);
    const r = await run(['--fix', file], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /not valid UTF-8; not fixed/);
    assert.deepEqual(await readFile(file), bad);
  });

  it('a file with a NUL byte is not fixed, even named explicitly (exit 2, one line); --fix-dry-run shows no diff', async () => {
    // A tar of /etc/vz: the header's NULs, then lines vzlint reads, one of them with a safe fix (spaces around "=").
    const header = Buffer.alloc(512);
    header.write('conf/101.conf', 0);
    const nul = Buffer.concat([header, Buffer.from('ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nMYAPP_NOTE = "a"\n'), Buffer.alloc(1024)]);
    const file = await ct('nul', nul, 0o644);
    for (const flag of ['--fix', '--fix-dry-run']) {
      const r = await run([flag, file], tmp);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.split('\n').filter((l) => l.includes('NUL')).length, 1, r.err);
      assert.match(r.err, /101\.conf: contains a NUL byte \(a binary file, not a config\); not fixed\n/);
      assert.match(r.err, /0 files (changed|would change), 0 fixes (applied|would be applied), 1 file refused/);
      assert.doesNotMatch(r.out, /^\+\+\+ /m);
      assert.deepEqual(await readFile(file), nul);
    }
    await assert.rejects(writeFixed(file, nul, 'ONBOOT="yes"\n'), (e: unknown) => e instanceof FixRefused && /NUL byte/.test(e.message));
    assert.deepEqual(await readFile(file), nul);
  });

  it('a file with other hard links is refused, not split from them (exit 2, named); both names keep their bytes', async () => {
    const file = await ct('hardlink');
    const other = path.join(tmp, 'hardlink', 'backup-101.conf');
    await link(file, other);
    const r = await run(['--fix', file], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /101\.conf: the file has 2 hard links, which replacing it would split; not fixed/);
    assert.deepEqual(await readFile(file), BEFORE);
    assert.equal((await stat(other)).nlink, 2, 'still one file under two names');
    assert.deepEqual((await readdir(path.dirname(file))).sort(), ['101.conf']);
  });

  it('a file given twice, and a file with a link to it, are fixed once without a false "changed" refusal', async () => {
    const file = await ct('twice');
    const linkPath = path.join(tmp, 'twice', 'conf', '102.conf');
    await symlink('101.conf', linkPath);
    const r = await run(['--fix', '--format', 'json', file, linkPath, file], tmp);
    assert.doesNotMatch(r.err, /changed since/);
    assert.notEqual(r.code, 2, r.err);
    assert.deepEqual(await readFile(file), AFTER);
    assert.ok((await lstat(linkPath)).isSymbolicLink());
    const dry = await run(['--fix-dry-run', linkPath, 'twice/conf/*.conf'], tmp);
    assert.equal(dry.out, '', 'nothing left to fix');
  });

  it('--fix-dry-run on a terminal shows the file\'s control characters escaped; piped, the diff is exact', async () => {
    const text = 'ONBOOT="yes"\n# \u001b]0;pwned\u0007\u001b[2J\nMYAPP_NOTE = "a"\n';
    const file = await ct('dry-controls', Buffer.from(text, 'utf8'), 0o644);
    const tty = await run(['--fix-dry-run', file], tmp, { isTTY: true });
    assert.ok(!hasControls(tty.out, { allowNewlines: true }), JSON.stringify(tty.out));
    assert.match(tty.out, /^ # \\u001b\]0;pwned\\u0007\\u001b\[2J$/m);
    const piped = await run(['--fix-dry-run', file], tmp);
    assert.ok(piped.out.includes(' # \u001b]0;pwned\u0007\u001b[2J\n'), 'exact bytes for patch');
    assert.equal(await readFile(file, 'utf8'), text);
  });

  it('--fix-dry-run writes names as git does (a blank: a tab after; a control character, quote or non-ASCII letter: C-quoted), so git apply and patch take the diff', async () => {
    const dir = path.join(tmp, 'dry-names', 'conf');
    await mkdir(dir, { recursive: true });
    const expected: [name: string, header: string][] = [
      ['my ct.conf', 'a/dry-names/conf/my ct.conf\t'],
      ['n\nx.conf', '"a/dry-names/conf/n\\nx.conf"'],
      ['e\u001b[31mR.conf', '"a/dry-names/conf/e\\033[31mR.conf"'],
      ['q"b\\s.conf', '"a/dry-names/conf/q\\"b\\\\s.conf"'],
      ['\u00e9 1.conf', '"a/dry-names/conf/\\303\\251 1.conf"'],
    ];
    for (const [name] of expected) await writeFile(path.join(dir, name), 'ONBOOT="yes"\nMYAPP_NOTE = "a"\n');
    const r = await run(['--fix-dry-run', ...expected.map(([name]) => path.join(dir, name))], tmp);
    const headers = r.out.split('\n').filter((l) => l.startsWith('--- '));
    assert.deepEqual(headers.sort(), expected.map(([, h]) => `--- ${h}`).sort());
    for (const h of headers) assert.ok(!hasControls(h.replace(/\t$/, '')), JSON.stringify(h));
    const patchBin = ['/usr/bin/patch', '/bin/patch'].find((p) => existsSync(p));
    if (patchBin) {
      const check = spawnSync(patchBin, ['-p1', '--dry-run', '--batch'], { cwd: tmp, input: r.out, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    }
    const git = spawnSync('git', ['apply', '--check', '-'], { cwd: tmp, input: r.out, encoding: 'utf8' });
    if (git.error === undefined) assert.equal(git.status, 0, git.stderr);
  });

  it('a file whose name is near the 255-byte limit is fixed (the temporary name is kept short); no temp file left', async () => {
    const dir = path.join(tmp, 'longname');
    await mkdir(dir, { recursive: true });
    const name = `ve-${'\u00e9'.repeat(115)}.conf-sample`; // 3 + 230 + 12 = 245 bytes
    const file = path.join(dir, name);
    await writeFile(file, 'ONBOOT="yes"\nMYAPP_NOTE = "a"\n');
    const r = await run(['--fix', file], tmp);
    assert.doesNotMatch(r.err, /ENAMETOOLONG|not fixed|unchanged/, r.err);
    assert.equal(await readFile(file, 'utf8'), 'ONBOOT="yes"\nMYAPP_NOTE="a"\n');
    assert.deepEqual(await readdir(dir), [name]);
  });

  it('run as another user, a file it may write through its group is refused when its owner or group cannot be kept', async (t) => {
    if (!isRoot) {
      t.skip('needs root to run vzlint as another user (setpriv --reuid=65534)');
      return;
    }
    if (!existsSync('/usr/bin/setpriv') || !existsSync(bin)) {
      t.skip('setpriv or dist/vzlint.js (npm run build) missing');
      return;
    }
    if (!nobodyCanRead(bin)) {
      t.skip('user nobody cannot read dist/vzlint.js here (the clone sits in a folder only root may enter)');
      return;
    }
    const asNobody = (file: string): Promise<{ code: number; err: string }> =>
      pexec('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, '--fix', file]).then(
        () => ({ code: 0, err: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
      );
    const rootsFile = await ct('group-writable', BEFORE, 0o664); // root:nogroup, nobody writes it through its group
    await chown(rootsFile, 0, 65534);
    const r1 = await asNobody(rootsFile);
    assert.equal(r1.code, 2, r1.err);
    assert.match(r1.err, /belongs to another user \(uid 0\); replacing it would make it yours; not fixed/);
    assert.deepEqual([(await stat(rootsFile)).uid, (await stat(rootsFile)).gid], [0, 65534]);
    assert.deepEqual(await readFile(rootsFile), BEFORE);
    const ownFile = await ct('foreign-group', BEFORE, 0o664); // nobody:root, nobody is not in group root
    await chown(ownFile, 65534, 0);
    const r2 = await asNobody(ownFile);
    assert.equal(r2.code, 2, r2.err);
    assert.match(r2.err, /cannot give the new file the group of the old one \(gid 0\); not fixed/);
    assert.deepEqual([(await stat(ownFile)).uid, (await stat(ownFile)).gid], [65534, 0]);
    assert.deepEqual(await readFile(ownFile), BEFORE);
    const { readdir: ls } = await import('node:fs/promises');
    assert.deepEqual(await ls(path.dirname(ownFile)), ['101.conf'], 'no temporary file left');
  });
});

/** Whether user nobody (setpriv --reuid=65534) can read `file`: not when a parent folder is root-only. */
function nobodyCanRead(file: string): boolean {
  return spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', 'require("fs").accessSync(process.argv[1], 4)', file]).status === 0;
}

describe('vzlint --fix says what it did', () => {
  // Lines 2 and 4: safe fixes (spaces around "="); unsafe fixes only (they change limits): KMEMSIZE's barrier above
  // its limit (line 3) and the UBCs a container without vSwap lacks (ubc-required).
  const MIXED = 'ONBOOT="yes"\nMYAPP_NOTE = "a"\nKMEMSIZE="20000000:10000000"\nMYAPP_TAG = web\n';

  it('files changed, fixes applied and unsafe fixes not applied, on stderr; the dry run says the same in the conditional', async () => {
    const file = await ct('summary', Buffer.from(MIXED));
    const dry = await run(['--fix-dry-run', file], tmp);
    assert.equal(dry.err, 'vzlint: --fix-dry-run: 1 file would change, 2 fixes would be applied; 2 unsafe fixes not applied (--explain lists them; review in the editor or by hand)\n');
    assert.equal(await readFile(file, 'utf8'), MIXED, 'the dry run writes nothing');
    const r = await run(['--fix', '--format', 'json', file], tmp);
    assert.equal(r.err, 'vzlint: --fix: 1 file changed, 2 fixes applied; 2 unsafe fixes not applied (--explain lists them; review in the editor or by hand)\n');
    assert.equal(await readFile(file, 'utf8'), 'ONBOOT="yes"\nMYAPP_NOTE="a"\nKMEMSIZE="20000000:10000000"\nMYAPP_TAG=web\n');
    // The unsafe fix is still offered, and the JSON says it is not a safe one.
    const left = (JSON.parse(r.out) as { rule: string; fixable: boolean; unsafeFix?: boolean }[]).find((i) => i.rule === 'barrier-above-limit');
    assert.deepEqual([left?.fixable, left?.unsafeFix], [false, true]);
    const again = await run(['--fix', file], tmp);
    assert.equal(again.err, 'vzlint: --fix: 0 files changed, 0 fixes applied; 2 unsafe fixes not applied (--explain lists them; review in the editor or by hand)\n');
  });

  it('the unsafe fixes --fix leaves are listed by --explain and in JSON `fixes` (titles as the editor offers them)', async () => {
    const file = await ct('explain-fixes', Buffer.from(MIXED));
    await run(['--fix', file], tmp);
    const text = await readFile(file, 'utf8');
    const { lint } = await import('../../server/src/service/lint');
    const offered = lint(text, { path: file }).findings.filter((f) => (f.fixes ?? []).length > 0);
    assert.equal(offered.length, 2, 'the two findings with unsafe fixes only');
    const r = await run(['--explain', '--no-color', file], tmp);
    const lines = r.out.split('\n');
    for (const f of offered) {
      const at = lines.findIndex((l) => l.includes(f.message) && l.endsWith(f.rule));
      assert.ok(at >= 0, r.out);
      // Below the finding (after its explanation), one line per fix, before the next finding.
      const below = lines.slice(at + 1).findIndex((l) => /^ {2}\d+:\d+ /.test(l) || l === '');
      const fixes = lines.slice(at + 1, at + 1 + below).filter((l) => l.includes('fix ('));
      assert.deepEqual(fixes.map((l) => l.trim()), (f.fixes ?? []).map((x) => `fix (${x.safe ? 'safe' : 'unsafe: review'}): ${x.title}`));
    }
    assert.ok(!(await run(['--no-color', file], tmp)).out.includes('fix ('), 'only with --explain');
    const items = JSON.parse((await run(['--format', 'json', file], tmp)).out) as { rule: string; fixes?: { title: string; safe: boolean }[] }[];
    for (const f of offered) {
      assert.deepEqual(items.find((i) => i.rule === f.rule)?.fixes, (f.fixes ?? []).map((x) => ({ title: x.title, safe: x.safe })));
    }
    assert.equal(items.filter((i) => i.fixes === undefined).length, items.length - offered.length, 'no `fixes` where none is offered');
  });

  it('a node rule\'s unsafe fix in a fixed file is still counted (the later rounds lint the file alone)', async () => {
    // ORIGIN_SAMPLE names a sample vzctl renamed (sample-not-found, a node rule: its fix is unsafe);
    // "MYAPP_TAG = x" (a key vzctl does not read) has a safe fix. Fixing the latter leaves the former, and the account says so.
    const root = path.join(tmp, 'node-rule-fix');
    await mkdir(path.join(root, 'etc/vz/conf'), { recursive: true });
    await writeFile(path.join(root, 'etc/vz/vz.conf'), 'VE_ROOT=/vz/root/$VEID\n');
    await writeFile(path.join(root, 'etc/vz/conf/ve-basic.conf-sample'), 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n');
    const ct101 = path.join(root, 'etc/vz/conf/101.conf');
    const text = 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nORIGIN_SAMPLE="vps.basic"\n';
    await writeFile(ct101, text);
    const without = await run(['--fix-dry-run', 'etc/vz'], root);
    assert.equal(without.err, 'vzlint: --fix-dry-run: 0 files would change, 0 fixes would be applied; 1 unsafe fix not applied (--explain lists it; review in the editor or by hand)\n');
    await writeFile(ct101, `${text}MYAPP_TAG = x\n`);
    const r = await run(['--fix', '--format', 'json', 'etc/vz'], root);
    assert.equal(r.err, 'vzlint: --fix: 1 file changed, 1 fix applied; 1 unsafe fix not applied (--explain lists it; review in the editor or by hand)\n');
    assert.equal(await readFile(ct101, 'utf8'), `${text}MYAPP_TAG=x\n`);
    assert.deepEqual((JSON.parse(r.out) as { rule: string; unsafeFix?: boolean }[]).map((i) => [i.rule, i.unsafeFix]), [['sample-not-found', true], ['unknown-parameter', undefined]]);
  });

  it('no node rule offers a safe fix (so --fix loses none by linting each file alone after the first round)', async () => {
    const { lintNode, NODE_LEVEL_RULES } = await import('../../server/src/service/node');
    const ids = new Set(NODE_LEVEL_RULES.map((r) => r.id));
    const etc = path.join(repo, 'examples/etc/vz');
    const read = async (p: string): Promise<{ path: string; text: string }> => ({ path: p, text: await readFile(p, 'utf8') });
    const confs = (await readdir(path.join(etc, 'conf'))).map((n) => path.join(etc, 'conf', n));
    // The example node, and a node built to raise every node rule (shared paths, duplicates, renamed samples, RAM).
    const nodes = [
      { nodeConfig: await read(path.join(etc, 'vz.conf')), containers: await Promise.all(confs.filter((p) => p.endsWith('.conf')).map(read)), samples: confs.filter((p) => p.endsWith('.conf-sample')).map((p) => path.basename(p).slice(3, -'.conf-sample'.length)) },
      {
        nodeConfig: { path: '/n/etc/vz/vz.conf', text: 'VE_LAYOUT=ploop\nCONFIGFILE="basic"\n' },
        containers: [
          ...[101, 102].map((id) => ({ path: `/n/etc/vz/conf/${id}.conf`, text: `PHYSPAGES="0:64G"\nSWAPPAGES="0:1G"\nIP_ADDRESS="10.0.0.1"\nNETIF="ifname=eth0,mac=00:18:51:AA:BB:CC"\nNAME="web"\nVE_PRIVATE="/vz/private/web"\nORIGIN_SAMPLE="vps.basic"\n` })),
          { path: '/n/etc/vz/conf/ve-basic.conf-sample', text: 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n' },
        ],
        samples: ['basic'],
      },
    ];
    const seen = new Set<string>();
    for (const input of nodes) {
      for (const file of lintNode(input, { capacity: { ramBytes: 1n << 30n } }).files) {
        for (const f of file.findings) {
          if (!ids.has(f.rule)) continue;
          seen.add(f.rule);
          assert.ok(!(f.fixes ?? []).some((x) => x.safe), `${f.rule} in ${file.path} has a safe fix`);
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...ids].sort(), 'every node rule was raised');
  });

  it('a refused file is counted as refused, not changed', async () => {
    const file = await ct('summary-ro', Buffer.from(MIXED), 0o444);
    const r = await run(['--fix', file], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /not fixed\nvzlint: --fix: 0 files changed, 0 fixes applied, 1 file refused; 2 unsafe fixes not applied/);
    // The file was read and checked: the summary says the fix was refused, not that files could not be read.
    assert.match(r.out, /\n✖ \d+ problems \(.*\) in 1 of 1 file; --fix refused to write 1 file \(see the error above\)\n$/);
    assert.doesNotMatch(r.out, /incomplete|could not be read/);
  });

  it('a refused file is still named in the summary of the run after fixing the others', async () => {
    const ro = await ct('summary-mixed', Buffer.from(MIXED), 0o444);
    const rw = path.join(path.dirname(ro), '102.conf');
    await writeFile(rw, MIXED);
    const r = await run(['--fix', '--no-color', path.dirname(ro)], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /1 file changed, \d+ fix(es)? applied, 1 file refused/);
    assert.match(r.out, /\n✖ \d+ problems \(.*\) in 2 of 2 files; --fix refused to write 1 file \(see the error above\)\n$/);
  });
});
