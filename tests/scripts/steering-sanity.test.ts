import { describe, expect, it } from 'vitest';
import {
  type ArmResult,
  comparePaired,
  distinctWordRatio,
  renderSanity,
} from '../../scripts/steering-sanity.ts';

describe('the paired comparison of two steering arms', () => {
  it('takes differences by seed, counts signs and gives the exact sign test', () => {
    const p = comparePaired([3, 2, 1, 5], [1, 2, 2, 1]);
    expect(p).toMatchObject({ n: 4, meanA: 2.75, meanB: 1.5, meanDiff: 1.25, wins: 2, losses: 1, ties: 1 });
    // Two-sided binomial test of 2 vs 1: P(X <= 1 | n = 3) * 2 = 1.
    expect(p.signP).toBe(1);
    expect(p.low).toBeGreaterThanOrEqual(-1);
    expect(p.high).toBeLessThanOrEqual(4);
    expect(p.low).toBeLessThan(1.25);
    expect(p.high).toBeGreaterThan(1.25);
    expect(comparePaired([3, 2, 1, 5], [1, 2, 2, 1])).toEqual(p);
  });

  it('gives 10 wins out of 10 p = 2/1024 and a degenerate interval for constant differences', () => {
    const a = Array.from({ length: 10 }, (_, i) => i + 1);
    const p = comparePaired(
      a,
      a.map((x) => x - 0.5),
    );
    expect(p.signP).toBeCloseTo(2 / 1024, 12);
    expect([p.low, p.high, p.meanDiff]).toEqual([0.5, 0.5, 0.5]);
  });

  it('a bootstrap interval of mean differences covers about what a t-interval does', () => {
    const d = [0.02, -0.01, 0.03, 0.0, 0.05, 0.01, -0.02, 0.04, 0.02, 0.01];
    const p = comparePaired(
      d,
      d.map(() => 0),
      { resamples: 20_000, seed: 7 },
    );
    const m = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1));
    const half = (2.262 * sd) / Math.sqrt(d.length);
    expect(p.low).toBeCloseTo(m - half, 2);
    expect(p.high).toBeCloseTo(m + half, 2);
  });

  it('refuses arms of different lengths', () => {
    expect(() => comparePaired([1, 2], [1])).toThrow(/equal, non-zero lengths; received 2 and 1/);
  });
});

describe('the sanity report', () => {
  it('measures repetition by the distinct-word ratio', () => {
    expect(distinctWordRatio('The cat saw the cat.')).toBe(0.6);
    expect(distinctWordRatio('Rocky Rocky Rocky Rocky')).toBe(0.25);
    expect(distinctWordRatio('')).toBe(0);
  });

  it('renders the arms and both contrasts with their numbers', () => {
    const arm = (id: string, strength: number, scores: number[]): ArmResult => ({
      id,
      sd: Number(id.split('=')[1]),
      strength,
      coefficient: strength * 4,
      scores,
      distinct: scores.map(() => 0.5),
    });
    const text = renderSanity(2, {
      plus: arm('happiness=+2', 0.157, [0.1, 0.05, 0.02]),
      minus: arm('happiness=-2', -0.157, [0, 0, 0.02]),
      randomPlus: arm('random=+2', 0.118, [0.01, 0.01, 0.01]),
      randomMinus: arm('random=-2', -0.118, [0.01, 0.01, 0.01]),
    });
    expect(text).toContain('### c = 2 sd');
    expect(text).toContain('| happiness=+2 |  2.00 |  15.70 |  0.628 |  0.0567 |  0.500 |');
    expect(text).toContain('| happiness |  0.0500 | [ 0.0000,  0.1000] | 2/0/1 | 0.5000 |');
    expect(text).toContain('| random (control) |  0.0000 | [ 0.0000,  0.0000] | 0/0/3 | 1.0000 |');
    const twenty = Array.from({ length: 20 }, (_, i) => i / 100);
    const strong = renderSanity(1, {
      plus: arm(
        'happiness=+1',
        0.078,
        twenty.map((x) => x + 0.01),
      ),
      minus: arm('happiness=-1', -0.078, twenty),
      randomPlus: arm('random=+1', 0.059, twenty),
      randomMinus: arm('random=-1', -0.059, twenty),
    });
    // 20 of 20 pairs: p = 2 / 2^20, shown in exponent form rather than as 0.0000.
    expect(strong).toMatch(/\| 20\/0\/0 \| 1\.9e-6 \|/);
  });
});
