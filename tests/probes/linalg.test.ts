import { describe, expect, it } from 'vitest';
import { cosine, pearson, ranks, spearman, symmetricEigen } from '../../harness/probes/index.ts';

describe('symmetricEigen', () => {
  it('recovers a planted spectrum and eigenvectors', () => {
    // A = Q diag(5, 3, 1, 0.5) Q^T with Q a rotation in the (0,1) plane by 30 degrees.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const Q = [
      [c, -s, 0, 0],
      [s, c, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    const lambda = [5, 3, 1, 0.5];
    const A = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 4; k++) A[i * 4 + j]! += Q[i]![k]! * lambda[k]! * Q[j]![k]!;
    const { values, vectors } = symmetricEigen(A, 4);
    expect([...values].map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1, 0.5]);
    expect(Math.abs(cosine(vectors[0]!, Float64Array.from([c, s, 0, 0])))).toBeCloseTo(1, 12);
    expect(Math.abs(cosine(vectors[1]!, Float64Array.from([-s, c, 0, 0])))).toBeCloseTo(1, 12);
  });

  it('satisfies A v = lambda v with orthonormal vectors on a random 60 x 60 matrix', () => {
    const n = 60;
    let seed = 7;
    const r = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = r();
        A[i * n + j] = v;
        A[j * n + i] = v;
      }
    const { values, vectors } = symmetricEigen(A, n);
    let worst = 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += A[i * n + j]! * vectors[k]![j]!;
        worst = Math.max(worst, Math.abs(av - values[k]! * vectors[k]![i]!));
      }
      expect(cosine(vectors[k]!, vectors[k]!)).toBeCloseTo(1, 12);
      if (k > 0) expect(Math.abs(cosine(vectors[k]!, vectors[0]!))).toBeLessThan(1e-10);
      if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    }
    expect(worst).toBeLessThan(1e-12);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]!;
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 10);
  });
});

describe('correlations', () => {
  it('computes Pearson and Spearman with tied ranks', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]))).toBe(true);
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    // Monotone but not linear: Spearman is exactly 1, Pearson is not.
    const x = [500, 1000, 2000, 4000, 8000];
    const y = [0.1, 0.2, 0.25, 0.9, 3];
    expect(spearman(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, y)).toBeLessThan(0.99);
    // Textbook example: d^2 sum = 2 over n = 5 gives rho = 1 - 6*2/(5*24) = 0.9.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 3, 4, 5])).toBeCloseTo(0.9, 12);
  });
});
