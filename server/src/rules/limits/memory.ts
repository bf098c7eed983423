/**
 * Memory sense checks (issue 3, part 3): limits that contradict vSwap, byte counts written into
 * pages parameters, and MEMINFO under vSwap. Units: every `*PAGES` value is in 4096-byte pages
 * (reference §2, "pages (divisor = page size)"); vSwap is decided as vzctl's `is_vswap_config`
 * does (reference §3.1: PHYSPAGES limit ≠ LONG_MAX and ≠ INT_MAX).
 */
import { LIMITS_SETTING, UBC_CHECKED } from '../facts';
import { pairOf } from '../../model/effective';
import { PAGE_SIZE, humanize, isUnlimited, looksLikeBytes } from '../../values/numbers';
import type { ParameterDef } from '../../catalog/types';
import type { Entry } from '../../parser/types';
import type { Pair } from '../../values/validate';
import type { Finding, Fix, LintContext, Rule } from '../types';
import { deleteLines, finding, lineNo } from '../util';
import { asWritten, clip } from '../text';
import { CatalogMemo, liveEntries, vswapPhyspages } from './common';

/** `N pages (X MiB)`: a pages count as stored and in binary units. */
export function pagesText(pages: bigint): string {
  return `${pages} pages (${humanize(pages, 'pages')})`;
}

/**
 * PRIVVMPAGES below RAM+swap of a vSwap container. In vSwap mode vzctl leaves privvmpages
 * unlimited, or derives it as (RAM+swap) × VM_OVERCOMMIT (reference §3.1); an explicit PRIVVMPAGES
 * barrier below PHYSPAGES.limit + SWAPPAGES.limit (pages) refuses allocations before the container
 * can use the memory and swap it was given. Classic only (Virtuozzo 7 accounts memory by cgroups and
 * its samples use `PHYSPAGES="N:N"`); not for CT0 or vz.conf.
 */
export const privvmpagesBelowVswap: Rule = {
  id: 'privvmpages-below-vswap',
  needs: UBC_CHECKED,
  check(ctx) {
    // Most containers have no PRIVVMPAGES line (vSwap configs): one lookup in the file's index, then done.
    if (ctx.target.generation !== 'classic' || ctx.kind !== 'container' || !ctx.byName.has('PRIVVMPAGES')) return [];
    // The vSwap PHYSPAGES next: a non-vSwap config (which has PRIVVMPAGES) stops here.
    const phys = vswapPhyspages(ctx);
    if (!phys) return [];
    const priv = pairOf(ctx, 'PRIVVMPAGES');
    const swap = pairOf(ctx, 'SWAPPAGES');
    if (!phys || !swap || !priv || isUnlimited(swap.pair.limit.value)) return [];
    const bar = priv.pair.barrier.value;
    if (isUnlimited(bar)) return [];
    const ram = phys.pair.limit.value;
    const sw = swap.pair.limit.value;
    const total = ram + sw;
    if (bar >= total) return [];
    const fixes: Fix[] = [
      { title: `Set PRIVVMPAGES to RAM+swap (${total}:${total} pages)`, edits: [{ range: priv.entry.rawValueRange, newText: `"${total}:${total}"` }], safe: false },
      { title: 'Remove PRIVVMPAGES (vzctl derives it from RAM+swap)', detail: 'Without PRIVVMPAGES vzctl derives it from RAM+swap × VM_OVERCOMMIT, or leaves it unlimited.', edits: [deleteLines(ctx, priv.entry.line, priv.entry.line)], safe: false },
    ];
    return [finding(ctx, 'privvmpages-below-vswap', priv.entry.valueRange,
      `PRIVVMPAGES: barrier ${bar} is below RAM+swap, ${total} pages (${humanize(total, 'pages')})`,
      { detail: `PRIVVMPAGES barrier ${pagesText(bar)} is below the RAM+swap of this vSwap container: PHYSPAGES limit ${pagesText(ram)} + SWAPPAGES limit ${pagesText(sw)} = ${pagesText(total)}; allocations are refused before the container can use the memory and swap it was given.`, fixes })];
  },
};

/**
 * A byte count written into a pages parameter (LOCKEDPAGES PRIVVMPAGES SHMPAGES PHYSPAGES
 * VMGUARPAGES OOMGUARPAGES SWAPPAGES): vzctl multiplies by the page size, so `1073741824` (1 GiB in
 * bytes) becomes 4 TiB. Both generations read these in pages (reference §2); parameters the target
 * ignores are skipped. Applies to every file kind: the unit is the same in 0.conf and vz.conf.
 */
export const pagesValueInBytes: Rule = {
  id: 'pages-value-in-bytes',
  needs: LIMITS_SETTING,
  check(ctx) {
    let out: Finding[] | undefined;
    // Only the pages parameters' lines, looked up by name (a file sets a few of the seven), rather than every
    // value check of the file.
    for (const def of pagesParameters.get(ctx.catalog)) {
      const lines = ctx.byName.get(def.name);
      if (lines === undefined) continue;
      for (const e of lines) {
        const check = ctx.values.get(e);
        // Most pairs are plain page counts: they are passed over without building anything.
        if (!check?.pair || (!looksLikeBytes(check.pair.barrier) && (check.pair.single || !looksLikeBytes(check.pair.limit)))) continue;
        if (ctx.doc.continuationLines.has(e.line)) continue;
        if (ctx.status(def).some((s) => s.kind === 'ignored' || s.kind === 'removed')) continue;
        (out ??= []).push(bytesFinding(ctx, def, e, check.pair));
      }
    }
    if (out === undefined) return [];
    // In file order, as the lines come (one finding a line).
    if (out.length > 1) out.sort((a, b) => a.range.start.line - b.range.start.line);
    return out;
  },
};

/** The catalogue's parameters counted in pages (schemas/parameters.yaml `unit: pages`), in catalogue order. */
const pagesParameters = new CatalogMemo((c) => c.catalog.parameters.filter((d) => d.unit === 'pages'));

/** pages-value-in-bytes' finding on line `e` of pages parameter `def`, whose pair has a byte-like number. */
function bytesFinding(ctx: LintContext, def: ParameterDef, e: Entry, pair: Pair): Finding {
  const { barrier, limit, single } = pair;
  const parts = single ? [barrier] : [barrier, limit];
  const asPages = parts.map((p) => humanize(p.value, 'pages')).join(' / ');
  // The pair as written (quoted when a blank precedes a number, as in ` 2147483648`).
  const written = parts.map((p) => p.text).join(':');
  const asBytes = parts.map((p) => (looksLikeBytes(p) ? humanize(p.value, 'bytes') : p.unlimited ? 'unlimited' : `${p.text} pages`)).join(' / ');
  const divided = parts.map((p) => (looksLikeBytes(p) ? p.value / PAGE_SIZE : p.value));
  const newParts = parts.map((p, i) => (looksLikeBytes(p) ? (divided[i] as bigint).toString() : p.text));
  const fixes: Fix[] = [];
  const [b, l] = [divided[0] as bigint, (divided[1] ?? divided[0]) as bigint];
  if (b <= l) {
    fixes.push({ title: `Read as bytes: divide by 4096 (${newParts.join(':')} pages)`, edits: [{ range: e.rawValueRange, newText: `"${newParts.join(':')}"` }], safe: false });
  }
  if (def.name !== 'PHYSPAGES' && def.name !== 'SWAPPAGES') {
    fixes.push({ title: 'Meant as "no limit": set to unlimited', edits: [{ range: e.rawValueRange, newText: '"unlimited"' }], safe: false });
  }
  return finding(ctx, 'pages-value-in-bytes', e.valueRange,
    `${def.name}: ${asWritten(written, 25)} is ${clip(asPages, 24)} in 4 KiB pages; bytes meant?`,
    { detail: `${def.name} is counted in 4 KiB pages: ${asWritten(written, 200)} is ${asPages} as pages, which looks like a byte count (${asBytes}); if bytes were meant, divide by 4096 or add a B suffix.`, fixes });
}

/**
 * MEMINFO under vSwap: vSwap kernels ignore it (reference §2 MEMINFO, §7 "Kernel-dependent"), and a
 * vSwap config only starts on a vSwap kernel. Classic only: the Virtuozzo 7 vSwap decision differs
 * (its samples use `PHYSPAGES="N:N"`) and the reference does not say how libvzctl treats MEMINFO.
 */
export const meminfoUnderVswap: Rule = {
  id: 'meminfo-under-vswap',
  needs: LIMITS_SETTING,
  check(ctx) {
    if (ctx.target.generation !== 'classic' || ctx.kind !== 'container') return [];
    // MEMINFO lines first (most files have none): the vSwap question only for a file that has one.
    const lines = liveEntries(ctx, 'MEMINFO');
    if (lines.length === 0) return [];
    const phys = vswapPhyspages(ctx);
    if (!phys) return [];
    return lines.map((e) => finding(ctx, 'meminfo-under-vswap', { start: e.keyRange.start, end: e.rawValueRange.end },
      `MEMINFO has no effect in a vSwap config (PHYSPAGES on line ${lineNo(ctx, phys.entry.line)})`,
      { detail: `MEMINFO is ignored: this is a vSwap config (PHYSPAGES limit ${pagesText(phys.pair.limit.value)} on line ${lineNo(ctx, phys.entry.line)}), and vSwap kernels take /proc/meminfo from PHYSPAGES and SWAPPAGES.`, unnecessary: true, fixes: [{ title: 'Remove MEMINFO (vSwap kernels ignore it)', edits: [deleteLines(ctx, e.line, e.line)], safe: true }] }));
  },
};
