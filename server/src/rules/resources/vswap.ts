/**
 * vzcfgvalidate's vSwap mode (`validate_vswap()`, src/validate.c), classic container configs whose
 * PHYSPAGES limit is neither LONG_MAX nor INT_MAX:
 * - `vswap-barrier` (error): PHYSPAGES / SWAPPAGES barrier other than 0;
 * - `vswap-limit-above-host` (warning): PHYSPAGES limit above the host's RAM, SWAPPAGES limit above
 *   the host's swap, in pages (bytes / 4096). Only when the host capacity is known (`ctx.capacity`,
 *   from `--node-ram` / `--node-swap` or the settings); vzcfgvalidate reads it from the running host.
 * A missing SWAPPAGES ("parameter swappages not found") is `ubc-required`'s.
 */
import { VSWAP_CHECK } from '../facts';
import { PAGE_SIZE } from '../../values/numbers';
import type { Finding, Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, classicContainer, given, isVswap, pairFix, show, ubc } from './ubc';
import { clip, q } from '../text';

export const BARRIER_ID = 'vswap-barrier';
export const HOST_ID = 'vswap-limit-above-host';

const PARAMS = ['PHYSPAGES', 'SWAPPAGES'] as const;

/** vSwap classic container configs: PHYSPAGES / SWAPPAGES barrier (pages) other than 0. */
export const vswapBarrier: Rule = {
  id: BARRIER_ID,
  needs: VSWAP_CHECK,
  check(ctx) {
    if (!classicContainer(ctx) || !isVswap(ctx)) return [];
    const out: Finding[] = [];
    for (const name of PARAMS) {
      const u = ubc(ctx, name);
      if (!u || u.bar === 0n) continue;
      // One number (`PHYSPAGES="32G"`) is barrier and limit both: say so, with what was written.
      const head = u.single
        ? `${name}: "${clip(u.barPart.text.trim())}" also sets the barrier (${amount(u.bar, u.unit)}), which should be 0`
        : `${name}: barrier ${given(u.barPart, u.unit)} should be 0 in a vSwap config`;
      const said = say(ctx, head, 'vzcfgvalidate-vswap-error');
      const size = name === 'PHYSPAGES' ? 'RAM' : 'swap';
      out.push(finding(ctx, BARRIER_ID, u.entry.valueRange, said,
        { detail: explain(said, u.single
          ? `${name}: vzctl reads the single value ${q(u.barPart.text.trim())} as barrier and limit, ${show(u.bar, u.unit)} each; in a vSwap config the barrier should be 0 and the limit alone sets the ${size} size, as in ${q(`0:${u.barPart.text.trim()}`)}`
          : `${name}: the barrier ${show(u.bar, u.unit)} should be 0 in a vSwap config; only the limit (${show(u.lim, u.unit)}) sets the ${size} size`),
          fixes: [pairFix(u, 0n, u.lim, 'barrier := 0, as vzcfgvalidate -r does')] }));
    }
    return out;
  },
};

/** vSwap classic container configs with a known host capacity: RAM / swap limit above the host's (pages). */
export const vswapLimitAboveHost: Rule = {
  id: HOST_ID,
  needs: VSWAP_CHECK,
  check(ctx) {
    const cap = ctx.capacity;
    if (!cap || !classicContainer(ctx) || !isVswap(ctx)) return [];
    const out: Finding[] = [];
    for (const name of PARAMS) {
      const bytes = name === 'PHYSPAGES' ? cap.ramBytes : cap.swapBytes;
      const u = ubc(ctx, name);
      if (bytes === undefined || !u) continue;
      const host = bytes / PAGE_SIZE;
      if (u.lim <= host) continue;
      const what = name === 'PHYSPAGES' ? 'RAM' : 'swap';
      const said = say(ctx, `${name}: limit ${given(u.limPart, u.unit)} is above the host's ${what} (${amount(host, 'pages')})`, 'vzcfgvalidate-vswap-warning');
      out.push(finding(ctx, HOST_ID, u.entry.valueRange, said,
        { detail: explain(said, `${name}: the limit ${show(u.lim, u.unit)} is above the host's ${what} ${show(host, 'pages')}; the container's ${what} is promised but cannot exist`),
          fixes: [pairFix(u, u.bar, host, `limit := the host's ${what}, as vzcfgvalidate -r does`)] }));
    }
    return out;
  },
};
