/**
 * Rotary position embedding tables as llama.cpp computes them (ggml_rope_ext without YaRN): the angle of
 * pair i at position p is p * base^(-2i/d) * freqScale / freqFactors[i], where freqScale is 1/factor under
 * linear scaling and freqFactors the file's rope_freqs.weight (Llama 3.1's per-frequency scaling, baked in
 * by llama.cpp's converter), 1 when absent.
 */
import { InputError } from '../../errors.ts';
import type { DecoderConfig, WeightSource } from '../types.ts';

/** The per-frequency divisors a file holds (rope_freqs.weight, [headDim / 2]), if any. */
export async function ropeFreqFactors(src: WeightSource): Promise<Float32Array | undefined> {
  if (!src.has('rope_freqs.weight')) return undefined;
  const factors = await src.f32('rope_freqs.weight');
  const half = src.config.headDim / 2;
  if (factors.length !== half)
    throw new InputError(`rope_freqs.weight has ${factors.length} values, expected headDim / 2 = ${half}`);
  return factors;
}

/** Inverse frequencies, one per rotated pair: [headDim / 2]. */
export function inverseFrequencies(config: DecoderConfig, freqFactors?: Float32Array): Float64Array {
  const half = config.headDim / 2;
  const out = new Float64Array(half);
  const scale = config.ropeScaling.type === 'linear' ? 1 / config.ropeScaling.factor : 1;
  for (let i = 0; i < half; i++)
    out[i] = (config.ropeFreqBase ** (-(2 * i) / config.headDim) * scale) / (freqFactors?.[i] ?? 1);
  return out;
}

/** cos and sin caches for GroupQueryAttention's fused rotary: each [maxPositions, headDim / 2]. */
export function rotaryCaches(
  config: DecoderConfig,
  maxPositions: number,
  freqFactors?: Float32Array,
): { cos: Float32Array; sin: Float32Array } {
  const inv = inverseFrequencies(config, freqFactors);
  const half = inv.length;
  const cos = new Float32Array(maxPositions * half);
  const sin = new Float32Array(maxPositions * half);
  for (let p = 0; p < maxPositions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * inv[i]!;
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * GGUF's Llama converter permutes attn_q / attn_k rows so rotation pairs are adjacent (2i, 2i+1); Qwen2
 * files keep the halves layout (i, i + headDim/2).
 */
export function rotaryInterleaved(config: DecoderConfig): boolean {
  return config.architecture !== 'qwen2';
}
