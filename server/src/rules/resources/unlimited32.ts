/**
 * `ubc-32bit-unlimited`: where vzcfgvalidate demands LONG_MAX (VMGUARPAGES and OOMGUARPAGES limits,
 * PHYSPAGES limit in non-vSwap mode; src/validate.c checks 3 and 4) the file has 2147483647, the
 * "unlimited" of 32-bit hosts. vzctl accepts it (`is_vswap_config()` even treats it as unlimited), so
 * this is a warning, not vzcfgvalidate's error: a deliberate deviation.
 */
import { INT_MAX } from '../../values/numbers';
import type { Finding, Rule } from '../types';
import { finding } from '../util';
import { nonVswapInputs, pairFix } from './ubc';

export const RULE_ID = 'ubc-32bit-unlimited';

/** Non-vSwap classic container configs: INT_MAX (pages) as the limit of VMGUARPAGES, OOMGUARPAGES or PHYSPAGES. */
export const ubc32bitUnlimited: Rule = {
  id: RULE_ID,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const out: Finding[] = [];
    for (const name of ['VMGUARPAGES', 'OOMGUARPAGES', 'PHYSPAGES'] as const) {
      const u = inputs.need(name);
      if (u.lim !== INT_MAX) continue;
      out.push(finding(ctx, RULE_ID, u.entry.valueRange,
        `${name}: limit 2147483647 is the 32-bit "unlimited"; write "unlimited"`,
        { detail: `${name}: the limit 2147483647 is the 32-bit "unlimited" (8 TiB in pages); vzctl accepts it, but on a 64-bit host vzcfgvalidate demands 9223372036854775807 and reports an error.`,
          fixes: [pairFix(u, u.bar, 'unlimited', 'limit := unlimited')] }));
    }
    return out;
  },
};
