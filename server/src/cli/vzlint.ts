import { readdir, stat } from '../util/fsAsync';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../../package.json';
import { parseKind } from '../model/kind';
import { formatTarget, parseTargetSetting, targetReason } from '../model/target';
import { findConfigFile, loadConfigFile, ConfigFileError, type ConfigFileSettings } from '../service/config';
import { analyze, OptionError, type LintOptions } from '../service/lint';
import { NodeLinter, parseCapacitySize, type NodeFile, type NodeFileOutcome } from '../service/node';
import { confDirListing, confDirOf, ctidOf, findNodeConfig, isInside, isNodeConfigName, type ConfDirNames } from '../service/nodeFiles';
import type { Finding, NodeCapacity } from '../rules/types';
import { getCatalog } from '../catalog/load';
import { editDistance } from '../rules/util';
import type { Severity } from '../catalog/types';
import { lint } from '../service/lint';
import { isTemplateName } from '../parser/template';
import { escapeControls } from '../util/escape';
import { inFolder, resolvePath } from '../util/paths';
import { answerFile, LintPool, WORKER_BATCH, type FileAnswer } from './lintWorker';
import { ConfigReader, errorText, fileSizeOf, PREFETCH_FROM, sizeOptions, readBounded, readStreamBounded, READ_BATCH, StdinConfigReader, type ReadText } from './read';
import { tuneForLargeRun } from './v8Tuning';
import { countSeverities, formatJson, plural, formatMemoryTable, formatStylish, formatStylishFiles, formatStylishSummary, JsonWriter, hasFailures, type FileReport, type MemoryTable, type RunFailures, type SeverityCounts } from './format';
import { discoverConfigFiles, expandGlob, isGlob, MAYBE_NOT_UTF8, splitGlobMatches } from './discover';
import { checkDocsUrlTemplate, formatGithub, formatSarif, SarifWriter, type RunNotification, type SarifOptions } from './sarif';
import { atFixLevel, countUnappliedFixes, fixAll, fixDiff, FixRefused, fixSummaryLine, fixTarget, hasNulByte, keepFinalNewline, NUL_REFUSAL, writeFixed, type FixTotals, type UnappliedFixes } from './fix';
import { buildSummary, formatSummary, SummaryCounter, type NodeSummaryInput } from './summary';
import { IncompleteInstallError } from '../util/besideBundle';
import { MAX_FILE_BYTES } from '../limits';

export { decodeUtf8 } from './read';
export { classifyConfigName, discoverConfigFiles, isConfigFileName, looksLikeConfig } from './discover';

/** Where `runVzlint` writes and resolves paths. Every string written already ends with its newline. */
export interface VzlintIO {
  stdout: (s: string) => void;
  /**
   * Writes UTF-8 bytes to the same stream as {@link stdout}, in order with it: `--format json` then writes
   * its findings as bytes (encoded once per distinct finding, not once per container). Default: none (text).
   */
  stdoutBytes?: (b: Uint8Array) => void;
  /**
   * With {@link stdoutBytes}: writes these byte parts one after the other (`size` bytes in all), as
   * `stdoutBytes` of their concatenation would. Default: none (`stdoutBytes` of one buffer).
   */
  stdoutParts?: (parts: readonly Uint8Array[], size: number) => void;
  stderr: (s: string) => void;
  /** Relative PATHs are resolved against this folder (they are still reported as given). */
  cwd: string;
  /** Whether stdout is a terminal; stylish output is coloured only then. Default false. */
  isTTY?: boolean;
  /** Environment read for `NO_COLOR`. Default: none (so no `NO_COLOR`). */
  env?: Record<string, string | undefined>;
  /** Whether stderr is a terminal: a progress line is shown there only then (runs over a second). */
  stderrIsTTY?: boolean;
  /** The node root linted when no PATH is given. Default `/etc/vz` (tests point it elsewhere). */
  defaultNodeRoot?: string;
  /** Clock in milliseconds, for the progress line. Default `Date.now`. */
  now?: () => number;
  /**
   * Worker threads for large trees: this many when the run has at least `workersFrom` files (0: none), or
   * `auto`: one per free core (`LintPool.wanted`). Default: none — on the 2-core machine measured, one
   * worker made every run slower, at load 0 too (both threads then lint at about half their speed alone).
   * `dist/vzlint.js` takes it from `VZLINT_THREADS` (a number or `auto`).
   */
  workers?: number | 'auto';
  /** Files a run needs before it starts worker threads (default {@link WORKERS_FROM}). */
  workersFrom?: number;
  /**
   * Files a run needs before they are read ahead on a thread of their own (`read.ts` Prefetcher; default
   * `PREFETCH_FROM`; `Infinity`: never). Not with worker threads or --fix.
   */
  prefetchFrom?: number;
  /**
   * Whether a run of many files may tune V8 for itself (`v8Tuning.ts`; process-wide): set by the `vzlint`
   * command (`main.ts`), not by in-process callers. Default false.
   */
  tuneV8?: boolean;
  /** Standard input, read for the PATH `-` (bounded: `readStreamBounded`). Default `process.stdin`. */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** Files a run needs before vzlint starts worker threads: below it, starting them costs more than it saves. */
export const WORKERS_FROM = 1000;

/** Exit codes of vzlint (documented in `--help` and the README). */
export const EXIT = {
  /** No finding at or above `--severity-threshold` (default: error), and `--max-warnings` not exceeded. */
  ok: 0,
  /** A finding at or above the threshold, or more warnings than `--max-warnings`. */
  findings: 1,
  /**
   * Usage error, a PATH or pattern that matched no file (unless `--no-error-on-unmatched-pattern`), a
   * missing or unreadable file, a file `--fix` refused to write, or an internal failure.
   */
  failure: 2,
} as const;

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const HELP_AFTER = `
A PATH that is a file is linted whatever its name. A directory is searched recursively (symlinks not
followed, node_modules and .git skipped) for every config kind vzctl knows, wherever it sits:
vz.conf, sysconfig/vz, 0.conf[.ARCH], ve.conf, ve-*.conf-sample[.ARCH], CTID.conf and UUID.conf
(in conf/ by name, elsewhere when the content has vzctl parameters), and templates of these
(*.conf.j2, .jinja, .jinja2, .erb, .tmpl, .tpl, .gotmpl, .template; ISPConfig's openvz.conf.tpl).
A PATH with * ? [ ] { } is a glob (quote it); every file it matches is linted. A PATH or glob
that matches no file is an error (exit 2) unless --no-error-on-unmatched-pattern. The PATH - reads
one config from standard input, named by --stdin-filename (default <stdin>); it is linted only,
never fixed. Without PATH, vzlint lints this node's /etc/vz (vz.conf and conf/) as one node and
says so on stderr.

Templates (Jinja2/Ansible, ERB/Puppet, Go/Helm, ISPConfig tmpl_var/tmpl_if, \${var}, %(x)s, @VAR@)
are read by name or with --template: a value or key with a placeholder or control tag is not
judged (it can render to anything), control lines are not config lines, and assignments in
different if/else branches are not duplicates.

Each container config is checked with its node config, found as vzctl does (conf/101.conf ->
vz.conf beside conf/; else the nearest vz.conf up to the directory given, or the current
folder for a file), or the one given with --node-config; without one, vzctl defaults apply.
Files of one node are also checked together (shared IP addresses, VE_PRIVATE/VE_ROOT, names,
memory against --node-ram/--node-swap). SIZE: bytes or a K/M/G/T suffix (64G, 512M).
A fleet collected as DIR/<host>/etc/vz/... is one node per host, and every finding names its host.

Options also come from a .vzconf.yaml (the nearest one from each file upward, or --config):
target, kind, rules, knownParameters, ignoreSuppressions, nodeConfig, nodeRam, nodeSwap.
Flags win over the file, the file over the defaults; --rule is merged rule by rule and
--known-parameter adds to the list. An invalid .vzconf.yaml stops vzlint with status 2.

--fix writes the safe fixes of errors and warnings (quoting, spacing, what vzctl ignores anyway,
a byte-order mark that hides the first key; infos and hints only with --fix-level info or hint)
through a temporary file in the same folder (fsync, rename), keeping mode, owner, line endings,
the final newline and every byte it does not fix; it follows symlinks, and refuses a file that
changed since it was read, has no write permission bits (also as root), has other hard links, or
(not as root) belongs to another user. --fix-dry-run prints the fixes as a unified diff and
writes nothing.
Both end with one line on stderr: files changed, fixes applied, unsafe fixes not applied
(--explain prints every finding's fixes, safe or unsafe, under it).

Exit status:
  0  no finding at or above --severity-threshold (default error), warnings within --max-warnings
  1  such a finding, or more warnings than --max-warnings
  2  usage error, nothing matched, a missing or unreadable file, a fix refused, internal error

Examples:
  vzlint                                   lint this node's /etc/vz
  vzlint /etc/vz/conf/101.conf             one container with its node's vz.conf
  vzlint --format sarif nodes/ > vz.sarif  a fleet collected by examples/ansible, for code scanning
  vzlint --format github 'roles/**/templates/*.conf.j2'
  vzlint --max-warnings 0 --quiet configs/ fail on warnings, print errors only
  vzlint --fix-dry-run backup/etc/vz       show what --fix would change
  vzlint --summary --node-ram 64G /etc/vz  containers, findings and memory of the node
  vzlint --kind container rendered/101.conf`;

function buildProgram(io: VzlintIO): Command {
  return new Command()
    .name('vzlint')
    .description('Lint OpenVZ / Virtuozzo config files (vz.conf, CTID.conf, ve-*.conf-sample, 0.conf) and their templates.')
    .addHelpText('after', HELP_AFTER)
    .version(version, '-V, --version', 'print the vzlint version')
    .helpOption('-h, --help', 'show this help')
    .argument('[path...]', 'files, directories or glob patterns to lint (default: /etc/vz)')
    .option(
      '-t, --target <target>',
      'vzctl to check against: auto, classic, classic@<vzctl version> (e.g. classic@4.6), vz7, vz7@<libvzctl version> (e.g. vz7@8.0.70) or vz7@vzctl-<Virtuozzo vzctl version> (e.g. vz7@vzctl-7.0.254)',
      'auto',
    )
    .option('-k, --kind <kind>', 'file kind: auto (from name/content), node, container or ct0', 'auto')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json', 'sarif', 'github']).default('stylish'))
    .option('--stdin-filename <path>', 'with the PATH -: the name of the config read from standard input (kind, target, .vzconf.yaml, vz.conf, output)')
    .option('--template', 'read every file as a template (default: by name, e.g. 101.conf.j2, vz.conf.erb)')
    .option('--node-config <path>', "the node's vz.conf to check every file with (default: found per file, as vzctl does)")
    .option('--node-ram <size>', 'node RAM for the memory check of all containers of a node (e.g. 64G)')
    .option('--node-swap <size>', 'node swap for the memory check (e.g. 8G)')
    .option('-r, --rule <id=level>', 'set a rule\'s severity (error, warning, info, hint) or turn it off; repeatable, e.g. --rule ignored-parameter=off', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--known-parameter <key>', 'a custom key that unknown-parameter accepts (letters, digits, _); repeatable (adds to knownParameters of .vzconf.yaml)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--ignore-suppressions', 'report findings silenced by "# vzconf-disable…" comments too (for audits)')
    .option('--no-suppressions', 'the same as --ignore-suppressions')
    .option('-c, --config <path>', 'read options from this .vzconf.yaml for every file (default: the nearest .vzconf.yaml from each file upward)')
    .option('--no-config', 'do not read any .vzconf.yaml')
    .option('--fix', 'write the safe fixes to the files (atomically; see below)')
    .addOption(new Option('--fix-dry-run', 'print the safe fixes as a unified diff; write nothing').conflicts('fix'))
    .addOption(new Option('--fix-level <level>', 'the lowest severity whose safe fixes --fix applies (infos only when asked)').choices(['error', 'warning', 'info', 'hint']).default('warning'))
    .option('-q, --quiet', 'report errors only (warnings, infos and hints are not printed; they still count for --max-warnings and --severity-threshold)')
    .option('--max-warnings <n>', 'exit 1 when there are more than N warnings (default: no limit)')
    .addOption(new Option('--severity-threshold <level>', 'the lowest severity that makes the exit status 1').choices(['error', 'warning', 'info', 'hint']).default('error'))
    .option('--no-error-on-unmatched-pattern', 'a PATH or glob that matches no file is not an error')
    .option('--summary', 'print a summary per node and for the fleet: containers, findings by rule and severity, memory against the node (JSON with --format json)')
    .option('--print-config <file>', 'print the resolved options, kind and target for FILE as JSON, and lint nothing')
    .option('--docs-url <template>', 'public URL of the rule docs with {rule} (SARIF helpUri), e.g. https://example.org/rules/{rule}.html')
    .option('-v, --verbose', 'list every file checked with its kind and target, also those without findings')
    .option('--explain', 'print the long explanation (why, versions, numbers) and the fixes under each finding')
    .option('--no-color', 'disable colours (also off when stdout is not a terminal or NO_COLOR is set)')
    .showHelpAfterError('(run vzlint --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => {
        for (const line of s.split(/(?<=\n)/)) io.stderr(line);
      },
      // Commander's own errors ("error: unknown option '--x'") carry vzlint's prefix like every other error.
      outputError: (s, write) => write(escapeControls(s.replace(/^error: /, 'vzlint: ').replace(/\n$/, ''), { keepNewlines: true }) + '\n'),
    });
}

interface CliOptions {
  target: string;
  kind: string;
  format: 'stylish' | 'json' | 'sarif' | 'github';
  color: boolean;
  template?: boolean;
  nodeConfig?: string;
  nodeRam?: string;
  nodeSwap?: string;
  rule: string[];
  knownParameter: string[];
  ignoreSuppressions?: boolean;
  suppressions: boolean;
  /** A path (`--config`), false (`--no-config`) or undefined (search upward). */
  config?: string | boolean;
  verbose?: boolean;
  explain?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  /** `--fix-level`: the lowest severity whose safe fixes --fix and --fix-dry-run apply (default warning). */
  fixLevel: Severity;
  quiet?: boolean;
  maxWarnings?: string;
  severityThreshold: Severity;
  errorOnUnmatchedPattern: boolean;
  summary?: boolean;
  printConfig?: string;
  stdinFilename?: string;
  docsUrl?: string;
}

/**
 * Parses `--rule id=level` values against the catalogue.
 * @returns the overrides, or `{ error }` naming the bad value
 */
export function parseRuleOverrides(values: readonly string[]): Record<string, Severity | 'off'> | { error: string } {
  const out: Record<string, Severity | 'off'> = {};
  const catalog = getCatalog();
  for (const v of values) {
    const m = /^([a-z0-9-]+)=(error|warning|info|hint|off)$/.exec(v.trim());
    if (!m) return { error: `"${v}" is not RULE=LEVEL (LEVEL: error, warning, info, hint or off)` };
    const [, id = '', level] = m;
    if (!catalog.hasRule(id)) {
      const near = catalog.catalog.rules.map((r) => r.id).filter((r) => editDistance(id, r, 3) <= 3).slice(0, 3);
      return { error: `unknown rule "${id}"${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : ''} (see docs/rules/README.md)` };
    }
    out[id] = level as Severity | 'off';
  }
  return out;
}

/**
 * Prints reports as they become final (every format, with or without --summary; not with --fix or
 * --print-config, which gather them): each batch in path order, the closing part (stylish's summary
 * line and memory tables, the end of the JSON array or the SARIF log, the --summary) at {@link end}.
 * The text is what formatting all reports at once gives (SARIF: the same document, its artifacts after
 * its results). With --summary only counts are kept (`--format json --summary` prints the summary alone).
 */
class ReportSink {
  private readonly json?: JsonWriter;
  private readonly sarif?: SarifWriter;
  private readonly summary?: SummaryCounter;
  private readonly counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  /**
   * With --quiet, the findings it left out of the output, by severity: the warnings still count for
   * --max-warnings (as ESLint does), and the summary line says what was not shown.
   */
  private readonly hidden?: SeverityCounts;
  private files = 0;
  /** Files found but not checked (see `FileReport.notChecked`), not in {@link files}. */
  private notChecked = 0;
  private withFindings = 0;
  private readonly rank: number;
  private over = false;
  private readonly color: boolean;

  constructor(
    private readonly io: VzlintIO,
    private readonly opts: Pick<CliOptions, 'format' | 'quiet' | 'color' | 'verbose' | 'explain' | 'severityThreshold' | 'summary'>,
    private readonly maxWarnings: number | undefined,
    /** Why the run fails so far (see {@link RunFailures}). */
    private readonly failures: () => RunFailures,
    private readonly tables: readonly MemoryTable[],
    sarif: Omit<SarifOptions, 'summary'>,
  ) {
    if (opts.summary === true) this.summary = new SummaryCounter();
    if (opts.quiet === true) this.hidden = { error: 0, warning: 0, info: 0, hint: 0 };
    if (opts.format === 'json' && !this.summary) this.json = new JsonWriter((s) => io.stdout(s), io.stdoutBytes, io.stdoutBytes ? io.stdoutParts : undefined);
    if (opts.format === 'sarif') this.sarif = new SarifWriter((s) => io.stdout(s), sarif);
    this.rank = SEVERITY_RANK[opts.severityThreshold];
    this.color = opts.color && io.isTTY === true && (io.env?.NO_COLOR ?? '') === '';
  }

  add(reports: FileReport[]): void {
    if (reports.length === 0) return;
    // --quiet: errors only (the others still count for --max-warnings and --severity-threshold).
    if (this.hidden) {
      const all = countSeverities(reports);
      for (const k of ['warning', 'info', 'hint'] as const) this.hidden[k] += all[k];
      for (const r of reports) r.findings = r.findings.filter((f) => f.severity === 'error');
    }
    // One pass (this runs once a batch, unoptimised, over a fleet's 17,500 findings).
    const counts = this.counts;
    const rank = this.rank;
    let over = this.over;
    for (let i = 0; i < reports.length; i += 1) {
      const r = reports[i] as FileReport;
      const findings = r.findings;
      if (findings.length > 0) this.withFindings += 1;
      if (r.notChecked === true) this.notChecked += 1;
      else this.files += 1;
      for (let j = 0; j < findings.length; j += 1) {
        const severity = (findings[j] as Finding).severity;
        counts[severity] += 1;
        if (!over && SEVERITY_RANK[severity] >= rank) over = true;
      }
    }
    this.over = over;
    this.summary?.add(reports);
    if (this.json) this.json.add(reports);
    else if (this.sarif) this.sarif.add(reports);
    else if (this.opts.format === 'github') this.io.stdout(formatGithub(reports));
    else if (this.opts.format === 'stylish') this.io.stdout(formatStylishFiles(reports, { color: this.color, verbose: this.opts.verbose === true, explain: this.opts.explain === true }));
  }

  /**
   * Writes the closing part (with the summary of `nodes` for --summary; SARIF: the exit code and the
   * `notifications` of the run as its invocation); @returns the exit code.
   */
  end(nodes: NodeSummaryInput[], notifications: readonly RunNotification[] = [], skipped = 0): number {
    let summary;
    if (this.summary) {
      const templates = this.summary.templates;
      summary = this.summary.build(templates.length > 0 ? [...nodes, { name: 'templates', files: templates, containers: 0 }] : nodes);
      if (skipped > 0) summary.fleet.skipped = skipped;
    }
    const quietWarnings = this.hidden?.warning ?? 0;
    const hiddenOver = this.hidden ? atThreshold(this.hidden, this.opts.severityThreshold) : '';
    const code = hasFailures(this.failures()) ? EXIT.failure : exitStatus(this.counts.warning + quietWarnings, this.over, this.maxWarnings, this.io, quietWarnings, hiddenOver, this.opts.severityThreshold);
    if (this.json) this.json.end();
    else if (this.sarif) this.sarif.end(summary, { exitCode: code, executionSuccessful: code !== EXIT.failure, notifications });
    else if (this.opts.format === 'json') this.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else if (this.opts.format === 'github') this.io.stdout(summary ? formatSummary(summary, { color: false }) : '');
    else {
      const warnings = this.counts.warning + quietWarnings;
      // Exit 1 for findings --quiet hid (too many warnings, or at --severity-threshold): never a ✔.
      const tooMany = (this.maxWarnings !== undefined && warnings > this.maxWarnings) || (!this.over && hiddenOver !== '') ? { tooManyWarnings: true } : {};
      this.io.stdout(formatStylishSummary(this.counts, this.files, this.withFindings, { color: this.color, failures: this.failures(), ...(this.hidden ? { hidden: this.hidden } : {}), notChecked: this.notChecked, skipped, ...tooMany }) + formatMemoryTable(this.tables, { color: this.color, verbose: this.opts.verbose === true }) + (summary ? formatSummary(summary, { color: this.color }) : ''));
    }
    return code;
  }
}

/**
 * 1 when a finding is at or above the threshold (`over`), or the warnings exceed --max-warnings, or
 * findings that --quiet hid are at or above the threshold (`hiddenOver`, e.g. `3 warnings`: with
 * `--severity-threshold warning` they fail the run as when printed); the reason for a failure the output
 * does not show is said once on stderr. Else 0.
 */
function exitStatus(warnings: number, over: boolean, maxWarnings: number | undefined, io: VzlintIO, hidden = 0, hiddenOver = '', threshold: Severity = 'error'): number {
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    const notShown = hidden === 0 ? '' : hidden === warnings ? ' (not shown: --quiet)' : ` (${hidden} not shown: --quiet)`;
    io.stderr(`vzlint: ${warnings} warning${warnings === 1 ? '' : 's'}${notShown}, more than --max-warnings ${maxWarnings}\n`);
    return EXIT.findings;
  }
  if (over) return EXIT.findings;
  if (hiddenOver !== '') {
    io.stderr(`vzlint: ${hiddenOver} (not shown: --quiet) at or above --severity-threshold ${threshold}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/**
 * The findings of `hidden` (by severity, as --quiet left them out) at or above `threshold`, as text
 * (`3 warnings, 1 info`), or '' when there are none. Errors are never hidden.
 */
function atThreshold(hidden: SeverityCounts, threshold: Severity): string {
  const rank = SEVERITY_RANK[threshold];
  const parts: string[] = [];
  for (const k of ['warning', 'info', 'hint'] as const) if (hidden[k] > 0 && SEVERITY_RANK[k] >= rank) parts.push(plural(hidden[k], k));
  return parts.join(', ');
}

/** Node rules whose findings on a vz.conf that was not asked for are still printed (they are about the containers). */
const ACROSS_CONTAINERS = new Set(['shared-private-path', 'node-memory-overcommit']);

/** A file vzlint was asked for (a PATH, found in a directory, matched by a pattern). */
interface FileEntry {
  /** The path as reported (as given, or the directory given joined with the path found). */
  display: string;
  /** The absolute path. */
  abs: string;
  /** The folder where the upward search for its vz.conf stops (undefined: its own folder only). */
  stop: string | undefined;
  /** Its .vzconf.yaml (undefined: none), once looked for. */
  cfg: string | undefined;
}

/** Orders file entries by display path, in compareStrings' order (UTF-16 code units). */
function byDisplay(a: FileEntry, b: FileEntry): number {
  return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
}

/** One node's files as vzlint lints them together. */
interface NodeGroup {
  /** Absolute path of the node config, if any. */
  nodePath?: string;
  /** Absolute paths of the other files. */
  files: string[];
  /** Folder whose ve-*.conf-sample files name the samples. */
  confDir: string;
  /** A group of one template file (see `parser/template.ts`), linted alone with its node's vz.conf. */
  template?: boolean;
}

/**
 * `text` for one message on stderr: every control character escaped ({@link escapeControls}), line
 * breaks included, except one ending the message.
 */
export function escapeMessage(text: string): string {
  return text.endsWith('\n') ? `${escapeControls(text.slice(0, -1))}\n` : escapeControls(text);
}

/**
 * An internal error as stderr lines: `vzlint: WHAT: internal error: MESSAGE` (the message on one line,
 * whatever it holds), then the stack's `at …` frames, one per line. An {@link IncompleteInstallError} is
 * one line, `vzlint: incomplete install: …`, without a stack.
 */
export function internalErrorLines(what: string | undefined, err: unknown): string[] {
  // Not a bug of ours: a file of the install is missing; the message says which and what to do.
  if (err instanceof IncompleteInstallError) return [`vzlint: ${err.message}\n`];
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const frames = err instanceof Error ? (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : [];
  return [`vzlint: ${what !== undefined ? `${what}: ` : ''}internal error: ${message}\n`, ...frames.map((l) => `${l}\n`)];
}

/**
 * Runs vzlint with the given arguments (without `node` and the script name) and returns the exit
 * code; never calls `process.exit` and writes only through `io`.
 *
 * `vzlint [--target T] [--kind K] [--format stylish|json] [--node-config PATH] [--node-ram SIZE]
 * [--node-swap SIZE] [--no-color] PATH...`
 *
 * - Files are grouped into nodes: a node config (`vz.conf`) with the files that use it, found per file
 *   as vzctl does (`nodeFiles.ts`; the upward search stops at the directory argument, or at `cwd` for
 *   explicit files) or given with `--node-config`; each group goes through `lintNode` (container configs
 *   with their vz.conf, then the cross-container rules). Findings on a vz.conf that was not asked for are
 *   still printed when they are node-level ones, under the vz.conf's path (relative to `cwd` when inside).
 * - `--node-ram` / `--node-swap` (bytes or K/M/G/T suffix) enable the memory check and, in stylish
 *   mode, a memory table per node after the findings. JSON output stays one array of findings.
 *
 * - Explicit files are linted whatever their name; directories are searched (see
 *   {@link isConfigFileName}). All files are linted in sorted path order, each once.
 * - Files are decoded as UTF-8 with replacement (see {@link decodeUtf8}).
 * - `--format json` prints one array of `JsonFinding` (see `format.ts`); `stylish` is for humans.
 * - Returns 0 when no finding has error severity, 1 when one has, 2 on a usage error, a missing
 *   path or an unreadable file (after linting the other files).
 * - `--format sarif`: such problems with files are also the invocation's notifications ({@link RunNotification});
 *   `carried` are those of a --fix pass, and the files it refused ({@link RunFailures}), for the run after it
 *   that reports what is left.
 */
export async function runVzlint(argv: string[], given: VzlintIO, carried: { notifications?: readonly RunNotification[]; failures?: RunFailures } = {}): Promise<number> {
  // Every message on stderr may name a file or quote a setting: control characters are shown escaped,
  // line breaks too except the one ending the message, so a file name cannot erase earlier lines, retitle
  // the terminal or start a line of its own (a GitHub Actions runner reads `::error …::` and
  // `::stop-commands::` on stderr as workflow commands). A message of several lines is written line by line.
  const io: VzlintIO = { ...given, stderr: (s: string) => given.stderr(escapeMessage(s)) };
  // The progress line is vzlint's own text (CR and erase-line on purpose), written unescaped.
  const progressStderr = given.stderr;
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.failure;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  const paths = program.args;

  const fromCli = (name: string): boolean => program.getOptionValueSource(name) === 'cli';
  const setting = parseTargetSetting(opts.target);
  if ('error' in setting) {
    io.stderr(`vzlint: --target: ${setting.error}\n`);
    return EXIT.failure;
  }
  const kind = parseKind(opts.kind);
  if (typeof kind === 'object') {
    io.stderr(`vzlint: --kind: ${kind.error}\n`);
    return EXIT.failure;
  }

  const parsedRules = parseRuleOverrides(opts.rule);
  if ('error' in parsedRules && typeof parsedRules.error === 'string') {
    io.stderr(`vzlint: --rule: ${parsedRules.error}\n`);
    return EXIT.failure;
  }
  const cliRules = parsedRules as Record<string, Severity | 'off'>;
  for (const k of opts.knownParameter) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      io.stderr(`vzlint: --known-parameter: "${k}" is not a parameter name (letters, digits and _, not starting with a digit)\n`);
      return EXIT.failure;
    }
  }
  if (opts.config === '') {
    io.stderr('vzlint: --config: the path is empty (give a .vzconf.yaml, or --no-config)\n');
    return EXIT.failure;
  }
  const cliIgnoreSuppressions = opts.ignoreSuppressions === true || opts.suppressions === false;

  /** Parses --node-ram / --node-swap (or nodeRam / nodeSwap of a .vzconf.yaml) into a capacity. */
  const parseCapacity = (ram: [string, string | undefined], swap: [string, string | undefined]): NodeCapacity | string => {
    const cap: NodeCapacity = {};
    for (const [[label, value], key] of [[ram, 'ramBytes'], [swap, 'swapBytes']] as const) {
      if (value === undefined || value === '') continue;
      const size = parseCapacitySize(value, key === 'swapBytes');
      if (typeof size === 'object') return `${label}: ${size.error}`;
      cap[key] = size;
    }
    return cap;
  };
  const cliCapacity = parseCapacity(['--node-ram', opts.nodeRam], ['--node-swap', opts.nodeSwap]);
  if (typeof cliCapacity === 'string') {
    io.stderr(`vzlint: ${cliCapacity}\n`);
    return EXIT.failure;
  }
  /** Node configs read up front (the same bounded reader as every file): absolute path -> text. */
  const nodeTexts = new Map<string, { text: string; sizeBytes?: number; bytes?: Uint8Array }>();
  const checkNodeConfig = async (label: string, given: string, abs: string): Promise<boolean> => {
    if (given === '') {
      io.stderr(`vzlint: ${label}: the path is empty\n`);
      return false;
    }
    const read = await readBounded(abs);
    if ('error' in read) {
      io.stderr(`vzlint: ${label}: ${given}: ${read.error}\n`);
      return false;
    }
    nodeTexts.set(abs, read);
    return true;
  };
  let nodeOverride: string | undefined;
  if (opts.nodeConfig !== undefined) {
    nodeOverride = path.resolve(io.cwd, opts.nodeConfig);
    if (!(await checkNodeConfig('--node-config', opts.nodeConfig, nodeOverride))) return EXIT.failure;
  }

  let maxWarnings: number | undefined;
  if (opts.maxWarnings !== undefined) {
    if (!/^\d+$/.test(opts.maxWarnings)) {
      io.stderr(`vzlint: --max-warnings: "${opts.maxWarnings}" is not a whole number of 0 or more\n`);
      return EXIT.failure;
    }
    maxWarnings = Number(opts.maxWarnings);
  }
  if (opts.docsUrl !== undefined) {
    const bad = checkDocsUrlTemplate(opts.docsUrl);
    if (bad !== undefined) {
      io.stderr(`vzlint: --docs-url: ${bad}\n`);
      return EXIT.failure;
    }
  }
  if (opts.printConfig !== undefined && paths.length > 0) {
    io.stderr('vzlint: --print-config FILE takes no other PATH\n');
    return EXIT.failure;
  }

  /**
   * The run's notifications for SARIF's invocation (a file that could not be checked, one skipped …);
   * `carried`: those of the --fix pass before this run (which reports what is left after fixing).
   */
  const notifications: RunNotification[] = [...(carried.notifications ?? [])];
  /** Why the run fails (exit 2), by cause, for the summary line; with those of the --fix pass before it. */
  const failures: RunFailures = { ...carried.failures };
  const failed = (): boolean => hasFailures(failures);
  /**
   * A problem with a file or folder (absolute path `abs`), not a finding: printed on stderr as
   * `vzlint: [warning: ]TEXT`, kept for SARIF; an error makes the run fail (exit 2) after the other files,
   * counted under `cause` (default: a file or folder that could not be read).
   */
  const problem = (level: RunNotification['level'], abs: string | undefined, text: string, cause: keyof RunFailures = 'unread'): void => {
    io.stderr(`vzlint: ${level === 'warning' ? 'warning: ' : level === 'note' ? 'note: ' : ''}${text}\n`);
    if (level === 'error') failures[cause] = (failures[cause] ?? 0) + 1;
    if (opts.format === 'sarif') notifications.push({ level, message: escapeControls(text), ...(abs !== undefined ? { file: abs } : {}) });
  };
  /**
   * The files asked for, each once (the first display path wins), in the order given: one record each, and
   * one map by absolute path (a map per property was five maps of 10,000 paths in a fleet run, each grown
   * through fresh pages: ~80 M instructions of set-up).
   */
  const entries: FileEntry[] = [];
  const entryOf = new Map<string, FileEntry>();
  // Absolute path -> host, for files found under DIR/<host>/etc/vz/.
  const hostOf = new Map<string, string>();
  /** Adds a file (`stop`: the folder where the upward search for its vz.conf stops) unless it is there. */
  const add = (display: string, abs: string, stop: string | undefined): void => {
    if (entryOf.has(abs)) return;
    const e: FileEntry = { display, abs, stop, cfg: undefined };
    entries.push(e);
    entryOf.set(abs, e);
  };
  const unmatched = (what: string, abs?: string): void => {
    if (opts.errorOnUnmatchedPattern) problem('error', abs, `no files matching ${what} were found (use --no-error-on-unmatched-pattern to allow this)`, 'unmatched');
    else problem('note', abs, `no files matching ${what}`);
  };
  // The loops over every file of a tree (this one, addFound, and those below over `ordered`, each node's
  // files in addBatch) run in functions of their own, not in runVzlint's frame: run there 10,000 times, they
  // made V8 optimise the whole of runVzlint, twice, which was a quarter of the optimising compiler's work (and
  // a tenth of all instructions) over a node of 10,000 containers; runVzlint's own work is a few steps a node.
  /** Adds the files a glob pattern matched (`rel`: relative to the working directory). */
  const addMatched = (matched: readonly string[]): void => {
    for (const rel of matched) {
      const fileAbs = resolvePath(io.cwd, rel);
      add(rel, fileAbs, isInside(fileAbs, io.cwd) ? io.cwd : undefined);
    }
  };
  /** Adds the files found in the folder `abs`, with the host of those under `abs/<host>/etc/vz/`. */
  const addFound = (found: readonly string[], abs: string): void => {
    const inside = `${abs}${path.sep}`;
    // The folder of the file before and its host: the host depends on a file's folder only (what the pattern
    // matches ends with a `/`), and the files of a folder come one after another (sorted).
    let lastDir: string | undefined;
    let lastHost: string | undefined;
    for (const f of found) {
      const fileAbs = resolvePath(io.cwd, f);
      add(f, fileAbs, abs);
      let host: string | undefined;
      if (lastDir !== undefined && inFolder(fileAbs, lastDir)) host = lastHost;
      else {
        const within = fileAbs.startsWith(inside);
        const rel = within ? fileAbs.slice(abs.length + 1) : path.relative(abs, fileAbs);
        host = /^([^/]+)\/etc\/vz\//.exec(path.sep === '/' ? rel : rel.split(path.sep).join('/'))?.[1];
        lastDir = within && path.sep === '/' ? fileAbs.slice(0, fileAbs.lastIndexOf('/')) : undefined;
        lastHost = host;
      }
      if (host !== undefined && !hostOf.has(fileAbs)) hostOf.set(fileAbs, host);
    }
  };
  const pathArgs = opts.printConfig !== undefined ? [opts.printConfig] : [...paths];
  // `vzlint -`: one config from standard input, named by --stdin-filename (default <stdin>, in the working
  // directory, where .vzconf.yaml and vz.conf are then looked for). Linted only: --fix has no file to write.
  const usage = (message: string): number => {
    io.stderr(`vzlint: ${message}\n`);
    return EXIT.failure;
  };
  const stdinAsked = opts.printConfig === undefined && pathArgs.includes('-');
  if (opts.stdinFilename !== undefined && !stdinAsked) return usage('--stdin-filename names standard input: give the PATH - too');
  if (stdinAsked && pathArgs.length > 1) return usage('- (standard input) must be the only PATH');
  if (stdinAsked && (opts.fix === true || opts.fixDryRun === true)) return usage(`${opts.fix === true ? '--fix' : '--fix-dry-run'} needs files: standard input is only linted`);
  if (opts.stdinFilename !== undefined && opts.stdinFilename.trim() === '') return usage('--stdin-filename: the name is empty');
  const stdinDisplay = opts.stdinFilename ?? '<stdin>';
  const stdinAbs = stdinAsked ? path.resolve(io.cwd, stdinDisplay) : undefined;
  const stdinText = stdinAsked ? await readStreamBounded(io.stdin ?? process.stdin) : undefined;
  /** Files glob patterns matched that are not configs by name or content: not linted, counted in the summary. */
  let skippedByPattern = 0;
  /** The samples and CTID.conf names of each folder the directory searches listed (absolute path), for confDirListing. */
  const listings = new Map<string, ConfDirNames>();
  if (pathArgs.length === 0) {
    const root = io.defaultNodeRoot ?? '/etc/vz';
    let isDir = false;
    try {
      isDir = (await stat(root)).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      io.stderr(`vzlint: no PATH given and ${root} is not a directory (this is not an OpenVZ / Virtuozzo node); name the files or folders to lint\n`);
      io.stderr('(run vzlint --help for usage)\n');
      return EXIT.failure;
    }
    io.stderr(`vzlint: no PATH given: linting this node's ${root} (vz.conf and conf/) as one node\n`);
    pathArgs.push(root);
  }
  for (const arg of pathArgs) {
    if (stdinAbs !== undefined && arg === '-') {
      add(stdinDisplay, stdinAbs, isInside(stdinAbs, io.cwd) ? io.cwd : undefined);
      continue;
    }
    const abs = path.resolve(io.cwd, arg);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      if (opts.printConfig === undefined && isGlob(arg)) {
        const { configs: matched, skipped } = await splitGlobMatches(await expandGlob(arg, io.cwd), io.cwd);
        if (skipped.length > 0) {
          // Files of the pattern that are clearly not configs (README.md, MANIFEST.json): one line, not a lint each.
          skippedByPattern += skipped.length;
          const named = skipped.slice(0, 3).map((f) => escapeControls(f)).join(', ');
          const rest = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
          if (matched.length === 0) unmatched(`the pattern "${escapeControls(arg)}" (it matched ${plural(skipped.length, 'file')}, none an OpenVZ / Virtuozzo config by name or content: ${named}${rest}; name a file to lint it anyway)`);
          else problem('note', undefined, `the pattern "${escapeControls(arg)}" matched ${plural(skipped.length, 'file')} that ${skipped.length > 1 ? 'are not OpenVZ / Virtuozzo configs' : 'is not an OpenVZ / Virtuozzo config'} by name or content, skipped: ${named}${rest} (name a file to lint it anyway)`);
        } else if (matched.length === 0) unmatched(`the pattern "${arg}"`);
        addMatched(matched);
        continue;
      }
      // A PATH that does not exist matches no file; one that cannot be looked at could not be read. A name
      // with U+FFFD may have come with bytes that are not UTF-8 (Node replaced them): said so.
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      problem('error', abs, `${arg}: ${errorText(err)}${missing && arg.includes('\uFFFD') ? `; ${MAYBE_NOT_UTF8}` : ''}`, missing ? 'unmatched' : 'unread');
      continue;
    }
    if (st.isDirectory() && opts.printConfig === undefined) {
      let hasFiles = false;
      try {
        hasFiles = (await readdir(abs, { withFileTypes: true })).some((e) => e.isFile());
      } catch (err) {
        problem('error', abs, `${arg}: cannot read the directory: ${errorText(err)}`);
        continue;
      }
      const found = await discoverConfigFiles(arg, abs, (folder, err) => {
        const shown = isInside(folder, io.cwd) ? path.relative(io.cwd, folder) || '.' : folder;
        problem('warning', folder, `${shown}: folder skipped, cannot read it: ${errorText(err)}`);
      }, (file, why) => problem('warning', path.resolve(io.cwd, file), `${file}: skipped, ${why}`), (folder, names) => listings.set(folder, names), true);
      // Files that are there but not named as vzctl names its configs (a collection of samples, say) are
      // linted when named: say how, rather than only that nothing matched.
      if (found.length === 0) unmatched(`"${arg}" (no OpenVZ / Virtuozzo config files or templates in this directory${hasFiles ? `; files of other names are linted when named, e.g. "${path.join(arg, '*')}"` : ''})`, abs);
      addFound(found, abs);
    } else if (st.isFile()) {
      add(arg, abs, isInside(abs, io.cwd) ? io.cwd : undefined);
    } else {
      // A named pipe, socket or device: the bounded reader says which, without opening it.
      const read = await readBounded(abs);
      problem('error', abs, `${arg}: ${'error' in read ? read.error : `not a regular file${opts.printConfig === undefined ? ' or directory' : ''}`}`);
    }
  }
  if (opts.printConfig !== undefined && failed()) return EXIT.failure;
  // A path ending in `.conf` (every CTID.conf) has no template extension: no look at its name.
  const isTemplate = (abs: string): boolean => opts.template === true || (!abs.endsWith('.conf') && isTemplateName(abs));

  // Every file is read when its node is linted (below), bounded in size and time (a FIFO or /proc/kmsg is
  // refused, never waited on), and dropped once linted: only findings and what the node checks compare stay.
  // Sorted by display path: the order files are linted and reported in (a directory's files come sorted:
  // one comparison each).
  const ordered = entries.sort(byDisplay);
  /** Asked files whose read failed: no longer asked. */
  const dropped = new Set<string>();
  /** Whether a file was asked for (and not dropped: its read failed). */
  const asked = (abs: string): boolean => entryOf.has(abs) && !dropped.has(abs);
  const display = (abs: string): string => entryOf.get(abs)?.display ?? (isInside(abs, io.cwd) ? path.relative(io.cwd, abs) : abs);
  /**
   * A node's folder as its files are displayed: the folder of a file of it that is displayed as given
   * (`../shared/corpus/upstream/x/conf`, not the absolute path a symlink resolves to), else {@link display}.
   */
  const displayDir = (dir: string, files: readonly string[]): string => {
    const inside = files.find((f) => path.dirname(f) === dir && entryOf.has(f));
    return inside !== undefined ? path.dirname(display(inside)) : display(dir);
  };
  const reader = stdinAbs !== undefined && stdinText !== undefined ? new StdinConfigReader(stdinAbs, stdinText) : new ConfigReader();
  const keepForFix = opts.fix === true || opts.fixDryRun === true || opts.printConfig !== undefined;
  // Worker threads for large trees (not with --fix or --print-config, which keep every text here).
  const threads = keepForFix || io.workers === undefined ? 0 : io.workers === 'auto' ? LintPool.wanted(ordered.length, io.workersFrom ?? WORKERS_FROM, availableParallelism(), loadavg()[0] ?? 0) : ordered.length >= (io.workersFrom ?? WORKERS_FROM) ? io.workers : 0;
  // A large run without worker threads has its files read ahead on a thread of its own (below): started
  // now, so that its start overlaps the .vzconf.yaml look-ups and the grouping; its list follows.
  if (threads === 0 && !keepForFix) reader.prepare(ordered.length, io.prefetchFrom);
  const limitText = `larger than ${MAX_FILE_BYTES / 1048576} MiB`;
  /**
   * An asked file too large to check whose `file-too-large` rule is off: no finding says it was not
   * checked, so a warning does (in SARIF a notification: the run's results do not cover the file).
   */
  const uncheckedQuietly = (abs: string, read: ReadText): void => {
    if (read.sizeBytes === undefined || optionsOf.get(configOf(abs))?.rules['file-too-large'] !== 'off') return;
    problem('warning', abs, `${display(abs)}: not checked, ${limitText} (file-too-large is off)`);
    notChecked.add(abs);
  };
  /** Files {@link uncheckedQuietly} told of: their reports are marked, and summaries count them apart. */
  const notChecked = new Set<string>();
  /**
   * A read's outcome taken in: an error said (stderr, SARIF notification) and the file dropped, else its text.
   * Reads that run together are settled in file order (the order the messages and notifications come in).
   */
  const settleRead = (abs: string, read: ReadText | { error: string }): ReadText | undefined => {
    if ('error' in read) {
      problem('error', abs, `${display(abs)}: ${read.error}`);
      dropped.add(abs);
      return undefined;
    }
    uncheckedQuietly(abs, read);
    return read;
  };
  /**
   * Reads an asked file (its error on stderr): the text, or undefined. `apart`: a node config, never among
   * the files read ahead (`ConfigReader.readApart`).
   */
  const readAsked = async (abs: string, apart = false): Promise<ReadText | undefined> => settleRead(abs, nodeTexts.get(abs) ?? (await (apart ? reader.readApart(abs) : reader.read(abs))));

  // The .vzconf.yaml of each file: --config, else the nearest one upward (none with --no-config).
  const configs = new Map<string, ConfigFileSettings>();
  /** The .vzconf.yaml of an asked file (set by readConfigs). */
  const configOf = (abs: string): string | undefined => entryOf.get(abs)?.cfg;
  /** The .vzconf.yaml files of the asked files (undefined: none), each once, in file order. */
  const cfgList: (string | undefined)[] = [];
  const explicitConfig = typeof opts.config === 'string' ? path.resolve(io.cwd, opts.config) : undefined;
  // Once per folder, not once per file (a node's conf/ holds thousands).
  const configByDir = new Map<string, Promise<string | undefined>>();
  const configIn = (dir: string): Promise<string | undefined> => {
    let found = configByDir.get(dir);
    if (!found) configByDir.set(dir, (found = findConfigFile(dir)));
    return found;
  };
  /**
   * readConfigs' files from `from` on that take `cfg` as theirs without an await: those in `dir` (the
   * folder whose .vzconf.yaml `cfg` is), or all of them when `dir` is undefined (one configuration for the
   * run, or none); each gets `cfg`. Returns the index of the first file that is not one of them. A plain
   * loop: in the async readConfigs, V8 optimised the loop over 10,000 files twice (on-stack, then again
   * for the resumption after its first await), ~50 ms of its compiler at the start of a run.
   */
  const sameConfig = (from: number, cfg: string | undefined, dir: string | undefined): number => {
    let i = from;
    for (; i < ordered.length; i += 1) {
      const e = ordered[i] as (typeof ordered)[number];
      if (dir !== undefined && !inFolder(e.abs, dir)) break;
      e.cfg = cfg;
    }
    return i;
  };
  /** Finds and reads each file's .vzconf.yaml; false when one is not valid (said on stderr). */
  const readConfigs = async (): Promise<boolean> => {
    // The folder of the file before and its answer: the files of a folder come one after another (sorted),
    // and each would build its folder's name and wait for the folder's answer again.
    let lastDir: string | undefined;
    let lastCfg: string | undefined;
    for (let i = 0; i < ordered.length; ) {
      const e = ordered[i] as (typeof ordered)[number];
      const abs = e.abs;
      let cfg = explicitConfig;
      if (cfg === undefined && opts.config !== false) {
        if (lastDir !== undefined && inFolder(abs, lastDir)) cfg = lastCfg;
        else {
          lastDir = path.dirname(abs);
          cfg = lastCfg = await configIn(lastDir);
        }
      }
      e.cfg = cfg;
      // The files after it with the same answer, in a plain loop (sameConfig): nothing of theirs is awaited.
      i = sameConfig(i + 1, cfg, explicitConfig === undefined && opts.config !== false ? lastDir : undefined);
      if (cfgList.length === 0 || (cfg !== cfgList[cfgList.length - 1] && !cfgList.includes(cfg))) cfgList.push(cfg);
      if (cfg === undefined || configs.has(cfg)) continue;
      try {
        configs.set(cfg, await loadConfigFile(cfg));
      } catch (err) {
        if (!(err instanceof ConfigFileError)) throw err;
        // Always name the file: as given to --config, else relative to the working directory (the
        // working directory itself has the empty relative path, so then the absolute one).
        const explicit = cfg === explicitConfig && typeof opts.config === 'string' && opts.config !== '';
        const shown = explicit ? (opts.config as string) : (isInside(err.path, io.cwd) ? path.relative(io.cwd, err.path) : '') || err.path;
        if (err.unreadable) io.stderr(`vzlint: ${explicit ? '--config: ' : ''}${shown}: cannot use it as configuration: ${err.detail}\n`);
        // Every problem on its own line (bounded in ConfigFileError.problems).
        else for (const p of err.problems) io.stderr(`vzlint: ${shown}:${p.line + 1}:${p.character + 1}: invalid configuration: ${p.detail}\n`);
        return false;
      }
    }
    return true;
  };
  if (!(await readConfigs())) return EXIT.failure;

  /** The options of one file: flags > its .vzconf.yaml > defaults. */
  interface FileOptions {
    target: string;
    kind: string;
    /** Where target and kind were set (`--target`, the .vzconf.yaml as displayed), for the reasons shown with them. */
    targetSource?: string;
    kindSource?: string;
    rules: Record<string, Severity | 'off'>;
    knownParameters: string[];
    ignoreSuppressions: boolean;
    nodeConfig?: string;
    capacity?: NodeCapacity;
  }
  const optionsOf = new Map<string | undefined, FileOptions>();
  const sourcesOf = (o: FileOptions): Pick<LintOptions, 'targetSource' | 'kindSource'> => ({
    ...(o.targetSource !== undefined ? { targetSource: o.targetSource } : {}),
    ...(o.kindSource !== undefined ? { kindSource: o.kindSource } : {}),
  });
  for (const cfg of cfgList) {
    const file = cfg !== undefined ? (configs.get(cfg) ?? {}) : {};
    const capacity = parseCapacity(
      opts.nodeRam !== undefined ? ['--node-ram', opts.nodeRam] : [`${cfg}: nodeRam`, file.nodeRam],
      opts.nodeSwap !== undefined ? ['--node-swap', opts.nodeSwap] : [`${cfg}: nodeSwap`, file.nodeSwap],
    );
    if (typeof capacity === 'string') {
      io.stderr(`vzlint: ${capacity}\n`);
      return EXIT.failure;
    }
    let nodeConfig = nodeOverride;
    if (nodeConfig === undefined && file.nodeConfig !== undefined) {
      nodeConfig = file.nodeConfig;
      if (!(await checkNodeConfig(`${cfg}: nodeConfig`, file.nodeConfig, nodeConfig))) return EXIT.failure;
    }
    const o: FileOptions = {
      target: fromCli('target') ? opts.target : (file.target ?? opts.target),
      kind: fromCli('kind') ? opts.kind : (file.kind ?? opts.kind),
      rules: { ...(file.rules ?? {}), ...cliRules },
      knownParameters: [...new Set([...(file.knownParameters ?? []), ...opts.knownParameter])],
      ignoreSuppressions: cliIgnoreSuppressions || file.ignoreSuppressions === true,
    };
    if (fromCli('target')) o.targetSource = 'by --target';
    else if (file.target !== undefined && cfg !== undefined) o.targetSource = `in ${display(cfg)}`;
    if (fromCli('kind')) o.kindSource = 'by --kind';
    else if (file.kind !== undefined && cfg !== undefined) o.kindSource = `in ${display(cfg)}`;
    if (nodeConfig !== undefined) o.nodeConfig = nodeConfig;
    if (capacity.ramBytes !== undefined || capacity.swapBytes !== undefined) o.capacity = capacity;
    // A bad target or kind stops the run before anything is printed (output streams node by node).
    try {
      analyze('', { target: o.target, kind: o.kind });
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      io.stderr(`vzlint: ${cfg !== undefined && !fromCli('target') && !fromCli('kind') ? `${display(cfg)}: ` : ''}${err.message}\n`);
      return EXIT.failure;
    }
    optionsOf.set(cfg, o);
  }

  // Group the files into nodes: each vz.conf with the files that use it (a given node config: one node),
  // separately for each set of options.
  const groups = new Map<string, NodeGroup & { cfg: string | undefined }>();
  const nodeConfigByDir = new Map<string, Promise<string | undefined>>();
  const groupFiles = async (): Promise<void> => {
    // The last file that is neither a node config nor a template: its folder, options, stop folder and
    // group. The next file of the same folder with the same options and stop folder has the same node
    // config and group (a fleet's conf/ folder: 10,000 files, one node), so its keys are not built again.
    let last: { dir: string; cfg: string | undefined; stop: string | undefined; g: NodeGroup & { cfg: string | undefined }; nodePath: string | undefined } | undefined;
    for (const e of ordered) {
      const abs = e.abs;
      const cfg = e.cfg;
      // A template is linted on its own (with its node's plain vz.conf): its placeholders say nothing
      // about the node's other containers.
      const template = isTemplate(abs);
      const stop = e.stop;
      if (last !== undefined && !template && last.cfg === cfg && last.stop === stop && inFolder(abs, last.dir) && !isNodeConfigName(abs)) {
        if (abs !== last.nodePath) last.g.files.push(abs);
        continue;
      }
      const o = optionsOf.get(cfg) as FileOptions;
      let nodePath: string | undefined;
      if (o.nodeConfig !== undefined) nodePath = o.nodeConfig;
      else if (isNodeConfigName(abs)) nodePath = abs;
      else {
        // The search depends on the folder and where it stops only: once per folder.
        const key = `${path.dirname(abs)}\0${stop ?? ''}`;
        let found = nodeConfigByDir.get(key);
        if (!found) nodeConfigByDir.set(key, (found = findNodeConfig(abs, { stopAt: stop })));
        nodePath = await found;
      }
      const key = `${cfg ?? ''}\0${nodePath ?? `\0${path.dirname(abs)}`}${template ? `\0template\0${abs}` : ''}`;
      let g = groups.get(key);
      if (!g) {
        g = { cfg, files: [], confDir: nodePath && o.nodeConfig === undefined ? confDirOf(nodePath) : path.dirname(abs), template };
        if (nodePath !== undefined) g.nodePath = nodePath;
        groups.set(key, g);
      }
      if (abs !== nodePath) g.files.push(abs);
      last = !template && !isNodeConfigName(abs) ? { dir: path.dirname(abs), cfg, stop, g, nodePath } : undefined;
    }
  };
  await groupFiles();

  const reports: FileReport[] = [];
  const tables: MemoryTable[] = [];
  const reported = new Set<string>();
  // Display path -> absolute path, and the lint options and text of each file asked for (--fix and
  // --print-config only: a plain run keeps nothing of a file but its findings).
  const absOfReport = new Map<string, string>();
  const lintOptionsOf = new Map<string, LintOptions>();
  const textOf = new Map<string, ReadText>();
  const nodeSummaries: NodeSummaryInput[] = [];
  // A progress line on a terminal's stderr for runs over a second ("vzlint: 1200/10000 files").
  const now = io.now ?? Date.now;
  const started = now();
  let done = 0;
  let progressShown = false;
  const progress = (): void => {
    done += 1;
    if (io.stderrIsTTY !== true || now() - started < 1000) return;
    progressStderr(`\rvzlint: ${done}/${groups.size} nodes and templates checked…`);
    progressShown = true;
  };
  const internal = (what: string, err: unknown): void => {
    const lines = internalErrorLines(what, err);
    for (const line of lines) io.stderr(line);
    failures.internal = (failures.internal ?? 0) + 1;
    if (opts.format === 'sarif') notifications.push({ level: 'error', message: escapeControls((lines[0] as string).slice('vzlint: '.length, -1)) });
  };
  // Output: reports are printed as soon as no node still to lint can report a file before them (node by
  // node in a fleet), in path order; --fix and --print-config need them all first.
  const pending: { report: FileReport; abs: string }[] = [];
  /** A node config too large to read: its files are checked without it, an error as for any unreadable one. */
  const nodeTooLarge = (abs: string): void => problem('error', abs, `${display(abs)}: cannot read the node config: ${limitText}`);
  /**
   * Reports an asked node config too large to read (its `file-too-large` finding, unless the rule is off)
   * apart from its containers, which are checked without it.
   */
  const reportTooLarge = (abs: string, read: ReadText, o: FileOptions): void => {
    const r = lint(read.text, { path: abs, target: o.target, kind: o.kind, rules: o.rules, ...sizeOptions(read), ...sourcesOf(o) });
    const host = hostOf.get(abs);
    pending.push({ report: { file: display(abs), kind: r.kind, target: r.target, findings: r.findings, ...(host !== undefined ? { host } : {}) }, abs });
    absOfReport.set(display(abs), abs);
    reported.add(abs);
  };
  const groupList = [...groups.values()];
  /** The node configs of the groups: the only files two of them (or a report apart) can report. */
  const nodePaths = new Set<string>();
  for (const g of groupList) if (g.nodePath !== undefined) nodePaths.add(g.nodePath);
  /** Whether anything reads {@link absOfReport} for the files of nodes (see reportFiles). */
  const absNeeded = opts.format === 'sarif' || keepForFix;
  const minDisplay = (g: NodeGroup): string => [g.files[0], g.nodePath].filter((p): p is string => p !== undefined).map(display).reduce((a, b) => (compareStrings(a, b) <= 0 ? a : b), '\uffff');
  // firstOf[i]: the first path that node i or a later one can report.
  const firstOf: string[] = [];
  for (let i = groupList.length - 1; i >= 0; i -= 1) {
    const m = minDisplay(groupList[i] as NodeGroup);
    const next = firstOf[i + 1];
    firstOf[i] = next !== undefined && compareStrings(next, m) < 0 ? next : m;
  }
  const sarifOptions: Omit<SarifOptions, 'summary'> = { version, root: io.cwd, absolutePath: (r) => absOfReport.get(r.file) ?? path.resolve(io.cwd, r.file), ...(opts.docsUrl !== undefined ? { docsUrl: opts.docsUrl } : {}) };
  const sink = !keepForFix ? new ReportSink(io, opts, maxWarnings, () => failures, tables, sarifOptions) : undefined;
  const flush = (bound: string | undefined): void => {
    if (pending.length === 0) return;
    // A node's files come in path order (a fleet's 10,000): sorted only when they are not (this code runs
    // once a node, unoptimised: a pass of comparisons instead of a comparator called for each).
    let sorted = true;
    for (let i = 1; i < pending.length && sorted; i += 1) sorted = compareStrings((pending[i - 1] as (typeof pending)[number]).report.file, (pending[i] as (typeof pending)[number]).report.file) <= 0;
    if (!sorted) pending.sort((a, b) => compareStrings(a.report.file, b.report.file));
    let n = 0;
    if (bound === undefined) n = pending.length;
    else while (n < pending.length && compareStrings((pending[n] as (typeof pending)[number]).report.file, bound) < 0) n += 1;
    // A few hundred files at a time.
    const done = pending.splice(0, n);
    if (notChecked.size > 0) {
      for (const { report, abs } of done) if (notChecked.has(abs)) report.notChecked = true;
    }
    for (let from = 0; from < done.length; from += 256) {
      const ready = done.slice(from, from + 256).map((p) => p.report);
      if (sink) sink.add(ready);
      else for (const r of ready) reports.push(r);
    }
  };
  let pool: LintPool | undefined = threads > 0 ? new LintPool(threads) : undefined;
  // A large run without worker threads has its files read ahead on a thread of its own (read.ts Prefetcher).
  if (!pool && !keepForFix) {
    // One node (a fleet's conf/ folder) is its own list, unless standard input or a node config read up front is to be left out.
    const all = groupList.length === 1 ? (groupList[0] as NodeGroup).files : groupList.flatMap((g) => g.files);
    reader.prefetch(stdinAbs === undefined && nodeTexts.size === 0 ? all : all.filter((p) => p !== stdinAbs && !nodeTexts.has(p)), io.prefetchFrom);
  }
  if (io.tuneV8 === true && ordered.length >= PREFETCH_FROM) tuneForLargeRun(threads);
  try {
    for (const [gi, g] of [...groups.values()].entries()) {
      // Every file before the first one this node and the ones after it can report is final: out it goes.
      flush(firstOf[gi]);
      const o = optionsOf.get(g.cfg) as FileOptions;
      // The node config is linted when it was asked for with these options, else read for its containers.
      const nodeAsked = g.nodePath !== undefined && asked(g.nodePath) && configOf(g.nodePath) === g.cfg;
      let nodeConfig: NodeFile | undefined;
      /** The node config when reported apart from its containers (too large to read): in the node's summary too. */
      let reportedApart: string | undefined;
      if (g.nodePath !== undefined) {
        let read: ReadText | { error: string } | undefined;
        if (asked(g.nodePath)) {
          read = await readAsked(g.nodePath, true);
          if (read?.sizeBytes !== undefined) {
            // Asked for and too large: reported as a file (its file-too-large finding), and its files are
            // checked without it and told so, as when it is not asked for.
            if (nodeAsked && !reported.has(g.nodePath)) {
              reportTooLarge(g.nodePath, read, o);
              reportedApart = g.nodePath;
            }
            if (g.files.length > 0) nodeTooLarge(g.nodePath);
            read = undefined;
          }
        } else {
          read = nodeTexts.get(g.nodePath) ?? (await reader.readApart(g.nodePath));
          if ('error' in read) {
            problem('error', g.nodePath, `${display(g.nodePath)}: cannot read the node config: ${read.error}`);
            read = undefined;
          } else if (read.sizeBytes !== undefined) {
            // Not read (too large): its containers are checked without it, as with any unreadable one.
            nodeTooLarge(g.nodePath);
            read = undefined;
          } else nodeTexts.set(g.nodePath, read);
        }
        if (read && !('error' in read)) {
          const size = fileSizeOf(read);
          nodeConfig = { path: g.nodePath, text: read.text, ...(size !== undefined ? { sizeBytes: size } : {}) };
          if (keepForFix && nodeAsked) textOf.set(g.nodePath, read);
        }
      }
      // A node's conf/ folder that exists but cannot be listed would silently hide containers from the node
      // checks. Listed once (by the directory search, when it went there): the samples it holds are what
      // the node rules need of it.
      const listing = await confDirListing(g.confDir, listings.get(g.confDir));
      if (listing.error) problem('error', g.confDir, `${display(g.confDir)}: cannot read the node's conf/ folder: ${errorText(listing.error)}`);
      const fileOptions = (p: string): LintOptions => ({
        path: p,
        target: o.target,
        kind: o.kind,
        rules: o.rules,
        knownParameters: o.knownParameters,
        ignoreSuppressions: o.ignoreSuppressions,
        template: isTemplate(p),
        ...sourcesOf(o),
        ...(nodeConfig && nodeConfig.path !== p ? { nodeConfig } : {}),
        ...(o.capacity ? { capacity: o.capacity } : {}),
      });
      const hostOfFile = (p: string): string | undefined => hostOf.get(p) ?? (g.nodePath !== undefined ? hostOf.get(g.nodePath) : undefined);
      if (g.template) {
        const p = g.files[0] ?? (g.nodePath as string);
        const read = p === g.nodePath ? (nodeConfig ? { text: nodeConfig.text } : undefined) : await readAsked(p);
        if (read) {
          try {
            const r = lint(read.text, { ...fileOptions(p), ...sizeOptions(read) });
            pending.push({ report: { file: display(p), kind: r.kind, target: r.target, findings: r.findings, template: true, ...(hostOf.has(p) ? { host: hostOf.get(p) as string } : {}) }, abs: p });
            absOfReport.set(display(p), p);
            if (keepForFix) {
              lintOptionsOf.set(p, fileOptions(p));
              if (p !== g.nodePath) textOf.set(p, read);
            }
            reported.add(p);
          } catch (err) {
            if (err instanceof OptionError) {
              io.stderr(`vzlint: ${err.message}\n`);
              return EXIT.failure;
            }
            internal(display(p), err);
          }
        }
        progress();
        continue;
      }
      const nodeOptions = {
        target: o.target,
        kind: o.kind,
        ...sourcesOf(o),
        rules: o.rules,
        knownParameters: o.knownParameters,
        ignoreSuppressions: o.ignoreSuppressions,
        ...(o.capacity ? { capacity: o.capacity } : {}),
      };
      // Cleared at the end of the node: a suspended async function keeps its locals alive until it returns.
      let linter: NodeLinter | undefined;
      try {
        linter = new NodeLinter(nodeConfig, listing.samples, { ...nodeOptions, lintNodeConfig: nodeAsked, compact: !keepForFix, ...(listing.containerPaths ? { nodeContainers: listing.containerPaths } : {}) });
      } catch (err) {
        if (err instanceof OptionError) {
          io.stderr(`vzlint: ${g.cfg !== undefined && !fromCli('target') && !fromCli('kind') ? `${display(g.cfg)}: ` : ''}${err.message}\n`);
          return EXIT.failure;
        }
        // One file must not take its node down with it: its containers are checked without it.
        internal(display(nodeConfig?.path ?? g.confDir), err);
        io.stderr(`vzlint: ${display(nodeConfig?.path ?? g.confDir)}: the node config failed; its files are checked without it\n`);
        nodeConfig = undefined;
        linter = new NodeLinter(undefined, listing.samples, { ...nodeOptions, compact: !keepForFix });
      }
      // Large trees: the container configs are read and linted in batches, by the worker threads and by this
      // thread, which takes the next batch no worker has been sent whenever it is free (`LintPool.claim`), so
      // that every core stays busy whatever each thread's speed. The answers are then added in file order
      // (below): the output is the same as without workers, byte for byte.
      let sent: Map<string, [number, number]> | undefined;
      let batches: (Promise<FileAnswer[]> | undefined)[] = [];
      /** Answers of the batches this thread linted, by batch index. */
      const here = new Map<number, FileAnswer[]>();
      if (pool && g.files.length >= WORKER_BATCH) {
        const cts = g.files.filter((p) => ctidOf(p) !== undefined);
        try {
          batches = pool.lintBatches(nodeConfig, listing.samples, nodeOptions, cts);
          sent = new Map(cts.map((p, i) => [p, [Math.floor(i / WORKER_BATCH), i % WORKER_BATCH]]));
        } catch (err) {
          // No thread could be started (EAGAIN under a thread or pids limit), or one died since the last node.
          io.stderr(`vzlint: worker thread failed (${err instanceof Error ? err.message : String(err)}); linting without worker threads\n`);
          await pool.close();
          pool = undefined;
          batches = [];
        }
        for (let b = pool?.claim(); b; b = pool?.claim()) {
          const answers: FileAnswer[] = [];
          for (const p of b.files) answers.push(await answerFile(linter, undefined, reader, p));
          here.set(b.index, answers);
          // Lets the workers' answers in, so that each is sent its next batch at once.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      /** The worker's answer for `p`, or undefined when it was not sent or a worker died (then this thread lints it). */
      const answerFor = async (p: string): Promise<FileAnswer | undefined> => {
        const at = sent?.get(p);
        if (!at) return undefined;
        const mine = here.get(at[0]);
        if (mine) {
          if (at[1] === mine.length - 1) here.delete(at[0]);
          return mine[at[1]];
        }
        const batch = batches[at[0]];
        if (!batch) return undefined;
        try {
          const list = await batch;
          if (at[1] === list.length - 1) batches[at[0]] = undefined;
          return list[at[1]];
        } catch (err) {
          // A worker thread died: this thread lints the rest itself, and the next nodes too.
          if (pool) {
            io.stderr(`vzlint: worker thread failed (${err instanceof Error ? err.message : String(err)}); linting without worker threads\n`);
            await pool.close();
            pool = undefined;
          }
          sent = undefined;
          batches = [];
          return undefined;
        }
      };
      // Files this thread reads are read a batch at a time: the next batch's reads run while this one is linted.
      let nextRead: Promise<(ReadText | undefined)[]> | undefined;
      // Files not read here because a worker has them.
      const viaWorker = new Set<string>();
      // The batch's reads run together; their outcomes are settled in file order (the messages of files that
      // cannot be read came in the order the reads ended, different from run to run).
      const readBatch = async (from: number): Promise<(ReadText | undefined)[]> => {
        const list = g.files.slice(from, from + READ_BATCH);
        // Answered at once where they can be (readNow): Promise.all only when one of them is still coming.
        const now = list.map((p) => (sent?.has(p) === true ? undefined : (nodeTexts.get(p) ?? reader.readNow(p))));
        const reads = now.some((r) => r instanceof Promise) ? await Promise.all(now) : (now as (ReadText | { error: string } | undefined)[]);
        return reads.map((read, i) => {
          const p = list[i] as string;
          if (read) return settleRead(p, read);
          viaWorker.add(p);
          return undefined;
        });
      };
      // One batch of files, added to the linter in order; a number is the exit status to stop with. A function
      // of its own: run 10,000 times in runVzlint's own frame, this loop made V8 optimise the whole of
      // runVzlint, twice (a quarter of the optimising compiler's work over a 10,000-container node).
      const addBatch = async (texts: (ReadText | undefined)[], from: number, linter: NodeLinter): Promise<number | undefined> => {
        for (const [i, readHere] of texts.entries()) {
          const p = g.files[from + i] as string;
          let read = readHere;
          const wasSent = viaWorker.delete(p);
          const answer = wasSent ? await answerFor(p) : undefined;
          if (answer) {
            if ('linted' in answer) {
              linter.addLinted(answer.linted);
              continue;
            }
            if ('readError' in answer) {
              problem('error', p, `${display(p)}: ${answer.readError}`);
              dropped.add(p);
              continue;
            }
            if ('optionError' in answer) {
              io.stderr(`vzlint: ${g.cfg !== undefined && !fromCli('target') && !fromCli('kind') ? `${display(g.cfg)}: ` : ''}${answer.optionError}\n`);
              return EXIT.failure;
            }
            if ('internal' in answer) {
              internal(display(p), Object.assign(new Error(answer.internal.message), answer.internal));
              continue;
            }
            read = answer.other;
            uncheckedQuietly(p, read);
          } else if (wasSent) {
            // Its worker died: read it here.
            read = await readAsked(p);
          }
          if (!read) continue;
          try {
            linter.add({ path: p, text: read.text, ...sizeOptions(read) });
          } catch (err) {
            if (err instanceof OptionError) {
              io.stderr(`vzlint: ${g.cfg !== undefined && !fromCli('target') && !fromCli('kind') ? `${display(g.cfg)}: ` : ''}${err.message}\n`);
              return EXIT.failure;
            }
            internal(display(p), err);
            continue;
          }
          if (keepForFix) {
            lintOptionsOf.set(p, fileOptions(p));
            textOf.set(p, read);
          }
        }
        return undefined;
      };
      for (let from = 0; from < g.files.length; from += READ_BATCH) {
        const texts = await (nextRead ?? readBatch(from));
        nextRead = from + READ_BATCH < g.files.length ? readBatch(from + READ_BATCH) : undefined;
        const stop = await addBatch(texts, from, linter);
        if (stop !== undefined) return stop;
      }
      let result: ReturnType<NodeLinter['finish']> | undefined;
      try {
        result = linter.finish();
      } catch (err) {
        internal(g.nodePath !== undefined ? display(g.nodePath) : display(g.confDir), err);
        progress();
        continue;
      }
      // Each file's report, pending until it is its turn to be printed (a function of its own: see addFound).
      const reportFiles = (files: readonly NodeFileOutcome[]): void => {
        for (let i = 0; i < files.length; i += 1) {
          const f = files[i] as NodeFileOutcome;
          // A node config nobody asked for is reported only for findings about its containers.
          const mine = f.role !== 'node' || nodeAsked;
          if (f.role === 'node' && !mine && asked(f.path)) continue;
          const findings = mine ? f.findings : f.findings.filter((x) => ACROSS_CONTAINERS.has(x.rule));
          if (!mine && findings.length === 0) continue;
          // Only a node config can be reported twice (by each node that has it, or apart: see reportTooLarge);
          // any other file is in one node (a Set of a fleet's 10,000 paths was built here).
          if (nodePaths.has(f.path)) {
            if (reported.has(f.path)) continue;
            reported.add(f.path);
          }
          // A fleet's files have no host (no DIR/<host>/etc/vz/ tree): no look-up, no spread object each.
          const host = hostOf.size === 0 ? undefined : hostOfFile(f.path);
          const shown = display(f.path);
          const report: FileReport = { file: shown, kind: f.kind, target: f.target, findings };
          if (host !== undefined) report.host = host;
          pending.push({ report, abs: f.path });
          // Read by SARIF (each result's artifact), --fix and --print-config only (a Map of 10,000 paths otherwise).
          if (absNeeded) absOfReport.set(shown, f.path);
          if (mine && f.role === 'node' && keepForFix) lintOptionsOf.set(f.path, fileOptions(f.path));
        }
      };
      reportFiles(result.files);
      if (o.capacity && result.memory.rows.length > 0) {
        tables.push({ node: g.nodePath !== undefined ? display(g.nodePath) : `${displayDir(g.confDir, g.files)} (no vz.conf found)`, summary: result.memory, display });
      }
      if (opts.summary === true) {
        const nodeHost = g.nodePath !== undefined ? hostOf.get(g.nodePath) : g.files.map((p) => hostOf.get(p)).find((h) => h !== undefined);
        nodeSummaries.push({
          name: nodeHost ?? (g.nodePath !== undefined ? display(g.nodePath) : `${displayDir(g.confDir, g.files)} (no vz.conf found)`),
          ...(nodeHost !== undefined ? { host: nodeHost } : {}),
          ...(g.nodePath !== undefined ? { nodeConfig: display(g.nodePath) } : {}),
          files: [...(reportedApart !== undefined ? [display(reportedApart)] : []), ...result.files.map((f) => display(f.path))],
          containers: result.files.filter((f) => f.role === 'container' && ctidOf(f.path) !== undefined).length,
          memory: result.memory,
        });
      }
      linter = undefined;
      result = undefined;
      progress();
    }
  } finally {
    await pool?.close();
    await reader.close();
  }
  flush(undefined);
  if (progressShown) progressStderr('\r\u001b[K');
  if (sink) return sink.end(nodeSummaries, notifications, skippedByPattern);
  reports.sort((a, b) => compareStrings(a.file, b.file));
  const templates = reports.filter((r) => r.template === true);
  if (templates.length > 0) nodeSummaries.push({ name: 'templates', files: templates.map((r) => r.file), containers: 0 });

  if (opts.printConfig !== undefined) {
    const abs = ordered.map((e) => e.abs).find((a) => asked(a));
    const rep = reports.find((r) => absOfReport.get(r.file) === abs);
    if (abs === undefined || !rep) return EXIT.failure;
    const o = optionsOf.get(configOf(abs)) as FileOptions;
    const lo = lintOptionsOf.get(abs);
    const printed = {
      file: display(abs),
      kind: rep.kind,
      target: formatTarget(rep.target),
      targetReason: targetReason(rep.target, 'cli'),
      template: isTemplate(abs),
      configFile: configOf(abs) !== undefined ? display(configOf(abs) as string) : null,
      nodeConfig: lo?.nodeConfig ? display(lo.nodeConfig.path) : null,
      rules: o.rules,
      knownParameters: o.knownParameters,
      ignoreSuppressions: o.ignoreSuppressions,
      nodeRamBytes: o.capacity?.ramBytes?.toString() ?? null,
      nodeSwapBytes: o.capacity?.swapBytes?.toString() ?? null,
      ...(rep.host !== undefined ? { host: rep.host } : {}),
    };
    io.stdout(`${JSON.stringify(printed, null, 2)}\n`);
    return failed() ? EXIT.failure : EXIT.ok;
  }

  // --fix / --fix-dry-run: the engine's fix-all, repeated on the fixed text until nothing is left to fix.
  if (opts.fix === true || opts.fixDryRun === true) {
    let diffs = '';
    let written = 0;
    const totals: FixTotals = { files: 0, fixes: 0, unsafe: 0, belowLevel: 0, refused: 0 };
    const keep = atFixLevel(opts.fixLevel);
    const addUnapplied = (u: UnappliedFixes): void => {
      totals.unsafe += u.unsafe;
      totals.belowLevel += u.belowLevel;
      if (u.lowestBelow !== undefined && (totals.lowestBelow === undefined || SEVERITY_RANK[u.lowestBelow] < SEVERITY_RANK[totals.lowestBelow])) totals.lowestBelow = u.lowestBelow;
    };
    // Each file once, whatever names it was given by (a file and a link to it, `conf/101.conf` and the
    // `ve.conf` it points to): the second name would otherwise find the file "changed since read".
    const targets = new Set<string>();
    // The notifications of the fixing itself (the run after it reads and reports the files again).
    const lintNotes = notifications.length;
    for (const rep of reports) {
      const abs = absOfReport.get(rep.file);
      const lo = abs !== undefined ? lintOptionsOf.get(abs) : undefined;
      const read = abs !== undefined ? textOf.get(abs) : undefined;
      const original = read?.text;
      const bytes = read?.bytes;
      if (abs === undefined || !lo || original === undefined || !bytes) continue;
      if (!rep.findings.some((f) => keep(f) && f.fixes?.some((x) => x.safe))) {
        addUnapplied(countUnappliedFixes(rep.findings, keep));
        continue;
      }
      // A NUL byte: a binary file (a tar of /etc/vz named or matched), never rewritten, whatever its lines say.
      if (hasNulByte(bytes)) {
        problem('error', abs, `${rep.file}: ${NUL_REFUSAL}`, 'refused');
        totals.refused += 1;
        continue;
      }
      if (!Buffer.from(original, 'utf8').equals(Buffer.from(bytes))) {
        problem('error', abs, `${rep.file}: not valid UTF-8; not fixed (fixing would change bytes it does not mean to)`, 'refused');
        continue;
      }
      const target = await fixTarget(abs).catch(() => abs);
      if (targets.has(target)) continue;
      const fixed = await fixAll(original, rep.findings, (t) => lint(t, lo).findings, keep);
      const text = keepFinalNewline(original, fixed.text);
      if (text === original) {
        addUnapplied(fixed.unapplied);
        continue;
      }
      targets.add(target);
      if (opts.fixDryRun === true) {
        diffs += fixDiff(rep.file, original, text, io.cwd);
        totals.files += 1;
        totals.fixes += fixed.fixes;
        addUnapplied(fixed.unapplied);
        continue;
      }
      try {
        await writeFixed(abs, bytes, text);
        written += 1;
        totals.files += 1;
        totals.fixes += fixed.fixes;
        addUnapplied(fixed.unapplied);
      } catch (err) {
        if (!(err instanceof FixRefused)) throw err;
        problem('error', abs, `${rep.file}: ${err.message}`, 'refused');
        totals.refused += 1;
        // Nothing was written: what it offers is what the file still has.
        addUnapplied(countUnappliedFixes(rep.findings, keep));
      }
    }
    io.stderr(fixSummaryLine(totals, opts.fixDryRun === true, opts.fixLevel));
    if (opts.fixDryRun === true) {
      // On a terminal the file's own control characters are shown escaped (an ESC in a comment beside a
      // fix would otherwise clear the screen or retitle the window); piped, the diff is exact for `patch`.
      io.stdout(io.isTTY === true ? escapeControls(diffs, { keepNewlines: true }) : diffs);
      return failed() ? EXIT.failure : exitFor(reports);
    }
    if (written > 0) {
      // Report what is left, as a run without --fix over the same paths would.
      const again = argv.filter((a) => a !== '--fix');
      // The files refused stay refused in the run after it (what it cannot read, it finds again).
      const refused = failures.refused ?? 0;
      const code = await runVzlint(again, given, { notifications: notifications.slice(lintNotes), failures: refused > 0 ? { refused } : {} });
      return failed() ? EXIT.failure : code;
    }
  }

  // --quiet: errors only (the others still count for --max-warnings and --severity-threshold).
  const hidden = opts.quiet === true ? { ...countSeverities(reports), error: 0 } : undefined;
  const quietWarnings = hidden?.warning ?? 0;
  if (opts.quiet === true) for (const r of reports) r.findings = r.findings.filter((f) => f.severity === 'error');

  const noColorEnv = (io.env?.NO_COLOR ?? '') !== '';
  const color = opts.color && io.isTTY === true && !noColorEnv;
  const summary = opts.summary === true ? buildSummary(nodeSummaries, reports) : undefined;
  if (summary && skippedByPattern > 0) summary.fleet.skipped = skippedByPattern;
  if (opts.format === 'json') {
    io.stdout(summary ? `${JSON.stringify(summary, null, 2)}\n` : formatJson(reports));
  } else if (opts.format === 'sarif') {
    const code = failed() ? EXIT.failure : exitFor(reports, hidden, false);
    io.stdout(formatSarif(reports, { ...sarifOptions, ...(summary ? { summary } : {}) }, { exitCode: code, executionSuccessful: code !== EXIT.failure, notifications }));
  } else if (opts.format === 'github') {
    io.stdout(formatGithub(reports) + (summary ? formatSummary(summary, { color: false }) : ''));
  } else {
    // Exit 1 for findings --quiet hid (too many warnings, or at --severity-threshold): never a ✔.
    const shownOver = reports.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[opts.severityThreshold]));
    const tooMany = (maxWarnings !== undefined && countSeverities(reports).warning + quietWarnings > maxWarnings) || (!shownOver && hidden !== undefined && atThreshold(hidden, opts.severityThreshold) !== '');
    io.stdout(formatStylish(reports, { color, verbose: opts.verbose === true, failures, ...(hidden ? { hidden } : {}), explain: opts.explain === true, skipped: skippedByPattern, ...(tooMany ? { tooManyWarnings: true } : {}) }) + formatMemoryTable(tables, { color, verbose: opts.verbose === true }) + (summary ? formatSummary(summary, { color }) : ''));
  }

  if (failed()) return EXIT.failure;
  return exitFor(reports, hidden);

  /**
   * 1 when a finding is at or above the threshold (also one --quiet left out), or the warnings (those of
   * `all` and those of `hiddenCounts`, which --quiet left out) exceed --max-warnings; else 0.
   */
  function exitFor(all: readonly FileReport[], hiddenCounts?: SeverityCounts, say = true): number {
    const rank = SEVERITY_RANK[opts.severityThreshold];
    const over = all.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] >= rank));
    const hiddenWarnings = hiddenCounts?.warning ?? 0;
    const hiddenOver = hiddenCounts ? atThreshold(hiddenCounts, opts.severityThreshold) : '';
    return exitStatus(countSeverities(all).warning + hiddenWarnings, over, maxWarnings, say ? io : { ...io, stderr: () => undefined }, hiddenWarnings, hiddenOver, opts.severityThreshold);
  }
}
