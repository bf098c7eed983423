/**
 * Compares dotted version strings numerically (`4.7` < `4.10` < `4.11.1`; a missing part counts as 0).
 * @returns negative, 0 or positive like `Array.prototype.sort` comparators
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `version` lies in [from, until): both bounds optional. */
export function inVersionRange(version: string, from?: string, until?: string): boolean {
  if (from !== undefined && compareVersions(version, from) < 0) return false;
  if (until !== undefined && compareVersions(version, until) >= 0) return false;
  return true;
}
