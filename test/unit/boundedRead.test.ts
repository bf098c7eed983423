/**
 * The bounded file reader (server/src/util/boundedRead.ts): never hangs on a FIFO, a device or a /proc
 * file, never reads more than asked, gives up after its time bound.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedReadError, readFileBounded, readTextBounded, type BoundedReadFs } from '../../server/src/util/boundedRead';
import { readConfigFile } from '../../server/src/service/nodeFiles';

const posix = process.platform !== 'win32';

describe('readFileBounded', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vzconf-bounded-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const refused = async (p: string, code: string, detail: RegExp, maxBytes = 1024): Promise<void> => {
    const err = await readFileBounded(p, { maxBytes, timeoutMs: 2_000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof BoundedReadError, `${p} must be refused, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.detail, detail);
    assert.ok(err.message.startsWith(`${p}: `));
  };

  it('reads a regular file, BOM and invalid UTF-8 kept visible', async () => {
    const p = path.join(dir, 'ok.conf');
    await writeFile(p, Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x3d, 0xff, 0x0a]));
    assert.equal(await readTextBounded(p, { maxBytes: 100 }), '\ufeffA=\ufffd\n');
  });

  it('refuses a missing path, a directory and a file over the limit without reading it', async () => {
    await refused(path.join(dir, 'nope.conf'), 'missing', /no such file/);
    await mkdir(path.join(dir, 'sub.conf'));
    await refused(path.join(dir, 'sub.conf'), 'directory', /is a directory/);
    const big = path.join(dir, 'big.conf');
    await writeFile(big, 'x'.repeat(2000));
    await refused(big, 'too-large', /too large \(2000 bytes; at most 1024/);
  });

  it('refuses a named pipe at once (a read would wait for a writer forever)', { skip: !posix }, async () => {
    const fifo = path.join(dir, 'fifo.conf');
    execFileSync('mkfifo', [fifo]);
    const t = Date.now();
    await refused(fifo, 'special', /named pipe/);
    assert.ok(Date.now() - t < 1_500, 'no waiting on the pipe');
  });

  it('refuses character devices and kernel pseudo-files: /dev/zero, /proc/self/status, /sys', { skip: !posix || !existsSync('/proc/self/status') }, async () => {
    await refused('/dev/zero', 'special', /character device/);
    await refused('/proc/self/status', 'pseudo', /kernel pseudo/);
    if (existsSync('/sys/kernel/mm/transparent_hugepage/enabled')) await refused('/sys/kernel/mm/transparent_hugepage/enabled', 'pseudo', /kernel pseudo/);
    // Through a symbolic link too.
    const link = path.join(dir, 'status.conf');
    execFileSync('ln', ['-s', '/proc/self/status', link]);
    await refused(link, 'pseudo', /kernel pseudo/);
  });

  it('gives up after its time bound when a read blocks (simulated: the read never returns)', async () => {
    const p = path.join(dir, 'slow.conf');
    await writeFile(p, 'A=1\n');
    const slowFs: BoundedReadFs = {
      stat: (await import('node:fs/promises')).stat,
      realpath: (await import('node:fs/promises')).realpath,
      open: (async (...args: Parameters<typeof open>) => {
        const h = await open(...args);
        // A handle whose read never settles, as a read of /proc/kmsg as root.
        return new Proxy(h, { get: (t, k) => (k === 'read' ? () => new Promise(() => undefined) : (Reflect.get(t, k) as unknown as (...a: unknown[]) => unknown)?.bind?.(t) ?? Reflect.get(t, k)) });
      }) as typeof open,
    };
    const t = Date.now();
    const err = await readFileBounded(p, { maxBytes: 100, timeoutMs: 200 }, slowFs).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof BoundedReadError && err.code === 'timeout', String(err));
    assert.ok(Date.now() - t < 2_000);
  });

  it('readConfigFile (node files) reports the reason instead of throwing', async () => {
    const r = await readConfigFile(path.join(dir, 'missing.conf'));
    assert.ok('error' in r && r.error.code === 'missing');
  });
});
