/**
 * Compares dotted version strings numerically (`4.7` < `4.10` < `4.11.1`; a missing part counts as 0).
 * @returns negative, 0 or positive like `Array.prototype.sort` comparators
 */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parsed versions: the catalogue and the targets use a few dozen strings, compared for every line. */
const partsCache = new Map<string, readonly number[]>();

function versionParts(v: string): readonly number[] {
  let parts = partsCache.get(v);
  if (!parts) {
    parts = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
    // Bounded: version strings from settings and files must not grow it without end.
    if (partsCache.size < 1000) partsCache.set(v, parts);
  }
  return parts;
}

/** True when `version` lies in [from, until): both bounds optional. */
export function inVersionRange(version: string, from?: string, until?: string): boolean {
  if (from !== undefined && compareVersions(version, from) < 0) return false;
  if (until !== undefined && compareVersions(version, until) >= 0) return false;
  return true;
}
