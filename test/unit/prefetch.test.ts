/**
 * The reading thread of large vzlint runs (server/src/cli/read.ts Prefetcher, readerWorker.ts): it reads
 * exactly what the main thread's own synchronous reads would (regular files of a local disk, no symbolic
 * link), leaves everything else to the bounded reader (which words the error), and answers each path once.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigReader, Prefetcher } from '../../server/src/cli/read';
import { CLAIM_MAIN, CLAIM_READER } from '../../server/src/cli/readerProtocol';
import { READER_BATCH_BYTES, runReader, type ReadAnswer, type ReadRequest } from '../../server/src/cli/readerWorker';

let dir = '';
const files: string[] = [];

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vzconf-prefetch-'));
  // More files than one request holds (128), so that several batches go out and come back.
  for (let i = 0; i < 300; i += 1) {
    const p = path.join(dir, `${100 + i}.conf`);
    writeFileSync(p, `# CT ${100 + i}\nHOSTNAME="ct${i}.example.com"\nIP_ADDRESS="10.0.${i >> 8}.${i & 255}"\n`);
    files.push(p);
  }
  symlinkSync(files[0] as string, path.join(dir, 'link.conf'));
  mkdirSync(path.join(dir, 'sub.conf'));
  execFileSync('mkfifo', [path.join(dir, 'fifo.conf')]);
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('Prefetcher: files read ahead on a thread of their own', () => {
  it('answers every regular file with its bytes, in any order asked, each path once', async () => {
    const list = [...files, path.join(dir, 'missing.conf')];
    // Every batch from the thread (no batch taken over by the caller: see the take-over tests below).
    const p = new Prefetcher(list, { takeOver: false });
    try {
      // Asked out of order: the last batch first, then the rest backwards.
      const order = [...files].reverse();
      for (const f of order) {
        const ahead = p.take(f);
        assert.ok(ahead, `${f} is listed`);
        const bytes = await ahead;
        assert.ok(bytes, `${f} was read`);
        assert.equal(Buffer.from(bytes).toString('utf8'), readFileSync(f, 'utf8'));
      }
      assert.equal(p.take(files[0] as string), undefined, 'a path is answered once');
      assert.equal(p.take(path.join(dir, 'not-listed.conf')), undefined, 'a path not listed is not answered');
      assert.equal(await p.take(path.join(dir, 'missing.conf')), undefined, 'a missing file is left to the caller');
    } finally {
      await p.close();
    }
  });

  it('once a batch\'s answer has come, its other files are answered at once (the bytes, not a promise), each its own', async () => {
    const p = new Prefetcher(files, { takeOver: false });
    try {
      assert.ok(await p.take(files[0] as string));
      for (const f of files.slice(1, 100)) {
        const ahead = p.take(f);
        assert.ok(Buffer.isBuffer(ahead), `${f}: answered at once`);
        assert.equal(ahead.toString('utf8'), readFileSync(f, 'utf8'));
      }
      // Through ConfigReader.readNow: the text at once.
      const reader = new ConfigReader();
      reader.prefetch(files, 1);
      try {
        const first = await reader.readNow(files[200] as string);
        assert.ok('text' in first);
        const next = reader.readNow(files[201] as string);
        assert.ok(!(next instanceof Promise) && 'text' in next && next.text === readFileSync(files[201] as string, 'utf8'));
      } finally {
        await reader.close();
      }
    } finally {
      await p.close();
    }
  });

  it('taken in the list\'s order, then out of it: each file its own bytes, once', async () => {
    const p = new Prefetcher(files, { takeOver: false });
    const text = async (f: string): Promise<string | undefined> => {
      const bytes = await p.take(f);
      return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
    };
    try {
      for (const f of files.slice(0, 150)) assert.equal(await text(f), readFileSync(f, 'utf8'), f);
      assert.equal(p.take(path.join(dir, 'not-listed.conf')), undefined, 'a path not listed is not answered');
      for (const f of [files[299], files[150], files[200]] as string[]) assert.equal(await text(f), readFileSync(f, 'utf8'), f);
      for (const f of [files[10], files[150], files[299]] as string[]) assert.equal(p.take(f), undefined, `${f} was taken already`);
      for (const f of files.slice(151, 200)) assert.equal(await text(f), readFileSync(f, 'utf8'), f);
    } finally {
      await p.close();
    }
  });

  it('started before its list is known (ConfigReader.prepare): the same texts; a path read apart is not taken from it', async () => {
    const plain = new ConfigReader();
    const ahead = new ConfigReader();
    ahead.prepare(files.length, 1);
    try {
      // Read apart (a node config) before the list: read here.
      assert.deepEqual(await ahead.readApart(files[0] as string), await plain.read(files[0] as string));
      ahead.prefetch(files.slice(1), 1);
      for (const f of files.slice(1)) assert.deepEqual(await ahead.read(f), await plain.read(f), f);
    } finally {
      await ahead.close();
    }
  });

  it('a batch the thread has not started on is the caller\'s to read: each batch read by one side only, every file once', async () => {
    // Taken as a run takes them, from the start (the thread is still starting): the first batches are
    // taken over (answered undefined at once: the caller reads them), later ones come from the thread.
    // Which batches go which way depends on the thread's speed; what must hold whatever it is: a batch is
    // wholly one side's, and the thread's bytes are the file's.
    for (let round = 0; round < 3; round += 1) {
      const p = new Prefetcher(files);
      try {
        const side: ('caller' | 'thread')[] = [];
        for (const [i, f] of files.entries()) {
          const ahead = p.take(f);
          const bytes = ahead instanceof Promise ? await ahead : ahead;
          const who = bytes === undefined ? 'caller' : 'thread';
          if (bytes) assert.equal(bytes.toString('utf8'), readFileSync(f, 'utf8'), f);
          const batch = Math.floor(i / 128);
          if (side[batch] === undefined) side[batch] = who;
          else assert.equal(who, side[batch], `${f}: its batch ${batch} is the ${side[batch]}'s`);
          if (who === 'caller') assert.equal(ahead, undefined, `${f}: taken over at once, not through a promise`);
        }
        assert.equal(side.length, 3);
        assert.equal(side[0], 'caller', 'the first batch is taken before the thread can have started');
        for (const f of files.slice(0, 5)) assert.equal(p.take(f), undefined, `${f} was taken already`);
      } finally {
        await p.close();
      }
    }
  });

  it('leaves a symbolic link, a directory and a named pipe to the caller', async () => {
    const odd = ['link.conf', 'sub.conf', 'fifo.conf'].map((n) => path.join(dir, n));
    const p = new Prefetcher(odd);
    try {
      for (const f of odd) assert.equal(await p.take(f), undefined, f);
    } finally {
      await p.close();
    }
  });

  it('after close, a path not read yet is answered undefined (the caller reads it)', async () => {
    const p = new Prefetcher(files);
    await p.close();
    assert.equal(await p.take(files[299] as string), undefined);
  });

  it('through ConfigReader: the same text as without it, and the bounded reader words what it refused', async () => {
    const plain = new ConfigReader();
    const ahead = new ConfigReader();
    const fifo = path.join(dir, 'fifo.conf');
    ahead.prefetch([...files.slice(0, 10), fifo], 1);
    try {
      for (const f of files.slice(0, 10)) assert.deepEqual(await ahead.read(f), await plain.read(f));
      const refused = await ahead.read(fifo);
      assert.ok('error' in refused && /named pipe/.test(refused.error), JSON.stringify(refused));
    } finally {
      await ahead.close();
    }
  });

  it('fewer paths than the threshold start no thread', async () => {
    const r = new ConfigReader();
    r.prefetch(files.slice(0, 3));
    const read = await r.read(files[0] as string);
    assert.ok(!('error' in read) && read.text.startsWith('# CT 100'));
    await r.close();
  });
});

/** runReader on a port of its own: `send` hands it a request, `answers` are what it posted. */
function readerOnPort(): { send: (req: ReadRequest) => void; answers: ReadAnswer[] } {
  let handler: ((req: ReadRequest) => void) | undefined;
  const answers: ReadAnswer[] = [];
  const port = {
    on: (_: string, h: (req: ReadRequest) => void) => {
      handler = h;
    },
    postMessage: (a: ReadAnswer) => {
      answers.push(a);
    },
  };
  runReader(port as unknown as Parameters<typeof runReader>[0]);
  return { send: (req) => handler?.(req), answers };
}

describe('runReader: one request, one transferred buffer', () => {
  it('skips a batch the main thread claimed and claims each batch it reads', () => {
    const { send, answers } = readerOnPort();
    const claims = new Int32Array(new SharedArrayBuffer(4 * 3));
    send({ paths: files.slice(0, 9), batch: 3, claims });
    Atomics.store(claims, 1, CLAIM_MAIN);
    send({ upTo: 2 });
    assert.deepEqual(answers.map((a) => a.seq), [0, 2], 'batch 1 was the main thread\'s');
    assert.deepEqual([...claims], [CLAIM_READER, CLAIM_MAIN, CLAIM_READER]);
    const third = answers[1] as ReadAnswer;
    assert.equal(Buffer.from(third.buffer, third.offsets[0] as number, third.offsets[1] as number).toString('utf8'), readFileSync(files[6] as string, 'utf8'));
  });

  it('marks files not read with -1 and stops adding bytes to a batch beyond its cap', () => {
    // Three files of 3 MiB (each under the 4 MiB file limit): the third still starts below the 8 MiB cap.
    const size = 3 * 1024 * 1024;
    assert.ok(2 * size < READER_BATCH_BYTES && 3 * size > READER_BATCH_BYTES);
    const big = [0, 1, 2].map((i) => {
      const p = path.join(dir, `big${i}.conf`);
      writeFileSync(p, Buffer.alloc(size, 0x23));
      return p;
    });
    const { send, answers } = readerOnPort();
    send({ paths: [files[0] as string, ...big, files[1] as string, path.join(dir, 'missing.conf')], batch: 6 });
    assert.equal(answers.length, 0, 'the list alone reads nothing');
    send({ upTo: 0 });
    assert.equal(answers.length, 1);
    const answer = answers[0] as ReadAnswer;
    assert.equal(answer.seq, 0);
    const len = (i: number): number => answer?.offsets[2 * i + 1] as number;
    assert.equal(len(0), readFileSync(files[0] as string).length);
    assert.equal(len(1), size);
    assert.equal(len(2), size);
    assert.equal(len(3), size, 'read: the batch was below its cap before it');
    assert.equal(len(4), -1, 'beyond the cap: left to the main thread');
    assert.equal(len(5), -1, 'missing');
    assert.equal(answer.buffer.byteLength, len(0) + 3 * size);
    const first = Buffer.from(answer.buffer, answer.offsets[0] as number, len(0)).toString('utf8');
    assert.equal(first, readFileSync(files[0] as string, 'utf8'));
    for (const p of big) rmSync(p);
  });
});
