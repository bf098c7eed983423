/**
 * Shared helpers of the limits family: vSwap detection, the container's layout, and line / token
 * lookups. Facts: ../shared/reference/vzctl-reference.md §2, §3 and §7.
 */
import { ctLayoutRule, effectiveValue, pairOf } from '../../model/effective';
import { isSamplePath } from '../../model/kind';
import type { Entry } from '../../parser/types';
import type { Pair, ValueCheck } from '../../values/validate';
import { isUnlimited } from '../../values/numbers';
import type { LintContext } from '../types';
import { lineNo } from '../util';
import type { CatalogIndex } from '../../catalog/load';

/**
 * A value derived from the catalogue (a list of parameters, a vocabulary map), kept for the last catalogue
 * asked: the process has one, so after the first file this is one comparison, where `derived()` (a keyed
 * memo on the catalogue) costs a closure and three lookups a call — asked by several rules per file, 10,000
 * times over a node's containers (issue 8). Bounded: one value. Shared by every caller: never modify it.
 */
export class CatalogMemo<T> {
  #catalog: CatalogIndex | undefined;
  #value: T | undefined;

  /** @param compute what to keep, from the catalogue (called again only for another catalogue) */
  constructor(private readonly compute: (catalog: CatalogIndex) => T) {}

  /** The value for `catalog`, computed on first use. */
  get(catalog: CatalogIndex): T {
    if (this.#catalog !== catalog) {
      this.#value = this.compute(catalog);
      this.#catalog = catalog;
    }
    return this.#value as T;
  }
}

/**
 * The container's PHYSPAGES pair when the config is a vSwap config the way vzctl decides it
 * (`is_vswap_config`): the PHYSPAGES limit is set and is neither LONG_MAX (`unlimited`) nor
 * INT_MAX (2147483647). Own lines only. Values are in pages (4096 bytes).
 */
export function vswapPhyspages(ctx: LintContext): { pair: Pair; entry: Entry } | undefined {
  const phys = pairOf(ctx, 'PHYSPAGES');
  if (!phys || isUnlimited(phys.pair.limit.value)) return undefined;
  return phys;
}

/** Where the layout the rules use was found. */
export type LayoutSource = 'container' | 'version';

export interface Layout {
  layout: 'simfs' | 'ploop';
  source: LayoutSource;
  /** The file's VE_LAYOUT line it comes from; absent for `version`. */
  entry?: Entry;
  /** The file's path, when known. */
  path?: string;
}

/**
 * The layout of a classic container, as far as its own file tells it:
 * 1. the container's own VE_LAYOUT line when the target reads it for an existing container (vzctl 4.9.4+:
 *    vzctl create writes it, and vzctl start adds it to a config without one; behaviour
 *    `classic.ct-layout-own-line`), or in a sample (`vzctl create` takes it at any version). Before 4.9.4
 *    vzctl reads VE_LAYOUT for `vzctl create` only and detects an existing container's layout from the
 *    private area (`classic.ct-layout-detected`: src/lib/config.c, src/lib/image.c @ vzctl-4.9.3), so
 *    the line says nothing there;
 * 2. else, when the target vzctl predates VE_LAYOUT (catalogue `since`, 3.1), simfs — the only layout;
 * 3. else unknown (`undefined`). The node's vz.conf VE_LAYOUT is **not** the layout of an existing
 *    container: it is the default for `vzctl create` only. For a container config without VE_LAYOUT, vzctl
 *    detects the layout from the private area (`root.hdd/DiskDescriptor.xml`): `ve_private_is_ploop()` in
 *    vzctl src/lib/image.c @ vzctl-4.9.3 always, and @ vzctl-4.9.4 when the config has no VE_LAYOUT, where
 *    src/vzctl.c drops the global layout once the container's config is read ("do not use the layout from
 *    global config", commit 9e98ea63) and src/vzctl-actions.c saves the detected one at start.
 *
 * Virtuozzo 7 (VELAYOUT / VEFSTYPE in vz.conf, no per-container layout key) is not resolved: `undefined`.
 */
export function layoutOf(ctx: LintContext): Layout | undefined {
  if (ctx.target.generation !== 'classic') return undefined;
  const def = ctx.catalog.parameter('VE_LAYOUT');
  if (!def) return undefined;
  if (!ctx.known(def)) return { layout: 'simfs', source: 'version' };
  const sample = isSample(ctx);
  if (ctLayoutRule(ctx.target) === 'detected' && !sample) return undefined;
  const own = ctx.byName.get(def.name);
  // No VE_LAYOUT line of its own: the value can only come from vz.conf or the default (said just below).
  if (own === undefined) return undefined;
  // One line of its own (the usual case): the answer is the last file's when that was the same line model
  // with the same value check, target and kind (a node's containers share their VE_LAYOUT line). The
  // merge quirk of mergeNonZero keys can fall back to vz.conf: not remembered for those.
  const one = own.length === 1 && def.classic?.mergeNonZero === undefined ? (own[0] as Entry) : undefined;
  const check = one === undefined ? undefined : ctx.values.get(one);
  const was = lastLayout;
  if (one !== undefined && was !== undefined && was.entry === one && was.check === check && was.target === ctx.target && was.catalog === ctx.catalog && was.kind === ctx.kind && was.sample === sample) return was.layout;
  const layout = ownLayout(ctx);
  if (one !== undefined) lastLayout = { entry: one, check, target: ctx.target, catalog: ctx.catalog, kind: ctx.kind, sample, layout };
  return layout;
}

/**
 * {@link layoutOf}'s last answer for a file with one VE_LAYOUT line, with what it depends on (bounded: one).
 * The {@link Layout} is shared by the files that get it: never modify it.
 */
let lastLayout: {
  entry: Entry;
  check: ValueCheck | undefined;
  target: LintContext['target'];
  catalog: LintContext['catalog'];
  kind: LintContext['kind'];
  sample: boolean;
  layout: Layout | undefined;
} | undefined;

/** The layout the file's own VE_LAYOUT line says, from its effective value (see {@link layoutOf}). */
function ownLayout(ctx: LintContext): Layout | undefined {
  const eff = effectiveValue(ctx, 'VE_LAYOUT');
  // Only the file's own line: a value from the node's vz.conf (or vzctl's default) says nothing here.
  if (!eff || eff.source !== 'container' || !eff.entry) return undefined;
  const value = eff.value.trim();
  const colon = value.indexOf(':');
  const word = colon < 0 ? value : value.slice(0, colon);
  if (word !== 'simfs' && word !== 'ploop') return undefined;
  const out: Layout = { layout: word, source: 'container', entry: eff.entry };
  if (eff.path !== undefined) out.path = eff.path;
  return out;
}

/** Says where a layout comes from, for messages: `VE_LAYOUT="ploop" on line 4 of vz.conf`. */
export function describeLayout(ctx: LintContext, l: Layout): string {
  if (l.source === 'version') return 'the target vzctl predates ploop, so the layout is simfs';
  return `VE_LAYOUT="${l.entry?.value ?? l.layout}" on line ${lineNo(ctx, l.entry?.line ?? 0)}`;
}

/** The last path component of a path (either slash). */
export function baseName(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const norm = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  return norm.slice(norm.lastIndexOf('/') + 1);
}

/** True for a shipped sample (`ve-NAME.conf-sample`): a template for containers of either layout. */
export function isSample(ctx: LintContext): boolean {
  // Asked for every container config: a path without `.conf-sample` (the usual case) is no sample.
  const path = ctx.path;
  return path !== undefined && path.includes('.conf-sample') && isSamplePath(path);
}

/**
 * Entries of this file that vzctl reads for parameter `name` (its catalogue name), skipping lines the
 * target does not know, lines whose key has stray blanks, and continuation lines of multi-line values.
 * Shared with the file's index (`ctx.byName`): never modify the list.
 */
export function liveEntries(ctx: LintContext, name: string): Entry[] {
  const all = ctx.byName.get(name);
  if (!all) return [];
  // Every entry of the list has the same catalogue entry: known, removed or ignored alike.
  const def = ctx.def(all[0] as Entry);
  if (!def || !ctx.known(def)) return [];
  // Most parameters have no status entry for the target: no callback to run (asked by a dozen rules per file).
  const status = ctx.status(def);
  if (status.length > 0 && status.some((s) => s.kind === 'removed' || s.kind === 'ignored')) return [];
  const continued = ctx.doc.continuationLines;
  return continued.size === 0 ? all : all.filter((e) => !continued.has(e.line));
}

/** True when the value check of `e` found nothing that makes vzctl skip the line. */
export function valueAccepted(ctx: LintContext, e: Entry): boolean {
  const check = ctx.values.get(e);
  return check !== undefined && !check.problems.some((p) => p.kind === 'invalid');
}

/** A path component `nfs` in any case. */
const NFS_COMPONENT = /(?:^|\/)nfs(?:\/|$)/i;

/**
 * Why a VE_PRIVATE / VE_ROOT path looks like NFS or another shared mount, or undefined. Heuristic on
 * the text only (the linter cannot see the node's mounts):
 * - a path component equal to `nfs` (any case), e.g. `/mnt/nfs/vz/private/$VEID`, `/srv/NFS/vz`;
 * - the path starts with `/mnt/` (manually mounted file systems), `/net/` (automounter network
 *   mounts) or `/nfs` (`/nfs`, `/nfs2/…`, `/nfs-share/…`).
 */
export function sharedStorageHint(path: string): string | undefined {
  const p = path.trim();
  // A component that is "nfs" in any case (ASCII letters: nothing else lower-cases to them).
  if (NFS_COMPONENT.test(p)) return 'it has a path component "nfs"';
  if (p.startsWith('/mnt/')) return 'it is under /mnt/, where network and other shared file systems are usually mounted';
  if (p.startsWith('/net/')) return 'it is under /net/, the automounter\'s network mounts';
  if (p.startsWith('/nfs')) return 'it starts with /nfs';
  return undefined;
}
