import { describe, expect, it } from 'vitest';
import { fisherExact, mcnemarExact, median, newcombe, wilson } from '../../analysis/stats.ts';

describe('wilson', () => {
  it('matches published values', () => {
    // Newcombe (1998) table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605.
    const a = wilson(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilson(15, 148);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it('stays inside [0, 1] at the edges', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(0, 0)).toMatchObject({ low: 0, high: 1 });
  });
});

describe('newcombe', () => {
  it('matches the worked example of Newcombe (1998) method 10', () => {
    // 56/70 vs 48/80: difference 0.2000, interval 0.0524 to 0.3339.
    const d = newcombe(56, 70, 48, 80);
    expect(d.estimate).toBeCloseTo(0.2, 4);
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
  });
});

describe('exact tests', () => {
  it('fisherExact matches the tea-tasting table and R', () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    // R: fisher.test(matrix(c(10, 2, 3, 15), 2))$p.value = 0.0005367
    expect(fisherExact(10, 3, 2, 15)).toBeCloseTo(0.000537, 5);
  });

  it('mcnemarExact is a two-sided binomial test on the discordant pairs', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    // binom.test(1, 10)$p.value = 0.02148
    expect(mcnemarExact(1, 9)).toBeCloseTo(0.02148, 5);
    expect(mcnemarExact(5, 5)).toBe(1);
  });

  it('median of even and odd lengths', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
