import type { CatalogIndex } from '../catalog/load';
import type { Generation, ParameterDef } from '../catalog/types';
import type { ConfigDocument, Entry } from '../parser/types';
import { lineNumber } from '../parser/parse';
import { compareVersions } from './version';
import { derived } from '../catalog/derived';

/** A target the catalogue cannot check against (e.g. older than every known version). */
export class TargetError extends Error {}

/**
 * The vzctl a file is checked against: a generation (classic vzctl 3.x/4.x, or Virtuozzo 7's
 * libvzctl) and a version of it (a vzctl version for classic, a libvzctl version for vz7).
 */
export interface Target {
  generation: Generation;
  version: string;
  /** Chosen by the user (`classic@4.6`), or picked by `auto`. */
  explicit: boolean;
  /**
   * One sentence saying how the target was chosen, in words true on every surface (it reaches finding
   * details, which the editor and `vzlint` share). Shown to a user with {@link targetReason}, which adds
   * how to choose another target in that surface's words.
   */
  reason: string;
  /**
   * For an `auto` target that may be wrong: which target to choose and when, as words that follow "set the
   * target" (`(e.g. classic@4.6) for an older node`); see {@link targetReason}.
   */
  choose?: string;
}

/**
 * `t.reason` for one surface, with how to choose another target in its own words: the editor's setting
 * (`vzconf.target`) or `vzlint`'s option (`--target`, or `target:` in `.vzconf.yaml`).
 */
export function targetReason(t: Pick<Target, 'reason' | 'choose'>, surface: 'editor' | 'cli'): string {
  if (t.choose === undefined) return t.reason;
  return `${t.reason}. ${surface === 'editor' ? 'Set vzconf.target' : 'Set --target or target: in .vzconf.yaml'} ${t.choose}`;
}

/**
 * A parsed `vzconf.target` / `--target` value: `auto`, `classic`, `classic@4.6`, `vz7`, `vz7@8.0.70`
 * (a libvzctl version) or `vz7@vzctl-7.0.254` (a Virtuozzo 7+ vzctl version, `vzctlVersion`, mapped to
 * libvzctl by schemas/vz7-vzctl.yaml when the target is resolved).
 */
/**
 * A parsed target setting. `source` says where an explicit one was set, for the target's reason
 * as a phrase that follows "set to X" (`by --target`, `in conf/.vzconf.yaml`); default "in the settings".
 */
export type TargetSetting = { auto: true } | { auto: false; generation: Generation; version?: string; vzctlVersion?: string; source?: string };

/** The `auto` setting: one object for every file linted (read only). */
const AUTO: TargetSetting = { auto: true };

/** The accepted target forms, as one regular expression (also in package.json and vzconf-config.schema.json). */
export const TARGET_PATTERN = /^(classic|vz7)(?:@(vzctl-)?(\d+(?:\.\d+)*)(?:-(\d+))?)?$/;

/**
 * Parses a target setting.
 * @returns the setting (`auto`'s is shared: never modify it), or `{ error }` with a message that lists the accepted forms
 */
export function parseTargetSetting(text: string | undefined): TargetSetting | { error: string } {
  const t = (text ?? 'auto').trim();
  if (t === '' || t === 'auto') return AUTO;
  const m = TARGET_PATTERN.exec(t);
  const usage = 'use auto, classic, classic@<vzctl version> (e.g. classic@4.6), vz7, vz7@<libvzctl version> (e.g. vz7@8.0.70) or vz7@vzctl-<vzctl version> (e.g. vz7@vzctl-7.0.254)';
  if (!m) return { error: `invalid target "${t}": ${usage}` };
  const generation = m[1] as Generation;
  // A classic release tag's package release (vzctl-3.0.13-1, vzctl.open-2.7.0-23) names the same vzctl
  // version: classic@3.0.13-1 is classic@3.0.13. Other targets have no such form.
  if (m[4] !== undefined) {
    if (generation !== 'classic' || m[2]) return { error: `invalid target "${t}": only a classic target takes a release tag's "-N" (classic@3.0.13-1); ${usage}` };
    return { auto: false, generation, version: m[3] as string };
  }
  if (m[2]) {
    if (generation === 'classic') return { error: `invalid target "${t}": a classic target names the vzctl version itself (classic@4.6)` };
    return { auto: false, generation, vzctlVersion: m[3] as string };
  }
  return m[3] ? { auto: false, generation, version: m[3] } : { auto: false, generation };
}

/** Renders a target the way users write it: `classic@4.11.1`. */
export function formatTarget(t: Pick<Target, 'generation' | 'version'>): string {
  return `${t.generation}@${t.version}`;
}

/** Human name of a target: "vzctl 4.7" or "libvzctl 8.0.70 (Virtuozzo 7+)". */
export function describeTarget(t: Pick<Target, 'generation' | 'version'>): string {
  return t.generation === 'classic' ? `vzctl ${t.version}` : `libvzctl ${t.version} (Virtuozzo 7+)`;
}

/** The `auto` target of a file with no Virtuozzo 7 marker, per catalogue (most files; one shared object). */
/**
 * The parameters that both generations know and that classic vzctl learnt only after the last release
 * whose samples carry `VERSION` (shipped-sample-keys.yaml): found once per catalogue, not per line of every
 * file `auto` looks at.
 */
function afterClassicVersionOf(catalog: CatalogIndex): ReadonlySet<ParameterDef> {
  return derived(catalog, 'target:afterClassicVersion', (c) => {
    const table = c.catalog.shippedSampleKeys.classic;
    const last = Object.hasOwn(table, 'VERSION') ? table.VERSION?.to : undefined;
    const out = new Set<ParameterDef>();
    if (last === undefined) return out;
    for (const def of c.catalog.parameters) {
      const since = def.classic?.since;
      if (def.vz7 && def.classic && since !== undefined && compareVersions(since, last) > 0) out.add(def);
    }
    return out;
  });
}

/**
 * In a file with keys of both generations, `auto` picks Virtuozzo 7 when its distinct libvzctl-only keys
 * are at least two and at least this many times the distinct classic-only ones; otherwise classic.
 */
export const VZ7_MAJORITY = 2;

/** Up to three names, then "and N more". */
function listed(names: string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}

/** Empty collections of resolveTarget (shared, never modified). */
const NO_KEYS: ReadonlyMap<string, number> = new Map();
const NO_NAMES: ReadonlySet<string> = new Set();

let plain: { catalog: CatalogIndex; target: Target } | undefined;

function plainClassic(catalog: CatalogIndex): Target {
  if (plain?.catalog !== catalog) {
    const version = catalog.catalog.defaults.classic;
    plain = { catalog, target: { generation: 'classic', version, explicit: false, reason: `auto: classic vzctl ${version} (the newest; no Virtuozzo 7 marker such as VERSION="2" with PLATFORM found)`, choose: '(e.g. classic@4.6) for an older node' } };
  }
  return plain.target;
}

/**
 * Chooses the target for a file. An explicit setting wins (generation default version when none is
 * given). `auto` picks vz7 only on strong evidence, and otherwise the newest classic vzctl; it never
 * guesses an older version. Strong evidence is either
 * - a `VERSION="2"` line together with a key classic vzctl never had (PLATFORM, ARCH, or any key only
 *   libvzctl knows) or one classic vzctl learnt only after its last sample with VERSION (NETFILTER, since
 *   4.7), and no classic-only key: VERSION="2" alone proves nothing, since the classic x86_64 and
 *   unlimited samples of 2.7.0 to 3.0.28.3 carry it too (schemas/shipped-sample-keys.yaml, classic VERSION);
 * - or two or more keys that only libvzctl parses, and no classic-only key;
 * - or, in a file that mixes the generations, distinct libvzctl-only keys at least two and at least twice
 *   as many as the distinct classic-only keys ({@link VZ7_MAJORITY}): the stronger evidence wins, and the
 *   reason says the evidence is mixed. Fewer keep the file classic, with a reason that says so too.
 *   Over the shipped corpus (../shared/corpus: 370 versions files, upstream, wild) the only file with keys
 *   of both generations is wild/039 (4 against 1); every other file keeps its generation.
 *
 * The answer may be one object shared by many files (the `auto` classic one): never modify it.
 *
 * @param probe  the file parsed with the classic dialect (key names are read alike by both parsers)
 * @param defsOut  when given, the catalogue entry (or null: none) of each line's key by line number, as far as
 *                 the caller knows them (undefined: not known; then looked up and recorded there, for the
 *                 caller to reuse)
 * @throws TargetError for a version older than the oldest the catalogue knows
 */
export function resolveTarget(setting: TargetSetting, probe: ConfigDocument, catalog: CatalogIndex, defsOut?: (ParameterDef | null | undefined)[]): Target {
  const defaults = catalog.catalog.defaults;
  if (!setting.auto && setting.vzctlVersion !== undefined) {
    const table = catalog.catalog.vz7VzctlToLibvzctl;
    const lib = Object.hasOwn(table, setting.vzctlVersion) ? table[setting.vzctlVersion] : undefined;
    if (lib === undefined) {
      const known = Object.keys(table).sort(compareVersions);
      throw new TargetError(`vz7@vzctl-${setting.vzctlVersion}: no Virtuozzo vzctl release ${setting.vzctlVersion} is known (${known[0]} to ${known.at(-1)})`);
    }
    return {
      generation: 'vz7',
      version: lib,
      explicit: true,
      reason: `set to vz7@vzctl-${setting.vzctlVersion} ${setting.source ?? 'in the settings'}: vzctl ${setting.vzctlVersion} was released with libvzctl ${lib} (paired by tag date)`,
    };
  }
  if (!setting.auto) {
    const known = catalog.catalog.versions[setting.generation];
    const oldest = known[0];
    const newest = known[known.length - 1];
    // Classic vzctl ended with 4.11.1: a later version is a typo, not a version to check against.
    if (setting.generation === 'classic' && setting.version !== undefined && newest !== undefined && compareVersions(setting.version, newest) > 0) {
      throw new TargetError(`target classic@${setting.version} is newer than any classic vzctl (the last is ${newest})`);
    }
    if (setting.version !== undefined && oldest !== undefined && compareVersions(setting.version, oldest) < 0) {
      throw new TargetError(`target ${setting.generation}@${setting.version} is older than the oldest ${setting.generation === 'classic' ? 'vzctl' : 'libvzctl'} vzconf knows (${oldest})`);
    }
    const version = setting.version ?? defaults[setting.generation];
    return { generation: setting.generation, version, explicit: true, reason: `set to ${setting.generation}${setting.version ? '@' + setting.version : ''} ${setting.source ?? 'in the settings'}` };
  }
  const evidence: string[] = [];
  // (Each collection is made at its first key: the plain classic files of a node have none, or few.)
  let vz7Found: Map<string, number> | undefined;
  /** Distinct classic-only keys, in file order. */
  let classicFound: Set<string> | undefined;
  /** Keys that rule out a classic sample of the VERSION="2" era: vz7-only ones, or classic ones learnt after it. */
  let afterFound: { name: string; line: number }[] | undefined;
  const afterClassic = afterClassicVersionOf(catalog);
  let versionTwo: number | undefined;
  const entries = probe.entries;
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as Entry;
    if (e.name === 'VERSION' && e.value.trim() === '2') {
      versionTwo ??= e.line;
      continue;
    }
    const given = defsOut?.[e.line];
    const def = given === undefined ? catalog.parameter(e.name) : given ?? undefined;
    if (defsOut && given === undefined) defsOut[e.line] = def ?? null;
    if (!def) continue;
    if (def.vz7 && !def.classic && (def.vz7.handling ?? 'parsed') === 'parsed' && vz7Found?.has(e.name) !== true) (vz7Found ??= new Map()).set(e.name, e.line);
    if (def.classic && !def.vz7) (classicFound ??= new Set()).add(e.name);
    if (def.vz7 && (!def.classic || afterClassic.has(def))) (afterFound ??= []).push({ name: e.name, line: e.line });
  }
  const vz7Keys: ReadonlyMap<string, number> = vz7Found ?? NO_KEYS;
  const classicKeys: ReadonlySet<string> = classicFound ?? NO_NAMES;
  const afterClassicVersion: readonly { name: string; line: number }[] = afterFound ?? [];
  if (versionTwo !== undefined && classicKeys.size === 0 && afterClassicVersion.length > 0) {
    evidence.push(`line ${lineNumber(probe, versionTwo)}: VERSION="2"`);
    for (const k of afterClassicVersion.slice(0, 2)) evidence.push(`line ${lineNumber(probe, k.line)}: ${k.name} (${catalog.parameter(k.name)?.classic ? `classic vzctl only from ${catalog.parameter(k.name)?.classic?.since ?? '?'}` : 'no classic vzctl knows it'})`);
  }
  // Keys alone are strong evidence only when there are two or more of them and no classic-only key:
  // commercial Virtuozzo before 7 already wrote some of them (RATE, TECHNOLOGIES…).
  if (evidence.length === 0 && vz7Keys.size >= 2 && classicKeys.size === 0) {
    for (const [name, line] of vz7Keys) evidence.push(`line ${lineNumber(probe, line)}: ${name} (only libvzctl knows it)`);
  }
  if (evidence.length > 0) {
    return {
      generation: 'vz7',
      version: defaults.vz7,
      explicit: false,
      reason: `auto: Virtuozzo 7 (libvzctl ${defaults.vz7}) because of ${evidence.slice(0, 3).join(', ')}${evidence.length > 3 ? ` and ${evidence.length - 3} more` : ''}`,
    };
  }
  const firstClassic = classicKeys.values().next().value;
  if (vz7Keys.size >= 2 && firstClassic !== undefined) {
    // Keys of both generations: the stronger evidence wins, and the reason says the evidence is mixed.
    const vz7Names = listed([...vz7Keys.keys()]);
    const classicNames = listed([...classicKeys]);
    const vz7Verb = vz7Keys.size === 1 ? 'is a Virtuozzo 7 key' : 'are Virtuozzo 7 keys';
    const classicVerb = classicKeys.size === 1 ? 'is classic-only' : 'are classic-only';
    if (vz7Keys.size >= VZ7_MAJORITY * classicKeys.size) {
      return {
        generation: 'vz7',
        version: defaults.vz7,
        explicit: false,
        reason: `auto: Virtuozzo 7 (libvzctl ${defaults.vz7}) on mixed evidence: ${vz7Names} ${vz7Verb} against ${classicNames}, which ${classicVerb}`,
        choose: '(classic, or e.g. classic@4.6) if this is a classic node',
      };
    }
    return {
      generation: 'classic',
      version: defaults.classic,
      explicit: false,
      reason: `auto: classic vzctl ${defaults.classic} (the newest) on mixed evidence: ${vz7Names} ${vz7Verb}, but ${classicNames} ${classicVerb}`,
      choose: '(vz7, or e.g. classic@4.6) to choose',
    };
  }
  if (versionTwo === undefined) return plainClassic(catalog);
  const lastClassicVersion = Object.hasOwn(catalog.catalog.shippedSampleKeys.classic, 'VERSION') ? catalog.catalog.shippedSampleKeys.classic.VERSION?.to : undefined;
  return {
    generation: 'classic',
    version: defaults.classic,
    explicit: false,
    reason: `auto: classic vzctl ${defaults.classic} (the newest): VERSION="2" on line ${lineNumber(probe, versionTwo)} is also in the classic samples of 2.7.0 to ${lastClassicVersion ?? '3.0.28.3'}, and ${firstClassic !== undefined ? `${firstClassic} is classic-only` : 'no key here is Virtuozzo 7 only'}`,
    choose: '(e.g. classic@3.0.28 or vz7) to choose',
  };
}
