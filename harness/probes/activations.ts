/**
 * One pass of the model over the corpus: per story and layer the mean residual over the story's tokens
 * from the token offset on, per layer the mean residual norm, and two statistics of the neutral dialogues'
 * residuals: the covariance of the even-indexed dialogues (whose principal components are projected out of
 * the vectors) and the mean and covariance of every token of the odd-indexed ones (the calibration that turns
 * a projection into standard deviations). Everything downstream (vectors, validation) is arithmetic on this.
 */
import { HarnessError } from '../errors.ts';
import { allStories, type Corpus, dialogueText, type Story } from './corpus.ts';

/** What the model runtime provides: the residual stream after each requested block, for a text. */
export interface ActivationSource {
  modelSha256: string;
  layerCount: number;
  hidden: number;
  /** Per requested layer, in order: [tokens x hidden] row-major. */
  residuals(text: string, layers: number[]): Promise<Float32Array[]>;
}

export interface CollectOptions {
  layers: number[];
  /** Tokens before this position are left out of every mean (the paper skips the first 50). */
  tokenOffset: number;
  /** Neutral positions per dialogue that enter the covariance (evenly spaced); bounds the O(hidden^2) cost. */
  neutralTokensPerText?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface StoryActivation {
  story: Story;
  tokens: number;
  /** First token position averaged; tokenOffset unless the story was too short (see tokenRange). */
  from: number;
  /** Per entry of `layers`: the mean residual over positions from..tokens-1. */
  means: Float64Array[];
}

export interface Activations {
  modelSha256: string;
  hidden: number;
  layers: number[];
  tokenOffset: number;
  stories: StoryActivation[];
  /** Per entry of `layers`: mean |h| over every averaged story position. */
  meanResidualNorm: number[];
  neutral: {
    dialogues: number;
    positions: number;
    /** Per entry of `layers`: covariance of the sampled neutral residuals, hidden x hidden row-major. */
    covariance: Float64Array[];
  };
  /**
   * Neutral dialogues held out of the principal-component fit (see isCalibrationDialogue), every token from
   * the token offset on: per layer the mean residual and its covariance, so the mean and variance of the
   * projection onto any direction u are u . mean and u^T covariance u.
   */
  calibration: {
    dialogues: number;
    tokens: number;
    mean: Float64Array[];
    covariance: Float64Array[];
  };
}

/**
 * Which neutral dialogues calibrate readings (odd positions in the file) rather than enter the principal
 * component fit (even positions). Disjoint sets, so the spread measured along a vector is not shrunk by
 * having projected out the top directions of the very same tokens.
 */
export function isCalibrationDialogue(index: number): boolean {
  return index % 2 === 1;
}

/**
 * Positions to average: from tokenOffset on; a text no longer than the offset would have none, so it
 * falls back to its second half (the early positions carry the most prompt-independent state).
 */
export function tokenRange(tokens: number, tokenOffset: number): { from: number; to: number } {
  if (tokens > tokenOffset) return { from: tokenOffset, to: tokens };
  return { from: Math.floor(tokens / 2), to: tokens };
}

function checkShape(rows: Float32Array[], layers: number[], hidden: number, what: string): number {
  if (rows.length !== layers.length)
    throw new HarnessError(
      `activation source returned ${rows.length} layers for ${layers.length} requested (${what})`,
    );
  const size = rows[0]!.length;
  if (size === 0 || size % hidden !== 0 || rows.some((r) => r.length !== size))
    throw new HarnessError(`activation source returned ${size} values, not tokens x ${hidden} (${what})`);
  return size / hidden;
}

export async function collectActivations(
  source: ActivationSource,
  corpus: Corpus,
  options: CollectOptions,
): Promise<Activations> {
  const { layers, tokenOffset } = options;
  const hidden = source.hidden;
  const bad = layers.filter((l) => !Number.isInteger(l) || l < 0 || l >= source.layerCount);
  if (bad.length > 0 || layers.length === 0)
    throw new HarnessError(`layers ${JSON.stringify(layers)} are not within 0..${source.layerCount - 1}`);
  const stories = allStories(corpus);
  const total = stories.length + corpus.neutral.length;
  let done = 0;

  const storyActs: StoryActivation[] = [];
  const normSum = new Float64Array(layers.length);
  let normCount = 0;
  for (const story of stories) {
    const rows = await source.residuals(story.text, layers);
    const tokens = checkShape(rows, layers, hidden, `story of ${story.emotion}, ${story.premise}`);
    const { from, to } = tokenRange(tokens, tokenOffset);
    const means = rows.map((r, li) => {
      const m = new Float64Array(hidden);
      for (let t = from; t < to; t++) {
        let sq = 0;
        for (let i = 0; i < hidden; i++) {
          const x = r[t * hidden + i]!;
          m[i]! += x;
          sq += x * x;
        }
        normSum[li]! += Math.sqrt(sq);
      }
      for (let i = 0; i < hidden; i++) m[i]! /= to - from;
      return m;
    });
    normCount += to - from;
    storyActs.push({ story, tokens, from, means });
    options.onProgress?.(++done, total);
  }

  const perText = options.neutralTokensPerText ?? 16;
  const sums = layers.map(() => new Float64Array(hidden));
  const scatters = layers.map(() => new Float64Array(hidden * hidden));
  const calSums = layers.map(() => new Float64Array(hidden));
  const calScatters = layers.map(() => new Float64Array(hidden * hidden));
  let positions = 0;
  let fitDialogues = 0;
  let calTokens = 0;
  for (const [index, d] of corpus.neutral.entries()) {
    const rows = await source.residuals(dialogueText(d), layers);
    const tokens = checkShape(rows, layers, hidden, 'neutral dialogue');
    const { from, to } = tokenRange(tokens, tokenOffset);
    if (isCalibrationDialogue(index)) {
      for (let t = from; t < to; t++)
        rows.forEach((r, li) => {
          accumulate(r.subarray(t * hidden, (t + 1) * hidden), calSums[li]!, calScatters[li]!);
        });
      calTokens += to - from;
    } else {
      const count = Math.min(perText, to - from);
      for (let k = 0; k < count; k++) {
        const t = from + Math.floor(((k + 0.5) * (to - from)) / count);
        rows.forEach((r, li) => {
          accumulate(r.subarray(t * hidden, (t + 1) * hidden), sums[li]!, scatters[li]!);
        });
      }
      positions += count;
      fitDialogues++;
    }
    options.onProgress?.(++done, total);
  }
  const covariance = scatters.map((s, li) => finishCovariance(s, sums[li]!, positions));

  return {
    modelSha256: source.modelSha256,
    hidden,
    layers: [...layers],
    tokenOffset,
    stories: storyActs,
    meanResidualNorm: [...normSum].map((s) => s / normCount),
    neutral: { dialogues: fitDialogues, positions, covariance },
    calibration: {
      dialogues: corpus.neutral.length - fitDialogues,
      tokens: calTokens,
      mean: calSums.map((s) => s.map((x) => x / Math.max(calTokens, 1))),
      covariance: calScatters.map((s, li) => finishCovariance(s, calSums[li]!, calTokens)),
    },
  };
}

/** Adds x to the running sum and x x^T to the upper triangle of the scatter matrix. */
function accumulate(x: Float32Array, sum: Float64Array, scatter: Float64Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    sum[i]! += xi;
    const row = i * n;
    for (let j = i; j < n; j++) scatter[row + j]! += xi * x[j]!;
  }
}

function finishCovariance(scatter: Float64Array, sum: Float64Array, count: number): Float64Array {
  const n = sum.length;
  const cov = new Float64Array(n * n);
  if (count < 2) return cov;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const c = (scatter[i * n + j]! - (sum[i]! * sum[j]!) / count) / (count - 1);
      cov[i * n + j] = c;
      cov[j * n + i] = c;
    }
  }
  return cov;
}
