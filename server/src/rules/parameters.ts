/**
 * Parameter-level rules: keys vzctl does not know, keys repeated, keys in the wrong file.
 * Which keys exist, and where, is data: schemas/parameters.yaml.
 */
import type { ParameterDef } from '../catalog/types';
import { describeTarget } from '../model/target';
import type { Entry } from '../parser/types';
import { tokens } from '../values/validate';
import type { Finding, Fix, LintContext, Rule } from './types';

/** Above this many repeats of a list key no merge fix is offered. */
const MAX_MERGE = 50;
import { deleteLines, deleteLineSet, editDistance, entryRange, finding, shippedInTargetSamples } from './util';
import { clip, explain, q, say, toolVersion } from './say';
import { derived } from '../catalog/derived';
import { LazyFixFinding } from './finding';

/**
 * Per target (the same for every file linted against it): its known keys (computed once), grouped by
 * length (a suggestion is at most two edits away, so only keys within two characters of the name's length
 * are compared), and the suggestions found per unknown name.
 */
interface SuggestionCache {
  known: Set<string>;
  byLength: Map<number, string[]>;
  found: Map<string, string[]>;
}

/** Closest known keys for a misspelt one: same letters in another case, or at most 2 edits away. */
export function suggestNames(ctx: LintContext, name: string): string[] {
  const cache = derived(ctx.catalog, `suggestions\0${ctx.target.generation}\0${ctx.target.version}`, (catalog): SuggestionCache => {
    const c: SuggestionCache = { known: new Set(), byLength: new Map(), found: new Map() };
    for (const n of catalog.names()) {
      const def = catalog.parameter(n);
      // What the target knows of a key depends on its generation and version only (ctx.known).
      if (def === undefined || !ctx.known(def) || c.known.has(n)) continue;
      c.known.add(n);
      const list = c.byLength.get(n.length);
      if (list) list.push(n);
      else c.byLength.set(n.length, [n]);
    }
    return c;
  });
  const hit = cache.found.get(name);
  if (hit) return hit;
  const found = computeSuggestions(cache, name);
  // Bounded: a file of 100 000 distinct unknown keys must not keep them all.
  if (cache.found.size < 10000) cache.found.set(name, found);
  return found;
}

function computeSuggestions(cache: SuggestionCache, name: string): string[] {
  const upper = name.toUpperCase();
  const scored: { n: string; d: number }[] = [];
  if (cache.known.has(upper)) scored.push({ n: upper, d: 0 });
  if (name.length >= 4) {
    for (let len = upper.length - 2; len <= upper.length + 2; len += 1) {
      for (const candidate of cache.byLength.get(len) ?? []) {
        if (candidate === upper) continue;
        const d = editDistance(upper, candidate, 2);
        if (d <= 2) scored.push({ n: candidate, d });
      }
    }
  }
  scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 3).map((s) => s.n);
}

/**
 * A key the target's vzctl does not know: classic ignores it ("unknown parameter", shown only with
 * --verbose), libvzctl keeps it but never applies it. Keys read only by the scripts are known.
 */
export const unknownParameter: Rule = {
  id: 'unknown-parameter',
  check(ctx) {
    const out: Finding[] = [];
    let target: string | undefined;
    for (const e of ctx.doc.entries) {
      if (e.skipped || e.key !== e.name || e.name === '' || ctx.doc.continuationLines.has(e.line)) continue;
      const def = ctx.def(e);
      if (def && ctx.known(def)) continue;
      if (def && ctx.status(def).length > 0) continue; // removed / deprecated: the status rules say it better
      const here = (target ??= describeTarget(ctx.target));
      const shown = /^[A-Za-z0-9_]*$/.test(e.name) ? clip(e.name) : q(e.name);
      const suggestions = def ? [] : suggestNames(ctx, e.name);
      let head: string;
      let why: string;
      if (def && def[ctx.target.generation]?.since) {
        head = `${e.name} needs ${ctx.target.generation === 'classic' ? 'vzctl' : 'libvzctl'} ${def[ctx.target.generation]?.since} (the target is ${toolVersion(ctx)})`;
        why = `${here} does not know ${e.name} yet`;
      } else if (def) {
        head = `${e.name} is a ${ctx.target.generation === 'classic' ? 'Virtuozzo 7' : 'classic vzctl'} parameter`;
        why = `${here} does not know it`;
      } else {
        head = `Unknown parameter ${shown}${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}`;
        why = `${here} does not know ${shown}`;
      }
      // The release's own samples carry it (VERSION in the classic x86_64 samples of 2005–2011): harmless,
      // on every stock copy, so at most a note (schemas/shipped-sample-keys.yaml).
      const stock = shippedInTargetSamples(ctx, e.name);
      if (stock) head = `${e.name} is carried by the samples ${toolVersion(ctx)} shipped`;
      const said = say(ctx, head, 'parameter-unknown');
      out.push(finding(ctx, 'unknown-parameter', e.keyRange, said, {
        ...(stock ? { severity: 'info' as const, unnecessary: true } : {}),
        detail: explain(said, why, suggestions.length > 0 && `Did you mean ${suggestions.join(' or ')}?`),
        fixes: suggestions.map((s) => ({ title: `Rename to ${s}`, edits: [{ range: e.keyRange, newText: s }], safe: false })),
      }));
    }
    return out;
  },
};

/** The policy vzctl applies to repeats of `def`: classic per parameter, libvzctl always the last. */
function policyOf(ctx: LintContext, def: ParameterDef): 'first' | 'last' | 'union' {
  return ctx.target.generation === 'vz7' ? 'last' : def.duplicates ?? 'first';
}

/**
 * A parameter set more than once. Classic keeps the first (most keys), the last (UBC, NETFILTER…)
 * or the union (IP_ADDRESS, FEATURES, IPTABLES…); libvzctl keeps the last. The message says which.
 */
export const duplicateParameter: Rule = {
  id: 'duplicate-parameter',
  check(ctx) {
    const out: Finding[] = [];
    // The live entries of each catalogue parameter written as named, in file order (ctx.byName, built by
    // analyze): a file without repeats costs one look at each of its few names.
    for (const entries of ctx.byName.values()) {
      if (entries.length < 2) continue;
      const def = ctx.def(entries[0] as Entry);
      if (!def || !ctx.known(def)) continue;
      const policy = policyOf(ctx, def);
      const shown = entries.slice(0, 5).map((e) => e.line + 1).join(', ');
      const lines = entries.length > 5 ? `${shown} and ${entries.length - 5} more` : shown;
      if (policy === 'union') {
        // vzctl rejects a list line at its first bad item, so a rejected line adds nothing.
        const rejected = entries.filter((e) => ctx.values.get(e)?.problems.some((p) => p.kind === 'invalid'));
        const seen = new Set<string>();
        const merged: string[] = [];
        for (const e of entries) {
          if (rejected.includes(e)) continue;
          for (const t of tokens(e.value, ' \t')) if (!seen.has(t.text)) { seen.add(t.text); merged.push(t.text); }
        }
        const first = entries[0] as Entry;
        // One fix object shared by every finding of the group; none for pathological repeats, whose
        // edits would grow with the square of the count.
        const plain = entries.every((x) => !/["\\$`]/.test(x.value));
        const dropping = rejected.length > 0 ? ` (dropping line${rejected.length > 1 ? 's' : ''} ${rejected.map((x) => x.line + 1).join(', ')}, which vzctl rejects)` : '';
        const merge: Fix[] = entries.length > MAX_MERGE || !plain ? [] : [{
          title: `Merge the ${entries.length} ${def.name} lines into line ${first.line + 1}${dropping}`,
          edits: [{ range: first.rawValueRange, newText: `"${merged.join(' ')}"` }, ...deleteLineSet(ctx, entries.slice(1).map((x) => x.line))],
          // Dropping a rejected line changes nothing vzctl does, but the user may rather correct it.
          safe: rejected.length === 0,
        }];
        const mergedText = merged.length > 12 ? `${merged.slice(0, 12).join(' ')} …` : merged.join(' ');
        // Message and detail are the same for every line of the group: built once, not once per line.
        const said = say(ctx, `${def.name} is set on lines ${clip(lines, 24)}`, 'duplicate-union');
        const detail = explain(said, `Classic vzctl adds the items of every line it accepts (${q(mergedText)}), while Virtuozzo 7 and the shell scripts that source the file keep only the last line`);
        for (const e of entries.slice(1)) out.push(finding(ctx, 'duplicate-parameter', e.keyRange, said, { detail, fixes: merge }));
        continue;
      }
      const used = policy === 'first' ? entries[0] as Entry : entries[entries.length - 1] as Entry;
      const shellNote = policy === 'first' ? ', while the shell scripts that source the file take the last one' : '';
      // Message and detail are the same for every ignored line of the group: built once (a file that
      // repeats one key 10,000 times must not build them 10,000 times); only the fix names its line.
      const said = say(ctx, `${def.name} is also set on line ${used.line + 1}`, policy === 'first' ? 'duplicate-first' : 'duplicate-last');
      const detail = explain(said, `${def.name} is set on lines ${lines}: ${describeTarget(ctx.target)} uses line ${used.line + 1} (${q(used.value)}) and ignores this one${shellNote}`);
      // One finding built as `finding()` builds it; what they share (severity, message, facts) is computed
      // once, and each line's fix (removing it) only when read.
      const { severity, message, facts } = finding(ctx, 'duplicate-parameter', used.keyRange, said);
      const group: DuplicateGroup = { ctx, name: def.name, safe: policy === 'last' };
      for (const e of entries) {
        if (e !== used) out.push(new IgnoredDuplicate(group, e, severity, message, detail, facts));
      }
    }
    return out;
  },
};

/** What the ignored lines of one repeated parameter share: the file, the parameter, whether removing a line is safe. */
interface DuplicateGroup {
  readonly ctx: LintContext;
  readonly name: string;
  readonly safe: boolean;
}

/** A line of a repeated parameter that vzctl ignores; its fix (remove the line) is built when first read. */
class IgnoredDuplicate extends LazyFixFinding {
  readonly #group: DuplicateGroup;
  readonly #line: number;

  constructor(group: DuplicateGroup, entry: Entry, severity: Finding['severity'], message: string, detail: string, facts: string[] | undefined) {
    super('duplicate-parameter', severity, message, entry.keyRange, detail, facts);
    this.#group = group;
    this.#line = entry.line;
  }

  protected buildFixes(): Fix[] {
    const { ctx, name, safe } = this.#group;
    return [{ title: `Remove the ignored ${name} on line ${this.#line + 1}`, edits: [deleteLines(ctx, this.#line, this.#line)], safe }];
  }
}

/**
 * A key in the wrong kind of file: a per-container key in vz.conf (NETFILTER, VEID and UUID are
 * dropped there; others become a default for every container), a node-wide key in a container
 * config, or anything but UBC parameters in the host's 0.conf.
 */
export const misplacedParameter: Rule = {
  id: 'misplaced-parameter',
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.live) {
      const def = ctx.def(e);
      if (!def || e.key !== e.name || !ctx.known(def) || ctx.doc.continuationLines.has(e.line)) continue;
      const scope = def[ctx.target.generation]?.scope ?? def.scope;
      const handling = def[ctx.target.generation]?.handling;
      if (ctx.kind === 'node' && scope === 'container') {
        if (ctx.status(def).some((s) => s.kind === 'removed')) continue; // removed-parameter says it
        if (def.ignoredInNodeConfig?.includes(ctx.target.generation)) {
          const warns = ctx.target.generation === 'classic' && def.name === 'NETFILTER' ? ' and warns on every run' : '';
          out.push(finding(ctx, 'misplaced-parameter', entryRange(e), `${def.name} is a container parameter, ignored in vz.conf`, {
            detail: `${def.name} is a per-container parameter: ${describeTarget(ctx.target)} ignores it in the global vz.conf${warns}; set it in each container config instead.`,
            fixes: [{ title: `Remove ${def.name} from vz.conf`, edits: [deleteLines(ctx, e.line, e.line)], safe: true }],
          }));
        } else {
          out.push(finding(ctx, 'misplaced-parameter', e.keyRange, `${def.name} in vz.conf becomes the default of every container`, {
            detail: `${def.name} is a per-container parameter: in vz.conf it becomes the default of every container that does not set it. Is that meant?`,
          }));
        }
      } else if (ctx.kind !== 'node' && scope === 'node' && handling !== 'script') {
        out.push(finding(ctx, 'misplaced-parameter', e.keyRange, `${def.name} is a vz.conf parameter, without effect in a container config`, {
          detail: `${def.name} is a node-wide parameter of vz.conf; it has no effect in a container config.`,
        }));
      } else if (ctx.kind === 'ct0' && def.group !== 'ubc' && def.group !== 'memory' && def.name !== 'ONBOOT' && handling !== 'script') {
        out.push(finding(ctx, 'misplaced-parameter', e.keyRange, `${def.name} has no effect in 0.conf, which sets the host's UBCs`, {
          detail: `0.conf configures the host (CT0), where vzctl processes only UBC parameters: ${def.name} has no effect here.`,
        }));
      }
    }
    return out;
  },
};

