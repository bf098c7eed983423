import { capUnverified } from '../catalog/evidence';
import { getCatalog, type CatalogIndex } from '../catalog/load';
import type { ParameterDef, Severity, StatusEntry } from '../catalog/types';
import { detectKind, parseKind, type FileKind } from '../model/kind';
import { parseTargetSetting, resolveTarget, TargetError, type Target } from '../model/target';
import { compareVersions, inVersionRange } from '../model/version';
import { parseConfig } from '../parser/parse';
import type { ConfigDocument, Entry } from '../parser/types';
import { RULES } from '../rules/index';
import type { Finding, LintContext, NodeCapacity } from '../rules/types';
import { checkValue, type ValueCheck } from '../values/validate';
import { suppressionFilter } from './suppressions';

export interface LintOptions {
  /** File path or URI path; used to tell vz.conf from CTID.conf. */
  path?: string;
  /** `auto` (default), `classic`, `classic@4.6`, `vz7`, `vz7@8.0.70`. */
  target?: string;
  /** `auto` (default), `node`, `container`, `ct0`. */
  kind?: string;
  /** Per-rule severity overrides or `off`. */
  rules?: Record<string, Severity | 'off'>;
  catalog?: CatalogIndex;
  /**
   * The node's vz.conf to check a container config against (vzctl reads it first). Ignored when the
   * file itself is a node config.
   */
  nodeConfig?: { path: string; text: string };
  /**
   * The node config already analysed with these options (`lintNode` passes it so that a node with many
   * containers parses its vz.conf once, not once per container). Used only with `nodeConfig`.
   */
  nodeContext?: LintContext;
  /** Host capacity in bytes, for checks against the node's RAM and swap. */
  capacity?: NodeCapacity;
  /**
   * Custom keys (setting `vzconf.knownParameters`, `.vzconf.yaml` `knownParameters`, `vzlint
   * --known-parameter`) that management tools keep in these files: unknown-parameter accepts them.
   */
  knownParameters?: readonly string[];
  /**
   * Report what `# vzconf-disable…` comments silence (setting `vzconf.ignoreSuppressions`, `vzlint
   * --ignore-suppressions`), e.g. for an audit. Default false.
   */
  ignoreSuppressions?: boolean;
}

export interface LintResult {
  doc: ConfigDocument;
  target: Target;
  kind: FileKind;
  kindReason: string;
  /** Sorted by position. */
  findings: Finding[];
  ctx: LintContext;
}

/** Thrown for option values the user must correct (bad `--target` or `--kind`). */
export class OptionError extends Error {}

/**
 * Builds the context every rule reads: the document parsed in the target's dialect, the file kind,
 * and the value checks of every line vzctl keeps.
 *
 * @throws OptionError for an invalid target or kind option
 */
export function analyze(text: string, options: LintOptions = {}): LintContext {
  const catalog = options.catalog ?? getCatalog();
  const setting = parseTargetSetting(options.target);
  if ('error' in setting) throw new OptionError(setting.error);
  const probe = parseConfig(text, { dialect: 'classic' });
  let target: Target;
  try {
    target = resolveTarget(setting, probe, catalog);
  } catch (err) {
    if (err instanceof TargetError) throw new OptionError(err.message);
    throw err;
  }
  // The node config, read with the same target setting; under `auto`, a node that shows Virtuozzo 7
  // makes its containers Virtuozzo 7 too.
  let node: LintContext | undefined;
  const nodeOptions = options.nodeConfig;
  if (nodeOptions && !(options.path && nodeOptions.path === options.path)) {
    node = options.nodeContext && options.nodeContext.path === nodeOptions.path && options.nodeContext.kind === 'node'
      ? options.nodeContext
      : analyze(nodeOptions.text, { ...options, path: nodeOptions.path, kind: 'node', nodeConfig: undefined, nodeContext: undefined });
    if (setting.auto && target.generation === 'classic' && node.target.generation === 'vz7') {
      target = { ...node.target, reason: `auto: Virtuozzo 7 like the node's ${nodeOptions.path} (${node.target.reason})` };
    }
  }
  const doc = target.generation === 'classic' ? probe : parseConfig(text, { dialect: 'vz7' });
  const forced = parseKind(options.kind);
  if (typeof forced === 'object') throw new OptionError(forced.error);
  const kindResult = forced === 'auto' ? detectKind(options.path, doc, catalog) : { kind: forced, reason: 'set in the settings' };

  const known = (def: ParameterDef): boolean => {
    const info = def[target.generation];
    if (!info) return false;
    return info.since === undefined || compareVersions(target.version, info.since) >= 0;
  };
  const status = (def: ParameterDef): StatusEntry[] =>
    (def[target.generation]?.status ?? []).filter((s) =>
      inVersionRange(target.version, s.from, s.until) &&
      (s.in === undefined || s.in === 'any' || s.in === (kindResult.kind === 'node' ? 'node' : 'container')));
  const def = (entry: Entry): ParameterDef | undefined => catalog.parameter(entry.name);
  const live = doc.entries.filter((e) => !e.skipped);
  const values = new Map<Entry, ValueCheck>();
  // Classic stops at "duplicate … ignored" before parsing a repeated first-wins key: its value is never checked.
  const seenFirstWins = new Set<string>();
  for (const e of live) {
    const d = def(e);
    if (!d || e.key !== e.name || !known(d)) continue;
    if (target.generation === 'classic' && (d.duplicates ?? 'first') === 'first') {
      if (seenFirstWins.has(d.name)) continue;
      seenFirstWins.add(d.name);
    }
    if (status(d).some((s) => s.kind === 'removed')) continue;
    values.set(e, checkValue(d, e.value, { generation: target.generation, version: target.version, catalog }));
  }
  const ctx: LintContext = { doc, kind: kindResult.kind, kindReason: kindResult.reason, target, catalog, def, known, status, values, live };
  if (options.path !== undefined) ctx.path = options.path;
  if (node && ctx.kind !== 'node') ctx.node = node;
  if (options.capacity) ctx.capacity = options.capacity;
  return ctx;
}

/**
 * Lints one file: parse → model → every rule → unverified facts capped at info (catalog/evidence.ts) → severity overrides (`rules`) → custom keys
 * (`knownParameters`) → suppression comments (unless `ignoreSuppressions`) → findings sorted by position.
 * Pure over its inputs (the catalogue is loaded once per process); never throws for any text.
 *
 * @throws OptionError for an invalid `target` or `kind` option
 */
export function lint(text: string, options: LintOptions = {}): LintResult {
  const ctx = analyze(text, options);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const override = options.rules?.[rule.id];
    if (override === 'off') continue;
    let produced: Finding[];
    try {
      produced = rule.check(ctx);
    } catch (err) {
      // A rule bug must not take the whole lint down: report it where the user sees it.
      produced = [{ rule: rule.id, severity: 'error', message: `internal error in rule ${rule.id}: ${(err as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    // A finding resting on an unverified catalogue fact is at most info; the user's override still wins.
    for (const f of produced) findings.push(override ? { ...f, severity: override } : capUnverified(ctx, f));
  }
  const known = options.knownParameters && options.knownParameters.length > 0 ? new Set(options.knownParameters) : undefined;
  const custom = (f: Finding): boolean => {
    if (!known || f.rule !== 'unknown-parameter') return false;
    const line = ctx.doc.lines[f.range.start.line];
    return line?.kind === 'entry' && (known.has(line.name) || known.has(line.key));
  };
  const kept = suppressionFilter(ctx.doc, { ignore: options.ignoreSuppressions === true }).apply(findings.filter((f) => !custom(f)));
  findings.length = 0;
  findings.push(...kept);
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return { doc: ctx.doc, target: ctx.target, kind: ctx.kind, kindReason: ctx.kindReason, findings, ctx };
}
