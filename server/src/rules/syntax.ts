/**
 * Syntax rules: what vzctl's line parser (classic `src/lib/util.c:parse_line`, libvzctl
 * `lib/common.c:parse_line`) skips or reads differently from what the line seems to say.
 */
import { compareVersions } from '../model/version';
import { CLASSIC_MAX_KEY, parseConfig, VZ7_MAX_KEY } from '../parser/parse';
import type { ConfigLine, Dialect, Entry } from '../parser/types';
import type { Finding, Fix, LintContext, Rule } from './types';
import { clip, explain, q, say } from './say';
import { aloneInFile, entryRange, eolOf, finding } from './util';
import { isSample } from './limits/common';
import { BOM, CRLF, INLINE_COMMENT, INVALID_LINE, KEY_TOO_LONG, LONE_CR, MULTILINE, NUL, SINGLE_QUOTED, SPACE_AROUND_EQUALS, UNMATCHED_QUOTE } from './facts';

/** A line with no `=`: classic warns "can't parse … ('=' not found), skipping"; libvzctl skips it silently. */
export const missingEquals: Rule = {
  id: 'missing-equals',
  needs: INVALID_LINE,
  check(ctx) {
    // A plain loop: this is the one rule that visits every line of the file.
    const out: Finding[] = [];
    const lines = ctx.doc.lines;
    for (let i = 0; i < lines.length; i += 1) {
      const l = lines[i] as ConfigLine;
      if (l.kind !== 'invalid' || ctx.doc.continuationLines.has(l.line)) continue;
      // A BOM before a comment makes line 0 "invalid"; byte-order-mark explains that one.
      if (l.line === 0 && ctx.doc.bom && /^\uFEFF\s*(#|$)/.test(l.text)) continue;
      const said = say(ctx, 'Line without "=" (expected KEY="value")', 'line-no-equals');
      out.push(finding(ctx, 'missing-equals', l.range, said, {
        detail: explain(said, `The line ${q(l.text.trim())} is neither a comment nor KEY=value, so it has no effect`),
        fixes: [{ title: 'Turn the line into a comment', edits: [{ range: { start: l.range.start, end: l.range.start }, newText: '# ' }], safe: false }],
      }));
    }
    return out;
  },
};

/** Classic: a value that opens with `"` and has no other `"` on the line is skipped ("unmatched quotes"). */
export const unmatchedQuote: Rule = {
  id: 'unmatched-quote',
  needs: UNMATCHED_QUOTE,
  check(ctx) {
    const multi = ctx.doc.multilineOf;
    const out: Finding[] = [];
    const entries = ctx.doc.entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      if (e.skipped !== 'unmatched-quote' || multi.has(e) || ctx.doc.continuationLines.has(e.line)) continue;
      const said = say(ctx, `${e.name}: the opening " has no closing " on this line`, 'line-unmatched-quote');
      out.push(finding(ctx, 'unmatched-quote', entryRange(e), said, {
        detail: explain(said, 'The shell scripts that source the file (vzmigrate, the init script) fail on it too'),
        fixes: [{ title: 'Close the quote at the end of the line', edits: [{ range: { start: e.rawValueRange.end, end: e.rawValueRange.end }, newText: '"' }], safe: false }],
      }));
    }
    return out;
  },
};

/** A key of 512+ characters (classic) or 4096+ (libvzctl) makes the line unparsable. */
export const keyTooLong: Rule = {
  id: 'key-too-long',
  needs: KEY_TOO_LONG,
  check(ctx) {
    const max = ctx.target.generation === 'classic' ? CLASSIC_MAX_KEY : VZ7_MAX_KEY;
    return ctx.doc.entries.filter((e) => e.skipped === 'key-too-long').map((e) => {
      const said = say(ctx, `Key of ${e.key.length} characters, longer than the ${max - 1} allowed`, 'key-too-long');
      return finding(ctx, 'key-too-long', e.keyRange, said, { detail: explain(said, `The key starts ${q(e.key)}`) });
    });
  },
};

/**
 * Spaces around `=`: vzctl does not trim the key (`KEY =` is the unknown key "KEY "), and a space
 * after `=` becomes part of the value while the shell runs the rest as a command.
 */
export const spaceAroundEquals: Rule = {
  id: 'space-around-equals',
  needs: SPACE_AROUND_EQUALS,
  check(ctx) {
    const out: Finding[] = [];
    const entries = ctx.doc.entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      if (!e.spaceAroundEquals || ctx.doc.continuationLines.has(e.line)) continue;
      const before = e.key !== e.key.trimEnd();
      const said = before
        ? say(ctx, `Space before "=": the key is ${q(e.key)}, no parameter`, 'parameter-unknown')
        : say(ctx, `Space after "=": the value of ${clip(e.name)} starts with a blank`);
      const why = before
        ? `vzctl does not trim the key, so it reads ${q(e.key)} (with the space), which is no parameter`
        : `vzctl keeps the blank in the value, and a shell sourcing the file sets an empty ${e.name} and runs the rest as a command`;
      out.push(finding(ctx, 'space-around-equals', e.spaceAroundEquals.range, said, {
        detail: explain(said, why),
        // Safe only when vzctl reads no parameter from the fixed line either (an unknown key: it takes no
        // effect before or after; a known one would start to take effect, or change its value), no other
        // line sets it, and the value that follows is complete (a lone opening quote would swallow lines).
        fixes: [{ title: 'Remove the spaces around "="', edits: [{ range: e.spaceAroundEquals.range, newText: '=' }], safe: !readByVzctl(ctx, e.name) && aloneInFile(ctx, e) && balanced(afterSpaces(ctx, e)) }],
      }));
    }
    return out;
  },
};

/** Classic has no inline comments: `KEY=value # note` makes `value # note` the value. */
export const inlineComment: Rule = {
  id: 'inline-comment',
  needs: INLINE_COMMENT,
  check(ctx) {
    if (ctx.target.generation !== 'classic') return [];
    const out: Finding[] = [];
    const live = ctx.live;
    for (let i = 0; i < live.length; i += 1) {
      const e = live[i] as Entry;
      const c = e.inlineComment;
      if (!c || !c.partOfValue || ctx.doc.continuationLines.has(e.line)) continue;
      const indent = /^[ \t]*/.exec(ctx.doc.text[e.line] ?? '')?.[0] ?? '';
      const cutFrom = (ctx.doc.text[e.line] ?? '').slice(0, c.range.start.character).trimEnd().length;
      // Since vzctl 4.4 a NAMESERVER / SEARCHDOMAIN list whose first word is "inherit" uses only that word
      // (src/lib/vps_configure.c at vzctl-4.4), and the scripts source the line through the shell: the
      // comment does no harm (the shipped vz.conf of 4.4–4.11.1 is written so).
      const harmless = (e.name === 'NAMESERVER' || e.name === 'SEARCHDOMAIN') && /^inherit(\s|$)/.test(e.value) && compareVersions(ctx.target.version, '4.4') >= 0;
      const said = harmless
        ? say(ctx, `${e.name}: inline comment read as part of the value; harmless after "inherit"`)
        : say(ctx, `${e.name}: inline comment`, 'comment-in-value');
      out.push(finding(ctx, 'inline-comment', c.range, said, {
        ...(harmless ? { severity: 'info' as const } : {}),
        detail: explain(said, `Classic vzctl has no inline comments: it reads the value of ${e.name} as ${q(e.value)}, comment included`,
          harmless && `vzctl 4.4 and later use only the first word of a list that starts with "inherit", so the comment changes nothing`),
        fixes: [{
          title: 'Move the comment to its own line above',
          edits: [
            { range: { start: { line: e.line, character: 0 }, end: { line: e.line, character: 0 } }, newText: `${indent}${c.text}${eolOf(ctx)}` },
            { range: { start: { line: e.line, character: cutFrom }, end: c.range.end }, newText: '' },
          ],
          safe: false,
        }],
      }));
    }
    return out;
  },
};

/** Classic treats `'` as an ordinary character: `KEY='yes'` has the value `'yes'` with the quotes. */
export const singleQuotes: Rule = {
  id: 'single-quotes',
  needs: SINGLE_QUOTED,
  check(ctx) {
    if (ctx.target.generation !== 'classic') return [];
    const out: Finding[] = [];
    const live = ctx.live;
    for (let i = 0; i < live.length; i += 1) {
      const e = live[i] as Entry;
      if (!e.singleQuoted || ctx.doc.continuationLines.has(e.line)) continue;
      const m = /^'([^'"]*)'$/.exec(e.value);
      const said = say(ctx, `${e.name}: single-quoted value`, 'single-quotes-kept');
      out.push(finding(ctx, 'single-quotes', e.rawValueRange, said, {
        detail: explain(said, `Classic vzctl reads the value of ${e.name} as ${clip(e.value)}, quotes included, which most parameters reject`),
        fixes: m ? [{ title: 'Use double quotes', edits: [{ range: e.rawValueRange, newText: `"${m[1]}"` }], safe: false }] : [],
      }));
    }
    return out;
  },
};

/**
 * A value that runs over several lines (an open quote, or a line ending in a backslash): the shell scripts read it as one value, while
 * vzctl parses line by line (classic skips the first line for its unmatched quote, libvzctl keeps
 * only the first line's part). Reported once for the whole span.
 */
export const multilineValue: Rule = {
  id: 'multiline-value',
  needs: MULTILINE,
  check(ctx) {
    return ctx.doc.multiline.map((m) => {
      const e = m.entry;
      const lines = m.endLine - m.startLine + 1;
      // No quote on the first line: the value goes on because the line ends in a backslash (sh joins the lines).
      const quoted = e.quote !== null;
      const vzctl = ctx.target.generation === 'vz7'
        ? `libvzctl keeps only the first line's part (${q(e.value.trim())}) and drops the rest`
        : e.skipped === 'unmatched-quote'
          ? 'classic vzctl skips the first line ("unmatched quotes") and tries each following line on its own'
          : `classic vzctl keeps only the first line${quoted ? ', quote included' : ''} (${q(e.value)}), and tries each following line on its own`;
      const joined = e.shell.value.split(/\s+/).filter(Boolean).join(' ');
      const what = quoted ? `one quoted value over ${lines} lines` : `one value over ${lines} lines, joined by a backslash`;
      const said = e.skipped === 'unmatched-quote'
        ? say(ctx, `${e.name}: ${what}`, 'line-unmatched-quote')
        : say(ctx, `${e.name}: ${what}`);
      return finding(ctx, 'multiline-value', m.range, said, {
        detail: explain(said, `The shell scripts that source this file read the value whole, but ${vzctl}. Put it on one line`),
        fixes: [{
          title: `Join ${e.name} onto one line`,
          edits: [{ range: { start: e.rawValueRange.start, end: { line: m.endLine, character: e.shell.endCharacter } }, newText: `"${joined}"` }],
          safe: false,
        }],
      });
    });
  },
};

/**
 * How `text` (the start of a file) is laid out when it is UTF-16 read as bytes (UTF-8, each invalid byte a
 * U+FFFD): characters alternating with NUL characters, after a byte-order mark (`FF FE` or `FE FF`, two
 * U+FFFD) or none. Judged on the first 64 character pairs, three quarters of which must be a character and a
 * NUL (little-endian) or a NUL and a character (big-endian). Undefined for anything else: a config file has
 * no NUL byte at all.
 */
export function utf16Layout(text: string): 'little-endian' | 'big-endian' | undefined {
  const start = text.startsWith('\uFFFD\uFFFD') ? 2 : 0;
  const pairs = Math.min(64, Math.floor((text.length - start) / 2));
  if (pairs < 2) return undefined;
  let little = 0;
  let big = 0;
  for (let j = 0; j < pairs; j += 1) {
    const a = text.charCodeAt(start + 2 * j);
    const b = text.charCodeAt(start + 2 * j + 1);
    if (a !== 0 && b === 0) little += 1;
    else if (a === 0 && b !== 0) big += 1;
  }
  return little * 4 >= pairs * 3 ? 'little-endian' : big * 4 >= pairs * 3 ? 'big-endian' : undefined;
}

/** The first `max` characters of the file whose lines (split at line feeds) are `lines`. */
function head(lines: readonly string[], max: number): string {
  let out = '';
  for (let i = 0; i < lines.length && out.length < max; i += 1) out += (i > 0 ? '\n' : '') + (lines[i] ?? '').slice(0, max);
  return out.slice(0, max);
}

/**
 * A file in UTF-16 (docs/rules/utf16-encoding.md): vzctl reads each line as a C string, which ends at the NUL
 * byte of its first character, so it sets no parameter; dash and bash drop NUL bytes and read the assignments.
 * Reported once, on line 1; no fix (an encoding is changed for the whole file, not by a text edit).
 */
export const utf16Encoding: Rule = {
  id: 'utf16-encoding',
  needs: NUL,
  check(ctx) {
    const first = ctx.doc.text[0] ?? '';
    // A file without a NUL in its first line is no UTF-16 text (the check costs nothing for any other file).
    if (first.indexOf('\0') < 0 && !(first === '' && (ctx.doc.text[1] ?? '').startsWith('\0'))) return [];
    const layout = utf16Layout(head(ctx.doc.text, 130));
    if (!layout) return [];
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: first.length } };
    return [finding(ctx, 'utf16-encoding', range, `File in UTF-16 (${layout}): a NUL byte in every character; save it as UTF-8`, {
      detail: `The file is UTF-16 (${layout}). vzctl reads each line as a C string, which ends at its first NUL byte, so it sets none of the parameters; dash and bash drop the NUL bytes and read them. Convert it: iconv -f UTF-16 -t UTF-8 FILE, or Save with Encoding in VS Code.`,
    })];
  },
};

/** A leading byte-order mark becomes part of the first key for vzctl (it is no whitespace to C). */
export const byteOrderMark: Rule = {
  id: 'byte-order-mark',
  needs: BOM,
  check(ctx) {
    if (!ctx.doc.bom) return [];
    const first = ctx.doc.lines[0];
    if (!first || (first.kind !== 'entry' && first.kind !== 'invalid')) return [];
    const said = first.kind === 'entry'
      ? say(ctx, `Byte-order mark before ${first.name}`, 'bom-in-key')
      : say(ctx, 'Byte-order mark before the first line', 'line-no-equals');
    const what = first.kind === 'entry'
      ? `vzctl reads the first key as "\\uFEFF${first.name}", an unknown parameter, and ignores ${first.name}`
      : 'vzctl does not see the first line as a comment any more and complains that it has no "="';
    const range = first.kind === 'entry' ? first.keyRange : first.range;
    return [finding(ctx, 'byte-order-mark', range, said, {
      detail: explain(said, `The file starts with a byte-order mark: ${what}`),
      // Safe before a line that is no entry (a comment or a blank line: it stays one) or before a key vzctl
      // does not read anyway; before a parameter, the removal makes the line take effect: for review.
      fixes: [{ title: 'Remove the byte-order mark', edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: '' }], safe: first.kind !== 'entry' || (!readByVzctl(ctx, first.name) && aloneInFile(ctx, first)) }],
    })];
  },
};

/**
 * Whether the target's vzctl may read parameter `name` (its catalogue spelling; the key without the blanks or
 * byte-order mark that hide it now): a catalogue parameter the target neither removed nor ignores. A fix that
 * turns a hidden line into such a key makes the line take effect, which is never a safe fix.
 */
function readByVzctl(ctx: LintContext, name: string): boolean {
  const def = ctx.catalog.parameter(name);
  // Any catalogue parameter counts unless the target removed or ignores it: a key of the other generation
  // (VE_LAYOUT on Virtuozzo 7) is left for review too rather than guessed harmless.
  return def !== undefined && !ctx.status(def).some((s) => s.kind === 'removed' || s.kind === 'ignored');
}

/** The line's text after the blanks that follow `=`. */
function afterSpaces(ctx: LintContext, e: Entry): string {
  const text = ctx.doc.text[e.line] ?? '';
  return text.slice(e.spaceAroundEquals?.range.end.character ?? e.equals + 1).trimEnd();
}

/** A value that is plain, or one complete double- or single-quoted string. */
function balanced(value: string): boolean {
  return /^"[^"\\]*"$|^'[^']*'$|^[^"'\\\s]*$/.test(value);
}

/**
 * CRLF line endings in a vz.conf or container config (reported once, on line 1): vzctl drops each CR as a
 * trailing blank, but classic vzmigrate sources both files with sh (and the init scripts vz.conf), where
 * every value keeps its CR (behaviour `crlf-sourced`, schemas/behaviours.yaml). Not reported where no
 * such fact holds (Virtuozzo 7), nor for samples, which nothing sources. No fix: an editor changes a
 * file's line endings as a whole (VS Code: the CRLF item in the status bar), not by text edits.
 */
export const crlfLineEndings: Rule = {
  id: 'crlf-line-endings',
  needs: CRLF,
  check(ctx) {
    if (ctx.doc.eol === '\n' || (ctx.kind !== 'node' && ctx.kind !== 'container') || isSample(ctx)) return [];
    const said = say(ctx, ctx.doc.eol === 'mixed' ? 'Some lines end in CRLF' : 'CRLF line endings', 'crlf-sourced');
    if (said.facts.length === 0) return [];
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: (ctx.doc.text[0] ?? '').length } };
    return [finding(ctx, 'crlf-line-endings', range, said, {
      detail: explain(said,
        'vzctl drops the CR before each line feed, but vzmigrate sources this file with sh, where ONBOOT="yes" ends in a CR and is no longer "yes"',
        'Convert the file to LF line endings: dos2unix FILE, or the CRLF item in the VS Code status bar'),
    })];
  },
};

/**
 * Whether model line `line` is part of a word the shell reads from an earlier line (a continuation line
 * of a multi-line value, or a line a quote or a final backslash of an earlier entry swallows).
 */
function inShellWord(ctx: LintContext, line: number): boolean {
  if (ctx.doc.continuationLines.has(line)) return true;
  for (const e of ctx.doc.entries) {
    if (e.line >= line) break;
    if (e.shell.endLine >= line) return true;
  }
  return false;
}

/**
 * Whether vzctl and sh read `text` (a line or two) alike and as settings: every line blank, a comment or a
 * setting (none without `=`: sh would run it), no setting skipped by vzctl, none with a shell issue or a value
 * over several lines, and each value the same for both.
 */
function readsAlike(text: string, dialect: Dialect): boolean {
  const doc = parseConfig(text, { dialect });
  if (doc.lines.some((l) => l.kind === 'invalid') || doc.multiline.length > 0) return false;
  return doc.entries.every((e) => e.skipped === undefined && e.shell.issues.length === 0 && e.shell.endLine === e.line && e.shell.value === e.value);
}

/** Longest vzctl line (characters) whose lone CRs get fixes (real config lines are short). */
const CR_FIX_MAX_LINE = 16_384;
/** Most lone CRs of one vzctl line that get fixes. */
const CR_FIX_MAX_PER_LINE = 8;

/**
 * The fixes of the lone CR at column `c` of model line `line`, each giving text that vzctl and sh read
 * alike ({@link readsAlike}); none when no such text exists:
 * - "Make it a line break" where it splits vzctl's line into two lines read alike (an old Mac line ending:
 *   `ONBOOT="yes"\rHOSTNAME="ct"`); never in a value (`HOSTNAME=a\rb` would make `b` a command for sh;
 *   in `HOSTNAME="a\rb"` sh would read a value over two lines, vzctl an unterminated quote);
 * - "Remove the carriage return" where the line without it is read alike (`HOSTNAME=ab`, `HOSTNAME="ab"`), or
 *   inside a value over several lines (removing a character there changes nothing else);
 * - else, for an unquoted plain value that the shell splits once the CR is gone (`HOSTNAME=a\r b`), "Remove
 *   the carriage return and quote the value of NAME", when vzctl then reads the same value less the CR.
 */
function loneCrFixes(ctx: LintContext, line: number, c: number, eol: string): Fix[] {
  const range = { start: { line, character: c }, end: { line, character: c + 1 } };
  const text = ctx.doc.text[line] ?? '';
  // Each fix parses the line again: none on a very long line or one with more than a few
  // CRs (hostile input: a line of 100,000 CRs made 100,000 parses of it), so the work stays linear.
  if (text.length > CR_FIX_MAX_LINE || (ctx.doc.editorLines?.crColumns.get(line)?.length ?? 0) > CR_FIX_MAX_PER_LINE) return [];
  const dialect = ctx.doc.dialect;
  const fixes: Fix[] = [];
  const inWord = inShellWord(ctx, line);
  if (!inWord && readsAlike(`${text.slice(0, c)}\n${text.slice(c + 1)}`, dialect)) fixes.push({ title: 'Make it a line break', edits: [{ range, newText: eol }], safe: false });
  const removed = `${text.slice(0, c)}${text.slice(c + 1)}`;
  if (inWord || readsAlike(removed, dialect)) {
    fixes.push({ title: 'Remove the carriage return', edits: [{ range, newText: '' }], safe: false });
    return fixes;
  }
  const e = ctx.doc.entries.find((x) => x.line === line);
  const raw = e ? text.slice(e.rawValueRange.start.character, e.rawValueRange.end.character) : '';
  if (!e || e.quote || e.rawValueRange.start.line !== line || e.rawValueRange.end.line !== line || c < e.rawValueRange.start.character || c >= e.rawValueRange.end.character || e.value !== raw || /["'`$\\]/.test(raw)) return fixes;
  const value = `${raw.slice(0, c - e.rawValueRange.start.character)}${raw.slice(c - e.rawValueRange.start.character + 1)}`;
  const quoted = `${text.slice(0, e.rawValueRange.start.character)}"${value}"${text.slice(e.rawValueRange.end.character)}`;
  if (!readsAlike(quoted, dialect) || parseConfig(quoted, { dialect }).entries[0]?.value !== value) return fixes;
  fixes.push({ title: `Remove the carriage return and quote the value of ${e.name}`, edits: [{ range: e.rawValueRange, newText: `"${value}"` }], safe: false });
  return fixes;
}

/**
 * A carriage return that does not end a CRLF line ending. vzctl reads lines with `fgets()` and sh splits at
 * `\n` only, so for both the text after it belongs to the same line; editors show a line break. Reported
 * once per lone CR, with the fixes of {@link loneCrFixes}, offered one by one (none is safe: each changes
 * what vzctl reads).
 */
export const loneCarriageReturn: Rule = {
  id: 'lone-carriage-return',
  needs: LONE_CR,
  check(ctx) {
    if (!ctx.doc.editorLines) return [];
    const out: Finding[] = [];
    const eol = eolOf(ctx);
    for (const [line, cols] of ctx.doc.editorLines.crColumns) {
      const end = (ctx.doc.text[line] ?? '').length;
      for (const c of cols) {
        const range = { start: { line, character: c }, end: { line, character: c + 1 } };
        const last = c === end - 1;
        const said = last
          ? say(ctx, 'Lone carriage return at the end of the file', 'cr-at-end')
          : say(ctx, 'Carriage return without a line feed', 'cr-in-line');
        const why = last
          ? 'vzctl and sh ignore a carriage return at the end of the file, while editors show a line break'
          : 'vzctl reads lines with fgets() and sh splits at line feeds only, so both read what follows as part of this line';
        out.push(finding(ctx, 'lone-carriage-return', range, said, { detail: explain(said, why), fixes: loneCrFixes(ctx, line, c, eol) }));
      }
    }
    return out;
  },
};
