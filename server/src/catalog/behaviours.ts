import { inVersionRange } from '../model/version';
import { schemaData } from './load';
import type { Generation } from './types';

/** A container config's resource mode, as vzctl decides it (`is_vswap_config()`, classic src/lib/ub.c). */
export type ConfigMode = 'ubc' | 'vswap';

/** Where a behaviour fact was read: repository, release tag and file (schemas/behaviours.yaml). */
export interface Evidence {
  repo: 'kolyshkin/vzctl' | 'OpenVZ/libvzctl' | 'OpenVZ/vzctl';
  tag: string;
  file: string;
  note?: string;
}

/**
 * One thing vzctl, libvzctl or vzcfgvalidate does with a line or a value, for one generation, version
 * range and mode (schemas/behaviours.yaml, checked against behaviours.schema.json by the catalogue test).
 * Messages state a behaviour only through such a fact, in its `says` words.
 */
export interface BehaviourFact {
  /** Unique: `classic.value-invalid`, `vz7.line-no-equals`, … */
  id: string;
  /** The behaviour a rule asks for (`value-invalid`); several facts share one per generation/version. */
  behaviour: string;
  generation: Generation;
  /** First version (inclusive) where the fact holds; absent = every version. */
  since?: string;
  /** Version (exclusive) where it stops holding; absent = open-ended. */
  until?: string;
  /** `ubc` / `vswap`: only for a classic container config in that mode; `any`: whatever the file. */
  mode: 'any' | ConfigMode;
  /** The words a message uses, lower case, no final stop: "vzctl warns and skips the line". */
  says: string;
  /** The longer explanation, for `detail` and the docs. */
  detail: string;
  evidence?: Evidence[];
  /**
   * A regular expression for the exact line the behaviour acts on, where a script matches lines by text
   * (the init script's `grep '^CONFIGFILE="basic"$'`); the fact holds only for a line it matches.
   */
  line?: string;
  /** Not proven from the sources: no message states it. */
  unverified?: true;
  reason?: string;
}

let cached: BehaviourFact[] | undefined;

/**
 * Every behaviour fact of schemas/behaviours.yaml (compiled at build time and validated against
 * behaviours.schema.json then), loaded once per process.
 *
 * @throws Error when the compiled catalogue has no behaviours (a packaging mistake)
 */
export function behaviourFacts(): BehaviourFact[] {
  cached ??= schemaData<{ behaviours: BehaviourFact[] }>('behaviours').behaviours;
  return cached;
}

/** The fact with this id, if any. */
export function behaviourFact(id: string): BehaviourFact | undefined {
  return behaviourFacts().find((f) => f.id === id);
}

/**
 * Whether `fact` holds for a target (generation and version) and a config mode (`undefined` when the
 * file has none: a node config, 0.conf or a Virtuozzo 7 file, where only `any` facts hold).
 */
export function factHolds(fact: BehaviourFact, target: { generation: Generation; version: string }, mode: ConfigMode | undefined): boolean {
  if (fact.generation !== target.generation) return false;
  if (!inVersionRange(target.version, fact.since, fact.until)) return false;
  return fact.mode === 'any' || fact.mode === mode;
}

/**
 * The proven fact for `behaviour` that holds for the target and mode, or undefined (then the message
 * must not state the behaviour). Unverified facts are never returned.
 */
export function behaviourFor(behaviour: string, target: { generation: Generation; version: string }, mode: ConfigMode | undefined): BehaviourFact | undefined {
  return behaviourFacts().find((f) => f.behaviour === behaviour && f.unverified !== true && factHolds(f, target, mode));
}
