/**
 * vzlint reads a node's files several at a time (vzlint.ts readBatch, READ_BATCH): the messages of files it
 * cannot read, and their SARIF notifications, must come in file order whatever order the reads end in
 * (they came in the order the reads ended, so a SARIF log over a node with unreadable files differed from
 * run to run, with or without the reading thread).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigReader, type ReadText } from '../../server/src/cli/read';
import { runCaptured } from '../helpers/vzlint';

let dir = '';
const names = ['101.conf', '102.conf', '103.conf', '104.conf', '105.conf', '106.conf'];
/** The files whose reads are made to fail (every other one), as permission denied would. */
const refused = new Set(['102.conf', '104.conf', '106.conf']);

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vzconf-read-order-'));
  mkdirSync(path.join(dir, 'conf'));
  writeFileSync(path.join(dir, 'vz.conf'), 'VE_LAYOUT=ploop\n');
  for (const n of names) writeFileSync(path.join(dir, 'conf', n), 'HOSTNAME="ct"\n');
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('reads that end out of order', () => {
  it('say the files they could not read in file order, on stderr and in SARIF', async () => {
    // readNow is what vzlint's batches ask (read() goes through it too).
    const original = ConfigReader.prototype.readNow;
    // Reads asked together end last-asked first (no timer: they are released on the next turn of the
    // event loop, in reverse). The refused ones answer an error.
    let waiting: (() => void)[] = [];
    ConfigReader.prototype.readNow = function (this: ConfigReader, abs: string): Promise<ReadText | { error: string }> {
      const real = original.call(this, abs);
      return new Promise((resolve) => {
        if (waiting.length === 0) {
          setImmediate(() => {
            const all = waiting.reverse();
            waiting = [];
            for (const release of all) release();
          });
        }
        waiting.push(() => {
          if (refused.has(path.basename(abs))) resolve({ error: 'permission denied' });
          else resolve(real);
        });
      });
    };
    try {
      const r = await runCaptured(['--format', 'sarif', '.'], dir, { prefetchFrom: Infinity });
      assert.equal(r.code, 2);
      assert.equal(r.err, ['102', '104', '106'].map((c) => `vzlint: conf/${c}.conf: permission denied\n`).join(''));
      const log = JSON.parse(r.out) as { runs: { invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[] };
      const notes = (log.runs[0]?.invocations[0]?.toolExecutionNotifications ?? []).map((n) => n.message.text);
      assert.deepEqual(notes, ['102', '104', '106'].map((c) => `conf/${c}.conf: permission denied`));
    } finally {
      ConfigReader.prototype.readNow = original;
    }
  });
});
