/**
 * Value rules: what vzctl's parameter handlers reject, skip, clamp or read surprisingly
 * (grammars in server/src/values/validate.ts, reference §2).
 */
import { effectiveValue, usedEntries } from '../model/effective';
import { humanize } from '../values/numbers';
import type { ValueProblem } from '../values/validate';
import type { Finding, LintContext, Rule } from './types';
import { finding, valueSubRange } from './util';

/**
 * Findings of one problem kind. For `invalid` only the first problem of a line is reported: vzctl
 * rejects the whole line at the first one.
 */
function fromProblems(ctx: LintContext, rule: string, kind: ValueProblem['kind'], lead: (name: string) => string): Finding[] {
  const out: Finding[] = [];
  for (const [e, check] of ctx.values) {
    if (ctx.doc.continuationLines.has(e.line)) continue;
    const problems = check.problems.filter((p) => p.kind === kind);
    for (const p of kind === 'invalid' ? problems.slice(0, 1) : problems) {
      const range = p.end > p.start ? valueSubRange(ctx, e, p.start, p.end) : e.valueRange.start.character === e.valueRange.end.character ? e.keyRange : e.valueRange;
      out.push(finding(ctx, rule, range, `${lead(e.name)}: ${p.message}`));
    }
  }
  return out;
}

/** vzctl rejects the value ("invalid value for X, skipped") and the whole line has no effect. */
export const invalidValue: Rule = {
  id: 'invalid-value',
  check: (ctx) => fromProblems(ctx, 'invalid-value', 'invalid', (n) => `Invalid value for ${n}, vzctl skips the line`),
};

/** One item of a list (FEATURES name, IPTABLES module) is skipped; the rest of the line applies. */
export const unknownListItem: Rule = {
  id: 'unknown-list-item',
  check: (ctx) => fromProblems(ctx, 'unknown-list-item', 'unknown-item', (n) => `In ${n}`),
};

/** A number beyond vzctl's range: it is clamped ("too large value … truncated"). */
export const valueTruncated: Rule = {
  id: 'value-truncated',
  check: (ctx) => fromProblems(ctx, 'value-truncated', 'truncated', (n) => `${n} is clamped`),
};

/** Accepted but almost certainly not what was meant (an unknown NETIF field, ploop:raw). */
export const questionableValue: Rule = {
  id: 'questionable-value',
  check: (ctx) => fromProblems(ctx, 'questionable-value', 'suspicious', (n) => `${n}`),
};

/**
 * A UBC barrier above its limit, or a disk quota soft limit above the hard one: the kernel refuses
 * the pair and the container does not start with it.
 */
export const barrierAboveLimit: Rule = {
  id: 'barrier-above-limit',
  check(ctx) {
    const out: Finding[] = [];
    for (const [e, check] of ctx.values) {
      const pair = check.pair;
      const def = ctx.def(e);
      if (!pair || !def || pair.barrier.value <= pair.limit.value) continue;
      // Only the line vzctl ends up using reaches the kernel (a later UBC line overrides this one).
      if (!usedEntries(ctx, def).includes(e)) continue;
      // With DISK_QUOTA=no (here or in the node's vz.conf) quotas are not applied at all.
      if (def.grammar === 'quota' && effectiveValue(ctx, 'DISK_QUOTA')?.value === 'no') continue;
      const quota = def.grammar === 'quota';
      const [a, b] = quota ? ['soft limit', 'hard limit'] : ['barrier', 'limit'];
      const unit = def.unit;
      const shown = (p: typeof pair.barrier): string => {
        if (p.empty) return '0 (empty)';
        const h = humanize(p.value, unit);
        return h === p.text ? p.text : `${p.text} (${h})`;
      };
      const why = quota ? 'vzcfgvalidate reports this as an error: the soft limit can never be reached' : 'the kernel refuses such a pair when the container starts';
      out.push(finding(ctx, 'barrier-above-limit', e.valueRange, `${def.name}: the ${a} ${shown(pair.barrier)} is above the ${b} ${shown(pair.limit)}; ${why}`, {
        fixes: [
          { title: `Set the ${b} to the ${a} (${pair.barrier.text}:${pair.barrier.text}), as vzcfgvalidate -r does`, edits: [{ range: e.rawValueRange, newText: `"${pair.barrier.text}:${pair.barrier.text}"` }], safe: false },
          { title: `Swap them (${pair.limit.text}:${pair.barrier.text})`, edits: [{ range: e.rawValueRange, newText: `"${pair.limit.text}:${pair.barrier.text}"` }], safe: false },
        ],
      }));
    }
    return out;
  },
};
