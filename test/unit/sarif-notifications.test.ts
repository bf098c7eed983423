/**
 * `vzlint --format sarif`: files that could not be checked are in the log, not only on stderr — one
 * `invocations[0].toolExecutionNotifications` entry each (level, message, artifact location), and
 * `executionSuccessful` false when vzlint fails (exit 2), as SARIF 2.1.0 §3.20 and its Appendix I
 * ("detecting incomplete result sets") have it. Real unreadable files: a directory named 101.conf, a
 * FIFO, a file above the 4 MiB limit (chmod 000 does not stop root, who runs CI here).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import { MAX_FILE_BYTES } from '../../server/src/limits';
import { runCaptured as run } from '../helpers/vzlint';

const repo = path.resolve(__dirname, '../..');
const schemaFile = path.join(repo, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const WARN = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nONBOOT="no"\n';

/** The SARIF 2.1.0 schema's verdict on `log` (undefined when the schema is not installed). */
function schemaErrors(log: unknown): string | undefined {
  if (!existsSync(schemaFile)) return undefined;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return validate(log) ? undefined : JSON.stringify(validate.errors?.slice(0, 5));
}

/** Level, message and artifact URI of each notification of the log's only invocation. */
function notes(inv: Sarif.Invocation): [string | undefined, string | undefined, string | undefined][] {
  return (inv.toolExecutionNotifications ?? []).map((n) => [n.level, n.message.text, n.locations?.[0]?.physicalLocation?.artifactLocation?.uri]);
}

function parse(out: string): { run0: Sarif.Run; inv: Sarif.Invocation; log: Sarif.Log } {
  const log = JSON.parse(out) as Sarif.Log;
  const run0 = log.runs[0] as Sarif.Run;
  assert.equal(run0.invocations?.length, 1);
  return { run0, inv: run0.invocations?.[0] as Sarif.Invocation, log };
}

describe('SARIF: files that could not be checked are tool execution notifications', { skip: process.platform === 'win32' ? 'needs mkfifo' : false }, () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzlint-sarif-notes-'));
    const conf = path.join(root, 'etc/vz/conf');
    await mkdir(path.join(conf, '101.conf'), { recursive: true });
    execFileSync('mkfifo', [path.join(conf, '102.conf')]);
    await writeFile(path.join(conf, '103.conf'), `${'#'.repeat(MAX_FILE_BYTES)}\nONBOOT="yes"\n`);
    await writeFile(path.join(conf, '104.conf'), WARN);
    await writeFile(path.join(root, 'etc/vz/vz.conf'), 'VE_ROOT=/vz/root/$VEID\n');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a node folder: the folder and the FIFO named as configs are skipped (warnings), the big file not checked (error)', async () => {
    const r = await run(['--format', 'sarif', '.'], root);
    assert.equal(r.code, 1, r.err);
    const { run0, inv, log } = parse(r.out);
    assert.equal(schemaErrors(log), undefined);
    assert.deepEqual(notes(inv), [
      ['warning', 'etc/vz/conf/101.conf: skipped, a directory, not a config file', 'etc/vz/conf/101.conf'],
      ['warning', 'etc/vz/conf/102.conf: skipped, a named pipe, not a regular file', 'etc/vz/conf/102.conf'],
      ['error', 'etc/vz/conf/103.conf: File of 4.0 MiB not checked: vzconf checks config files up to 4.0 MiB', 'etc/vz/conf/103.conf'],
    ]);
    // Skipped by design (warnings) and a too-large file (a finding): vzlint did not fail.
    assert.equal(inv.executionSuccessful, true);
    assert.equal(inv.exitCode, 1);
    assert.ok(run0.results?.some((x) => x.ruleId === 'duplicate-parameter'), 'the readable file is still checked');
    assert.ok(run0.results?.some((x) => x.ruleId === 'file-too-large'));
    // stderr says the same.
    assert.match(r.err, /etc\/vz\/conf\/101\.conf: skipped, a directory/);
    assert.match(r.err, /etc\/vz\/conf\/102\.conf: skipped, a named pipe/);
  });

  it('named on the command line: each is an error with its location, executionSuccessful false, exit 2', async () => {
    const r = await run(['--format', 'sarif', 'etc/vz/conf/101.conf', 'etc/vz/conf/102.conf', 'etc/vz/conf/104.conf', 'etc/vz/conf/105.conf'], root);
    assert.equal(r.code, 2, r.err);
    const { run0, inv, log } = parse(r.out);
    assert.equal(schemaErrors(log), undefined);
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.exitCode, 2);
    assert.deepEqual(notes(inv), [
      ['error', 'no files matching "etc/vz/conf/101.conf" (no OpenVZ / Virtuozzo config files or templates in this directory) were found (use --no-error-on-unmatched-pattern to allow this)', 'etc/vz/conf/101.conf'],
      ['error', 'etc/vz/conf/102.conf: is a named pipe, not a regular file', 'etc/vz/conf/102.conf'],
      ['error', 'etc/vz/conf/105.conf: no such file or directory', 'etc/vz/conf/105.conf'],
    ]);
    assert.deepEqual(run0.artifacts?.map((a) => a.location?.uri), ['etc/vz/conf/104.conf'], 'the readable file is checked');
  });

  it('a node config too large to read: an error at its location; its containers are checked without it', async () => {
    const node = path.join(root, 'big-node');
    await mkdir(path.join(node, 'conf'), { recursive: true });
    await writeFile(path.join(node, 'vz.conf'), `${'#'.repeat(MAX_FILE_BYTES)}\nVE_ROOT=/vz/root/$VEID\n`);
    await writeFile(path.join(node, 'conf/101.conf'), WARN);
    const r = await run(['--format', 'sarif', 'big-node/conf/101.conf'], root);
    assert.equal(r.code, 2, r.err);
    const { run0, inv } = parse(r.out);
    assert.equal(inv.executionSuccessful, false);
    assert.deepEqual(notes(inv), [['error', 'big-node/vz.conf: cannot read the node config: larger than 4 MiB', 'big-node/vz.conf']]);
    assert.ok(run0.results?.some((x) => x.ruleId === 'duplicate-parameter'));
  });

  it('a node config too large, asked with its containers: they are checked without it and told so, as when named', async () => {
    const node = path.join(root, 'big-node-asked');
    await mkdir(path.join(node, 'conf'), { recursive: true });
    await writeFile(path.join(node, 'vz.conf'), `VE_LAYOUT=ploop\n${'#'.repeat(MAX_FILE_BYTES)}\n`);
    await writeFile(path.join(node, 'conf/101.conf'), WARN);
    const cannot = ['error', 'big-node-asked/vz.conf: cannot read the node config: larger than 4 MiB', 'big-node-asked/vz.conf'];
    const named = parse((await run(['--format', 'sarif', 'big-node-asked/conf/101.conf'], root)).out);
    const folder = await run(['--format', 'sarif', 'big-node-asked'], root);
    assert.equal(folder.code, 2, folder.err);
    const { run0, inv } = parse(folder.out);
    assert.equal(inv.executionSuccessful, false);
    assert.deepEqual(notes(inv), [cannot, ['error', 'big-node-asked/vz.conf: File of 4.0 MiB not checked: vzconf checks config files up to 4.0 MiB', 'big-node-asked/vz.conf']]);
    assert.deepEqual(run0.results?.map((x) => x.ruleId), [...(named.run0.results ?? []).map((x) => x.ruleId), 'file-too-large']);
    // The node's summary counts it with its containers.
    const summary = await run(['--summary', 'big-node-asked'], root);
    assert.match(summary.out, /Node big-node-asked\/vz\.conf \(1 container, 2 files\)\n\s+1 error/);
    // With the finding off, a warning says the node config was not checked; the containers' error stays.
    const quiet = await run(['--format', 'sarif', '--rule', 'file-too-large=off', 'big-node-asked'], root);
    assert.equal(quiet.code, 2, quiet.err);
    assert.deepEqual(notes(parse(quiet.out).inv), [
      ['warning', 'big-node-asked/vz.conf: not checked, larger than 4 MiB (file-too-large is off)', 'big-node-asked/vz.conf'],
      cannot,
    ]);
    // Named alone, the node config is one file too large (its finding, exit 1): it has no containers to tell.
    const alone = await run(['--format', 'sarif', 'big-node-asked/vz.conf'], root);
    assert.equal(alone.code, 1, alone.err);
    assert.deepEqual(notes(parse(alone.out).inv).map((n) => n[0]), ['error']);
  });

  it('a file too large with file-too-large off: a warning notification, since no result covers it', async () => {
    for (const workers of [0, 2]) {
      // 64 containers: one worker batch, so that with workers the big file is read by a worker.
      const dir = path.join(root, `quiet-${workers}/conf`);
      await mkdir(dir, { recursive: true });
      for (let ct = 101; ct < 165; ct += 1) await writeFile(path.join(dir, `${ct}.conf`), ct === 103 ? '#'.repeat(MAX_FILE_BYTES + 1) : 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n');
      const r = await run(['--format', 'sarif', '--rule', 'file-too-large=off', `quiet-${workers}`], root, { workers, workersFrom: 1 });
      assert.equal(r.code, 0, r.err);
      const { run0, inv } = parse(r.out);
      assert.equal(inv.executionSuccessful, true);
      assert.deepEqual(notes(inv), [['warning', `quiet-${workers}/conf/103.conf: not checked, larger than 4 MiB (file-too-large is off)`, `quiet-${workers}/conf/103.conf`]], `workers: ${workers}`);
      assert.equal(run0.results?.length, 0);
      assert.match(r.err, /conf\/103\.conf: not checked/);
    }
  });

  it('a clean run: one successful invocation with its exit code and no notifications', async () => {
    const r = await run(['--format', 'sarif', 'etc/vz/conf/104.conf'], root);
    assert.equal(r.code, 0, r.err);
    const { inv } = parse(r.out);
    assert.deepEqual(inv, { executionSuccessful: true, exitCode: 0 });
  });

  it('a gathered SARIF run (--fix with nothing to fix) has them too', async () => {
    const r = await run(['--format', 'sarif', '--fix', 'etc/vz/conf/102.conf', 'etc/vz/conf/103.conf'], root);
    assert.equal(r.code, 2, r.err);
    const { inv } = parse(r.out);
    assert.equal(inv.executionSuccessful, false);
    assert.deepEqual(notes(inv).map((n) => n[2]), ['etc/vz/conf/102.conf', 'etc/vz/conf/103.conf']);
  });

  it('--fix: a file it refused to fix is in the log of the run that reports what is left', async () => {
    const fix = path.join(root, 'fix/conf');
    await mkdir(fix, { recursive: true });
    // MYAPP_TAG = x has a safe fix (MYAPP_TAG=x: a key vzctl does not read); 201.conf is not valid UTF-8, so it is not fixed.
    await writeFile(path.join(fix, '201.conf'), Buffer.from('PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nDESCRIPTION="caf\xe9"\nMYAPP_TAG = x\n', 'latin1'));
    await writeFile(path.join(fix, '202.conf'), 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nMYAPP_TAG = x\n');
    const r = await run(['--format', 'sarif', '--fix', 'fix'], root);
    assert.equal(r.code, 2, r.err);
    assert.equal(readFileSync(path.join(fix, '202.conf'), 'utf8'), 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nMYAPP_TAG=x\n', 'the other file is fixed');
    const { inv } = parse(r.out);
    assert.equal(inv.executionSuccessful, false);
    assert.deepEqual(notes(inv), [['error', 'fix/conf/201.conf: not valid UTF-8; not fixed (fixing would change bytes it does not mean to)', 'fix/conf/201.conf']]);
  });

  it('permission denied (vzlint run as nobody, root cannot be denied): an error at its location, the folder a warning', async (t) => {
    const bin = path.join(repo, 'dist/vzlint.js');
    const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath];
    const canRun = typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/setpriv') && existsSync(bin)
      && spawnSync('/usr/bin/setpriv', [...nobody, '-e', 'require("fs").accessSync(process.argv[1], 4)', bin]).status === 0;
    if (!canRun) {
      t.skip('needs root, /usr/bin/setpriv and a dist/vzlint.js that user nobody may read');
      return;
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vzlint-sarif-denied-'));
    try {
      await mkdir(path.join(dir, 'conf/secret'), { recursive: true });
      await writeFile(path.join(dir, 'conf/101.conf'), WARN);
      await writeFile(path.join(dir, 'conf/102.conf'), WARN);
      await chmod(path.join(dir, 'conf/102.conf'), 0o000);
      await chmod(path.join(dir, 'conf/secret'), 0o000);
      await chmod(path.join(dir, 'conf'), 0o755);
      await chmod(dir, 0o755);
      const r = spawnSync('/usr/bin/setpriv', [...nobody, bin, '--format', 'sarif', 'conf'], { cwd: dir, encoding: 'utf8', env: { ...process.env, VZLINT_COMPILE_CACHE: '0' } });
      assert.equal(r.status, 2, r.stderr);
      const { inv, log } = parse(r.stdout);
      assert.equal(schemaErrors(log), undefined);
      assert.equal(inv.executionSuccessful, false);
      assert.deepEqual(notes(inv), [
        ['warning', 'conf/secret: folder skipped, cannot read it: permission denied', 'conf/secret'],
        ['error', 'conf/102.conf: permission denied', 'conf/102.conf'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
