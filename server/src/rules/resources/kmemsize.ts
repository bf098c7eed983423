/**
 * `ubc-kmemsize`: vzcfgvalidate check 6 (src/validate.c): kernel memory (bytes) must cover 40 KiB per
 * average process plus the dentry cache: `KMEMSIZE.bar >= 40960 × avnumproc + DCACHESIZE.lim`
 * (unsigned 64-bit, `& LONG_MAX`; avnumproc = AVNUMPROC's barrier, else half NUMPROC's barrier).
 */
import { UBC_CHECKED } from '../facts';
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, maskLong, nonVswapInputs, raiseBarrierFix, show } from './ubc';
import { LONG_MAX } from '../../values/numbers';

export const RULE_ID = 'ubc-kmemsize';

/** Non-vSwap classic container configs: KMEMSIZE barrier below 40 KiB × avnumproc + DCACHESIZE limit. */
export const ubcKmemsize: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const km = inputs.need('KMEMSIZE');
    const dc = inputs.need('DCACHESIZE');
    const raw = 40960n * inputs.avnumproc + dc.lim;
    const val = maskLong(raw);
    if (km.bar >= val) return [];
    // The sum passes LONG_MAX (an unlimited NUMPROC, AVNUMPROC or DCACHESIZE): vzcfgvalidate's unsigned
    // arithmetic wraps, and its "need" is an artefact of that, not a size anyone could give.
    const overflow = raw > LONG_MAX;
    const culprit = 40960n * inputs.avnumproc > LONG_MAX ? (inputs.avnumprocFrom.includes('AVNUMPROC') ? 'AVNUMPROC' : 'NUMPROC') : 'DCACHESIZE';
    const said = overflow
      ? say(ctx, `KMEMSIZE: the formula overflows with ${culprit} unlimited`, 'vzcfgvalidate-error')
      : say(ctx, `KMEMSIZE: barrier ${amount(km.bar, km.unit)} is below the ${amount(val, 'bytes')} needed`, 'vzcfgvalidate-error');
    return [finding(ctx, RULE_ID, km.entry.valueRange, said,
      { detail: explain(said, `KMEMSIZE: the barrier ${show(km.bar, km.unit)} is below 40 KiB × avnumproc ${inputs.avnumproc} (${inputs.avnumprocFrom}) + the DCACHESIZE limit ${show(dc.lim, dc.unit)} = ${show(val, 'bytes')}`,
        overflow
          ? `That sum is above LONG_MAX because ${culprit} is unlimited; vzcfgvalidate computes it in unsigned 64-bit arithmetic masked with LONG_MAX (src/validate.c), so its demand is an overflow artefact, not a real need: vzctl itself does not check it. Give ${culprit} a finite value, or suppress the finding`
          : 'the container runs out of kernel memory before reaching its process count'),
        fixes: [raiseBarrierFix(km, val, 'barrier raised, limit shifted by the same amount')] })];
  },
};
