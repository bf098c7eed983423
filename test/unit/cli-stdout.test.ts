/**
 * Where the built `vzlint` (dist/vzlint.js) writes its output (server/src/cli/stdout.ts): a regular file
 * and /dev/null are written directly, a pipe through process.stdout; the bytes are the same either way,
 * and a reader that closes the pipe early (`vzlint … | head`) ends vzlint quietly.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runVzlint } from '../../server/src/cli/vzlint';

const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'dist/vzlint.js');
let dir = '';

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vzconf-stdout-'));
  // Enough findings that the output is larger than a pipe's buffer (64 KiB).
  const lines = ['# a container with many findings'];
  for (let i = 0; i < 3000; i += 1) lines.push(`UNKNOWN_${i}="x"`);
  writeFileSync(path.join(dir, '101.conf'), `${lines.join('\n')}\n`);
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** `vzlint --format json 101.conf` in the test folder with standard output on `fd` (closed afterwards). */
function runTo(fd: number): ReturnType<typeof spawnSync> {
  try {
    return spawnSync(process.execPath, [bin, '--format', 'json', '101.conf'], { cwd: dir, env: { ...process.env, VZLINT_COMPILE_CACHE: '0' }, stdio: ['ignore', fd, 'pipe'] });
  } finally {
    closeSync(fd);
  }
}

describe('vzlint standard output', { skip: existsSync(bin) ? false : 'dist/vzlint.js missing (npm run build)' }, () => {
  it('the same bytes to a regular file as to a pipe', () => {
    const env = { ...process.env, VZLINT_COMPILE_CACHE: '0' };
    const piped = spawnSync(process.execPath, [bin, '--format', 'json', '101.conf'], { cwd: dir, env, maxBuffer: 1 << 26 });
    assert.equal(piped.status, 1, piped.stderr.toString());
    const outFile = path.join(dir, 'out.json');
    const fd = openSync(outFile, 'w');
    try {
      const toFile = spawnSync(process.execPath, [bin, '--format', 'json', '101.conf'], { cwd: dir, env, stdio: ['ignore', fd, 'pipe'] });
      assert.equal(toFile.status, 1, toFile.stderr.toString());
    } finally {
      closeSync(fd);
    }
    const written = readFileSync(outFile);
    assert.ok(written.length > 65536, `output of ${written.length} bytes`);
    assert.ok(written.equals(piped.stdout), 'file and pipe get the same bytes');
    assert.ok((JSON.parse(written.toString('utf8')) as unknown[]).length >= 3000, 'one finding per unknown key at least');
  });

  it('to /dev/null: the same exit status, nothing on stderr', () => {
    const r = spawnSync(process.execPath, [bin, '--format', 'json', '101.conf'], { cwd: dir, env: { ...process.env, VZLINT_COMPILE_CACHE: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.toString(), '');
  });

  it('a write that fails (a descriptor open only for reading) is one line on stderr and status 2', () => {
    // A regular file: written directly (writeSync), which fails with EBADF as a full disk fails with ENOSPC.
    const readOnly = path.join(dir, 'read-only.txt');
    writeFileSync(readOnly, '');
    const fd = openSync(readOnly, 'r');
    const r = runTo(fd);
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /^vzlint: cannot write the output: EBADF: bad file descriptor, write\n$/);
  });

  it('a directory as standard output (1< .): one line on stderr and status 2, not the output dropped', () => {
    // Node's process.stdout for a directory is a stream that drops every write without an error.
    const fd = openSync(dir, 'r');
    const r = runTo(fd);
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /^vzlint: cannot write the output: EBADF: bad file descriptor, write\n$/);
  });

  it('/dev/full (a full disk through process.stdout): one line on stderr and status 2', { skip: existsSync('/dev/full') ? false : 'no /dev/full' }, () => {
    const fd = openSync('/dev/full', 'w');
    const r = runTo(fd);
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /^vzlint: cannot write the output: ENOSPC: no space left on device, write\n$/);
  });

  it('standard error that cannot be written (2>/dev/full): the same output and status', { skip: existsSync('/dev/full') ? false : 'no /dev/full' }, () => {
    // A file that cannot be read: a message on stderr, status 2, and the other file's report on stdout.
    const args = [bin, '--format', 'json', '101.conf', 'missing.conf'];
    const env = { ...process.env, VZLINT_COMPILE_CACHE: '0' };
    const expected = spawnSync(process.execPath, args, { cwd: dir, env, maxBuffer: 1 << 26 });
    assert.equal(expected.status, 2);
    assert.match(expected.stderr.toString(), /missing\.conf/);
    const fd = openSync('/dev/full', 'w');
    let r;
    try {
      r = spawnSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', fd], maxBuffer: 1 << 26 });
    } finally {
      closeSync(fd);
    }
    assert.equal(r.status, 2);
    assert.ok(r.stdout.equals(expected.stdout), `stdout of ${r.stdout.length} bytes, expected ${expected.stdout.length}`);
  });

  it('a run of many files (ended without tearing the heap down) writes all of its output, stderr and status, to a file as to pipes', async () => {
    // 600 containers (a large run: main.ts ends it with process.exit once its output is out) and a dangling
    // link in conf/, said on stderr.
    const node = path.join(dir, 'large');
    mkdirSync(path.join(node, 'conf'), { recursive: true });
    writeFileSync(path.join(node, 'vz.conf'), 'VE_LAYOUT=ploop\n');
    for (let i = 100; i < 700; i += 1) writeFileSync(path.join(node, 'conf', `${i}.conf`), `ONBOOT="yes"\nKMEMSIZE="20000000:10000000"\nUNKNOWN_${i}="x"\n`);
    symlinkSync('gone.conf', path.join(node, 'conf', '999.conf'));
    const args = ['--format', 'json', 'large'];
    let out = '';
    let err = '';
    const code = await runVzlint(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir });
    assert.match(err, /999\.conf: skipped/);
    assert.ok(out.length > 600 * 100, `output of ${out.length} characters`);
    const env = { ...process.env, VZLINT_COMPILE_CACHE: '0' };
    const piped = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, maxBuffer: 1 << 26 });
    assert.equal(piped.status, code, piped.stderr.toString());
    assert.equal(piped.stdout.toString('utf8'), out);
    assert.equal(piped.stderr.toString('utf8'), err);
    const outFile = path.join(dir, 'large.json');
    const fd = openSync(outFile, 'w');
    try {
      const toFile = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', fd, 'pipe'] });
      assert.equal(toFile.status, code);
      assert.equal(toFile.stderr.toString('utf8'), err);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(outFile, 'utf8'), out);
  });

  it('a reader that closes the pipe early ends vzlint quietly', async () => {
    const child = spawn(process.execPath, [bin, '--format', 'json', '101.conf'], { cwd: dir, env: { ...process.env, VZLINT_COMPILE_CACHE: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    // Read one chunk, then close the pipe, as `| head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    assert.equal(err, '', 'no EPIPE stack trace');
  });
});
