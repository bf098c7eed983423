import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readBounded } from '../../server/src/cli/read';
import { MAX_FILE_BYTES } from '../../server/src/limits';
import { readConfigFile } from '../../server/src/service/nodeFiles';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vzconf-read-limits-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('one read limit for config files: vzlint and the language server (limits.ts MAX_FILE_BYTES)', () => {
  it('a file of MAX_FILE_BYTES is read by both; one byte more by neither', async () => {
    const line = 'DISK_QUOTA=yes\n';
    const fits = path.join(tmp, 'fits.conf');
    const body = line.repeat(Math.floor(MAX_FILE_BYTES / line.length));
    await writeFile(fits, body + '#'.repeat(MAX_FILE_BYTES - body.length));
    const over = path.join(tmp, 'over.conf');
    await writeFile(over, body + '#'.repeat(MAX_FILE_BYTES - body.length + 1));

    const cliFits = await readBounded(fits);
    assert.ok('text' in cliFits && cliFits.text.length === MAX_FILE_BYTES && cliFits.sizeBytes === undefined);
    const serverFits = await readConfigFile(fits);
    assert.ok('text' in serverFits && serverFits.text.length === MAX_FILE_BYTES);

    // vzlint: not read, its size passed on for the file-too-large finding; the server: a too-large error.
    const cliOver = await readBounded(over);
    assert.deepEqual(cliOver, { text: '', sizeBytes: MAX_FILE_BYTES + 1 });
    const serverOver = await readConfigFile(over);
    assert.ok('error' in serverOver && serverOver.error.code === 'too-large', JSON.stringify(serverOver));
  });
});
