/**
 * `ubc-kmemsize`: vzcfgvalidate check 6 (src/validate.c): kernel memory (bytes) must cover 40 KiB per
 * average process plus the dentry cache: `KMEMSIZE.bar >= 40960 × avnumproc + DCACHESIZE.lim`
 * (unsigned 64-bit, `& LONG_MAX`; avnumproc = AVNUMPROC's barrier, else half NUMPROC's barrier).
 */
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, maskLong, nonVswapInputs, raiseBarrierFix, show } from './ubc';

export const RULE_ID = 'ubc-kmemsize';

/** Non-vSwap classic container configs: KMEMSIZE barrier below 40 KiB × avnumproc + DCACHESIZE limit. */
export const ubcKmemsize: Rule = {
  id: RULE_ID,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const km = inputs.need('KMEMSIZE');
    const dc = inputs.need('DCACHESIZE');
    const val = maskLong(40960n * inputs.avnumproc + dc.lim);
    if (km.bar >= val) return [];
    const said = say(ctx, `KMEMSIZE: barrier ${amount(km.bar, km.unit)} is below the ${amount(val, 'bytes')} needed`, 'vzcfgvalidate-error');
    return [finding(ctx, RULE_ID, km.entry.valueRange, said,
      { detail: explain(said, `KMEMSIZE: the barrier ${show(km.bar, km.unit)} is below 40 KiB × avnumproc ${inputs.avnumproc} (${inputs.avnumprocFrom}) + the DCACHESIZE limit ${show(dc.lim, dc.unit)} = ${show(val, 'bytes')}; the container runs out of kernel memory before reaching its process count`),
        fixes: [raiseBarrierFix(km, val, 'barrier raised, limit shifted by the same amount')] })];
  },
};
