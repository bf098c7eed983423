import { compareVersions, inVersionRange } from '../model/version';
import { schemaData } from './load';
import type { Generation } from './types';

/** A container config's resource mode, as vzctl decides it (`is_vswap_config()`, classic src/lib/ub.c). */
export type ConfigMode = 'ubc' | 'vswap';

/**
 * Where a behaviour fact was read: repository, release tag and file (schemas/behaviours.yaml). The YAML's
 * free-text `note` of an entry is for reviewers and is not shipped (scripts/compile-schemas.mjs).
 */
export interface Evidence {
  repo: 'kolyshkin/vzctl' | 'OpenVZ/libvzctl' | 'OpenVZ/vzctl';
  tag: string;
  file: string;
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
   * The fact holds only for these parameters (the handler that gives the behaviour: NETFILTER's
   * parse_netfilter() in src/lib/iptables.c, the UBCs' add_ub_param() in src/lib/ub.c); absent: any.
   */
  parameters?: string[];
  /** For a spelling fact (`long-max-spelling`): the text a fix writes (`unlimited`, `9223372036854775807`). */
  writes?: string;
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

/** The facts by id, and the proven facts by behaviour in file order (rules ask per file linted: no scan of them all). */
let index: { byId: Map<string, BehaviourFact>; proven: Map<string, BehaviourFact[]> } | undefined;

function factIndex(): NonNullable<typeof index> {
  if (index) return index;
  const byId = new Map<string, BehaviourFact>();
  const proven = new Map<string, BehaviourFact[]>();
  for (const f of behaviourFacts()) {
    // The first of an id, as a search from the start finds it (ids are unique: the catalogue test checks).
    if (!byId.has(f.id)) byId.set(f.id, f);
    if (f.unverified === true) continue;
    const list = proven.get(f.behaviour);
    if (list) list.push(f);
    else proven.set(f.behaviour, [f]);
  }
  index = { byId, proven };
  return index;
}

/** The fact with this id, if any. */
export function behaviourFact(id: string): BehaviourFact | undefined {
  return factIndex().byId.get(id);
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
 * The proven fact for `behaviour` that holds for the target and mode (and, for a fact that names its
 * `parameters`, for `parameter`), or undefined (then the message must not state the behaviour).
 * Unverified facts are never returned.
 */
export function behaviourFor(behaviour: string, target: { generation: Generation; version: string }, mode: ConfigMode | undefined, parameter?: string): BehaviourFact | undefined {
  const list = factIndex().proven.get(behaviour);
  if (list === undefined) return undefined;
  for (const f of list) {
    if (factHolds(f, target, mode) && (f.parameters === undefined || (parameter !== undefined && f.parameters.includes(parameter)))) return f;
  }
  return undefined;
}

/** The version a release tag names: `vzctl-3.0.0-5` → 3.0.0, `vzctl.open-2.7.0-23` → 2.7.0, `v7.0.737` → 7.0.737. */
export function tagVersion(tag: string): string | undefined {
  return /^(?:vzctl\.open-|vzctl-|v)(\d+(?:\.\d+)*)/.exec(tag)?.[1];
}

/** The repository whose tags number the versions of a generation's targets (vz7 targets are libvzctl versions). */
const TARGET_REPO: Record<Generation, Evidence['repo']> = { classic: 'kolyshkin/vzctl', vz7: 'OpenVZ/libvzctl' };

/**
 * The evidence of `fact` to cite for a target: of the entries read in the target's own repository at a tag
 * inside the fact's range, the newest at or before the target version (else the oldest after it), so that
 * a finding on vzctl 3.0.10 cites the 3.0.10 source and not the 4.11.1 one. Entries outside the range
 * (read to show where the behaviour starts or ends) and other repositories are cited only when nothing
 * else is there: then the first entry.
 */
export function evidenceFor(fact: BehaviourFact, target: { generation: Generation; version: string }): Evidence | undefined {
  const list = fact.evidence ?? [];
  const dated: { e: Evidence; v: string }[] = [];
  for (const e of list) {
    const v = e.repo === TARGET_REPO[target.generation] ? tagVersion(e.tag) : undefined;
    if (v !== undefined && inVersionRange(v, fact.since, fact.until)) dated.push({ e, v });
  }
  let best: { e: Evidence; v: string } | undefined;
  for (const d of dated) {
    const atOrBefore = compareVersions(d.v, target.version) <= 0;
    if (!best) best = d;
    else {
      const bestBefore = compareVersions(best.v, target.version) <= 0;
      if (atOrBefore && (!bestBefore || compareVersions(d.v, best.v) > 0)) best = d;
      else if (!atOrBefore && !bestBefore && compareVersions(d.v, best.v) < 0) best = d;
    }
  }
  return best?.e ?? list[0];
}
