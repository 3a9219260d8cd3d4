/** The decoder hyperparameters a GGUF file declares, checked for the architectures the graph can build. */
import { InputError } from '../../errors.ts';
import type { DecoderConfig, RopeScaling } from '../types.ts';
import type { GgufFile } from './file.ts';

/** The gguf reader's name for the decoder config the graph builds from: one shape for both. */
export type LlamaHyperparams = DecoderConfig;
export type { RopeScaling };

/** Llama-family decoders: RMSNorm, rotary attention with grouped KV heads, SwiGLU feed-forward. */
export const SUPPORTED_ARCHITECTURES = ['llama', 'mistral', 'qwen2'] as const;

export function describeArchitecture(f: GgufFile): LlamaHyperparams {
  const architecture = f.require<string>('general.architecture');
  if (!(SUPPORTED_ARCHITECTURES as readonly string[]).includes(architecture))
    throw new InputError(
      `${f.path}: architecture ${JSON.stringify(architecture)} is not supported; expected one of ${SUPPORTED_ARCHITECTURES.join(', ')}`,
    );
  const num = (key: string, fallback?: number): number => {
    const value = f.get(`${architecture}.${key}`) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new InputError(
        `${f.path}: metadata ${architecture}.${key} must be a number, received ${value === undefined ? 'nothing' : String(value)}`,
      );
    return value;
  };
  const embeddingLength = num('embedding_length');
  const headCount = num('attention.head_count');
  const tokens = f.get<string[]>('tokenizer.ggml.tokens');
  const embd = f.has('token_embd.weight') ? f.tensor('token_embd.weight').dims[1] : undefined;
  return {
    architecture,
    blockCount: num('block_count'),
    embeddingLength,
    feedForwardLength: num('feed_forward_length'),
    headCount,
    headCountKv: num('attention.head_count_kv', headCount),
    headDim: num('attention.key_length', embeddingLength / headCount),
    contextLength: num('context_length'),
    ropeFreqBase: num('rope.freq_base', 10000),
    ropeScaling: ropeScaling(f, architecture, num),
    rmsNormEps: num('attention.layer_norm_rms_epsilon', 1e-5),
    vocabSize: num('vocab_size', embd ?? tokens?.length),
    tiedEmbeddings: !f.has('output.weight'),
    hasQkvBias: f.has('blk.0.attn_q.bias'),
  };
}

function ropeScaling(
  f: GgufFile,
  arch: string,
  num: (key: string, fallback?: number) => number,
): RopeScaling {
  const type = f.get<string>(`${arch}.rope.scaling.type`) ?? 'none';
  if (type === 'linear') return { type, factor: num('rope.scaling.factor') };
  if (type === 'llama3' || f.get(`${arch}.rope.scaling.low_freq_factor`) !== undefined)
    return {
      type: 'llama3',
      factor: num('rope.scaling.factor'),
      lowFreqFactor: num('rope.scaling.low_freq_factor'),
      highFreqFactor: num('rope.scaling.high_freq_factor'),
      originalContextLength: num('rope.scaling.original_context_length'),
    };
  // Llama 3.1 converters bake the scaling into per-frequency factors instead of metadata.
  if (f.has('rope_freqs.weight'))
    throw new InputError(`${f.path}: per-frequency rotary factors (rope_freqs.weight) are not supported`);
  if (type !== 'none')
    throw new InputError(
      `${f.path}: rope scaling ${JSON.stringify(type)} is not supported; expected none, linear or llama3`,
    );
  return { type: 'none' };
}
