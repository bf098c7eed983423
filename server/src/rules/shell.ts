/**
 * Shell-safety rules. vzmigrate (`bin/vzmigrate.in`) and the vz init script source vz.conf and
 * CTID.conf with /bin/sh, so a line vzctl accepts can still break migration or the init script.
 */
import type { Entry, ShellIssue } from '../parser/types';
import type { Finding, LintContext, Rule } from './types';
import { PLACEHOLDER_CHAR } from '../parser/template';
import { finding, rawValueText } from './util';
import { clip, explain, q, say } from './say';
import { SHELL_ISSUE, TEMPLATE } from './facts';

/**
 * Whether the value of `e` can be wrapped in double quotes as it stands: a plain value (no quotes, escapes
 * or expansions), on a line without a backslash, whose shell word ends on that line. A line ending in a
 * backslash (`HOSTNAME=\` + newline + `HOSTNAME=a;`) is joined to the next by sh, and vzctl's value (empty,
 * after the backslash) was quoted into `HOSTNAME=\""`: an escaped quote and one that never closes, so
 * sourcing the file failed altogether (attack). Nor, in a file with CRLF endings, before blanks at the end.
 */
function quotable(ctx: LintContext, e: Entry): boolean {
  const line = ctx.doc.text[e.line] ?? '';
  if (e.quote || e.shell.endLine !== e.line || /["'`$\\]/.test(rawValueText(ctx, e)) || line.includes('\\')) return false;
  // With CRLF endings the CR is a word of its own after a blank: `KEY=a; <CR>` sets KEY, but `KEY="a;" <CR>`
  // sets it only for a command named CR (dash), so the fix would unset it for the scripts.
  return ctx.doc.eol === '\n' || !/[ \t]$/.test(line);
}

/**
 * Unquoted whitespace, command substitution, shell metacharacters, a quote that never closes, or a `${`
 * without its `}`: sourcing the file runs commands or fails.
 */
export const shellUnsafeValue: Rule = {
  id: 'shell-unsafe-value',
  needs: SHELL_ISSUE | TEMPLATE,
  check(ctx) {
    const multi = ctx.doc.multilineOf;
    const out: Finding[] = [];
    const entries = ctx.doc.entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      if (e.shell.issues.length === 0 || ctx.doc.continuationLines.has(e.line) || e.spaceAroundEquals) continue;
      // sh reads what follows an unclosed `${` inside the expansion: issues after it are not what sh does.
      const issues = e.shell.issues;
      const cut = issues.findIndex((issue) => issue.kind === 'unclosed-expansion');
      for (const f of (cut < 0 ? issues : issues.slice(0, cut + 1)).flatMap((issue) => {
        switch (issue.kind) {
          case 'unquoted-whitespace': {
            // Not a value holding a lone CR: the quotes would keep it in the value, where the editor shows a line
            // break (lone-carriage-return's fix removes it and quotes).
            const plain = quotable(ctx, e);
            const canQuote = plain && !rawValueText(ctx, e).includes('\r');
            // The blank as an admin sees it: a space or a tab.
            const blank = ctx.doc.text[issue.range.start.line]?.[issue.range.start.character] === '\t' ? 'tab' : 'space';
            // A parenthesis after the blank (`web server (prod)`): sh parses the whole line first and stops at
            // it with a syntax error, so nothing runs.
            if (plain && /[()]/.test(issue.text)) {
              return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: a shell sourcing this file fails with a syntax error at the parenthesis`, {
                detail: `The value of ${e.name} has unquoted whitespace and a parenthesis: vzctl reads ${q(e.value)}, but a shell sourcing the file (vzmigrate, the init script) stops at the parenthesis with a syntax error.`,
                fixes: canQuote ? [{ title: `Quote the value of ${e.name}`, edits: [{ range: e.rawValueRange, newText: `"${e.value}"` }], safe: true }] : [],
              })];
            }
            // A blank before an operator (`KEY=a > b`, `KEY=a && b`, `KEY=a ;; b`): sh ends the assignment there
            // and reads the operator, no command named after it.
            const op = /^(?:;;|&&|\|\||[&|<>]+)/.exec(issue.text)?.[0];
            if (op) {
              return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: a shell sourcing this file ends the value at the ${blank} and reads ${q(op)} as an operator`, {
                detail: `The value of ${e.name} has unquoted whitespace followed by ${q(op)}: vzctl reads ${q(e.value)}, but a shell sourcing the file (vzmigrate, the init script) ends the assignment at the blank and reads ${q(op)} as a shell operator, not as part of the value.`,
                fixes: canQuote ? [{ title: `Quote the value of ${e.name}`, edits: [{ range: e.rawValueRange, newText: `"${e.value}"` }], safe: true }] : [],
              })];
            }
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: a shell sourcing this file ends the value at the ${blank} and runs ${q(issue.text.split(/\s+/)[0] ?? '')}`, {
              detail: `The value of ${e.name} has unquoted whitespace: vzctl reads ${q(e.value)}, but a shell sourcing the file (vzmigrate, the init script) sets ${e.name} only for a command ${q(issue.text.split(/\s+/)[0] ?? '')} and fails.`,
              fixes: canQuote ? [{ title: `Quote the value of ${e.name}`, edits: [{ range: e.rawValueRange, newText: `"${e.value}"` }], safe: true }] : [],
            })];
          }
          case 'separator': {
            // `KEY="v" ; cmd` or `KEY=v;cmd`: sh sets KEY (for good, not only for a command) and runs cmd next.
            const command = issue.text.split(/\s+/)[0] ?? '';
            const canQuote = quotable(ctx, e) && !rawValueText(ctx, e).includes('\r');
            const fixes = canQuote ? [{ title: `Quote the value of ${e.name}`, edits: [{ range: e.rawValueRange, newText: `"${e.value}"` }], safe: true }] : [];
            if (command === '') {
              // Nothing runs; only a difference in the value read matters (`KEY=v ;` is "v ;" for classic vzctl).
              if (e.shell.value === e.value) return [];
              return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: unquoted ";" ends the value for a shell, not for vzctl`, {
                detail: `The unquoted ";" ends the assignment for a shell sourcing the file (vzmigrate, the init script), which reads ${q(e.shell.value)}, while vzctl reads ${q(e.value)}.`,
                fixes,
              })];
            }
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: after the unquoted ";" a shell sourcing the file runs ${q(command)}`, {
              detail: `The unquoted ";" ends the assignment for a shell sourcing the file (vzmigrate, the init script): it sets ${e.name} to ${q(e.shell.value)} and then runs ${q(command)} as a command; vzctl reads ${q(e.value)}.`,
              fixes,
            })];
          }
          case 'command-substitution':
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: ${q(issue.text)} runs a command when a shell sources the file`, {
              detail: `${clip(issue.text, 60)} runs a command whenever vzmigrate or the init script sources this file; vzctl itself reads it literally.`,
            })];
          case 'metacharacter':
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: unquoted ${q(issue.text)} breaks sourcing of the file by a shell`, {
              detail: `Unquoted ${q(issue.text)} ends the assignment for the shell and breaks sourcing of this file (vzmigrate, the init script); quote the value.`,
            })];
          case 'unclosed-expansion':
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: "\${" has no "}" on its line; a shell sourcing the file fails or misreads what follows`, {
              detail: `A shell sourcing this file (vzmigrate, the init script) reads "\${" as the start of an expansion and looks for its "}" on the next lines: it stops with a syntax error ("Missing '}'", "Bad substitution") or takes those lines into the value of ${e.name}. vzctl reads the value literally.`,
            })];
          case 'unterminated-quote':
            if (multi.has(e) || e.skipped === 'unmatched-quote') return [];
            return [finding(ctx, 'shell-unsafe-value', issue.range, `${clip(e.name)}: the ${issue.text} quote never closes, a syntax error for a shell`, {
              detail: `The ${issue.text} quote never closes: a shell sourcing this file (vzmigrate, the init script) stops with a syntax error.`,
            })];
          default:
            return [];
        }
      })) out.push(f);
    }
    if (ctx.template) for (const f of unquotedListPlaceholders(ctx)) out.push(f);
    return out;
  },
};

/**
 * Grammars whose items are separated by blanks (model/effective itemSeparators): a rendered list of two
 * or more items always holds a blank. HOSTNAME, numbers, yes/no and the other single-word values are left
 * out: a rendered blank there is a wrong value in itself, for vzctl too, and quoting would not save it.
 */
const BLANK_LISTS = new Set(['ip-list', 'word-list', 'netdev-list', 'features', 'capability', 'iptables-modules', 'module-list', 'devices', 'devnodes', 'pci', 'neighbour-devs']);

/** The offsets of the first placeholder run of a raw value (as written, quotes included) that no quote encloses for sh. */
function unquotedPlaceholder(raw: string): [number, number] | undefined {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '\\') {
      i += 1;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === PLACEHOLDER_CHAR) {
      let j = i + 1;
      while (raw[j] === PLACEHOLDER_CHAR) j += 1;
      return [i, j];
    }
  }
  return undefined;
}

/**
 * In a template: a list parameter (IP_ADDRESS, NAMESERVER, FEATURES…) or free text (DESCRIPTION,
 * `freeText` in schemas/parameters.yaml) whose value has a placeholder that the template's own text leaves
 * unquoted (`IP_ADDRESS={{ ips | join(' ') }}`, `DESCRIPTION={{ desc }}`): rendered with two items or
 * words, sh reads `IP_ADDRESS=1.2.3.4 5.6.7.8` as running the command 5.6.7.8 (vzctl reads the line whole).
 * Info, since a one-item list or a one-word text renders fine; no fix (fixes on template lines are dropped). Not on a line
 * whose placeholder may quote what it renders (`| quote`, `to_json`…: TemplateScan.selfQuotingLines).
 */
function unquotedListPlaceholders(ctx: LintContext): Finding[] {
  const scan = ctx.template;
  if (!scan) return [];
  const out: Finding[] = [];
  const entries = ctx.doc.entries;
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as Entry;
    if (!scan.placeholderLines.has(e.line) || scan.selfQuotingLines?.has(e.line) === true || ctx.doc.continuationLines.has(e.line) || e.spaceAroundEquals) continue;
    const def = ctx.def(e);
    const text = def?.freeText === true;
    if (!def || !ctx.known(def) || (!text && !BLANK_LISTS.has(def.grammar ?? ''))) continue;
    const raw = rawValueText(ctx, e);
    const run = unquotedPlaceholder(raw);
    if (!run) continue;
    const start = e.rawValueRange.start.character;
    const range = { start: { line: e.line, character: start + run[0] }, end: { line: e.line, character: start + run[1] } };
    out.push(text
      ? finding(ctx, 'shell-unsafe-value', range, `${clip(e.name)}: unquoted placeholder; rendered text with a blank breaks sourcing by sh`, {
        severity: 'info',
        detail: `The placeholder in the value of ${e.name} is not inside quotes: rendered as text of two or more words, a shell sourcing the file (vzmigrate, the init script) sets ${e.name} only for a command named after the second word and fails (vzctl keeps free text as written, blanks included, so the value itself is fine). Write ${e.name}="…" around the placeholder.`,
      })
      : finding(ctx, 'shell-unsafe-value', range, `${clip(e.name)}: unquoted placeholder; a rendered list of 2+ items breaks sourcing by sh`, {
        severity: 'info',
        detail: `The placeholder in the value of ${e.name} is not inside quotes: rendered with two or more items (a blank between them), a shell sourcing the file (vzmigrate, the init script) sets ${e.name} only for a command named after the second item and fails; vzctl reads the line whole. Write ${e.name}="…" around the placeholder.`,
      }));
  }
  return out;
}

/** Whether the shell expands a `$NAME` in the entry's value. */
function hasExpansion(e: Entry): boolean {
  // (Indexed: most entries share one frozen empty list, whose iterator V8 did not optimise away.)
  const issues = e.shell.issues;
  for (let i = 0; i < issues.length; i += 1) if ((issues[i] as ShellIssue).kind === 'expansion') return true;
  return false;
}

/**
 * `$NAME` other than `$VEID`: the shell expands it, vzctl reads it literally. Fine for keys only the
 * scripts read (IPTABLES_MODULES="$IPTABLES" in the shipped vzctl 4.6 vz.conf), surprising elsewhere.
 */
export const shellExpansion: Rule = {
  id: 'shell-expansion',
  needs: SHELL_ISSUE,
  check(ctx) {
    const out: Finding[] = [];
    const entries = ctx.doc.entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      // Most lines expand nothing: no catalogue lookup for them.
      if (!hasExpansion(e) || ctx.doc.continuationLines.has(e.line) || e.quote === "'") continue;
      const def = ctx.def(e);
      // Unknown keys are unknown-parameter's business; keys the scripts read are meant to be expanded.
      if (def && !ctx.known(def)) continue;
      const scriptRead = (g: 'classic' | 'vz7') => def?.[g]?.handling === 'ignored' || def?.[g]?.handling === 'script';
      if (scriptRead('classic') || scriptRead('vz7')) continue;
      for (const issue of e.shell.issues) {
        if (issue.kind !== 'expansion') continue;
        const said = say(ctx, `${e.name}: ${q(`$${issue.text}`)} is expanded by the shell scripts only`, 'value-literal');
        out.push(finding(ctx, 'shell-expansion', issue.range, said, {
          detail: explain(said, `vzctl reads ${q(`$${issue.text}`)} literally, while the scripts that source this file expand it to the value of ${clip(issue.text)}; only $VEID is substituted by vzctl`),
        }));
      }
    }
    return out;
  },
};
