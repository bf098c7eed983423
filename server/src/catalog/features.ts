/** FEATURES names per generation and version (schemas/vocabulary.yaml `features`). */
import { compareVersions } from '../model/version';
import type { Generation, Vocabulary } from './types';

/**
 * Whether `generation` at `version` knows the FEATURES name `feature`: classic from `classicSince`
 * (vzctl src/lib/vzfeatures.c), Virtuozzo 7 when `vz7` is set, from `vz7Since` if given (libvzctl lib/vzfeatures.c).
 */
export function featureKnown(feature: Vocabulary['features'][number], generation: Generation, version: string): boolean {
  if (generation === 'vz7') return feature.vz7 === true && (feature.vz7Since === undefined || compareVersions(version, feature.vz7Since) >= 0);
  return feature.classicSince !== undefined && compareVersions(version, feature.classicSince) >= 0;
}
