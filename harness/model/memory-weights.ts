/** Weights held in memory: tiny random models in tests, and requantized views of real ones. */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';
import { dequantizeQ4, dequantizeQ8, quantizeQ4, quantizeQ8 } from './graph/quantize4.ts';
import type { DecoderConfig, WeightSource } from './types.ts';

export class MemoryWeights implements WeightSource {
  constructor(
    readonly config: DecoderConfig,
    private readonly tensors: Map<string, Float32Array>,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  async f32(name: string): Promise<Float32Array> {
    const t = this.tensors.get(name);
    if (!t) throw new InputError(`the model has no tensor ${name}`);
    return t;
  }

  async identity(): Promise<string> {
    const h = createHash('sha256').update(JSON.stringify(this.config));
    for (const [name, t] of [...this.tensors].sort(([a], [b]) => a.localeCompare(b))) {
      h.update(name).update(new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
    }
    return h.digest('hex');
  }
}

/** The tensor names and [rows, cols] shapes (row-major, GGUF dims reversed) of a Llama-family decoder. */
export function decoderTensorShapes(c: DecoderConfig): Map<string, number[]> {
  const H = c.embeddingLength;
  const qDim = c.headCount * c.headDim;
  const kvDim = c.headCountKv * c.headDim;
  const shapes = new Map<string, number[]>([
    ['token_embd.weight', [c.vocabSize, H]],
    ['output_norm.weight', [H]],
  ]);
  if (!c.tiedEmbeddings) shapes.set('output.weight', [c.vocabSize, H]);
  for (let l = 0; l < c.blockCount; l++) {
    const p = `blk.${l}`;
    shapes.set(`${p}.attn_norm.weight`, [H]);
    shapes.set(`${p}.attn_q.weight`, [qDim, H]);
    shapes.set(`${p}.attn_k.weight`, [kvDim, H]);
    shapes.set(`${p}.attn_v.weight`, [kvDim, H]);
    if (c.hasQkvBias) {
      shapes.set(`${p}.attn_q.bias`, [qDim]);
      shapes.set(`${p}.attn_k.bias`, [kvDim]);
      shapes.set(`${p}.attn_v.bias`, [kvDim]);
    }
    shapes.set(`${p}.attn_output.weight`, [H, qDim]);
    shapes.set(`${p}.ffn_norm.weight`, [H]);
    shapes.set(`${p}.ffn_gate.weight`, [c.feedForwardLength, H]);
    shapes.set(`${p}.ffn_up.weight`, [c.feedForwardLength, H]);
    shapes.set(`${p}.ffn_down.weight`, [H, c.feedForwardLength]);
  }
  return shapes;
}

const QUANTIZED = /^blk\.\d+\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)\.weight$/;

/**
 * The weights a q4 graph actually computes with: every matmul weight through the 4-bit round trip, the
 * embedding table through the 8-bit one, and the 8-bit output head under its own name even when tied.
 */
export async function requantizedWeights(src: WeightSource): Promise<MemoryWeights> {
  const c = src.config;
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of decoderTensorShapes(c)) {
    const values = await src.f32(name);
    tensors.set(name, QUANTIZED.test(name) ? dequantizeQ4(quantizeQ4(values, shape[0]!, shape[1]!)) : values);
  }
  const q8 = (values: Float32Array) => dequantizeQ8(quantizeQ8(values, c.vocabSize, c.embeddingLength));
  tensors.set('token_embd.weight', q8(await src.f32('token_embd.weight')));
  tensors.set('output.weight', q8(await src.f32(c.tiedEmbeddings ? 'token_embd.weight' : 'output.weight')));
  if (src.has('rope_freqs.weight')) tensors.set('rope_freqs.weight', await src.f32('rope_freqs.weight'));
  return new MemoryWeights(c, tensors);
}
