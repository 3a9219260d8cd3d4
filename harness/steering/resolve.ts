/** From parsed steering requests and a vectors file to what the model adds and what the record says. */
import { type EmotionVectors, getVector, layerIndex } from '../probes/index.ts';
import type { SteerRequest } from './parse.ts';
import { randomDirection } from './random.ts';
import { strengthFromCoefficient } from './units.ts';

export interface ResolvedSteer {
  /** Emotion noun or "random". */
  name: string;
  vector: Float32Array;
  coefficient: number;
  /** s = c * |v| / mean |h_L| at the vector's layer. */
  strength: number;
  /** Blocks after which c * v is added. */
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

export function resolveSteering(
  requests: readonly SteerRequest[],
  vectors: EmotionVectors,
  options: ResolveOptions,
): ResolvedSteer[] {
  const li = layerIndex(vectors, options.vectorLayer);
  const meanH = vectors.meanResidualNorm[li]!;
  return requests.map((r) => {
    const vector =
      r.target === 'random'
        ? randomDirection(vectors.model.hidden, options.seed, meanVectorNorm(vectors, options.vectorLayer))
        : getVector(vectors, r.target, options.vectorLayer);
    const vNorm =
      r.target === 'random'
        ? meanVectorNorm(vectors, options.vectorLayer)
        : vectors.norms[li]![vectors.emotions.indexOf(r.target)]!;
    return {
      name: r.target,
      vector,
      coefficient: r.coefficient,
      strength: strengthFromCoefficient(r.coefficient, vNorm, meanH),
      layers: [...options.layers],
    };
  });
}
