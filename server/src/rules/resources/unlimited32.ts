/**
 * `ubc-32bit-unlimited`: where vzcfgvalidate demands LONG_MAX (VMGUARPAGES and OOMGUARPAGES limits,
 * PHYSPAGES limit in non-vSwap mode; src/validate.c checks 3 and 4) the file has 2147483647, the
 * "unlimited" of 32-bit hosts. vzctl accepts it (`is_vswap_config()` even treats it as unlimited), so
 * this is a warning, not vzcfgvalidate's error: a deliberate deviation.
 */
import { UBC_CHECKED } from '../facts';
import { compareVersions } from '../../model/version';
import { INT_MAX, LONG_MAX } from '../../values/numbers';
import { explain, type Said } from '../say';
import type { Finding, Rule } from '../types';
import { finding } from '../util';
import { longMaxSpelling, nonVswapInputs, pairFix } from './ubc';

export const RULE_ID = 'ubc-32bit-unlimited';

/**
 * Non-vSwap classic container configs: INT_MAX (pages) as the limit of VMGUARPAGES, OOMGUARPAGES or
 * PHYSPAGES. The advice and the fix write LONG_MAX as the target reads it (`long-max-spelling` in
 * schemas/behaviours.yaml): "unlimited" from vzctl 3.0.19, 9223372036854775807 from 3.0.9 (clamped to
 * 2147483647 on i386); before that no fix, as the spelling depends on the host.
 */
export const ubc32bitUnlimited: Rule = {
  id: RULE_ID,
  needs: UBC_CHECKED,
  check(ctx) {
    const inputs = nonVswapInputs(ctx);
    if (!inputs) return [];
    const out: Finding[] = [];
    // On an i386 node LONG_MAX is 2147483647 and vzcfgvalidate accepts it: i386 sample copies
    // (`*.conf-sample.x86`) and, before vzctl 3.0.14 put the architecture in the name, the plain samples
    // were written for i386. There it is at most a note for the day the file moves to x86_64.
    const i386 = /\.conf-sample\.x86$/.test(ctx.path ?? '') || (ctx.target.generation === 'classic' && compareVersions(ctx.target.version, '3.0.14') < 0);
    const spelling = longMaxSpelling(ctx.target);
    // "write "unlimited"", "write 9223372036854775807", "on x86_64 write 9223372036854775807".
    const advice = spelling.fact?.says ?? 'on x86_64 write 9223372036854775807';
    const how = spelling.fact?.detail;
    for (const name of ['VMGUARPAGES', 'OOMGUARPAGES', 'PHYSPAGES'] as const) {
      const u = inputs.need(name);
      if (u.lim !== INT_MAX) continue;
      const said: Said = {
        message: i386
          ? `${name}: 2147483647 is "unlimited" only on i386; ${advice}`
          : `${name}: limit 2147483647 is the 32-bit "unlimited"; ${advice}`,
        facts: spelling.fact ? [spelling.fact.id] : [],
        target: ctx.target,
      };
      const detail = i386
        ? `${name}: on i386 2147483647 is LONG_MAX, so vzcfgvalidate there accepts it; on an x86_64 node vzcfgvalidate demands 9223372036854775807 (LONG_MAX, "unlimited") and reports an error`
        : `${name}: the limit 2147483647 is the 32-bit "unlimited" (8 TiB in pages); vzctl accepts it, but on an x86_64 node vzcfgvalidate demands 9223372036854775807 and reports an error`;
      out.push(finding(ctx, RULE_ID, u.entry.valueRange, said, {
        ...(i386 ? { severity: 'info' as const } : {}),
        detail: explain(said, detail, how),
        fixes: spelling.text === undefined ? [] : [pairFix(u, u.bar, LONG_MAX, 'limit := unlimited')],
      }));
    }
    return out;
  },
};
