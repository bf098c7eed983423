/**
 * `ubc-dcachesize`: vzcfgvalidate check 5 (src/validate.c): the dentry cache limit (bytes) must hold
 * 384 bytes per file: `DCACHESIZE.lim >= NUMFILE.bar × 384` (unsigned 64-bit, `& LONG_MAX`).
 */
import { UBC_CHECKED } from '../facts';
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, maskLong, nonVswapInputs, pairFix, show } from './ubc';

export const RULE_ID = 'ubc-dcachesize';

/** Non-vSwap classic container configs: DCACHESIZE limit below 384 bytes × the NUMFILE barrier. */
export const ubcDcachesize: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const dc = inputs.need('DCACHESIZE');
    const nf = inputs.need('NUMFILE');
    const val = maskLong(nf.bar * 384n);
    if (dc.lim >= val) return [];
    const said = say(ctx, `DCACHESIZE: limit ${amount(dc.lim, dc.unit)} is below 384 bytes × NUMFILE = ${amount(val, 'bytes')}`, 'vzcfgvalidate-warning');
    return [finding(ctx, RULE_ID, dc.entry.valueRange, said,
      { detail: explain(said, `DCACHESIZE: the limit ${show(dc.lim, dc.unit)} is below 384 bytes × the NUMFILE barrier ${nf.bar} = ${show(val, 'bytes')}; open files may not get dentry cache`),
        fixes: [pairFix(dc, dc.bar, val, 'limit := 384 × NUMFILE, as vzcfgvalidate -r does')] })];
  },
};
