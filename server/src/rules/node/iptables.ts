import { NODE_SETTING } from '../facts';
import { effectiveValue, usedEntries } from '../../model/effective';
import { compareVersions } from '../../model/version';
import { tokens } from '../../values/validate';
import type { Finding, Rule } from '../types';
import { finding, lineNo, valueSubRange } from '../util';
import { clip } from '../text';

/**
 * Classic vzctl before 4.7 gates iptables modules in three steps (KB 113056): the node loads them, the
 * global `IPTABLES` list in vz.conf says which ones containers may use at all, and a container's own
 * `IPTABLES` can only narrow that. A module in the container's list that the node's list lacks never
 * loads in the container, silently. Only when the node's vz.conf is known and sets IPTABLES; module
 * names vzctl does not know are left to unknown-list-item. From 4.7 NETFILTER replaces the lists.
 */
export const iptablesNotAllowedByNode: Rule = {
  id: 'iptables-not-allowed-by-node',
  needs: NODE_SETTING,
  check(ctx) {
    const node = ctx.node;
    if (ctx.kind !== 'container' || !node || ctx.target.generation !== 'classic' || compareVersions(ctx.target.version, '4.7') >= 0) return [];
    const def = ctx.catalog.parameter('IPTABLES');
    if (!def) return [];
    const global = usedEntries(node, def);
    if (global.length === 0) return [];
    const allowed = new Set<string>();
    for (const g of global) for (const t of tokens(g.value, ' \t,')) allowed.add(t.text);
    const lines = global.map((g) => lineNo(node, g.line)).join(', ');
    const eff = effectiveValue(ctx, 'IPTABLES');
    if (!eff || eff.source !== 'container') return [];
    const out: Finding[] = [];
    for (const e of usedEntries(ctx, def)) {
      for (const t of tokens(e.value, ' \t,')) {
        if (allowed.has(t.text) || !ctx.catalog.iptablesModule(t.text)) continue;
        out.push(finding(ctx, 'iptables-not-allowed-by-node', valueSubRange(ctx, e, t.start, t.end),
          `${clip(t.text)} will not load: the node's IPTABLES lacks it (vzctl ${ctx.target.version})`,
          { detail: `${t.text} will not load in this container: the node's IPTABLES (vz.conf line ${lines}${node.path ? `, ${node.path}` : ''}) does not allow it, and before vzctl 4.7 a container gets only modules the global list allows (KB 113056). Add it to IPTABLES in vz.conf and restart the vz service, or drop it here.` }));
      }
    }
    return out;
  },
};
