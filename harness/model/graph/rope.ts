/** Rotary position embedding tables, including Llama 3 and linear frequency scaling. */
import type { DecoderConfig } from '../types.ts';

/** Inverse frequencies, one per rotated pair: [headDim / 2]. */
export function inverseFrequencies(config: DecoderConfig): Float64Array {
  const half = config.headDim / 2;
  const out = new Float64Array(half);
  const s = config.ropeScaling;
  for (let i = 0; i < half; i++) {
    const freq = config.ropeFreqBase ** (-(2 * i) / config.headDim);
    if (s.type === 'none') out[i] = freq;
    else if (s.type === 'linear') out[i] = freq / s.factor;
    else {
      // Llama 3: long wavelengths are slowed by `factor`, short ones kept, the band between blended.
      const wavelen = (2 * Math.PI) / freq;
      const lowWavelen = s.originalContextLength / s.lowFreqFactor;
      const highWavelen = s.originalContextLength / s.highFreqFactor;
      if (wavelen < highWavelen) out[i] = freq;
      else if (wavelen > lowWavelen) out[i] = freq / s.factor;
      else {
        const smooth =
          (s.originalContextLength / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        out[i] = (1 - smooth) * (freq / s.factor) + smooth * freq;
      }
    }
  }
  return out;
}

/** cos and sin caches for GroupQueryAttention's fused rotary: each [maxPositions, headDim / 2]. */
export function rotaryCaches(
  config: DecoderConfig,
  maxPositions: number,
): { cos: Float32Array; sin: Float32Array } {
  const inv = inverseFrequencies(config);
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
