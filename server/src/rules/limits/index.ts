import type { Rule } from '../types';
import { ignoredOnPloop, mountOptsOnSimfs, quotaugidlimitOnPloop } from './layout';
import { checkpointBlockingParameter, dangerousCapability, hostKernelFeature, netfilterFull, sharedStoragePath, simfsLiveMigration } from './limitations';
import { meminfoUnderVswap, pagesValueInBytes, privvmpagesBelowVswap } from './memory';

/** Rules of the limits family (metadata: schemas/rules/limits.yaml). */
export const LIMITS_RULES: readonly Rule[] = [
  // Memory sense checks (issue 3, part 3).
  privvmpagesBelowVswap,
  pagesValueInBytes,
  meminfoUnderVswap,
  // Layout and quota (part 4).
  ignoredOnPloop,
  mountOptsOnSimfs,
  quotaugidlimitOnPloop,
  // Limitations with KB links (part 5).
  sharedStoragePath,
  simfsLiveMigration,
  checkpointBlockingParameter,
  netfilterFull,
  dangerousCapability,
  hostKernelFeature,
];
