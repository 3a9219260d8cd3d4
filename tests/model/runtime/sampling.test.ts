import { describe, expect, it } from 'vitest';
import { Rng, Sampler, softmax, TopKProcessor, TopPProcessor } from '../../../harness/model/sampling.ts';

describe('Rng', () => {
  it('reproduces its sequence from a seed and spreads over [0, 1)', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(new Rng(43).next()).not.toBe(xs[0]);
  });
});

describe('logits processors', () => {
  it('top-k keeps exactly the k largest', () => {
    const logits = Float32Array.of(1, 5, 3, 4, 2);
    new TopKProcessor(2).process(logits);
    expect(Array.from(logits)).toEqual([-Infinity, 5, -Infinity, 4, -Infinity]);
  });

  it('top-p keeps the smallest nucleus reaching p', () => {
    // probabilities 0.5, 0.25, 0.125, 0.125
    const logits = Float32Array.from([0.5, 0.25, 0.125, 0.125].map(Math.log));
    new TopPProcessor(0.7).process(logits);
    expect(Array.from(softmax(logits)).map((p) => Number(p.toFixed(4)))).toEqual([0.6667, 0.3333, 0, 0]);
  });
});

/** The nucleus by sorting the whole vocabulary: the definition the fast path must equal. */
function nucleusBySort(logits: Float32Array, p: number): Set<number> {
  const probs = softmax(logits);
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const kept = new Set<number>();
  let mass = 0;
  for (const i of order) {
    kept.add(i);
    mass += probs[i]!;
    if (mass >= p) break;
  }
  return kept;
}

describe('top-p on a vocabulary-sized distribution', () => {
  it('keeps exactly the nucleus a full sort gives, flat or peaked', () => {
    const rng = new Rng(3);
    for (const [spread, p] of [
      [0.5, 0.95],
      [4, 0.95],
      [12, 0.9],
      [0.01, 0.99],
    ] as const) {
      const logits = Float32Array.from({ length: 49_152 }, () => spread * (rng.next() * 2 - 1) ** 3 * 10);
      const work = Float32Array.from(logits);
      new TopPProcessor(p).process(work);
      const kept = new Set([...work.keys()].filter((i) => work[i]! > Number.NEGATIVE_INFINITY));
      expect(kept).toEqual(nucleusBySort(logits, p));
      for (const i of kept) expect(work[i]).toBe(logits[i]);
    }
  });
});

describe('Sampler', () => {
  it('is greedy at temperature 0 and follows the distribution otherwise', () => {
    const logits = Float32Array.from([0.7, 0.2, 0.1].map(Math.log));
    expect(new Sampler({ temperature: 0, seed: 1 }).next(logits)).toBe(0);
    const s = new Sampler({ temperature: 1, seed: 9 });
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[s.next(logits)]!++;
    expect(counts[0]! / 20_000).toBeCloseTo(0.7, 1);
    expect(counts[2]! / 20_000).toBeCloseTo(0.1, 1);
  });
});
