/**
 * `ubc-physpages`: vzcfgvalidate check 4 (src/validate.c) in non-vSwap mode: PHYSPAGES only accounts
 * RAM there, so it must be `0:unlimited`. In non-vSwap mode the limit is unlimited by definition (a
 * limited PHYSPAGES makes it a vSwap config), so what remains is a barrier other than 0; the INT_MAX
 * limit is `ubc-32bit-unlimited`'s.
 */
import { UBC_CHECKED } from '../facts';
import { LONG_MAX } from '../../values/numbers';
import type { Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { given, nonVswapInputs, pairFix, show } from './ubc';

export const RULE_ID = 'ubc-physpages';

/** Non-vSwap classic container configs: PHYSPAGES barrier (pages) other than 0. */
export const ubcPhyspages: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const u = inputs.need('PHYSPAGES');
    if (u.bar === 0n) return [];
    // The limit as the target spells LONG_MAX; an INT_MAX limit is kept where no one spelling is right
    // on every host (before vzctl 3.0.9): the barrier is what this rule is about.
    const lim = u.longMax === undefined ? u.lim : LONG_MAX;
    const said = say(ctx, `PHYSPAGES: barrier ${given(u.barPart, u.unit)} should be 0 outside vSwap`, 'vzcfgvalidate-error');
    return [finding(ctx, RULE_ID, u.entry.valueRange, said,
      { detail: explain(said, `PHYSPAGES: the barrier ${show(u.bar, u.unit)} should be 0; in a non-vSwap config PHYSPAGES only counts RAM use and vzcfgvalidate wants "0:unlimited"`),
        fixes: [pairFix(u, 0n, lim, 'as vzcfgvalidate -r does')] })];
  },
};
