import type { Range, ShellIssue, ShellView } from './types';

/** A shell name at `lastIndex` (sticky). */
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Reads an assignment's value the way `/bin/sh` does when vzmigrate (`bin/vzmigrate.in`) or the vz
 * init script sources vz.conf / CTID.conf: quotes may span lines, unquoted whitespace ends the word
 * and turns the rest of the line into a command, `$(…)` and backquotes run commands.
 *
 * This is a deliberately small POSIX-sh word scanner, not a shell: it understands exactly what can
 * appear in an assignment word and reports the rest as issues.
 *
 * @param lines  the file's lines without terminators
 * @param line   the line of the assignment
 * @param start  the column just after `=`
 * @returns the shell's reading; never throws
 */
export function scanShellValue(lines: readonly string[], line: number, start: number): ShellView {
  // Built at the first issue: most assignments have none and share NO_ISSUES.
  let issues: ShellIssue[] | undefined;
  let value = '';
  let l = line;
  let c = start;
  let mode: 'plain' | 'dq' | 'sq' = 'plain';
  let text = lines[l] ?? '';
  // On line `noBraceLine`, no `}` follows column `noBraceFrom` (a `${` after it has no end), once found.
  let noBraceLine = -1;
  let noBraceFrom = 0;
  // Whether an `unclosed-expansion` issue was recorded.
  let unclosed = false;
  for (;;) {
    if (c >= text.length) {
      if (mode === 'plain') break;
      // Inside quotes the newline is part of the value and the word goes on.
      if (l + 1 >= lines.length) {
        (issues ??= []).push({ kind: 'unterminated-quote', range: range(line, start, l, text.length), text: mode === 'dq' ? '"' : "'" });
        break;
      }
      value += '\n';
      l += 1;
      c = 0;
      text = lines[l] ?? '';
      continue;
    }
    // A run of ordinary characters is appended at once (not character by character).
    const run = ordinaryRun(text, c, mode);
    if (run > c) {
      value += text.slice(c, run);
      c = run;
      continue;
    }
    const ch = text[c];
    if (mode === 'sq') {
      if (ch === "'") mode = 'plain';
      else value += ch;
      c += 1;
      continue;
    }
    if (ch === '\\') {
      const next = text[c + 1];
      if (next === undefined) {
        // Backslash-newline: sh joins the next line (vzctl does not).
        if (l + 1 >= lines.length) { c += 1; continue; }
        l += 1;
        c = 0;
        text = lines[l] ?? '';
        continue;
      }
      if (mode === 'dq' && !'$`"\\'.includes(next)) value += ch;
      value += next;
      c += 2;
      continue;
    }
    if (ch === '`') {
      const close = text.indexOf('`', c + 1);
      const endC = close < 0 ? text.length : close + 1;
      (issues ??= []).push({ kind: 'command-substitution', range: range(l, c, l, endC), text: text.slice(c, endC) });
      value += text.slice(c, endC);
      c = endC;
      continue;
    }
    if (ch === '$') {
      if (text[c + 1] === '(') {
        const endC = matchParen(text, c + 1);
        (issues ??= []).push({ kind: 'command-substitution', range: range(l, c, l, endC), text: text.slice(c, endC) });
        value += text.slice(c, endC);
        c = endC;
        continue;
      }
      // `${NAME…}` (to the next `}`) or `$NAME`. The `}` is looked for once per line from where none
      // follows: a line of 20,000 `${A` without one was searched to its end at each (quadratic).
      let end = -1;
      let name = '';
      if (text[c + 1] === '{') {
        const close = noBraceLine === l && c + 2 >= noBraceFrom ? -1 : text.indexOf('}', c + 2);
        if (close < 0) {
          noBraceLine = l;
          noBraceFrom = c + 2;
          // sh reads a `${` on to its `}` across lines: "Missing '}'" at the end of the file, "Bad substitution"
          // or later lines taken into the value before that. Once a value (sh gives up at the first); not
          // before a backslash-newline, which sh joins first (`${A:-x\` + newline + `}` is fine).
          if (!unclosed && text.charCodeAt(text.length - 1) !== 92 /* \\ */) {
            unclosed = true;
            (issues ??= []).push({ kind: 'unclosed-expansion', range: range(l, c, l, text.length), text: '${' });
          }
        } else {
          NAME.lastIndex = c + 2;
          const n = NAME.exec(text);
          if (n) {
            name = n[0];
            end = close + 1;
          }
        }
      } else {
        NAME.lastIndex = c + 1;
        const n = NAME.exec(text);
        if (n) {
          name = n[0];
          end = c + 1 + name.length;
        }
      }
      if (end >= 0) {
        if (name !== 'VEID') (issues ??= []).push({ kind: 'expansion', range: range(l, c, l, end), text: name });
        value += text.slice(c, end);
        c = end;
        continue;
      }
      value += ch;
      c += 1;
      continue;
    }
    if (mode === 'dq') {
      if (ch === '"') mode = 'plain';
      else value += ch;
      c += 1;
      continue;
    }
    // plain (unquoted) context
    if (ch === '"') { mode = 'dq'; c += 1; continue; }
    if (ch === "'") { mode = 'sq'; c += 1; continue; }
    if (ch === ' ' || ch === '\t') {
      let k = c;
      while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k += 1;
      if (k < text.length && text[k] !== '#') {
        if (text[k] === ';' && text[k + 1] !== ';') (issues ??= []).push(separator(lines, l, k));
        else (issues ??= []).push({ kind: 'unquoted-whitespace', range: range(l, c, l, text.length), text: text.slice(k) });
      }
      break;
    }
    // `;` ends the command (`;;` is a syntax error outside `case`, reported as a metacharacter).
    if (ch === ';' && text[c + 1] !== ';') {
      (issues ??= []).push(separator(lines, l, c));
      break;
    }
    if (';&|<>()'.includes(ch)) {
      (issues ??= []).push({ kind: 'metacharacter', range: range(l, c, l, c + 1), text: ch });
      break;
    }
    value += ch;
    c += 1;
  }
  return { value, endLine: l, endCharacter: Math.min(c, text.length), issues: issues ?? NO_ISSUES };
}

/**
 * Where {@link scanShellValue} would end on line `text` from column `start` when it reads exactly `value`
 * there, on that line alone and without issues — an unquoted run of ordinary characters to the end of the
 * line, or one double-quoted run of them closed at the end of the line (nearly every assignment) — else -1:
 * then the caller scans. Found without building the view or its value (two objects a line of garbage).
 */
export function plainShellEnd(text: string, start: number, value: string): number {
  let from = start;
  let to = ordinaryRun(text, start, 'plain');
  if (to < text.length) {
    if (to !== start || text.charCodeAt(start) !== 34 /* " */) return -1;
    from = start + 1;
    to = ordinaryRun(text, from, 'dq');
    if (to !== text.length - 1 || text.charCodeAt(to) !== 34) return -1;
  }
  return value.length === to - from && text.startsWith(value, from) ? text.length : -1;
}

/**
 * The `separator` issue for an unquoted `;` at column `k` of line `l`: its range runs to the end of the
 * line, its text is the command sh runs after it (empty when only blanks or a `#` comment follow). A
 * backslash ending the line joins the next one (`KEY=v;\` then `NEXT=1` runs `NEXT=1`; before a blank
 * line, nothing); on the file's last line it stays (dash runs a command named `\`).
 */
function separator(lines: readonly string[], l: number, k: number): ShellIssue {
  const text = lines[l] ?? '';
  const blanks = (t: string): string => t.replace(/^[ \t]+/, '');
  let command = blanks(text.slice(k + 1));
  let trailing = 0;
  while (trailing < command.length && command[command.length - 1 - trailing] === '\\') trailing += 1;
  if (trailing % 2 === 1 && l + 1 < lines.length) command = blanks(command.slice(0, -1) + (lines[l + 1] ?? ''));
  return { kind: 'separator', range: range(l, k, l, text.length), text: command.startsWith('#') ? '' : command };
}

/** The issues of every assignment that has none (shared: frozen, never changed). */
const NO_ISSUES = Object.freeze([]) as unknown as ShellIssue[];

/** A range from (l0, c0) to (l1, c1). */
function range(l0: number, c0: number, l1: number, c1: number): Range {
  return { start: { line: l0, character: c0 }, end: { line: l1, character: c1 } };
}

/** Characters the scanner must look at, per mode (bit 1: plain, bit 2: inside "…", bit 4: inside '…'). */
const SPECIAL = new Uint8Array(128);
for (const ch of '\\`$"\'') SPECIAL[ch.charCodeAt(0)] |= 1;
for (const ch of ' \t;&|<>()') SPECIAL[ch.charCodeAt(0)] |= 1;
for (const ch of '\\`$"') SPECIAL[ch.charCodeAt(0)] |= 2;
SPECIAL["'".charCodeAt(0)] |= 4;

/** The end of the run of characters from `c` that `mode` takes literally into the value. */
function ordinaryRun(text: string, c: number, mode: 'plain' | 'dq' | 'sq'): number {
  const bit = mode === 'plain' ? 1 : mode === 'dq' ? 2 : 4;
  let k = c;
  while (k < text.length) {
    const code = text.charCodeAt(k);
    if (code < 128 && (SPECIAL[code] as number) & bit) break;
    k += 1;
  }
  return k;
}

/** Column just after the `)` that closes the `(` at `open`, or the line's end. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k += 1) {
    if (text[k] === '(') depth += 1;
    else if (text[k] === ')') {
      depth -= 1;
      if (depth === 0) return k + 1;
    }
  }
  return text.length;
}
