import { NODE_SETTING } from '../facts';
import type { Entry } from '../../parser/types';
import { ctLayoutRule, effectiveValue, fileOf, nodeLineNotTaken, usedEntries, type EffectiveValue } from '../../model/effective';
import { describeLayout, layoutOf } from '../limits/common';
import type { Finding, Fix, LintContext, Rule } from '../types';
import { entryRange, eolOf, finding, lineNo } from '../util';

/** Parameters of the first-level (per-container) disk quota, in the container's 1K blocks / inodes / seconds. */
const FIRST_LEVEL = ['DISKSPACE', 'DISKINODES', 'QUOTATIME'] as const;

/** Where an effective value comes from, in words: `this file, line 3` / `vz.conf line 2 (/etc/vz/vz.conf)`. */
export function sourceText(ctx: LintContext, eff: EffectiveValue): string {
  if (eff.source === 'default') return "vzctl's built-in default";
  const line = lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0);
  if (eff.source === 'node' && ctx.kind !== 'node') return `vz.conf line ${line}${eff.path ? ` (${eff.path})` : ''}`;
  return `this file, line ${line}`;
}

/** Where an effective value comes from, short: `vz.conf line 2` / `line 3`. */
function shortSource(ctx: LintContext, eff: EffectiveValue): string {
  if (eff.source === 'default') return "vzctl's defaults";
  const line = lineNo(fileOf(ctx, eff), eff.entry?.line ?? 0);
  return eff.source === 'node' && ctx.kind !== 'node' ? `vz.conf line ${line}` : `line ${line}`;
}

/** The fix that turns the quota back on for this container only (a CT value overrides vz.conf). */
function enableFix(ctx: LintContext, dq: EffectiveValue, before: Entry): Fix {
  if (dq.source === 'container' && dq.entry) {
    return { title: 'Set DISK_QUOTA="yes" in this container', edits: [{ range: dq.entry.rawValueRange, newText: '"yes"' }], safe: false };
  }
  const eol = eolOf(ctx);
  return {
    title: 'Turn the disk quota on for this container (DISK_QUOTA="yes" overrides vz.conf)',
    edits: [{ range: { start: { line: before.line, character: 0 }, end: { line: before.line, character: 0 } }, newText: `DISK_QUOTA="yes"${eol}` }],
    safe: false,
  };
}

/**
 * Why the layout of the container of `ctx` is unknown from its config, in one plain sentence: the
 * container has no VE_LAYOUT line the target reads for an existing container, and vz.conf's VE_LAYOUT is
 * only the default for vzctl create (behaviour `ct-layout`: src/vzctl.c @ vzctl-4.9.4; before 4.9.4 vzctl
 * always detects the layout from the private area, src/lib/image.c @ vzctl-4.9.3).
 */
function unknownLayoutText(ctx: LintContext): string {
  const def = ctx.catalog.parameter('VE_LAYOUT');
  const node = def ? nodeLineNotTaken(ctx, def) : undefined;
  const nodeNote = node ? ` (vz.conf line ${lineNo(ctx.node ?? ctx, node.entry.line)}, "${node.entry.value}", is only the default for vzctl create)` : '';
  const how = ctLayoutRule(ctx.target) === 'detected'
    ? 'this vzctl detects an existing container\'s layout from its private area'
    : 'without a VE_LAYOUT line here vzctl detects the layout from the private area';
  return `The config does not say the layout: ${how}${nodeNote}; on ploop DISK_QUOTA is ignored and DISKSPACE is the image size`;
}

/**
 * Whether DISK_QUOTA's effective value for the container of `ctx` can be `no` at all: its default is, or a
 * DISK_QUOTA line of the container or of the node's vz.conf has `no` in its value (the effective value is
 * one line's value, or items of the lines it comes from). False for most containers (no line of their own,
 * `DISK_QUOTA=yes` in vz.conf): then the effective value is not worked out, 10,000 times over a node.
 */
function mayBeNo(ctx: LintContext): boolean {
  const def = ctx.catalog.parameter('DISK_QUOTA');
  if (!def) return false;
  if (def.default === 'no') return true;
  const has = (c: LintContext): boolean => {
    const lines = c.byName.get(def.name);
    if (lines !== undefined) for (const e of lines) if (e.value.includes('no')) return true;
    return false;
  };
  return has(ctx) || (ctx.node !== undefined && has(ctx.node));
}

/**
 * DISK_QUOTA=no (in the container config or, as a default, in the node's vz.conf) turns off vzquota for
 * a simfs container: DISKSPACE (1K blocks), DISKINODES (inodes) and QUOTATIME (seconds) are then not
 * enforced, and QUOTAUGIDLIMIT (second-level, per-user/group quota, a count of uids+gids) has nothing to
 * build on. Classic only, container configs only. The layout is `layoutOf()`'s: ploop (the container's own
 * VE_LAYOUT on vzctl 4.9.4+) ignores DISK_QUOTA and is skipped; simfs (its own line, or a vzctl older than
 * ploop) is stated; otherwise the layout is unknown from the config (vz.conf's VE_LAYOUT is only the default
 * for vzctl create) and the message says "if simfs". Sources: reference §1.1 (merge), §3.2, §7; behaviour
 * `ct-layout`.
 */
export const diskQuotaOff: Rule = {
  id: 'disk-quota-off',
  needs: NODE_SETTING,
  check(ctx) {
    if (ctx.kind !== 'container' || ctx.target.generation !== 'classic' || !mayBeNo(ctx)) return [];
    const dq = effectiveValue(ctx, 'DISK_QUOTA');
    if (!dq || dq.value !== 'no') return [];
    const layout = layoutOf(ctx);
    if (layout?.layout === 'ploop') return [];
    const where = `DISK_QUOTA=no in ${sourceText(ctx, dq)}`;
    const layoutNote = layout ? ` (${describeLayout(ctx, layout)})` : '';
    const ifSimfs = layout ? '' : ' if simfs';
    const unknown = layout ? '' : ` ${unknownLayoutText(ctx)}.`;
    const out: Finding[] = [];
    // One finding for the first-level quota lines together (on the first of them), not one per line.
    const lines: { name: string; e: Entry }[] = [];
    for (const name of FIRST_LEVEL) {
      const def = ctx.catalog.parameter(name);
      if (!def) continue;
      for (const e of usedEntries(ctx, def)) lines.push({ name, e });
    }
    lines.sort((a, b) => a.e.line - b.e.line);
    const first = lines[0];
    if (first) {
      const names = lines.map((l) => `${l.name} (line ${lineNo(ctx, l.e.line)})`).join(', ');
      const short = lines.length <= 3 ? [...new Set(lines.map((l) => l.name))].join(', ') : `${lines[0]?.name} and ${lines.length - 1} more`;
      out.push(finding(ctx, 'disk-quota-off', entryRange(first.e), `${short} not enforced${ifSimfs}: DISK_QUOTA=no in ${shortSource(ctx, dq)}`, { detail: `Not enforced${ifSimfs}: ${names} — ${where} turns the disk quota off${layoutNote}.${unknown}`, unnecessary: true, fixes: [enableFix(ctx, dq, first.e)] }));
    }
    const ugid = ctx.catalog.parameter('QUOTAUGIDLIMIT');
    if (ugid) {
      for (const e of usedEntries(ctx, ugid)) {
        const n = /^\d+$/.test(e.value.trim()) ? BigInt(e.value.trim()) : undefined;
        if (n === 0n) continue; // 0 = off: nothing asked for
        // On ploop it would stay on (behaviour ugid-quota-ploop-without-disk-quota): said when the layout is unknown.
        const onPloop = layout ? '' : ' On ploop, though, DISK_QUOTA=no does not turn QUOTAUGIDLIMIT off: vzctl mounts the image with user and group quota all the same.';
        out.push(finding(ctx, 'disk-quota-off', entryRange(e), `QUOTAUGIDLIMIT has no effect${ifSimfs}: DISK_QUOTA=no in ${shortSource(ctx, dq)}`, { detail: `QUOTAUGIDLIMIT has no effect${ifSimfs}: on simfs the second-level (per-user and per-group) quota needs the first-level disk quota (vzquota), and ${where} turns it off${layoutNote}.${unknown}${onPloop}`, unnecessary: true, fixes: [enableFix(ctx, dq, e)] }));
      }
    }
    return out;
  },
};
