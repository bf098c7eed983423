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
/** The one hidden property holding every {@link ObjectCache}'s value for an object (one property per object, not per cache). */
const HOLDER = Symbol('vzconf.caches');

type Holder = Map<symbol, unknown>;

function holderOf(o: object): Holder | undefined {
  return (o as Record<symbol, Holder | undefined>)[HOLDER];
}

export class ObjectCache<K extends object, V> {
  private readonly key = Symbol('vzconf.cache');

  get(o: K): V | undefined {
    return holderOf(o)?.get(this.key) as V | undefined;
  }

  has(o: K): boolean {
    return holderOf(o)?.has(this.key) === true;
  }

  set(o: K, value: V): this {
    let holder = holderOf(o);
    if (!holder) {
      holder = new Map();
      Object.defineProperty(o, HOLDER, { value: holder, writable: false, configurable: true, enumerable: false });
    }
    holder.set(this.key, value);
    return this;
  }
}
