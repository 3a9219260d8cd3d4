/** The decoder hyperparameters a GGUF file declares, checked for the architectures the graph can build. */
import { InputError } from '../../errors.ts';
import type { DecoderConfig, RopeScaling } from '../types.ts';
import type { GgufFile } from './file.ts';

/** The gguf reader's name for the decoder config the graph builds from: one shape for both. */
export type LlamaHyperparams = DecoderConfig;
export type { RopeScaling };

/** Llama-family decoders: RMSNorm, rotary attention with grouped KV heads, SwiGLU feed-forward. */
/** Names as llama.cpp writes general.architecture (Llama 2, Llama 3, Mistral and SmolLM2 are all "llama"). */
export const SUPPORTED_ARCHITECTURES = ['llama', 'qwen2'] as const;

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
  const headDim = num('attention.key_length', embeddingLength / headCount);
  const rotated = num('rope.dimension_count', headDim);
  if (rotated !== headDim)
    throw new InputError(
      `${f.path}: ${architecture}.rope.dimension_count is ${rotated}; only rotating the whole head (${headDim}) is supported`,
    );
  const tokens = f.get<string[]>('tokenizer.ggml.tokens');
  const embd = f.has('token_embd.weight') ? f.tensor('token_embd.weight').dims[1] : undefined;
  return {
    architecture,
    blockCount: num('block_count'),
    embeddingLength,
    feedForwardLength: num('feed_forward_length'),
    headCount,
    headCountKv: num('attention.head_count_kv', headCount),
    headDim,
    contextLength: num('context_length'),
    ropeFreqBase: num('rope.freq_base', 10000),
    ropeScaling: ropeScaling(f, architecture, num),
    rmsNormEps: num('attention.layer_norm_rms_epsilon', 1e-5),
    vocabSize: num('vocab_size', embd ?? tokens?.length),
    tiedEmbeddings: !f.has('output.weight'),
    hasQkvBias: f.has('blk.0.attn_q.bias'),
  };
}

/**
 * The metadata scaling as llama.cpp reads it (llama_model::load_hparams): rope.scaling.type defaults to
 * "linear", whose factor (rope.scaling.factor, else the older rope.scale_linear; 0 or missing = 1) divides
 * every frequency. Per-frequency factors live in the rope_freqs.weight tensor, read with the weights.
 */
function ropeScaling(
  f: GgufFile,
  arch: string,
  num: (key: string, fallback?: number) => number,
): RopeScaling {
  const type = f.get<string>(`${arch}.rope.scaling.type`) ?? 'linear';
  if (type === 'none') return { type: 'none' };
  if (type === 'linear') {
    const factor =
      f.get(`${arch}.rope.scaling.factor`) !== undefined
        ? num('rope.scaling.factor')
        : num('rope.scale_linear', 0);
    return factor === 0 || factor === 1 ? { type: 'none' } : { type: 'linear', factor };
  }
  throw new InputError(
    `${f.path}: ${arch}.rope.scaling.type ${JSON.stringify(type)} is not supported; expected none or linear` +
      (type === 'yarn' || type === 'longrope' ? '' : ' (llama.cpp accepts none, linear, yarn and longrope)'),
  );
}
