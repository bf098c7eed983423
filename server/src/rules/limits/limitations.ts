/**
 * Limitations with KB links (issue 3, part 5): settings that are accepted but limit what the
 * container or node can do (online migration, checkpointing) or widen what the container may do to
 * the host. Each message names what is limited and the KB article; the rule's docs page links it as
 * https://kb.virtuozzo.com/<id>. Facts: reference §2 (CAPABILITY, FEATURES, NETFILTER), §5, §7;
 * kb-map.md (111855 and 113781 are known by title only, so 113781 is worded "may").
 */
import { LIMITS_SETTING } from '../facts';
import type { Entry } from '../../parser/types';
import { tokens } from '../../values/validate';
import type { Finding, Fix, LintContext, Rule } from '../types';
import { deleteLines, entryRange, finding, valueSubRange } from '../util';
import { clip, fixTitle, q } from '../text';
import { CatalogMemo, liveEntries, sharedStorageHint, valueAccepted } from './common';

/** The last value of each key {@link sharedStorageHint} was asked about, with its answer (bounded: two). */
const lastHints = new Map<string, { value: string; hint: string | undefined }>();

/**
 * {@link sharedStorageHint} of `value`, remembered per key for the next file: a node's containers mostly
 * share their VE_PRIVATE and VE_ROOT lines (`/vz/private/$VEID`).
 */
function lastHint(name: 'VE_PRIVATE' | 'VE_ROOT', value: string): string | undefined {
  const last = lastHints.get(name);
  if (last !== undefined && last.value === value) return last.hint;
  const hint = sharedStorageHint(value);
  lastHints.set(name, { value, hint });
  return hint;
}

/**
 * VE_PRIVATE / VE_ROOT on NFS or another shared mount: online migration does not work (KB 111855,
 * title only). Container configs and vz.conf (there they are the default for every container);
 * not 0.conf.
 */
export const sharedStoragePath: Rule = {
  id: 'shared-storage-path',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind === 'ct0') return [];
    const out: Finding[] = [];
    for (const name of ['VE_PRIVATE', 'VE_ROOT'] as const) {
      // Most paths look local: whether vzctl reads the lines (liveEntries) is asked only when one does not.
      const lines = ctx.byName.get(name);
      if (lines === undefined || !lines.some((e) => lastHint(name, e.value) !== undefined)) continue;
      for (const e of liveEntries(ctx, name)) {
        const why = lastHint(name, e.value);
        if (!why) continue;
        const scope = ctx.kind === 'node' ? ' for every container that takes this default' : '';
        out.push(finding(ctx, 'shared-storage-path', e.valueRange,
          `${name} ${q(e.value)} looks like NFS: no online migration${ctx.kind === 'node' ? ' for any CT' : ''} (KB 111855)`,
          { detail: `${name} "${clip(e.value, 200)}" looks like NFS or other shared storage (${why}): with the container's area on NFS, online migration does not work${scope} (KB 111855, "/vz over NFS: online migration does not work").` }));
      }
    }
    return out;
  },
};

/**
 * A simfs layout on Virtuozzo 7: the OpenVZ documentation (docs.openvz.org, "Creating simfs-based
 * containers", cited by kb-map.md; it documents OpenVZ 7) says simfs containers cannot be live-migrated.
 * Fires on VEFSTYPE=simfs in a Virtuozzo 7 vz.conf (the default for new containers), so once per node. Never
 * in a container config: libvzctl reads only vz.conf's VEFSTYPE (get_global_param in lib/create.c) and
 * tells a container's format from its private area on disk (vzctl2_get_veformat, lib/fs_vzfs.c @ v7.0.737);
 * a container's own VEFSTYPE line (a private key of the sample, lib/config.c) proves nothing about it.
 * Never on classic VE_LAYOUT=simfs: classic vzmigrate --online migrates a running simfs container
 * (behaviour `classic.vzmigrate-online-simfs`: vzctl vzmigrate @ vzctl-3.0.10, bin/vzmigrate.in @
 * vzctl-3.1 and @ vzctl-4.11.1 take the non-ploop live path for any private area without
 * root.hdd/DiskDescriptor.xml), so a classic container or node gets nothing.
 */
export const simfsLiveMigration: Rule = {
  id: 'simfs-live-migration',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind !== 'node' || ctx.target.generation !== 'vz7') return [];
    const out: Finding[] = [];
    for (const e of liveEntries(ctx, 'VEFSTYPE')) {
      if (e.value.trim() !== 'simfs') continue;
      out.push(finding(ctx, 'simfs-live-migration', e.valueRange,
        'New containers are simfs-based: simfs cannot be live-migrated (KB 113781)',
        { detail: `New containers of this node are simfs-based: simfs containers cannot be live-migrated (OpenVZ documentation, "Creating simfs-based containers"; see also KB 113781).` }));
    }
    return out;
  },
};

/** The parameters with a `checkpoint` note (schemas/parameters.yaml). */
const checkpointParameters = new CatalogMemo((c) => c.catalog.parameters.filter((d) => d.checkpoint));

/**
 * DEVICES / DEVNODES / PCI / BINDMOUNT: host devices and external mounts may block checkpointing and
 * online migration (KB 113781, known by title only — hence "may"). Container configs only.
 */
export const checkpointBlockingParameter: Rule = {
  id: 'checkpoint-blocking-parameter',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind !== 'container') return [];
    const out: Finding[] = [];
    // Which keys, and what they pass in, is data: schemas/parameters.yaml `checkpoint`.
    for (const def of checkpointParameters.get(ctx.catalog)) {
      const name = def.name;
      // Most files set none of them: one lookup in the file's index each.
      if (!def.checkpoint || !ctx.byName.has(name)) continue;
      for (const e of liveEntries(ctx, name)) {
        const items = tokens(e.value, ' \t').map((t) => t.text);
        // A device entry with permission "none" grants nothing.
        if (items.filter((t) => !/:none$/.test(t)).length === 0) continue;
        out.push(finding(ctx, 'checkpoint-blocking-parameter', entryRange(e),
          `${name} may block checkpointing and online migration (KB 113781)`,
          { detail: `${name} ${def.checkpoint}; this may block checkpointing and online migration of the container (KB 113781, "Online migration and checkpointing limitations for Linux containers").` }));
      }
    }
    return out;
  },
};

/**
 * NETFILTER="full" grants NAT and connection tracking to the container (reference §5); suggest the
 * least mode that works. Container configs only (vzctl ignores NETFILTER in vz.conf).
 */
export const netfilterFull: Rule = {
  id: 'netfilter-full',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind !== 'container') return [];
    const lines = liveEntries(ctx, 'NETFILTER');
    // Most containers that set NETFILTER do not say "full": no lists made for them.
    if (!lines.some((e) => e.value.trim() === 'full')) return [];
    return lines.filter((e) => e.value.trim() === 'full').map((e) => finding(ctx, 'netfilter-full', e.valueRange,
      'NETFILTER="full" also allows NAT; without NAT "stateful" is enough (KB 126787)',
      { detail: 'NETFILTER="full" gives the container every netfilter function, NAT and connection tracking included; if it needs no NAT, "stateful" is enough, and "stateless" if it needs no connection tracking either (KB 126787); changing it needs a container restart.',
        fixes: [
        { title: 'Set NETFILTER="stateful" (connection tracking, no NAT)', edits: [{ range: e.rawValueRange, newText: '"stateful"' }], safe: false },
        { title: 'Set NETFILTER="stateless" (filter and mangle only)', edits: [{ range: e.rawValueRange, newText: '"stateless"' }], safe: false },
      ] }));
  },
};

/** Tokens of an on/off list line (CAPABILITY, FEATURES) that are switched on, with their names. */
function switchedOn(e: Entry): { name: string; text: string; start: number; end: number }[] {
  const out: { name: string; text: string; start: number; end: number }[] = [];
  for (const t of tokens(e.value, ' \t,')) {
    const m = /^([^:]+):on$/.exec(t.text);
    if (m) out.push({ name: m[1] as string, ...t });
  }
  return out;
}

/**
 * A fix removing the tokens of a list value that `drop` selects (the line goes when nothing is left); the
 * rest is joined by blanks.
 */
function removeTokens(ctx: LintContext, e: Entry, drop: (text: string) => boolean, title: string): Fix {
  const rest = tokens(e.value, ' \t,').map((t) => t.text).filter((t) => !drop(t));
  const edit = rest.length === 0 ? deleteLines(ctx, e.line, e.line) : { range: e.rawValueRange, newText: `"${rest.join(' ')}"` };
  return { title, edits: [edit], safe: false };
}

/** The name of a switched-on CAPABILITY token in upper case (`sys_admin:on` -> SYS_ADMIN), else undefined. */
function capabilityOn(text: string): string | undefined {
  return /^([^:]+):on$/.exec(text)?.[1]?.toUpperCase();
}

/** vocabulary.yaml `dangerousCapabilities`: what each grants, by its name in upper case. */
const dangerousCapabilities = new CatalogMemo((cat) => new Map((cat.catalog.vocabulary.dangerousCapabilities ?? []).map((c) => [c.name.toUpperCase(), c.grants])));

/**
 * A dangerous capability switched on (vocabulary.yaml `dangerousCapabilities`): security-sensitive
 * (reference §7); `setpcap:on` will probably keep the container from starting (ctid.conf(5), reference
 * §2). Classic, and Virtuozzo 7 before libvzctl 7.0.134 (which ignores CAPABILITY). Container configs only.
 * One finding per capability and line, at its first token (vzctl matches names case-insensitively, so
 * `sys_admin:on SYS_ADMIN:on` is one grant); its fix removes every token that switches it on. Per token, a
 * line repeating it 100,000 times gave as many findings, each with a fix rewriting the whole value (attack).
 */
export const dangerousCapability: Rule = {
  id: 'dangerous-capability',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind !== 'container') return [];
    const lines = liveEntries(ctx, 'CAPABILITY');
    if (lines.length === 0) return [];
    const dangerous = dangerousCapabilities.get(ctx.catalog);
    const out: Finding[] = [];
    for (const e of lines) {
      if (!valueAccepted(ctx, e)) continue;
      const reported = new Set<string>();
      for (const t of switchedOn(e)) {
        const cap = t.name.toUpperCase();
        if (!dangerous.has(cap) || reported.has(cap)) continue;
        reported.add(cap);
        const message = cap === 'SETPCAP'
          ? `${clip(t.text)}: with SETPCAP on, the container will probably not start`
          : `${clip(t.text)}: a host-wide capability; grant it only to a trusted container`;
        const detail = cap === 'SETPCAP'
          ? `${t.text}: with SETPCAP on, the container will probably not start (vzctl(8)); leave it off.`
          : `${t.text} gives the container ${dangerous.get(cap) ?? 'a security-sensitive capability'}, which reaches into the host kernel shared by every container; grant it only to a trusted container.`;
        out.push(finding(ctx, 'dangerous-capability', valueSubRange(ctx, e, t.start, t.end), message,
          { detail, fixes: [removeTokens(ctx, e, (x) => capabilityOn(x) === cap, fixTitle(`Remove ${clip(t.text)}`, `back to the default for ${cap.toLowerCase()}`))] }));
      }
    }
    return out;
  },
};

/** Which features run host-kernel code, and what (schemas/vocabulary.yaml `hostKernel`), by feature name. */
const hostKernelFeatures = new CatalogMemo((c) => new Map(c.catalog.vocabulary.features.flatMap((f) => (f.hostKernel ? [[f.name, f.hostKernel] as const] : []))));

/**
 * FEATURES nfsd / bridge / ppp switched on: host-kernel features used from inside the container
 * (reference §7 "Security-sensitive"); they need the host kernel's support. Container configs only.
 */
export const hostKernelFeature: Rule = {
  id: 'host-kernel-feature',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.kind !== 'container') return [];
    const lines = liveEntries(ctx, 'FEATURES');
    if (lines.length === 0) return [];
    const out: Finding[] = [];
    const hostKernel = hostKernelFeatures.get(ctx.catalog);
    for (const e of lines) {
      for (const t of switchedOn(e)) {
        const what = hostKernel.get(t.name);
        if (!what) continue;
        out.push(finding(ctx, 'host-kernel-feature', valueSubRange(ctx, e, t.start, t.end),
          `${clip(t.text)} runs host-kernel code in the container; the host must support it`,
          { detail: `${t.text} lets the container use ${what}: the host kernel must support it, and the container then exercises host-kernel code shared with every other container; changing FEATURES needs a container restart.` }));
      }
    }
    return out;
  },
};
