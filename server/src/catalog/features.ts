/** Names of list grammars per generation and version (schemas/vocabulary.yaml `features`, `netifFields`). */
import { compareVersions } from '../model/version';
import type { Generation, VersionedName } from './types';

/**
 * Whether `generation` at `version` knows the name `item` (a FEATURES name, a NETIF field): classic from
 * `classicSince`, Virtuozzo 7 when `vz7` is set, from `vz7Since` if given (the vocabulary names the sources:
 * vzctl src/lib/vzfeatures.c and src/lib/config.c, libvzctl lib/vzfeatures.c and lib/veth.c).
 */
export function knownAt(item: VersionedName, generation: Generation, version: string): boolean {
  if (generation === 'vz7') return item.vz7 === true && (item.vz7Since === undefined || compareVersions(version, item.vz7Since) >= 0);
  return item.classicSince !== undefined && compareVersions(version, item.classicSince) >= 0;
}

