/**
 * `vzlint --format sarif` (SARIF 2.1.0, for GitHub code scanning and other SARIF viewers) and
 * `--format github` (GitHub Actions workflow commands).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { findSchemasDir, getCatalog } from '../catalog/load';
import type { Severity } from '../catalog/types';
import type { Finding } from '../rules/types';
import type { FileReport } from './format';
import { escapeControls } from '../util/escape';

/** SARIF result level of a vzconf severity (SARIF has no "info"/"hint": both are "note"). */
export function sarifLevel(severity: Severity): Sarif.Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** Largest rule docs page embedded as `help.markdown` (bytes); bigger pages are left out. */
const MAX_HELP_BYTES = 64 * 1024;

function ruleHelpMarkdown(id: string): string | undefined {
  try {
    const file = path.join(path.dirname(findSchemasDir()), 'docs', 'rules', `${id}.md`);
    if (!existsSync(file) || statSync(file).size > MAX_HELP_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Validates a `--docs-url` template: an `http:` or `https:` URL containing `{rule}`, which is
 * replaced by the rule id, and otherwise only the characters of a URI (RFC 3986: letters, digits,
 * `-._~:/?#[]@!$&'()*+,;=` and `%`): SARIF's `helpUri` is a URI, and a line break, blank, quote or angle
 * bracket in it reached the log as written. Returns an error sentence, or undefined when it is fine.
 */
export function checkDocsUrlTemplate(template: string): string | undefined {
  if (!template.includes('{rule}')) return 'it must contain {rule} (replaced by the rule id)';
  if (!/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(template.split('{rule}').join(''))) {
    return 'it may hold only URL characters besides {rule} (no blanks, line breaks, quotes, < >, { }, backticks or backslashes)';
  }
  let url: URL;
  try {
    url = new URL(template.replace(/\{rule\}/g, 'rule-id'));
  } catch {
    return 'it is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http: and https: URLs are allowed';
  return undefined;
}

/** Options of {@link formatSarif}. */
export interface SarifOptions {
  /** vzlint's version (tool.driver.version). */
  version: string;
  /** Absolute folder artifact URIs are relative to (`originalUriBaseIds.ROOT`): vzlint's working directory. */
  root: string;
  /** The absolute path of a reported file (its display path resolved against `root`). */
  absolutePath: (report: FileReport) => string;
  /** `--docs-url`: a URL template with `{rule}`; `helpUri` is set only with it. */
  docsUrl?: string;
  /** `--summary`: stored in the run's `properties.summary`. */
  summary?: unknown;
}

/**
 * A condition of the run itself, not a finding: a file or folder that could not be read or was skipped
 * (permission denied, a directory or a named pipe where a config file was expected), a pattern that
 * matched nothing, an internal error. Written to SARIF as a `toolExecutionNotifications` entry.
 */
export interface RunNotification {
  /**
   * `error`: the file was not checked and vzlint exits 2 (`executionSuccessful` false), except a file too
   * large to check, whose `file-too-large` finding comes with it and sets the exit status (1 at its default
   * severity, error; `executionSuccessful` true); `warning`: skipped by design (also a file too large with
   * `file-too-large` off), no effect on the exit status; `note`: for information.
   */
  level: 'error' | 'warning' | 'note';
  /**
   * The sentence vzlint printed on stderr, without `vzlint: ` (control characters shown escaped); for a
   * file too large, its file path and finding's message as the report prints them.
   */
  message: string;
  /** The file or folder it is about (absolute path), if any. */
  file?: string;
}

/** How the run ended, for the SARIF log's `invocations` (SARIF 2.1.0 §3.20). */
export interface RunOutcome {
  /** vzlint's exit code (0, 1, or 2 = failure: a file could not be checked, a usage or internal error). */
  exitCode: number;
  /** `executionSuccessful`: false when the exit code denotes a failure (2). */
  executionSuccessful: boolean;
  notifications: readonly RunNotification[];
}

function uriOf(abs: string, root: string): Sarif.ArtifactLocation {
  const rel = path.relative(root, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'ROOT' };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(r: Finding['range']): Sarif.Region {
  // SARIF lines and columns are 1-based; columns count UTF-16 code units (the default columnKind),
  // as LSP and vzlint's JSON do; endColumn is just past the last character.
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** The catalogue's rules as `tool.driver.rules` (see {@link SarifWriter}); `helpUri` only with `docsUrl`. */
function driverRules(docsUrl: string | undefined): Sarif.ReportingDescriptor[] {
  return getCatalog().catalog.rules.map((r) => {
    const markdown = ruleHelpMarkdown(r.id);
    const d: Sarif.ReportingDescriptor = {
      id: r.id,
      name: r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: r.title },
      fullDescription: { text: r.description },
      defaultConfiguration: { level: sarifLevel(r.severity) },
      help: markdown !== undefined ? { text: r.description, markdown } : { text: r.description },
      properties: { tags: ['openvz', 'virtuozzo'] },
    };
    if (docsUrl !== undefined) d.helpUri = docsUrl.replace(/\{rule\}/g, encodeURIComponent(r.id));
    return d;
  });
}

/** `value` as `JSON.stringify(value, null, 2)` prints it nested `depth` levels deep (2 spaces a level). */
function nested(value: unknown, depth: number): string {
  // JSON strings never hold a raw line break: every newline is one of the layout's.
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * Writes one SARIF 2.1.0 log with one run a few files at a time: `add` the reports in order, then `end`;
 * only the artifacts (one short entry per file) are kept until the end, never the results.
 *
 * The run holds `tool.driver` with every rule of the catalogue (id, name, short and full description,
 * `help` with the rule's docs page as Markdown, default level, `helpUri` only with `docsUrl`), one
 * result per finding (ruleId and ruleIndex, level, message, physical location with region, the severity
 * and, for a fleet, the host in `properties`, and the safe fixes as `fixes` (see {@link sarifFixes})), one
 * artifact per report (in report order; `properties.template` for a template), `columnKind`, and the
 * `--summary` in `properties.summary`, and one invocation (`executionSuccessful`, `exitCode`, and
 * `toolExecutionNotifications` for every file that could not be checked or was skipped, each with its
 * level, message and artifact location; a file too large to check is one too, level error, beside its
 * `file-too-large` result, or level warning when that rule is off: the run's results do not cover it).
 * Artifact URIs are relative to `root` (`uriBaseId: ROOT`) when the
 * file lies below it. The text is pretty-printed JSON (2 spaces), newline-terminated; members of the run
 * come in the order tool, originalUriBaseIds, results, artifacts, invocations, columnKind, properties
 * (results before artifacts, so that nothing waits for the last file).
 */
export class SarifWriter {
  private readonly ruleIndex: Map<string, number>;
  private readonly artifacts: string[] = [];
  private results = 0;
  /** Files not checked because of their size (their `file-too-large` findings), as notifications. */
  private readonly tooLarge: RunNotification[] = [];

  constructor(
    private readonly write: (s: string) => void,
    private readonly options: Omit<SarifOptions, 'summary'>,
  ) {
    const rules = driverRules(options.docsUrl);
    this.ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const tool: Sarif.Tool = { driver: { name: 'vzlint', semanticVersion: options.version, version: options.version, rules } };
    const base: Sarif.Run['originalUriBaseIds'] = { ROOT: { uri: pathToFileURL(options.root.endsWith(path.sep) ? options.root : options.root + path.sep).href } };
    write(`{\n  "version": "2.1.0",\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "runs": [\n    {\n      "tool": ${nested(tool, 3)},\n      "originalUriBaseIds": ${nested(base, 3)},\n      "results": [`);
  }

  /** Writes the results of `reports` (in order) and records their artifacts. */
  add(reports: readonly FileReport[]): void {
    const parts: string[] = [];
    for (const rep of reports) {
      const location = uriOf(this.options.absolutePath(rep), this.options.root);
      const artifact: Sarif.Artifact = { location, ...(rep.template ? { properties: { template: true } } : {}) };
      const artifactIndex = this.artifacts.length;
      this.artifacts.push(nested(artifact, 4));
      for (const f of rep.findings) {
        if (f.rule === 'file-too-large') this.tooLarge.push({ level: 'error', message: escapeControls(`${rep.file}: ${f.message}`), file: this.options.absolutePath(rep) });
        const res: Sarif.Result = {
          ruleId: f.rule,
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { ...location, index: artifactIndex }, region: region(f.range) } }],
        };
        const ri = this.ruleIndex.get(f.rule);
        if (ri !== undefined) res.ruleIndex = ri;
        const props: Record<string, unknown> = { severity: f.severity };
        if (rep.host !== undefined) props.host = rep.host;
        res.properties = props;
        const fixes = sarifFixes(f, location);
        if (fixes.length > 0) res.fixes = fixes;
        parts.push(`${this.results === 0 ? '\n' : ',\n'}        ${nested(res, 4)}`);
        this.results += 1;
      }
    }
    if (parts.length > 0) this.write(parts.join(''));
  }

  /**
   * Closes the results, writes the artifacts, the invocation (`outcome`; without it, a successful run
   * with exit code 0 and no notifications), `columnKind` and the summary, and closes the log.
   */
  end(summary?: unknown, outcome: RunOutcome = { exitCode: 0, executionSuccessful: true, notifications: [] }): void {
    const results = this.results === 0 ? ']' : '\n      ]';
    const artifacts = this.artifacts.length === 0 ? '[]' : `[\n        ${this.artifacts.join(',\n        ')}\n      ]`;
    this.artifacts.length = 0;
    const invocation: Sarif.Invocation = { executionSuccessful: outcome.executionSuccessful, exitCode: outcome.exitCode };
    const notifications = [...outcome.notifications, ...this.tooLarge];
    if (notifications.length > 0) {
      invocation.toolExecutionNotifications = notifications.map((n) => ({
        level: n.level,
        message: { text: n.message },
        ...(n.file !== undefined ? { locations: [{ physicalLocation: { artifactLocation: uriOf(n.file, this.options.root) } }] } : {}),
      }));
    }
    const properties = summary !== undefined ? `,\n      "properties": ${nested({ summary }, 3)}` : '';
    this.write(`${results},\n      "artifacts": ${artifacts},\n      "invocations": [\n        ${nested(invocation, 4)}\n      ],\n      "columnKind": "utf16CodeUnits"${properties}\n    }\n  ]\n}\n`);
  }
}

/**
 * The SARIF `fixes` of a finding (SARIF 2.1.0 §3.27.30: an array of proposed fixes, alternatives to each
 * other): every safe fix, in the editor's order, each as one artifact change of `location` with its edits as
 * replacements (regions of the original file, as LSP edits are). Unsafe fixes are left out: SARIF has no
 * way to say that a fix needs review, and a consumer may apply what it finds. A fix without edits has no
 * SARIF form (`replacements` needs one at least) and two equal ones would break `uniqueItems`: both are left out.
 */
export function sarifFixes(f: Finding, location: Sarif.ArtifactLocation): Sarif.Fix[] {
  const out: Sarif.Fix[] = [];
  const seen = new Set<string>();
  for (const x of f.fixes ?? []) {
    if (!x.safe || x.edits.length === 0) continue;
    const fix: Sarif.Fix = {
      description: { text: x.title },
      artifactChanges: [{ artifactLocation: location, replacements: x.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
    };
    const key = JSON.stringify(fix);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fix);
  }
  return out;
}

/** `--format sarif` over reports already gathered (`--fix`, `--print-config`): what {@link SarifWriter} writes for them. */
export function formatSarif(reports: readonly FileReport[], options: SarifOptions, outcome?: RunOutcome): string {
  const out: string[] = [];
  const writer = new SarifWriter((s) => out.push(s), options);
  writer.add(reports);
  writer.end(options.summary, outcome);
  return out.join('');
}

/**
 * Escapes the message part of a workflow command (`%`, CR, LF), as GitHub's toolkit does; other control
 * characters (ESC, BEL, C1 …, which the Actions log renders) are shown escaped (`util/escape.ts`).
 */
export function escapeCommandData(s: string): string {
  return escapeControls(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escapes a property value of a workflow command: as the data, plus `:` and `,`. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `--format github`: one GitHub Actions workflow command per finding,
 * `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=vzlint RULE::MESSAGE` (`warning` for
 * warnings, `notice` for info and hints), so findings show as annotations on the pull request.
 */
export function formatGithub(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeCommandProperty(r.file)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${escapeCommandProperty(`vzlint ${f.rule}${r.host !== undefined ? ` (${r.host})` : ''}`)}`,
      ];
      out.push(`::${cmd} ${props.join(',')}::${escapeCommandData(f.message)}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
