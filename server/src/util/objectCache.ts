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

/**
 * A base class for objects made by the thousand that get cached values (the lint context of every file):
 * their holder is a private field from birth (invisible to JSON, `Object.keys`, spreads and deep
 * equality, like the hidden property), so no property is added to them later — `Object.defineProperty`
 * on each new object was a measurable part of linting a node's 10,000 container configs.
 */
export class CacheHost {
  #caches: Holder | undefined;

  /** The holder of `o` when it is a {@link CacheHost} (made on first use), else undefined. */
  static holderOf(o: object, create: boolean): Holder | undefined {
    if (!(#caches in o)) return undefined;
    if (create) o.#caches ??= new Map();
    return o.#caches;
  }
}

function holderOf(o: object): Holder | undefined {
  return o instanceof CacheHost ? CacheHost.holderOf(o, false) : (o as Record<symbol, Holder | undefined>)[HOLDER];
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
    let holder = o instanceof CacheHost ? CacheHost.holderOf(o, true) : holderOf(o);
    if (!holder) {
      holder = new Map();
      Object.defineProperty(o, HOLDER, { value: holder, writable: false, configurable: true, enumerable: false });
    }
    holder.set(this.key, value);
    return this;
  }
}
