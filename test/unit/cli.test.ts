import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { JsonFinding } from '../../server/src/cli/format';
import { isConfigFileName } from '../../server/src/cli/vzlint';
import { MAX_CONFIG_FILE_BYTES } from '../../server/src/limits';
import { runCaptured } from '../helpers/vzlint';

const repoRoot = path.resolve(__dirname, '../..');

/** Runs vzlint in-process with captured output. */
const run = runCaptured;

function parseJson(out: string): JsonFinding[] {
  const parsed: unknown = JSON.parse(out);
  assert.ok(Array.isArray(parsed), 'JSON output must be one array');
  return parsed as JsonFinding[];
}

/** 1-based line and UTF-16 column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${JSON.stringify(needle)} not in the text`);
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Whether a string contains an ANSI escape sequence (colour). */
const hasAnsi = (s: string): boolean => s.includes('\u001b[');

// Both have the vSwap pair classic vzctl requires to start a container (ubc-required).
const BAD_KMEM = 'KMEMSIZE="300331648:150331648"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
const CLEAN = 'ONBOOT="yes"\nHOSTNAME="ct101.example.com"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vzlint-cli-'));
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh sub-folder of the temporary directory for one test. */
async function folder(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('vzlint exit codes', () => {
  it('returns 0 for a file without error findings', async () => {
    const dir = await folder('clean');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    const r = await run(['--format', 'json', '101.conf'], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(parseJson(r.out), []);
    assert.equal(r.err, '');
  });

  it('reports barrier-above-limit at the barrier, a warning in a vSwap config (exit 0)', async () => {
    const dir = await folder('kmem');
    await writeFile(path.join(dir, '101.conf'), BAD_KMEM);
    const r = await run(['--format', 'json', '101.conf'], dir);
    assert.equal(r.code, 0, r.err);
    const items = parseJson(r.out);
    const item = items.find((i) => i.rule === 'barrier-above-limit');
    assert.ok(item, r.out);
    const expected = positionOf(BAD_KMEM, '300331648');
    assert.equal(item.file, '101.conf');
    assert.equal(item.line, expected.line);
    assert.equal(item.column, expected.column);
    assert.equal(item.endLine, 1);
    assert.equal(item.endColumn, positionOf(BAD_KMEM, '"\n').column, 'end is exclusive, just before the closing quote');
    assert.equal(item.severity, 'warning');
    // Its fixes (raise the limit, lower the barrier) change a limit: not safe, so not `fixable`.
    assert.equal(item.fixable, false);
    assert.equal(item.unsafeFix, true);
    assert.match(item.message, /KMEMSIZE/);
    assert.deepEqual(Object.keys(item).filter((k) => k !== 'detail').sort(), ['column', 'endColumn', 'endLine', 'file', 'fixable', 'fixes', 'line', 'message', 'rule', 'severity', 'unsafeFix']);
    // `fixes` names them, in the editor's order, each {title, safe}.
    assert.deepEqual(item.fixes?.map((x) => [Object.keys(x), x.safe]), [[['title', 'safe'], false], [['title', 'safe'], false]]);
    assert.ok(item.fixes?.every((x) => x.title.length > 0 && x.title.length <= 80));
    assert.match(item.detail ?? '', /KMEMSIZE: the barrier 300331648 \(286\.42 MiB\) is above the limit/, 'the long explanation is in detail');
  });

  it('returns 2 for --target bogus, naming the accepted forms', async () => {
    const dir = await folder('bogus-target');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    const r = await run(['--target', 'bogus', '101.conf'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /bogus/);
    for (const form of ['auto', 'classic', 'classic@', 'vz7', 'vz7@']) assert.ok(r.err.includes(form), `stderr names ${form}: ${r.err}`);
  });

  it('returns 2 for --kind bogus', async () => {
    const dir = await folder('bogus-kind');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    const r = await run(['--kind', 'bogus', '101.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /auto, node, container or ct0/);
  });

  it('returns 2 on usage errors without exiting the process', async () => {
    const dir = await folder('usage');
    // No PATH off a node (no /etc/vz): exit 2, saying why.
    const none = await runCaptured([], dir, { defaultNodeRoot: path.join(dir, 'no-such-etc-vz') });
    assert.equal(none.code, 2);
    assert.match(none.err, /no PATH given and .*no-such-etc-vz is not a directory/);
    const unknown = await run(['--frobnicate', 'x'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option '--frobnicate'/);
    const format = await run(['--format', 'xml', 'x'], dir);
    assert.equal(format.code, 2);
    assert.match(format.err, /stylish, json, sarif, github/);
  });

  it('prints --version and --help with exit 0', async () => {
    const dir = await folder('meta');
    const v = await run(['--version'], dir);
    assert.equal(v.code, 0);
    assert.match(v.out, /^\d+\.\d+\.\d+/);
    const h = await run(['--help'], dir);
    assert.equal(h.code, 0);
    assert.match(h.out, /Usage: vzlint/);
    assert.match(h.out, /--target/);
    assert.match(h.out, /--no-color/);
    // Read in an 80- or 100-column terminal: no line of the text after the options runs past 100.
    const long = h.out.split('\n').filter((l) => l.length > 100);
    assert.deepEqual(long, [], 'wrap HELP_AFTER in server/src/cli/vzlint.ts');
  });

  it('returns 2 for a missing path after linting the other files', async () => {
    const dir = await folder('missing');
    await writeFile(path.join(dir, '101.conf'), BAD_KMEM);
    const r = await run(['--format', 'json', 'nope.conf', '101.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope\.conf: no such file or directory/);
    const items = parseJson(r.out);
    assert.ok(items.some((i) => i.file === '101.conf' && i.rule === 'barrier-above-limit'), 'the existing file is still linted');
  });

  it('returns 2 for an unreadable file', async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('running as root: file permissions do not stop reads');
      return;
    }
    const dir = await folder('unreadable');
    const file = path.join(dir, '101.conf');
    await writeFile(file, CLEAN);
    await chmod(file, 0o000);
    try {
      const r = await run(['101.conf'], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /101\.conf: cannot read/);
    } finally {
      await chmod(file, 0o644);
    }
  });
});

describe('vzlint file handling', () => {
  it('a config saved as UTF-16 (Windows "Unicode") gets one utf16-encoding error that names the byte order (attack)', async () => {
    const root = await folder('utf16');
    await mkdir(path.join(root, 'conf'), { recursive: true });
    const text = '\uFEFFONBOOT="yes"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';
    await writeFile(path.join(root, 'conf/101.conf'), Buffer.from(text, 'utf16le'));
    await writeFile(path.join(root, 'conf/102.conf'), Buffer.from(text.slice(1), 'utf16le').swap16());
    const r = await run(['--format', 'json', 'conf/101.conf', 'conf/102.conf'], root);
    assert.equal(r.code, 1, r.err);
    const found = parseJson(r.out).filter((f) => f.rule === 'utf16-encoding').map((f) => [f.file, f.line, f.column, f.severity, f.message]);
    assert.deepEqual(found, [
      ['conf/101.conf', 1, 1, 'error', 'File in UTF-16 (little-endian): a NUL byte in every character; save it as UTF-8'],
      ['conf/102.conf', 1, 1, 'error', 'File in UTF-16 (big-endian): a NUL byte in every character; save it as UTF-8'],
    ]);
  });

  it('a file or folder whose name is not valid UTF-8 is named as such, not reported missing; the rest of the tree is linted (attack)', { skip: process.platform !== 'linux' }, async () => {
    const root = await folder('non-utf8');
    const bytes = (rel: string, raw: number[] = []): Buffer => Buffer.concat([Buffer.from(path.join(root, rel)), Buffer.from(raw)]);
    await mkdir(path.join(root, 'fleet/ok/etc/vz/conf'), { recursive: true });
    await writeFile(path.join(root, 'fleet/ok/etc/vz/conf/101.conf'), BAD_KMEM);
    // fleet/h<FF>/etc/vz/conf/101.conf and fleet/ok/etc/vz/conf/1<FF>.conf.j2
    await mkdir(bytes('fleet/h', [0xff]));
    await mkdir(Buffer.concat([bytes('fleet/h', [0xff]), Buffer.from('/etc/vz/conf')]), { recursive: true });
    await writeFile(Buffer.concat([bytes('fleet/h', [0xff]), Buffer.from('/etc/vz/conf/101.conf')]), BAD_KMEM);
    await writeFile(Buffer.concat([bytes('fleet/ok/etc/vz/conf/1', [0xff]), Buffer.from('.conf.j2')]), BAD_KMEM);
    const r = await run(['--no-color', 'fleet'], root);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, /fleet\/ok\/etc\/vz\/conf\/101\.conf/);
    assert.doesNotMatch(r.err, /no such file or directory/, r.err);
    assert.match(r.err, /fleet\/h\uFFFD: skipped, its name is not valid UTF-8/, r.err);
    assert.match(r.err, /fleet\/ok\/etc\/vz\/conf\/1\uFFFD\.conf\.j2: skipped, its name is not valid UTF-8/, r.err);
    // Named on the command line (Node hands vzlint the name with U+FFFD for the byte): said why it cannot be opened.
    const one = await run(['--no-color', 'fleet/ok/etc/vz/conf/1\uFFFD.conf.j2'], root);
    assert.equal(one.code, 2);
    assert.match(one.err, /no such file or directory; if its name has bytes that are not UTF-8, vzlint cannot open it/, one.err);
  });

  it('discovers config files in a directory and skips other .conf files', async () => {
    const root = await folder('tree');
    const files: Record<string, string> = {
      'etc/vz/vz.conf': 'VE_ROOT=/vz/root/$VEID\n',
      'etc/vz/conf/101.conf': CLEAN,
      'etc/vz/conf/ve-basic.conf-sample': CLEAN,
      'etc/vz/conf/ve-light.conf-sample.x86_64': CLEAN,
      'etc/vz/conf/0.conf': 'NUMPROC="1000:1000"\n',
      'etc/vz/conf/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf': CLEAN.replace('ct101', 'ct102'),
      'etc/sysconfig/vz': 'VE_ROOT=/vz/root/$VEID\n',
      'etc/vz/dists/debian.conf': 'ADD_IP=debian-add_ip.sh\n',
      'etc/vz/conf/101.mount': '#!/bin/sh\n',
      'etc/vz/conf/web.conf': CLEAN,
      'other.conf': BAD_KMEM,
      'node_modules/pkg/vz.conf': BAD_KMEM,
      '.git/conf/102.conf': BAD_KMEM,
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.join(root, path.dirname(rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    const r = await run(['--no-color', '--verbose', '.'], root);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    const headers = r.out
      .split('\n')
      .filter((l) => /\[(node|container|ct0), (classic|vz7)@[\d.]+\]$/.test(l))
      .map((l) => l.replace(/ \[.*\]$/, ''));
    assert.deepEqual(headers, [
      'etc/sysconfig/vz',
      'etc/vz/conf/0.conf',
      'etc/vz/conf/101.conf',
      'etc/vz/conf/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf',
      'etc/vz/conf/ve-basic.conf-sample',
      'etc/vz/conf/ve-light.conf-sample.x86_64',
      'etc/vz/vz.conf',
    ]);
    assert.ok(r.out.includes('etc/vz/vz.conf [node, classic@'), r.out);
    assert.ok(r.out.includes('etc/vz/conf/101.conf [container, classic@'), r.out);
    assert.ok(r.out.includes('etc/vz/conf/0.conf [ct0, classic@'), r.out);
    assert.match(r.out, /✔ no problems \(7 files checked\)\n$/);
    // Without --verbose, files without findings are not listed.
    const quiet = await run(['--no-color', '.'], root);
    assert.equal(quiet.out, '✔ no problems (7 files checked)\n');
  });

  it('searches a folder named conf by its real name when given as the path', async () => {
    const root = await folder('conf-direct');
    await mkdir(path.join(root, 'conf'));
    await writeFile(path.join(root, 'conf', '101.conf'), BAD_KMEM);
    await writeFile(path.join(root, 'conf', 'notes.conf'), BAD_KMEM);
    const r = await run(['--format', 'json', path.join(root, 'conf')], tmp);
    assert.equal(r.code, 0);
    assert.deepEqual([...new Set(parseJson(r.out).map((i) => i.file))], [path.join(root, 'conf', '101.conf')]);
  });

  it('lints an explicitly named file whatever its name, once, in sorted order', async () => {
    const dir = await folder('explicit');
    await writeFile(path.join(dir, 'b-notes.txt'), BAD_KMEM);
    await writeFile(path.join(dir, 'a.conf'), BAD_KMEM);
    const r = await run(['--format', 'json', 'b-notes.txt', 'a.conf', './b-notes.txt'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(
      parseJson(r.out).filter((i) => i.rule === 'barrier-above-limit').map((i) => i.file),
      ['a.conf', 'b-notes.txt'],
    );
  });

  it('honours --kind and --target', async () => {
    const dir = await folder('kind-target');
    await writeFile(path.join(dir, 'x.txt'), CLEAN);
    const r = await run(['--no-color', '--kind', 'node', '--target', 'classic@4.6', 'x.txt'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^x\.txt \[node, classic@4\.6\]$/m);
  });

  it('counts columns in UTF-16 code units (an emoji counts 2)', async () => {
    const dir = await folder('utf16');
    const text = 'DESCRIPTION="😀 $HOME"\n' + BAD_KMEM;
    await writeFile(path.join(dir, '101.conf'), text);
    const r = await run(['--format', 'json', '101.conf'], dir);
    assert.equal(r.code, 0);
    const items = parseJson(r.out);
    const expansion = items.find((i) => i.rule === 'shell-expansion');
    assert.ok(expansion, r.out);
    const expected = positionOf(text, '$HOME');
    assert.equal(expansion.line, 1);
    assert.equal(expansion.column, expected.column);
    // Code points would give one less: the emoji is one code point but two UTF-16 units.
    const codePoints = [...text.slice(0, text.indexOf('$HOME'))].length + 1;
    assert.equal(expansion.column, codePoints + 1);
    assert.equal(expansion.endColumn, expected.column + '$HOME'.length);
    const kmem = items.find((i) => i.rule === 'barrier-above-limit');
    assert.ok(kmem);
    assert.deepEqual([kmem.line, kmem.column], [2, positionOf(BAD_KMEM, '300331648').column]);
  });

  it('lints files that are not valid UTF-8 or contain NUL bytes without crashing', async () => {
    const dir = await folder('binary');
    await writeFile(path.join(dir, '101.conf'), Buffer.from([0x4f, 0x4e, 0x42, 0x4f, 0x4f, 0x54, 0x3d, 0xff, 0xfe, 0x00, 0x0a, 0x00, 0x00, 0xc3, 0x28, 0x0a]));
    await writeFile(path.join(dir, '102.conf'), Buffer.concat([Buffer.from('HOSTNAME="a'), Buffer.from([0]), Buffer.from('b"\n'), Buffer.from(BAD_KMEM)]));
    const r = await run(['--format', 'json', '101.conf', '102.conf'], dir);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    assert.equal(r.err, '');
    const items = parseJson(r.out);
    assert.ok(items.some((i) => i.file === '102.conf' && i.rule === 'barrier-above-limit' && i.line === 2));
  });

  it('keeps a UTF-8 byte-order mark so the byte-order-mark rule sees it', async () => {
    const dir = await folder('bom');
    await writeFile(path.join(dir, '101.conf'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CLEAN)]));
    const r = await run(['--format', 'json', '101.conf'], dir);
    const bom = parseJson(r.out).find((i) => i.rule === 'byte-order-mark');
    assert.ok(bom, r.out);
    assert.deepEqual([bom.line, bom.column], [1, 1]);
  });

  it('matches the documented directory-discovery names', () => {
    for (const p of ['/etc/vz/vz.conf', '/etc/sysconfig/vz', '/etc/vz/conf/101.conf', '/vz/conf/0.conf', '/x/ve.conf', '/x/ve-basic.conf-sample', '/x/ve-basic.conf-sample.ia64', '/etc/vz/conf/6F2A1C3E-1B2C-4D5E-8F90-A1B2C3D4E5F6.conf']) {
      assert.equal(isConfigFileName(p), true, p);
    }
    for (const p of ['/etc/vz/dists/debian.conf', '/etc/vz/other.conf', '/etc/vz/conf/web.conf', '/etc/vz/101.conf', '/etc/vz/conf/101.mount', '/etc/vz', '/x/vz.conf.rpmnew']) {
      assert.equal(isConfigFileName(p), false, p);
    }
  });
});

describe('vzlint stylish output', () => {
  it('prints header, aligned finding lines and a summary', async () => {
    const dir = await folder('stylish');
    await writeFile(path.join(dir, '101.conf'), BAD_KMEM);
    const r = await run(['--no-color', '101.conf'], dir);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    assert.equal(lines[0], '101.conf [container, classic@' + /classic@([\d.]+)/.exec(lines[0])?.[1] + ']');
    const { line, column } = positionOf(BAD_KMEM, '300331648');
    assert.match(lines[1], new RegExp(`^  ${line}:${column}  warning  KMEMSIZE: .*  barrier-above-limit$`));
    assert.match(r.out, /✖ 1 problem \(0 errors, 1 warning, 0 infos\) in 1 of 1 file\n$/);
    assert.equal(hasAnsi(r.out), false);
  });

  it('colours only on a TTY, and never with --no-color or NO_COLOR', async () => {
    const dir = await folder('colour');
    await writeFile(path.join(dir, '101.conf'), BAD_KMEM);
    assert.equal(hasAnsi((await run(['101.conf'], dir, { isTTY: true })).out), true);
    assert.equal(hasAnsi((await run(['101.conf'], dir, { isTTY: false })).out), false);
    assert.equal(hasAnsi((await run(['--no-color', '101.conf'], dir, { isTTY: true })).out), false);
    assert.equal(hasAnsi((await run(['101.conf'], dir, { isTTY: true, env: { NO_COLOR: '1' } })).out), false);
  });
});

describe('built dist/vzlint.js', () => {
  it('lints the examples folder', async (t) => {
    const examples = path.join(repoRoot, 'examples');
    const bin = path.join(repoRoot, 'dist', 'vzlint.js');
    if (!existsSync(examples) || readdirSync(examples, { recursive: true }).length === 0) {
      t.skip('examples/ does not exist yet (or is empty)');
      return;
    }
    if (!existsSync(bin)) {
      t.skip('dist/vzlint.js is not built: run `npm run build` first');
      return;
    }
    let stdout = '';
    let code = 0;
    try {
      ({ stdout } = await promisify(execFile)(process.execPath, [bin, '--no-color', 'examples'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } }));
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      code = e.code ?? -1;
      stdout = e.stdout ?? '';
      assert.equal(code, 1, `vzlint exited ${code}: ${e.stderr ?? ''}`);
    }
    assert.match(stdout, /^examples\/\S+ \[(node|container|ct0), (classic|vz7)@[\d.]+\]$/m);
    assert.match(stdout, /^ {2}\d+:\d+ +(error|warning|info|hint) {2}.+ {2}[a-z-]+$/m, 'prints findings');
    assert.match(stdout, /✖ \d+ problems? \(/);
  });

  it("prints every line the README's quick start shows for the example node", async (t) => {
    const bin = path.join(repoRoot, 'dist', 'vzlint.js');
    if (!existsSync(bin)) {
      t.skip('dist/vzlint.js is not built: run `npm run build` first');
      return;
    }
    // The output block that follows the quick start's command (README.md, "Quick start"): each of its lines
    // but the "…" that stands for those left out must be a line of the real output, verbatim.
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /```sh\nnode dist\/vzlint\.js examples\/etc\/vz\n```\n+```\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, 'README.md has the quick start command and its output');
    const shown = (block[1] as string).split('\n').filter((l) => l !== '' && l !== '…');
    assert.ok(shown.length >= 5, 'the quick start shows some output');
    const r = await promisify(execFile)(process.execPath, [bin, '--no-color', 'examples/etc/vz'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } }).then((ok): { code?: number; stdout?: string } => ({ code: 0, stdout: ok.stdout }), (e: { code?: number; stdout?: string }) => e);
    assert.equal(r.code ?? 0, 1, 'the example node has errors: exit 1, as the README says');
    const lines = new Set((r.stdout ?? '').split('\n'));
    for (const l of shown) assert.ok(lines.has(l), `README quick start line not in the output: ${l}`);
  });
});

describe('vzlint: a node and its containers', () => {
  /** etc/vz/vz.conf + etc/vz/conf/101.conf, 102.conf (+ extra files) under a fresh folder. */
  async function nodeTree(name: string, files: Record<string, string>): Promise<string> {
    const root = await folder(name);
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.join(root, path.dirname(rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    return root;
  }
  const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:512M"\n';

  it('a directory: each CT is checked with the vz.conf beside conf/, and across the node', async () => {
    const root = await nodeTree('node-dir', {
      'etc/vz/vz.conf': 'DISK_QUOTA=no\nVE_PRIVATE=/vz/private/$VEID\n',
      'etc/vz/conf/101.conf': `${VSWAP}DISKSPACE="1048576:1153024"\nIP_ADDRESS="10.0.0.1"\n`,
      'etc/vz/conf/102.conf': `${VSWAP}IP_ADDRESS="10.0.0.1"\n`,
    });
    const r = await run(['--format', 'json', 'etc'], root);
    const items = parseJson(r.out);
    const keys = items.map((i) => `${i.file}:${i.line}:${i.rule}`).filter((k) => /disk-quota-off|duplicate-ip-address/.test(k));
    assert.deepEqual(keys, ['etc/vz/conf/101.conf:3:disk-quota-off', 'etc/vz/conf/101.conf:4:duplicate-ip-address', 'etc/vz/conf/102.conf:3:duplicate-ip-address']);
    for (const i of items) {
      // `detail`, `unsafeFix` and `fixes` were added compatibly (optional).
      assert.deepEqual(Object.keys(i).filter((k) => k !== 'detail' && k !== 'unsafeFix' && k !== 'fixes').sort(), ['column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'rule', 'severity'], 'the JSON contract is unchanged');
      assert.ok(i.detail === undefined || (typeof i.detail === 'string' && i.detail.length > 0));
      assert.ok(i.fixes === undefined || (i.fixes.length > 0 && i.fixes.some((x) => x.safe) === i.fixable && i.fixes.some((x) => !x.safe) === (i.unsafeFix === true)));
    }
  });

  it('an explicit CT file finds its vz.conf; --node-config overrides it', async () => {
    const root = await nodeTree('node-explicit', {
      'etc/vz/vz.conf': 'DISK_QUOTA=no\n',
      'other/vz.conf': 'DISK_QUOTA=yes\n',
      'etc/vz/conf/101.conf': `${VSWAP}DISKSPACE="1048576:1153024"\n`,
    });
    const found = parseJson((await run(['-f', 'json', 'etc/vz/conf/101.conf'], root)).out).filter((i) => i.rule === 'disk-quota-off');
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /vz\.conf line 1/);
    const overridden = parseJson((await run(['-f', 'json', '--node-config', 'other/vz.conf', 'etc/vz/conf/101.conf'], root)).out);
    assert.deepEqual(overridden.filter((i) => i.rule === 'disk-quota-off'), []);
    const missing = await run(['--node-config', 'nope/vz.conf', 'etc/vz/conf/101.conf'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--node-config: nope\/vz\.conf: no such file/);
  });

  it('nodeConfig: "" in .vzconf.yaml stops vzlint with a clear message (it used to be ignored without a word)', async () => {
    const root = await nodeTree('node-empty-cfg', { '.vzconf.yaml': 'nodeConfig: ""\n', 'etc/vz/vz.conf': 'DISK_QUOTA=no\n', 'etc/vz/conf/101.conf': VSWAP });
    const r = await run(['etc'], root);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, 'vzlint: .vzconf.yaml:1:13: invalid configuration: nodeConfig: the path is empty (leave nodeConfig out to find vz.conf as vzctl does)\n');
  });

  it('--node-ram/--node-swap: a warning on vz.conf and a memory table in stylish mode', async () => {
    const root = await nodeTree('node-mem', {
      'etc/vz/vz.conf': 'DISK_QUOTA=yes\n',
      'etc/vz/conf/101.conf': VSWAP,
      'etc/vz/conf/102.conf': VSWAP,
    });
    const json = parseJson((await run(['-f', 'json', '--node-ram', '1G', '--node-swap', '512M', 'etc'], root)).out);
    const over = json.filter((i) => i.rule === 'node-memory-overcommit');
    assert.equal(over.length, 1);
    assert.equal(over[0]?.file, 'etc/vz/vz.conf');
    assert.equal(over[0]?.severity, 'warning');
    const stylish = await run(['--no-color', '--node-ram', '1G', '--node-swap', '512M', 'etc'], root);
    assert.match(stylish.out, /Memory committed by the containers, against the node's RAM and swap \(node etc\/vz\/vz\.conf\)\n +container +PHYSPAGES +SWAPPAGES +PRIVVMPAGES +counted \(pages × 4 KiB\)/);
    assert.match(stylish.out, /etc\/vz\/conf\/101\.conf +1 GiB +512 MiB +- +PHYSPAGES limit \+ SWAPPAGES limit/);
    assert.match(stylish.out, /✖ over: vSwap PHYSPAGES limits above node RAM/);
    const fits = await run(['--no-color', '--node-ram', '64G', 'etc'], root);
    assert.match(fits.out, /✔ fits the node/);
    assert.doesNotMatch((await run(['--no-color', 'etc'], root)).out, /Memory committed/, 'no table without a capacity');
    // A node without swap is common: --node-swap 0 is a size, and it is reported as 0.
    const noSwap = await run(['--no-color', '--node-ram', '64G', '--node-swap', '0', 'etc'], root);
    assert.notEqual(noSwap.code, 2, noSwap.err);
    assert.match(noSwap.out, /node RAM, swap +64 GiB +0 B/);
    assert.equal((await run(['--node-ram', '0', 'etc'], root)).code, 2, 'RAM must be positive');
    const bad = await run(['--node-ram', 'lots', 'etc'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--node-ram: invalid size "lots"/);
  });

  it('an explicit CT: node-level findings on the vz.conf not asked for are still reported under its path', async () => {
    const root = await nodeTree('node-shared', {
      'etc/vz/vz.conf': 'VE_PRIVATE=/vz/private\nCONFIGFILE="vps.basic"\n',
      'etc/vz/conf/101.conf': VSWAP,
      'etc/vz/conf/102.conf': VSWAP,
    });
    const items = parseJson((await run(['-f', 'json', 'etc/vz/conf/101.conf', 'etc/vz/conf/102.conf'], root)).out);
    const shared = items.filter((i) => i.rule === 'shared-private-path');
    assert.deepEqual(shared.map((i) => [i.file, i.line, i.severity]), [['etc/vz/vz.conf', 1, 'error']]);
    assert.deepEqual(items.filter((i) => i.rule === 'sample-not-found'), [], 'per-file findings of vz.conf only when asked for');
  });
});

describe('vzlint --rule', () => {
  it('turns a rule off or changes its severity, and rejects unknown rules', async () => {
    const dir = await folder('rule');
    await writeFile(path.join(dir, '101.conf'), BAD_KMEM);
    assert.equal((await run(['--rule', 'barrier-above-limit=off', '101.conf'], dir)).code, 0);
    const warn = await run(['--format', 'json', '--rule', 'barrier-above-limit=warning', '101.conf'], dir);
    assert.equal(warn.code, 0);
    assert.equal((JSON.parse(warn.out) as { severity: string }[])[0]?.severity, 'warning');
    const bad = await run(['--rule', 'no-such-rule=off', '101.conf'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown rule "no-such-rule"/);
  });
});

describe('vzlint: .vzconf.yaml, suppressions and custom keys', () => {
  const CUSTOM = 'MY_TOOL_ID="42"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

  it('reads the nearest .vzconf.yaml upward: rules, knownParameters', async () => {
    const dir = await folder('cfg-nearest');
    await mkdir(path.join(dir, 'conf'), { recursive: true });
    await writeFile(path.join(dir, 'conf', '101.conf'), CUSTOM);
    await writeFile(path.join(dir, 'conf', '102.conf'), BAD_KMEM);
    const before = parseJson((await run(['-f', 'json', '--no-config', 'conf'], dir)).out);
    assert.ok(before.some((i) => i.rule === 'unknown-parameter'), JSON.stringify(before));
    await writeFile(path.join(dir, '.vzconf.yaml'), 'knownParameters: [MY_TOOL_ID]\nrules:\n  barrier-above-limit: warning\n');
    const r = await run(['-f', 'json', 'conf'], dir);
    assert.equal(r.code, 0, r.err);
    const items = parseJson(r.out);
    assert.deepEqual(items.filter((i) => i.rule === 'unknown-parameter'), []);
    assert.equal(items.find((i) => i.rule === 'barrier-above-limit')?.severity, 'warning');
  });

  it('flags win over the file: --rule is merged per rule, --target replaces target', async () => {
    const dir = await folder('cfg-precedence');
    await writeFile(path.join(dir, '.vzconf.yaml'), 'target: classic@4.6\nrules:\n  barrier-above-limit: warning\n  unknown-parameter: off\n');
    await writeFile(path.join(dir, '101.conf'), `${BAD_KMEM}MY_TOOL_ID="1"\nIPTABLES="iptable_filter"\n`);
    const fromFile = parseJson((await run(['-f', 'json', '101.conf'], dir)).out);
    assert.deepEqual(fromFile.filter((i) => i.rule === 'deprecated-parameter'), [], 'classic@4.6 from the file: IPTABLES not yet deprecated');
    assert.deepEqual(fromFile.filter((i) => i.rule === 'unknown-parameter'), []);
    const r = await run(['-f', 'json', '--target', 'classic', '--rule', 'barrier-above-limit=error', '101.conf'], dir);
    assert.equal(r.code, 1);
    const items = parseJson(r.out);
    assert.ok(items.some((i) => i.rule === 'deprecated-parameter'), 'the flag replaced the file target');
    assert.equal(items.find((i) => i.rule === 'barrier-above-limit')?.severity, 'error');
    assert.deepEqual(items.filter((i) => i.rule === 'unknown-parameter'), [], 'the file still turns unknown-parameter off');
  });

  it('an invalid .vzconf.yaml lists every problem, one line each, with the --target wording for a target', async () => {
    const dir = await folder('cfg-many');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    await writeFile(path.join(dir, '.vzconf.yaml'), 'target: "clasic@4.6"\nduplicate-parameters: x\nnodeRAM: abc\n');
    const r = await run(['101.conf'], dir);
    assert.equal(r.code, 2);
    const lines = r.err.trimEnd().split('\n').filter((l) => l.includes('invalid configuration'));
    assert.equal(lines.length, 3, r.err);
    assert.match(lines[0] ?? '', /^vzlint: \.vzconf\.yaml:1:9: invalid configuration: target: invalid target "clasic@4\.6": use auto, classic, /);
    assert.doesNotMatch(r.err, /\^\(auto/);
    assert.match(lines[1] ?? '', /^vzlint: \.vzconf\.yaml:2:1: invalid configuration: unknown option "duplicate-parameters"; a rule's level goes under rules:/);
    assert.match(lines[2] ?? '', /^vzlint: \.vzconf\.yaml:3:1: invalid configuration: unknown option "nodeRAM"; did you mean nodeRam\?$/);
    // Bounded: 30 unknown options give 10 lines and a count.
    await writeFile(path.join(dir, '.vzconf.yaml'), Array.from({ length: 30 }, (_, i) => `x${i}: 1`).join('\n') + '\n');
    const many = (await run(['101.conf'], dir)).err.trimEnd().split('\n').filter((l) => l.includes('invalid configuration'));
    assert.equal(many.length, 11);
    assert.match(many[10] ?? '', /and 20 more problems$/);
  });

  it('an invalid .vzconf.yaml stops vzlint with exit 2 and a positioned message', async () => {
    const dir = await folder('cfg-invalid');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    await writeFile(path.join(dir, '.vzconf.yaml'), 'rules:\n  barrier-above-limit: loud\n');
    const bad = await run(['101.conf'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /\.vzconf\.yaml:2:\d+: invalid configuration: rules\.barrier-above-limit: must be one of error, warning, info, hint, off/);
    await writeFile(path.join(dir, '.vzconf.yaml'), 'taget: vz7\n');
    const typo = await run(['101.conf'], dir);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /\.vzconf\.yaml:1:1: invalid configuration: unknown option "taget"/);
    await writeFile(path.join(dir, '.vzconf.yaml'), 'rules: [oops\n');
    const syntax = await run(['101.conf'], dir);
    assert.equal(syntax.code, 2);
    assert.match(syntax.err, /not valid YAML/);
    await writeFile(path.join(dir, '.vzconf.yaml'), 'rules:\n  unknown-paramter: off\n');
    const unknown = await run(['101.conf'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown rule "unknown-paramter"; did you mean unknown-parameter\?/);
    assert.equal((await run(['--no-config', '101.conf'], dir)).code, 0, '--no-config skips it');
  });

  it('--config PATH is used for every file; a missing one is an error', async () => {
    const dir = await folder('cfg-explicit');
    await writeFile(path.join(dir, '101.conf'), CUSTOM);
    await writeFile(path.join(dir, 'audit.yaml'), 'knownParameters: [MY_TOOL_ID]\n');
    const r = await run(['-f', 'json', '--config', 'audit.yaml', '101.conf'], dir);
    assert.deepEqual(parseJson(r.out).filter((i) => i.rule === 'unknown-parameter'), []);
    const missing = await run(['--config', 'nope.yaml', '101.conf'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.yaml.*no such file/);
  });

  it('--config that is not a regular file of at most 64 KiB: exit 2 at once, naming the path', async () => {
    const dir = await folder('cfg-guard');
    await writeFile(path.join(dir, '101.conf'), CLEAN);
    await mkdir(path.join(dir, 'cfgdir'), { recursive: true });
    const asDir = await run(['--config', 'cfgdir', '101.conf'], dir);
    assert.equal(asDir.code, 2);
    assert.equal(asDir.err, 'vzlint: --config: cfgdir: cannot use it as configuration: is a directory, not a file\n');
    const cwd = await run(['--config', '.', '101.conf'], dir);
    assert.equal(cwd.code, 2);
    assert.match(cwd.err, /^vzlint: --config: \.: cannot use it as configuration: is a directory/);
    const zero = await run(['--config', '/dev/zero', '101.conf'], dir);
    assert.equal(zero.code, 2);
    assert.match(zero.err, /^vzlint: --config: \/dev\/zero: cannot use it as configuration: .*not a regular file/);
    await writeFile(path.join(dir, 'huge.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const huge = await run(['--config', 'huge.yaml', '101.conf'], dir);
    assert.equal(huge.code, 2);
    assert.match(huge.err, /^vzlint: --config: huge\.yaml: cannot use it as configuration: too large/);
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
      const fifo = await run(['--config', 'pipe.yaml', '101.conf'], dir);
      assert.equal(fifo.code, 2);
      assert.match(fifo.err, /^vzlint: --config: pipe\.yaml: cannot use it as configuration: is a named pipe/);
    }
    // A .vzconf.yaml found upward that is over 64 KiB (a knownParameters list of 6,000 names) is refused
    // before the yaml package parses it (980 KB took 5.5 s), as an unusable configuration.
    const names = Array.from({ length: 6000 }, (_, i) => `  - MY_PARAM_${i}`).join('\n');
    const list = `knownParameters:\n${names}\n`;
    assert.ok(Buffer.byteLength(list) > MAX_CONFIG_FILE_BYTES);
    await writeFile(path.join(dir, '.vzconf.yaml'), list);
    const long = await run(['101.conf'], dir);
    assert.equal(long.code, 2);
    assert.equal(long.err, `vzlint: .vzconf.yaml: cannot use it as configuration: too large (${Buffer.byteLength(list)} bytes; a .vzconf.yaml is read up to 64 KiB)\n`);
    assert.equal(long.out, '');
    // An invalid file found upward in the working directory itself is named too.
    await writeFile(path.join(dir, '.vzconf.yaml'), 'taget: vz7\n');
    assert.match((await run(['101.conf'], dir)).err, /^vzlint: \.vzconf\.yaml:1:1: invalid configuration/);
  });

  it('--known-parameter adds custom keys', async () => {
    const dir = await folder('known-flag');
    await writeFile(path.join(dir, '101.conf'), CUSTOM);
    const r = await run(['-f', 'json', '--no-config', '--known-parameter', 'MY_TOOL_ID', '101.conf'], dir);
    assert.deepEqual(parseJson(r.out), []);
  });

  it('suppression comments silence findings; --ignore-suppressions / --no-suppressions and the file option report them', async () => {
    const dir = await folder('suppress');
    const text = `# vzconf-disable-next-line barrier-above-limit -- checked with the vendor\n${BAD_KMEM}# vzconf-disable unknown-parameter\nMY_TOOL_ID="1"\n`;
    await writeFile(path.join(dir, '101.conf'), text);
    const quiet = await run(['-f', 'json', '--no-config', '101.conf'], dir);
    assert.equal(quiet.code, 0, quiet.out);
    assert.deepEqual(parseJson(quiet.out), []);
    for (const flag of ['--ignore-suppressions', '--no-suppressions']) {
      const audit = await run(['-f', 'json', '--no-config', flag, '101.conf'], dir);
      assert.equal(audit.code, 0, flag);
      assert.deepEqual(parseJson(audit.out).map((i) => i.rule).sort(), ['barrier-above-limit', 'unknown-parameter'], flag);
    }
    await writeFile(path.join(dir, '.vzconf.yaml'), 'ignoreSuppressions: true\n');
    assert.equal((await run(['101.conf'], dir)).code, 0);
  });

  it('an unknown rule in a suppression is reported with a did-you-mean', async () => {
    const dir = await folder('suppress-unknown');
    await writeFile(path.join(dir, '101.conf'), `# vzconf-disable-next-line unknwn-parameter -- typo\nMY_TOOL_ID="1"\n${CLEAN}`);
    const items = parseJson((await run(['-f', 'json', '--no-config', '101.conf'], dir)).out);
    const u = items.find((i) => i.rule === 'unknown-suppression');
    assert.ok(u, JSON.stringify(items));
    assert.equal(u.severity, 'warning');
    assert.equal(u.line, 1);
    assert.equal(u.column, '# vzconf-disable-next-line '.length + 1);
    assert.match(u.message, /did you mean unknown-parameter/i);
    assert.ok(items.some((i) => i.rule === 'unknown-parameter'), 'the misspelt suppression silences nothing');
  });

  it('node-level findings obey the suppressions of the file they are reported in', async () => {
    const root = path.join(await folder('suppress-node'), 'etc', 'vz');
    await mkdir(path.join(root, 'conf'), { recursive: true });
    await writeFile(path.join(root, 'vz.conf'), 'VE_PRIVATE="/vz/private/$VEID"\n');
    const ct = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nIP_ADDRESS="10.0.0.5"\n';
    await writeFile(path.join(root, 'conf', '101.conf'), ct);
    await writeFile(path.join(root, 'conf', '102.conf'), `# vzconf-disable duplicate-ip-address -- failover pair, never both running\n${ct}`);
    const items = parseJson((await run(['-f', 'json', '--no-config', '.'], path.dirname(path.dirname(root)))).out);
    const dups = items.filter((i) => i.rule === 'duplicate-ip-address').map((i) => path.basename(i.file));
    assert.deepEqual(dups, ['101.conf']);
  });
});
