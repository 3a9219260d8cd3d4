import { describe, expect, it } from 'vitest';
import { buildVectors, cosine, getVector, norm } from '../../harness/probes/index.ts';
import {
  coefficientFromStrength,
  meanVectorNorm,
  parseConditions,
  randomDirection,
  resolveSteering,
  strengthFromCoefficient,
} from '../../harness/steering/index.ts';
import { HIDDEN, syntheticCorpus, syntheticSource, TOKEN_OFFSET } from '../probes/synthetic.ts';

const { vectors } = await buildVectors(syntheticSource(), syntheticCorpus(4), {
  layers: [1],
  tokenOffset: TOKEN_OFFSET,
});

describe('units', () => {
  it('converts between the raw coefficient and the fraction of residual norm', () => {
    // |v| = 4, mean |h| = 80: c = 2 adds 8, a tenth of the residual norm.
    expect(strengthFromCoefficient(2, 4, 80)).toBeCloseTo(0.1, 12);
    expect(strengthFromCoefficient(-2, 4, 80)).toBeCloseTo(-0.1, 12);
    expect(coefficientFromStrength(0.05, 4, 80)).toBeCloseTo(1, 12);
    expect(() => strengthFromCoefficient(1, 4, 0)).toThrow(RangeError);
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
  const [, desperate, random] = parseConditions('baseline,desperation=-2,random=+2');

  it('hands the model the raw vector and records both units', () => {
    const [s] = resolveSteering(desperate!.steer, vectors, { vectorLayer: 1, layers: [1, 2], seed: 1 });
    expect(s!.name).toBe('desperation');
    expect(s!.vector).toEqual(getVector(vectors, 'desperation', 1));
    expect(s!.coefficient).toBe(-2);
    expect(s!.layers).toEqual([1, 2]);
    expect(s!.strength).toBeCloseTo((-2 * vectors.norms[0]![0]!) / vectors.meanResidualNorm[0]!, 10);
  });

  it('gives random=c a seeded direction with the mean norm of the emotion vectors', () => {
    const opts = { vectorLayer: 1, layers: [1], seed: 9 };
    const [r] = resolveSteering(random!.steer, vectors, opts);
    const mean = meanVectorNorm(vectors, 1);
    expect(norm(r!.vector)).toBeCloseTo(mean, 4);
    expect(r!.strength).toBeCloseTo((2 * mean) / vectors.meanResidualNorm[0]!, 10);
    expect(resolveSteering(random!.steer, vectors, opts)[0]!.vector).toEqual(r!.vector);
    expect(resolveSteering(random!.steer, vectors, { ...opts, seed: 10 })[0]!.vector).not.toEqual(r!.vector);
  });
});
