/** From a model and the corpus to a vectors file: collect, project out neutral directions, package. */
import {
  type ActivationSource,
  type Activations,
  type CollectOptions,
  collectActivations,
} from './activations.ts';
import type { Corpus } from './corpus.ts';
import { EMOTIONS } from './emotions.ts';
import { type EmotionVectors, VECTORS_SCHEMA_VERSION } from './vectors-file.ts';
import { emotionVectors, type LayerVectors, type NeutralProjection, neutralProjection } from './vectors.ts';

export interface BuildOptions extends CollectOptions {
  /** Fraction of the neutral variance whose principal components are projected out (the paper: 0.5). */
  neutralFraction?: number;
}

export interface Built {
  vectors: EmotionVectors;
  /** Kept so that validation can rebuild vectors on a subset without running the model again. */
  activations: Activations;
  projections: NeutralProjection[];
}

export function neutralProjections(acts: Activations, fraction: number): NeutralProjection[] {
  return acts.neutral.covariance.map((c) => neutralProjection(c, acts.hidden, fraction));
}

export function packageVectors(
  acts: Activations,
  layerVectors: readonly LayerVectors[],
  projections: readonly NeutralProjection[],
  model: { layerCount: number },
  fraction: number,
): EmotionVectors {
  const h = acts.hidden;
  const data = new Float32Array(acts.layers.length * EMOTIONS.length * h);
  layerVectors.forEach((lv, li) => {
    lv.vectors.forEach((v, ei) => {
      data.set(v, (li * EMOTIONS.length + ei) * h);
    });
  });
  return {
    schemaVersion: VECTORS_SCHEMA_VERSION,
    kind: 'emotion-vectors',
    model: { sha256: acts.modelSha256.toLowerCase(), layerCount: model.layerCount, hidden: h },
    layers: [...acts.layers],
    tokenOffset: acts.tokenOffset,
    emotions: [...EMOTIONS],
    meanResidualNorm: [...acts.meanResidualNorm],
    norms: layerVectors.map((lv) => [...lv.norms]),
    neutral: {
      fraction,
      dialogues: acts.neutral.dialogues,
      positions: acts.neutral.positions,
      components: projections.map((p) => p.basis.length),
      explained: projections.map((p) => p.explained),
    },
    calibration: calibrate(acts, layerVectors),
    corpus: {
      stories: acts.stories.length,
      fallbackStories: acts.stories.filter((s) => s.from !== acts.tokenOffset).length,
    },
    data,
  };
}

/**
 * Per layer and emotion, the neutral mean and standard deviation of the projection onto the unit vector u:
 * u . mean and sqrt(u^T C u) over the calibration tokens (exact for the per-token projections).
 */
export function calibrate(
  acts: Activations,
  layerVectors: readonly LayerVectors[],
): EmotionVectors['calibration'] {
  const h = acts.hidden;
  const { mean, covariance, dialogues, tokens } = acts.calibration;
  if (tokens < 2)
    throw new RangeError(`the neutral calibration needs at least 2 tokens; the corpus gave ${tokens}`);
  const rows = layerVectors.map((lv, li) =>
    lv.vectors.map((v, ei) => {
      const n = lv.norms[ei]!;
      if (!(n > 0)) throw new RangeError(`the ${EMOTIONS[ei]} vector at layer ${lv.layer} is zero`);
      const c = covariance[li]!;
      let m = 0;
      let variance = 0;
      for (let i = 0; i < h; i++) {
        m += (mean[li]![i]! * v[i]!) / n;
        let cv = 0;
        for (let j = 0; j < h; j++) cv += c[i * h + j]! * v[j]!;
        variance += (v[i]! * cv) / (n * n);
      }
      return { mean: m, sd: Math.sqrt(Math.max(variance, 0)) };
    }),
  );
  return {
    dialogues,
    tokens,
    mean: rows.map((r) => r.map((x) => x.mean)),
    sd: rows.map((r) => r.map((x) => x.sd)),
  };
}

export function vectorsFromActivations(
  acts: Activations,
  model: { layerCount: number },
  fraction = 0.5,
): { vectors: EmotionVectors; projections: NeutralProjection[] } {
  const projections = neutralProjections(acts, fraction);
  const layerVectors = emotionVectors(acts, projections);
  return { vectors: packageVectors(acts, layerVectors, projections, model, fraction), projections };
}

export async function buildVectors(
  source: ActivationSource,
  corpus: Corpus,
  options: BuildOptions,
): Promise<Built> {
  const activations = await collectActivations(source, corpus, options);
  const { vectors, projections } = vectorsFromActivations(
    activations,
    source,
    options.neutralFraction ?? 0.5,
  );
  return { vectors, activations, projections };
}
