/**
 * `ubc-numfile`: vzcfgvalidate check 13 (src/validate.c): open files (items) must cover 32 per average
 * process and one per socket and pty: `NUMFILE.bar >= max(32 × avnumproc, NUMTCPSOCK.bar +
 * NUMOTHERSOCK.bar + NUMPTY.bar)` (unsigned 64-bit, `& LONG_MAX`).
 */
import { UBC_CHECKED } from '../facts';
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, given, maskLong, nonVswapInputs, raiseBarrierFix, show, u64 } from './ubc';

export const RULE_ID = 'ubc-numfile';

/** Non-vSwap classic container configs: NUMFILE barrier below vzcfgvalidate's minimum. */
export const ubcNumfile: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const nf = inputs.need('NUMFILE');
    const perProc = u64(inputs.avnumproc * 32n);
    const sockets = u64(inputs.need('NUMTCPSOCK').bar + inputs.need('NUMOTHERSOCK').bar + inputs.need('NUMPTY').bar);
    const val = maskLong(sockets > perProc ? sockets : perProc);
    if (nf.bar >= val) return [];
    const said = say(ctx, `NUMFILE: barrier ${given(nf.barPart, nf.unit)} is below the ${amount(val, 'items')} open files needed`, 'vzcfgvalidate-warning');
    return [finding(ctx, RULE_ID, nf.entry.valueRange, said,
      { detail: explain(said, `NUMFILE: the barrier ${show(nf.bar, nf.unit)} is below max(32 × avnumproc ${show(inputs.avnumproc, 'items')} (${inputs.avnumprocFrom}) = ${show(perProc, 'items')}, NUMTCPSOCK + NUMOTHERSOCK + NUMPTY barriers = ${show(sockets, 'items')}) = ${show(val, 'items')} open files`),
        fixes: [raiseBarrierFix(nf, val, 'barrier raised, limit shifted by the same amount')] })];
  },
};
