import type { Rule } from '../types';

/** Rules of the node family (metadata: schemas/rules/node.yaml). */
export const NODE_RULES: readonly Rule[] = [];
