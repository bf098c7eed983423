/**
 * The size limit (limits.ts MAX_FILE_BYTES) is on a file's bytes as read, not on its text after UTF-8
 * decoding: a Latin-1 file of 3,000,000 bytes decodes to a text of about 9 MB of UTF-8 (each invalid byte
 * becomes U+FFFD, three bytes) and is still checked; a file above the limit is reported with its size in
 * bytes. The language server has only a document's text, and its message says what it measured.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerFile } from '../../server/src/cli/lintWorker';
import { ConfigReader, decodeUtf8 } from '../../server/src/cli/read';
import { MAX_FILE_BYTES } from '../../server/src/limits';
import { lint } from '../../server/src/service/lint';
import { NodeLinter } from '../../server/src/service/node';
import { runCaptured as run } from '../helpers/vzlint';

const VSWAP = 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n';

/** A container config of exactly `size` bytes whose comment is Latin-1 `é` (0xE9, invalid UTF-8). */
function latin1Config(size: number): Buffer {
  const head = Buffer.from(`${VSWAP}# `, 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - 1, 0xe9), Buffer.from('\n')]);
}

describe('file-too-large judges the file\'s bytes, not its decoded text', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vzlint-size-bytes-'));
    await mkdir(path.join(root, 'vz/conf'), { recursive: true });
    await writeFile(path.join(root, 'vz/vz.conf'), latin1Config(3_000_000));
    await writeFile(path.join(root, 'vz/conf/502.conf'), latin1Config(3_000_000));
    await writeFile(path.join(root, 'big.conf'), latin1Config(5_000_000));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('the decoded text of the 3,000,000-byte file is beyond the limit in UTF-8 (the trial\'s case)', () => {
    assert.ok(Buffer.byteLength(decodeUtf8(latin1Config(3_000_000)), 'utf8') > MAX_FILE_BYTES);
  });

  it('vzlint checks a 3,000,000-byte non-UTF-8 container config and node config, named or in a folder', async () => {
    for (const args of [['vz/conf/502.conf'], ['vz'], ['vz/vz.conf']]) {
      const r = await run(['--format', 'json', ...args], root);
      const items = JSON.parse(r.out) as { file: string; rule: string; message: string }[];
      assert.deepEqual(items.filter((i) => i.rule === 'file-too-large'), [], `${args.join(' ')}: ${r.out}`);
    }
  });

  it('a worker thread\'s answer lints it with its byte size too', async () => {
    const linter = new NodeLinter(undefined, undefined, { lintNodeConfig: false, compact: true });
    const answer = await answerFile(linter, undefined, new ConfigReader(), path.join(root, 'vz/conf/502.conf'));
    assert.ok('linted' in answer, Object.keys(answer).join());
    assert.deepEqual(answer.linted.findings.filter((f) => f.rule === 'file-too-large'), []);
  });

  it('a 5,000,000-byte file is reported with its size on disk', async () => {
    const r = await run(['--format', 'json', 'big.conf'], root);
    const items = JSON.parse(r.out) as { rule: string; message: string }[];
    assert.deepEqual(items.map((i) => [i.rule, i.message]), [['file-too-large', 'File of 4.8 MiB not checked: vzconf checks config files up to 4.0 MiB']]);
  });

  it('the engine without the file\'s size (the language server\'s document) judges and names the UTF-8 length', () => {
    const text = decodeUtf8(latin1Config(3_000_000));
    const doc = lint(text, { path: '/vz/conf/502.conf' }).findings;
    assert.deepEqual(doc.map((f) => [f.rule, f.message]), [['file-too-large', `Text of 8.6 MiB in UTF-8 not checked: vzconf checks config files up to 4.0 MiB`]]);
    const asRead = lint(text, { path: '/vz/conf/502.conf', sizeBytes: 3_000_000 }).findings;
    assert.ok(!asRead.some((f) => f.rule === 'file-too-large'));
  });
});
