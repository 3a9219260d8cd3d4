import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../harness/config/schema.ts';
import { NonFiniteLogitsError, SamplingParamsError } from '../../../harness/errors.ts';
import {
  checkTemperature,
  checkTopP,
  Rng,
  Sampler,
  softmax,
  TemperatureProcessor,
  TopKProcessor,
  TopPProcessor,
} from '../../../harness/model/sampling.ts';

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
    const logits = Float64Array.of(1, 5, 3, 4, 2);
    new TopKProcessor(2).process(logits);
    expect(Array.from(logits)).toEqual([-Infinity, 5, -Infinity, 4, -Infinity]);
  });

  it('top-p keeps the smallest nucleus reaching p', () => {
    // probabilities 0.5, 0.25, 0.125, 0.125
    const logits = Float64Array.from([0.5, 0.25, 0.125, 0.125].map(Math.log));
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
      const work = Float64Array.from(logits);
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

/** Share of draws per token over n draws. */
function shares(sampler: Sampler, logits: Float32Array, n: number): number[] {
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < n; i++) counts[sampler.next(logits)]!++;
  return counts.map((c) => c / n);
}

describe('non-finite logits', () => {
  it('greedy never picks a NaN or infinite logit', () => {
    const greedy = new Sampler({ temperature: 0, seed: 1 });
    expect(greedy.next(Float32Array.of(Number.NaN, 1, 5, 2))).toBe(2);
    expect(greedy.next(Float32Array.of(1, Number.POSITIVE_INFINITY, 5, Number.NaN, -1))).toBe(2);
    expect(greedy.next(Float32Array.of(Number.NEGATIVE_INFINITY, -3, Number.NaN))).toBe(1);
  });

  it('one NaN is masked and sampling still follows the distribution of the rest', () => {
    const logits = Float32Array.of(Number.NaN, ...[0.7, 0.2, 0.1].map(Math.log));
    const p = shares(new Sampler({ temperature: 1, seed: 4 }), logits, 20_000);
    expect(p[0]).toBe(0);
    expect(p[1]).toBeCloseTo(0.7, 1);
    expect(p[2]).toBeCloseTo(0.2, 1);
    expect(p[3]).toBeCloseTo(0.1, 1);
    const nucleus = shares(new Sampler({ temperature: 1, topP: 0.95, topK: 3, seed: 4 }), logits, 5_000);
    expect(nucleus[3]).toBeGreaterThan(0.05);
  });

  it('a step with no finite logit is an error that says so, greedy or sampled', () => {
    const nan = new Float32Array(8).fill(Number.NaN);
    nan[3] = Number.POSITIVE_INFINITY;
    for (const temperature of [0, 0.7]) {
      const next = () => new Sampler({ temperature, seed: 1 }).next(nan);
      expect(next).toThrow(NonFiniteLogitsError);
      expect(next).toThrow('no finite logit among 8 (7 NaN, 1 infinite)');
    }
  });

  it('tiny temperatures tend to greedy without overflowing, and keep exact ties tied', () => {
    // Float32 logits / 1e-39 overflow to Infinity (the float32 maximum is 3.4e38), and Infinity - Infinity is NaN.
    expect(Math.fround(5 / 1e-39)).toBe(Number.POSITIVE_INFINITY);
    for (const t of [1e-30, 1e-39, 1e-300, Number.MIN_VALUE]) {
      const work = Float64Array.of(1, 5, 4.999, 2);
      new TemperatureProcessor(t).process(work);
      expect(work[1]).toBe(0);
      for (const i of [0, 2, 3]) expect(work[i]).toBeLessThan(-1e26); // -Infinity from 1e-300 on, never NaN
      expect(shares(new Sampler({ temperature: t, seed: 7 }), Float32Array.of(1, 5, 4.999, 2), 200)).toEqual([
        0, 1, 0, 0,
      ]);
      const tie = shares(new Sampler({ temperature: t, seed: 7 }), Float32Array.of(5, 1, 5), 4_000);
      expect(tie[0]).toBeCloseTo(0.5, 1);
      expect(tie[2]).toBeCloseTo(0.5, 1);
    }
  });
});

describe('sampling parameter ranges', () => {
  it('processors and the sampler refuse values outside the ranges, naming what they received', () => {
    expect(() => new TopKProcessor(1.5)).toThrow(SamplingParamsError);
    expect(() => new TopKProcessor(1.5)).toThrow('top-k expects an integer of at least 1, received 1.5');
    for (const k of [0, -3, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new TopKProcessor(k)).toThrow(SamplingParamsError);
    for (const p of [0, -0.5, 1.01, Number.NaN])
      expect(() => new TopPProcessor(p)).toThrow(SamplingParamsError);
    for (const t of [0, -1, 2.5, Number.NaN])
      expect(() => new TemperatureProcessor(t)).toThrow(SamplingParamsError);
    expect(() => new Sampler({ temperature: -1, seed: 0 })).toThrow(
      'temperature expects a number from 0 to 2 (0 = greedy), received -1',
    );
    expect(() => new Sampler({ temperature: 1, topK: -2, seed: 0 })).toThrow(SamplingParamsError);
    expect(() => new Sampler({ temperature: 1, topP: 0, seed: 0 })).toThrow(SamplingParamsError);
    expect(() => new Sampler({ temperature: 1, seed: 0.5 })).toThrow('seed expects an integer, received 0.5');
    expect(() => new Sampler({ temperature: Number.NaN, seed: 0 })).toThrow('received NaN');
    expect(() => new Sampler({ temperature: 1, topP: '0.9' as unknown as number, seed: 0 })).toThrow(
      'top-p expects a number above 0 and at most 1, received "0.9"',
    );
  });

  it('accepts the ends of each range, and a top-k of 1 is greedy', () => {
    const logits = Float32Array.of(0, 3, 1);
    expect(shares(new Sampler({ temperature: 2, topK: 1, topP: 1, seed: 0 }), logits, 100)).toEqual([
      0, 1, 0,
    ]);
    expect(new Sampler({ temperature: 0, topP: 1e-9, seed: 0 }).next(logits)).toBe(1);
  });

  it('agrees with the config schema on every temperature and top-p', () => {
    const accepts = (agent: object) => ConfigSchema.safeParse({ agent }).success;
    const ok = (f: () => unknown) => {
      try {
        f();
        return true;
      } catch {
        return false;
      }
    };
    for (const v of [-1, -1e-9, 0, 1e-40, 0.5, 1, 1.5, 2, 2.0001, 3, Number.NaN]) {
      expect(
        ok(() => checkTemperature(v)),
        `temperature ${v}`,
      ).toBe(accepts({ temperature: v }));
      expect(
        ok(() => checkTopP(v)),
        `top-p ${v}`,
      ).toBe(accepts({ top_p: v }));
    }
  });
});
