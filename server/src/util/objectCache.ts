/**
 * Caches keyed by an object that live exactly as long as the object — the engine's per-lint memos (one
 * per lint context or parsed document) — without `WeakMap`. The value is kept on the object itself, in a
 * non-enumerable property under a private symbol (invisible to JSON, `Object.keys` and deep equality).
 *
 * Why not WeakMap: V8's young-generation collector (the scavenger) treats a WeakMap's entries as live
 * until the next full collection, so a cache keyed by each file's context kept that context — its parsed
 * document, entries and value checks — alive, and every file's garbage was promoted to the old
 * generation. On a run over 10,000 container configs that was a third of the time in garbage collection
 * and an old generation several times the live data (issue 8, "a fleet at the speed of the disk").
 */
export class ObjectCache<K extends object, V> {
  private readonly key = Symbol('vzconf.cache');

  get(o: K): V | undefined {
    return (o as Record<symbol, V | undefined>)[this.key];
  }

  has(o: K): boolean {
    return Object.prototype.hasOwnProperty.call(o, this.key);
  }

  set(o: K, value: V): this {
    if (this.has(o)) (o as Record<symbol, V>)[this.key] = value;
    else Object.defineProperty(o, this.key, { value, writable: true, configurable: true, enumerable: false });
    return this;
  }
}

/** A set of objects kept the same way as {@link ObjectCache} (a mark on each member, not a `WeakSet`). */
export class ObjectSet<K extends object> {
  private readonly cache = new ObjectCache<K, true>();

  has(o: K): boolean {
    return this.cache.get(o) === true;
  }

  add(o: K): this {
    this.cache.set(o, true);
    return this;
  }
}
