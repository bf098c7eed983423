/**
 * A file of more than 2,000 lines keeps no catalogue entry per line and looks each key up by name
 * (server/src/service/lint.ts `defsByLine`, issue 8): the same lines must get the same findings either way.
 * The project's own example configs (examples/etc/vz), each linted alone and with 2,500 comment lines
 * after it, under several targets.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';

const EXAMPLES = path.resolve(__dirname, '../../examples/etc/vz');
const FILES: [file: string, lintPath: string][] = [
  ['vz.conf', '/etc/vz/vz.conf'],
  ['conf/101.conf', '/etc/vz/conf/101.conf'],
  ['conf/102.conf', '/etc/vz/conf/102.conf'],
  ['conf/103.conf', '/etc/vz/conf/103.conf'],
];
const TARGETS = ['auto', 'classic@3.0.30', 'classic', 'vz7'];
/** Enough comment lines to take any example past the 2,000-line threshold. */
const PADDING = '# padding line\n'.repeat(2500);

/** Rule, range, severity and message of every finding, one string each, in order. */
function shown(text: string, lintPath: string, target: string): string[] {
  return lint(text, { path: lintPath, target }).findings.map(
    (f) => `${f.rule} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.severity} ${f.message}`,
  );
}

describe('long files look keys up by name (no per-line catalogue cache)', () => {
  for (const [file, lintPath] of FILES) {
    for (const target of TARGETS) {
      it(`${file} as ${target}: the same findings with 2,500 comment lines after it`, () => {
        const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
        const alone = shown(text, lintPath, target);
        assert.ok(alone.length > 0, `${file} has findings to compare`);
        const padded = text.endsWith('\n') ? text + PADDING : `${text}\n${PADDING}`;
        assert.ok(padded.split('\n').length > 2000);
        assert.deepEqual(shown(padded, lintPath, target), alone);
      });
    }
  }
});
