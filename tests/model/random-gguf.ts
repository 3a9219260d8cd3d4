/**
 * Random-weight GGUF files of the shapes people download (Llama 3.1, Qwen2 with q/k/v bias, Mistral with a
 * SentencePiece vocabulary, SmolLM2), written in F32 with the metadata llama.cpp's converter writes, small
 * enough for tests (two blocks, short vocabularies) but with the real head layouts and widths that are not
 * multiples of 256 where the originals have them.
 */
import {
  GgufFile,
  type GgufMetaInput,
  type GgufTensorInput,
  writeGguf,
} from '../../harness/model/gguf/index.ts';
import { TOKEN_TYPE } from '../../harness/model/tokenizer/index.ts';
import { byteChar } from '../../harness/model/tokenizer/bytes.ts';

export interface Shape {
  name: string;
  architecture: 'llama' | 'qwen2';
  width: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  blocks: number;
  ropeBase: number;
  /** Llama 3.1's rope scaling, baked into rope_freqs.weight as convert_hf_to_gguf.py does. */
  llama3Rope?: { factor: number; lowFreqFactor: number; highFreqFactor: number; originalContext: number };
  bias: boolean;
  tied: boolean;
  vocabulary: 'bpe' | 'spm';
  pre?: string;
}

export const SHAPES: Shape[] = [
  {
    name: 'llama-3.1',
    architecture: 'llama',
    width: 512,
    feedForward: 1024,
    heads: 8,
    kvHeads: 2,
    blocks: 2,
    ropeBase: 500000,
    llama3Rope: { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContext: 8192 },
    bias: false,
    tied: false,
    vocabulary: 'bpe',
    pre: 'llama-bpe',
  },
  {
    name: 'qwen2',
    architecture: 'qwen2',
    width: 896,
    feedForward: 1024,
    heads: 14,
    kvHeads: 2,
    blocks: 2,
    ropeBase: 1000000,
    bias: true,
    tied: true,
    vocabulary: 'bpe',
    pre: 'qwen2',
  },
  {
    name: 'mistral',
    architecture: 'llama',
    width: 512,
    feedForward: 1024,
    heads: 4,
    kvHeads: 1,
    blocks: 2,
    ropeBase: 1000000,
    bias: false,
    tied: false,
    vocabulary: 'spm',
  },
  {
    name: 'smollm2',
    architecture: 'llama',
    width: 576,
    feedForward: 1536,
    heads: 9,
    kvHeads: 3,
    blocks: 2,
    ropeBase: 100000,
    bias: false,
    tied: true,
    vocabulary: 'bpe',
    pre: 'smollm',
  },
];

/** A seeded generator of roughly normal values (sum of uniforms), so every run writes the same files. */
function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return () => (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3);
}

/** 256 byte tokens, a few merged ones and the specials a Llama 3 / Qwen2 / SmolLM2 vocabulary starts with. */
function bpeVocabulary(): Record<string, GgufMetaInput> {
  const bytes = Array.from({ length: 256 }, (_, b) => byteChar(b));
  const words = ['Ġt', 'Ġa', 'he', 'in', 'Ġthe', 'er', 'on', 'Ġs', 'at', 'en'];
  const merges = ['Ġ t', 'Ġ a', 'h e', 'i n', 'Ġt he', 'e r', 'o n', 'Ġ s', 'a t', 'e n'];
  const specials = ['<|begin_of_text|>', '<|end_of_text|>', '<|im_start|>', '<|im_end|>'];
  const tokens = [...bytes, ...words, ...specials];
  return {
    'tokenizer.ggml.model': 'gpt2',
    'tokenizer.ggml.tokens': tokens,
    'tokenizer.ggml.token_type': tokens.map((t) =>
      specials.includes(t) ? TOKEN_TYPE.control : TOKEN_TYPE.normal,
    ),
    'tokenizer.ggml.merges': merges,
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: tokens.indexOf('<|begin_of_text|>') },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: tokens.indexOf('<|end_of_text|>') },
  };
}

/** A SentencePiece vocabulary as Llama 2 / Mistral files hold it: <unk>, <s>, </s>, 256 byte tokens, pieces with scores. */
function spmVocabulary(): Record<string, GgufMetaInput> {
  const hex = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
  const pieces = [
    '▁',
    '▁t',
    '▁a',
    'he',
    'in',
    '▁the',
    'er',
    'on',
    '▁s',
    'at',
    'en',
    'e',
    't',
    'a',
    'h',
    'n',
    's',
  ];
  const tokens = ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, b) => hex(b)), ...pieces];
  const types = tokens.map((_, i) =>
    i === 0 ? TOKEN_TYPE.unknown : i < 3 ? TOKEN_TYPE.control : i < 259 ? TOKEN_TYPE.byte : TOKEN_TYPE.normal,
  );
  return {
    'tokenizer.ggml.model': 'llama',
    'tokenizer.ggml.tokens': tokens,
    'tokenizer.ggml.token_type': types,
    'tokenizer.ggml.scores': tokens.map((_, i) => (i < 259 ? 0 : -(i - 259))),
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: 2 },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.add_bos_token': true,
  };
}

/** Llama 3.1's per-frequency divisors for rope_freqs.weight (convert_hf_to_gguf.py, LlamaModel). */
export function llama3RopeFactors(shape: Shape): Float32Array {
  const r = shape.llama3Rope;
  if (!r) throw new Error(`${shape.name} has no Llama 3 rope scaling`);
  const headDim = shape.width / shape.heads;
  const lowWavelen = r.originalContext / r.lowFreqFactor;
  const highWavelen = r.originalContext / r.highFreqFactor;
  return Float32Array.from({ length: headDim / 2 }, (_, i) => {
    const wavelen = (2 * Math.PI) / shape.ropeBase ** ((2 * i) / headDim);
    if (wavelen < highWavelen) return 1;
    if (wavelen > lowWavelen) return r.factor;
    const smooth = (r.originalContext / wavelen - r.lowFreqFactor) / (r.highFreqFactor - r.lowFreqFactor);
    return 1 / ((1 - smooth) / r.factor + smooth);
  });
}

/** The metadata llama.cpp's converter writes for `shape` (F32 file type), with its vocabulary. */
export function randomModelMetadata(shape: Shape): Record<string, GgufMetaInput> {
  const vocab = shape.vocabulary === 'bpe' ? bpeVocabulary() : spmVocabulary();
  const V = (vocab['tokenizer.ggml.tokens'] as string[]).length;
  const a = shape.architecture;
  return {
    'general.architecture': a,
    'general.name': `random ${shape.name}`,
    'general.file_type': { type: 'u32', value: 0 },
    [`${a}.block_count`]: { type: 'u32', value: shape.blocks },
    [`${a}.context_length`]: { type: 'u32', value: 4096 },
    [`${a}.embedding_length`]: { type: 'u32', value: shape.width },
    [`${a}.feed_forward_length`]: { type: 'u32', value: shape.feedForward },
    [`${a}.attention.head_count`]: { type: 'u32', value: shape.heads },
    [`${a}.attention.head_count_kv`]: { type: 'u32', value: shape.kvHeads },
    [`${a}.rope.freq_base`]: { type: 'f32', value: shape.ropeBase },
    [`${a}.rope.dimension_count`]: { type: 'u32', value: shape.width / shape.heads },
    [`${a}.attention.layer_norm_rms_epsilon`]: { type: 'f32', value: 1e-5 },
    [`${a}.vocab_size`]: { type: 'u32', value: V },
    ...(shape.pre ? { 'tokenizer.ggml.pre': shape.pre } : {}),
    ...vocab,
  };
}

/** Writes `shape` with random F32 weights (norms near 1, matrices scaled by 1/sqrt(fan-in)) to `path`. */
export async function writeRandomModel(path: string, shape: Shape, seed = 1): Promise<void> {
  const metadata = randomModelMetadata(shape);
  const V = (metadata['tokenizer.ggml.tokens'] as string[]).length;
  const H = shape.width;
  const D = H / shape.heads;
  const rand = normals(seed);
  const matrix = (rows: number, cols: number, scale = 1 / Math.sqrt(cols)) =>
    Float32Array.from({ length: rows * cols }, () => rand() * scale);
  const norm = (n: number) => Float32Array.from({ length: n }, () => 1 + rand() * 0.1);
  const tensors: GgufTensorInput[] = [];
  const add = (name: string, dims: number[], data: Float32Array) =>
    tensors.push({ name, dims, type: 'F32', data });
  add('token_embd.weight', [H, V], matrix(V, H));
  add('output_norm.weight', [H], norm(H));
  if (!shape.tied) add('output.weight', [H, V], matrix(V, H));
  if (shape.llama3Rope) add('rope_freqs.weight', [D / 2], llama3RopeFactors(shape));
  for (let l = 0; l < shape.blocks; l++) {
    const p = `blk.${l}`;
    add(`${p}.attn_norm.weight`, [H], norm(H));
    add(`${p}.attn_q.weight`, [H, shape.heads * D], matrix(shape.heads * D, H));
    add(`${p}.attn_k.weight`, [H, shape.kvHeads * D], matrix(shape.kvHeads * D, H));
    add(`${p}.attn_v.weight`, [H, shape.kvHeads * D], matrix(shape.kvHeads * D, H));
    if (shape.bias) {
      add(`${p}.attn_q.bias`, [shape.heads * D], matrix(1, shape.heads * D, 0.1));
      add(`${p}.attn_k.bias`, [shape.kvHeads * D], matrix(1, shape.kvHeads * D, 0.1));
      add(`${p}.attn_v.bias`, [shape.kvHeads * D], matrix(1, shape.kvHeads * D, 0.1));
    }
    add(`${p}.attn_output.weight`, [shape.heads * D, H], matrix(H, shape.heads * D));
    add(`${p}.ffn_norm.weight`, [H], norm(H));
    add(`${p}.ffn_gate.weight`, [H, shape.feedForward], matrix(shape.feedForward, H));
    add(`${p}.ffn_up.weight`, [H, shape.feedForward], matrix(shape.feedForward, H));
    add(`${p}.ffn_down.weight`, [shape.feedForward, H], matrix(H, shape.feedForward));
  }
  await writeGguf(path, { metadata, tensors });
}

/**
 * An F32 copy of a (quantized) model file with every tensor dequantized: what llama.cpp computes from when
 * the file's values are kept exactly, to compare float32 graphs with.
 */
export async function writeDequantizedCopy(input: string, output: string, shape: Shape): Promise<void> {
  const f = await GgufFile.open(input);
  try {
    const tensors: GgufTensorInput[] = [];
    for (const t of f.tensors)
      tensors.push({ name: t.name, dims: t.dims, type: 'F32', data: await f.dequantize(t.name) });
    await writeGguf(output, { metadata: randomModelMetadata(shape), tensors });
  } finally {
    await f.close();
  }
}
