import { describe, expect, it } from 'vitest';
import { KvCache } from '../../../harness/model/kv-cache.ts';
import { MIN_REUSE, type PrefixEntry, PrefixStore, steerKey } from '../../../harness/model/prefix-store.ts';
import { tinyConfig } from '../tiny-model.ts';

const config = tinyConfig();

function entry(tokens: number[], key = 'k', layers: number[] = []): PrefixEntry {
  const cache = new KvCache(config, 1, tokens.length);
  cache.lengths[0] = tokens.length;
  return { tokens, steerKey: key, cache, residuals: new Map(layers.map((l) => [l, []])) };
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('PrefixStore', () => {
  it('finds the entry sharing the longest prefix, and always leaves the last prompt token to run', () => {
    const store = new PrefixStore(4);
    const short = entry(range(0, 20));
    const long = entry([...range(0, 30), 99, 98]);
    store.put(short);
    store.put(long);
    expect(store.find([...range(0, 30), 5, 6], 'k', [])).toEqual({ entry: long, length: 30 });
    // The whole prompt is kept, but its last token must still go through the model for logits.
    expect(store.find(range(0, 25), 'k', [])!.length).toBe(24);
  });

  it('reuses nothing under other steering, without a layer the request reads, or below the minimum', () => {
    const store = new PrefixStore(4);
    store.put(entry(range(0, 40), 'k', [2]));
    expect(store.find(range(0, 40), 'other', [2])).toBeUndefined();
    expect(store.find(range(0, 40), 'k', [2, 3])).toBeUndefined();
    expect(store.find([...range(0, MIN_REUSE - 1), 500, 501], 'k', [2])).toBeUndefined();
    expect(store.find([...range(0, MIN_REUSE), 500], 'k', [2])!.length).toBe(MIN_REUSE);
  });

  it('drops the entry a new one supersedes, then the least recently used, releasing their caches', () => {
    const store = new PrefixStore(2);
    const a = entry(range(0, 20));
    const b = entry(range(100, 20));
    store.put(a);
    store.put(b);
    store.find(range(0, 21), 'k', []); // a is now the most recently used
    const c = entry(range(200, 20));
    store.put(c);
    expect(b.cache.keys).toHaveLength(0); // evicted and disposed
    expect(store.size).toBe(2);
    const a2 = entry([...range(0, 20), 7, 8, 9]);
    store.put(a2, a);
    expect(a.cache.keys).toHaveLength(0);
    expect(store.find([...range(0, 23), 1], 'k', [])!.entry).toBe(a2);
    expect(store.size).toBe(2);
  });

  it('keys steering by its values', () => {
    const v = Float32Array.from([1, 2, 3]);
    expect(steerKey(v)).toBe(steerKey(Float32Array.from([1, 2, 3])));
    expect(steerKey(v)).not.toBe(steerKey(Float32Array.from([1, 2, 3.0001])));
    expect(steerKey(new Float32Array(6).subarray(3))).toBe(steerKey(new Float32Array(3)));
  });
});
