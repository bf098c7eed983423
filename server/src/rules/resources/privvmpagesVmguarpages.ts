/**
 * `ubc-privvmpages-vmguarpages`: vzcfgvalidate check 7 (src/validate.c): the allocation barrier must
 * not be below the allocation guarantee: `PRIVVMPAGES.bar >= VMGUARPAGES.bar` (pages).
 */
import { UBC_CHECKED } from '../facts';
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { given, nonVswapInputs, pairFix, show } from './ubc';

export const RULE_ID = 'ubc-privvmpages-vmguarpages';

/** Non-vSwap classic container configs: PRIVVMPAGES barrier below the VMGUARPAGES barrier. */
export const ubcPrivvmpagesVmguarpages: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const pv = inputs.need('PRIVVMPAGES');
    const vg = inputs.need('VMGUARPAGES');
    if (pv.bar >= vg.bar) return [];
    // vzcfgvalidate -r sets the barrier to VMGUARPAGES' barrier and, when the limit is already at
    // least that, the limit to VMGUARPAGES' *limit* (usually unlimited): an apparent slip that would
    // lift the cap. We keep the limit, raising it only when it is below the new barrier.
    const lim = pv.lim < vg.bar ? vg.bar : pv.lim;
    const said = say(ctx, `PRIVVMPAGES: barrier ${given(pv.barPart, pv.unit)} is below the VMGUARPAGES barrier ${given(vg.barPart, vg.unit)}`, 'vzcfgvalidate-warning');
    return [finding(ctx, RULE_ID, pv.entry.valueRange, said,
      { detail: explain(said, `PRIVVMPAGES: the barrier ${show(pv.bar, pv.unit)} is below the VMGUARPAGES barrier ${show(vg.bar, vg.unit)}; the container is refused allocations before it reaches the memory it is guaranteed`),
        fixes: [pairFix(pv, vg.bar, lim, 'barrier := VMGUARPAGES barrier, as vzcfgvalidate -r does')] })];
  },
};
