/**
 * The quick fixes for a lone CR in a value (lone-carriage-return, and shell-unsafe-value's quoting) write
 * text that vzctl and sh read alike: "Make it a line break" only where the two lines it makes are settings
 * (or comments) for both — in `HOSTNAME=a\rb` it made `b` a command for sh, in `HOSTNAME="a\rb"` a value
 * sh read over two lines and vzctl did not —, "Remove the carriage return" only where what is left is read
 * alike (else it also quotes the value), and "Quote the value" is not offered for a value holding a CR (it
 * kept the CR inside the quotes). Each fixed text is sourced by the real /bin/sh and its value
 * compared with what the engine says vzctl reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyTextEdits } from '../../server/src/service/codeActions';
import { lint } from '../../server/src/service/lint';

const CT = '/vz/conf/101.conf';
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

/** The fixes of `rule` for `text`: title and the text they give. */
function fixesOf(text: string, rule: string): [string, string][] {
  return lint(text, { path: CT }).findings.filter((f) => f.rule === rule).flatMap((f) => (f.fixes ?? []).map((x): [string, string] => [x.title, applyTextEdits(text, x.edits)]));
}

/** What vzctl reads for `name` in `text` (the engine's classic reading: the last setting wins). */
function vzctlValue(text: string, name: string): string | undefined {
  return lint(text, { path: CT }).ctx.doc.entries.filter((e) => e.name === name && e.skipped === undefined).at(-1)?.value;
}

/** `name` after sh sources `text` (`set -e`: a line sh runs as a command fails), or the error. */
function shValue(text: string, name: string): { value?: string; error?: string } {
  const r = spawnSync('/bin/sh', ['-c', `set -e; eval "$1"; printf '%s' "\${${name}-<unset>}"`, 'sh', text], { encoding: 'utf8' });
  return r.status === 0 && r.stderr === '' ? { value: r.stdout } : { error: `${r.status}: ${r.stderr}` };
}

describe('quick fixes for a lone CR read the same for vzctl and sh', () => {
  it('HOSTNAME=a\\rb: no line break (sh would run b), only removing the CR', () => {
    const text = `${VSWAP}HOSTNAME=a\rb\n`;
    assert.deepEqual(fixesOf(text, 'lone-carriage-return'), [['Remove the carriage return', `${VSWAP}HOSTNAME=ab\n`]]);
  });

  it('HOSTNAME="a\\rb": no line break inside the quotes (sh reads two lines, vzctl an unterminated quote), only removing the CR', () => {
    const text = `${VSWAP}HOSTNAME="a\rb"\n`;
    assert.deepEqual(fixesOf(text, 'lone-carriage-return'), [['Remove the carriage return', `${VSWAP}HOSTNAME="ab"\n`]]);
  });

  it('a CR between two settings (an old Mac line ending) or at the end of the file: the line break', () => {
    // Removing it would glue the settings (`ONBOOT="yes"HOSTNAME="ct"`: vzctl and sh read ONBOOT otherwise).
    const between = `${VSWAP}ONBOOT="yes"\rHOSTNAME="ct"\n`;
    assert.deepEqual(fixesOf(between, 'lone-carriage-return'), [['Make it a line break', `${VSWAP}ONBOOT="yes"\nHOSTNAME="ct"\n`]]);
    const comment = `${VSWAP}# note\rONBOOT="yes"\n`;
    assert.equal(fixesOf(comment, 'lone-carriage-return')[0]?.[1], `${VSWAP}# note\nONBOOT="yes"\n`);
    const atEnd = `${VSWAP}ONBOOT="yes"\r`;
    assert.deepEqual(fixesOf(atEnd, 'lone-carriage-return'), [['Make it a line break', `${VSWAP}ONBOOT="yes"\n`], ['Remove the carriage return', `${VSWAP}ONBOOT="yes"`]]);
  });

  it('a CR in a value over several lines: no line break (it would land inside the value), removing stays', () => {
    const text = `${VSWAP}DESCRIPTION="a\nb\rc"\n`;
    assert.deepEqual(fixesOf(text, 'lone-carriage-return'), [['Remove the carriage return', `${VSWAP}DESCRIPTION="a\nbc"\n`]]);
  });

  it('"Quote the value" is not offered for an unquoted value holding a CR; the CR\'s fix removes it and quotes', () => {
    for (const value of ['a\rb c', 'a\r b', 'web\r server (prod)', 'a\r;b']) {
      const text = `${VSWAP}HOSTNAME=${value}\n`;
      assert.ok(lint(text, { path: CT }).findings.some((f) => f.rule === 'shell-unsafe-value'), JSON.stringify(value));
      assert.deepEqual(fixesOf(text, 'shell-unsafe-value'), [], JSON.stringify(value));
      // Removing the CR alone would leave the blank or ";" unquoted (sh and vzctl read it otherwise): removed and quoted.
      const fixed = `${VSWAP}HOSTNAME="${value.replace('\r', '')}"\n`;
      assert.deepEqual(fixesOf(text, 'lone-carriage-return'), [['Remove the carriage return and quote the value of HOSTNAME', fixed]], JSON.stringify(value));
      assert.equal(vzctlValue(fixed, 'HOSTNAME'), value.replace('\r', ''));
    }
  });

  it('no fixes on a line with more than 8 lone CRs or over 16,384 characters (each fix parses the line again)', () => {
    const many = `${VSWAP}${'# a\r'.repeat(9)}# z\n`;
    const found = lint(many, { path: CT }).findings.filter((f) => f.rule === 'lone-carriage-return');
    assert.equal(found.length, 9);
    assert.deepEqual(found.flatMap((f) => f.fixes ?? []), []);
    const eight = `${VSWAP}${'# a\r'.repeat(8)}# z\n`;
    assert.ok(lint(eight, { path: CT }).findings.filter((f) => f.rule === 'lone-carriage-return').every((f) => (f.fixes ?? []).length > 0));
    const long = `${VSWAP}# ${'x'.repeat(16_400)}\rONBOOT="yes"\n`;
    assert.deepEqual(fixesOf(long, 'lone-carriage-return'), []);
  });

  it('every fix offered gives text that /bin/sh sources without running anything, with the value vzctl reads', { skip: existsSync('/bin/sh') ? false : 'no /bin/sh' }, () => {
    const cases = ['HOSTNAME=a\rb', 'HOSTNAME="a\rb"', 'ONBOOT="yes"\rHOSTNAME="ct"', '# note\rHOSTNAME="ct"', 'HOSTNAME=ct\r# note', 'HOSTNAME=a\r b', 'HOSTNAME=a\rb c', 'HOSTNAME=a\r;b', 'HOSTNAME=web\r server (prod)'];
    let checked = 0;
    for (const c of cases) {
      const text = `${VSWAP}${c}\n`;
      const fixes = fixesOf(text, 'lone-carriage-return');
      assert.ok(fixes.length > 0, JSON.stringify(c));
      for (const [title, out] of fixes) {
        const sh = shValue(out, 'HOSTNAME');
        assert.equal(sh.error, undefined, `${JSON.stringify(c)} → ${title}: ${JSON.stringify(out)}: ${sh.error}`);
        assert.equal(sh.value, vzctlValue(out, 'HOSTNAME') ?? '<unset>', `${JSON.stringify(c)} → ${title}: ${JSON.stringify(out)}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 11, `${checked} fixes checked`);
  });
});
