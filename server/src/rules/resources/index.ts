import type { Rule } from '../types';

/** Rules of the resources family (metadata: schemas/rules/resources.yaml). */
export const RESOURCES_RULES: readonly Rule[] = [];
