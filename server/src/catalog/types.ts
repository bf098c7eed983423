/**
 * Types of the parameter and rule catalogue. The data lives in `schemas/*.yaml` and is validated
 * against the JSON Schemas beside it (`schemas/*.schema.json`); these types mirror those schemas.
 *
 * Facts come from `../shared/reference/vzctl-reference.md` (classic vzctl `src/lib/config.c`,
 * libvzctl `lib/env_config.c`) and `kb-map.md`.
 */

/** The two vzctl generations, each with its own parser and parameter table. */
export type Generation = 'classic' | 'vz7';

/** Where a parameter belongs: the node's global `vz.conf`, a container config, or both (global default, overridable per CT). */
export type Scope = 'node' | 'container' | 'both';

/**
 * Value grammar names. Each has a validator in `server/src/values/`.
 * - `ubc`: UBC `barrier[:limit]`, parts are integers with an optional K/M/G/T/P/B suffix or `unlimited`.
 * - `quota`: `soft[:hard]` disk quota (DISKSPACE in 1K blocks, DISKINODES in inodes).
 * - `yesno`: exactly `yes` or `no` (case-sensitive); per-generation `values` may extend it (VZ7 ONBOOT `auto`).
 * - `enum`: one of `values`, case-sensitive.
 * - `integer` / `float`: a number within `range`.
 * - the others are named after the parameter family they parse.
 */
export type Grammar =
  | 'ubc'
  | 'quota'
  | 'yesno'
  | 'enum'
  | 'integer'
  | 'float'
  | 'string'
  | 'path'
  | 'name'
  | 'ip-list'
  | 'word-list'
  | 'netdev-list'
  | 'features'
  | 'capability'
  | 'iptables-modules'
  | 'module-list'
  | 'devices'
  | 'devnodes'
  | 'pci'
  | 'netif'
  | 'meminfo'
  | 've-layout'
  | 'cpulimit'
  | 'cpumask'
  /** A Virtuozzo 7 container ID: UUID or legacy whole number (libvzctl vzctl2_parse_ctid(), lib/env.c). */
  | 'ctid'
  | 'iolimit'
  | 'neighbour-devs';

/**
 * Unit of a numeric value as vzctl stores it.
 * `pages` = 4096-byte pages (x86), `kilobytes` = 1K blocks, `items` = counted objects (no size suffix allowed).
 */
export type Unit =
  | 'pages'
  | 'bytes'
  | 'kilobytes'
  | 'items'
  | 'inodes'
  | 'seconds'
  | 'percent'
  | 'bytes-per-second'
  | 'iops'
  | 'none';

/** Which occurrence of a repeated key the classic parser keeps (`src/lib/config.c`); VZ7 always keeps the last. */
export type DuplicatePolicy = 'first' | 'last' | 'union';

/**
 * How the generation's tooling knows the key:
 * - `parsed`: in the C parameter table with a handler;
 * - `ignored`: in the C table as known-but-ignored (read only by the init / network scripts);
 * - `script`: not in the C table at all (C parser calls it unknown), but read by the shell scripts;
 * - `sample`: read by no code of the generation, but upstream wrote it into the sample configs it shipped
 *   (classic OFFLINE_MANAGEMENT, Virtuozzo 7 ARCH): harmless, so not reported as unknown.
 */
export type Handling = 'parsed' | 'ignored' | 'script' | 'sample';

/** Version-dependent status of a parameter on one generation. */
export type StatusKind = 'deprecated' | 'ignored' | 'removed';

export interface StatusEntry {
  /** First version (inclusive) of the generation where this status applies. Absent = every version. */
  from?: string;
  /** Last version (exclusive) where it applies. Absent = open-ended. */
  until?: string;
  kind: StatusKind;
  /** File kind it applies in: `node`, `container` or `any` (default). */
  in?: 'node' | 'container' | 'any';
  /**
   * The generation's reader takes the line without looking at its value (a `break;` handler, or a key that
   * is not in its table): no value is refused, so no value check applies (values/validate.ts checkValue).
   */
  unread?: boolean;
  /** The parameter that replaces it, if any. */
  replacement?: string;
  /** Our own one-sentence explanation, shown in the diagnostic and the hover. */
  message: string;
  /** KB article IDs that explain it. */
  kb?: number[];
  /** Where this status comes from ({@link Evidence}). */
  evidence?: Evidence[];
  /** Why it could not be proven; findings resting on it are at most info (catalog/evidence.ts). */
  unverified?: string;
}

/**
 * Where a catalogue fact comes from, as text: `<repo> <file>[, <file>…] @ <tag>` with repo `vzctl`
 * (github.com/kolyshkin/vzctl, classic), `libvzctl` (github.com/OpenVZ/libvzctl) or `vzctl7`
 * (github.com/OpenVZ/vzctl), e.g. `vzctl src/lib/config.c @ vzctl-4.3`; or `KB <id>`.
 * parameters.schema.json requires every generation block and status entry to carry evidence or `unverified`.
 */
export type Evidence = string;

/** What one generation knows of a parameter. Absent generation = the parameter is unknown there. */
export interface GenerationInfo {
  /** First version of that generation that knows the key (classic vzctl version or libvzctl version). */
  since?: string;
  handling?: Handling;
  /** Per-generation override of the grammar. */
  grammar?: Grammar;
  /** Per-generation override of allowed values (enum / yesno extensions). */
  values?: string[];
  /** Per-generation override of the numeric range. */
  range?: Range;
  /** Per-generation override of the scope. */
  scope?: Scope;
  status?: StatusEntry[];
  /**
   * For an integer key: the generation's reader also takes the word `unlimited` (read as LONG_MAX) from
   * `since` on (classic parse_ul(), src/lib/util.c since vzctl 3.0.19), with where that was read.
   */
  unlimited?: { since: string; evidence: Evidence[] };
  /**
   * What the handler leaves behind when it refuses a value, where that is not the usual "the line is
   * skipped and the key keeps its earlier value" ({@link RefusedValueFact}; the first entry that holds for
   * the target's version and the value counts). Classic IOPRIO, IOLIMIT, IOPSLIMIT (src/lib/config.c).
   */
  onRefused?: RefusedValueFact[];
  /**
   * Before `until`, classic merge_vps_param() copies the container's value over vz.conf's only when it is not
   * 0 (MERGE_INT, src/lib/config.c before vzctl 3.0.23, commit c27f5329, OpenVZ bug 849): a container without
   * the key keeps its own "unset" (-1) and never takes vz.conf's value, and a container value stored as 0
   * (`zero`: its spellings; "0" for an integer key means any spelling of zero) leaves vz.conf's value, or
   * none, in effect. IOPRIO and MEMINFO.
   */
  mergeNonZero?: { until: string; zero: string[]; evidence: Evidence[] };
  /**
   * The generation refuses no value of this key: a value it cannot read is dropped or read otherwise
   * without any warning, and nothing else is refused with it. Classic LOCAL_UID / LOCAL_GID (the result of
   * conf_parse_ulong() is not looked at, src/lib/config.c @ vzctl-4.3..4.11.1); Virtuozzo 7 keys that are
   * not in libvzctl's config_param_map (lib/env_config.c), so add_env_param() never parses them and the
   * config is never refused for them: libvzctl or the scripts look the raw value up where they need it
   * (LOGGING, LOG_LEVEL, VERBOSE in lib/logger.c; IPV6 with vzctl2_env_get_param_bool()). Such a value is
   * questionable, not an error.
   */
  refusedSilently?: { evidence: Evidence[] };
  /**
   * The C function the generation reads this integer key with, where it is known (values/validate.ts
   * `readInteger` models each exactly):
   * - classic `parse_ul()` (src/lib/util.c): strtoul() over the whole text, `unlimited` as LONG_MAX (see
   *   {@link GenerationInfo.unlimited}); from vzctl 3.0.29 (commit bc67e660) a result above LONG_MAX is
   *   refused, so a negative number is; before, it was cast through `int` and a negative or huge one
   *   was taken, changed.
   * - classic `parse_int()` (src/lib/util.c): strtol() over the whole text; from 3.0.29 a number outside
   *   INT_MIN..INT_MAX is refused; before, only one beyond `long` (ERANGE), the rest was cast to `int`.
   * - Virtuozzo 7 `parse_ul()` (libvzctl lib/util.c @ v7.0.42, lib/common.c @ v7.0.737..v8.0.90, the same
   *   at every tag): an empty value is refused, then strtoul() over the whole text, refused on ERANGE; a
   *   negative number wraps to a huge one and no `unlimited` is taken.
   * The key's range is then checked against the number stored.
   */
  reader?: { fn: 'parse_ul' | 'parse_int' | 'parse_iopslimit'; evidence: Evidence[] };
  /** Where since, handling, grammar, values, range, scope and default for this generation come from. */
  evidence?: Evidence[];
  /** Why those facts could not be proven; findings resting on them are at most info (catalog/evidence.ts). */
  unverified?: string;
}

/**
 * One fact of {@link GenerationInfo.onRefused}: for versions [since, until) and the refused values it names
 * (`outside-range`: a whole number that fits a C int but is outside the key's range; `any`), the handler
 * either sets the key back to unset (`unset`: parse_ioprio() at vzctl 3.0.24+, parse_iolimit() and
 * parse_iopslimit() at 4.6+ store -1, so earlier lines are lost and merge_vps_param() leaves vz.conf's value
 * or the default) or has already stored the number strtol() read (`keeps-number`: parse_int() before vzctl
 * 3.0.29 writes it before it checks the rest of the text).
 */
export interface RefusedValueFact {
  since?: string;
  until?: string;
  values: 'outside-range' | 'any';
  effect: 'unset' | 'keeps-number';
  evidence: Evidence[];
}

export interface Range {
  min?: number;
  max?: number;
}

export interface Link {
  title: string;
  url: string;
}

/** One parameter of `schemas/parameters.yaml`. */
export interface ParameterDef {
  /** Key as vzctl spells it (case-sensitive). */
  name: string;
  /** Other spellings the parser maps onto this key (e.g. DCACHE → DCACHESIZE). */
  aliases?: string[];
  /** Outline group, as vzctl's samples group the keys. */
  group: 'general' | 'memory' | 'ubc' | 'disk' | 'cpu' | 'io' | 'network' | 'netfilter' | 'devices' | 'node' | 'vz7';
  scope: Scope;
  grammar: Grammar;
  unit?: Unit;
  /** Allowed values for `enum`. */
  values?: string[];
  range?: Range;
  /** Default when unset, as text (`stateless`, `1000`, `unlimited`…). */
  default?: string;
  /** Classic duplicate policy (VZ7 keeps the last occurrence). */
  duplicates?: DuplicatePolicy;
  /**
   * Free-form text (DESCRIPTION): any text, blanks included, is a value vzctl keeps as written (classic
   * `conf_parse_str` in src/lib/config.c, libvzctl lib/env_config.c), so a value with blanks is normal and
   * only quoting keeps it whole for a shell that sources the file.
   */
  freeText?: true;
  /**
   * Generations whose vzctl drops the key when it appears in the global vz.conf (classic
   * `validate_global_config()` for NETFILTER; libvzctl's `_s_conf_local_param`: NETFILTER, VEID, UUID).
   */
  ignoredInNodeConfig?: Generation[];
  /**
   * Generations where the key in vz.conf is only the default for `vzctl create` (and the samples it
   * merges): an existing container never takes it from vz.conf. VE_LAYOUT: src/lib/config.c @ vzctl-4.9.3
   * reads it for create only, src/vzctl.c @ vzctl-4.9.4 drops the global layout once a container's config
   * is read; the layout is then the container's own line (4.9.4+) or detected from the private area
   * (behaviour `ct-layout` in schemas/behaviours.yaml).
   */
  createDefaultInNodeConfig?: Generation[];
  /** Ignored for ploop-based containers (reference §3.2, §7): what that means, in our words. */
  ignoredOnPloop?: string;
  /**
   * A classic container cannot start without it (`check_ub()` in vzctl src/lib/ub.c): in a non-vSwap
   * config every UBC of the set, in a vSwap config PHYSPAGES and SWAPPAGES.
   */
  requiredToStart?: ('non-vswap' | 'vswap')[];
  /** May block checkpointing and online migration (KB 113781, title only): what the parameter passes in. */
  checkpoint?: string;
  /** A change on a running CT needs a restart (classic `check_set_mode`). */
  restart?: boolean;
  classic?: GenerationInfo;
  vz7?: GenerationInfo;
  /** Short description written by us (one paragraph, Markdown). */
  description: string;
  kb?: number[];
  links?: Link[];
}

/** One KB article of `schemas/kb.yaml`. */
export interface KbArticle {
  id: number;
  title: string;
  /** The article's point, in our words. */
  summary: string;
  /** `seen` (an archived copy was read) or `title-only`. */
  evidence: 'seen' | 'title-only';
  /** A current URL if one is known (e.g. the Zendesk copy of 126787). */
  current?: string;
}

/** An iptables module name accepted by the classic IPTABLES parser (`src/lib/iptables.c`). */
export interface IptablesModule {
  name: string;
  /** The least NETFILTER mode that provides the module (reference §5). */
  netfilter: 'stateless' | 'stateful' | 'full';
  /** Not known to libvzctl (VZ7). */
  classicOnly?: boolean;
  /** Where the name and its NETFILTER level come from ({@link Evidence}). */
  evidence?: Evidence[];
  /** Why that could not be proven; findings resting on it are at most info. */
  unverified?: string;
}

/** A name a list grammar knows from some version of each generation (FEATURES names, NETIF fields); see catalog/features.ts `knownAt`. */
export interface VersionedName {
  name: string;
  /** First classic vzctl version that knows the name (absent: no classic version). */
  classicSince?: string;
  /** Virtuozzo 7 knows the name (from `vz7Since` if given). */
  vz7?: boolean;
  /** First libvzctl version that knows the name (absent: every version). */
  vz7Since?: string;
  description: string;
  /** Where the name and its versions come from ({@link Evidence}). */
  evidence?: Evidence[];
  /** Why that could not be proven; findings resting on it are at most info. */
  unverified?: string;
}

/** Named items of list grammars (`schemas/vocabulary.yaml`). */
export interface Vocabulary {
  /** CAPABILITY names (matched case-insensitively), classic `src/lib/cap.c`. */
  capabilities: string[];
  /** FEATURES names per generation with the classic version that added them. */
  features: (VersionedName & {
    /** The feature makes the container use host-kernel code (reference §7): what it lets the container use. */
    hostKernel?: string;
  })[];
  /**
   * NETIF fields (`key=` of a comma-separated field) parse_netif_str() reads, per generation with the version
   * that added them (classic src/lib/config.c, libvzctl lib/veth.c); it skips any other field.
   */
  netifFields: VersionedName[];
  iptablesModules: IptablesModule[];
  netfilterModes: { name: string; description: string }[];
  /** Capabilities worth a warning when turned on. */
  dangerousCapabilities?: { name: string; grants: string }[];
}

/** Rule metadata of `schemas/rules/*.yaml`. The rule's id is public and never renamed. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  /** One paragraph: what the rule checks and why (our words). */
  description: string;
  /**
   * Severities some findings print instead of `severity` (an error where vzcfgvalidate reports one, info
   * for a line the target's own samples carry); the rules table shows them as `warning/error`.
   */
  alsoSeverities?: Severity[];
  /** Diagnostics carry the LSP Deprecated tag. */
  deprecatedTag?: boolean;
  /** Diagnostics carry the LSP Unnecessary tag (faded). */
  unnecessaryTag?: boolean;
  /** Some findings of the rule carry a quick fix. */
  fixable?: boolean;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** The whole loaded catalogue. */
export interface Catalog {
  parameters: ParameterDef[];
  kb: KbArticle[];
  vocabulary: Vocabulary;
  rules: RuleMeta[];
  /** Known versions per generation, oldest first. */
  versions: Record<Generation, string[]>;
  /** The version assumed when a target names only its generation (classic 4.11.1, vz7 7.0.737). */
  defaults: Record<Generation, string>;
  /** KB link template with `{id}`. */
  defaultUrlTemplate: string;
  /**
   * Virtuozzo 7+ vzctl version (`vzctl --version`: 7.0.254, 8.0.32, 9.0.1) → the libvzctl version
   * released with it, paired by tag date (schemas/vz7-vzctl.yaml; OpenVZ/vzctl and OpenVZ/libvzctl tags).
   */
  vz7VzctlToLibvzctl: Record<string, string>;
  /**
   * Keys the config samples upstream shipped carry, per generation: the first and last release (classic
   * vzctl version; vz7 libvzctl version) whose installed samples have them (schemas/shipped-sample-keys.yaml).
   */
  shippedSampleKeys: Record<Generation, Record<string, { from: string; to: string }>>;
}
