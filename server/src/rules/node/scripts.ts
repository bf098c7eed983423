import { NODE_SETTING } from '../facts';
import { behaviourFor } from '../../catalog/behaviours';
import { usedEntries } from '../../model/effective';
import { inVersionRange } from '../../model/version';
import { explain, q, say, toolVersion } from '../say';
import type { Finding, LintContext, Rule } from '../types';
import { entryRange, finding } from '../util';

/** The lock folder vzmigrate of vzctl 4.7 to 4.8 writes to whatever LOCKDIR says (bin/vzmigrate.in). */
const HARD_CODED_LOCKDIR = '/vz/lock';

/**
 * The known versions of the target's generation in `[since, until)`, as "4.7 to 4.8" (or one version),
 * from the catalogue's version list; the bounds themselves when the list has none of them.
 */
function versionSpan(ctx: LintContext, since: string | undefined, until: string | undefined): string {
  const known = ctx.catalog.catalog.versions[ctx.target.generation].filter((v) => inVersionRange(v, since, until));
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined) return `${since ?? ''}${until ? ` up to ${until}` : ''}`;
  return first === last ? first : `${first} to ${last}`;
}

/**
 * A vz.conf setting that a shell script of the target's vzctl ignores or rewrites, stated only through the
 * behaviour facts of schemas/behaviours.yaml (their versions decide when it fires):
 * - LOCKDIR other than /vz/lock: vzmigrate of vzctl 4.7 to 4.8 locks in /vz/lock anyway (warning;
 *   fact `classic.vzmigrate-hardcoded-lockdir`, bin/vzmigrate.in);
 * - the CONFIGFILE line the init script matches (`CONFIGFILE="basic"`, from 3.1 with its shipped comment):
 *   on a vSwap (042+) kernel `service vz start` rewrites it to vswap-256m (info; facts
 *   `classic.init-rewrites-configfile*`, etc/init.d/vz-redhat.in 3.0.26 to 4.6.1).
 * Node configs only.
 */
export const scriptIgnoresSetting: Rule = {
  id: 'script-ignores-setting',
  needs: NODE_SETTING,
  check(ctx) {
    if (ctx.kind !== 'node') return [];
    const out: Finding[] = [];
    const lockdir = ctx.catalog.parameter('LOCKDIR');
    const lockFact = behaviourFor('vzmigrate-ignores-lockdir', ctx.target, undefined);
    if (lockdir && lockFact) {
      for (const e of usedEntries(ctx, lockdir)) {
        const dir = e.value.trim().replace(/\/+$/, '');
        if (dir === HARD_CODED_LOCKDIR || dir === '') continue;
        const span = versionSpan(ctx, lockFact.since, lockFact.until);
        const said = say(ctx, `LOCKDIR is not ${HARD_CODED_LOCKDIR} (vzctl ${span})`, 'vzmigrate-ignores-lockdir');
        out.push(finding(ctx, 'script-ignores-setting', entryRange(e), said, {
          detail: explain(said, `LOCKDIR=${q(e.value.trim())}`, lockFact.detail, `Checked against ${toolVersion(ctx)}; set LOCKDIR=${HARD_CODED_LOCKDIR} while migrating with this vzmigrate, or upgrade to vzctl ${lockFact.until ?? 'a later version'}`),
        }));
      }
    }
    const cfg = ctx.catalog.parameter('CONFIGFILE');
    const initFact = behaviourFor('init-rewrites-configfile', ctx.target, undefined);
    if (cfg && initFact?.line !== undefined) {
      const line = new RegExp(initFact.line);
      for (const e of usedEntries(ctx, cfg)) {
        if (!line.test(ctx.doc.text[e.line] ?? '')) continue;
        // Conditional: vzlint does not know the node's kernel; the script checks /proc/vz/version at start.
        const said = { message: `CONFIGFILE="basic": on a vSwap (042+) kernel ${initFact.says}`, facts: [initFact.id], target: ctx.target };
        out.push(finding(ctx, 'script-ignores-setting', entryRange(e), said, {
          severity: 'info',
          detail: explain(said, initFact.detail, `Checked against ${toolVersion(ctx)}; to keep basic, write the line differently (e.g. CONFIGFILE=basic)`),
        }));
      }
    }
    return out;
  },
};
