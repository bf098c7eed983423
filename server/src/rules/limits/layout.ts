/**
 * Layout and quota (issue 3, part 4): parameters that depend on the container's layout, simfs or
 * ploop (reference §3.2 and §7 "Layout-dependent"). The layout comes from `layoutOf()`: the
 * container's own VE_LAYOUT, else simfs for a vzctl older than VE_LAYOUT; otherwise vzctl detects it from
 * the private area on disk (the node's vz.conf VE_LAYOUT is only the default for new containers), and
 * the rules stay silent. Classic containers only.
 * DISKSPACE `unlimited` on classic is already an `invalid-value` error and is not repeated here.
 */
import { LIMITS_SETTING } from '../facts';
import type { Entry } from '../../parser/types';
import type { Finding, LintContext, Rule } from '../types';
import { deleteLines, entryRange, finding, lineNo } from '../util';
import { explain, modeOf, say, sayAbout, says, type Said } from '../say';
import type { ParameterDef } from '../../catalog/types';
import type { ConfigMode } from '../../catalog/behaviours';
import { effectiveValue } from '../../model/effective';
import { sourceText } from '../node/diskQuota';
import { CatalogMemo, describeLayout, isSample, layoutOf, liveEntries, type Layout } from './common';

/**
 * The layout the container rules use, or undefined: not a container, or the file does not say it (see
 * `layoutOf()`: the node's vz.conf VE_LAYOUT is only the default for new containers).
 */
function containerLayout(ctx: LintContext): Layout | undefined {
  // Asked by up to three rules per lint; layoutOf() remembers the last file's answer for a shared line.
  return ctx.kind === 'container' ? layoutOf(ctx) : undefined;
}

/**
 * What ignored-on-ploop says about one parameter (message, detail, fix), or null when it says nothing
 * (DISKINODES in a sample from vzctl 4.7). A pure function of the catalogue, the layout description, the
 * target, the config's mode and the file kind (sample or not): built once per such key, not per container.
 */
interface PloopWords {
  createOnly: boolean;
  message: string | Said;
  detail: string;
  title: string;
  safe: boolean;
}

/**
 * The ignored-on-ploop findings built so far, by their line (an `Entry`), and the words per parameter,
 * for one catalogue, one layout description, one target, one mode and one file kind (sample or not): a
 * finding depends on nothing else but whether the line is the file's last (`deleteLines` then takes the
 * line break before it), and is kept only for a line that is not. The containers of a node share their line
 * models (a line of the same text at the same number: `parser/parse.ts`), so a fleet's 7,500 alike
 * DISKINODES lines are one entry and get one finding object (never modified: findings are not).
 */
let ploopFindings: {
  catalog: LintContext['catalog'];
  key: string;
  byEntry: WeakMap<Entry, Finding>;
  words: Map<ParameterDef, PloopWords | null>;
  /** What the key of the last container was made of (see the rule), and its layout description. */
  made?: { source: Layout['source']; layoutName: Layout['layout']; entry: Entry | undefined; line: number; target: LintContext['target']; mode: ConfigMode | undefined; sample: boolean; layout: string };
} | undefined;

/** {@link PloopWords} of `def` (ignored on ploop) for `ctx`. */
function ploopWords(ctx: LintContext, def: ParameterDef & { ignoredOnPloop: string }, layout: string, sample: boolean): PloopWords | null {
  const createOnly = says(ctx, 'ploop-diskinodes-create-only', def.name);
  // vzctl create reads a sample: there the value sizes the image it makes.
  if (createOnly && sample) return null;
  const said = createOnly
    ? sayAbout(ctx, def.name, `${def.name} sets no limit on a ploop container`, 'ploop-diskinodes-create-only')
    : undefined;
  const message = said ?? `${def.name} has no effect on a ploop container`;
  const detail = createOnly
    ? explain(said, `${def.name} sets no limit for a ploop-based container (${layout})`, createOnly.detail,
      'Keep the line if this config may still be used by vzctl create or convert')
    : `${def.name} is ignored for ploop-based containers (${layout}): ${def.ignoredOnPloop}` +
      (sample ? '. A sample also serves vzctl create --layout simfs, which uses the line.' : '');
  const title = createOnly ? `Remove ${def.name} (used only by vzctl create and convert)` : `Remove ${def.name} (ignored for ploop)`;
  return { createOnly: createOnly !== undefined, message, detail, title, safe: !sample && !createOnly };
}

/** The keys that ploop ignores (schemas/parameters.yaml `ignoredOnPloop`). */
const ignoredOnPloopParameters = new CatalogMemo((c) => c.catalog.parameters.filter((d) => d.ignoredOnPloop));

/**
 * Keys that ploop ignores (DISKINODES, QUOTATIME, DISK_QUOTA; parameters.yaml `ignoredOnPloop`) in a ploop
 * container (reference §3.2, §7). From vzctl 4.7 DISKINODES is read by vzctl create and convert to size a new
 * image (behaviours.yaml `classic.ploop-diskinodes-create-only`, src/lib/create.c and src/lib/image.c
 * @ vzctl-4.7): a sample, which vzctl create reads, is then not flagged for it, and a container config is
 * told that only create and convert use it. Removing a line is a safe fix only for a container config whose
 * line nothing reads: never in a sample (`vzctl create --layout simfs` overrides its VE_LAYOUT, and simfs
 * uses the quota lines), never for a DISKINODES that vzctl create reads (a config written before create).
 */
export const ignoredOnPloop: Rule = {
  id: 'ignored-on-ploop',
  check(ctx) {
    const l = containerLayout(ctx);
    if (!l || l.layout !== 'ploop') return [];
    const out: Finding[] = [];
    const sample = isSample(ctx);
    const mode = modeOf(ctx);
    // The layout's words and the memo key are the last container's when everything they are made of is
    // (the VE_LAYOUT line model, its line number, the target object, the mode, sample or not).
    const line = lineNo(ctx, l.entry?.line ?? 0);
    const was = ploopFindings?.made;
    let layout: string;
    if (ploopFindings?.catalog === ctx.catalog && was && was.source === l.source && was.layoutName === l.layout && was.entry === l.entry && was.line === line && was.target === ctx.target && was.mode === mode && was.sample === sample) {
      layout = was.layout;
    } else {
      layout = describeLayout(ctx, l);
      const key = `${layout}\0${ctx.target.generation}@${ctx.target.version}\0${mode ?? ''}\0${sample ? 's' : 'c'}`;
      if (ploopFindings?.catalog !== ctx.catalog || ploopFindings.key !== key) ploopFindings = { catalog: ctx.catalog, key, byEntry: new WeakMap(), words: new Map() };
      ploopFindings.made = { source: l.source, layoutName: l.layout, entry: l.entry, line, target: ctx.target, mode, sample, layout };
    }
    const memo = ploopFindings.byEntry;
    const wordsOf = ploopFindings.words;
    const last = ctx.doc.text.length - 1;
    // Which keys ploop ignores, and why, is data: schemas/parameters.yaml `ignoredOnPloop`.
    for (const def of ignoredOnPloopParameters.get(ctx.catalog)) {
      if (!def.ignoredOnPloop) continue;
      const entries = liveEntries(ctx, def.name);
      if (entries.length === 0) continue;
      let words = wordsOf.get(def);
      if (words === undefined) wordsOf.set(def, (words = ploopWords(ctx, def as ParameterDef & { ignoredOnPloop: string }, layout, sample)));
      if (words === null) continue;
      for (const e of entries) {
        const kept = e.line < last ? memo.get(e) : undefined;
        if (kept) {
          out.push(kept);
          continue;
        }
        const f = finding(ctx, 'ignored-on-ploop', entryRange(e), words.message,
          { detail: words.detail, unnecessary: !words.createOnly, fixes: [{ title: words.title, edits: [deleteLines(ctx, e.line, e.line)], safe: words.safe }] });
        if (e.line < last) memo.set(e, f);
        out.push(f);
      }
    }
    return out;
  },
};

/** MOUNT_OPTS in a simfs container: the options are for the ploop file system only (reference §3.2, §7). */
export const mountOptsOnSimfs: Rule = {
  id: 'mount-opts-on-simfs',
  needs: LIMITS_SETTING,
  check(ctx) {
    // The MOUNT_OPTS lines first (most files have none): the layout only for a file that has one.
    const lines = liveEntries(ctx, 'MOUNT_OPTS');
    if (lines.length === 0) return [];
    const l = containerLayout(ctx);
    if (!l || l.layout !== 'simfs') return [];
    return lines.map((e: Entry) => finding(ctx, 'mount-opts-on-simfs', entryRange(e),
      'MOUNT_OPTS has no effect on a simfs container',
      { detail: `MOUNT_OPTS only applies to ploop-based containers; this one is simfs (${describeLayout(ctx, l)}), so the options are not used.`, unnecessary: true, fixes: [{ title: 'Remove MOUNT_OPTS (only used for ploop)', edits: [deleteLines(ctx, e.line, e.line)], safe: false }] }));
  },
};

/**
 * QUOTAUGIDLIMIT above 0 where it only switches user/group quota on (issue 3 part 4); switching between 0
 * and non-zero needs a restart (reference §3.2, §7).
 * - Classic: in a ploop container (the layout as `layoutOf()` finds it); simfs uses the number as vzquota's
 *   limit.
 * - Virtuozzo 7: in every container, whatever its layout: libvzctl reads the value only as zero or not
 *   (is_2quota_enabled() / get_user_quota_mode() in lib/util.c, the root disk's user_quota in lib/disk.c,
 *   setup_env_quota() in lib/env.c) and hands it to the set_ugid_quota script as UGIDLIMIT, whose
 *   setup_quota() only tests whether it is empty (dists/scripts/functions); it never runs vzquota (v7.0.42,
 *   v7.0.737, v8.0.90). Only the last line counts (libvzctl keeps one value per key).
 */
export const quotaugidlimitOnPloop: Rule = {
  id: 'quotaugidlimit-on-ploop',
  needs: LIMITS_SETTING,
  check(ctx) {
    const vz7 = ctx.target.generation === 'vz7';
    if (vz7 && ctx.kind !== 'container') return [];
    // The QUOTAUGIDLIMIT lines first (most files have none): the layout and DISK_QUOTA only for those that do.
    const all = liveEntries(ctx, 'QUOTAUGIDLIMIT');
    if (all.length === 0) return [];
    const l = vz7 ? undefined : containerLayout(ctx);
    if (!vz7 && (!l || l.layout !== 'ploop')) return [];
    const out: Finding[] = [];
    // DISK_QUOTA=no (here or in vz.conf) turns vzquota off, but not a ploop container's user/group quota
    // (behaviour ugid-quota-ploop-without-disk-quota: src/lib/fs.c, res.c @ vzctl-4.11.1).
    const dq = effectiveValue(ctx, 'DISK_QUOTA');
    const quotaOff = dq?.value === 'no';
    for (const e of vz7 ? all.slice(-1) : all) {
      const v = e.value.trim();
      if (!/^\d+$/.test(v) || BigInt(v) === 0n) continue;
      if (vz7) {
        const said = say(ctx, 'QUOTAUGIDLIMIT on Virtuozzo 7 only turns user/group quota on; the number is not a limit');
        out.push(finding(ctx, 'quotaugidlimit-on-ploop', e.valueRange, said,
          { detail: explain(said, `libvzctl reads QUOTAUGIDLIMIT only as zero or not: any value above 0 turns user and group quota on inside the container, and ${v} does not cap the number of user/group IDs (no vzquota on Virtuozzo 7); switching between 0 and non-zero needs a container restart`) }));
        continue;
      }
      const said = quotaOff
        ? say(ctx, 'QUOTAUGIDLIMIT on ploop only turns user/group quota on (no limit)', 'ugid-quota-ploop-without-disk-quota')
        : say(ctx, 'QUOTAUGIDLIMIT on ploop only turns user/group quota on; the number is not a limit');
      const dqNote = quotaOff && `DISK_QUOTA=no (${sourceText(ctx, dq)}) does not turn it off on ploop: vzctl mounts the image with user and group quota whenever QUOTAUGIDLIMIT is above 0 and only skips the distribution's set_ugid_quota script`;
      out.push(finding(ctx, 'quotaugidlimit-on-ploop', e.valueRange, said,
        { detail: explain(said, `On a ploop-based container (${describeLayout(ctx, l as Layout)}) QUOTAUGIDLIMIT is an on/off switch: any value above 0 turns user and group quota on inside the container, and ${v} does not cap the number of user/group IDs; switching between 0 and non-zero needs a container restart`, dqNote) }));
    }
    return out;
  },
};
