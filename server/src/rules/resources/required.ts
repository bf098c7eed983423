/**
 * `ubc-required`: a classic container config without the UBC parameters `vzctl start` requires
 * (`check_ub()`, src/lib/ub.c; reference §3.1). Also carries vzcfgvalidate's "Error: parameter X not
 * found" (src/validate.c), which covers the same parameters, so they are reported once.
 */
import { effectiveValue } from '../../model/effective';
import type { Entry, Range } from '../../parser/types';
import type { Finding, Fix, LintContext, Rule, TextEdit } from '../types';
import { entryRange, eolOf, finding, lineRange } from '../util';
import { explain, fixTitle, say, type Said } from '../say';
import { vswapSamples, type VswapSample } from './samples';
import { classicContainer, isVswap, mergedUbc, ownEntries, parsePairText, requiredToStart } from './ubc';
import { ObjectCache } from '../../util/objectCache';

export const RULE_ID = 'ubc-required';

/** Disk quota pairs vzcfgvalidate checks in non-vSwap mode when the file sets DISK_QUOTA=yes. */
const QUOTA_PAIRS = ['DISKSPACE', 'DISKINODES'];

/** The first line of the file's UBC block (any parameter with a UBC pair grammar), if any. */
const firstUbc = new ObjectCache<LintContext, { entry: Entry | undefined }>();
/** The first live UBC entry, found once per lint (each vSwap fix asks; a file can have 10,000 other entries). */
function firstUbcEntry(ctx: LintContext): Entry | undefined {
  let hit = firstUbc.get(ctx);
  if (!hit) {
    // (A loop, not `find` with an arrow made per lint: the optimised code of such an arrow dies with it at
    // a full collection and each new one was compiled again; util/shapeAnchor.ts.)
    let entry: Entry | undefined;
    const live = ctx.live;
    for (let i = 0; i < live.length; i += 1) {
      const e = live[i] as Entry;
      if (e.key === e.name && ctx.def(e)?.grammar === 'ubc') {
        entry = e;
        break;
      }
    }
    hit = { entry };
    firstUbc.set(ctx, hit);
  }
  return hit.entry;
}

/** Where a new line goes: before the UBC block, else before the first setting, else at the end. */
function insertAt(ctx: LintContext): { line: number; prefix: string } {
  const at = firstUbcEntry(ctx) ?? ctx.live[0];
  if (at) return { line: at.line, prefix: '' };
  const last = ctx.doc.text.length - 1;
  const lastText = ctx.doc.text[last] ?? '';
  return lastText === '' ? { line: last, prefix: '' } : { line: last + 1, prefix: eolOf(ctx) };
}

/** Inserts whole lines, with the file's own line ending. */
function insertEdit(ctx: LintContext, lines: string[]): TextEdit {
  const eol = eolOf(ctx);
  const at = insertAt(ctx);
  if (at.line >= ctx.doc.text.length) {
    const last = ctx.doc.text.length - 1;
    const pos = { line: last, character: (ctx.doc.text[last] ?? '').length };
    return { range: { start: pos, end: pos }, newText: `${eol}${lines.join(eol)}${eol}` };
  }
  const pos = { line: at.line, character: 0 };
  return { range: { start: pos, end: pos }, newText: `${at.prefix}${lines.join(eol)}${eol}` };
}

/** Sets `name` to `value`: rewrites the line vzctl would use, or inserts a new line. */
function setOrInsert(ctx: LintContext, names: [string, string][]): TextEdit[] {
  const edits: TextEdit[] = [];
  const inserted: string[] = [];
  for (const [name, value] of names) {
    const own = ownEntries(ctx, name);
    const e = own[own.length - 1];
    if (e) edits.push({ range: e.rawValueRange, newText: `"${value}"` });
    else inserted.push(`${name}="${value}"`);
  }
  if (inserted.length > 0) edits.push(insertEdit(ctx, inserted));
  return edits;
}

/** The sample whose RAM equals `physLimitPages`, if one does. */
function sampleForRam(ctx: LintContext, physLimitPages: bigint): VswapSample | undefined {
  const unit = ctx.catalog.parameter('PHYSPAGES')?.unit;
  return vswapSamples().samples.find((s) => parsePairText(s.PHYSPAGES, unit)?.lim === physLimitPages);
}

/**
 * Classic container configs only (not 0.conf, vz.conf or Virtuozzo 7). vSwap config (PHYSPAGES limit
 * neither LONG_MAX nor INT_MAX): PHYSPAGES and SWAPPAGES are required; otherwise all twenty UBCs of
 * `check_ub()`. Parameters set in the node's vz.conf count (vzctl merges it). One finding for all the
 * missing parameters, on the first UBC line or on line 1.
 */
export const ubcRequired: Rule = {
  id: RULE_ID,
  check(ctx) {
    if (!classicContainer(ctx)) return [];
    // isVswap() is false before vzctl 3.0.30 (VSWAP_OPTIONAL_SINCE), where check_ub() wants the full set.
    const vswap = isVswap(ctx);
    const required = requiredToStart(ctx.catalog, vswap ? 'vswap' : 'non-vswap');
    // Nothing is built for a config that has them all (most): the lists are made at the first one missing.
    let missing: string[] | undefined;
    for (const n of required) if (!mergedUbc(ctx, n)) (missing ??= []).push(n);
    // vzcfgvalidate (non-vSwap mode) also wants DISKSPACE and DISKINODES when the file itself says
    // DISK_QUOTA=yes; it never looks at vz.conf's DISK_QUOTA (its merge goes the other way).
    let quotaMissing: string[] | undefined;
    if (!vswap) {
      const quotaOwn = ownEntries(ctx, 'DISK_QUOTA');
      if (quotaOwn[quotaOwn.length - 1]?.value === 'yes') for (const n of QUOTA_PAIRS) if (!mergedUbc(ctx, n)) (quotaMissing ??= []).push(n);
    }
    if (missing === undefined && quotaMissing === undefined) return [];
    return [requiredFinding(ctx, vswap, required, missing ?? [], quotaMissing ?? [])];
  },
};

/**
 * ubc-required's one finding: `missing` of the `required` UBCs (vSwap config or not) and `quotaMissing` of
 * the DISK_QUOTA=yes pairs, not both empty.
 */
function requiredFinding(ctx: LintContext, vswap: boolean, required: readonly string[], missing: string[], quotaMissing: string[]): Finding {
  const first = firstUbcEntry(ctx);
  const range: Range = first ? entryRange(first) : lineRange(ctx, 0);
  const invalid = [...missing, ...quotaMissing].filter((n) => ownEntries(ctx, n).length > 0);
  const quotaNote = quotaMissing.length > 0 ? `; with DISK_QUOTA=yes vzcfgvalidate also requires ${quotaMissing.join(' and ')}` : '';
  const invalidNote = invalid.length > 0 ? ` (${invalid.join(', ')} ${invalid.length === 1 ? 'is' : 'are'} written but not valid, so vzctl skips ${invalid.length === 1 ? 'it' : 'them'})` : '';
  const samples = vswapSamples();
  let said: Said;
  let long: string;
  const fixes: Fix[] = [];
  const names = (list: string[]): string => (list.length <= 3 ? list.join(', ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`);
  if (vswap) {
    const phys = mergedUbc(ctx, 'PHYSPAGES');
    said = say(ctx, `vSwap config without SWAPPAGES${invalid.length > 0 ? ' (the line is invalid)' : ''}`, 'start-fails-without-ubc');
    long = `vSwap config (PHYSPAGES limit is not unlimited) without SWAPPAGES${invalidNote}: vzctl start fails with "required UB parameter swappages not set"`;
    const sample = (phys && sampleForRam(ctx, phys.lim)) ?? samples.default;
    fixes.push({
      title: fixTitle(`Add SWAPPAGES="${sample.SWAPPAGES}"`, `from vzctl's ${sample.id} sample`),
      detail: `SWAPPAGES="${sample.SWAPPAGES}" comes from vzctl's ${sample.id} sample${sample === samples.default ? '' : ', which has the same RAM'}.`,
      edits: setOrInsert(ctx, [['SWAPPAGES', sample.SWAPPAGES]]),
      safe: false,
    });
  } else if (missing.length === 0) {
    said = say(ctx, `DISK_QUOTA=yes without ${quotaMissing.join(' and ')}`, 'vzcfgvalidate-missing');
    long = `DISK_QUOTA=yes without ${quotaMissing.join(' and ')}${invalidNote}: vzcfgvalidate reports "parameter … not found", and vzctl cannot set up the disk quota of a simfs container ("Not enough parameters, … quota not set")`;
  } else {
    const list = missing.join(', ');
    // SWAPPAGES alone makes no vSwap config (the PHYSPAGES limit decides): say it is there.
    const swapOnly = mergedUbc(ctx, 'SWAPPAGES') !== undefined;
    const physWord = ownEntries(ctx, 'PHYSPAGES').length > 0 ? 'a valid PHYSPAGES' : 'PHYSPAGES';
    said = missing.length === required.length
      ? say(ctx, swapOnly ? `SWAPPAGES without ${physWord} and no UBC parameters` : `No UBC parameters and no vSwap PHYSPAGES/SWAPPAGES`, 'start-fails-without-ubc')
      : say(ctx, `${missing.length} of ${required.length} UBCs missing: ${names(missing)}`, 'start-fails-without-ubc');
    long = missing.length === required.length
      ? `No UBC parameters${invalidNote}: a non-vSwap config needs all ${required.length} (${list}), a vSwap config PHYSPAGES="0:<RAM>" and SWAPPAGES; vzctl start fails with "required UB parameter … not set"${quotaNote}`
      : `${missing.length} of the ${required.length} UBC parameters of a non-vSwap config missing: ${list}${invalidNote}; vzctl start fails with "required UB parameter … not set" (a vSwap config, PHYSPAGES="0:<RAM>" with SWAPPAGES, needs no others)${quotaNote}`;
    // The sample this container came from (ORIGIN_SAMPLE) or the node creates from (CONFIGFILE) first,
    // else the default; then the others from small to large, as the data lists them.
    const named = [effectiveValue(ctx, 'ORIGIN_SAMPLE')?.value, effectiveValue(ctx, 'CONFIGFILE')?.value]
      .map((v) => samples.samples.find((x) => x.id === `ve-${(v ?? '').trim()}`))
      .find((x) => x !== undefined);
    const first = named ?? samples.default;
    for (const sample of [first, ...samples.samples.filter((s) => s !== first)]) {
      fixes.push({
        title: fixTitle(`Make it vSwap: PHYSPAGES="${sample.PHYSPAGES}" SWAPPAGES="${sample.SWAPPAGES}"`, sample.id),
        detail: `Make it a vSwap config with the RAM and swap of vzctl's ${sample.id} sample.`,
        edits: setOrInsert(ctx, [['PHYSPAGES', sample.PHYSPAGES], ['SWAPPAGES', sample.SWAPPAGES]]),
        safe: false,
      });
    }
  }
  return finding(ctx, RULE_ID, range, said, { detail: explain(said, long), fixes });
}
