/**
 * Parameter-level rules: keys vzctl does not know, keys repeated, keys in the wrong file.
 * Which keys exist, and where, is data: schemas/parameters.yaml.
 */
import type { ParameterDef } from '../catalog/types';
import { itemSeparators, keptNumber, refusedEffect, refusedForValue, skippedForValue, unsetsForValue, unsettingLine, usedEntries } from '../model/effective';
import { describeTarget } from '../model/target';
import type { Entry, Position } from '../parser/types';
import { tokens, type ValueCheck } from '../values/validate';
import type { Finding, Fix, LintContext, Rule } from './types';

/** Above this many repeats of a list key no merge fix is offered. */
const MAX_MERGE = 50;
/**
 * Most findings one repeated key gets (one per line or run of lines vzctl does not take); a key repeated
 * in more places apart (`A B A B …`) gets one finding for them all, which names the lines.
 */
export const MAX_DUPLICATE_FINDINGS = 5;
import { charMask, deleteLines, deleteLineSet, editDistance, entryRange, MEMO_NAME_CHARS, moreThanTwoBits, ownString, finding, lineNo, lineSpan, shippedInTargetSamples } from './util';
import { clip, explain, q, say, sayAbout, says, toolVersion } from './say';
import { derived } from '../catalog/derived';
import { LazyFixFinding } from './finding';
import { ObjectCache } from '../util/objectCache';
import { ruleBudget } from './budget';
import { shellWords, type ShellWord } from '../service/shellSafety';
import { suppressionTracker, type SuppressionTracker } from '../service/suppressions';
import { lastLineNumber } from '../parser/parse';
import { hasTemplateSyntax } from '../parser/template';
import { shortcutNamed, type VzctlSetShortcut } from '../service/vzctlSet';
import { MISPLACED, REPEATED_KEY, UNKNOWN_KEY } from './facts';

/**
 * Per target (the same for every file linted against it): its known keys (computed once), grouped by
 * length (a suggestion is at most two edits away, so only keys within two characters of the name's length
 * are compared) with the {@link charMask} of each, and the suggestions found per unknown name.
 */
interface SuggestionCache {
  known: Set<string>;
  byLength: Map<number, { name: string; mask: number }[]>;
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
      if (list) list.push({ name: n, mask: charMask(n) });
      else c.byLength.set(n.length, [{ name: n, mask: charMask(n) }]);
    }
    return c;
  });
  const hit = cache.found.get(name);
  if (hit) return hit;
  const found = computeSuggestions(cache, name);
  // Bounded: a file of 100 000 distinct unknown keys must not keep them all, nor any file's text (a key
  // read from a line is a view into it: copied).
  if (cache.found.size < 10000 && name.length <= MEMO_NAME_CHARS) cache.found.set(ownString(name), found);
  return found;
}

function computeSuggestions(cache: SuggestionCache, name: string): string[] {
  const upper = name.toUpperCase();
  const scored: { n: string; d: number }[] = [];
  if (cache.known.has(upper)) scored.push({ n: upper, d: 0 });
  if (name.length >= 4) {
    const mask = charMask(upper);
    for (let len = upper.length - 2; len <= upper.length + 2; len += 1) {
      for (const candidate of cache.byLength.get(len) ?? []) {
        if (candidate.name === upper || moreThanTwoBits(mask & ~candidate.mask) || moreThanTwoBits(candidate.mask & ~mask)) continue;
        const d = editDistance(upper, candidate.name, 2);
        if (d <= 2) scored.push({ n: candidate.name, d });
      }
    }
  }
  // (Most names have no suggestion: no sort then.)
  if (scored.length > 1) scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 3).map((s) => s.n);
}

/**
 * `RAM="2G"` → `PHYSPAGES="0:2G"`, as `vzctl set --ram 2G --save` writes it: only for a value with a K/M/G/T
 * suffix (the option reads a bare number as bytes, the file as pages) and a file without its own line of
 * the parameter. Not safe: vzctl would start reading a memory limit it ignores today.
 */
function shortcutFix(ctx: LintContext, e: Entry, shortcut: VzctlSetShortcut): Fix[] {
  const size = e.value.trim();
  if (!/^\d+(\.\d+)?[KMGTkmgt]$/.test(size) || ctx.byName.get(shortcut.parameter)?.length) return [];
  const newText = `${shortcut.parameter}="0:${size}"`;
  return [{ title: `Write ${newText} (what vzctl set ${shortcut.option} ${size} writes)`, edits: [{ range: { start: e.keyRange.start, end: e.rawValueRange.end }, newText }], safe: false }];
}

/** How to choose the Virtuozzo 7 target, named in the hint of a file that looks Virtuozzo 7 but is linted as classic. */
const VZ7_HOW = 'set the target to vz7: `vzlint --target vz7`, `target: vz7` in .vzconf.yaml, or the vzconf.target setting';

/**
 * A key the target's vzctl does not know: classic ignores it ("unknown parameter", shown only with
 * --verbose), libvzctl keeps it but never applies it. Keys read only by the scripts are known.
 *
 * A file linted as classic because the target was picked by `auto` (the evidence for Virtuozzo 7 was not
 * unambiguous, e.g. a classic-only key next to Virtuozzo 7 ones: `resolveTarget()`) but carrying two or
 * more Virtuozzo 7 parameters gets one finding for them all, on the first, whose message says how the
 * file was checked and which target checks them as Virtuozzo 7, instead of one finding per line.
 */
export const unknownParameter: Rule = {
  id: 'unknown-parameter',
  needs: UNKNOWN_KEY,
  check(ctx) {
    const out: Finding[] = [];
    let target: string | undefined;
    // Under `auto`, a classic file's Virtuozzo 7 parameters are gathered and reported together below.
    const gather = !ctx.target.explicit && ctx.target.generation === 'classic';
    const vz7Only: Entry[] = [];
    const entries = ctx.doc.entries;
    // Findings a suppression comment silences are not built (rules/budget.ts), but those gathered below.
    const budget = ruleBudget(ctx, 'unknown-parameter');
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      if (e.skipped || e.key !== e.name || e.name === '' || ctx.doc.continuationLines.has(e.line)) continue;
      const def = ctx.def(e);
      if (def && ctx.known(def)) continue;
      if (def && ctx.status(def).length > 0) continue; // removed / deprecated: the status rules say it better
      const stock = shippedInTargetSamples(ctx, e.name);
      if (gather && def?.vz7 && !def.classic && !stock) {
        vz7Only.push(e);
        continue;
      }
      if (budget?.silenced(e.line)) continue;
      const here = (target ??= describeTarget(ctx.target));
      const shown = /^[A-Za-z0-9_]*$/.test(e.name) ? clip(e.name) : q(e.name);
      const shortcut = def ? undefined : shortcutNamed(e.name, ctx.target.generation);
      const suggestions = def || shortcut ? [] : suggestNames(ctx, e.name);
      let head: string;
      let why: string;
      if (def && def[ctx.target.generation]?.since) {
        head = `${e.name} needs ${ctx.target.generation === 'classic' ? 'vzctl' : 'libvzctl'} ${def[ctx.target.generation]?.since} (the target is ${toolVersion(ctx)})`;
        why = `${here} does not know ${e.name} yet`;
      } else if (def) {
        head = `${e.name} is a ${ctx.target.generation === 'classic' ? 'Virtuozzo 7' : 'classic vzctl'} parameter`;
        why = `${here} does not know it`;
      } else if (shortcut) {
        // `RAM="2G"`: the name of a `vzctl set` option, not of the parameter it writes.
        head = `Unknown parameter ${e.name} (vzctl set ${shortcut.option} writes ${shortcut.parameter})`;
        why = `${here} does not know ${e.name}: \`vzctl set CTID ${shortcut.option} SIZE --save\` writes ${shortcut.parameter}="0:SIZE" (SIZE in bytes or with a K/M/G/T suffix; in the file a number without a suffix is in 4 KiB pages; vzctl(8), "VSwap limits")`;
      } else {
        head = `Unknown parameter ${shown}${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}`;
        why = `${here} does not know ${shown}`;
      }
      // The release's own samples carry it (VERSION in the classic x86_64 samples of 2005–2011): harmless,
      // on every stock copy, so at most a note (schemas/shipped-sample-keys.yaml).
      if (stock) head = `${e.name} is carried by the samples ${toolVersion(ctx)} shipped`;
      const said = say(ctx, head, 'parameter-unknown');
      out.push(finding(ctx, 'unknown-parameter', e.keyRange, said, {
        ...(stock ? { severity: 'info' as const, unnecessary: true } : {}),
        detail: explain(said, why, suggestions.length > 0 && `Did you mean ${suggestions.join(' or ')}?`),
        fixes: shortcut ? shortcutFix(ctx, e, shortcut) : suggestions.map((s) => ({ title: `Rename to ${s}`, edits: [{ range: e.keyRange, newText: s }], safe: false })),
      }));
    }
    const first = vz7Only[0];
    if (first && vz7Only.length === 1) {
      // One such key is no pattern: its own finding, with the way to check the file as Virtuozzo 7.
      const said = say(ctx, `${first.name} is a Virtuozzo 7 parameter`, 'parameter-unknown');
      out.push(finding(ctx, 'unknown-parameter', first.keyRange, said, {
        detail: explain(said, `${describeTarget(ctx.target)} does not know it`, `The target was picked automatically (${ctx.target.reason}); if this file is for a Virtuozzo 7 node, ${VZ7_HOW}`),
      }));
    } else if (first) {
      const said = say(ctx, `${vz7Only.length} Virtuozzo 7 parameters, checked as classic (target vz7 for VZ7)`, 'parameters-unknown');
      const lines = vz7Only.map((e) => `${e.name} (line ${lineNo(ctx, e.line)})`).join(', ');
      out.push(finding(ctx, 'unknown-parameter', first.keyRange, said, {
        detail: explain(said,
          `Only libvzctl (Virtuozzo 7) knows ${lines}; ${describeTarget(ctx.target)} does not know them`,
          `The target was picked automatically (${ctx.target.reason})`,
          `If this file is for a Virtuozzo 7 node, ${VZ7_HOW}; then these keys are checked as Virtuozzo 7 parameters`),
      }));
    }
    out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return out;
  },
};

/** The policy vzctl applies to repeats of `def`: classic per parameter, libvzctl always the last. */
function policyOf(ctx: LintContext, def: ParameterDef): 'first' | 'last' | 'union' {
  return ctx.target.generation === 'vz7' ? 'last' : def.duplicates ?? 'first';
}

/**
 * The last physical line of an entry (0-based): its own, or the last line of the multi-line shell value it
 * starts (a backslash-continued or multi-line quoted value, `doc.multilineOf`).
 */
function lastLineOf(ctx: LintContext, e: Entry): number {
  // Most files have no multi-line value: no lookup then.
  return ctx.doc.multiline.length === 0 ? e.line : ctx.doc.multilineOf.get(e)?.endLine ?? e.line;
}

/**
 * Where an entry ends: the end of its multi-line shell value, or of its value on its own line (quotes
 * included, as {@link entryRange}).
 */
function entryEnd(ctx: LintContext, e: Entry): Position {
  return ctx.doc.multilineOf.get(e)?.range.end ?? e.rawValueRange.end;
}

/** Per lint: the document's multi-line shell words ({@link shellWords}), computed when a fix first asks. */
const wordsMemo = new ObjectCache<LintContext, ShellWord[]>();
/** The file's suppression comments as this lint counts them (undefined: it has none). */
function suppressionsOf(ctx: LintContext): SuppressionTracker | undefined {
  return suppressionTracker(ctx);
}

/**
 * Whether a suppression comment silences duplicate-parameter on a line of `entries[a..b]`: such a run is
 * neither reported nor removed. The comment that covers the first such line is counted as used (for
 * unused-suppression) also when suppressions are ignored (`ignoreSuppressions`), which answers false.
 */
function anySuppressed(ctx: LintContext, sets: SuppressionTracker, entries: readonly Entry[], a: number, b: number): boolean {
  for (let i = a; i <= b; i += 1) if (sets.silences('duplicate-parameter', (entries[i] as Entry).line)) return ctx.ignoreSuppressions !== true;
  return false;
}

/**
 * Whether sh reads each of `entries` (one key's lines, in file order) as vzctl does: an assignment that
 * starts its own command and ends on its own line. Not when a line is inside another assignment's
 * multi-line word (after `X=1\` or an open quote: `X=1\` + newline + `HOSTNAME=a` sets no HOSTNAME for
 * sh), follows a line ending in a backslash, or holds or follows a lone CR (sh reads on past it). Then
 * removing the lines vzctl ignores may change sh's value of the key (it may have read one of the removed
 * lines last): such a fix is for review. Conservative: any such line of the key, kept or removed, makes
 * the removal unsafe. (A line that starts a multi-line word of its own is read by sh as an assignment of
 * the key; removing only part of such a word is what `keepShellWords`, service/shellSafety.ts, catches.)
 */
function shReadsAsVzctl(ctx: LintContext, entries: readonly Entry[]): boolean {
  let words = wordsMemo.get(ctx);
  if (words === undefined) {
    words = shellWords(ctx);
    wordsMemo.set(ctx, words);
  }
  const cr = ctx.doc.editorLines?.crColumns;
  let w = 0;
  for (const e of entries) {
    if (cr !== undefined && (cr.has(e.line) || cr.has(e.line - 1))) return false;
    if (e.line > 0 && /\\\r?$/.test(ctx.doc.text[e.line - 1] ?? '')) return false;
    while (w < words.length && (words[w] as ShellWord)[1] < e.line) w += 1;
    if (w < words.length && (words[w] as ShellWord)[0] < e.line) return false;
  }
  return true;
}

/**
 * Splits `entries[from..to)` (entries of one key, in file order) into runs of consecutive lines: maximal
 * sequences in which each entry starts on the line right after the previous one ends (continuation lines
 * of a multi-line value belong to their entry; a blank, comment or any other line in between ends a run).
 * Returns the runs as `[first, last]` index pairs into `entries`, inclusive, in file order.
 */
export function consecutiveRuns(ctx: LintContext, entries: readonly Entry[], from: number, to: number, max = Infinity): [number, number][] {
  const runs: [number, number][] = [];
  let start = from;
  for (let i = from + 1; i <= to && runs.length < max; i += 1) {
    if (i < to && continuesRun(ctx, entries, i)) continue;
    runs.push([start, i - 1]);
    start = i;
  }
  return runs;
}

/** Whether `entries[i]` starts on the line right after `entries[i - 1]` ends (both of one run). */
function continuesRun(ctx: LintContext, entries: readonly Entry[], i: number): boolean {
  return (entries[i] as Entry).line === lastLineOf(ctx, entries[i - 1] as Entry) + 1;
}

/**
 * How many runs {@link consecutiveRuns} finds in `entries[from..to)`, without building them: a key set on
 * every other line of a 40,000-line file has 20,000 runs, of which a message names five.
 */
export function countRuns(ctx: LintContext, entries: readonly Entry[], from: number, to: number): number {
  let n = 0;
  for (let i = from + 1; i <= to; i += 1) {
    if (i < to && continuesRun(ctx, entries, i)) continue;
    n += 1;
  }
  return n;
}

/**
 * The 1-based lines a run of entries covers, as messages and titles write them: `7`, or `2–999` (an en
 * dash; the last line is the run's last physical line, continuation lines included).
 */
function runLines(ctx: LintContext, first: Entry, last: Entry): string {
  return lineSpan(ctx, first.line, lastLineOf(ctx, last));
}

/**
 * The lines of all `entries` of a key (`runs`: their runs of consecutive lines, at least the first six when
 * there are more than five), runs written as ranges (`1–1000` rather than `1, 2, 3, 4, 5 and 995 more`): at
 * most five runs, then how many entries are left.
 */
function groupLines(ctx: LintContext, entries: readonly Entry[], runs: readonly [number, number][]): string {
  const shown = runs.slice(0, 5).map(([a, b]) => runLines(ctx, entries[a] as Entry, entries[b] as Entry)).join(', ');
  const rest = runs.length > 5 ? entries.length - 1 - (runs[4] as [number, number])[1] : 0;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}

/** `line 8` or `lines 8, 11` (at most five, then how many more), for the lines a detail names. */
function linesWord(ctx: LintContext, entries: readonly Entry[]): string {
  return entries.length === 1 ? `line ${lineNo(ctx, (entries[0] as Entry).line)}` : `lines ${groupLines(ctx, entries, consecutiveRuns(ctx, entries, 0, entries.length, 6))}`;
}

/**
 * A parameter set more than once. Classic keeps the first (most keys), the last (UBC, NETFILTER…)
 * or the union (IP_ADDRESS, FEATURES, IPTABLES…); libvzctl keeps the last. The message says which.
 *
 * Each line vzctl does not take (all but the one in effect under first/last, all but the first under union)
 * gets a finding, except that consecutive ones (a run, see {@link consecutiveRuns}) share one: its range
 * covers the run, its message names the run's lines, its fix removes the run in one edit. A file that
 * repeats one key on 1,000 lines gets one finding, not 999 (issue 8, the LSP worst case: the client's cost
 * is in the number of diagnostics); a single repeated line gets the same finding as always. A key repeated
 * in more than {@link MAX_DUPLICATE_FINDINGS} places apart (`A B A B …`) gets one finding for all of them
 * ({@link IgnoredDuplicates}; for a list key, the first run's), naming the lines.
 */
export const duplicateParameter: Rule = {
  id: 'duplicate-parameter',
  needs: REPEATED_KEY,
  check(ctx) {
    const out: Finding[] = [];
    // The live entries of each catalogue parameter written as named, in file order (ctx.byName, built by
    // analyze): a file without repeats costs one look at each of its few names.
    for (const entries of ctx.byName.values()) {
      if (entries.length < 2) continue;
      const def = ctx.def(entries[0] as Entry);
      if (!def || !ctx.known(def)) continue;
      const policy = policyOf(ctx, def);
      // Runs of consecutive lines among all the key's entries: the message's list of lines and, for a union
      // key (every line but the first reported), its findings.
      // (A union key's findings need every run; the others' message only the first six.)
      const all = consecutiveRuns(ctx, entries, 0, entries.length, policy === 'union' ? Infinity : 6);
      const lines = groupLines(ctx, entries, all);
      if (policy === 'union') {
        // vzctl skips a list line its handler refuses (an invalid value: skippedForValue, as the effective
        // view reads it, on classic, the only target with union keys): it adds nothing.
        // One pass: the rejected lines, and the items of the others in order, each value split once (lines
        // that repeat a value add nothing new: 40,000 copies of one line are split once). Lines with the same
        // value share their value check (lint.ts keeps one per distinct value): asked once per run of them.
        const rejected: Entry[] = [];
        // The handler keeps what it added before a bad item (behaviour value-invalid-list: IP_ADDRESS, NETDEV,
        // DEVICES, DEVNODES, PCI, CAPABILITY).
        const partial = says(ctx, 'value-invalid-list', def.name) !== undefined;
        const sep = itemSeparators(ctx, def.name);
        // Items added from rejected lines (0: those lines added nothing, and are said to be skipped).
        let keptBefore = 0;
        const seen = new Set<string>();
        const merged: string[] = [];
        const values = new Set<string>();
        let lastCheck: ValueCheck | undefined;
        let lastInvalid = false;
        for (let k = 0; k < entries.length; k += 1) {
          const e = entries[k] as Entry;
          const check = ctx.values.get(e);
          if (check !== lastCheck) {
            lastCheck = check;
            lastInvalid = check?.problems.some((p) => p.kind === 'invalid') === true;
          }
          if (check !== undefined && lastInvalid) {
            rejected.push(e);
            // Classic IP_ADDRESS (parse_ip()) has added the items before the bad one: they stay.
            const bad = partial ? check.problems.find((p) => p.kind === 'invalid') : undefined;
            if (bad) {
              for (const t of tokens(e.value, sep)) {
                if (t.end > bad.start) break;
                keptBefore += 1;
                if (!seen.has(t.text)) { seen.add(t.text); merged.push(t.text); }
              }
            }
            continue;
          }
          if (values.has(e.value)) continue;
          values.add(e.value);
          for (const t of tokens(e.value, sep)) if (!seen.has(t.text)) { seen.add(t.text); merged.push(t.text); }
        }
        const first = entries[0] as Entry;
        // One fix object shared by every finding of the group; none for pathological repeats, whose
        // edits would grow with the square of the count.
        // Nor when a line's shell value goes on over the next lines (`IP_ADDRESS=a\` + newline + `b`):
        // rewriting or deleting its first line would leave the rest for sh to run as a command. Nor when sh
        // reads a line otherwise than vzctl (`IPTABLES="a"b`: vzctl "a", sh "ab"): the rewrite covers what
        // vzctl reads only, so sh would keep reading the rest of the line (attack).
        const plain = entries.length <= MAX_MERGE && entries.every((x) => !/["\\$`]/.test(x.value) && !ctx.doc.multilineOf.has(x) && x.shell.value === x.value);
        const rejectedLines = rejected.map((x) => lineNo(ctx, x.line)).join(', ');
        const dropping = rejected.length === 0 ? ''
          : keptBefore > 0 ? ` (of line${rejected.length > 1 ? 's' : ''} ${rejectedLines} only what vzctl adds)`
          : ` (dropping line${rejected.length > 1 ? 's' : ''} ${rejectedLines}, which vzctl rejects)`;
        // A run of lines a suppression comment covers is neither reported nor removed: no merge then.
        const sets = suppressionsOf(ctx);
        const open = sets === undefined ? all : all.filter(([a, b]) => !anySuppressed(ctx, sets, entries, a, b));
        const merge: Fix[] = !plain || open.length < all.length ? [] : [{
          title: `Merge the ${entries.length} ${def.name} lines into line ${lineNo(ctx, first.line)}${dropping}`,
          edits: [{ range: first.rawValueRange, newText: `"${merged.join(' ')}"` }, ...deleteLineSet(ctx, entries.slice(1).map((x) => x.line))],
          // Dropping a rejected line changes nothing vzctl does, but the user may rather correct it.
          safe: rejected.length === 0,
        }];
        const mergedText = merged.length > 12 ? `${merged.slice(0, 12).join(' ')} …` : merged.join(' ');
        // Message and detail are the same for every finding of the group (vzctl takes every line it accepts):
        // built once, not once per line or run. The message names every line of the key; each finding covers
        // one run of consecutive lines (the first line's run included, so `lines 22–25` is reported from
        // line 22), and the first line alone, when apart from the others, is named by the others' findings.
        // The runs reported (the first line alone is named by the others); beyond MAX_DUPLICATE_FINDINGS of
        // them, only the first: the message and the fix are the same for all, and the message names every line.
        const reported = open[0]?.[0] === 0 && open[0][1] === 0 ? open.slice(1) : open;
        const grouped = reported.length > MAX_DUPLICATE_FINDINGS;
        const groupNote = grouped ? `It is set on lines ${lines}; reported once for the ${reported.length} places it is repeated in` : undefined;
        // Repeated in many places: the lines as a span (a list of them would be cut in the message).
        const said = say(ctx, grouped ? `${def.name} is set on ${entries.length} lines between ${lineNo(ctx, first.line)} and ${lastLineNumber(ctx.doc, lastLineOf(ctx, entries[entries.length - 1] as Entry))}` : `${def.name} is set on lines ${clip(lines, 24)}`, 'duplicate-union');
        const detail = explain(said, `${describeTarget(ctx.target)} adds the items of every line it accepts (${q(mergedText)})${!dropping ? '' : keptBefore > 0 ? `, of ${linesWord(ctx, rejected)} only the items before the bad one` : `, skipping ${linesWord(ctx, rejected)}`}; Virtuozzo 7's libvzctl and a shell that sources the file (vzmigrate) keep only the last line`, groupNote);
        for (const [a, b] of grouped ? reported.slice(0, 1) : reported) {
          const e = entries[a] as Entry;
          const range = a === b ? e.keyRange : { start: e.keyRange.start, end: entryEnd(ctx, entries[b] as Entry) };
          out.push(finding(ctx, 'duplicate-parameter', range, said, { detail, fixes: merge }));
        }
        continue;
      }
      // The line in effect is the one the engine's effective view takes (usedEntries): classic vzctl skips
      // a line whose value its handler refuses, leaving the key unset, so the next line is not a
      // duplicate; libvzctl takes the last line and refuses it when invalid (refusedForValue).
      const used = usedEntries(ctx, def)[0];
      if (used === undefined) {
        // Classic IOPRIO / IOLIMIT / IOPSLIMIT: a refused value unsets the key (catalogue onRefused), so the
        // lines before the last such line set nothing that lasts. Otherwise every line is refused: none is
        // in effect, and invalid-value reports each.
        const unset = unsettingLine(ctx, def);
        if (unset !== undefined) for (const f of lostToUnset(ctx, def, entries, unset, lines)) out.push(f);
        continue;
      }
      // The lines vzctl ignores as repeats (with the one in effect among them): all but those skipped for
      // their value (or refused and unsetting the key before a later line sets it again). One pass, linear
      // in the lines (a file may repeat one refused line 40,000 times). Until a line is skipped, the ignored
      // lines are the key's own list (ctx.byName's, never modified), not a copy grown line by line (issue 8:
      // a large array grown by push is fresh memory several times over).
      const skipped: Entry[] = [];
      let own: Entry[] | undefined;
      for (let k = 0; k < entries.length; k += 1) {
        const e = entries[k] as Entry;
        if (skippedForValue(ctx, e) || unsetsForValue(ctx, e)) {
          own ??= entries.slice(0, k);
          skipped.push(e);
        } else own?.push(e);
      }
      const ignored: readonly Entry[] = own ?? entries;
      if (ignored.length < 2) continue;
      const refused = refusedForValue(ctx, used);
      // In a template, classic vzctl may refuse a line whose value holds template syntax once rendered (its
      // value is not checked: service/template.ts), so which line it uses is known only as "the first (last)
      // line it accepts". libvzctl takes the last line whatever its value.
      const rendered = ctx.template !== undefined && ctx.target.generation === 'classic' && entries.some((e) => hasTemplateSyntax(e.value));
      const behaviour = skipped.length > 0 || rendered ? `duplicate-${policy}-valid` : policy === 'first' ? 'duplicate-first' : 'duplicate-last';
      const shellNote = policy === 'first' ? ', while the shell scripts that source the file take the last one' : '';
      const here = describeTarget(ctx.target);
      const skippedNote = skipped.length > 0 ? `skips ${linesWord(ctx, skipped)} for an invalid value, ` : '';
      // IOPRIO before vzctl 3.0.29: a refused line is in effect with the number parse_int() stored.
      const kept = refusedEffect(ctx, used) === 'keeps-number' ? keptNumber(used.value) : undefined;
      const usedNote = rendered
        ? `${here} ${skippedNote}uses the ${policy} line it accepts, which depends on the rendered values,`
        : `${here} ${skippedNote}uses line ${lineNo(ctx, used.line)} (${q(used.value)})${refused ? ', which it refuses,' : kept !== undefined ? `, refused but stored as ${kept},` : ''}`;
      // Message and detail are the same for every single ignored line of the group: built once (a file that
      // repeats one key on every other line must not build them 5,000 times); a run has its own, naming its
      // lines; each fix (removing the line or the run) is built only when read.
      const said = sayAbout(ctx, def.name, `${def.name} is also set on line ${lineNo(ctx, used.line)}`, behaviour);
      const detail = explain(said, `${def.name} is set on lines ${lines}: ${usedNote}${rendered ? ' so it may ignore' : ' and ignores'} this one${shellNote}`);
      const { severity, message, facts } = finding(ctx, 'duplicate-parameter', used.keyRange, said);
      // Removing a line the shell scripts read (first wins), or every line but one libvzctl refuses (the
      // user may mean an earlier one), changes more than it seems: review first.
      const group: DuplicateGroup = { ctx, name: def.name, safe: policy === 'last' && !refused, entries };
      // A run of lines a suppression comment covers (`disable-next-line` above its first line, as for the
      // finding that run would get) is neither reported nor removed, nor grouped with the others.
      const sets = suppressionsOf(ctx);
      let others = without(ignored, used);
      // Without suppression comments only the first MAX_DUPLICATE_FINDINGS + 1 runs are built: beyond that
      // many the key gets one finding, which names five runs and counts the rest (`A B A B …` over 40,000
      // lines has 20,000 runs).
      let runs = consecutiveRuns(ctx, others, 0, others.length, sets === undefined ? MAX_DUPLICATE_FINDINGS + 1 : Infinity);
      if (sets !== undefined && runs.some(([a, b]) => anySuppressed(ctx, sets, others, a, b))) {
        const open: Entry[] = [];
        for (const [a, b] of runs) if (!anySuppressed(ctx, sets, others, a, b)) for (let i = a; i <= b; i += 1) open.push(others[i] as Entry);
        others = open;
        runs = consecutiveRuns(ctx, others, 0, others.length);
      }
      if (others.length === 0) continue;
      if (runs.length > MAX_DUPLICATE_FINDINGS) {
        const places = runs.length > MAX_DUPLICATE_FINDINGS + 1 ? runs.length : countRuns(ctx, others, 0, others.length);
        // Repeated in many places apart (`A B A B …`): one finding, on the first ignored line (or run), whose
        // message names the lines and whose fix removes them all (the line in effect stays).
        const list = groupLines(ctx, others, runs);
        const [a, b] = runs[0] as [number, number];
        const lastOther = lastLineOf(ctx, others[others.length - 1] as Entry);
        const groupSaid = sayAbout(ctx, def.name, `${def.name} on ${others.length} lines between ${lineNo(ctx, (others[0] as Entry).line)} and ${lastLineNumber(ctx.doc, lastOther)} is also set on line ${lineNo(ctx, used.line)}`, behaviour);
        const groupDetail = explain(groupSaid, `${def.name} is set on lines ${lines}: ${usedNote}${rendered ? ' so it may ignore' : ' and ignores'} lines ${list}${shellNote}`, `Reported once for the ${others.length} lines, repeated in ${places} places; the fix removes them all`);
        out.push(new IgnoredDuplicates(group, others, others[a] as Entry, others[b] as Entry, severity, finding(ctx, 'duplicate-parameter', used.keyRange, groupSaid).message, groupDetail, facts));
        continue;
      }
      // (The line in effect lies between the runs before it and after it: no run spans it.)
      for (const [a, b] of runs) {
        const e = others[a] as Entry;
        if (a === b) {
          out.push(new IgnoredDuplicate(group, e, e, severity, message, detail, facts));
          continue;
        }
        const last = others[b] as Entry;
        const span = runLines(ctx, e, last);
        const runSaid = sayAbout(ctx, def.name, `${def.name} on lines ${span} is also set on line ${lineNo(ctx, used.line)}`, behaviour);
        const runDetail = explain(runSaid, `${def.name} is set on lines ${lines}: ${usedNote}${rendered ? ' so it may ignore' : ' and ignores'} lines ${span}${shellNote}`);
        out.push(new IgnoredDuplicate(group, e, last, severity, finding(ctx, 'duplicate-parameter', e.keyRange, runSaid).message, runDetail, facts));
      }
    }
    return out;
  },
};

/**
 * `list` without `x` (an element of it at most once), copied at its final size rather than grown element by
 * element (issue 8: 20,000 lines of a key are a large array); `list` itself when `x` is not in it.
 */
function without(list: readonly Entry[], x: Entry): readonly Entry[] {
  const i = list.indexOf(x);
  if (i < 0) return list;
  if (i === 0) return list.slice(1);
  if (i === list.length - 1) return list.slice(0, i);
  return list.slice(0, i).concat(list.slice(i + 1));
}

/**
 * The findings for lines whose value a later refused line wipes out (classic {@link unsettingLine}: IOPRIO
 * outside 0..7, a bad IOLIMIT or IOPSLIMIT): each run of accepted lines before `unset` gets one, naming the
 * line that unsets the key. No fix: the value meant is more likely the earlier one, and only the user knows.
 */
function lostToUnset(ctx: LintContext, def: ParameterDef, entries: readonly Entry[], unset: Entry, lines: string): Finding[] {
  const lost = entries.filter((e) => e.line < unset.line && !skippedForValue(ctx, e) && !unsetsForValue(ctx, e));
  const out: Finding[] = [];
  if (lost.length === 0) return out;
  const here = describeTarget(ctx.target);
  for (const [a, b] of consecutiveRuns(ctx, lost, 0, lost.length)) {
    const e = lost[a] as Entry;
    const last = lost[b] as Entry;
    const span = a === b ? undefined : runLines(ctx, e, last);
    const said = sayAbout(ctx, def.name, `${def.name}${span ? ` on lines ${span}` : ''} is also set on line ${lineNo(ctx, unset.line)}`, 'duplicate-unset');
    const detail = explain(said, `${def.name} is set on lines ${lines}: ${here} refuses line ${lineNo(ctx, unset.line)} (${q(unset.value)}) and sets ${def.name} back to unset, so the ${span ? `values of lines ${span} are` : 'value of this line is'} lost`,
      ctx.kind === 'node' ? 'Containers get no value for it from vz.conf' : "The container takes vz.conf's value, or none");
    const range = a === b ? e.keyRange : { start: e.keyRange.start, end: entryEnd(ctx, last) };
    out.push(finding(ctx, 'duplicate-parameter', range, said, { detail }));
  }
  return out;
}

/** What the ignored lines of one repeated parameter share: the file, the parameter, whether removing a line is safe. */
interface DuplicateGroup {
  readonly ctx: LintContext;
  readonly name: string;
  /** Safe for vzctl (libvzctl takes the last line and accepts it); for sh too only if {@link shReadsAsVzctl}. */
  readonly safe: boolean;
  /** Every line of the parameter, in file order. */
  readonly entries: readonly Entry[];
  /** {@link groupSafe}'s answer, once asked. */
  safeForSh?: boolean;
}

/** Whether removing ignored lines of the group changes neither what vzctl reads nor what sh reads. */
function groupSafe(group: DuplicateGroup): boolean {
  if (!group.safe) return false;
  group.safeForSh ??= shReadsAsVzctl(group.ctx, group.entries);
  return group.safeForSh;
}

/**
 * An ignored line of a repeated parameter, or a run of consecutive ignored lines (`first` to `last`, the
 * same entry for a single line): its range is the key of a single line, from the first key to the end of
 * the last value for a run; its fix (remove the line or run, continuation lines included, in one edit) is
 * built when first read.
 */
class IgnoredDuplicate extends LazyFixFinding {
  readonly #group: DuplicateGroup;
  /** The first and last physical lines removed by the fix (0-based, inclusive). */
  readonly #from: number;
  readonly #to: number;

  constructor(group: DuplicateGroup, first: Entry, last: Entry, severity: Finding['severity'], message: string, detail: string, facts: string[] | undefined) {
    const range = first === last ? first.keyRange : { start: first.keyRange.start, end: entryEnd(group.ctx, last) };
    super('duplicate-parameter', severity, message, range, detail, facts);
    this.#group = group;
    this.#from = first.line;
    this.#to = lastLineOf(group.ctx, last);
  }

  protected buildFixes(): Fix[] {
    const { ctx, name } = this.#group;
    const safe = groupSafe(this.#group);
    const span = lineSpan(ctx, this.#from, this.#to);
    const lines = span.includes('–') ? `lines ${span}` : `line ${span}`;
    return [{ title: `Remove the ignored ${name} on ${lines}`, edits: [deleteLines(ctx, this.#from, this.#to)], safe }];
  }
}

/**
 * All the ignored lines of a parameter repeated in more than {@link MAX_DUPLICATE_FINDINGS} places apart: one
 * finding on the first ignored line (its key) or run (from its first key to its last value), whose fix,
 * built when first read, removes every ignored line (continuation lines included; consecutive lines in one
 * edit) and keeps the line in effect.
 */
class IgnoredDuplicates extends LazyFixFinding {
  readonly #group: DuplicateGroup;
  readonly #entries: readonly Entry[];

  constructor(group: DuplicateGroup, entries: readonly Entry[], first: Entry, last: Entry, severity: Finding['severity'], message: string, detail: string, facts: string[] | undefined) {
    const range = first === last ? first.keyRange : { start: first.keyRange.start, end: entryEnd(group.ctx, last) };
    super('duplicate-parameter', severity, message, range, detail, facts);
    this.#group = group;
    this.#entries = entries;
  }

  protected buildFixes(): Fix[] {
    const { ctx, name } = this.#group;
    const safe = groupSafe(this.#group);
    const lines: number[] = [];
    for (const e of this.#entries) for (let n = e.line, end = lastLineOf(ctx, e); n <= end; n += 1) lines.push(n);
    return [{ title: `Remove the ${this.#entries.length} ignored ${name} lines`, edits: deleteLineSet(ctx, lines), safe }];
  }
}

/**
 * A key in the wrong kind of file: a per-container key in vz.conf (NETFILTER, VEID and UUID are
 * dropped there; others become a default for every container), a node-wide key in a container
 * config, or anything but UBC parameters in the host's 0.conf.
 */
export const misplacedParameter: Rule = {
  id: 'misplaced-parameter',
  needs: MISPLACED,
  check(ctx) {
    const out: Finding[] = [];
    const live = ctx.live;
    for (let i = 0; i < live.length; i += 1) {
      const e = live[i] as Entry;
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

