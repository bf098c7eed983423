/**
 * vzcfgvalidate checks 8–10 (src/validate.c): the gap between a socket buffer's limit and barrier
 * (bytes) must hold 2.5 KiB per socket: `lim − bar >= 2.5 KiB × sockets.bar`, computed in unsigned
 * 64-bit arithmetic (a barrier above the limit wraps to a huge gap and passes: that pair is
 * `barrier-above-limit`'s). Three rules because vzcfgvalidate gives them different severities:
 * TCPSNDBUF and OTHERSOCKBUF are errors, TCPRCVBUF a warning.
 */
import { UBC_CHECKED } from '../facts';
import type { Finding, LintContext, Rule } from '../types';
import { finding } from '../util';
import { explain, say } from '../say';
import { amount, nonVswapInputs, pairFix, show, socketGapMinimum, u64 } from './ubc';

type Buffer = 'TCPSNDBUF' | 'OTHERSOCKBUF' | 'TCPRCVBUF';
type Sockets = 'NUMTCPSOCK' | 'NUMOTHERSOCK';

function gapCheck(ctx: LintContext, rule: string, buffer: Buffer, sockets: Sockets): Finding[] {
  const inputs = nonVswapInputs(ctx);
  if (!inputs) return [];
  const buf = inputs.need(buffer);
  const socks = inputs.need(sockets);
  const val = socketGapMinimum(socks.bar);
  const gap = u64(buf.lim - buf.bar);
  if (gap >= val) return [];
  const said = say(ctx, `${buffer}: limit − barrier = ${amount(gap, 'bytes')} is below the ${amount(val, 'bytes')} needed`, buffer === 'TCPRCVBUF' ? 'vzcfgvalidate-warning' : 'vzcfgvalidate-error');
  return [finding(ctx, rule, buf.entry.valueRange, said,
    { detail: explain(said, `${buffer}: limit − barrier = ${buf.lim} − ${buf.bar} = ${show(gap, 'bytes')} is below 2.5 KiB × the ${sockets} barrier ${socks.bar} = ${show(val, 'bytes')}; sockets may fail to send or receive once the barrier is reached`),
      fixes: [pairFix(buf, buf.bar, buf.bar + val, `limit := barrier + 2.5 KiB × ${sockets}, as vzcfgvalidate -r does`)] })];
}

/** `ubc-tcpsndbuf-gap` (error): TCPSNDBUF limit − barrier below 2.5 KiB × NUMTCPSOCK barrier. */
export const ubcTcpsndbufGap: Rule = {
  id: 'ubc-tcpsndbuf-gap',
  needs: UBC_CHECKED,
  check: (ctx) => gapCheck(ctx, 'ubc-tcpsndbuf-gap', 'TCPSNDBUF', 'NUMTCPSOCK'),
};

/** `ubc-othersockbuf-gap` (error): OTHERSOCKBUF limit − barrier below 2.5 KiB × NUMOTHERSOCK barrier. */
export const ubcOthersockbufGap: Rule = {
  id: 'ubc-othersockbuf-gap',
  needs: UBC_CHECKED,
  check: (ctx) => gapCheck(ctx, 'ubc-othersockbuf-gap', 'OTHERSOCKBUF', 'NUMOTHERSOCK'),
};

/** `ubc-tcprcvbuf-gap` (warning): TCPRCVBUF limit − barrier below 2.5 KiB × NUMTCPSOCK barrier. */
export const ubcTcprcvbufGap: Rule = {
  id: 'ubc-tcprcvbuf-gap',
  needs: UBC_CHECKED,
  check: (ctx) => gapCheck(ctx, 'ubc-tcprcvbuf-gap', 'TCPRCVBUF', 'NUMTCPSOCK'),
};
