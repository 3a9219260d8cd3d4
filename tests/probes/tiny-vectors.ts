/**
 * A header-only GGUF "model" and a vectors file built for it, for commands that need a model's identity
 * (sha256, architecture) but never run it. Vector values are position-coded so a test can tell which
 * layer and emotion a number came from: v[layer][emotion][i] = layer + emotion / 100 + i / 10000.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256File, writeGguf } from '../../harness/model/gguf/index.ts';
import { EMOTIONS, type EmotionVectors, saveVectors, validationPaths } from '../../harness/probes/index.ts';

export const TINY_HIDDEN = 8;
export const TINY_LAYERS = 6;

export function codedValue(layer: number, emotionIndex: number, i: number): number {
  return layer + emotionIndex / 100 + i / 10_000;
}

export function tinyVectors(
  sha256: string,
  layers: number[],
  options: { hidden?: number; layerCount?: number } = {},
): EmotionVectors {
  const hidden = options.hidden ?? TINY_HIDDEN;
  const data = new Float32Array(layers.length * EMOTIONS.length * hidden);
  layers.forEach((layer, li) => {
    for (let ei = 0; ei < EMOTIONS.length; ei++)
      for (let i = 0; i < hidden; i++)
        data[(li * EMOTIONS.length + ei) * hidden + i] = codedValue(layer, ei, i);
  });
  return {
    schemaVersion: 2,
    kind: 'emotion-vectors',
    model: { sha256, layerCount: options.layerCount ?? TINY_LAYERS, hidden },
    layers,
    tokenOffset: 0,
    emotions: [...EMOTIONS],
    meanResidualNorm: layers.map((l) => 10 * (l + 1)),
    norms: layers.map((l) =>
      EMOTIONS.map((_, ei) => {
        let s = 0;
        for (let i = 0; i < hidden; i++) s += codedValue(l, ei, i) ** 2;
        return Math.sqrt(s);
      }),
    ),
    neutral: {
      fraction: 0.5,
      dialogues: 0,
      positions: 0,
      components: layers.map(() => 0),
      explained: layers.map(() => 0),
    },
    calibration: {
      dialogues: 1,
      tokens: 10,
      mean: layers.map(() => EMOTIONS.map(() => 0)),
      sd: layers.map((l) => EMOTIONS.map((_, ei) => 1 + l + ei / 100)),
    },
    corpus: { stories: 1, fallbackStories: 0 },
    data,
  };
}

/**
 * Writes `model.gguf` (metadata only) and `vectors.json` for it (layers 1..4) into `dir`, with a
 * validation report beside the vectors that recommends layer 2.
 */
export async function tinyModelAndVectors(
  dir: string,
): Promise<{ model: string; vectors: string; sha256: string }> {
  const model = path.join(dir, 'model.gguf');
  await writeGguf(model, {
    metadata: { 'general.architecture': 'llama', 'llama.block_count': TINY_LAYERS },
    tensors: [],
  });
  const sha256 = await sha256File(model);
  const vectors = path.join(dir, 'vectors.json');
  saveVectors(vectors, tinyVectors(sha256, [1, 2, 3, 4]));
  writeFileSync(validationPaths(vectors).json, JSON.stringify({ recommendedLayer: 2 }));
  return { model, vectors, sha256 };
}
