/**
 * docs/rules/value-truncated.md says per target which of its example lines are flagged: each `sh` block is
 * linted line by line under the targets its heading names, so the page cannot claim "any target" for a line
 * that one generation reads otherwise (Virtuozzo 7 IOLIMIT, lib/io.c parse_iolimit(): up to UINT_MAX, never
 * clamped).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';

const page = readFileSync(path.resolve(__dirname, '../../docs/rules/value-truncated.md'), 'utf8');

/** The lines of the `sh` block that follows the paragraph starting with `heading`. */
function block(heading: string): string[] {
  const at = page.indexOf(`\n${heading}`);
  assert.ok(at >= 0, `no "${heading}" in the page`);
  const m = /```sh\n([^]*?)```/.exec(page.slice(at));
  assert.ok(m, `no sh block after "${heading}"`);
  return (m[1] as string).split('\n').filter(Boolean);
}

/** The rules flagging `line` alone in a container config of `target` (ubc-required aside). */
function rules(line: string, target: string): string[] {
  return lint(`${line}\n`, { target, kind: 'container' }).findings.map((f) => f.rule).filter((r) => r !== 'ubc-required');
}

const CLASSIC = ['classic', 'classic@4.6', 'classic@3.0.24'];
const VZ7 = ['vz7', 'vz7@7.0.42', 'vz7@7.0.500'];

describe('docs/rules/value-truncated.md examples hold for the targets they name', () => {
  it('"any target": value-truncated on every classic and Virtuozzo 7 target', () => {
    const lines = block('Flagged (any target');
    assert.ok(lines.length >= 3);
    for (const line of lines) for (const t of [...CLASSIC, ...VZ7]) assert.deepEqual(rules(line, t), ['value-truncated'], `${t}: ${line}`);
  });

  it('IOLIMIT: value-truncated on classic from 4.6; on Virtuozzo 7 nothing (up to UINT_MAX bytes/s)', () => {
    const lines = block('Flagged (target `classic`, vzctl 4.6 or newer)');
    assert.ok(lines.every((l) => l.startsWith('IOLIMIT=')), 'the classic-only block is IOLIMIT');
    for (const line of lines) {
      for (const t of ['classic', 'classic@4.6']) assert.deepEqual(rules(line, t), ['value-truncated'], `${t}: ${line}`);
      for (const t of VZ7) assert.deepEqual(rules(line, t), [], `${t}: ${line}`);
    }
    for (const t of VZ7) assert.deepEqual(rules('IOLIMIT="4g"', t), ['invalid-value'], `${t}: 4g is refused, not clamped`);
  });

  it('"Not flagged": never value-truncated, on any target', () => {
    const lines = block('Not flagged (any target)');
    assert.ok(lines.some((l) => l.startsWith('DISKSPACE=')));
    for (const line of lines) for (const t of [...CLASSIC, ...VZ7]) assert.ok(!rules(line, t).includes('value-truncated'), `${t}: ${line}`);
    for (const t of [...CLASSIC, ...VZ7]) assert.deepEqual(rules('DISKSPACE="99999999999999999999"', t), ['invalid-value'], `${t}: ERANGE is refused`);
  });
});
