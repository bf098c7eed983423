/**
 * The engine's per-object memos (util/objectCache.ts): a value set for an object is found for that object
 * only, per cache, and the holder is invisible — to JSON, Object.keys, spreads and deep equality — whether
 * the object is a plain one (hidden property) or a CacheHost (private field, as every lint context is).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CacheHost, ObjectCache } from '../../server/src/util/objectCache';
import { analyze } from '../../server/src/service/lint';

class Host extends CacheHost {
  constructor(readonly name: string) {
    super();
  }
}

describe('ObjectCache', () => {
  for (const [what, make] of [['a plain object', (name: string) => ({ name })], ['a CacheHost', (name: string) => new Host(name)]] as const) {
    it(`keeps values per object and per cache on ${what}, out of sight`, () => {
      const a = make('a');
      const b = make('b');
      const one = new ObjectCache<object, number>();
      const two = new ObjectCache<object, string | null>();
      assert.equal(one.get(a), undefined);
      assert.equal(one.has(a), false);
      one.set(a, 1);
      two.set(a, null);
      one.set(b, 2);
      assert.equal(one.get(a), 1);
      assert.equal(one.get(b), 2);
      assert.equal(two.has(a), true);
      assert.equal(two.get(a), null);
      assert.equal(two.has(b), false);
      one.set(a, 3);
      assert.equal(one.get(a), 3);
      // Invisible: the same JSON, keys and deep equality as an object that never had a cached value.
      const fresh = make('a');
      assert.equal(JSON.stringify(a), JSON.stringify(fresh));
      assert.deepEqual(Object.keys(a), Object.keys(fresh));
      assert.deepEqual({ ...a }, { ...fresh });
      assert.deepEqual(a, fresh);
    });
  }

  it('a lint context is a CacheHost: its memos add no property to it', () => {
    const ctx = analyze('ONBOOT="yes"\nPHYSPAGES="0:256M"\n', { path: '/etc/vz/conf/101.conf' });
    assert.ok(ctx instanceof CacheHost);
    const keys = Object.keys(ctx);
    const memo = new ObjectCache<object, number>();
    memo.set(ctx, 7);
    assert.equal(memo.get(ctx), 7);
    assert.deepEqual(Object.keys(ctx), keys);
    assert.deepEqual(Object.getOwnPropertySymbols(ctx), []);
  });
});
