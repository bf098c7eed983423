import { asWritten, quote } from '../rules/text';
import { editDistance } from '../rules/util';
import type { CatalogIndex } from '../catalog/load';
import type { Generation, Grammar, ParameterDef, Range as NumRange, StatusEntry, Vocabulary } from '../catalog/types';
import { knownAt } from '../catalog/features';
import { compareVersions, inVersionRange } from '../model/version';
import { INT_MAX, LONG_MAX, parseSizedNumber, SIZE_SUFFIX, type NumberPart, type NumberReader } from './numbers';
import { asCInt, asCULong, scan } from './scanf';
import { isWholeNumber, readStrtoul } from './strtoul';

/**
 * A problem in a value, located by offsets within the value string as vzctl reads it.
 * - `invalid`: vzctl rejects the value ("invalid value for X, skipped"): the whole line is dropped;
 * - `unknown-item`: one item of a list is skipped with a warning, the rest of the line is kept
 *   (unknown FEATURES name, unknown IPTABLES module);
 * - `truncated`: vzctl clamps the number and says "too large value … truncated";
 * - `suspicious`: accepted, but almost certainly not what was meant.
 */
export interface ValueProblem {
  kind: 'invalid' | 'unknown-item' | 'truncated' | 'suspicious';
  message: string;
  start: number;
  end: number;
  /** The value as vzctl would accept it, when only the letter case is wrong (`Yes` → `yes`). */
  caseFix?: string;
  /**
   * A known word near the one refused (`ful` → `full`, `net_adm` → `net_admin`; {@link nearestWord}),
   * for a did-you-mean: it replaces the text from `start` to `end` (offered, never applied in bulk).
   */
  suggestion?: string;
  /**
   * The behaviour (schemas/behaviours.yaml) a finding of this problem states instead of its rule's, when a
   * fact of it holds for the target: `value-invalid-silent` (refused, nothing logged) for a value a
   * Virtuozzo 7 handler refuses with a bare 1 rather than VZCTL_E_INVAL (IOLIMIT, IOPSLIMIT, lib/io.c).
   * Without a fact for the target the rule's own behaviour is said.
   */
  says?: string;
  /**
   * What the target is left with when the value gives its reader nothing to store, as one clause that
   * follows the target's name (no final stop), shown by the effective view and the hover instead of the
   * value as written: Virtuozzo 7 IOPSLIMIT `""` (parse_iopslimit() tests a variable parse_ul() never set).
   */
  outcome?: string;
}

/**
 * The one word of `words` nearest to `word` for a did-you-mean, compared without letter case: at most
 * two edits away and fewer than half of `word`'s letters (so `ab` suggests nothing), and no other word
 * as near. Returned in `word`'s case when `word` is all lower or all upper case, else as listed.
 * Undefined when there is none.
 */
export function nearestWord(word: string, words: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const max = Math.min(2, Math.ceil(w.length / 2) - 1);
  if (max < 1) return undefined;
  let best: string | undefined;
  let bestD = max + 1;
  let tie = false;
  for (const candidate of words) {
    const d = editDistance(w, candidate.toLowerCase(), max);
    if (d < bestD) {
      best = candidate;
      bestD = d;
      tie = false;
    } else if (d === bestD && best !== undefined && candidate.toLowerCase() !== best.toLowerCase()) tie = true;
  }
  if (best === undefined || tie || bestD === 0) return undefined;
  return word === word.toLowerCase() ? best.toLowerCase() : word === word.toUpperCase() ? best.toUpperCase() : best;
}

/**
 * A did-you-mean for `word` among `names`, which vzctl compares case-sensitively and which are all lower case
 * (FEATURES names, NETIF fields), for a word of letters, digits and underscores only: the name itself when only the letter case is wrong (`NFS` → `nfs`), else
 * {@link nearestWord}'s, in lower case. Undefined when there is none.
 */
function nearestLowerName(word: string, names: readonly string[]): string | undefined {
  // A quote or other mark in the word (`'nfs`, classic keeping FEATURES' single quote) is no spelling slip:
  // renaming it would break the quoting.
  if (!/^\w+$/.test(word)) return undefined;
  const lower = word.toLowerCase();
  if (lower !== word && names.includes(lower)) return lower;
  return nearestWord(lower, names);
}

/** A UBC `barrier:limit` or quota `soft:hard` pair in the parameter's unit. */
export interface Pair {
  barrier: NumberPart;
  limit: NumberPart;
  /** `:limit` was omitted, so limit = barrier. */
  single: boolean;
}

export interface ValueCheck {
  problems: ValueProblem[];
  /** The decoded pair, for `ubc` and `quota` values that parsed. */
  pair?: Pair;
}

/** Everything a value check needs to know about the target. */
export interface ValueContext {
  generation: Generation;
  version: string;
  catalog: CatalogIndex;
}

/** The grammar that applies on a generation (a per-generation override wins). */
export function grammarOf(def: ParameterDef, generation: Generation): Grammar {
  return def[generation]?.grammar ?? def.grammar;
}

function valuesOf(def: ParameterDef, generation: Generation): string[] | undefined {
  return def[generation]?.values ?? def.values;
}

function rangeOf(def: ParameterDef, generation: Generation): NumRange | undefined {
  return def[generation]?.range ?? def.range;
}

/** Splits `text` on any of `seps`, keeping each token's offset. */
export function tokens(text: string, seps: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && seps.includes(text[i] as string)) i += 1;
    const s = i;
    while (i < text.length && !seps.includes(text[i] as string)) i += 1;
    if (i > s) out.push({ text: text.slice(s, i), start: s, end: i });
  }
  return out;
}

const whole = (value: string) => ({ start: 0, end: value.length });

/**
 * What the target's UBC/quota number reader accepts (classic src/lib/config.c at each tag; libvzctl
 * lib/util.c accepts all of it at every tag): `unlimited` in UBC values since vzctl 3.0.19
 * (`parse_ul_sfx()` learns the word at tag vzctl-3.0.19, absent at vzctl-3.0.18), in DISKSPACE/DISKINODES
 * from 3.0.19 to 4.3.1: commit 9bd35704 "Deny "unlimited" value for DISKSPACE/DISKINODES" (2013-06-14),
 * first in tag vzctl-4.4, not in vzctl-4.3.1; size suffixes in UBC values since 2.7.0-28 and in quota
 * values since 3.0.9; fractions since 3.0.28.
 */
export function readerOf(def: ParameterDef, ctx: Pick<ValueContext, 'generation' | 'version'>): NumberReader {
  if (ctx.generation === 'vz7') return { unlimited: true, suffix: true, fraction: true };
  const at = (v: string): boolean => compareVersions(ctx.version, v) >= 0;
  const quota = grammarOf(def, 'classic') === 'quota';
  const reader: NumberReader = {
    unlimited: at('3.0.19') && !(quota && at('4.4')),
    suffix: quota ? at('3.0.9') : true,
    fraction: at('3.0.28'),
  };
  if (!at('3.0.19')) reader.unlimitedRefused = '"unlimited" is read only from vzctl 3.0.19 on (before, it is not a number)';
  else if (!reader.unlimited) {
    reader.unlimitedRefused = '"unlimited" is refused in disk quotas since vzctl 4.4 (vzctl 3.0.19 to 4.3.1 read it as LONG_MAX; ' +
      'for no disk limit on a simfs container, set DISK_QUOTA=no; a ploop image needs a size)';
  }
  return reader;
}

/**
 * Decodes a `barrier[:limit]` pair (UBC) or `soft[:hard]` pair (disk quota) the way the target's
 * vzctl reads it: an empty value is 0:0 and an empty part after the colon is 0 (`NUMPROC="240:"` is
 * 240:0), leading blanks and a `+` are skipped (see `parseSizedNumber`).
 * @returns the pair, or the problems that make vzctl reject it
 */
export function parsePair(def: ParameterDef, value: string, ctx: ValueContext): ValueCheck {
  const problems: ValueProblem[] = [];
  const parts = value.split(':');
  if (parts.length > 2) {
    return { problems: [{ kind: 'invalid', message: `expected barrier[:limit], found ${parts.length} colon-separated parts`, ...whole(value) }] };
  }
  const reader = readerOf(def, ctx);
  const decoded: NumberPart[] = [];
  let offset = 0;
  for (const p of parts) {
    const r = parseSizedNumber(p, offset, def.unit, ctx.generation, true, reader);
    if (!r.ok) problems.push({ kind: 'invalid', message: r.message, start: offset, end: offset + p.length });
    else {
      decoded.push(r.part);
      if (r.part.truncated) {
        const message = p.trimStart().startsWith('-')
          ? `${quote(p)} is negative: vzctl reads it as a huge unsigned number and clamps it to LONG_MAX (unlimited)`
          : `${quote(p)} is larger than vzctl's maximum (LONG_MAX); vzctl truncates it`;
        problems.push({ kind: 'truncated', message, start: offset, end: offset + p.length });
      }
    }
    offset += p.length + 1;
  }
  if (problems.some((p) => p.kind === 'invalid')) return { problems };
  if (value === '') problems.push({ kind: 'suspicious', message: 'the value is empty: vzctl reads it as 0:0', ...whole(value) });
  else if (parts.length === 2 && parts[1] === '') problems.push({ kind: 'suspicious', message: `nothing after the colon: vzctl reads the limit as 0 (${(parts[0] as string).trim()}:0)`, ...whole(value) });
  const barrier = decoded[0] as NumberPart;
  const limit = decoded[1] ?? barrier;
  return { problems, pair: { barrier, limit, single: decoded.length === 1 } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `inet_pton(AF_INET6)`-like check: hex groups, one `::`, optional trailing dotted IPv4. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  const dbl = text.split('::');
  if (dbl.length > 2) return false;
  let groups = 0;
  const parts = dbl.flatMap((half) => (half === '' ? [] : half.split(':')));
  for (let i = 0; i < parts.length; i += 1) {
    const g = parts[i] as string;
    if (i === parts.length - 1 && g.includes('.')) {
      if (!IPV4.test(g)) return false;
      groups += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) groups += 1;
    else return false;
  }
  return dbl.length === 2 ? groups < 8 : groups === 8;
}

/**
 * Checks one IP_ADDRESS item: `addr[/prefix]`.
 * - classic from vzctl 3.0.29 (canon_ip(), src/lib/util.c): the prefix is read by parse_int() (strtol over
 *   the whole text: blanks and a sign allowed, an empty prefix is 0) and must be 0..32 or 0..128;
 *   before 3.0.29 parse_ip() hands the whole item to inet_pton(), so any `/` makes it invalid
 *   (src/lib/config.c @ vzctl-3.0.28);
 * - Virtuozzo 7 (parse_ip(), lib/util.c @ v7.0.42..v8.0.90): a dotted IPv4 mask, or parse_int() (not empty)
 *   of at most 128 for either family.
 */
function checkIp(item: string, generation: Generation, version: string): string | undefined {
  const slash = item.indexOf('/');
  const addr = slash < 0 ? item : item.slice(0, slash);
  const prefix = slash < 0 ? undefined : item.slice(slash + 1);
  const v6 = addr.includes(':');
  if (v6 ? !isIPv6(addr) : !IPV4.test(addr)) return `${quote(addr)} is not a valid IPv${v6 ? 6 : 4} address`;
  if (prefix === undefined) return undefined;
  if (generation === 'classic' && compareVersions(version, '3.0.29') < 0) return `vzctl ${version} takes no /prefix (from vzctl 3.0.29 on)`;
  if (!v6 && generation === 'vz7' && IPV4.test(prefix)) return undefined;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(prefix);
  if (m || (prefix === '' && generation === 'classic')) {
    const n = m ? Number(m[1]) : 0;
    const max = generation === 'vz7' ? 128 : v6 ? 128 : 32;
    if (n < 0 || n > max) return `prefix ${asWritten(`/${prefix}`)} is out of range (0..${max})`;
    return undefined;
  }
  return generation === 'classic' && !v6 && IPV4.test(prefix)
    ? `classic vzctl takes only a CIDR prefix (e.g. /24), not a dotted mask ${quote(prefix)}`
    : `${quote(`/${prefix}`)} is not a valid prefix`;
}

/** A UUID as libvzctl's get_normalized_uuid() reads it (lib/util.c @ v7.0.737): 8-4-4-4-12 hex digits, optionally in braces, or 32 hex digits. */
const CTID_UUID = /^(?:\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?|[0-9A-Fa-f]{32})$/;

/** The NETIF fields the target reads (vocabulary `netifFields`), per catalogue, generation and version: the last one asked. */
let netifFieldsAsked: { vocabulary: Vocabulary; generation: Generation; version: string; names: readonly string[] } | undefined;

/** The NETIF field names `generation` at `version` reads (schemas/vocabulary.yaml `netifFields`). */
function netifFieldsAt(vocabulary: Vocabulary, generation: Generation, version: string): readonly string[] {
  const last = netifFieldsAsked;
  if (last && last.vocabulary === vocabulary && last.generation === generation && last.version === version) return last.names;
  const names = vocabulary.netifFields.filter((f) => knownAt(f, generation, version)).map((f) => f.name);
  netifFieldsAsked = { vocabulary, generation, version, names };
  return names;
}

/** Whether a status entry in effect at `version` says the reader takes any value (a loop: no closure per value checked). */
function unreadAt(status: readonly StatusEntry[], version: string): boolean {
  for (let i = 0; i < status.length; i += 1) {
    const s = status[i] as StatusEntry;
    if (s.unread === true && inVersionRange(version, s.from, s.until)) return true;
  }
  return false;
}

/**
 * Checks a value against its parameter's grammar as the target's vzctl parses it
 * (grammars: reference §2; classic `src/lib/config.c`, libvzctl `lib/env_config.c`), as far as the
 * target's reader looks at it:
 * - a key whose reader takes any value (catalogue status `unread` in effect, handling `sample`) gets no check;
 * - a key vzctl does not read itself (handling `ignored`: in its table as known but ignored; `script`: read
 *   only by the init and network scripts) cannot be refused by vzctl: a value outside the grammar the
 *   scripts compare with is `suspicious`, not `invalid`;
 * - a key whose reader refuses no value (`refusedSilently`: classic LOCAL_UID/GID, Virtuozzo 7 keys outside
 *   libvzctl's config table) likewise.
 * Pure; never throws.
 */
export function checkValue(def: ParameterDef, value: string, ctx: ValueContext): ValueCheck {
  const info = def[ctx.generation];
  if (info?.handling === 'sample' || (info?.status !== undefined && unreadAt(info.status, ctx.version))) return { problems: [] };
  const check = checkGrammar(def, value, ctx);
  if (check.problems.length === 0) return check;
  const tool = ctx.generation === 'vz7' ? 'libvzctl' : 'vzctl';
  const why = info?.handling === 'ignored' || info?.handling === 'script' ? `${tool} itself does not read ${def.name}, only its scripts do`
    : info?.refusedSilently ? `${tool} refuses nothing here, but does not read it as meant` : undefined;
  if (why === undefined || !check.problems.some((p) => p.kind === 'invalid')) return check;
  return { ...check, problems: check.problems.map((p) => (p.kind === 'invalid' ? { ...p, kind: 'suspicious' as const, message: `${p.message}; ${why}` } : p)) };
}

/**
 * Whether vzctl refuses the value a check is of (it has an `invalid` problem: the handler rejects the line).
 * A loop, no closure: asked for every checked line of every file.
 */
export function refuses(check: ValueCheck): boolean {
  const problems = check.problems;
  for (let i = 0; i < problems.length; i += 1) if ((problems[i] as ValueProblem).kind === 'invalid') return true;
  return false;
}

/** The check of a value without problems: one object for all (shared: never modify it). */
const NO_PROBLEM: ValueCheck = { problems: [] };

/** The check of a value vzctl refuses, `start`..`end` in it (the whole value by default). */
function refuse(value: string, message: string, start = 0, end = value.length): ValueCheck {
  return { problems: [{ kind: 'invalid', message, start, end }] };
}

/** {@link checkValue} without the reader's exceptions: the value against the grammar alone. */
function checkGrammar(def: ParameterDef, value: string, ctx: ValueContext): ValueCheck {
  const grammar = grammarOf(def, ctx.generation);
  const gen = ctx.generation;
  switch (grammar) {
    case 'ubc':
    case 'quota':
      return parsePair(def, value, ctx);
    case 'yesno':
    case 'enum': {
      const allowed = valuesOf(def, gen) ?? ['yes', 'no'];
      if (allowed.includes(value)) return NO_PROBLEM;
      const ci = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
      if (ci) return { problems: [{ kind: 'invalid', message: `${quote(value)} must be written ${quote(ci)} (vzctl compares case-sensitively)`, start: 0, end: value.length, caseFix: ci }] };
      const near = nearestWord(value, allowed);
      const refused = refuse(value, `${quote(value)} is not one of ${allowed.map((a) => `${quote(a)}`).join(', ')}`);
      if (near !== undefined) (refused.problems[0] as ValueProblem).suggestion = near;
      return refused;
    }
    case 'integer': {
      const reader = def[gen]?.reader;
      // (The reader is catalogue data: schemas/parameters.yaml names parse_iopslimit for Virtuozzo 7 IOPSLIMIT.)
      if (reader?.fn === 'parse_iopslimit') return checkVz7Iopslimit(value);
      if (reader) return readInteger(def, value, ctx, reader.fn);
      // strtoul()/strtol() as vzctl's parse_ul/parse_int call them: leading blanks and a sign are
      // skipped and an empty value reads as 0; the keys classic reads with parse_ul() also take
      // "unlimited" since 3.0.19 (the parameter's `unlimited` fact in schemas/parameters.yaml).
      const acceptsUnlimited = def[gen]?.unlimited;
      const unl = value === 'unlimited' && acceptsUnlimited !== undefined && compareVersions(ctx.version, acceptsUnlimited.since) >= 0;
      const read = readStrtoul(value);
      const whole = isWholeNumber(read);
      if (!whole && !unl && value !== '') return refuse(value, `${quote(value)} is not a whole number`);
      const r = rangeOf(def, gen);
      const n = unl ? Number(LONG_MAX) : whole ? Number(read.signed) : 0;
      if (r && ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max))) {
        return refuse(value, `${asWritten(value)} is outside ${r.min ?? '…'}..${r.max ?? '…'}`);
      }
      return NO_PROBLEM;
    }
    case 'ctid': {
      // Virtuozzo 7 VEID: what vzctl2_parse_ctid() takes (get_cid_uuid_pair() and get_normalized_uuid(),
      // lib/env.c and lib/util.c @ v7.0.42..v8.0.90): a UUID, optionally in braces, 32 hex digits, or
      // the legacy numeric ID as parse_int() reads it (strtol() over the whole text, 0..INT_MAX).
      if (CTID_UUID.test(value)) return NO_PROBLEM;
      const id = readStrtoul(value);
      if (isWholeNumber(id)) {
        const n = Number(id.signed);
        return n >= 0 && n <= 2147483647 ? NO_PROBLEM : refuse(value, `${asWritten(value)} is outside 0..2147483647`);
      }
      return refuse(value, `${quote(value)} is not a UUID or a whole number`);
    }
    case 'float':
      // VM_OVERCOMMIT: sscanf(value, "%f") must read a number (classic conf_parse_float(), src/lib/config.c
      // @ vzctl-4.6..4.11.1; libvzctl add_env_param(), lib/env_config.c @ v7.0.42..v8.0.90): leading
      // blanks, a sign, an exponent, inf/nan, hexadecimal, and anything after the number are accepted.
      if (!/^[ \t\n\v\f\r]*[+-]?(\d|\.\d|inf|nan)/i.test(value)) return refuse(value, `${quote(value)} is not a number`);
      return NO_PROBLEM;
    case 'name':
      // check_name(): letters, digits, space, '-', '+', '_', '.'.
      for (let i = 0; i < value.length; i += 1) {
        if (!/[A-Za-z0-9 \-+_.]/.test(value[i] as string)) return refuse(value, `character ${quote(value[i])} is not allowed in NAME (letters, digits, space, - + _ .)`, i, i + 1);
      }
      return NO_PROBLEM;
    case 'ip-list': {
      // libvzctl splits on LIST_DELIMITERS (blank, tab and comma; lib/vztypes.h at v7.0.42 and v7.0.737).
      for (const t of tokens(value, gen === 'vz7' ? ' \t,' : ' \t')) {
        const msg = checkIp(t.text, gen, ctx.version);
        if (msg) return refuse(value, msg, t.start, t.end);
      }
      return NO_PROBLEM;
    }
    case 'netdev-list': {
      // classic add_netdev() splits on blanks, libvzctl parse_netdev() on LIST_DELIMITERS (lib/net.c @ v7.0.737).
      for (const t of tokens(value, gen === 'vz7' ? ' \t,' : ' \t')) {
        if (/^(venet|tun|tap|lo)/.test(t.text)) return refuse(value, `${quote(t.text)}: devices named venet*, tun*, tap* or lo* cannot be moved into a container`, t.start, t.end);
      }
      return NO_PROBLEM;
    }
    case 'features':
      return checkOnOffList(value, ctx, 'features');
    case 'capability':
      return checkOnOffList(value, ctx, 'capability');
    case 'iptables-modules': {
      if (gen === 'vz7') return NO_PROBLEM;
      const problems: ValueProblem[] = [];
      for (const t of tokens(value, ' \t,')) {
        if (!ctx.catalog.iptablesModule(t.text)) {
          problems.push({ kind: 'unknown-item', message: `vzctl does not know the iptables module ${quote(t.text)} and skips it${/^ip6|MASQUERADE/.test(t.text) ? ' (it belongs in IPTABLES_MODULES / IP6TABLES of vz.conf, which load host modules)' : ''}`, start: t.start, end: t.end });
        }
      }
      return problems.length === 0 ? NO_PROBLEM : { problems };
    }
    case 'devices':
      return checkDevices(value, gen, ctx.version);
    case 'devnodes': {
      // classic parse_devnodes_str() (src/lib/config.c @ vzctl-4.11.1): items split on spaces, the name is
      // what comes before the last ':'; libvzctl (lib/dev.c @ v7.0.737): LIST_DELIMITERS, the first ':'.
      // The permissions go to parse_dev_perm(): "none", or only r, w and q (an empty one sets none). Whether
      // /dev/NAME exists is the host's business (stat() at parse time): never reported.
      for (const t of tokens(value, gen === 'vz7' ? ' \t,' : ' ')) {
        const colon = gen === 'vz7' ? t.text.indexOf(':') : t.text.lastIndexOf(':');
        if (colon < 0) return refuse(value, `${quote(t.text)} is not device:perm`, t.start, t.end);
        const perm = t.text.slice(colon + 1);
        if (perm !== 'none' && !/^[rwq]*$/.test(perm)) return refuse(value, `permissions ${quote(perm)} must be a combination of r, w, q, or "none"`, t.start, t.end);
      }
      return NO_PROBLEM;
    }
    case 'pci': {
      // classic parse_pci() splits on blanks only, libvzctl parse_pcidev() on LIST_DELIMITERS (lib/vztypes.h).
      for (const t of tokens(value, gen === 'vz7' ? ' \t,' : ' ')) {
        if (!pciAccepted(t.text)) return refuse(value, `${quote(t.text)} is not a PCI address [domain:]bus:slot.func`, t.start, t.end);
      }
      return NO_PROBLEM;
    }
    case 'netif':
      return checkNetif(value, gen, ctx.version, netifFieldsAt(ctx.catalog.catalog.vocabulary, gen, ctx.version));
    case 'meminfo':
      return checkMeminfo(value);
    case 've-layout': {
      if (value === 'simfs' || value === 'ploop' || value === 'ploop:expanded' || value === 'ploop:plain') return NO_PROBLEM;
      if (value === 'ploop:raw') return { problems: [{ kind: 'suspicious', message: 'the raw ploop format is neither recommended nor supported by vzctl', ...whole(value) }] };
      return refuse(value, `${quote(value)} is not simfs, ploop or ploop:expanded|plain|raw`);
    }
    case 'cpulimit':
      return checkCpulimit(def.name, value, gen, ctx.version);
    case 'cpumask': {
      if (value === 'all' || (value === 'auto' && def.name === 'CPUMASK')) return NO_PROBLEM;
      // bitmap_parse(): CPUMASK_NBITS is 1024 before vzctl 4.8 and 4096 from it (include/cpu.h @ vzctl-4.7,
      // vzctl-4.8); libvzctl VZCTL_MAX_NCPU / VZCTL_MAX_NNODE 4096 (include/libvzctl.h @ v7.0.42..v8.0.90).
      const bits = gen === 'classic' && compareVersions(ctx.version, '4.8') < 0 ? 1024 : 4096;
      return checkBitmap(value, gen, ctx.version, bits);
    }
    case 'iolimit': {
      if (value === 'unlimited') return NO_PROBLEM;
      if (gen === 'classic') return checkClassicIolimit(value);
      return checkVz7Iolimit(value);
    }
    case 'neighbour-devs': {
      // The network scripts read it (scripts/vps-functions.in vz_get_neighbour_devs): empty means all.
      if (value === '' || value === 'all' || value === 'detect') return NO_PROBLEM;
      if (value.startsWith('list:')) {
        if (gen === 'classic' && compareVersions(ctx.version, '4.9') < 0) return refuse(value, 'the list: form needs vzctl 4.9 or newer');
        return NO_PROBLEM;
      }
      return refuse(value, `${quote(value)} is not all, detect or list:dev1 dev2`);
    }
    case 'word-list': {
      // "inherit" (copy the node's resolv.conf) came with vzctl 4.4 and libvzctl 7.0.431
      // (src/lib/vps_configure.c at vzctl-4.4; lib/env_configure.c at v7.0.431); before, it is a plain word.
      const problems: ValueProblem[] = [];
      const first = tokens(value, ' \t')[0];
      const since = gen === 'classic' ? '4.4' : '7.0.431';
      if ((def.name === 'NAMESERVER' || def.name === 'SEARCHDOMAIN') && first?.text === 'inherit' && compareVersions(ctx.version, since) < 0) {
        const what = def.name === 'NAMESERVER' ? 'a name server' : 'a search domain';
        problems.push({ kind: 'suspicious', message: `"inherit" needs ${gen === 'classic' ? 'vzctl' : 'libvzctl'} ${since}; before, it is written into resolv.conf as ${what}`, start: first.start, end: first.end });
      }
      return problems.length === 0 ? NO_PROBLEM : { problems };
    }
    case 'string':
    case 'path':
    case 'module-list':
      return NO_PROBLEM;
  }
}

/**
 * One PCI item as vzctl reads it: `sscanf(item, "%x:%x:%x.%d")` must fill 4 fields, or else
 * `sscanf(item, "%x:%x.%d")` 3 (classic parse_pci(), src/lib/config.c, the same from vzctl-3.0.25 to
 * 4.11.1; libvzctl parse_pcidev_str(), lib/dev.c, the same from v7.0.42 to v8.0.90). So blanks before a
 * number, a sign, a `0x` prefix and anything after the function number are accepted (`00:01.0junk` is
 * device 0000:00:01.0); `00:01`, `1:2:3`, `1:2:3.` and a non-decimal function (`00:01.x`) are refused.
 * libvzctl then also needs /sys/bus/pci/devices/<device> on the host, which no config check can see.
 */
export function pciAccepted(item: string): boolean {
  return scan(item, '%x:%x:%x.%d').length === 4 || scan(item, '%x:%x.%d').length === 3;
}

const ULONG_MAX = 18446744073709551615n;

/**
 * A CPUMASK / NODEMASK list as bitmap_parse() reads it (classic src/lib/bitmap.c @ vzctl-3.0.26..4.11.1;
 * libvzctl lib/bitmap.c bitmap_parse() @ v7.0.42, vzctl2_bitmap_parse() @ v7.0.326..v8.0.90): items
 * `N` or `N-M` separated by one comma, each starting with a digit (parse_range() refuses anything else,
 * so an empty item, `0,,1` or `,0`, is refused); one comma may end the list. Each number is read by
 * strtol() into an `int` (classic, and libvzctl before 7.0.326: a huge number is cut to 32 bits, taken
 * silently) or by strtoul() into an `unsigned long` refused on ERANGE (libvzctl from 7.0.326); the high
 * end must be below `bits` and the low end not above it. An empty value is refused by classic
 * (bitmap_parse("") fails) and means every CPU to libvzctl.
 */
function checkBitmap(value: string, gen: Generation, version: string, bits: number): ValueCheck {
  const bad = (message: string, start: number, end: number): ValueCheck => ({ problems: [{ kind: 'invalid', message, start, end }] });
  if (value === '') return gen === 'vz7' ? { problems: [] } : bad('the value is empty (write "all" for every CPU or node)', 0, 0);
  const wide = gen === 'vz7' && compareVersions(version, '7.0.326') >= 0;
  const read = (digits: string): bigint | undefined => {
    const n = BigInt(digits);
    if (wide) return n > ULONG_MAX ? undefined : n;
    return BigInt(asCInt(n));
  };
  const items = value.split(',');
  let at = 0;
  for (const [i, item] of items.entries()) {
    const start = at;
    at += item.length + 1;
    if (item === '' && i === items.length - 1 && i > 0) break;
    if (item === '') return bad(i === 0 ? 'the list starts with a comma' : 'an empty item between two commas', Math.max(0, start - 1), Math.min(value.length, start + 1));
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) return bad(`${quote(item)} is not a number or a range like 0-3`, start, start + item.length);
    const lo = read(m[1] ?? '0');
    const hi = m[2] !== undefined ? read(m[2]) : lo;
    if (lo === undefined || hi === undefined) return bad(`${quote(item)} is beyond what strtoul() reads (ERANGE)`, start, start + item.length);
    if (hi >= BigInt(bits) || lo > hi) return bad(`${quote(item)} is outside 0..${bits - 1} or reversed`, start, start + item.length);
  }
  return { problems: [] };
}
const LONG_MIN = -9223372036854775808n;
const INT_MIN = -2147483648n;

/**
 * An integer key as the target reads it with the C function its catalogue `reader` fact names
 * (GenerationInfo.reader; values and versions there): classic `parse_ul()` / `parse_int()` (vzctl
 * src/lib/util.c, changed at 3.0.29 by commit bc67e660) or Virtuozzo 7 `parse_ul()` (libvzctl lib/util.c
 * @ v7.0.42, lib/common.c @ v7.0.737..v8.0.90). The number it stores is then held against the key's range
 * (e.g. CPUUNITS 8..500000, Virtuozzo 7 HA_PRIO at most UINT_MAX, MAXHAPRIO in lib/env.h). A value it
 * refuses is `invalid`, naming the number stored when it differs from the one written; one it takes
 * silently, even stored as another number (a negative one wrapped to a huge unsigned one; before 3.0.29,
 * one cut to 32 bits), is no problem: the reader neither refuses nor warns.
 */
function readInteger(def: ParameterDef, value: string, ctx: ValueContext, fn: 'parse_ul' | 'parse_int'): ValueCheck {
  const gen = ctx.generation;
  const problem = (kind: ValueProblem['kind'], message: string): ValueCheck => ({ problems: [{ kind, message, ...whole(value) }] });
  const old = gen === 'classic' && compareVersions(ctx.version, '3.0.29') < 0;
  let stored: bigint;
  /** The number as written (with its sign), when the value is one. */
  let written: bigint | undefined;
  const unlimited = def.classic?.unlimited;
  if (fn === 'parse_ul' && gen === 'classic' && value === 'unlimited' && unlimited !== undefined && compareVersions(ctx.version, unlimited.since) >= 0) {
    stored = LONG_MAX;
  } else if (value === '') {
    // strtoul()/strtol() convert nothing and stop at the end: classic takes 0; libvzctl refuses it first.
    if (gen === 'vz7') return problem('invalid', 'the value is empty; libvzctl reads no number from it');
    stored = 0n;
  } else {
    const read = readStrtoul(value);
    if (!isWholeNumber(read)) return problem('invalid', `${quote(value)} is not a whole number`);
    const n = read.signed;
    written = n;
    if (fn === 'parse_ul') {
      if (read.erange) return problem('invalid', `${asWritten(value)} is beyond what strtoul() reads (ERANGE)`);
      const res = BigInt.asUintN(64, n);
      if (old) stored = BigInt.asUintN(64, BigInt.asIntN(32, res));
      else if (gen === 'classic' && res > LONG_MAX) {
        return problem('invalid', n < 0n ? `${asWritten(value)} is negative (vzctl reads an unsigned number here)` : `${asWritten(value)} is above LONG_MAX (9223372036854775807)`);
      } else stored = res;
    } else {
      if (n > LONG_MAX || n < LONG_MIN) return problem('invalid', `${asWritten(value)} is beyond what strtol() reads (ERANGE)`);
      if (old) stored = BigInt.asIntN(32, n);
      else if (n > INT_MAX || (gen === 'classic' && n < INT_MIN)) return problem('invalid', `${asWritten(value)} is outside INT_MIN..INT_MAX`);
      else stored = gen === 'vz7' ? BigInt.asIntN(32, n) : n;
    }
  }
  const r = rangeOf(def, gen);
  const changed = written !== undefined && stored !== written;
  if (r && ((r.min !== undefined && stored < BigInt(r.min)) || (r.max !== undefined && stored > BigInt(r.max)))) {
    const where = r.min === undefined ? `above ${r.max}` : r.max === undefined ? `below ${r.min}` : `outside ${r.min}..${r.max}`;
    return problem('invalid', value === '' ? `the empty value reads as 0, ${where}` : changed ? `${asWritten(value)} is read as ${stored}, ${where}` : `${asWritten(value)} is ${where}`);
  }
  // A number stored otherwise than written (a negative one wrapped, one cut to 32 bits before 3.0.29) is
  // taken without a word, so nothing is said here.
  return { problems: [] };
}

const UINT_MAX = 4294967295n;
/**
 * Virtuozzo 7 IOLIMIT as parse_iolimit() reads it from a config (lib/io.c @ v7.0.42..v8.0.90, called with
 * def_mul 1 by add_env_param(), lib/env_config.c): `unlimited` is 0; else strtoull() (blanks, a sign —
 * a negative number wraps —, digits; no digits reads 0). Then, if text is left, only its first character is
 * looked at: one of b/k/m/g/t (any case, get_mul(), lib/util.c) multiplies (modulo 2^64), anything else
 * makes the handler return 1 — not VZCTL_E_INVAL, so nothing is logged and the config is refused
 * (behaviour `value-invalid-silent`, at every tag). ERANGE and a result above UINT_MAX return 1 up to
 * 7.0.529 and VZCTL_E_INVAL (logged) from 7.0.530 (commit d2d1090; behaviour `value-range-silent` before).
 * So an empty value is 0 (no limit), `bogus` is 0 ("b" is the byte unit) and `10kfoo` is 10k: warnings.
 * The limit is stored as an unsigned int (up to UINT_MAX, nothing cut above INT_MAX).
 */
function checkVz7Iolimit(value: string): ValueCheck {
  if (value === 'unlimited') return { problems: [] };
  const problem = (kind: ValueProblem['kind'], message: string, says?: string): ValueCheck => ({ problems: [{ kind, message, ...whole(value), ...(says !== undefined ? { says } : {}) }] });
  const r = readStrtoul(value);
  if (r.erange) return problem('invalid', `${asWritten(value, 16)} overflows strtoull() (ERANGE)`, 'value-range-silent');
  let n = r.unsigned;
  const unit = r.tail[0];
  if (unit !== undefined) {
    const mul = SIZE_SUFFIX[unit.toUpperCase()];
    if (mul === undefined || !/[bkmgt]/i.test(unit)) return problem('invalid', `${quote(value)} is not a rate in bytes/s (a number and one of b/k/m/g/t, or "unlimited")`, 'value-invalid-silent');
    n = BigInt.asUintN(64, n * mul);
  }
  if (n > UINT_MAX) return problem('invalid', r.negative ? `${asWritten(value, 16)} wraps to a rate above UINT_MAX` : `${asWritten(value, 16)} is above UINT_MAX (4294967295) bytes/s`, 'value-range-silent');
  if (value === '') return problem('suspicious', 'the empty value reads as 0, no limit');
  if (r.digits === '') return problem('suspicious', `${quote(value)} reads as 0, no limit (libvzctl takes its first letter as the unit)`);
  if (unit !== undefined && r.tail.length > 1) return problem('suspicious', `${quote(value)} reads as ${n} bytes/s (libvzctl ignores the text after the unit)`);
  if (unit !== undefined && n !== r.magnitude * (SIZE_SUFFIX[unit.toUpperCase()] ?? 1n)) return problem('suspicious', `${quote(value)} overflows and reads as ${n} bytes/s${n === 0n ? ', no limit' : ''}`);
  return { problems: [] };
}

/**
 * What libvzctl does with an empty IOPSLIMIT (lib/io.c parse_iopslimit() and parse_ul(), lib/util.c @
 * v7.0.42, lib/common.c @ v7.0.737..v8.0.90, unchanged): parse_ul() returns 1 before it stores a number;
 * parse_iopslimit() then returns VZCTL_E_INVAL when the unset variable is above UINT_MAX, else stores it
 * and returns that 1. Both are errors to vzctl_update_env_param(), so as built the config is refused; only
 * whether "Invalid parameter" is logged hangs on the unset variable.
 */
const IOPSLIMIT_EMPTY = 'reads no number from the empty value and then tests a variable it never set; both of its branches return an error, so the config is refused, logged or not by chance (parse_iopslimit(), lib/io.c @ v7.0.42..v8.0.90)';

/**
 * Virtuozzo 7 IOPSLIMIT as parse_iopslimit() reads it (lib/io.c @ v7.0.42..v8.0.90, unchanged): `unlimited`
 * is 0; else parse_ul() (strtoul(): blanks, a sign — a negative number wraps —, digits; it stores what it
 * read and returns 1 when text is left or on ERANGE, then storing ULONG_MAX). A number above UINT_MAX is
 * refused with VZCTL_E_INVAL ("Invalid parameter" logged), whatever follows it; otherwise parse_ul()'s 1
 * is returned as it is: refused without a message (behaviour `value-invalid-silent`). An empty value makes
 * parse_ul() return before it stores anything, and parse_iopslimit() then compares an uninitialised
 * variable: what happens is undefined, so it is only a warning that claims nothing about libvzctl.
 */
function checkVz7Iopslimit(value: string): ValueCheck {
  if (value === 'unlimited') return { problems: [] };
  const problem = (kind: ValueProblem['kind'], message: string, says?: string): ValueCheck => ({ problems: [{ kind, message, ...whole(value), ...(says !== undefined ? { says } : {}) }] });
  if (value === '') return { problems: [{ kind: 'suspicious', message: 'the value is empty: parse_iopslimit() then reads a number it never set (undefined)', ...whole(value), outcome: IOPSLIMIT_EMPTY }] };
  const r = readStrtoul(value);
  if (r.erange) return problem('invalid', `${asWritten(value, 16)} overflows strtoul() (ERANGE)`);
  if (r.unsigned > UINT_MAX) {
    if (r.negative) return problem('invalid', `${asWritten(value)} wraps to ${r.unsigned}, above UINT_MAX`);
    return problem('invalid', r.tail === '' ? `${asWritten(value)} is above UINT_MAX (4294967295)` : `${quote(value)} reads as ${r.unsigned}, above UINT_MAX`);
  }
  if (r.tail !== '') return problem('invalid', `${quote(value)} is not a whole number`, 'value-invalid-silent');
  return { problems: [] };
}

/** Device permissions as parse_dev_perm() reads them: "none", or only r, w and q (none empty). */
function devPermOk(perm: string): boolean {
  return perm === 'none' || /^[rwq]+$/.test(perm);
}

/**
 * CPULIMIT (and Virtuozzo 7 CPULIMIT_MHZ) as the target's parse_cpulimit() reads it: `strtoul()` (blanks and
 * a sign before the digits; a negative number wraps around; no digits read as 0 with the whole text left),
 * then:
 * - classic (src/lib/config.c @ vzctl-3.0.9..4.11.1): nothing, or `%` with at most 100 (the number passes
 *   through an `int` first, so a negative one is far above 100); a number strtoul() cannot hold is refused
 *   without `%`. Before 3.0.9 parse_ul() took only a number (no `%`; src/lib/config.c @ vzctl-3.0.0-8);
 * - Virtuozzo 7 (lib/cpu.c @ v7.0.42..v8.0.90): nothing, `%`, `m` or `mhz` (any case); CPULIMIT_MHZ takes
 *   any text after the number. A number strtoul() cannot hold is refused, and before 7.0.465 one above
 *   INT_MAX too (commit 14d1b5ca, so a negative number there).
 */
function checkCpulimit(name: string, value: string, gen: Generation, version: string): ValueCheck {
  const bad = (message: string): ValueCheck => ({ problems: [{ kind: 'invalid', message, ...whole(value) }] });
  const r = readStrtoul(value);
  const { tail, erange, unsigned: n } = r;
  const digits = r.digits !== '';
  if (gen === 'vz7') {
    if (erange || (compareVersions(version, '7.0.465') < 0 && n > INT_MAX)) return bad(`${quote(value)} is beyond what libvzctl reads as a CPU limit`);
    if (name === 'CPULIMIT_MHZ' || tail === '' || tail === '%' || /^m(hz)?$/i.test(tail)) return { problems: [] };
    return bad(`${quote(value)} is not N, N%, Nm or NMHz`);
  }
  if (/^(m|MHz)$/.test(tail) && digits) return bad('classic vzctl takes CPULIMIT in percent only');
  if (tail === '%' && digits && compareVersions(version, '3.0.9') < 0) return bad('the N% form of CPULIMIT needs vzctl 3.0.9 or newer');
  if (tail === '%' && compareVersions(version, '3.0.9') >= 0) {
    // (unsigned long)(int)strtoul(): the low 32 bits as a signed int, then widened.
    if (BigInt.asIntN(32, n) < 0n || BigInt.asIntN(32, n) > 100n) return bad('with %, CPULIMIT must be at most 100 (it is multiplied by the number of CPUs)');
    return { problems: [] };
  }
  if (tail !== '' || erange) return bad(`${quote(value)} is not N or N%`);
  return { problems: [] };
}

/**
 * DEVICES as the target reads it, item by item (classic splits on spaces only, libvzctl on LIST_DELIMITERS):
 * - classic from vzctl 3.0.29 (parse_devices_str(), src/lib/config.c @ vzctl-3.0.29..4.11.1):
 *   `sscanf("%c:%d:%15[^:]:%5s")` must fill 4 fields; major 7 (loop) is refused (dev_major_denied()); the
 *   type is `b` or `c`; the minor `all` or parse_int() (a whole int); the permissions (the first 5 non-blank
 *   characters, the rest ignored) `none` or only r, w, q;
 * - classic before 3.0.29 (src/lib/config.c @ vzctl.open-2.7.0-23..vzctl-3.0.28): `sscanf("%1[^:]:%lu:
 *   %16[^:]:%2s")` (4 fields), type `b`/`c`, minor `all` or parse_ul(); the permissions are not checked
 *   (parse_dev_perm()'s result is dropped);
 * - Virtuozzo 7 (libvzctl parse_devices_str(), lib/dev.c @ v7.0.42..v8.0.90): the same `%1[^:]:%lu:
 *   %16[^:]` start, the minor `all` or parse_ul(), the permissions `none` or r/w/q. An item without
 *   permissions (3 fields) is refused at v7.0.42 and read from an unset buffer later, and v7.0.42 reads
 *   only 2 permission characters ("none" as "no", refused): neither is reported (not provable for all).
 */
function checkDevices(value: string, gen: Generation, version: string): ValueCheck {
  const bad = (message: string, start: number, end: number): ValueCheck => ({ problems: [{ kind: 'invalid', message, start, end }] });
  const modern = gen === 'classic' && compareVersions(version, '3.0.29') >= 0;
  for (const t of tokens(value, gen === 'vz7' ? ' \t,' : ' ')) {
    const f = scan(t.text, modern ? '%c:%d:%15[^:]:%5s' : '%1[^:]:%lu:%16[^:]:%5s');
    const form = `${quote(t.text)} is not b|c:major:minor|all:perm`;
    if (f.length < (gen === 'vz7' ? 3 : 4)) return bad(form, t.start, t.end);
    const text = (i: number): string => { const x = f[i]; return x?.kind === 'text' ? x.value : ''; };
    const major = f[1];
    if (modern && major?.kind === 'number' && asCInt(major.value) === 7) return bad('loop devices (major 7) cannot be given to a container (refused since vzctl 3.0.29)', t.start, t.end);
    if (text(0) !== 'b' && text(0) !== 'c') return bad(form, t.start, t.end);
    const minor = text(2);
    const m = readStrtoul(minor);
    const minorOk = minor === 'all' || (isWholeNumber(m) && (modern ? m.signed >= -2147483648n && m.signed <= 2147483647n : !m.erange))
      || (gen === 'classic' && !modern && minor === 'unlimited' && compareVersions(version, '3.0.19') >= 0);
    if (!minorOk) return bad(`minor ${quote(minor)} must be a number or "all"`, t.start, t.end);
    if ((modern || (gen === 'vz7' && f.length === 4)) && !devPermOk(text(3))) return bad(`permissions ${quote(text(3))} must be a combination of r, w, q, or "none"`, t.start, t.end);
  }
  return { problems: [] };
}

/**
 * MEMINFO as parse_meminfo() reads it (classic src/lib/config.c, the same from vzctl-3.0.10 to 4.11.1;
 * libvzctl lib/meminfo.c, the same from v7.0.42 to v8.0.90): an empty value sets nothing; otherwise
 * `sscanf("%31[^:]:%lu")` must read a mode name (`none`, `pages`, `privvmpages`, case-sensitive) and, for
 * pages and privvmpages, a number that is not 0 (strtoul: blanks, a sign and text after it are accepted);
 * `none` takes no number (`none:` with nothing readable after the colon is still none).
 */
function checkMeminfo(value: string): ValueCheck {
  if (value === '') return { problems: [] };
  const f = scan(value, '%31[^:]:%lu');
  const mode = f[0]?.kind === 'text' ? f[0].value : undefined;
  const n = f[1]?.kind === 'number' ? asCULong(f[1].value) : undefined;
  const ok = mode === 'none' ? n === undefined : (mode === 'pages' || mode === 'privvmpages') && n !== undefined && n !== 0n;
  if (ok) return { problems: [] };
  return { problems: [{ kind: 'invalid', message: `${quote(value)} is not none, pages:N or privvmpages:N (N > 0)`, ...whole(value) }] };
}

/**
 * Classic IOLIMIT as parse_iolimit() reads it (src/lib/config.c @ vzctl-4.6 to 4.11.1): strtoull() (leading
 * blanks and a sign allowed, no digits read as 0), then nothing or one suffix get_mul() knows (b, k, m, g, t,
 * or p for pages); a number strtoull() cannot hold, or anything else after it, is refused. Above INT_MAX
 * (a negative number wraps around to a huge one) it is clamped with "too large value … truncated".
 */
function checkClassicIolimit(value: string): ValueCheck {
  const r = readStrtoul(value);
  const tail = r.tail;
  if (tail.length > 1 || (tail !== '' && SIZE_SUFFIX[tail.toUpperCase()] === undefined)) {
    return { problems: [{ kind: 'invalid', message: `${quote(value)} is not a rate in bytes/s (optionally with a b/k/m/g/t/p suffix) or "unlimited"`, ...whole(value) }] };
  }
  if (r.digits === '') return { problems: [] };
  if (r.erange) return { problems: [{ kind: 'invalid', message: `${quote(value)} is beyond what strtoull() reads (ERANGE)`, ...whole(value) }] };
  const wrapped = r.negative && r.magnitude > 0n;
  const rate = r.unsigned * (tail === '' ? 1n : SIZE_SUFFIX[tail.toUpperCase()] ?? 1n);
  if (rate > INT_MAX) {
    const message = wrapped ? 'a negative rate wraps around to a huge one: vzctl truncates it to INT_MAX bytes/s (about 2 GB/s)' : 'above INT_MAX bytes/s (about 2 GB/s): vzctl truncates it';
    return { problems: [{ kind: 'truncated', message, ...whole(value) }] };
  }
  return { problems: [] };
}

/**
 * What a FEATURES item problem says when the item fails only for a single quote classic vzctl kept in the
 * value (config.c parse_features() gets the value with its quotes: util.c parse_line() strips only double
 * ones). rules/values.ts shortOf carries it into the message.
 */
export const QUOTES_KEPT = '(vzctl keeps the single quote)';

/** FEATURES / CAPABILITY: `name:on|off` items split on blanks and commas. */
function checkOnOffList(value: string, ctx: ValueContext, which: 'features' | 'capability'): ValueCheck {
  const problems: ValueProblem[] = [];
  const vocab = ctx.catalog.catalog.vocabulary;
  // Classic parse_cap() / parse_features() split on commas too only since vzctl 3.2 (src/lib/config.c @ vzctl-3.2; "\t " @ vzctl-3.1).
  const separators = ctx.generation === 'classic' && compareVersions(ctx.version, '3.2') < 0 ? ' \t' : ' \t,';
  for (const t of tokens(value, separators)) {
    const m = /^([^:]+):(on|off)$/.exec(t.text);
    // Classic vzctl keeps single quotes in a value (single-quotes): an item that fails only for the quote it
    // carries (`FEATURES='nfs:on'` → the item 'nfs:on', quotes included) names the quote as the cause.
    const kept = which === 'features' && ctx.generation === 'classic' && /^'|'$/.test(t.text) && /^[^:']+:(on|off)$/.test(t.text.replace(/^'|'$/g, ''))
      ? ` ${QUOTES_KEPT}` : '';
    if (!m) {
      // libvzctl's feature parser stops at the first bad item and rejects the whole line.
      if (which === 'capability' || ctx.generation === 'vz7') return { problems: [{ kind: 'invalid', message: `${quote(t.text)} is not ${which === 'capability' ? 'capname' : 'name'}:on|off`, start: t.start, end: t.end }] };
      problems.push({ kind: 'unknown-item', message: `${quote(t.text)} is not name:on|off${kept}; vzctl skips it`, start: t.start, end: t.end });
      continue;
    }
    const name = m[1] as string;
    if (which === 'capability') {
      if (!vocab.capabilities.includes(name.toUpperCase())) {
        const near = nearestWord(name, vocab.capabilities);
        return { problems: [{ kind: 'invalid', message: `unknown capability ${quote(name)}`, start: t.start, end: t.start + name.length, ...(near !== undefined ? { suggestion: near } : {}) }] };
      }
      continue;
    }
    const feature = vocab.features.find((f) => f.name === name);
    const known = feature !== undefined && knownAt(feature, ctx.generation, ctx.version);
    // A name the vocabulary lacks may be a slip for one the target knows (`nsf`, `NFS`); one it has but the
    // target's version does not is no slip.
    const near = known || feature !== undefined ? undefined : nearestLowerName(name, vocab.features.filter((f) => knownAt(f, ctx.generation, ctx.version)).map((f) => f.name));
    const suggestion = near !== undefined ? { suggestion: near } : {};
    if (!known && ctx.generation === 'vz7') {
      return { problems: [{ kind: 'invalid', message: `unknown feature ${quote(name)} (libvzctl rejects the whole line)`, start: t.start, end: t.start + name.length, ...suggestion }] };
    }
    if (!known) {
      // Classic find_feature() runs past its table's end: an unknown 4-letter name is taken as nfsd.
      const asNfsd = ctx.generation === 'classic' && name.length === 4 && compareVersions(ctx.version, '3.0.24') >= 0;
      problems.push({
        kind: 'unknown-item',
        message: asNfsd
          ? `unknown feature ${quote(name)}${kept}: classic vzctl mis-reads an unknown four-letter name as "nfsd" and turns nfsd ${m[2]}`
          : `unknown feature ${quote(name)}${kept}${feature ? ` on ${ctx.generation === 'vz7' ? 'Virtuozzo 7' : `vzctl ${ctx.version}`}` : ''}; vzctl skips it`,
        start: t.start,
        end: t.start + name.length,
        ...suggestion,
      });
    }
  }
  return { problems };
}

/**
 * A MAC address as parse_hwaddr() reads it: six 2-character groups at offsets 0, 3, 6, … (classic
 * src/lib/veth.c @ vzctl-3.0.14..4.11.1; libvzctl lib/util.c @ v7.0.42..v8.0.90 also takes 12 characters
 * without separators, offsets 0, 2, 4, …), each of which strtol(…, 16) must read whole; the separators are
 * not looked at, nor anything after the sixth group. `unsure` when a group lies past the end of the text:
 * vzctl then reads whatever follows it in memory.
 */
export function hwaddrRead(v: string, gen: Generation): 'ok' | 'bad' | 'unsure' {
  const step = gen === 'vz7' && v.length === 12 ? 2 : 3;
  for (let i = 0; i < 6; i += 1) {
    const p = step * i;
    if (p > v.length) return 'unsure';
    if (p === v.length) continue;
    const buf = p + 1 < v.length ? v.slice(p, p + 2) : v.slice(p, p + 1);
    if (!/^([0-9A-Fa-f]{1,2}|[ \t\n\v\f\r+-][0-9A-Fa-f])$/.test(buf)) return 'bad';
  }
  return 'ok';
}

/**
 * The six bytes parse_hwaddr() stores for `v` (same reading as {@link hwaddrRead}: classic src/lib/veth.c,
 * libvzctl lib/util.c), as lower-case `xx:xx:xx:xx:xx:xx`, so that two spellings of one address compare
 * equal (`00:18:51:AA:BB:CC`, `00-18-51-aa-bb-cc`); undefined when vzctl refuses it or would read past its end.
 */
export function macAddressOf(v: string, gen: Generation): string | undefined {
  if (hwaddrRead(v, gen) !== 'ok') return undefined;
  const step = gen === 'vz7' && v.length === 12 ? 2 : 3;
  let out = '';
  for (let i = 0; i < 6; i += 1) {
    const p = step * i;
    // strtol(…, 16) of at most two characters (an empty group, at the very end, reads as 0); a sign
    // makes a negative number, stored in a char: its low byte.
    const n = p >= v.length ? 0 : Number.parseInt(v.slice(p, p + 2).trim(), 16);
    const byte = ((n % 256) + 256) % 256;
    out += `${i === 0 ? '' : ':'}${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * NETIF as parse_netif_str() reads it: interfaces separated by `;`, fields `key=value` separated by `,`,
 * fields other than `known` (the target's, schemas/vocabulary.yaml `netifFields`) skipped, and `ifname`
 * needed in each interface.
 * - classic (src/lib/config.c): an interface name (ifname, host_ifname, bridge) of at most 16 characters,
 *   15 from vzctl 4.7 (commit 1b6cb0c2 "len + 1 > IFNAMSIZE"); MACs as {@link hwaddrRead}; mac_filter on,
 *   off or empty (an empty one is skipped);
 * - Virtuozzo 7 (lib/veth.c @ v7.0.42..v8.0.90): names of at most 16 characters; a field with an empty
 *   value is skipped; MACs as {@link hwaddrRead}; mac_filter / ip_filter on|off, dhcp / dhcp6 yes|no.
 */
function checkNetif(value: string, gen: Generation, version: string, known: readonly string[]): ValueCheck {
  const problems: ValueProblem[] = [];
  const bad = (message: string, start: number, end: number): ValueCheck => ({ problems: [{ kind: 'invalid', message, start, end }] });
  const maxName = gen === 'classic' && compareVersions(version, '4.7') >= 0 ? 15 : 16;
  for (const dev of tokens(value, ';')) {
    let ifname = false;
    for (const f of tokens(dev.text, ',')) {
      const start = dev.start + f.start;
      const end = dev.start + f.end;
      const eq = f.text.indexOf('=');
      const k = eq < 0 ? f.text : f.text.slice(0, eq);
      const v = eq < 0 ? '' : f.text.slice(eq + 1);
      if (eq < 0 || !known.includes(k)) {
        // With a near field name (`hostifname` → `host_ifname`) only the name is marked: the fix renames it.
        const near = eq < 0 ? undefined : nearestLowerName(k, known);
        problems.push({ kind: 'suspicious', message: `vzctl ignores the unknown NETIF field ${quote(k)}`, start, end: near !== undefined ? start + k.length : end, ...(near !== undefined ? { suggestion: near } : {}) });
        continue;
      }
      // libvzctl skips every field with an empty value; classic an empty mac_filter (and keeps no name).
      if (v === '' && (gen === 'vz7' || k === 'mac_filter' || k === 'ifname' || k === 'host_ifname' || k === 'bridge')) continue;
      if ((k === 'ifname' || k === 'host_ifname' || (k === 'bridge' && gen === 'classic')) && v.length > maxName) {
        return bad(`${k} ${quote(v)} is longer than ${maxName} characters`, start, end);
      }
      if (k === 'ifname') ifname = true;
      else if (k === 'mac' || k === 'host_mac') {
        const r = hwaddrRead(v, gen);
        if (r === 'bad') return bad(`${quote(v)} is not a MAC address XX:XX:XX:XX:XX:XX`, start, end);
        if (r === 'unsure') problems.push({ kind: 'suspicious', message: `${quote(v)} is shorter than a MAC address: vzctl reads past its end`, start, end });
      } else if ((k === 'mac_filter' || k === 'ip_filter') && v !== 'on' && v !== 'off') return bad(`${k} must be on or off`, start, end);
      else if (gen === 'vz7' && (k === 'dhcp' || k === 'dhcp6') && v !== 'yes' && v !== 'no') return bad(`${k} must be yes or no`, start, end);
    }
    if (!ifname) return bad('each NETIF interface needs ifname=…', dev.start, dev.end);
  }
  return { problems };
}
