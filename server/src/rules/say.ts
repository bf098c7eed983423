/**
 * How findings talk: one sentence of at most {@link MAX_MESSAGE} characters that names the parameter,
 * what is wrong and what vzctl does; quoted file text cut to {@link MAX_QUOTE} characters; what the
 * tools do comes only from behaviour facts (schemas/behaviours.yaml) that hold for the target and the
 * config's mode. The why and the history go in the finding's `detail`.
 */
import { behaviourFact, behaviourFor, type BehaviourFact, type ConfigMode } from '../catalog/behaviours';
import { classicContainer, isVswap } from './resources/ubc';
import type { LintContext } from './types';
import { clip, MAX_MESSAGE } from './text';

export { clip, clipQuotes, fixTitle, MAX_MESSAGE, MAX_QUOTE, MAX_TITLE, q, shortProblem } from './text';

/**
 * The config's resource mode as vzctl decides it: `vswap` or `ubc` for a classic container config
 * (`is_vswap_config()`, src/lib/ub.c), undefined for anything else (vz.conf, 0.conf, Virtuozzo 7).
 */
export function modeOf(ctx: LintContext): ConfigMode | undefined {
  if (!classicContainer(ctx)) return undefined;
  return isVswap(ctx) ? 'vswap' : 'ubc';
}

/** The proven behaviour fact for the target and mode of `ctx`, or undefined. */
export function says(ctx: LintContext, behaviour: string): BehaviourFact | undefined {
  return behaviourFor(behaviour, ctx.target, modeOf(ctx));
}

/** A message and the behaviour facts it states. */
export interface Said {
  message: string;
  facts: string[];
}

/**
 * A message: `head`, then, for each behaviour that has a fact for this target and mode, its words,
 * joined by "; ". Behaviours without a fact are left out (the message then claims nothing about them).
 */
export function say(ctx: LintContext, head: string, ...behaviours: string[]): Said {
  const facts = behaviours.flatMap((b) => {
    const f = says(ctx, b);
    return f ? [f] : [];
  });
  const join = (h: string): string => [h, ...facts.map((f) => f.says)].join('; ');
  let message = join(head);
  // Too long: quoted file text gives way first (it is in the detail in full).
  for (const max of [16, 10]) {
    if ([...message].length > MAX_MESSAGE) message = join(head.replace(/"([^"]*)"/g, (_m, inner: string) => `"${clip(inner, max)}"`));
  }
  // Still too long (a long list of allowed values, say): the head gives way, the behaviour stays whole.
  if ([...message].length > MAX_MESSAGE) {
    const tail = facts.map((f) => `; ${f.says}`).join('');
    message = `${clip(head, MAX_MESSAGE - [...tail].length)}${tail}`;
  }
  return { message, facts: facts.map((f) => f.id) };
}

/** The target as messages name it where a finding depends on the version: `vzctl 4.3`, `libvzctl 7.0.737`. */
export function toolVersion(ctx: LintContext): string {
  return `${ctx.target.generation === 'classic' ? 'vzctl' : 'libvzctl'} ${ctx.target.version}`;
}

/**
 * The long explanation of a finding: our sentences, then where each behaviour the message states was
 * read ("vzctl: kolyshkin/vzctl vzctl-4.11.1 src/lib/config.c").
 */
export function explain(said: Said | undefined, ...sentences: (string | undefined | false)[]): string {
  const own = sentences.filter((s): s is string => typeof s === 'string' && s !== '');
  const sources = (said?.facts ?? []).flatMap((id) => {
    const ev = behaviourFact(id)?.evidence?.[0];
    return ev ? [`${ev.repo} ${ev.tag} ${ev.file}`] : [];
  });
  const text = own.map((s) => (/[.!?…]$/.test(s) ? s : `${s}.`));
  if (sources.length > 0) text.push(`Source: ${[...new Set(sources)].join('; ')}.`);
  return text.join(' ');
}


