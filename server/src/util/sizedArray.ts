/**
 * Arrays of large documents, allocated once (issue 8). V8 keeps an array whose backing store is over
 * 128 KB (more than ~16,000 elements) in its large-object space: fresh memory from the system each time,
 * paid in page faults (~5-10 µs each on a VM). An array grown by `push` past ~14,000 elements is copied
 * into a new, larger store about three times on its way to 40,000 (~300 faults, where a store allocated
 * at its final size costs the 80 pages it fills). Small arrays stay as they were: `[]`, grown in the
 * young generation, with packed elements (a function that reads arrays of both kinds is slower; the
 * 10,000 small files of a node never meet a holey one).
 */

/**
 * Elements beyond which {@link sizedArray} allocates at the final size: below it, a store grown by push
 * stays under 128 KB (capacities grow by half: 9,337 → 14,021 → 21,047 elements, the last one large).
 */
export const LARGE_ARRAY = 8192;

/**
 * An empty array for exactly `n` elements written in order by index (`a[k] = x` for k = 0, 1, … n - 1):
 * `[]`, grown by those writes as by push, up to {@link LARGE_ARRAY} elements; `new Array(n)` beyond
 * (holey: its slots read as undefined until written). Every slot must be written (or the length cut to
 * the count written, `a.length = k`): a hole left in it would read as undefined.
 */
export function sizedArray<T>(n: number): T[] {
  return n > LARGE_ARRAY ? new Array<T>(n) : [];
}
