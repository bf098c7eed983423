import type { Rule } from '../types';
import { diskQuotaOff } from './diskQuota';
import { iptablesNotAllowedByNode } from './iptables';
import { scriptIgnoresSetting } from './scripts';
import { defaultPathWithoutVeid } from './veidPath';

/**
 * Rules of the node family (metadata: schemas/rules/node.yaml): a container config read together with
 * its node's vz.conf (`ctx.node`). The cross-container rules of the same family run in
 * `server/src/service/node.ts` (`NODE_LEVEL_RULES`), since they need every file of a node at once.
 */
export const NODE_RULES: readonly Rule[] = [diskQuotaOff, iptablesNotAllowedByNode, scriptIgnoresSetting, defaultPathWithoutVeid];
