/** A tiny random-weight Llama-family decoder for golden tests. */
import { decoderTensorShapes, MemoryWeights } from '../../harness/model/memory-weights.ts';
import type { DecoderConfig } from '../../harness/model/types.ts';

export function tinyConfig(overrides: Partial<DecoderConfig> = {}): DecoderConfig {
  return {
    architecture: 'llama',
    blockCount: 3,
    embeddingLength: 64,
    feedForwardLength: 96,
    headCount: 4,
    headCountKv: 2,
    headDim: 16,
    contextLength: 256,
    ropeFreqBase: 10000,
    ropeScaling: { type: 'none' },
    rmsNormEps: 1e-5,
    vocabSize: 96,
    tiedEmbeddings: true,
    hasQkvBias: false,
    ...overrides,
  };
}

/**
 * Deterministic weights from a small xorshift generator; norms near 1 so activations stay tame. `extra`
 * adds tensors outside the decoder's own list (e.g. rope_freqs.weight).
 */
export function tinyWeights(
  config: DecoderConfig,
  seed = 1,
  extra: Record<string, Float32Array> = {},
): MemoryWeights {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32 - 0.5;
  };
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of decoderTensorShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = new Float32Array(n);
    const isNorm = shape.length === 1 && !name.endsWith('.bias');
    for (let i = 0; i < n; i++) t[i] = isNorm ? 1 + rand() * 0.4 : rand() * 0.5;
    tensors.set(name, t);
  }
  for (const [name, t] of Object.entries(extra)) tensors.set(name, t);
  return new MemoryWeights(config, tensors);
}
