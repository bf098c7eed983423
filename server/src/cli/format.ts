import type { Colors } from 'picocolors/types';
import type { Severity } from '../catalog/types';
import type { FileKind } from '../model/kind';
import { formatTarget, targetReason, type Target } from '../model/target';
import { formatBytes } from '../values/numbers';
import { escapeControls } from '../util/escape';
import { MAX_FILE_BYTES } from '../limits';
import type { Finding } from '../rules/types';

/** The lint result of one file, as the formatters need it. */
export interface FileReport {
  /** The path as the user gave it, or as found under a directory the user gave (joined to it). */
  file: string;
  kind: FileKind;
  target: Target;
  /** Sorted by position (as `lint()` returns them). */
  findings: Finding[];
  /**
   * The host the file came from, for a fleet collected as `<dir>/<host>/etc/vz/…` (see
   * `hostOf` in `vzlint.ts`); absent otherwise.
   */
  host?: string;
  /** The file was read as a template (see `parser/template.ts`). */
  template?: boolean;
  /**
   * The file was not checked: it is larger than `MAX_FILE_BYTES` and `file-too-large` is off, so no finding
   * says so (a warning on stderr does). Summaries count it apart from the files checked.
   */
  notChecked?: boolean;
}

/**
 * One item of `vzlint --format json` output. The output is ONE JSON array of these items, over all
 * files, in the order the files were linted (sorted by path) and, within a file, by position.
 *
 * This shape is a public contract (scripts and CI parse it); change it only compatibly.
 *
 * - `file`: the path as given on the command line, or the given directory joined with the path found
 *   under it.
 * - `line`, `column`: 1-based start of the finding. Columns count UTF-16 code units, as LSP does
 *   (a character outside the BMP, e.g. an emoji, counts 2), not bytes and not code points.
 * - `endLine`, `endColumn`: 1-based end, exclusive (the column just after the last character), in the
 *   same units. An empty range has `endColumn === column`.
 * - `severity`: `"error"`, `"warning"`, `"info"` or `"hint"`.
 * - `rule`: the rule id (see `schemas/rules/*.yaml` and `docs/rules/<rule>.md`).
 * - `message`: one sentence of at most 100 characters: the parameter, what is wrong, what vzctl does.
 * - `detail` (optional): the long explanation in plain text (why, version history, the numbers), as
 *   `vzlint --explain` prints it; absent when the message says it all.
 * - `fixable`: true when the finding carries a safe fix: one that cannot change what the node does
 *   (quoting, spacing, what vzctl ignores anyway), which the editor's Fix all and `vzlint --fix` apply.
 *   (Earlier builds also set it for a finding whose fixes are all unsafe: that one now has
 *   `fixable: false` and `unsafeFix: true`.)
 * - `unsafeFix` (only when true): the finding offers a fix that is not safe (it changes a limit, an access
 *   or a value), a quick fix in the editor that `--fix` never applies; review it by hand.
 * - `host` (only for a fleet, `<dir>/<host>/etc/vz/…`): the host the file came from.
 * - `fixes` (only when the finding offers fixes; added after `host`): each fix in the editor's order as
 *   `{title, safe}`: its title (plain text, at most 80 characters) and whether it is safe (what `--fix`
 *   applies) or must be reviewed. `vzlint --explain` prints the same list under each finding.
 */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  message: string;
  detail?: string;
  fixable: boolean;
  unsafeFix?: true;
  host?: string;
  fixes?: JsonFix[];
}

/** One fix of a {@link JsonFinding}: its title, and whether `--fix` may apply it (`safe`) or it needs review. */
export interface JsonFix {
  title: string;
  safe: boolean;
}

/** Counts of findings by severity. */
export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

/** Counts the findings of every report by severity. */
export function countSeverities(reports: readonly FileReport[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const f of r.findings) counts[f.severity] += 1;
  return counts;
}

/** Converts the findings of every report into the public JSON items (see {@link JsonFinding}). */
export function toJsonFindings(reports: readonly FileReport[]): JsonFinding[] {
  const items: JsonFinding[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const item: JsonFinding = {
        file: r.file,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        ...(f.detail !== undefined && f.detail !== '' ? { detail: f.detail } : {}),
        fixable: f.fixes?.some((x) => x.safe) ?? false,
        ...(f.fixes?.some((x) => !x.safe) === true ? { unsafeFix: true as const } : {}),
        ...(r.host !== undefined ? { host: r.host } : {}),
        ...(f.fixes !== undefined && f.fixes.length > 0 ? { fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe })) } : {}),
      };
      items.push(item);
    }
  }
  return items;
}

/** `--format json`: one JSON array of {@link JsonFinding} (pretty-printed, newline-terminated). */
export function formatJson(reports: readonly FileReport[]): string {
  return `${JSON.stringify(toJsonFindings(reports), null, 2)}\n`;
}

/**
 * The item of finding `f` of a file as `JSON.stringify(items, null, 2)` prints it inside the array
 * (indented by two more spaces) after its `file` field (`{\n    "file": "…"` comes first), written field
 * by field in {@link JsonFinding}'s order, without building the item: `host` comes already JSON-quoted (once
 * per file, not once per finding), and `quote` JSON-quotes the other strings (JsonWriter's remembers the
 * texts it quoted). Depends on the finding and the host only.
 */
function itemRest(host: string | undefined, f: Finding, quote: (s: string) => string = JSON.stringify): string {
  const r = f.range;
  let text = `,\n    "line": ${r.start.line + 1},\n    "column": ${r.start.character + 1},\n    "endLine": ${r.end.line + 1},\n    "endColumn": ${r.end.character + 1},\n    "severity": ${quote(f.severity)},\n    "rule": ${quote(f.rule)},\n    "message": ${quote(f.message)}`;
  if (f.detail !== undefined && f.detail !== '') text += `,\n    "detail": ${quote(f.detail)}`;
  let safe = false;
  let unsafe = false;
  for (const x of f.fixes ?? []) {
    if (x.safe) safe = true;
    else unsafe = true;
  }
  text += safe ? ',\n    "fixable": true' : ',\n    "fixable": false';
  if (unsafe) text += ',\n    "unsafeFix": true';
  if (host !== undefined) text += `,\n    "host": ${host}`;
  if (f.fixes !== undefined && f.fixes.length > 0) {
    text += ',\n    "fixes": [';
    for (const [i, x] of f.fixes.entries()) text += `${i === 0 ? '' : ','}\n      {\n        "title": ${quote(x.title)},\n        "safe": ${x.safe ? 'true' : 'false'}\n      }`;
    text += '\n    ]';
  }
  return `${text}\n  }`;
}

/** What starts the JSON array's first item, in place of the `,\n` before every other one. */
const FIRST_ITEM = Buffer.from('[\n');

/**
 * {@link formatJson} written a few files at a time: `add` the reports in order, then `end`; the text
 * written is exactly formatJson's over all of them (one JSON document), without ever holding it whole.
 */
export class JsonWriter {
  private first = true;
  /**
   * Strings already JSON-quoted, by their text: the findings of a node's containers repeat the same
   * messages and explanations thousands of times (bounded).
   */
  private readonly quoted = new Map<string, string>();
  private readonly quote = (s: string): string => {
    let q = this.quoted.get(s);
    if (q === undefined) {
      q = JSON.stringify(s);
      if (this.quoted.size >= 4096) this.quoted.clear();
      this.quoted.set(s, q);
    }
    return q;
  };

  /**
   * The text of a finding after its `file` field ({@link itemRest}), by the finding object, with the host it
   * was written for: a fleet's compact findings are shared by the containers that have them (one object
   * for the same finding on the same line of 7,500 files: `NodeLinter`'s store), so each is written once.
   * Findings are never modified once reported. Bounded.
   */
  private readonly rests = new Map<Finding, { host: string | undefined; text: string; bytes?: Buffer }>();

  /**
   * @param write       takes the text, a batch of files at a time
   * @param writeBytes  when given, takes the same text as UTF-8 bytes instead (one buffer per batch, the
   *                    finding texts encoded once each: a fleet's 15 MB is then copied, not re-encoded)
   * @param writeParts  when given with `writeBytes`, takes each batch's bytes as the parts they are made of
   *                    (in order, `size` bytes in all) instead of one buffer: a writer that can write them as
   *                    they are (`writev`) saves copying the 15 MB of a fleet into one buffer
   */
  constructor(private readonly write: (s: string) => void, private readonly writeBytes?: (b: Uint8Array) => void, private readonly writeParts?: (parts: readonly Uint8Array[], size: number) => void) {}

  /** The text of `f` after its `file` field for `host` (JSON-quoted or undefined), remembered. */
  private rest(f: Finding, host: string | undefined): { host: string | undefined; text: string; bytes?: Buffer } {
    let rest = this.rests.get(f);
    if (rest === undefined || rest.host !== host) {
      if (this.rests.size >= 4096) this.rests.clear();
      this.rests.set(f, (rest = { host, text: itemRest(host, f, this.quote) }));
    }
    return rest;
  }

  add(reports: readonly FileReport[]): void {
    if (this.writeBytes) {
      this.addBytes(reports, this.writeBytes);
      return;
    }
    let out = '';
    for (const r of reports) {
      if (r.findings.length === 0) continue;
      const file = JSON.stringify(r.file);
      const host = r.host !== undefined ? JSON.stringify(r.host) : undefined;
      for (const f of r.findings) {
        out += `${this.first ? '[\n' : ',\n'}  {\n    "file": ${file}${this.rest(f, host).text}`;
        this.first = false;
      }
    }
    if (out !== '') this.write(out);
  }

  /** {@link add} as UTF-8 bytes: the same text, in one buffer. */
  private addBytes(reports: readonly FileReport[], write: (b: Uint8Array) => void): void {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const r of reports) {
      if (r.findings.length === 0) continue;
      const host = r.host !== undefined ? JSON.stringify(r.host) : undefined;
      const head = Buffer.from(`,\n  {\n    "file": ${JSON.stringify(r.file)}`);
      for (const f of r.findings) {
        const rest = this.rest(f, host);
        const bytes = (rest.bytes ??= Buffer.from(rest.text));
        // The array's first item starts the array instead: "[\n" for ",\n" (as many bytes).
        parts.push(this.first ? Buffer.concat([FIRST_ITEM, head.subarray(FIRST_ITEM.length)]) : head, bytes);
        size += head.length + bytes.length;
        this.first = false;
      }
    }
    if (size === 0) return;
    if (this.writeParts) this.writeParts(parts, size);
    else write(Buffer.concat(parts, size));
  }

  end(): void {
    const text = this.first ? '[]\n' : '\n]\n';
    if (this.writeBytes) this.writeBytes(Buffer.from(text));
    else this.write(text);
  }
}

/** Splits `text` into lines of at most `width` characters at blanks (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (cur !== '' && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur === '' ? word : `${cur} ${word}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** `1 file`, `3 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Colour functions that leave the text as it is (picocolors' own when colour is off). */
const PLAIN = new Proxy({} as Colors, { get: (_t, key) => (key === 'isColorSupported' ? false : (s: unknown) => String(s)) });

/**
 * picocolors' colour functions for `enabled`. The package is loaded only when colour is on: it loads
 * node:tty (and with it node:net) at import, a few ms of every run that prints to a pipe or a file.
 */
export function colors(enabled: boolean): Colors {
  if (!enabled) return PLAIN;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('picocolors') as typeof import('picocolors')).createColors(true);
}

/**
 * `--format stylish` (default): per file a header with the path and, dimmed, `[kind, target]`; then one
 * line per finding, `  line:col  severity  message  rule` (1-based, UTF-16 columns), aligned within
 * the file (files without findings are not listed); then a summary, `✖ N problems (E errors,
 * W warnings, I infos) in F of T files` (hints added when there are any) or `✔ no problems (T files checked)`.
 *
 * File names and messages are printed with their control characters escaped ({@link escapeControls}): a
 * file cannot move the cursor, erase lines or set the terminal title.
 *
 * @param options.color    use ANSI colours (the caller decides: `--no-color`, TTY, `NO_COLOR`)
 * @param options.verbose  also list the files without findings, with their kind and target
 * @param options.failures why the run fails (exit 2): see {@link formatStylishSummary}
 * @param options.hidden   with --quiet, the findings it left out: see {@link formatStylishSummary}
 * @param options.explain  print each finding's detail (the long explanation) on the lines below it,
 *                         indented and dimmed, wrapped at 100 columns (control characters escaped too),
 *                         then its fixes, one a line: `fix (safe): TITLE` (what --fix applies) or
 *                         `fix (unsafe: review): TITLE` (what it leaves for a person to apply)
 */
export function formatStylish(reports: readonly FileReport[], options: { color: boolean; verbose?: boolean; failures?: RunFailures; hidden?: SeverityCounts; explain?: boolean; skipped?: number; tooManyWarnings?: boolean }): string {
  const notChecked = reports.filter((r) => r.notChecked === true).length;
  return formatStylishFiles(reports, options) + formatStylishSummary(countSeverities(reports), reports.length - notChecked, reports.filter((r) => r.findings.length > 0).length, { ...options, notChecked });
}

/** The per-file part of {@link formatStylish} for some of the files, in order (each file's lines end with a newline). */
export function formatStylishFiles(reports: readonly FileReport[], options: { color: boolean; verbose?: boolean; explain?: boolean }): string {
  const c = colors(options.color);
  const paint: Record<Severity, (s: string) => string> = {
    error: c.red,
    warning: c.yellow,
    info: c.cyan,
    hint: c.dim,
  };
  const out: string[] = [];
  for (const r of reports) {
    // Like other linters, only files with something to say are listed (all with --verbose); the
    // summary counts the rest.
    if (r.findings.length === 0 && options.verbose !== true) continue;
    const tags = r.notChecked === true
      ? [`not checked: ${TOO_LARGE_OFF}`, ...(r.host !== undefined ? [`host ${r.host}`] : [])]
      : [r.kind, formatTarget(r.target), ...(r.template ? ['template'] : []), ...(r.host !== undefined ? [`host ${r.host}`] : [])];
    out.push(`${c.underline(escapeControls(r.file))} ${c.dim(`[${escapeControls(tags.join(', '))}]`)}`);
    // --explain says how the target was chosen (for `auto`: on which evidence, mixed or not).
    if (options.explain === true && r.notChecked !== true) {
      for (const line of wrap(`target: ${escapeControls(targetReason(r.target, 'cli').replace(/\r?\n/g, ' '))}`, 98)) out.push(c.dim(`  ${line}`));
    }
    const positions = r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1}`);
    const posWidth = positions.reduce((w, p) => Math.max(w, p.length), 0);
    const sevWidth = r.findings.reduce((w, f) => Math.max(w, f.severity.length), 0);
    r.findings.forEach((f, i) => {
      const message = escapeControls(f.message.replace(/\r?\n/g, ' '));
      out.push(`  ${c.dim((positions[i] ?? '').padEnd(posWidth))}  ${paint[f.severity](f.severity.padEnd(sevWidth))}  ${message}  ${c.dim(escapeControls(f.rule))}`);
      if (options.explain !== true) return;
      const indent = ' '.repeat(2 + posWidth + 2 + sevWidth + 2);
      if (f.detail) {
        for (const line of wrap(escapeControls(f.detail.replace(/\r?\n/g, ' ')), Math.max(40, 100 - indent.length))) out.push(c.dim(`${indent}${line}`));
      }
      for (const x of f.fixes ?? []) out.push(`${indent}${x.safe ? c.green('fix (safe)') : c.yellow('fix (unsafe: review)')}: ${escapeControls(x.title.replace(/\r?\n/g, ' '))}`);
    });
    out.push('');
  }
  return out.map((l) => `${l}\n`).join('');
}

/**
 * Why a run fails with exit status 2, by cause (each a count, absent or 0 when it did not happen): the
 * closing line of {@link formatStylish} says which, never "no problems".
 */
export interface RunFailures {
  /** Paths, files or folders that could not be read (missing, no permission, not a regular file …). */
  unread?: number;
  /** Checks an internal error stopped. */
  internal?: number;
  /** PATHs or patterns that matched no config file (without --no-error-on-unmatched-pattern). */
  unmatched?: number;
  /** Files `--fix` checked but refused to write (read-only, changed since read, not UTF-8 …). */
  refused?: number;
}

/** Whether `f` holds any failure. */
export function hasFailures(f: RunFailures | undefined): boolean {
  return f !== undefined && ((f.unread ?? 0) > 0 || (f.internal ?? 0) > 0 || (f.unmatched ?? 0) > 0 || (f.refused ?? 0) > 0);
}

/** The causes of `f` in words, e.g. `--fix refused to write 1 file`. */
function failureReasons(f: RunFailures): string[] {
  const out: string[] = [];
  if ((f.unread ?? 0) > 0) out.push('some files could not be read');
  if ((f.internal ?? 0) > 0) out.push('an internal error stopped some checks');
  const unmatched = f.unmatched ?? 0;
  if (unmatched > 0) out.push(`${unmatched === 1 ? 'a PATH' : `${unmatched} PATHs`} matched no config file`);
  if ((f.refused ?? 0) > 0) out.push(`--fix refused to write ${plural(f.refused ?? 0, 'file')}`);
  return out;
}

/** The counts of `hidden` that are not 0, e.g. `3 warnings, 1 info` (errors are never hidden). */
function hiddenText(hidden: SeverityCounts): string {
  const parts: string[] = [];
  if (hidden.warning > 0) parts.push(plural(hidden.warning, 'warning'));
  if (hidden.info > 0) parts.push(plural(hidden.info, 'info'));
  if (hidden.hint > 0) parts.push(plural(hidden.hint, 'hint'));
  return parts.join(', ');
}

/** Why a file was not checked though it was found (see {@link FileReport.notChecked}). */
export const TOO_LARGE_OFF = `over ${MAX_FILE_BYTES / 1048576} MiB with file-too-large off`;

/**
 * The closing line of {@link formatStylish}: the counts of findings by severity, over `files` files
 * checked, `withFindings` of them with findings.
 *
 * @param options.failures  why the run fails (exit 2): said instead of "no problems"; "incomplete" only
 *                          when files could not be read or checked
 * @param options.hidden    with `--quiet`: the findings it left out (by severity). The line then counts
 *                          errors only and names what was not shown: `✔ no errors (2 files checked;
 *                          3 warnings not shown: --quiet)`, never "no problems" while warnings exist.
 * @param options.notChecked files found but not checked ({@link FileReport.notChecked}), not counted in
 *                          `files`: `✔ no problems (0 files checked; 1 file not checked: over 4 MiB with
 *                          file-too-large off)`.
 * @param options.tooManyWarnings exit 1 for findings --quiet hid (`--max-warnings` exceeded, or hidden
 *                          findings at `--severity-threshold`; the reason said once, on stderr, before
 *                          this line): the line then starts with ✖, never ✔, and points to it
 *                          (`✖ no errors (2 files checked; 3 warnings not shown: --quiet; see above)`).
 * @param options.skipped   files a glob pattern matched that are not configs by name or content (not linted,
 *                          not counted in `files`): `✔ no problems (2 files checked; 3 files skipped: not configs)`.
 */
export function formatStylishSummary(n: SeverityCounts, files: number, withFindings: number, options: { color: boolean; failures?: RunFailures; hidden?: SeverityCounts; notChecked?: number; skipped?: number; tooManyWarnings?: boolean }): string {
  const c = colors(options.color);
  const total = n.error + n.warning + n.info + n.hint;
  const checked = plural(files, 'file');
  const quiet = options.hidden !== undefined;
  const notShown = options.hidden ? hiddenText(options.hidden) : '';
  // Files found but not checked (too large, their finding off): said beside what --quiet hid.
  const skipped = (options.notChecked ?? 0) > 0 ? `${plural(options.notChecked ?? 0, 'file')} not checked: ${TOO_LARGE_OFF}` : '';
  // Files a glob matched that are not configs (README.md, MANIFEST.json): not linted, counted here.
  const notConfigs = (options.skipped ?? 0) > 0 ? `${plural(options.skipped ?? 0, 'file')} skipped: not configs` : '';
  const hidden = [skipped, notConfigs, notShown !== '' ? `${notShown} not shown: --quiet` : ''].filter((x) => x !== '').join('; ');
  const parts = [plural(n.error, 'error'), plural(n.warning, 'warning'), plural(n.info, 'info')];
  if (n.hint > 0) parts.push(plural(n.hint, 'hint'));
  // With --quiet only errors are printed: counting the others as 0 would be wrong.
  const found = quiet ? plural(n.error, 'error') : total === 0 ? '0 problems' : `${plural(total, 'problem')} (${parts.join(', ')})`;
  let line: string;
  if (options.failures && hasFailures(options.failures)) {
    // Exit status 2 (each cause said above on stderr): never "no problems".
    const f = options.failures;
    const reasons = [...failureReasons(f), ...(hidden !== '' ? [hidden] : [])].join('; ');
    const one = (f.unread ?? 0) + (f.internal ?? 0) + (f.unmatched ?? 0) + (f.refused ?? 0) === 1;
    const see = one ? '(see the error above)' : '(see the errors above)';
    if ((f.unread ?? 0) > 0 || (f.internal ?? 0) > 0) line = `✖ incomplete: ${found} in ${checked} checked; ${reasons} ${see}`;
    else if (files === 0 && (f.refused ?? 0) === 0) line = `✖ no OpenVZ / Virtuozzo config files found ${see}`;
    else line = `✖ ${found} in ${withFindings} of ${checked}; ${reasons} ${see}`;
    line = c.bold(c.red(line));
  } else if ((quiet ? n.error : total) === 0 && options.tooManyWarnings === true) {
    // --quiet --max-warnings: nothing printed, yet exit 1 for the warnings it hid: never a ✔ (the reason is
    // on stderr, once).
    line = c.yellow(c.bold(`✖ no ${quiet ? 'errors' : 'problems'} (${checked} checked${hidden !== '' ? `; ${hidden}` : ''}; see above)`));
  } else if ((quiet ? n.error : total) === 0) {
    line = hidden !== '' ? c.yellow(c.bold(`✔ no ${quiet ? 'errors' : 'problems'} (${checked} checked; ${hidden})`)) : c.green(c.bold(`✔ no problems (${checked} checked)`));
  } else {
    const summary = `✖ ${found} in ${withFindings} of ${checked}${hidden !== '' ? ` (${hidden})` : ''}`;
    line = c.bold(n.error > 0 ? c.red(summary) : n.warning > 0 ? c.yellow(summary) : c.cyan(summary));
  }
  return `${line}\n`;
}

/** The memory summary of one node for {@link formatMemoryTable}. */
export interface MemoryTable {
  /** The node config as displayed (or a note when none was found). */
  node: string;
  summary: import('../service/node').MemorySummary;
  /** Display path of a container file. */
  display: (absPath: string) => string;
}

/** Container rows the memory table shows without --verbose, at most (and every row over the node). */
export const MEMORY_TABLE_ROWS = 20;

type MemorySummaryOf = import('../service/node').MemorySummary;
type MemoryRowOf = MemorySummaryOf['rows'][number];

/**
 * The rows of a node's memory table that matter, largest first: every container that alone is over the
 * node (its PHYSPAGES limit above RAM, SWAPPAGES limit above swap, or its memory above RAM + swap), then
 * the largest others (an unlimited value counts as largest), up to `max` rows in all. All rows, in their
 * own order, when there are at most `max`.
 */
export function memoryRowsThatMatter(s: MemorySummaryOf, max: number): MemoryRowOf[] {
  if (s.rows.length <= max) return s.rows;
  const cap = s.capacity ?? {};
  const ramSwap = cap.ramBytes !== undefined ? cap.ramBytes + (cap.swapBytes ?? 0n) : undefined;
  const sized = s.rows.map((r, i) => {
    const total = (r.ramBytes ?? 0n) + (r.swapBytes ?? 0n) + (r.privvmBytes ?? 0n);
    const over = (cap.ramBytes !== undefined && r.ramBytes !== undefined && r.ramBytes > cap.ramBytes)
      || (cap.swapBytes !== undefined && r.swapBytes !== undefined && r.swapBytes > cap.swapBytes)
      || (ramSwap !== undefined && total > ramSwap);
    return { r, i, total, over, unlimited: (r.unlimited?.length ?? 0) > 0 };
  });
  sized.sort((a, b) => Number(b.over) - Number(a.over) || Number(b.unlimited) - Number(a.unlimited) || (a.total === b.total ? a.i - b.i : a.total > b.total ? -1 : 1));
  const overCount = sized.filter((x) => x.over).length;
  return sized.slice(0, Math.max(max, overCount)).map((x) => x.r);
}

/** A memory table row's note when Virtuozzo 7 refuses the container's config (MemoryRow.refused); '' otherwise. */
function refusedMark(r: MemoryRowOf): string {
  const x = r.refused;
  if (!x) return '';
  return ` [config refused: ${x.source === 'node' ? "vz.conf's " : ''}${escapeControls(x.name)} on line ${x.line}]`;
}

/**
 * The memory table printed after the findings in stylish mode when `--node-ram` / `--node-swap` is
 * given: per node, one row per container with what was counted (vSwap: PHYSPAGES + SWAPPAGES limits;
 * UBC mode: PRIVVMPAGES barrier), then the totals against the node's capacity. A node of more than
 * `maxRows` (default {@link MEMORY_TABLE_ROWS}) containers shows only {@link memoryRowsThatMatter} and a
 * count of the rest, unless `verbose`; the totals are always over every container.
 */
export function formatMemoryTable(tables: readonly MemoryTable[], options: { color: boolean; verbose?: boolean; maxRows?: number }): string {
  const c = colors(options.color);
  const out: string[] = [];
  const size = (b: bigint | undefined): string => (b === undefined ? '-' : formatBytes(b));
  for (const t of tables) {
    const s = t.summary;
    if (s.rows.length === 0) continue;
    out.push('', c.bold(`Memory committed by the containers, against the node's RAM and swap (node ${escapeControls(t.node)})`));
    const shown = options.verbose === true ? s.rows : memoryRowsThatMatter(s, options.maxRows ?? MEMORY_TABLE_ROWS);
    const rows = [['container', 'PHYSPAGES', 'SWAPPAGES', 'PRIVVMPAGES', 'counted (pages × 4 KiB)'], ...shown.map((r) => [escapeControls(t.display(r.path)), size(r.ramBytes), size(r.swapBytes), size(r.privvmBytes), r.basis + refusedMark(r)])];
    const rest = s.rows.length - shown.length;
    if (rest > 0) rows.push([`… ${plural(rest, 'more container')}`, '', '', '', '(--verbose lists them all)']);
    rows.push(['total', formatBytes(s.ramBytes), formatBytes(s.swapBytes), formatBytes(s.privvmBytes), `all: ${formatBytes(s.totalBytes)}`]);
    const cap = s.capacity ?? {};
    rows.push(['node RAM, swap', size(cap.ramBytes), size(cap.swapBytes), '', cap.ramBytes !== undefined ? (cap.swapBytes !== undefined ? `RAM + swap: ${formatBytes(cap.ramBytes + cap.swapBytes)}` : 'RAM alone (swap not given)') : '']);
    const widths = [0, 1, 2, 3].map((i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0));
    for (const [i, r] of rows.entries()) {
      const line = `  ${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padStart(widths[1] ?? 0)}  ${(r[2] ?? '').padStart(widths[2] ?? 0)}  ${(r[3] ?? '').padStart(widths[3] ?? 0)}  ${r[4] ?? ''}`.trimEnd();
      out.push(i === 0 ? c.dim(line) : line);
    }
    if (s.refused) {
      const n = s.refused.containers;
      out.push(`  of the total, ${formatBytes(s.refused.totalBytes)} is from the ${plural(n, 'container')} marked "config refused": Virtuozzo 7 vzctl cannot start ${n === 1 ? 'it' : 'them'} until the value is fixed`);
    }
    const over = [s.overRam ? 'vSwap PHYSPAGES limits above node RAM' : '', s.overSwap ? 'vSwap SWAPPAGES limits above node swap' : '', s.overTotal ? `PHYSPAGES + SWAPPAGES + PRIVVMPAGES above node ${cap.swapBytes !== undefined ? 'RAM + swap' : 'RAM (swap not given)'}` : ''].filter((x) => x !== '');
    out.push(over.length > 0 ? c.yellow(`  ✖ over: ${over.join('; ')}`) : c.green('  ✔ fits the node'));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
