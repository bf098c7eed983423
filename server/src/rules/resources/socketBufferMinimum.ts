/**
 * vzcfgvalidate checks 11–12 (src/validate.c), socket buffer barriers in bytes:
 * - `ubc-socket-buffer-minimum` (warning): TCPRCVBUF / TCPSNDBUF barrier below 64 KiB (65536);
 *   DGRAMRCVBUF / OTHERSOCKBUF barrier below 32 KiB (32768);
 * - `ubc-buffer-recommendation` (info, vzcfgvalidate's "Recommendation"): DGRAMRCVBUF / OTHERSOCKBUF
 *   barrier at least 32 KiB but below 129 KiB (132096).
 * Repair (both): barrier := the threshold, limit shifted by the same amount.
 */
import { UBC_CHECKED } from '../facts';
import type { Finding, LintContext, Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { given, nonVswapInputs, raiseBarrierFix, show } from './ubc';

export const MINIMUM_ID = 'ubc-socket-buffer-minimum';
export const RECOMMENDATION_ID = 'ubc-buffer-recommendation';

/** Barrier minimums in bytes, in vzcfgvalidate's order. */
const MINIMUMS: [string, bigint][] = [['TCPRCVBUF', 65536n], ['TCPSNDBUF', 65536n], ['DGRAMRCVBUF', 32768n], ['OTHERSOCKBUF', 32768n]];
/** The recommended barrier of DGRAMRCVBUF and OTHERSOCKBUF, bytes. */
const RECOMMENDED = 132096n;

function check(ctx: LintContext, rule: string): Finding[] {
  const inputs = nonVswapInputs(ctx);
  if (!inputs) return [];
  const out: Finding[] = [];
  for (const [name, min] of MINIMUMS) {
    const u = inputs.get(name);
    if (!u) continue;
    if (u.bar < min) {
      if (rule !== MINIMUM_ID) continue;
      const said = say(ctx, `${name}: barrier ${given(u.barPart, u.unit)} is below ${min} bytes`, 'vzcfgvalidate-warning');
      out.push(finding(ctx, rule, u.entry.valueRange, said,
        { detail: explain(said, `${name}: the barrier ${show(u.bar, 'bytes')} is below ${show(min, 'bytes')}, the least vzcfgvalidate accepts without a warning; socket traffic stalls early`),
          fixes: [raiseBarrierFix(u, min, 'barrier raised, limit shifted by the same amount')] }));
    } else if (rule === RECOMMENDATION_ID && min === 32768n && u.bar < RECOMMENDED) {
      const said = say(ctx, `${name}: barrier ${given(u.barPart, u.unit)} is below ${RECOMMENDED} bytes`, 'vzcfgvalidate-recommendation');
      out.push(finding(ctx, rule, u.entry.valueRange, said,
        { detail: explain(said, `${name}: the barrier ${show(u.bar, 'bytes')} is below the ${show(RECOMMENDED, 'bytes')} vzcfgvalidate recommends`),
          fixes: [raiseBarrierFix(u, RECOMMENDED, 'barrier raised, limit shifted by the same amount')] }));
    }
  }
  return out;
}

/** Non-vSwap classic container configs: a socket buffer barrier below vzcfgvalidate's minimum. */
export const ubcSocketBufferMinimum: Rule = { id: MINIMUM_ID, needs: UBC_CHECKED, check: (ctx) => check(ctx, MINIMUM_ID) };

/** Non-vSwap classic container configs: DGRAMRCVBUF / OTHERSOCKBUF barrier between 32 KiB and 129 KiB. */
export const ubcBufferRecommendation: Rule = { id: RECOMMENDATION_ID, needs: UBC_CHECKED, check: (ctx) => check(ctx, RECOMMENDATION_ID) };
