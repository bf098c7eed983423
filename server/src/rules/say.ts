/**
 * How findings talk: one sentence of at most {@link MAX_MESSAGE} characters that names the parameter,
 * what is wrong and what vzctl does; quoted file text cut to {@link MAX_QUOTE} characters; what the
 * tools do comes only from behaviour facts (schemas/behaviours.yaml) that hold for the target and the
 * config's mode. The why and the history go in the finding's `detail`.
 */
import { behaviourFact, behaviourFor, evidenceFor, type BehaviourFact, type ConfigMode } from '../catalog/behaviours';
import type { Generation } from '../catalog/types';
import { classicContainer, isVswap } from './resources/ubc';
import type { LintContext } from './types';
import { clip, clipQuotesTo, codePoints, MAX_MESSAGE } from './text';
import { ObjectCache } from '../util/objectCache';

export { clip, clipQuotes, codePoints, fixTitle, MAX_MESSAGE, MAX_QUOTE, MAX_TITLE, q, quote, shortProblem } from './text';

/**
 * The config's resource mode as vzctl decides it: `vswap` or `ubc` for a classic container config
 * (`is_vswap_config()`, src/lib/ub.c), undefined for anything else (vz.conf, 0.conf, Virtuozzo 7).
 */
export function modeOf(ctx: LintContext): ConfigMode | undefined {
  return memo(ctx).mode;
}

/** Per lint: the mode and the facts found so far (a lint asks the same few questions once per finding). */
interface SayMemo {
  mode: ConfigMode | undefined;
  facts: Map<string, BehaviourFact | undefined>;
}
const memos = new ObjectCache<LintContext, SayMemo>();

function memo(ctx: LintContext): SayMemo {
  let m = memos.get(ctx);
  if (!m) {
    m = { mode: classicContainer(ctx) ? (isVswap(ctx) ? 'vswap' : 'ubc') : undefined, facts: new Map() };
    memos.set(ctx, m);
  }
  return m;
}

/** The proven behaviour fact for the target and mode of `ctx`, or undefined. */
export function says(ctx: LintContext, behaviour: string, parameter?: string): BehaviourFact | undefined {
  const m = memo(ctx);
  const key = parameter === undefined ? behaviour : `${behaviour}\0${parameter}`;
  if (m.facts.has(key)) return m.facts.get(key);
  const f = behaviourFor(behaviour, ctx.target, m.mode, parameter);
  m.facts.set(key, f);
  return f;
}

/** A message and the behaviour facts it states. */
export interface Said {
  message: string;
  facts: string[];
  /** The target the facts were chosen for: the explanation cites the evidence read at its version. */
  target?: { generation: Generation; version: string };
}

/**
 * A message: `head`, then, for each behaviour that has a fact for this target and mode, its words,
 * joined by "; ". Behaviours without a fact are left out (the message then claims nothing about them).
 */
export function say(ctx: LintContext, head: string, ...behaviours: string[]): Said {
  return sayWith(ctx, undefined, head, behaviours);
}

/**
 * {@link say} about one parameter: a fact that names its `parameters` (the handler of that key, e.g.
 * NETFILTER's duplicate-last in src/lib/iptables.c) is used only for one of them.
 */
export function sayAbout(ctx: LintContext, parameter: string | undefined, head: string, ...behaviours: string[]): Said {
  return sayWith(ctx, parameter, head, behaviours);
}

function sayWith(ctx: LintContext, parameter: string | undefined, head: string, behaviours: readonly string[]): Said {
  const facts: BehaviourFact[] = [];
  for (const b of behaviours) {
    const f = says(ctx, b, parameter);
    if (f) facts.push(f);
  }
  let tail = '';
  for (const f of facts) tail += `; ${f.says}`;
  let message = head + tail;
  // Too long: quoted file text gives way first (it is in the detail in full).
  for (const max of [16, 10]) {
    if (tooLong(message)) message = clipQuotesTo(head, max) + tail;
  }
  // Still too long (a long list of allowed values, say): the head gives way, the behaviour stays whole.
  if (tooLong(message)) message = `${clip(head, MAX_MESSAGE - codePoints(tail))}${tail}`;
  return { message, facts: facts.map((f) => f.id), target: ctx.target };
}

/** Whether `message` has more than {@link MAX_MESSAGE} characters (code points; counted only when needed). */
function tooLong(message: string): boolean {
  return message.length > MAX_MESSAGE && codePoints(message) > MAX_MESSAGE;
}

/** The target as messages name it where a finding depends on the version: `vzctl 4.3`, `libvzctl 7.0.737`. */
export function toolVersion(ctx: LintContext): string {
  return `${ctx.target.generation === 'classic' ? 'vzctl' : 'libvzctl'} ${ctx.target.version}`;
}

/**
 * The long explanation of a finding: our sentences, then where each behaviour the message states was
 * read, at the tag nearest the target's version ("Source: kolyshkin/vzctl vzctl-3.0.10 src/lib/ub.c", see `evidenceFor`).
 */
export function explain(said: Said | undefined, ...sentences: (string | undefined | false)[]): string {
  let text = '';
  for (const s of sentences) {
    if (typeof s !== 'string' || s === '') continue;
    const last = s.charCodeAt(s.length - 1);
    // Ends in . ! ? or …: kept; otherwise a full stop is added.
    const stop = last === 46 || last === 33 || last === 63 || last === 0x2026 ? '' : '.';
    text += text === '' ? s + stop : ` ${s}${stop}`;
  }
  const facts = said?.facts ?? [];
  if (facts.length === 0) return text;
  const line = sourceLine(facts, said?.target);
  if (line === '') return text;
  return text === '' ? line : `${text} ${line}`;
}

/** {@link sourceLine} answers by facts and target (bounded: cleared when full). */
const sourceLines = new Map<string, string>();

/**
 * "Source: repo tag file; …." for behaviour facts at `target` (the evidence read at the tag nearest its
 * version), or '' when none has evidence: the same for every finding that states the same facts, so built
 * once per (facts, target) and process (a file with 1,000 unknown keys has 1,000 explanations).
 */
function sourceLine(facts: readonly string[], target: Said['target']): string {
  const key = `${target ? `${target.generation}\0${target.version}` : ''}\0${facts.join('\0')}`;
  let line = sourceLines.get(key);
  if (line !== undefined) return line;
  const sources: string[] = [];
  for (const id of facts) {
    const fact = behaviourFact(id);
    const ev = fact && (target ? evidenceFor(fact, target) : fact.evidence?.[0]);
    if (!ev) continue;
    const src = `${ev.repo} ${ev.tag} ${ev.file}`;
    if (!sources.includes(src)) sources.push(src);
  }
  line = sources.length === 0 ? '' : `Source: ${sources.join('; ')}.`;
  if (sourceLines.size >= 256) sourceLines.clear();
  sourceLines.set(key, line);
  return line;
}
