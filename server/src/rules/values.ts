/**
 * Value rules: what vzctl's parameter handlers reject, skip, clamp or read surprisingly
 * (grammars in server/src/values/validate.ts, reference §2).
 */
import { effectiveValue, itemSeparators, keptNumber, lineList, refusedEffect, skippedForValue, usedEntries } from '../model/effective';
import { humanize } from '../values/numbers';
import type { Entry } from '../parser/types';
import type { ValueProblem } from '../values/validate';
import type { Finding, Fix, LintContext, Rule } from './types';
import { clip, clipQuotes, explain, quote, say, sayAbout, says, toolVersion, type Said } from './say';
import { QUOTES_KEPT, tokens } from '../values/validate';
import { finding, lineNo, valueSubRange } from './util';
import { asWritten } from './text';
import { withRange } from './finding';
import { hasTemplateSyntax } from '../parser/template';
import { BARRIER_ABOVE_LIMIT, INVALID_VALUE, SUSPICIOUS, TRUNCATED, UNKNOWN_ITEM } from './facts';

/**
 * The short "what is wrong" of a value problem (values/validate.ts) for a message, and the behaviour
 * the problem implies when the short text no longer says it; `guessWhat`: the short text to use with a
 * did-you-mean question, when it differs. The problem's full text goes to the
 * finding's detail. Rewrites are by pattern so that validate.ts keeps its own wording.
 */
function shortOf(p: ValueProblem, ctx: LintContext): { what: string; behaviour?: string; guessWhat?: string } {
  const m = p.message;
  let r: RegExpExecArray | null;
  if ((r = /^vzctl does not know the iptables module ("[^"]*") and skips it/.exec(m))) return { what: `unknown iptables module ${clipQuotes(r[1] as string)}`, behaviour: 'item-skipped' };
  // A FEATURES item that fails only for the single quote classic vzctl kept says so (QUOTES_KEPT).
  const kept = m.includes(QUOTES_KEPT) ? ' (vzctl keeps the quote)' : '';
  if ((r = /^("[^"]*") is not name:on\|off(?: \([^)]*\))?; vzctl skips it$/.exec(m))) return { what: `${clipQuotes(r[1] as string)} is not name:on|off${kept}`, behaviour: 'item-skipped' };
  if ((r = /^unknown feature ("[^"]*")(?: \([^)]*\))?: classic vzctl mis-reads/.exec(m))) return { what: `unknown feature ${clipQuotes(r[1] as string)}${kept} may be read as nfsd` };
  if ((r = /^unknown feature ("[^"]*")(?: \([^)]*\))? on [^;]*; vzctl skips it$/.exec(m))) return { what: `unknown feature ${clipQuotes(r[1] as string)}${kept} (${toolVersion(ctx)})`, behaviour: 'item-skipped' };
  if ((r = /^unknown feature ("[^"]*")(?: \([^)]*\))?; vzctl skips it$/.exec(m))) return { what: `unknown feature ${clipQuotes(r[1] as string)}${kept}`, behaviour: 'item-skipped' };
  if ((r = /^("[^"]*") is negative: vzctl reads it/.exec(m))) return { what: `${clipQuotes(r[1] as string)} is negative, a huge unsigned number`, behaviour: 'value-clamped' };
  if ((r = /^("[^"]*") is larger than vzctl's maximum/.exec(m))) return { what: `${clipQuotes(r[1] as string)} is above LONG_MAX`, behaviour: 'value-clamped' };
  if (/^above INT_MAX bytes\/s/.test(m)) return { what: 'the rate is above INT_MAX bytes/s' };
  if (/^the value is empty: parse_iopslimit\(\)/.test(m)) return { what: 'the empty value leaves libvzctl comparing an unset number (undefined)' };
  if (/^a negative rate wraps around/.test(m)) return { what: 'a negative rate reads as a huge one' };
  if (/^the raw ploop format/.test(m)) return { what: 'ploop:raw is a ploop format nobody supports' };
  if ((r = /^vzctl ignores the unknown NETIF field ("[^"]*")/.exec(m))) return { what: `unknown NETIF field ${clipQuotes(r[1] as string)}` };
  if ((r = /^classic vzctl takes only a CIDR prefix.*dotted mask ("[^"]*")/.exec(m))) return { what: `${clipQuotes(r[1] as string)} is a dotted mask, not a /prefix` };
  if (/^classic vzctl takes CPULIMIT in percent only/.test(m)) return { what: 'm and MHz units need Virtuozzo 7' };
  if ((r = /^unknown capability ("[^"]*")$/.exec(m))) return { what: `unknown capability ${clipQuotes(r[1] as string)}`, guessWhat: `${clipQuotes(r[1] as string)} is unknown` };
  // Enumerations: `"x" is not one of "a", "b"` → `"x" is not a|b`.
  const list = /^("[^"]*") is not one of ((?:"[^"]*", )*"[^"]*")$/.exec(m);
  // With a near word to ask about, the list gives way to the question (`"ful" is not valid (did you mean full?)`).
  if (list) return { what: `${clipQuotes(list[1] as string)} is not ${(list[2] as string).split(', ').map((x) => x.slice(1, -1)).join('|')}`, guessWhat: `${clipQuotes(list[1] as string)} is not valid` };
  return { what: clipQuotes(m.replace(/ \([^()]*\)/g, '').replace(/[;:] .*$/, '')) };
}

/**
 * Findings of one problem kind. For `invalid` only the first problem of a line is reported: vzctl
 * rejects the whole line at the first one.
 */
/**
 * Whether `e` is the line of its key libvzctl keeps: the last (as usedEntries reads it on Virtuozzo 7, in
 * constant time: a file may repeat one invalid line 40,000 times).
 */
function isUsedOnVz7(ctx: LintContext, e: Entry): boolean {
  const def = ctx.def(e);
  const all = def ? ctx.byName.get(def.name) : undefined;
  return all === undefined || all[all.length - 1] === e;
}

function fromProblems(ctx: LintContext, rule: string, kind: ValueProblem['kind'], behaviour?: string): Finding[] {
  const out: Finding[] = [];
  // The finding of the last line that had each problem, but for its range: lines with the same value share
  // their check (lint.ts keeps one per distinct value), so a file that repeats one bad line 20,000 times
  // builds its message and detail once (a line of another name, an alias, or one libvzctl does not read
  // builds its own).
  const built = new Map<ValueProblem, { name: string; unread: boolean; effect: ReturnType<typeof refusedEffect>; finding: Finding }>();
  // Most values have no problem: those cost no allocation (four rules ask every value of every file).
  ctx.values.forEach((check, e) => {
    if (check.problems.length === 0 || !check.problems.some((p) => p.kind === kind) || ctx.doc.continuationLines.has(e.line)) return;
    const problems = check.problems.filter((p) => p.kind === kind);
    for (const p of kind === 'invalid' ? problems.slice(0, 1) : problems) {
      const range = p.end > p.start ? valueSubRange(ctx, e, p.start, p.end) : e.valueRange.start.character === e.valueRange.end.character ? e.keyRange : e.valueRange;
      const unread = ctx.target.generation === 'vz7' && kind === 'invalid' && !isUsedOnVz7(ctx, e);
      // Classic IOPRIO / IOLIMIT / IOPSLIMIT: the handler unsets the key or keeps a number instead of
      // skipping the line (catalogue onRefused, model/effective refusedEffect); what unsetting wipes out
      // depends on the lines before, so such a finding is built for its own line.
      const effect = kind === 'invalid' ? refusedEffect(ctx, e) : undefined;
      // A case fix or a suggestion edits this line's value: never shared with another line.
      const same = effect !== 'unset' && p.caseFix === undefined && p.suggestion === undefined ? built.get(p) : undefined;
      if (same && same.name === e.name && same.unread === unread && same.effect === effect) {
        out.push(withRange(same.finding, range));
        continue;
      }
      const f = problemFinding(ctx, rule, kind, behaviour, e, p, range, unread, effect);
      if (effect !== 'unset') built.set(p, { name: e.name, unread, effect, finding: f });
      out.push(f);
    }
  });
  return out;
}

/**
 * The finding of problem `p` of line `e` (see {@link fromProblems}); `unread`: a line libvzctl never reads;
 * `effect`: what classic does instead of skipping a refused line (refusedEffect).
 */
function problemFinding(ctx: LintContext, rule: string, kind: ValueProblem['kind'], behaviour: string | undefined, e: Entry, p: ValueProblem, range: Finding['range'], unread: boolean, effect: ReturnType<typeof refusedEffect>): Finding {
  const short = shortOf(p, ctx);
  // A list whose handler adds items until the first bad one (classic IP_ADDRESS, parse_ip()): the
  // items before it are kept although vzctl says the line is skipped. With none before it, nothing is.
  if (kind === 'invalid' && says(ctx, 'value-invalid-list', e.name) && tokens(e.value, itemSeparators(ctx, e.name)).some((t) => t.end <= p.start)) {
    const said = sayGuessing(short, p, (what) => sayAbout(ctx, e.name, `${e.name}: ${what}`, 'value-invalid-list'));
    return finding(ctx, rule, range, said, { detail: explain(said, `${e.name}: ${p.message}`, p.suggestion !== undefined && `Did you mean ${quote(p.suggestion)}?`, keptAndLost(e.value, p.start, itemSeparators(ctx, e.name))), ...suggestionFix(p, range) });
  }
  // libvzctl keeps one value per key, the last line's (add_conf_data() overwrites, lib/config.c @
  // v7.0.737): an earlier line's value is never parsed, so nothing is refused for it; the line is
  // wrong but without effect (duplicate-parameter says it is ignored): no claim, a warning at most.
  // A problem that names its own behaviour (p.says: IOLIMIT / IOPSLIMIT refused without a log on Virtuozzo 7)
  // states it where a fact of it holds for the target, else the rule's.
  const own = p.says !== undefined && says(ctx, p.says, e.name) !== undefined ? p.says : undefined;
  const b = unread ? undefined : effect === 'unset' ? 'value-invalid-unset' : effect === 'keeps-number' ? 'value-invalid-keeps-number' : own ?? behaviour ?? short.behaviour;
  const said = sayGuessing(short, p, (what) => (b !== undefined ? sayAbout(ctx, e.name, `${e.name}: ${what}`, b) : say(ctx, `${e.name}: ${what}`)));
  const detail = explain(said, `${e.name}: ${p.message}`, p.suggestion !== undefined && `Did you mean ${quote(p.suggestion)}?`, unread && 'libvzctl keeps only the last line of a key, so it never reads this value',
    effect === 'unset' && unsetNote(ctx, e), effect === 'keeps-number' && `${toolVersion(ctx)} stores ${keptNumber(e.value) ?? 'the number it read'} from this line all the same`);
  // `ONBOOT="Yes"`, `NETFILTER="ful"`: offered, never applied in bulk — vzctl would start reading a line
  // (or an item) it skips today, and a guess may be wrong.
  const fixes = p.caseFix !== undefined ? { fixes: [{ title: `Write ${e.name}=${quote(p.caseFix)}`, edits: [{ range, newText: p.caseFix }], safe: false }] } : suggestionFix(p, range);
  return finding(ctx, rule, range, said, { detail, ...(unread ? { severity: 'warning' as const } : {}), ...fixes });
}

/**
 * The message of problem `p` from `sayWhat` (which adds the key and the behaviour): with its near word
 * asked (`NETFILTER: "ful" is not valid (did you mean full?); …`) when `p` has one and the question fits
 * the message whole, else the plain short text (the detail always asks).
 */
function sayGuessing(short: { what: string; guessWhat?: string }, p: ValueProblem, sayWhat: (what: string) => Said): Said {
  if (p.suggestion === undefined) return sayWhat(short.what);
  const guess = `did you mean ${p.suggestion}?`;
  const said = sayWhat(`${short.guessWhat ?? short.what} (${guess})`);
  return said.message.includes(guess) ? said : sayWhat(short.what);
}

/** The unsafe fix that writes `p`'s near word in place of the refused text (`Use "full"`), if it has one. */
function suggestionFix(p: ValueProblem, range: Finding['range']): { fixes?: Fix[] } {
  return p.suggestion !== undefined ? { fixes: [{ title: `Use ${quote(p.suggestion)}`, edits: [{ range, newText: p.suggestion }], safe: false }] } : {};
}

/**
 * What an unsetting refused line (classic IOPRIO, IOLIMIT, IOPSLIMIT) leaves: the lines before it that it
 * wipes out, and where the value then comes from.
 */
function unsetNote(ctx: LintContext, e: Entry): string {
  const def = ctx.def(e);
  const before = (def ? ctx.byName.get(def.name) ?? [] : []).filter((x) => x.line < e.line && !skippedForValue(ctx, x));
  const lost = before.length === 0 ? '' : before.length > 1 ? `; the values of lines ${lineList(ctx.doc, before)} are lost with it` : `; the value of line ${lineNo(ctx, (before[0] as Entry).line)} is lost with it`;
  const then = ctx.kind === 'node' ? 'containers get no value for it from vz.conf' : "the container takes vz.conf's value, or none";
  return `${toolVersion(ctx)} sets ${e.name} back to unset${lost}; unless a later line sets it again, ${then}`;
}

/**
 * The items of a list value that the handler has added before the bad one at offset `bad` (of `value`),
 * and those lost with it: "vzctl adds 10.0.0.5; 10.0.0.300 and 10.0.0.6 are lost" (at most 8 of each named).
 */
export function keptAndLost(value: string, bad: number, separators = ' \t'): string {
  const kept: string[] = [];
  const lost: string[] = [];
  for (const t of tokens(value, separators)) (t.end <= bad ? kept : lost).push(t.text);
  const list = (xs: string[]): string => (xs.length > 8 ? `${xs.slice(0, 8).map((x) => clip(x, 40)).join(', ')} and ${xs.length - 8} more` : xs.map((x) => clip(x, 40)).join(', '));
  const head = kept.length === 0 ? 'Nothing of the line is added' : `vzctl adds ${list(kept)}`;
  return lost.length === 0 ? head : `${head}; ${list(lost)} ${lost.length === 1 ? 'is' : 'are'} lost`;
}

/** vzctl rejects the value ("invalid value for X, skipped") and the whole line has no effect. */
export const invalidValue: Rule = {
  id: 'invalid-value',
  needs: INVALID_VALUE,
  check: (ctx) => fromProblems(ctx, 'invalid-value', 'invalid', 'value-invalid'),
};

/** One item of a list (FEATURES name, IPTABLES module) is skipped; the rest of the line applies. */
export const unknownListItem: Rule = {
  id: 'unknown-list-item',
  needs: UNKNOWN_ITEM,
  check: (ctx) => fromProblems(ctx, 'unknown-list-item', 'unknown-item'),
};

/** A number beyond vzctl's range: it is clamped ("too large value … truncated"). */
export const valueTruncated: Rule = {
  id: 'value-truncated',
  needs: TRUNCATED,
  check: (ctx) => fromProblems(ctx, 'value-truncated', 'truncated'),
};

/** Accepted but almost certainly not what was meant (an unknown NETIF field, ploop:raw). */
export const questionableValue: Rule = {
  id: 'questionable-value',
  needs: SUSPICIOUS,
  check: (ctx) => fromProblems(ctx, 'questionable-value', 'suspicious'),
};

/**
 * A UBC barrier above its limit, or a disk quota soft limit above the hard one: almost certainly a slip.
 * Nothing refuses it: vzctl passes the UBC pair to setublimit (src/lib/ub.c), and the OpenVZ kernel
 * checks only that each number is at most UB_MAXVALUE (OpenVZ/vzkernel kernel/bc/sys.c). A warning; an
 * error where vzcfgvalidate reports one (src/validate.c: UBC mode, quotas only with DISK_QUOTA=yes).
 */
export const barrierAboveLimit: Rule = {
  id: 'barrier-above-limit',
  needs: BARRIER_ABOVE_LIMIT,
  check(ctx) {
    const out: Finding[] = [];
    ctx.values.forEach((check, e) => {
      const pair = check.pair;
      if (!pair || pair.barrier.value <= pair.limit.value) return;
      const def = ctx.def(e);
      if (!def) return;
      // Only the line vzctl ends up using reaches the kernel (a later UBC line overrides this one).
      if (!usedEntries(ctx, def).includes(e)) return;
      // With DISK_QUOTA=no (here or in the node's vz.conf) quotas are not applied at all; in a template whose
      // DISK_QUOTA holds template syntax it may render to no, so nothing is said either.
      if (def.grammar === 'quota') {
        const dq = effectiveValue(ctx, 'DISK_QUOTA')?.value;
        if (dq === 'no' || (dq !== undefined && hasTemplateSyntax(dq))) return;
      }
      const quota = def.grammar === 'quota';
      const [a, b] = quota ? ['soft limit', 'hard limit'] : ['barrier', 'limit'];
      const unit = def.unit;
      const shown = (p: typeof pair.barrier): string => {
        if (p.empty) return '0 (empty)';
        const h = humanize(p.value, unit);
        return h === p.text ? p.text : `${asWritten(p.text, 40)} (${h})`;
      };
      // vzcfgvalidate checks barrier <= limit in UBC mode, disk quotas only when the file itself says
      // DISK_QUOTA=yes (src/validate.c); where it reports an error, so does this rule.
      const ownQuota = usedEntries(ctx, ctx.catalog.parameter('DISK_QUOTA') ?? def);
      const quotaOn = def.grammar !== 'quota' || (ownQuota[ownQuota.length - 1]?.name === 'DISK_QUOTA' && ownQuota[ownQuota.length - 1]?.value === 'yes');
      // Each number as written (` 240` quoted, so its blank shows); an empty part is the 0 vzctl reads.
      const written = (p: typeof pair.barrier): string => (p.empty ? '0 (empty)' : asWritten(p.text, 20));
      const head = `${def.name}: ${a} ${written(pair.barrier)} is above the ${b} ${written(pair.limit)}`;
      const said = quotaOn ? say(ctx, head, 'vzcfgvalidate-error') : say(ctx, head);
      const why = quota
        ? 'vzctl passes the pair to the quota as written; the hard limit is reached first, so the soft limit never acts'
        : 'vzctl passes the pair to the kernel as written, and the OpenVZ kernel accepts it: setublimit checks only that each number is at most its maximum (OpenVZ/vzkernel kernel/bc/sys.c)';
      const fixed = clip(pair.barrier.text, 20);
      out.push(finding(ctx, 'barrier-above-limit', e.valueRange, said, {
        ...(said.facts.length > 0 ? { severity: 'error' as const } : {}),
        detail: explain(said, `${def.name}: the ${a} ${shown(pair.barrier)} is above the ${b} ${shown(pair.limit)}`, why),
        fixes: [
          { title: `Set the ${b} to the ${a} (${fixed}:${fixed}), as vzcfgvalidate -r does`, edits: [{ range: e.rawValueRange, newText: `"${pair.barrier.text}:${pair.barrier.text}"` }], safe: false },
          { title: `Swap them (${clip(pair.limit.text, 20)}:${fixed})`, edits: [{ range: e.rawValueRange, newText: `"${pair.limit.text}:${pair.barrier.text}"` }], safe: false },
        ],
      }));
    });
    return out;
  },
};
