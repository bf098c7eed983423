import type { Rule } from '../types';

/** Rules of the limits family (metadata: schemas/rules/limits.yaml). */
export const LIMITS_RULES: readonly Rule[] = [];
