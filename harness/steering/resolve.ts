/** From parsed steering requests and a vectors file to what the model adds and what the record says. */
import { type EmotionVectors, getVector, layerIndex, neutralStats, resolveEmotion } from '../probes/index.ts';
import type { SteerRequest } from './parse.ts';
import { randomDirection } from './random.ts';
import { coefficientFor, type Strengths, type SteerUnit, strengthsOf, type UnitScale } from './units.ts';

export interface ResolvedSteer extends Strengths {
  /** Emotion noun or "random". */
  name: string;
  /** The unit the strength was asked in. */
  unit: SteerUnit;
  vector: Float32Array;
  /** Blocks after which coefficient * vector is added. */
  layers: number[];
}

export interface ResolveOptions {
  /** The layer whose vectors are used (the probe layer). */
  vectorLayer: number;
  /** Blocks to steer after; the same vector is added after each. */
  layers: number[];
  /** Seed of the random control direction. */
  seed: number;
}

/** The mean norm of the emotion vectors at a layer: the length given to the random control direction. */
export function meanVectorNorm(vectors: EmotionVectors, layer: number): number {
  const row = vectors.norms[layerIndex(vectors, layer)]!;
  return row.reduce((a, b) => a + b, 0) / row.length;
}

/**
 * The scale of one unit step for `target` at `layer`. The random control direction has the mean emotion
 * vector's norm and, as its sd, the mean of the emotions' neutral sds: so `random=c` in any unit adds a
 * vector as long as an average emotion's at the same strength in that unit.
 */
export function unitScale(vectors: EmotionVectors, target: string, layer: number): UnitScale {
  const li = layerIndex(vectors, layer);
  const meanResidualNorm = vectors.meanResidualNorm[li]!;
  if (target === 'random') {
    const sds = vectors.calibration.sd[li]!;
    return {
      vectorNorm: meanVectorNorm(vectors, layer),
      neutralSd: sds.reduce((a, b) => a + b, 0) / sds.length,
      meanResidualNorm,
    };
  }
  const emotion = resolveEmotion(target);
  // neutralStats first: it names the emotions the file has when this one is missing.
  const neutralSd = neutralStats(vectors, emotion, layer).sd;
  return { vectorNorm: vectors.norms[li]![vectors.emotions.indexOf(emotion)]!, neutralSd, meanResidualNorm };
}

/** Each request as the raw multiple the model adds, with its strength in all three units. */
export function resolveSteering(
  requests: readonly SteerRequest[],
  vectors: EmotionVectors,
  options: ResolveOptions,
): ResolvedSteer[] {
  return requests.map((r) => {
    const scale = unitScale(vectors, r.target, options.vectorLayer);
    const vector =
      r.target === 'random'
        ? randomDirection(vectors.model.hidden, options.seed, scale.vectorNorm)
        : getVector(vectors, r.target, options.vectorLayer);
    const coefficient = coefficientFor(r.value, r.unit, scale);
    return {
      name: r.target,
      unit: r.unit,
      vector,
      ...strengthsOf(coefficient, scale),
      layers: [...options.layers],
    };
  });
}
