/**
 * Probe readings: per token, the projection of the residual onto the unit direction of an emotion vector,
 * the same in standard deviations of neutral text (z = (projection - mean) / sd, calibration in the vectors
 * file) and the cosine with it; per turn, the aggregates written into every attempt record.
 */
import { type Emotion, resolveEmotion } from './emotions.ts';
import { dot, norm } from './linalg.ts';
import { type EmotionVectors, getVector, neutralStats } from './vectors-file.ts';

export interface TokenReadings {
  emotion: Emotion;
  layer: number;
  /** Per token: h . v / |v|. */
  projection: Float32Array;
  /** Per token: (projection - neutral mean) / neutral sd. */
  z: Float32Array;
  /** Per token: cos(h, v). */
  cosine: Float32Array;
}

/** Matches EmotionReadingSchema of harness/log. */
export interface EmotionReading {
  /** The same three aggregates in standard deviations of neutral text: (projection - mean) / sd. */
  z: { mean: number; lastPrompt: number; max: number };
  /** Mean projection over the reply's tokens. */
  mean: number;
  /** Projection at the last prompt token (the paper's best predictor of the reply's emotion). */
  lastPrompt: number;
  /** Largest projection over the reply's tokens. */
  max: number;
  meanCosine: number;
}

/** Readings of `tokens` (each a residual [hidden] at `layer`) against each named emotion's vector. */
export function readTokens(
  tokens: readonly Float32Array[],
  vectors: EmotionVectors,
  emotions: readonly string[],
  layer: number,
): TokenReadings[] {
  return emotions.map((name) => {
    const emotion = resolveEmotion(name);
    const v = getVector(vectors, emotion, layer);
    const vn = norm(v);
    const stats = neutralStats(vectors, emotion, layer);
    const projection = new Float32Array(tokens.length);
    const cos = new Float32Array(tokens.length);
    tokens.forEach((h, t) => {
      if (h.length !== v.length)
        throw new RangeError(`residual of width ${h.length}, vectors of width ${v.length}`);
      const d = vn === 0 ? 0 : dot(h, v) / vn;
      const hn = norm(h);
      projection[t] = d;
      cos[t] = hn === 0 ? 0 : d / hn;
    });
    const z = projection.map((p) => (p - stats.mean) / stats.sd);
    return { emotion, layer, projection, z, cosine: cos };
  });
}

/**
 * Aggregates over one turn whose first `promptTokens` positions are the prompt and the rest the reply.
 * Undefined when the turn has no prompt token or no reply token: there is nothing honest to report.
 */
export function turnReading(r: TokenReadings, promptTokens: number): EmotionReading | undefined {
  const n = r.projection.length;
  if (promptTokens < 1 || promptTokens >= n) return undefined;
  let sum = 0;
  let cosSum = 0;
  let zSum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let zMax = Number.NEGATIVE_INFINITY;
  for (let t = promptTokens; t < n; t++) {
    sum += r.projection[t]!;
    zSum += r.z[t]!;
    cosSum += r.cosine[t]!;
    max = Math.max(max, r.projection[t]!);
    zMax = Math.max(zMax, r.z[t]!);
  }
  const count = n - promptTokens;
  return {
    z: { mean: zSum / count, lastPrompt: r.z[promptTokens - 1]!, max: zMax },
    mean: sum / count,
    lastPrompt: r.projection[promptTokens - 1]!,
    max,
    meanCosine: cosSum / count,
  };
}

/** Per-emotion aggregates of a turn from the model's readout ({ prompt, reply } residuals at one layer). */
export function readTurn(
  readout: { layer: number; prompt: readonly Float32Array[]; reply: readonly Float32Array[] },
  vectors: EmotionVectors,
  emotions: readonly string[],
): { tokens: TokenReadings[]; aggregates: Partial<Record<Emotion, EmotionReading>> } {
  const tokens = readTokens([...readout.prompt, ...readout.reply], vectors, emotions, readout.layer);
  const aggregates: Partial<Record<Emotion, EmotionReading>> = {};
  for (const r of tokens) {
    const agg = turnReading(r, readout.prompt.length);
    if (agg) aggregates[r.emotion] = agg;
  }
  return { tokens, aggregates };
}
