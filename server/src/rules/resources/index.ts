import type { Rule } from '../types';
import { ubcBarrierEqualsLimit } from './barrierEqualsLimit';
import { ubcDcachesize } from './dcachesize';
import { ubcGuaranteeLimit } from './guaranteeLimit';
import { ubcKmemsize } from './kmemsize';
import { ubcNumfile } from './numfile';
import { ubcPhyspages } from './physpages';
import { ubcPrivvmpagesVmguarpages } from './privvmpagesVmguarpages';
import { ubcRequired } from './required';
import { ubcBufferRecommendation, ubcSocketBufferMinimum } from './socketBufferMinimum';
import { ubcOthersockbufGap, ubcTcprcvbufGap, ubcTcpsndbufGap } from './socketGap';
import { ubc32bitUnlimited } from './unlimited32';
import { vswapBarrier, vswapLimitAboveHost } from './vswap';

/**
 * Rules of the resources family (metadata: schemas/rules/resources.yaml): the UBC sets `vzctl start`
 * requires and every check of `vzcfgvalidate` (classic src/validate.c), in its order. Check 2
 * (barrier <= limit) is the core rule `barrier-above-limit`.
 */
export const RESOURCES_RULES: readonly Rule[] = [
  ubcRequired,
  ubcBarrierEqualsLimit,
  ubcGuaranteeLimit,
  ubcPhyspages,
  ubc32bitUnlimited,
  ubcDcachesize,
  ubcKmemsize,
  ubcPrivvmpagesVmguarpages,
  ubcTcpsndbufGap,
  ubcOthersockbufGap,
  ubcTcprcvbufGap,
  ubcSocketBufferMinimum,
  ubcBufferRecommendation,
  ubcNumfile,
  vswapBarrier,
  vswapLimitAboveHost,
];
