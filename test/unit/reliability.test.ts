/**
 * Issue 11, engine and CLI: every input of the issue that is about crashes, memory, hangs, terminal
 * injection and wrong results of vzlint is a test here.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatStylish } from '../../server/src/cli/format';
import { escapeMessage, internalErrorLines } from '../../server/src/cli/vzlint';
import { MAX_FILE_BYTES, MAX_FINDINGS_PER_FILE, MAX_MESSAGE_CHARS, capText } from '../../server/src/limits';
import { lint } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { escapeControls, hasControls } from '../../server/src/util/escape';
import { visible } from '../../server/src/rules/text';
import { runCaptured as run } from '../helpers/vzlint';

const CT = '/etc/vz/conf/101.conf';
const ROOT = path.resolve(__dirname, '..', '..');
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vzconf-rel-'));
  await chmod(tmp, 0o755);
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function folder(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
}

const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

describe('crashes and memory: inputs that used to overflow the stack or the heap', () => {
  it('a 400 KB file of backticks lints without throwing', () => {
    const r = lint('`'.repeat(400_000), { path: CT });
    assert.ok(r.findings.length > 0);
  });

  it('200,000 short lines: findings are capped at 10,000 and one finding says how many were left out', () => {
    const r = lint('x\n'.repeat(200_000), { path: CT });
    assert.equal(r.findings.length, MAX_FINDINGS_PER_FILE + 1);
    const more = r.findings.find((f) => f.rule === 'too-many-findings');
    assert.ok(more, 'too-many-findings is reported');
    assert.match(more.message, /^190001 more findings not shown/);
    assert.deepEqual(more.range.start, { line: 0, character: 0 });
  });

  it('more than 120,000 findings (backtick assignments): no stack overflow, capped', () => {
    const r = lint('A=`\n'.repeat(100_000), { path: CT });
    assert.equal(r.findings.length, MAX_FINDINGS_PER_FILE + 1);
    assert.ok(r.findings.some((f) => f.rule === 'too-many-findings'));
  });

  it('a 5 MB single line: one file-too-large finding, nothing parsed', () => {
    const text = `X="${'a'.repeat(5 * 1024 * 1024)}"`;
    const r = lint(text, { path: CT });
    assert.deepEqual(r.findings.map((f) => f.rule), ['file-too-large']);
    assert.match(r.findings[0]?.message ?? '', /5\.0 MiB.*up to 4\.0 MiB/);
    assert.equal(r.doc.entries.length, 0);
  });

  it('the limit counts UTF-8 bytes: 1.5 M three-byte characters are over 4 MiB', () => {
    assert.ok('€'.repeat(1_500_000).length < MAX_FILE_BYTES);
    assert.deepEqual(lint(`X="${'€'.repeat(1_500_000)}"`, { path: CT }).findings.map((f) => f.rule), ['file-too-large']);
  });

  it('file-too-large and too-many-findings obey rule overrides', () => {
    const big = 'x'.repeat(MAX_FILE_BYTES + 1);
    assert.deepEqual(lint(big, { path: CT, rules: { 'file-too-large': 'off' } }).findings, []);
    assert.equal(lint(big, { path: CT, rules: { 'file-too-large': 'warning' } }).findings[0]?.severity, 'warning');
    const many = lint('x\n'.repeat(20_000), { path: CT, rules: { 'too-many-findings': 'off' } }).findings;
    assert.equal(many.length, MAX_FINDINGS_PER_FILE);
  });

  it('quoted text per message is capped: a 1 MB value gives a short message', () => {
    const r = lint(`${VSWAP}ONBOOT="${'y'.repeat(1024 * 1024)}"\nKMEMSIZE="${'9'.repeat(200_000)}:x"\n`, { path: CT });
    assert.ok(r.findings.length >= 2);
    for (const f of r.findings) assert.ok(f.message.length <= MAX_MESSAGE_CHARS, `${f.rule}: ${f.message.length} characters`);
  });

  it('capText keeps both ends and never splits a surrogate pair', () => {
    const s = capText(`${'😀'.repeat(300)}END`, 101);
    assert.ok(s.length <= 101);
    assert.ok(s.endsWith('END'));
    assert.ok(!hasControls(s), 'no lone surrogate left');
  });

  it('a node with a too-large container still checks the others', () => {
    const r = lintNode({ containers: [{ path: '/n/conf/101.conf', text: '', sizeBytes: 50 * 1024 * 1024 }, { path: '/n/conf/102.conf', text: `${VSWAP}ONBOOT="maybe"\n` }] });
    assert.deepEqual(r.files[0]?.findings.map((f) => f.rule), ['file-too-large']);
    assert.match(r.files[0]?.findings[0]?.message ?? '', /50\.0 MiB/);
    assert.ok(r.files[1]?.findings.some((f) => f.rule === 'invalid-value'));
  });
});

describe('escapeControls', () => {
  it('escapes C0, DEL, C1 and bidi controls; keeps printable text', () => {
    assert.equal(escapeControls('a\u001b[2Jb\r\u0007\u009b\u007f\u202e'), 'a\\u001b[2Jb\\r\\u0007\\u009b\\u007f\\u202e');
    // The same form as finding messages (rules/text.ts visible): one byte reads the same everywhere.
    for (const c of ['\u0000', '\u0007', '\t', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u202e']) assert.equal(escapeControls(c), visible(c), JSON.stringify(c));
    assert.equal(escapeControls('Grüße 😀 – ok'), 'Grüße 😀 – ok');
    assert.equal(escapeControls('a\nb', { keepNewlines: true }), 'a\nb');
    assert.equal(escapeControls('a\nb'), 'a\\nb');
    assert.ok(hasControls('\u0085') && !hasControls('x'));
  });
});

describe('vzlint: hangs', () => {
  it('a FIFO given as a file is refused at once (it stands for /proc/kmsg), the other files are checked', { timeout: 20_000 }, async () => {
    const dir = await folder('fifo-file');
    mkfifo(path.join(dir, 'kmsg'));
    await writeFile(path.join(dir, '102.conf'), `${VSWAP}ONBOOT="maybe"\n`);
    const r = await run(['--no-config', 'kmsg', '102.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /^vzlint: kmsg: is a named pipe, not a regular file$/m);
    assert.match(r.out, /102\.conf/);
    assert.match(r.out, /invalid-value/);
    assert.doesNotMatch(r.out, /no problems/);
  });

  it('--node-config naming a FIFO is refused, not waited on', { timeout: 20_000 }, async () => {
    const dir = await folder('fifo-node');
    mkfifo(path.join(dir, 'vz.conf'));
    await writeFile(path.join(dir, '101.conf'), VSWAP);
    const r = await run(['--no-config', '--node-config', 'vz.conf', '101.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--node-config: vz\.conf: is a named pipe, not a regular file/);
  });

  it("nodeConfig of a repository's .vzconf.yaml naming a FIFO is refused, not waited on", { timeout: 20_000 }, async () => {
    const dir = await folder('fifo-yaml');
    mkfifo(path.join(dir, 'pipe'));
    await writeFile(path.join(dir, '.vzconf.yaml'), 'nodeConfig: pipe\n');
    await writeFile(path.join(dir, '101.conf'), VSWAP);
    const r = await run(['101.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /nodeConfig: .*pipe: is a named pipe, not a regular file/);
  });

  it('a FIFO named vz.conf beside conf/ is not read as the node config, and said (vzctl would block on it)', { timeout: 20_000 }, async () => {
    const dir = await folder('fifo-beside');
    await mkdir(path.join(dir, 'conf'));
    mkfifo(path.join(dir, 'vz.conf'));
    await writeFile(path.join(dir, 'conf', '101.conf'), VSWAP);
    const r = await run(['--no-config', 'conf/101.conf'], dir);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err, 'vzlint: vz.conf: cannot read the node config: is a named pipe, not a regular file\n');
  });

  it('/proc/kmsg and /dev/zero are refused by name, without reading', { timeout: 20_000 }, async () => {
    const r = await run(['--no-config', '/proc/kmsg', '/dev/zero'], tmp);
    assert.equal(r.code, 2);
    if (existsSync('/proc/kmsg')) assert.match(r.err, /\/proc\/kmsg: is a kernel pseudo-file/);
    assert.match(r.err, /\/dev\/zero: is a character device, not a regular file/);
  });

  it('a 5 MB file on disk gives one file-too-large finding (exit 1), and is not read whole', async () => {
    const dir = await folder('big');
    await writeFile(path.join(dir, '101.conf'), `X="${'a'.repeat(5 * 1024 * 1024)}"\n`);
    const r = await run(['--no-config', '--format', 'json', '101.conf'], dir);
    assert.equal(r.code, 1, r.err);
    const items = JSON.parse(r.out) as { rule: string; message: string }[];
    assert.deepEqual(items.map((i) => i.rule), ['file-too-large']);
    assert.match(items[0]?.message ?? '', /5\.0 MiB/);
  });
});

describe('vzlint: control characters from files never reach the terminal raw', () => {
  it('escape sequences in values and file names are shown escaped (stylish, stderr)', async () => {
    const dir = await folder('inject');
    const evilName = 've-\u001b]0;pwned\u0007.conf-sample';
    await writeFile(path.join(dir, evilName), `${VSWAP}X\u001b[2J\u001b[1A=1\nONBOOT="yes\u009b31m"\nHOSTNAME="a\rb"\n`);
    const r = await run(['--no-config', '--no-color', evilName, 'missing\u001b[2K.conf'], dir);
    assert.equal(r.code, 2);
    assert.ok(!hasControls(r.out, { allowNewlines: true }), `stdout: ${JSON.stringify(r.out)}`);
    assert.ok(!hasControls(r.err, { allowNewlines: true }), `stderr: ${JSON.stringify(r.err)}`);
    assert.match(r.out, /ve-\\u001b\]0;pwned\\u0007\.conf-sample/);
    assert.match(r.err, /missing\\u001b\[2K\.conf/);
    // A file name and a finding message quoting the file's text escape a byte the same way.
    assert.match(r.out, /\\u009b31m/);
    assert.doesNotMatch(`${r.out}${r.err}`, /\\x[0-9a-f]{2}/);
  });

  it('a line break in a file name on stderr stays inside its message (no forged ::error workflow command)', async () => {
    const dir = await folder('inject-lf');
    await mkdir(path.join(dir, 'conf'), { recursive: true });
    await writeFile(path.join(dir, 'conf', '101.conf'), VSWAP);
    const r = await run(['--no-config', '--no-color', 'conf/101.conf', 'nope\n::error title=forged::pwned\r\n::stop-commands::x'], dir);
    assert.equal(r.code, 2);
    const lines = r.err.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0 && lines.every((l) => l.startsWith('vzlint: ')), JSON.stringify(r.err));
    assert.match(r.err, /nope\\n::error title=forged::pwned\\r\\n::stop-commands::x: /);
  });

  it('an internal error is one escaped message line, then its stack frames', () => {
    const err = new Error('bad file a\n::error::forged\u001b[2J');
    const lines = internalErrorLines('x\ny.conf', err).map(escapeMessage);
    assert.match(lines[0] ?? '', /^vzlint: x\\ny\.conf: internal error: Error: bad file a\\n::error::forged\\u001b\[2J\n$/);
    assert.ok(lines.slice(1).every((l) => /^\s+at .*\n$/.test(l) && !l.slice(0, -1).includes('\n')), lines.join(''));
  });

  it('formatStylish escapes file names and messages; colours are its own', () => {
    const out = formatStylish([{ file: 'a\u001b[31m', kind: 'container', target: lint('', { path: CT }).target, findings: [{ rule: 'x', severity: 'error', message: 'm\u0007\u001b]0;t', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] }], { color: false });
    assert.ok(!hasControls(out, { allowNewlines: true }), out);
  });
});

describe('vzlint: results after errors are never "no problems"', () => {
  it('exit 2 with nothing found prints no ✔ summary', async () => {
    const r = await run(['--no-config', '--no-color', 'nonexistent.conf'], tmp);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.out, /✔|no problems \(/);
    // Nothing failed to read: the PATH matched no file, and the summary says so.
    assert.equal(r.out, '✖ no OpenVZ / Virtuozzo config files found (see the error above)\n');
  });

  it('a directory without config files is "no config files found", not "incomplete"', async () => {
    const dir = await folder('no-configs');
    await writeFile(path.join(dir, 'notes.txt'), 'not a config\n');
    const r = await run(['--no-config', '--no-color', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /no files matching "\." \(no OpenVZ \/ Virtuozzo config files/);
    assert.equal(r.out, '✖ no OpenVZ / Virtuozzo config files found (see the error above)\n');
  });

  it('a file that cannot be read makes the summary "incomplete", beside the files checked', async () => {
    const dir = await folder('unread');
    await writeFile(path.join(dir, '101.conf'), VSWAP);
    spawnSync('mkfifo', [path.join(dir, '102.conf')]);
    const r = await run(['--no-config', '--no-color', '101.conf', '102.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /102\.conf: .*named pipe/);
    assert.equal(r.out, '✖ incomplete: 0 problems in 1 file checked; some files could not be read (see the error above)\n');
  });
});

describe('vzlint: command-line details', () => {
  it('--node-config given a directory says so (no internal code)', async () => {
    const dir = await folder('nodecfg-dir');
    await writeFile(path.join(dir, '101.conf'), VSWAP);
    const r = await run(['--no-config', '--node-config', '.', '101.conf'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'vzlint: --node-config: .: is a directory, not a file\n');
  });

  it("--config '' is a clear error", async () => {
    const r = await run(['--config', '', 'x.conf'], tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /^vzlint: --config: the path is empty/);
  });

  it("commander's own errors carry the vzlint: prefix", async () => {
    for (const argv of [['--bogus', 'x'], [], ['--format', 'xml', 'x'], ['--target']]) {
      const r = await run(argv, tmp);
      assert.equal(r.code, 2);
      assert.match(r.err, /^vzlint: /, JSON.stringify(r.err));
      assert.doesNotMatch(r.err, /^error:/m);
    }
  });

  it("--known-parameter 'a b=c' is refused; a plain key is accepted", async () => {
    const dir = await folder('known');
    await writeFile(path.join(dir, '101.conf'), `${VSWAP}MY_KEY="1"\n`);
    const bad = await run(['--no-config', '--known-parameter', 'a b=c', '101.conf'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--known-parameter: "a b=c" is not a parameter name/);
    const good = await run(['--no-config', '--format', 'json', '--known-parameter', 'MY_KEY', '101.conf'], dir);
    assert.ok(!good.out.includes('unknown-parameter'), good.out);
  });
});

/** How to run a command as user nobody (CI runs as root), or undefined when it cannot be done here. */
function asNobody(): string[] | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const cmd of [['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'], ['runuser', '-u', 'nobody', '--']]) {
    const probe = spawnSync(cmd[0] as string, [...cmd.slice(1), 'true']);
    if (probe.status === 0) return cmd;
  }
  return undefined;
}

describe('vzlint: unreadable folders', () => {
  const nobody = asNobody();
  const vzlint = path.join(ROOT, 'dist', 'vzlint.js');
  // A clone inside a folder only root may enter (e.g. mktemp -d, mode 0700) keeps nobody from the bundle.
  const reachable = nobody !== undefined && spawnSync(nobody[0] as string, [...nobody.slice(1), process.execPath, '-e', 'require("fs").accessSync(process.argv[1], 4)', vzlint]).status === 0;
  const skip = nobody === undefined ? 'needs root and setpriv or runuser to run vzlint as another user' : !existsSync(vzlint) ? 'needs the build (npm test builds dist/vzlint.js)' : !reachable ? 'user nobody cannot read dist/vzlint.js here (the clone sits in a folder only root may enter)' : false;
  const runAs = (args: string[], cwd: string) => spawnSync((nobody as string[])[0] as string, [...(nobody as string[]).slice(1), process.execPath, vzlint, '--no-color', '--no-config', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });

  it("a node's conf/ that cannot be read is an error (exit 2) naming it", { skip }, async () => {
    const dir = await folder('locked-conf');
    await mkdir(path.join(dir, 'conf'));
    await writeFile(path.join(dir, 'vz.conf'), 'VE_ROOT=/vz/root/$VEID\n');
    await writeFile(path.join(dir, 'conf', '101.conf'), VSWAP);
    await chmod(path.join(dir, 'conf'), 0o000);
    const r = runAs(['vz.conf'], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /conf: cannot read the node's conf\/ folder: permission denied/);
    assert.doesNotMatch(r.stdout, /no problems/);
  });

  it('a directory given on the command line that cannot be read is an error naming it', { skip }, async () => {
    const dir = await folder('locked-arg');
    await mkdir(path.join(dir, 'locked'));
    await chmod(path.join(dir, 'locked'), 0o000);
    const r = runAs(['locked'], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^vzlint: locked: cannot read the directory: permission denied$/m);
  });

  it('a folder met while searching that cannot be read is a warning on stderr; the rest is checked', { skip }, async () => {
    const dir = await folder('locked-sub');
    await mkdir(path.join(dir, 'tree', 'a', 'conf'), { recursive: true });
    await mkdir(path.join(dir, 'tree', 'secret'), { recursive: true });
    await writeFile(path.join(dir, 'tree', 'a', 'conf', '101.conf'), `${VSWAP}ONBOOT="maybe"\n`);
    await chmod(path.join(dir, 'tree', 'secret'), 0o000);
    const r = runAs(['tree'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^vzlint: warning: tree\/secret: folder skipped, cannot read it: permission denied$/m);
    assert.match(r.stdout, /101\.conf/);
  });
});

describe('lone CR: lint what vzctl and sh read', () => {
  it('NETFILTER="full"\\rIPTABLES=…: one line for vzctl with an invalid value; IPTABLES is no setting', () => {
    const r = lint(`${VSWAP}NETFILTER="full"\rIPTABLES="iptable_filter"\n`, { path: CT });
    const rules = r.findings.map((f) => f.rule);
    assert.ok(rules.includes('lone-carriage-return'), rules.join(', '));
    assert.ok(rules.includes('invalid-value'), `NETFILTER's value runs past the CR: ${rules.join(', ')}`);
    assert.ok(!rules.includes('deprecated-parameter'), 'IPTABLES is not a line of its own for vzctl');
    const cr = r.findings.find((f) => f.rule === 'lone-carriage-return');
    // In the editor's numbering (a lone CR breaks the line there): from the end of line 3 to the start of line 4.
    assert.deepEqual(cr?.range, { start: { line: 2, character: 16 }, end: { line: 3, character: 0 } });
    assert.equal(r.doc.text.length, 4, 'vzctl sees three lines and the empty end');
  });

  it('ONBOOT="yes"\\r$(cmd): sh runs cmd when sourcing the file; reported on the editor line of $(cmd)', () => {
    const r = lint(`${VSWAP}ONBOOT="yes"\r$(reboot)\n`, { path: CT });
    const unsafe = r.findings.find((f) => f.rule === 'shell-unsafe-value');
    assert.ok(unsafe, r.findings.map((f) => f.rule).join(', '));
    assert.equal(unsafe.range.start.line, 3, 'on the line the editor shows $(reboot) on');
    assert.ok(r.findings.some((f) => f.rule === 'lone-carriage-return'));
    assert.ok(!r.findings.some((f) => f.rule === 'missing-equals'), '$(reboot) is not a line of its own');
  });

  it('ranges after lone CRs stay inside the editor document; fixes are offered one by one', () => {
    const text = `A=1\r\rB="x\ry"\rKMEMSIZE="2:1"\nC=2\r`;
    const r = lint(text, { path: CT });
    const editorLines = text.split(/\r\n|\r|\n/);
    for (const f of r.findings) {
      for (const p of [f.range.start, f.range.end]) {
        assert.ok(p.line < editorLines.length && p.character <= (editorLines[p.line] ?? '').length, `${f.rule} at ${JSON.stringify(p)}`);
      }
    }
    const crs = r.findings.filter((f) => f.rule === 'lone-carriage-return');
    assert.equal(crs.length, 5);
    assert.ok(crs.every((f) => f.fixes?.every((x) => !x.safe)));
  });
});
