/**
 * "Show effective configuration": a container's parameters as vzctl ends up with them, the node's vz.conf
 * read first and the container's file over it (`effectiveValue` in server/src/model/effective.ts: a
 * container value overrides the global one, lists replace rather than merge, the duplicate policy of the
 * target picks among repeated lines, and keys the target does not merge from vz.conf are left out).
 */
import path from 'node:path';
import { describeTarget, formatTarget } from '../model/target';
import { createDefaultOnly, ctLayoutRule, effectiveValue, fileOf, lineList, nodeLineNotTaken, refusedEffect, skippedForValue, unsettingLine } from '../model/effective';
import type { ParameterDef } from '../catalog/types';
import type { Entry } from '../parser/types';
import type { LintContext } from '../rules/types';
import { lineNo } from '../rules/util';
import { says } from '../rules/say';
import { checkValue } from '../values/validate';
import type { BehaviourFact } from '../catalog/behaviours';
import { analyze, type LintOptions } from './lint';

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Why a container config does not take a key from vz.conf although vz.conf sets it (catalogue
 * `createDefaultInNodeConfig`, VE_LAYOUT on classic), as one plain sentence without a final stop, e.g.
 * `vz.conf line 25 ("ploop") is only the default for vzctl create; vzctl 4.11.1 detects this container's
 * layout from its private area and saves it at the next vzctl start`. Facts: behaviour `ct-layout`.
 *
 * @param where  how to name the node's line, e.g. `vz.conf line 25`
 * @param show  renders the file's value (default: double-quoted as in a config; the hover passes its
 *              Markdown code span, which escapes it)
 */
export function notTakenFromNode(ctx: LintContext, where: string, value: string, show: (value: string) => string = quote): string {
  const head = `${where} (${show(value)}) is only the default for vzctl create`;
  const rule = ctLayoutRule(ctx.target);
  if (rule === 'own-line') return `${head}; ${describeTarget(ctx.target)} detects this container's layout from its private area (and saves it at the next vzctl start)`;
  if (rule === 'detected') return `${head}; ${describeTarget(ctx.target)} detects this container's layout from its private area`;
  return head;
}

/**
 * The behaviour fact that says how libvzctl refuses `value` of `name`: the one the value's first refused
 * problem names (`ValueProblem.says`, e.g. IOLIMIT `10x`: `vz7.value-invalid.silent-io`) where it holds for
 * the target, else the key's `value-invalid` fact.
 */
function refusalFact(ctx: LintContext, name: string, value: string): BehaviourFact | undefined {
  const def = ctx.catalog.parameter(name);
  const own = def === undefined ? undefined : checkValue(def, value, { generation: ctx.target.generation, version: ctx.target.version, catalog: ctx.catalog }).problems.find((p) => p.kind === 'invalid')?.says;
  return (own !== undefined ? says(ctx, own, name) : undefined) ?? says(ctx, 'value-invalid', name);
}

/**
 * What Virtuozzo 7 does with a value of `name` libvzctl refuses (`refusedForValue`, behaviour
 * `value-invalid`), as one plain sentence without a final stop: `libvzctl 7.0.737 (Virtuozzo 7+) refuses
 * "maybe" (101.conf line 3) with "Invalid parameter", so vzctl commands on this container fail until it is
 * fixed`. For a key whose refusal logs nothing it says `without a message` instead: the facts
 * `vz7.value-invalid.silent*` (BURST_CPU_AVG_USAGE and BURST_CPULIMIT at every tag, lib/env_config.c @
 * v7.0.42..v8.0.90; SLMMODE, TRAFFIC_SHAPING, RATEBOUND and PAGECACHE_ISOLATION before 7.0.294.9 and on
 * 7.0.295..7.0.309; IOLIMIT with a bad unit and IOPSLIMIT with text after the number at every tag, IOLIMIT
 * above UINT_MAX up to 7.0.529; lib/io.c).
 *
 * @param at  where the line is, e.g. `101.conf line 3`
 * @param show  renders the file's value (default double-quoted; the hover passes its Markdown code span)
 */
export function refusedText(ctx: LintContext, name: string, value: string, at: string, show: (value: string) => string = quote): string {
  const how = refusalFact(ctx, name, value)?.id.startsWith('vz7.value-invalid.silent') === true ? 'without a message' : 'with "Invalid parameter"';
  return `${describeTarget(ctx.target)} refuses ${show(value)} (${at}) ${how}, so vzctl commands on this container fail until it is fixed`;
}

/**
 * What the target is left with for `value` of `name` when its reader stores nothing of it (the value's
 * `ValueProblem.outcome`), as one plain sentence without a final stop that starts with the target, e.g.
 * `libvzctl 7.0.737 (Virtuozzo 7+) reads no number from the empty value and then tests a variable it never
 * set; …` for Virtuozzo 7 IOPSLIMIT `""`. Undefined when the value is stored as written (or refused:
 * {@link refusedText}).
 */
export function outcomeText(ctx: LintContext, name: string, value: string): string | undefined {
  const def = ctx.catalog.parameter(name);
  const outcome = def === undefined ? undefined : checkValue(def, value, { generation: ctx.target.generation, version: ctx.target.version, catalog: ctx.catalog }).problems.find((p) => p.outcome !== undefined)?.outcome;
  return outcome === undefined ? undefined : `${describeTarget(ctx.target)} ${outcome}`;
}

/**
 * What the target makes of a container's own line of `def` when it is a layout vzctl reads for vzctl create
 * only (behaviour `classic.ct-layout-detected`, vzctl 3.1 to 4.9.3), or undefined: the line is then not
 * this container's layout, which vzctl detects from the private area.
 */
export function ownLineCreateOnly(ctx: LintContext, def: ParameterDef): string | undefined {
  if (!def.createDefaultInNodeConfig?.includes(ctx.target.generation) || !createDefaultOnly(ctx, def)) return undefined;
  if (ctLayoutRule(ctx.target) !== 'detected') return undefined;
  return `${describeTarget(ctx.target)} reads it for vzctl create only and detects an existing container's layout from its private area`;
}

/**
 * The effective configuration of the file of `text` as a read-only config text: one `KEY="value"` line per
 * parameter set in the container or inherited from the node, each with a comment naming where it comes
 * from. Node-wide parameters (only meaningful in vz.conf) and keys the target does not know are listed
 * apart, as comments. For a node config, its own parameters.
 *
 * @param options  lint options (`path`, `target`, `kind`, `nodeConfig` …) as for `lint()`
 * @throws OptionError for an invalid target or kind option
 */
export function effectiveConfigText(text: string, options: LintOptions = {}): string {
  const ctx = analyze(text, options);
  const file = options.path ? path.basename(options.path) : 'this file';
  const nodeFile = ctx.node?.path ? path.basename(ctx.node.path) : undefined;
  const out: string[] = [];
  out.push(`# Effective configuration of ${file} — ${ctx.kind === 'node' ? 'node config' : ctx.kind === 'ct0' ? 'CT0 (host) config' : 'container config'}, as ${describeTarget(ctx.target)} (${formatTarget(ctx.target)}) reads it.`);
  if (ctx.kind !== 'node') {
    out.push(nodeFile
      ? `# ${ctx.node?.path ?? nodeFile} is read first, then ${options.path ?? file}: a value of the container replaces the node's (lists too).`
      : '# No vz.conf was found: only the container file and vzctl\'s defaults apply.');
  }
  out.push('# Generated by vzconf; read-only. Edit the files themselves (or use vzctl set … --save).', '');
  const names: string[] = [];
  const seen = new Set<string>();
  const unknown: Entry[] = [];
  const collect = (c: LintContext | undefined): void => {
    for (const e of c?.live ?? []) {
      const def = c?.def(e);
      if (!def || e.key !== e.name) {
        if (c === ctx) unknown.push(e);
        continue;
      }
      if (!seen.has(def.name)) {
        seen.add(def.name);
        names.push(def.name);
      }
    }
  };
  collect(ctx);
  if (ctx.kind !== 'node') collect(ctx.node);
  const nodeWide: string[] = [];
  const width = names.reduce((w, n) => Math.max(w, n.length), 0);
  for (const name of names) {
    const eff = effectiveValue(ctx, name);
    // Lines of this file vzctl skips for an invalid value: never effective, named in the comment.
    const skipped = (ctx.byName.get(name) ?? []).filter((e) => skippedForValue(ctx, e)).map((e) => lineNo(ctx, e.line));
    let skipNote = skipped.length > 0 ? `; ${file} line${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} skipped by vzctl (invalid value)` : '';
    // Classic IOPRIO / IOLIMIT / IOPSLIMIT: a refused value unsets the key instead (catalogue onRefused).
    const pdef = ctx.catalog.parameter(name);
    const unset = pdef ? unsettingLine(ctx, pdef) : undefined;
    if (unset) skipNote += `; ${file} line ${lineNo(ctx, unset.line)} unsets it (vzctl refuses the value)`;
    // A list line vzctl takes only up to its first bad item (IP_ADDRESS, DEVICES, CAPABILITY…).
    const partial = (ctx.byName.get(name) ?? []).filter((e) => refusedEffect(ctx, e) === 'partial').map((e) => lineNo(ctx, e.line));
    if (partial.length > 0) skipNote += `; of ${file} line${partial.length > 1 ? 's' : ''} ${partial.join(', ')} only the items before the bad one`;
    if (!eff) {
      const def = ctx.catalog.parameter(name);
      const notTaken = def ? nodeLineNotTaken(ctx, def) : undefined;
      // A key vz.conf sets only for vzctl create (VE_LAYOUT): say so rather than show the node's value.
      if (def && notTaken) out.push(`# ${name} is not set in ${file}: ${notTakenFromNode(ctx, `${nodeFile ?? 'vz.conf'} line ${lineNo(ctx.node ?? ctx, notTaken.entry.line)}`, notTaken.entry.value)}${skipNote}`);
      else if (skipped.length > 0 || unset) out.push(`# ${name} is not set${skipNote}`);
      continue;
    }
    const def = eff.def;
    if (eff.refused) {
      // Virtuozzo 7: libvzctl refuses the value instead of skipping the line; nothing takes its place.
      out.push(`# ${name} has no effective value: ${refusedText(ctx, name, eff.value, `${eff.source === 'node' ? nodeFile ?? 'vz.conf' : file} line ${lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0)}`)}`);
      continue;
    }
    const outcome = outcomeText(ctx, name, eff.value);
    if (outcome !== undefined) {
      // Virtuozzo 7 IOPSLIMIT "": the reader stores no value of the line's, so none is shown as effective.
      out.push(`# ${name} has no known effective value (${eff.source === 'node' ? nodeFile ?? 'vz.conf' : file} line ${lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0)}): ${outcome}`);
      continue;
    }
    const scope = def[ctx.target.generation]?.scope ?? def.scope;
    const line = `${name}=${quote(eff.value)}`;
    // A classic union key on several lines: every line's items, merged (no line wins).
    const at = eff.merged ? `lines ${lineList(fileOf(ctx, eff).doc, eff.merged)} (merged)` : `line ${lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0)}`;
    let where = eff.source === 'default' ? "vzctl's default" : `${eff.source === 'node' ? nodeFile ?? 'vz.conf' : file} ${at}`;
    where += skipNote;
    // Classic before 3.0.23 (catalogue mergeNonZero): the merge copies only a container value that is not 0.
    if (eff.mergeNonZero === 'zero-dropped') where += `; ${describeTarget(ctx.target)} does not merge the 0 of ${file} (OpenVZ bug 849)`;
    if (eff.mergeNonZero === 'node-not-taken') where += `; ${describeTarget(ctx.target)} does not take it from ${nodeFile ?? 'vz.conf'} (the container's unset value wins)`;
    const createOnly = eff.source === 'container' ? ownLineCreateOnly(ctx, def) : undefined;
    if (createOnly) where += `; ${createOnly}`;
    if (!ctx.known(def)) where += `; unknown to ${describeTarget(ctx.target)}`;
    const status = ctx.status(def).map((s) => s.kind).filter((k) => k !== 'deprecated');
    if (status.length > 0) where += `; ${status.join(', ')} on ${describeTarget(ctx.target)}`;
    if (ctx.kind !== 'node' && scope === 'node') {
      nodeWide.push(`# ${line}  (${where})`);
      continue;
    }
    out.push(`${line.padEnd(width + 3)}  # ${where}`);
  }
  if (nodeWide.length > 0) { out.push('', '# Node-wide settings (they configure the node, not the container):'); for (const l of nodeWide) out.push(l); }
  if (unknown.length > 0) {
    out.push('', `# Lines vzctl does not use as parameters (unknown keys, or keys with spaces):`);
    for (const e of unknown) out.push(`# ${e.key}=${quote(e.value)}  (${file} line ${lineNo(ctx, e.line)})`);
  }
  return `${out.join('\n')}\n`;
}
