/**
 * The one place where the proof behind a catalogue fact limits what a finding may claim: a finding
 * that rests on a fact marked `unverified` in schemas/ (parameters.yaml generation blocks and status
 * entries, vocabulary.yaml items) is reported at most as info, whatever the rule's severity. Rules
 * stay unaware of evidence; `lint()` passes every finding through {@link capUnverified}.
 */
import type { GenerationInfo, StatusEntry, StatusKind, Vocabulary } from './types';
import type { Finding, LintContext } from '../rules/types';
import { copyFinding } from '../rules/finding';

/** Rules whose findings rest on what the target's generation knows of the line's key (since, grammar, values, scope). */
const GENERATION_FACT_RULES: ReadonlySet<string> = new Set([
  'unknown-parameter',
  'misplaced-parameter',
  'invalid-value',
  'unknown-list-item',
  'value-truncated',
  'questionable-value',
]);

/** Rules whose findings rest on a version status of the line's key, with the status kind each reports. */
const STATUS_RULES: ReadonlyMap<string, StatusKind> = new Map([
  ['deprecated-parameter', 'deprecated'],
  ['ignored-parameter', 'ignored'],
  ['removed-parameter', 'removed'],
]);

/** Rules whose findings rest on vocabulary items (FEATURES names, IPTABLES modules) named in the line's value. */
const VOCABULARY_RULES: ReadonlySet<string> = new Set(['unknown-list-item', 'host-kernel-feature', 'netfilter-full', 'iptables-not-allowed-by-node']);

/**
 * Why the fact behind `f` is unproven, or undefined when it is proven (or the finding rests on no
 * catalogue fact this function knows of). The fact is found from the rule id and the key of the
 * entry on the finding's first line.
 */
export function unverifiedReason(ctx: LintContext, f: Finding): string | undefined {
  // Most rules rest on none of these facts: no line or catalogue lookup for them (a file can have 10,000 findings).
  if (!GENERATION_FACT_RULES.has(f.rule) && !STATUS_RULES.has(f.rule) && !VOCABULARY_RULES.has(f.rule)) return undefined;
  const line = ctx.doc.lines[f.range.start.line];
  if (!line || line.kind !== 'entry') return undefined;
  // The line's catalogue entry, looked up once per line for all rules (ctx.def).
  const def = ctx.def(line);
  if (!def) return undefined;
  const info: GenerationInfo | undefined = def[ctx.target.generation];
  if (info?.unverified !== undefined && GENERATION_FACT_RULES.has(f.rule)) return info.unverified;
  const kind = STATUS_RULES.get(f.rule);
  if (kind) {
    // Every active entry of the kind unverified: the first one's reason (no array built: once per finding).
    let first: StatusEntry | undefined;
    let all = true;
    for (const s of ctx.status(def)) {
      if (s.kind !== kind) continue;
      if (s.unverified === undefined) {
        all = false;
        break;
      }
      first ??= s;
    }
    if (all && first) return first.unverified;
  }
  if (VOCABULARY_RULES.has(f.rule)) return vocabularyReason(ctx.catalog.catalog.vocabulary, line.value);
  return undefined;
}

/** The last value {@link vocabularyReason} read, with its answer: a line with 10,000 list items has 10,000 findings. */
let lastVocabulary: { vocab: Vocabulary; value: string; reason: string | undefined } | undefined;

/** The reason of the first unverified vocabulary item (FEATURES name, IPTABLES module) that `value` names, if any. */
function vocabularyReason(vocab: Vocabulary, value: string): string | undefined {
  const last = lastVocabulary;
  if (last && last.vocab === vocab && last.value === value) return last.reason;
  const words = new Set(value.split(/[\s,:]+/u).filter((w) => w.length > 0));
  let reason: string | undefined;
  for (const item of [...vocab.features, ...vocab.iptablesModules]) {
    if (item.unverified !== undefined && words.has(item.name)) {
      reason = item.unverified;
      break;
    }
  }
  lastVocabulary = { vocab, value, reason };
  return reason;
}

/**
 * `f` itself, or a copy at severity `info` when it is an error or warning resting on an unverified
 * fact (see {@link unverifiedReason}). Never raises a severity.
 */
export function capUnverified(ctx: LintContext, f: Finding): Finding {
  if (f.severity !== 'error' && f.severity !== 'warning') return f;
  return unverifiedReason(ctx, f) === undefined ? f : copyFinding(f, { severity: 'info' });
}
