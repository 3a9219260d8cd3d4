/**
 * Does each vector mean its emotion in this model? Vectors are rebuilt without a held-out set of premises,
 * and every held-out story is labelled with the emotion whose vector is nearest (cosine) to it.
 */
import type { Activations } from './activations.ts';
import type { Premise } from './corpus.ts';
import { EMOTIONS, VALENCE_AROUSAL } from './emotions.ts';
import { cosine, dot, symmetricEigen } from './linalg.ts';
import { pearson } from './stats.ts';
import { emotionVectors, type LayerVectors, type NeutralProjection, storyPoint } from './vectors.ts';

export interface LayerValidation {
  layer: number;
  correct: number;
  total: number;
  accuracy: number;
  /** confusion[true][predicted], EMOTIONS order. */
  confusion: number[][];
  /** Share of the variance of the vectors (built from all stories) on their first two principal components. */
  pcExplained: [number, number];
  /** |r| of PC1 with valence and of PC2 with arousal (a component's sign is arbitrary). */
  valenceR: number;
  arousalR: number;
}

export interface ValidationResult {
  modelSha256: string;
  tokenOffset: number;
  heldOutPremises: string[];
  trainStories: number;
  testStories: number;
  chance: number;
  layers: LayerValidation[];
  recommendedLayer: number;
}

/** Every fourth premise, from the fourth: a quarter held out, spread over the list. */
export function defaultHeldOut(premises: readonly Premise[]): string[] {
  return premises.filter((_, i) => i % 4 === 3).map((p) => p.id);
}

export function validateVectors(
  acts: Activations,
  projections: readonly NeutralProjection[],
  heldOutPremises: readonly string[],
): ValidationResult {
  const held = new Set(heldOutPremises);
  const isTest = (premise: string) => held.has(premise);
  const trainVectors = emotionVectors(acts, projections, (s) => !isTest(s.story.premise));
  const allVectors = emotionVectors(acts, projections);
  const test = acts.stories.filter((s) => isTest(s.story.premise));
  if (test.length === 0)
    throw new RangeError(`no stories under the held-out premises ${heldOutPremises.join(', ')}`);

  const layers = acts.layers.map((layer, li): LayerValidation => {
    const lv = trainVectors[li]!;
    const confusion = EMOTIONS.map(() => EMOTIONS.map(() => 0));
    let correct = 0;
    for (const s of test) {
      const x = storyPoint(s, li, lv, projections[li]!);
      const sims = lv.vectors.map((v) => cosine(x, v));
      const predicted = sims.indexOf(Math.max(...sims));
      const truth = EMOTIONS.indexOf(s.story.emotion);
      confusion[truth]![predicted]!++;
      if (predicted === truth) correct++;
    }
    return {
      layer,
      correct,
      total: test.length,
      accuracy: correct / test.length,
      confusion,
      ...principalAxes(allVectors[li]!),
    };
  });

  const best = [...layers].sort(
    (a, b) => b.accuracy - a.accuracy || b.valenceR - a.valenceR || a.layer - b.layer,
  )[0]!;
  return {
    modelSha256: acts.modelSha256,
    tokenOffset: acts.tokenOffset,
    heldOutPremises: [...heldOutPremises],
    trainStories: acts.stories.length - test.length,
    testStories: test.length,
    chance: 1 / EMOTIONS.length,
    layers,
    recommendedLayer: best.layer,
  };
}

/** PCA of the twelve vectors through their Gram matrix (they are centered by construction). */
function principalAxes(lv: LayerVectors): Pick<LayerValidation, 'pcExplained' | 'valenceR' | 'arousalR'> {
  const k = lv.vectors.length;
  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) gram[i * k + j] = dot(lv.vectors[i]!, lv.vectors[j]!);
  const { values, vectors } = symmetricEigen(gram, k);
  const total = values.reduce((a, v) => a + Math.max(v, 0), 0);
  const score = (c: number) => [...vectors[c]!].map((u) => u * Math.sqrt(Math.max(values[c]!, 0)));
  const valence = EMOTIONS.map((e) => VALENCE_AROUSAL[e].valence);
  const arousal = EMOTIONS.map((e) => VALENCE_AROUSAL[e].arousal);
  return {
    pcExplained: [total > 0 ? values[0]! / total : 0, total > 0 ? values[1]! / total : 0],
    valenceR: Math.abs(pearson(score(0), valence)),
    arousalR: Math.abs(pearson(score(1), arousal)),
  };
}
