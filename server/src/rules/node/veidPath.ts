import { NODE_SETTING } from '../facts';
import { effectiveValue } from '../../model/effective';
import { explain, q, say, says, toolVersion } from '../say';
import type { Finding, Rule } from '../types';
import { entryRange, finding } from '../util';

/**
 * What subst_VEID() looks for (classic src/lib/util.c @ vzctl.open-2.7.0-23..vzctl-4.11.1; libvzctl
 * lib/util.c @ v7.0.42..v8.0.90): `$VEID` anywhere (so `$VEIDx` too), or `${VEID}`.
 */
export const HAS_VEID = /\$VEID|\$\{VEID\}/;

/**
 * VE_PRIVATE / VE_ROOT in vz.conf without `$VEID`: the default every `vzctl create` without `--private` /
 * `--root` takes, used as written, so every new container gets the same path.
 * - classic (subst_VEID(), src/lib/config.c and src/lib/util.c at every tag): vzctl create refuses a private
 *   area that exists (before 4.2) or is not empty (4.2 and later: "Private area already exists",
 *   src/lib/create.c), so after the first container no other can be created with the default;
 * - Virtuozzo 7 (libvzctl add_env_param() → subst_VEID(), lib/env_config.c and lib/util.c; vz.conf merged
 *   into the sample by conf_parse(), lib/config.c; vzctl2_env_create(), lib/create.c @ v7.0.42..v8.0.90):
 *   the same default; create refuses an existing private area (behaviour `create-refuses-private`, whose
 *   facts differ by libvzctl version).
 * Warning, on the vz.conf line. Containers that already take the path from vz.conf are
 * shared-private-path's business.
 */
export const defaultPathWithoutVeid: Rule = {
  id: 'default-path-without-veid',
  needs: NODE_SETTING,
  check(ctx) {
    if (ctx.kind !== 'node') return [];
    const classic = ctx.target.generation === 'classic';
    const out: Finding[] = [];
    for (const param of ['VE_PRIVATE', 'VE_ROOT'] as const) {
      const eff = effectiveValue(ctx, param);
      if (!eff?.entry || eff.source !== 'node') continue;
      const path = eff.value.trim();
      if (path === '' || HAS_VEID.test(path)) continue;
      const said = param === 'VE_PRIVATE'
        ? say(ctx, 'VE_PRIVATE has no $VEID: all new containers get this path', 'create-refuses-private')
        : say(ctx, 'VE_ROOT has no $VEID: all new containers get this mount point', 'veid-path-as-written');
      const what = param === 'VE_PRIVATE' ? 'private area' : 'root mount point';
      out.push(finding(ctx, 'default-path-without-veid', entryRange(eff.entry), said, {
        detail: explain(said,
          `${param}=${q(path)} in vz.conf is the default of every vzctl create without --${param === 'VE_PRIVATE' ? 'private' : 'root'}, and ${classic ? 'vzctl' : 'libvzctl'} substitutes only $VEID (or \${VEID}) in it, so every container created with it gets the same ${what}`,
          param === 'VE_PRIVATE'
            ? classic
              ? 'vzctl create refuses a private area that is not empty (before vzctl 4.2: that exists) with "Private area already exists", so once one container is created with this default no other can be'
              : says(ctx, 'create-refuses-private')?.detail
            : classic ? 'vzctl tells whether a container is mounted by looking at VE_ROOT alone (vps_is_mounted()), so a container whose mount point another one uses is taken for mounted' : undefined,
          `Checked against ${toolVersion(ctx)}; put $VEID in the path (e.g. /vz/${param === 'VE_PRIVATE' ? 'private' : 'root'}/$VEID)`),
      }));
    }
    return out;
  },
};
