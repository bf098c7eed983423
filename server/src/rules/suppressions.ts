/**
 * Suppression comments and the rule that checks them.
 *
 *   # vzconf-disable-next-line <rule>[,<rule>…] [-- <reason>]   the next line that is neither blank nor
 *                                                              another suppression comment
 *   # vzconf-disable <rule>[,<rule>…] [-- <reason>]             the whole file (the comment may be anywhere),
 *                                                              or, for a rule a later `vzconf-enable` names,
 *                                                              the lines down to that comment (a block;
 *                                                              blocks nest: an enable ends the innermost)
 *   # vzconf-enable <rule>[,<rule>…]                            ends the block of the `vzconf-disable` above
 *
 * Full-line comments only: classic vzctl has no inline comments (`KEY=v # x` makes `# x` part of the
 * value), so a suppression is always a line of its own. The filtering itself is in
 * `server/src/service/suppressions.ts`; this module only reads the comments and reports names that are
 * not rules (`unknown-suppression`).
 */
import type { CatalogIndex } from '../catalog/load';
import type { ConfigDocument, ConfigLine, Range } from '../parser/types';
import type { Finding, LintContext, Rule } from './types';
import { charMask, editDistance, finding, MEMO_NAME_CHARS, moreThanTwoBits, ownString } from './util';
import { derived } from '../catalog/derived';
import { clip, q } from './text';
import { ObjectCache } from '../util/objectCache';
import { SUPPRESSION_COMMENT } from './facts';

/** The two directives. */
export const DIRECTIVES = ['vzconf-disable-next-line', 'vzconf-disable', 'vzconf-enable'] as const;

/** One rule name written in a suppression comment. */
export interface SuppressionName {
  /** The name as written (trimmed). */
  readonly id: string;
  /** Where it is written. */
  readonly range: Range;
  /** Where it starts on the comment's line (`range.start.character`, without building the range). */
  readonly character: number;
}

/**
 * A {@link SuppressionName} whose range is built on first read: a file of 100,000 suppression comments
 * reads the ranges of the few it reports, not of all (three objects each).
 */
class WrittenName implements SuppressionName {
  private built?: Range;
  constructor(readonly id: string, private readonly line: number, readonly character: number) {}
  get range(): Range {
    return (this.built ??= { start: { line: this.line, character: this.character }, end: { line: this.line, character: this.character + this.id.length } });
  }
}


/** A suppression comment. */
export interface SuppressionDirective {
  /** 0-based line of the comment. */
  line: number;
  /** `line`: `vzconf-disable-next-line`; `file`: `vzconf-disable`; `enable`: `vzconf-enable`. */
  scope: 'line' | 'file' | 'enable';
  /** For `line` scope: the line it silences (undefined when nothing follows). */
  targetLine?: number;
  /**
   * For `file` scope: the rules it silences only down to a later `vzconf-enable` (rule id → that comment's
   * line); the other rules it names are silenced in the whole file. For `enable` scope: the rules it ends a
   * block of (rule id → the `vzconf-disable` line); a name without an open block ends nothing.
   */
  block?: Map<string, number>;
  names: SuppressionName[];
  /** The text after `--`, trimmed (empty when none is given). */
  reason: string;
  /** The whole comment line's text range. */
  readonly range: Range;
}

/** A {@link SuppressionDirective} whose `range` (the whole line, `length` characters) is built on first read. */
class Directive implements SuppressionDirective {
  declare targetLine?: number;
  declare block?: Map<string, number>;
  private built?: Range;
  constructor(readonly line: number, readonly scope: SuppressionDirective['scope'], readonly names: SuppressionName[], readonly reason: string, private readonly length: number) {}
  get range(): Range {
    return (this.built ??= { start: { line: this.line, character: 0 }, end: { line: this.line, character: this.length } });
  }
}

/** A comment that looks like a suppression but is not one (`# vzconf-disable-nextline …`). */
export interface MalformedDirective {
  line: number;
  /** The word after `vzconf-` as written, e.g. `vzconf-disable-nextline`. */
  word: string;
  range: Range;
}

/** What a file's suppression comments say. */
export interface ParsedSuppressions {
  directives: SuppressionDirective[];
  malformed: MalformedDirective[];
}

const COMMENT = /^(\s*#\s*)(vzconf-[A-Za-z-]*)(.*)$/;
/** A rule name in a comment's list (global: its lastIndex is reset before each list). */
const NAME = /[^,\s]+/g;
const cache = new ObjectCache<ConfigDocument, ParsedSuppressions>();
/** What a file without any `vzconf-` comment says (most files): shared, never modified. */
const NONE: ParsedSuppressions = { directives: [], malformed: [] };
Object.freeze(NONE.directives);
Object.freeze(NONE.malformed);
Object.freeze(NONE);

/** Whether a comment line of `doc` (outside multi-line values) mentions `vzconf-`: a file without one has no suppression to read. */
function mentionsVzconf(doc: ConfigDocument): boolean {
  const lines = doc.lines;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as ConfigLine;
    if (line.kind === 'comment' && (doc.text[line.line] ?? '').includes('vzconf-') && !doc.continuationLines.has(line.line)) return true;
  }
  return false;
}

/**
 * Reads the suppression comments of a parsed file (cached per document). Lines inside a multi-line shell
 * value are not comments and are skipped.
 */
export function parseSuppressions(doc: ConfigDocument): ParsedSuppressions {
  const hit = cache.get(doc);
  if (hit) return hit;
  if (!mentionsVzconf(doc)) return NONE;
  const directives: SuppressionDirective[] = [];
  const malformed: MalformedDirective[] = [];
  // One byte a line (a Set of 100,000 line numbers was the largest cost of a file made of these comments).
  const isDirectiveLine = new Uint8Array(doc.lines.length);
  const lines = doc.lines;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as ConfigLine;
    if (line.kind !== 'comment' || doc.continuationLines.has(line.line)) continue;
    const text = doc.text[line.line] ?? '';
    const m = text.includes('vzconf-') ? COMMENT.exec(text) : null;
    if (!m) continue;
    const [, lead = '', word = '', rest = ''] = m;
    const scope = word === 'vzconf-disable-next-line' ? 'line' : word === 'vzconf-disable' ? 'file' : word === 'vzconf-enable' ? 'enable' : undefined;
    if (!scope || (rest !== '' && !/^\s/.test(rest))) {
      const start = lead.length;
      const wordEnd = start + word.length + (/^\S*/.exec(rest)?.[0].length ?? 0);
      malformed.push({ line: line.line, word: text.slice(start, wordEnd), range: { start: { line: line.line, character: start }, end: { line: line.line, character: wordEnd } } });
      continue;
    }
    isDirectiveLine[line.line] = 1;
    const restStart = lead.length + word.length;
    const sep = rest.includes('--') ? rest.search(/(^|\s)--(\s|$)/) : -1;
    const listText = sep < 0 ? rest : rest.slice(0, sep);
    const reason = sep < 0 ? '' : rest.slice(sep).replace(/^\s*--/, '').trim();
    const names: SuppressionName[] = [];
    NAME.lastIndex = 0;
    for (let n = NAME.exec(listText); n; n = NAME.exec(listText)) names.push(new WrittenName(n[0], line.line, restStart + n.index));
    directives.push(new Directive(line.line, scope, names, reason, text.length));
  }
  // One backward pass: for every line, the next line at or after it that is neither blank nor a
  // directive (linear, however many directives are stacked).
  // (Skipped when there is no next-line directive: most files have none.)
  const anyLine = directives.some((d) => d.scope === 'line');
  const nextTarget = new Array<number | undefined>(anyLine ? doc.lines.length + 1 : 0);
  for (let l = anyLine ? doc.lines.length - 1 : -1; l >= 0; l -= 1) {
    const here = doc.lines[l];
    nextTarget[l] = here && here.kind !== 'blank' && isDirectiveLine[l] === 0 ? l : nextTarget[l + 1];
  }
  for (const d of directives) {
    if (d.scope !== 'line') continue;
    const target = nextTarget[d.line + 1];
    if (target !== undefined) d.targetLine = target;
  }
  // Blocks: in file order, per rule a stack of the vzconf-disable comments still open; a vzconf-enable of
  // the rule closes the innermost one, so nested blocks pair like brackets (the lines between an outer pair
  // stay silenced down to the outer enable) and a disable never closed stays whole-file.
  if (directives.some((d) => d.scope === 'enable')) {
    const open = new Map<string, SuppressionDirective[]>();
    for (const d of directives) {
      if (d.scope === 'file') {
        for (const n of d.names) {
          const stack = open.get(n.id);
          if (stack) { if (stack[stack.length - 1] !== d) stack.push(d); } else open.set(n.id, [d]);
        }
      } else if (d.scope === 'enable') {
        for (const n of d.names) {
          if (d.block?.has(n.id)) continue;
          const from = open.get(n.id)?.pop();
          if (!from) continue;
          (from.block ??= new Map()).set(n.id, d.line);
          (d.block ??= new Map()).set(n.id, from.line);
        }
      }
    }
  }
  const parsed = { directives, malformed };
  cache.set(doc, parsed);
  return parsed;
}

/** Per catalogue: its rule ids with their {@link charMask}, and the suggestions found per name. */
interface RuleSuggestions {
  rules: { id: string; mask: number }[];
  found: Map<string, string[]>;
}

/**
 * Rule ids within two edits of `name` (or starting with it), best first, at most three. Remembered per
 * name (up to 10,000 names of at most {@link MEMO_NAME_CHARS} characters, copied so that they keep no
 * file's text alive: a comment may repeat one typo 100,000 times); ids with more than two
 * characters the name lacks, or the other way round, are skipped unread ({@link charMask}).
 */
export function suggestRuleIds(catalog: CatalogIndex, name: string): string[] {
  const memo = derived(catalog, 'suppression-suggestions', (c): RuleSuggestions => ({
    rules: c.catalog.rules.map((r) => ({ id: r.id, mask: charMask(r.id) })),
    found: new Map(),
  }));
  const hit = memo.found.get(name);
  if (hit) return hit;
  const lower = name.toLowerCase();
  const mask = charMask(lower);
  const scored: { id: string; d: number }[] = [];
  for (const r of memo.rules) {
    const d = r.id === lower ? 0
      : r.id.startsWith(lower) && lower.length >= 4 ? 1
        : moreThanTwoBits(mask & ~r.mask) || moreThanTwoBits(r.mask & ~mask) ? 3
          : editDistance(lower, r.id, 2);
    if (d <= 2) scored.push({ id: r.id, d });
  }
  scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
  const found = scored.slice(0, 3).map((x) => x.id);
  if (memo.found.size < 10000 && name.length <= MEMO_NAME_CHARS) memo.found.set(ownString(name), found);
  return found;
}

/**
 * A suppression comment names something that is not a vzconf rule (a typo, a rule of another tool, a
 * misspelt directive), or no rule at all: it silences nothing, which is easy to miss. Did-you-mean
 * suggestions come with a rename fix each (not safe: the suggestion is a guess).
 */
export const unknownSuppression: Rule = {
  id: 'unknown-suppression',
  needs: SUPPRESSION_COMMENT,
  check(ctx: LintContext): Finding[] {
    const out: Finding[] = [];
    const { directives, malformed } = parseSuppressions(ctx.doc);
    for (const m of malformed) {
      const word = m.word.toLowerCase();
      const best = DIRECTIVES.map((d) => ({ d, dist: editDistance(word, d, 3) })).sort((a, b) => a.dist - b.dist)[0];
      const guess = best && best.dist <= 3 ? best.d : undefined;
      out.push(finding(ctx, 'unknown-suppression', m.range,
        `${q(m.word)} is not a vzconf suppression${guess ? ` (did you mean ${guess}?)` : ''}`,
        {
          detail: `"${clip(m.word, 80)}" is not a vzconf suppression, so it silences nothing${guess ? `. Did you mean ${guess}?` : '; use vzconf-disable-next-line or vzconf-disable.'}`,
          ...(guess ? { fixes: [{ title: `Change to ${guess}`, edits: [{ range: m.range, newText: guess }], safe: false }] } : {}),
        }));
    }
    for (const d of directives) {
      const word = d.scope === 'line' ? 'vzconf-disable-next-line' : d.scope === 'file' ? 'vzconf-disable' : 'vzconf-enable';
      if (d.names.length === 0) {
        out.push(finding(ctx, 'unknown-suppression', d.range, `${word} names no rule, so it silences nothing`, {
          detail: `${word} names no rule, so it silences nothing: write the rule ids, e.g. "# ${word} unknown-parameter -- reason" (every finding names its rule).`,
        }));
        continue;
      }
      for (const n of d.names) {
        if (d.scope === 'enable' && ctx.catalog.hasRule(n.id) && !d.block?.has(n.id)) {
          out.push(finding(ctx, 'unknown-suppression', n.range, `vzconf-enable ${clip(n.id, 40)} has no vzconf-disable of it above, so it ends nothing`, {
            detail: `vzconf-enable ends the block that a "# vzconf-disable ${clip(n.id, 80)}" comment above it opened; there is none open, so this comment does nothing.`,
          }));
          continue;
        }
        if (ctx.catalog.hasRule(n.id)) continue;
        const suggestions = suggestRuleIds(ctx.catalog, n.id);
        out.push(finding(ctx, 'unknown-suppression', n.range,
          `${q(n.id)} is not a vzconf rule${suggestions.length > 0 ? ` (did you mean ${suggestions.slice(0, 2).join(' or ')}?)` : ''}`,
          { detail: `"${clip(n.id, 80)}" is not a vzconf rule, so this ${word} does not ${d.scope === 'enable' ? 'end a block of' : 'silence'} it${suggestions.length > 0 ? `. Did you mean ${suggestions.join(' or ')}?` : ' (rule ids are listed in docs/rules/README.md).'}`,
            fixes: suggestions.map((s) => ({ title: `Change to ${s}`, edits: [{ range: n.range, newText: s }], safe: false })) }));
      }
    }
    return out;
  },
};

/** The rules about suppression comments. */
export const SUPPRESSION_RULES: readonly Rule[] = [unknownSuppression];
