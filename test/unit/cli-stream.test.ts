import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI_OUTPUT_CASES, CLI_OUTPUT_DIR, runCliOutputCase } from '../snapshot/cliOutputs';

// The outputs were recorded from the implementation that gathered every report before printing
// (test/snapshot/cliOutputs.ts); the streaming one must say the same.
const codes = JSON.parse(readFileSync(path.join(CLI_OUTPUT_DIR, 'exit-codes.json'), 'utf8')) as Record<string, number>;

describe('SARIF and --summary stream and print what they printed when gathered (recorded outputs)', () => {
  for (const c of CLI_OUTPUT_CASES) {
    it(`vzlint ${c.argv.join(' ')}`, async () => {
      const r = await runCliOutputCase(c.argv);
      assert.equal(r.code, codes[c.name], r.err);
      const recorded = readFileSync(path.join(CLI_OUTPUT_DIR, c.name), 'utf8');
      // SARIF: the same document (members may come in another order); the others byte for byte.
      if (c.name.endsWith('.sarif')) assert.deepEqual(JSON.parse(r.out), JSON.parse(recorded));
      else assert.equal(r.out, recorded);
    });
  }
});
