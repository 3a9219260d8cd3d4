/** Shapes shared by the graph builder, the reference forward pass and the runtime. */

/** Rotary scaling types llama.cpp reads from metadata that the graph implements (YaRN and LongRoPE not). */
export type RopeScaling = { type: 'none' } | { type: 'linear'; factor: number };

/** The hyperparameters of a Llama-family decoder (Llama, Mistral, Qwen2, SmolLM2), as the graph needs them. */
export interface DecoderConfig {
  architecture: string;
  blockCount: number;
  embeddingLength: number;
  feedForwardLength: number;
  headCount: number;
  headCountKv: number;
  headDim: number;
  contextLength: number;
  ropeFreqBase: number;
  ropeScaling: RopeScaling;
  rmsNormEps: number;
  vocabSize: number;
  tiedEmbeddings: boolean;
  hasQkvBias: boolean;
}

/**
 * Where weights come from: a GGUF file, or arrays a test made. Tensor names are the checkpoint's
 * (`blk.0.attn_q.weight`); values are row-major with the ggml dims reversed, so a linear layer's weight
 * is [out, in].
 */
export interface WeightSource {
  readonly config: DecoderConfig;
  has(name: string): boolean;
  f32(name: string): Promise<Float32Array>;
  /** The ggml type a file stores the tensor in (F16, Q4_K, ...); absent for weights not from a file. */
  storedType?(name: string): string | undefined;
  /** The tensor's bytes as the file stores them (ggml blocks of storedType). */
  storedBytes?(name: string): Promise<Uint8Array>;
  /** Identifies the weights for the graph cache (the GGUF file's sha256). */
  identity(): Promise<string>;
}

export type Quantization = 'q4' | 'fp32';

export interface BuildOptions {
  quantization: Quantization;
  /** Blocks after which a steering input is added to the residual stream (0-based). */
  steerLayers: number[];
  /** Blocks after which the residual stream leaves the graph as an output (0-based). */
  readoutLayers: number[];
  /**
   * q4 only: multiply in fp32 instead of quantizing activations to int8 (MatMulNBits accuracy_level 0
   * instead of 4). Exact against the reference on the requantized weights, but several times slower.
   */
  exactActivations?: boolean;
  /**
   * How the KV cache stores keys and values. Default: float16 for q4 graphs (half the memory; llama.cpp
   * keeps its cache in f16 too, and attention then multiplies in f16 as it does), float32 for fp32
   * graphs and exact-activation q4 graphs, which must match the reference forward pass.
   */
  kvCache?: KvCacheType;
}

export type KvCacheType = 'float16' | 'float32';

export function kvCacheType(opts: BuildOptions): KvCacheType {
  return opts.kvCache ?? (opts.quantization === 'q4' && !opts.exactActivations ? 'float16' : 'float32');
}

/** Names of the graph's inputs and outputs, the contract between builder and runtime. */
export const GRAPH_IO = {
  inputIds: 'input_ids',
  positionIds: 'position_ids',
  attentionMask: 'attention_mask',
  logitPositions: 'logit_positions',
  steer: 'steer',
  logits: 'logits',
  pastKey: (layer: number) => `past_key.${layer}`,
  pastValue: (layer: number) => `past_value.${layer}`,
  newKey: (layer: number) => `new_key.${layer}`,
  newValue: (layer: number) => `new_value.${layer}`,
  residual: (layer: number) => `residual.${layer}`,
} as const;

/** What the runtime needs of a tokenizer. */
export interface TextCodec {
  /** Token ids of text; `special` lets control-token text (e.g. <|im_start|>) map to its token. */
  encode(text: string, special: boolean): number[];
  decode(ids: number[]): string;
  /**
   * Token ids of messages in the chat template, ending with the assistant's generation prompt. Content is
   * text: control-token text inside it stays text; only the template's own markers are control tokens.
   */
  encodeChat(messages: { role: string; content: string }[]): number[];
  /** Tokens that end a reply (end of sequence, end of turn). */
  readonly eosIds: ReadonlySet<number>;
}
