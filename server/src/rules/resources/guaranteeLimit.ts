/**
 * `ubc-guarantee-limit`: vzcfgvalidate check 3 (src/validate.c): the limits of VMGUARPAGES and
 * OOMGUARPAGES must be unlimited (LONG_MAX) — they are guarantees, the kernel ignores their limit.
 * INT_MAX (2147483647) is left to `ubc-32bit-unlimited` (a warning, see its docs).
 */
import { UBC_CHECKED } from '../facts';
import { INT_MAX, LONG_MAX } from '../../values/numbers';
import type { Finding, Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { given, nonVswapInputs, pairFix, show } from './ubc';

export const RULE_ID = 'ubc-guarantee-limit';

/** Non-vSwap classic container configs: VMGUARPAGES / OOMGUARPAGES limit (pages) other than unlimited. */
export const ubcGuaranteeLimit: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const out: Finding[] = [];
    for (const name of ['VMGUARPAGES', 'OOMGUARPAGES'] as const) {
      const u = inputs.need(name);
      if (u.lim === LONG_MAX || u.lim === INT_MAX) continue;
      const said = say(ctx, `${u.name}: limit ${given(u.limPart, u.unit)} should be unlimited`, 'vzcfgvalidate-error');
      out.push(finding(ctx, RULE_ID, u.entry.valueRange, said,
        { detail: explain(said, `${u.name}: the limit ${show(u.lim, u.unit)} should be unlimited; ${u.name} is a guarantee, its limit is not used, and vzcfgvalidate reports any other value as an error`),
          // LONG_MAX as the target spells it; none before vzctl 3.0.9, where the spelling depends on the host.
          fixes: u.longMax === undefined ? [] : [pairFix(u, u.bar, LONG_MAX, 'limit := unlimited, as vzcfgvalidate -r does')] }));
    }
    return out;
  },
};
