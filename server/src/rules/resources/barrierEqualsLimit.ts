/**
 * `ubc-barrier-equals-limit`: vzcfgvalidate check 1 (`CHECK_B`, src/validate.c): for these item
 * counts and SHMPAGES the barrier must equal the limit. A barrier above the limit is left to the core
 * rule `barrier-above-limit` (same fix: limit := barrier = the larger of the two), so a pair is never
 * reported twice.
 */
import { UBC_CHECKED } from '../facts';
import type { Finding, Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { given, nonVswapInputs, pairFix, show } from './ubc';

export const RULE_ID = 'ubc-barrier-equals-limit';

/** The parameters of vzcfgvalidate's `CHECK_B`, in its order. */
export const EQUAL_PAIRS = ['NUMPROC', 'NUMTCPSOCK', 'NUMOTHERSOCK', 'SHMPAGES', 'NUMFILE', 'NUMPTY', 'NUMSIGINFO', 'NUMIPTENT'];

/** Non-vSwap classic container configs: barrier < limit for one of `EQUAL_PAIRS` (items; SHMPAGES in pages). */
export const ubcBarrierEqualsLimit: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const out: Finding[] = [];
    for (const name of EQUAL_PAIRS) {
      const u = inputs.get(name);
      if (!u || u.bar >= u.lim) continue;
      const said = say(ctx, `${u.name}: barrier ${given(u.barPart, u.unit)} differs from limit ${given(u.limPart, u.unit)}`, 'vzcfgvalidate-error');
      out.push(finding(ctx, RULE_ID, u.entry.valueRange, said,
        { detail: explain(said, `${u.name}: the barrier ${show(u.bar, u.unit)} differs from the limit ${show(u.lim, u.unit)}; for this resource the kernel has no use for a gap between them, and vzcfgvalidate wants them equal`),
          fixes: [pairFix(u, u.lim, u.lim, 'both the larger, as vzcfgvalidate -r does')] }));
    }
    return out;
  },
};
