/**
 * Emotion vectors from collected activations: per layer, each emotion's mean story activation minus the
 * mean over all emotions, with the neutral dialogues' top principal components projected out.
 */
import type { Activations, StoryActivation } from './activations.ts';
import { EMOTIONS, type Emotion } from './emotions.ts';
import { norm, projectOut, symmetricEigen } from './linalg.ts';

export interface NeutralProjection {
  /** Unit principal directions, largest variance first. */
  basis: Float64Array[];
  /** Fraction of the neutral variance those directions explain. */
  explained: number;
}

/** The fewest top principal components of `covariance` that together explain at least `fraction`. */
export function neutralProjection(
  covariance: Float64Array,
  hidden: number,
  fraction: number,
): NeutralProjection {
  if (fraction <= 0) return { basis: [], explained: 0 };
  const { values, vectors } = symmetricEigen(covariance, hidden);
  const total = values.reduce((a, v) => a + Math.max(v, 0), 0);
  if (total === 0) return { basis: [], explained: 0 };
  const basis: Float64Array[] = [];
  let acc = 0;
  for (let k = 0; k < hidden && acc / total < fraction; k++) {
    basis.push(vectors[k]!);
    acc += Math.max(values[k]!, 0);
  }
  return { basis, explained: acc / total };
}

export interface LayerVectors {
  layer: number;
  /** Mean over emotions of the per-emotion mean activation: the point readings are taken relative to. */
  center: Float64Array;
  /** In EMOTIONS order. */
  vectors: Float64Array[];
  norms: number[];
}

/**
 * Vectors for every layer of `acts`, from the stories that pass `include` (all by default). Each emotion's
 * mean weighs its stories equally, and the center weighs emotions equally, so an emotion with more stories
 * does not pull the others.
 */
export function emotionVectors(
  acts: Activations,
  projections: readonly NeutralProjection[],
  include: (s: StoryActivation) => boolean = () => true,
): LayerVectors[] {
  const chosen = acts.stories.filter(include);
  return acts.layers.map((layer, li) => {
    const means = EMOTIONS.map((e) =>
      meanOf(
        chosen.filter((s) => s.story.emotion === e),
        li,
        acts.hidden,
        e,
      ),
    );
    const center = new Float64Array(acts.hidden);
    for (const m of means) for (let i = 0; i < acts.hidden; i++) center[i]! += m[i]! / means.length;
    const vectors = means.map((m) => {
      const v = m.map((x, i) => x - center[i]!);
      projectOut(v, projections[li]!.basis);
      return v;
    });
    return { layer, center, vectors, norms: vectors.map(norm) };
  });
}

function meanOf(stories: StoryActivation[], li: number, hidden: number, emotion: Emotion): Float64Array {
  if (stories.length === 0) throw new RangeError(`no stories of ${emotion} to average`);
  const m = new Float64Array(hidden);
  for (const s of stories) {
    const x = s.means[li]!;
    for (let i = 0; i < hidden; i++) m[i]! += x[i]! / stories.length;
  }
  return m;
}

/** A story's activation as the vectors see it: relative to the center, neutral directions removed. */
export function storyPoint(s: StoryActivation, li: number, lv: LayerVectors, projection: NeutralProjection) {
  const x = s.means[li]!.map((v, i) => v - lv.center[i]!);
  projectOut(x, projection.basis);
  return x;
}
