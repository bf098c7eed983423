/**
 * `vzlint -`: one config read from standard input, through the built CLI (dist/vzlint.js) as a shell or an
 * editor plugin runs it (trial: `vzlint -` answered "-: no such file or directory").
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { JsonFinding } from '../../server/src/cli/format';
import { MAX_FILE_BYTES } from '../../server/src/limits';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'dist', 'vzlint.js');
const skip = existsSync(bin) && existsSync(path.join(root, 'dist', 'vzlint-core.js')) ? false : 'dist/vzlint.js is not built (npm test builds it)';

describe('vzlint - (standard input), through the built CLI', { skip }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'vzconf-stdin-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[], input: string | Buffer, cwd = tmp) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const BAD = 'ONBOOT="maybe"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n';

  it('lints what it reads as <stdin>, with the exit status of a file', () => {
    const r = run(['--format', 'json', '-'], BAD);
    assert.equal(r.code, 1, r.err);
    const items = JSON.parse(r.out) as JsonFinding[];
    assert.deepEqual(items.map((i) => [i.file, i.line, i.rule]), [['<stdin>', 1, 'invalid-value']]);
    const stylish = run(['-'], 'ONBOOT="yes"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n');
    assert.equal(stylish.code, 0, stylish.err + stylish.out);
  });

  it('--stdin-filename names it: kind and template from the name, its .vzconf.yaml and its node vz.conf are used', () => {
    const node = path.join(tmp, 'node');
    mkdirSync(path.join(node, 'conf'), { recursive: true });
    writeFileSync(path.join(node, '.vzconf.yaml'), 'target: classic@4.6\n');
    writeFileSync(path.join(node, 'vz.conf'), 'DISK_QUOTA=no\n');
    // Kind from the name (a vz.conf by content would be a container here), output under that name.
    const asNode = run(['--stdin-filename', 'node/vz.conf', '-'], 'DISK_QUOTA="maybe"\n');
    assert.match(asNode.out, /^node\/vz\.conf \[node, classic@4\.6\]$/m, asNode.out);
    // The target of node/.vzconf.yaml, in the heading.
    const ct = run(['--stdin-filename', 'node/conf/101.conf', '-'], 'DISKSPACE="1G:1G"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n');
    assert.match(ct.out, /^node\/conf\/101\.conf \[container, classic@4\.6\]$/m, ct.out);
    // vz.conf's DISK_QUOTA=no reaches the container, as for a file there.
    assert.match(ct.out, /DISKSPACE not enforced if simfs: DISK_QUOTA=no in vz\.conf line 1/, ct.out);
    // A template by name: a conditional value is not judged.
    const tpl = run(['--verbose', '--stdin-filename', 'tpl/102.conf.j2', '-'], 'ONBOOT="{% if a %}yes{% else %}no{% endif %}"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:1G"\n');
    assert.equal(tpl.code, 0, tpl.out);
    assert.match(tpl.out, /^tpl\/102\.conf\.j2 \[container, classic@4\.11\.1, template\]/m, tpl.out);
  });

  it('bounded like a file: beyond the size limit one file-too-large finding, and an endless stream is not read to its end', () => {
    // 5 MiB: the stream is left after the limit, so its size is not known and the message says "more than".
    const big = Buffer.alloc(5 * 1024 * 1024, 0x23);
    const r = run(['--format', 'json', '-'], big);
    const items = JSON.parse(r.out) as JsonFinding[];
    assert.deepEqual(items.map((i) => [i.rule, i.message]), [['file-too-large', 'File of more than 4.0 MiB not checked: vzconf checks config files up to 4.0 MiB']]);
    assert.equal(MAX_FILE_BYTES, 4 * 1024 * 1024);
    const endless = spawnSync('sh', ['-c', `yes '#' | "${process.execPath}" "${bin}" --format json -`], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
    assert.equal(endless.signal, null, 'vzlint - stopped reading an endless stream');
    assert.deepEqual((JSON.parse(endless.stdout) as JsonFinding[]).map((i) => i.rule), ['file-too-large']);
  });

  it('--fix and --fix-dry-run are refused (nothing to write), as are - with other PATHs and --stdin-filename alone; names are escaped', () => {
    for (const args of [['--fix', '-'], ['--fix-dry-run', '-'], ['-', 'x.conf'], ['--stdin-filename', 'a.conf', 'b.conf']]) {
      const r = run(args, BAD);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '');
      assert.match(r.err, /^vzlint: .*(standard input|PATH -)/, r.err);
      assert.ok(r.err.split('\n')[0]!.length <= 100 + 'vzlint: '.length, r.err);
    }
    const hostile = run(['--stdin-filename', 'a\u001b[31m.conf', '-'], BAD);
    assert.ok(!hostile.out.includes('\u001b'), JSON.stringify(hostile.out));
  });
});
