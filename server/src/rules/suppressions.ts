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
import { LARGE_ARRAY, sizedArray } from '../util/sizedArray';

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
  /**
   * Its place among all the names of its file's comments (0-based, in file order; below
   * {@link ParsedSuppressions.nameCount}): what a lint's flags of names used are indexed by.
   */
  readonly index: number;
}

/**
 * A {@link SuppressionName} whose range is built when read (a new object each time, not kept): a file of
 * 100,000 suppression comments reads the ranges of the few it reports, not of all (three objects each),
 * and keeps no slot for it in the others.
 */
class WrittenName implements SuppressionName {
  constructor(readonly id: string, private readonly line: number, readonly character: number, readonly index: number) {}
  get range(): Range {
    return { start: { line: this.line, character: this.character }, end: { line: this.line, character: this.character + this.id.length } };
  }
}

/**
 * The blocks a suppression comment opens or ends, rule id → the line of the comment at the other end
 * (see {@link SuppressionDirective.block}). Read-only for its users.
 */
export interface BlockEnds {
  get(id: string): number | undefined;
  has(id: string): boolean;
  /** How many rule ids it holds. */
  readonly size: number;
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
  block?: BlockEnds;
  names: SuppressionName[];
  /** The text after `--`, trimmed (empty when none is given). */
  reason: string;
  /** The whole comment line's text range. */
  readonly range: Range;
}

/**
 * A {@link SuppressionDirective}, its `range` (the whole line, `length` characters) built when read, and
 * its own {@link BlockEnds}: the first block pair in two fields, any other in a Map. (The pairs were an
 * object of their own per comment, and the range a kept slot: a file of 10,000 blocks allocated 256 bytes
 * per comment, the largest part of its lint, most of it in fresh memory; issue 8.)
 */
class Directive implements SuppressionDirective, BlockEnds {
  // Own fields from the start (undefined until set): set later, they went to a second object per comment.
  targetLine?: number = undefined;
  /** The rule id of the first block pair, and the line of the comment at its other end. */
  private firstId: string | undefined = undefined;
  private firstLine = 0;
  private more: Map<string, number> | undefined = undefined;
  constructor(readonly line: number, readonly scope: SuppressionDirective['scope'], readonly names: SuppressionName[], readonly reason: string, private readonly length: number) {}
  get range(): Range {
    return { start: { line: this.line, character: 0 }, end: { line: this.line, character: this.length } };
  }
  /** Itself once it opens or ends a block (see {@link SuppressionDirective.block}). */
  get block(): BlockEnds | undefined {
    return this.firstId === undefined ? undefined : this;
  }
  get(id: string): number | undefined {
    return id === this.firstId ? this.firstLine : this.more?.get(id);
  }
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }
  get size(): number {
    return this.firstId === undefined ? 0 : 1 + (this.more?.size ?? 0);
  }
  /** Records that it opens or ends the block of rule `id` whose other comment is on `line` (an id it does not hold yet). */
  pair(id: string, line: number): void {
    if (this.firstId === undefined) {
      this.firstId = id;
      this.firstLine = line;
    } else (this.more ??= new Map()).set(id, line);
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
  /** How many names the directives hold in all (see {@link SuppressionName.index}). */
  nameCount: number;
}

const COMMENT = /^(\s*#\s*)(vzconf-[A-Za-z-]*)(.*)$/;
/** A rule name in a comment's list (global: its lastIndex is reset before each list). */
const NAME = /[^,\s]+/g;
const cache = new ObjectCache<ConfigDocument, ParsedSuppressions>();
/** What a file without any `vzconf-` comment says (most files): shared, never modified. */
const NONE: ParsedSuppressions = { directives: [], malformed: [], nameCount: 0 };
Object.freeze(NONE.directives);
Object.freeze(NONE.malformed);
Object.freeze(NONE);

/**
 * How many comment lines of `doc` (outside multi-line values) mention `vzconf-`, at most `max`: a file
 * without one has no suppression to read, and a file of many has their directives' array sized once.
 */
function vzconfComments(doc: ConfigDocument, max: number): number {
  const lines = doc.lines;
  let n = 0;
  for (let i = 0; i < lines.length && n < max; i += 1) {
    const line = lines[i] as ConfigLine;
    if (line.kind === 'comment' && (doc.text[line.line] ?? '').includes('vzconf-') && !doc.continuationLines.has(line.line)) n += 1;
  }
  return n;
}

/**
 * The directive of a comment line read without a regular expression, for the usual line: blanks (space or
 * tab), `#`, blanks, one of the three directive words, then nothing or a blank, and after the word only
 * printable ASCII characters and tabs. Returns `end * 4 + scope` (`end`: where the word ends; `scope`: 1
 * next-line, 2 disable, 3 enable), or -1 for any other line, which {@link COMMENT} then reads (the same
 * answer: `\s` of a regular expression is more than a space and a tab, and `.` no line terminator). A
 * file of 20,000 such comments built 40,000 match arrays (issue 8).
 */
function plainDirective(text: string): number {
  const len = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  if (c !== 35) return -1;
  c = text.charCodeAt(++i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  if (!text.startsWith('vzconf-', i)) return -1;
  const start = i;
  i += 7;
  for (c = text.charCodeAt(i); (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45; c = text.charCodeAt(++i));
  const n = i - start;
  const scope = n === 24 && text.startsWith('vzconf-disable-next-line', start) ? 1
    : n === 14 && text.startsWith('vzconf-disable', start) ? 2
      : n === 13 && text.startsWith('vzconf-enable', start) ? 3 : 0;
  if (scope === 0 || (i < len && c !== 32 && c !== 9)) return -1;
  for (let j = i; j < len; j += 1) {
    const d = text.charCodeAt(j);
    if ((d < 32 && d !== 9) || d > 126) return -1;
  }
  return i * 4 + scope;
}

const SCOPES = [undefined, 'line', 'file', 'enable'] as const;

/**
 * Reads the suppression comments of a parsed file (cached per document). Lines inside a multi-line shell
 * value are not comments and are skipped.
 */
export function parseSuppressions(doc: ConfigDocument): ParsedSuppressions {
  const hit = cache.get(doc);
  if (hit) return hit;
  // (A long file counts its comments first: an array of 20,000 directives grown by push was copied about
  // three times, in fresh memory each time beyond 16,000 elements; util/sizedArray.)
  const comments = vzconfComments(doc, doc.lines.length > LARGE_ARRAY ? Infinity : 1);
  if (comments === 0) return NONE;
  const directives: Directive[] = sizedArray(comments);
  let nd = 0;
  const malformed: MalformedDirective[] = [];
  // One byte a line (a Set of 100,000 line numbers was the largest cost of a file made of these comments).
  const isDirectiveLine = new Uint8Array(doc.lines.length);
  const lines = doc.lines;
  let nameCount = 0;
  const scratch: SuppressionName[] = [];
  // The id read last: a file that repeats one rule id keeps one string of it, not one per comment.
  let lastId = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as ConfigLine;
    if (line.kind !== 'comment' || doc.continuationLines.has(line.line)) continue;
    const text = doc.text[line.line] ?? '';
    if (!text.includes('vzconf-')) continue;
    const plain = plainDirective(text);
    // (Gathered in `scratch`, then copied to an array of their number: an array pushed to from empty holds
    // room for 17, and one cut to length 0 drops its room.)
    let count = 0;
    let scope: SuppressionDirective['scope'];
    let reason = '';
    if (plain >= 0) {
      scope = SCOPES[plain & 3] as SuppressionDirective['scope'];
      const restStart = plain >> 2;
      let listEnd = text.length;
      if (text.includes('--', restStart)) {
        const rest = text.slice(restStart);
        const sep = rest.search(/(^|\s)--(\s|$)/);
        if (sep >= 0) {
          listEnd = restStart + sep;
          reason = rest.slice(sep).replace(/^\s*--/, '').trim();
        }
      }
      // The names: runs of characters other than a comma, a space or a tab (NAME, on these characters).
      for (let p = restStart; p < listEnd;) {
        let c = text.charCodeAt(p);
        if (c === 44 || c === 32 || c === 9) {
          p += 1;
          continue;
        }
        let q = p + 1;
        for (c = text.charCodeAt(q); q < listEnd && c !== 44 && c !== 32 && c !== 9; c = text.charCodeAt(++q));
        const id = q - p === lastId.length && text.startsWith(lastId, p) ? lastId : (lastId = text.slice(p, q));
        scratch[count++] = new WrittenName(id, line.line, p, nameCount);
        nameCount += 1;
        p = q;
      }
    } else {
      const m = COMMENT.exec(text);
      if (!m) continue;
      const [, lead = '', word = '', rest = ''] = m;
      const known = word === 'vzconf-disable-next-line' ? 'line' : word === 'vzconf-disable' ? 'file' : word === 'vzconf-enable' ? 'enable' : undefined;
      if (!known || (rest !== '' && !/^\s/.test(rest))) {
        const start = lead.length;
        const wordEnd = start + word.length + (/^\S*/.exec(rest)?.[0].length ?? 0);
        malformed.push({ line: line.line, word: text.slice(start, wordEnd), range: { start: { line: line.line, character: start }, end: { line: line.line, character: wordEnd } } });
        continue;
      }
      scope = known;
      const restStart = lead.length + word.length;
      const sep = rest.includes('--') ? rest.search(/(^|\s)--(\s|$)/) : -1;
      const listText = sep < 0 ? rest : rest.slice(0, sep);
      if (sep >= 0) reason = rest.slice(sep).replace(/^\s*--/, '').trim();
      NAME.lastIndex = 0;
      for (let n = NAME.exec(listText); n; n = NAME.exec(listText)) {
        scratch[count++] = new WrittenName(n[0], line.line, restStart + n.index, nameCount);
        nameCount += 1;
      }
    }
    isDirectiveLine[line.line] = 1;
    const names = count === 1 ? [scratch[0] as SuppressionName] : scratch.slice(0, count);
    directives[nd++] = new Directive(line.line, scope, names, reason, text.length);
  }
  // (Malformed comments made no directive: the array sized for every comment is cut to those made.)
  if (directives.length > nd) directives.length = nd;
  // One backward pass: for every line, the next line at or after it that is neither blank nor a
  // directive (linear, however many directives are stacked).
  // (Skipped when there is no next-line directive: most files have none.)
  const anyLine = hasScope(directives, 'line');
  const nextTarget = new Array<number | undefined>(anyLine ? doc.lines.length + 1 : 0);
  for (let l = anyLine ? doc.lines.length - 1 : -1; l >= 0; l -= 1) {
    const here = doc.lines[l];
    nextTarget[l] = here && here.kind !== 'blank' && isDirectiveLine[l] === 0 ? l : nextTarget[l + 1];
  }
  for (let k = 0; anyLine && k < directives.length; k += 1) {
    const d = directives[k] as Directive;
    if (d.scope !== 'line') continue;
    const target = nextTarget[d.line + 1];
    if (target !== undefined) d.targetLine = target;
  }
  // Blocks: in file order, per rule a stack of the vzconf-disable comments still open; a vzconf-enable of
  // the rule closes the innermost one, so nested blocks pair like brackets (the lines between an outer pair
  // stay silenced down to the outer enable) and a disable never closed stays whole-file.
  if (hasScope(directives, 'enable')) {
    const open = new Map<string, Directive[]>();
    for (let k = 0; k < directives.length; k += 1) {
      const d = directives[k] as Directive;
      const names = d.names;
      if (d.scope === 'file') {
        for (let i = 0; i < names.length; i += 1) {
          const n = names[i] as SuppressionName;
          const stack = open.get(n.id);
          if (stack) { if (stack[stack.length - 1] !== d) stack.push(d); } else open.set(n.id, [d]);
        }
      } else if (d.scope === 'enable') {
        for (let i = 0; i < names.length; i += 1) {
          const n = names[i] as SuppressionName;
          if (d.block?.has(n.id)) continue;
          const from = open.get(n.id)?.pop();
          if (!from) continue;
          from.pair(n.id, d.line);
          d.pair(n.id, from.line);
        }
      }
    }
  }
  const parsed = { directives, malformed, nameCount };
  cache.set(doc, parsed);
  return parsed;
}

/**
 * Whether one of `directives` has scope `scope`. (A loop, not `some` with an arrow made at each call: the
 * optimised code of such an arrow lives only as long as the arrow, so after a full collection each new
 * one was compiled again; util/shapeAnchor.ts.)
 */
function hasScope(directives: readonly Directive[], scope: Directive['scope']): boolean {
  for (let k = 0; k < directives.length; k += 1) if ((directives[k] as Directive).scope === scope) return true;
  return false;
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
    // (Indexed loops: a file of 20,000 comments made 40,000 iterators while this ran unoptimised.)
    for (let k = 0; k < directives.length; k += 1) {
      const d = directives[k] as SuppressionDirective;
      const word = d.scope === 'line' ? 'vzconf-disable-next-line' : d.scope === 'file' ? 'vzconf-disable' : 'vzconf-enable';
      if (d.names.length === 0) {
        out.push(finding(ctx, 'unknown-suppression', d.range, `${word} names no rule, so it silences nothing`, {
          detail: `${word} names no rule, so it silences nothing: write the rule ids, e.g. "# ${word} unknown-parameter -- reason" (every finding names its rule).`,
        }));
        continue;
      }
      for (let i = 0; i < d.names.length; i += 1) {
        const n = d.names[i] as SuppressionName;
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
