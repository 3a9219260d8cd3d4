import { describe, expect, it } from 'vitest';
import { buildVectors, cosine, getVector, norm } from '../../harness/probes/index.ts';
import {
  coefficientFor,
  formatStrengths,
  meanVectorNorm,
  parseConditions,
  randomDirection,
  resolveSteering,
  strengthsOf,
} from '../../harness/steering/index.ts';
import { HIDDEN, syntheticCorpus, syntheticSource, TOKEN_OFFSET } from '../probes/synthetic.ts';

const { vectors } = await buildVectors(syntheticSource(), syntheticCorpus(4), {
  layers: [1],
  tokenOffset: TOKEN_OFFSET,
});

describe('units', () => {
  // |v| = 4, neutral sd of the reading = 0.5, mean |h| = 80.
  const scale = { vectorNorm: 4, neutralSd: 0.5, meanResidualNorm: 80 };

  it('turns each unit into the raw multiple: c sd adds c x sd along the unit vector, c% adds c/100 of |h|', () => {
    expect(coefficientFor(2, 'sd', scale)).toBeCloseTo(0.25, 12); // 0.25 x 4 = 1 = 2 x 0.5
    expect(coefficientFor(-5, 'percent', scale)).toBeCloseTo(-1, 12); // -1 x 4 = -4 = -0.05 x 80
    expect(coefficientFor(1.5, 'multiple', scale)).toBe(1.5);
    expect(() => coefficientFor(1, 'sd', { ...scale, neutralSd: 0 })).toThrow(RangeError);
  });

  it('states one multiple in all three units', () => {
    expect(strengthsOf(-1, scale)).toEqual({ sd: -8, strength: -0.05, coefficient: -1 });
    expect(formatStrengths(strengthsOf(-1, scale))).toBe('-8.00 sd = -5.00 % of mean |h| = -1.000x');
  });
});

describe('randomDirection', () => {
  it('is seeded, has the requested length, and is not aligned with a fixed axis', () => {
    const a = randomDirection(HIDDEN, 42, 3);
    expect(randomDirection(HIDDEN, 42, 3)).toEqual(a);
    expect(norm(a)).toBeCloseTo(3, 5);
    expect(Math.abs(cosine(a, randomDirection(HIDDEN, 43, 3)))).toBeLessThan(0.6);
    expect(Math.max(...a.map(Math.abs))).toBeLessThan(3);
  });
});

describe('resolveSteering', () => {
  const opts = { vectorLayer: 1, layers: [1, 2], seed: 1 };
  const ei = vectors.emotions.indexOf('desperation');
  const vNorm = vectors.norms[0]![ei]!;
  const sd = vectors.calibration.sd[0]![ei]!;
  const meanH = vectors.meanResidualNorm[0]!;

  it('hands the model the raw vector and records all three units', () => {
    const [s] = resolveSteering(parseConditions('desperation=-2')[0]!.steer, vectors, opts);
    expect(s!.name).toBe('desperation');
    expect(s!.unit).toBe('sd');
    expect(s!.vector).toEqual(getVector(vectors, 'desperation', 1));
    expect(s!.layers).toEqual([1, 2]);
    expect(s!.sd).toBeCloseTo(-2, 12);
    expect(s!.coefficient).toBeCloseTo((-2 * sd) / vNorm, 12);
    expect(s!.strength).toBeCloseTo((-2 * sd) / meanH, 12);
  });

  it('gives one addition for a strength and its equivalents in the other two units', () => {
    const [p] = resolveSteering(parseConditions('desperation=-5%')[0]!.steer, vectors, opts);
    expect(p!.unit).toBe('percent');
    expect(p!.strength).toBeCloseTo(-0.05, 12);
    const [s] = resolveSteering(parseConditions(`desperation=${p!.sd}`)[0]!.steer, vectors, opts);
    const [x] = resolveSteering(parseConditions(`desperation=${p!.coefficient}x`)[0]!.steer, vectors, opts);
    for (const r of [s!, x!]) {
      expect(r.coefficient).toBeCloseTo(p!.coefficient, 12);
      expect(r.sd).toBeCloseTo(p!.sd, 12);
      expect(r.strength).toBeCloseTo(-0.05, 12);
    }
  });

  it('gives random=c a seeded direction as long as the mean emotion vector, matched in the unit asked', () => {
    const one = { vectorLayer: 1, layers: [1], seed: 9 };
    const meanNorm = meanVectorNorm(vectors, 1);
    const meanSd = vectors.calibration.sd[0]!.reduce((a, b) => a + b, 0) / vectors.emotions.length;
    const [x] = resolveSteering(parseConditions('random=+2x')[0]!.steer, vectors, one);
    expect(norm(x!.vector)).toBeCloseTo(meanNorm, 4);
    expect(x!.coefficient).toBe(2);
    expect(x!.strength).toBeCloseTo((2 * meanNorm) / meanH, 10);
    // In sd: the added length is c times the emotions' mean neutral sd.
    const [s] = resolveSteering(parseConditions('random=+2')[0]!.steer, vectors, one);
    expect(s!.coefficient * meanNorm).toBeCloseTo(2 * meanSd, 10);
    expect(s!.sd).toBeCloseTo(2, 12);
    // In percent: the same fraction of |h| as any emotion at that percentage.
    const [p] = resolveSteering(parseConditions('random=+5%')[0]!.steer, vectors, one);
    expect(p!.coefficient * meanNorm).toBeCloseTo(0.05 * meanH, 10);
    expect(resolveSteering(parseConditions('random=+2')[0]!.steer, vectors, one)[0]!.vector).toEqual(
      s!.vector,
    );
    expect(
      resolveSteering(parseConditions('random=+2')[0]!.steer, vectors, { ...one, seed: 10 })[0]!.vector,
    ).not.toEqual(s!.vector);
  });
});
