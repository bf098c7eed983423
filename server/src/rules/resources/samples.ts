/**
 * The vSwap resource blocks of the samples classic vzctl ships, for the quick fix of `ubc-required`.
 * Data, not code: schemas/vswap-samples.yaml holds the values of vzctl 4.11.1
 * `conf/ve-vswap-*.conf-sample`, read once.
 */
import { schemaData } from '../../catalog/load';

/** One vSwap sample: RAM and swap as written in the sample (`0:1G`: barrier 0, limit 1 GiB; in pages once parsed). */
export interface VswapSample {
  id: string;
  source: string;
  PHYSPAGES: string;
  SWAPPAGES: string;
}

export interface VswapSamples {
  /** The sample offered first. */
  default: VswapSample;
  samples: VswapSample[];
}

let cached: VswapSamples | undefined;

/**
 * The vSwap samples.
 *
 * @throws Error when the data names an unknown default sample (a packaging mistake)
 */
export function vswapSamples(): VswapSamples {
  if (cached) return cached;
  const data = schemaData<{ default: string; samples: VswapSample[] }>('vswap-samples');
  const samples = data.samples;
  const def = samples.find((s) => s.id === data.default);
  if (!def) throw new Error(`vzconf: schemas/vswap-samples.yaml: default ${data.default} names no sample`);
  cached = { default: def, samples };
  return cached;
}
