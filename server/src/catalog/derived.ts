/**
 * Values the rules derive from the catalogue — which parameters have a `checkpoint` note, which
 * capabilities are dangerous — computed once per catalogue (the process has one) instead of once per
 * file: a node of 10,000 containers lints 10,000 files against the same data.
 */
import { ObjectCache } from '../util/objectCache';
import type { CatalogIndex } from './load';

const memo = new ObjectCache<CatalogIndex, Map<string, unknown>>();

/**
 * The value named `key` derived from `catalog`, computed by `compute` on first use. The value is shared by
 * every caller: never modify it.
 */
export function derived<T>(catalog: CatalogIndex, key: string, compute: (catalog: CatalogIndex) => T): T {
  let values = memo.get(catalog);
  if (!values) memo.set(catalog, (values = new Map()));
  const had = values.get(key);
  if (had !== undefined || values.has(key)) return had as T;
  const value = compute(catalog);
  values.set(key, value);
  return value;
}
