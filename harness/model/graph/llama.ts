/**
 * The ONNX graph of a Llama-family decoder (Llama 2/3, Mistral, Qwen2, SmolLM2) with a KV cache,
 * steering inputs and residual readouts. Weight names are the checkpoint's; B = batch, S = new tokens,
 * T = total tokens (past + new), P = positions whose logits are wanted, H = hidden, F = feed-forward width.
 */
import { InputError } from '../../errors.ts';
import { GGML_TYPES, type GgmlType } from '../gguf/index.ts';
import { type BuildOptions, type DecoderConfig, GRAPH_IO, kvCacheType, type WeightSource } from '../types.ts';
import { GraphBuilder, PROTOBUF_LIMIT } from './onnx.ts';
import type { Encoded } from './protobuf.ts';
import { concatQ4, matrixForm, q4FromBlocks, tableForm, type WeightForm, widest } from './precision.ts';
import { offsetsTransposed, type Q4Weight, quantizeQ4, quantizeQ8 } from './quantize4.ts';
import { ropeFreqFactors, rotaryCaches } from './rope.ts';
import { attention, groupMask } from './attention.ts';

/** Rotary tables are built for at most this many positions (longer contexts are not served on a CPU). */
export const MAX_POSITIONS = 32_768;

const OPSETS = [
  { domain: '', version: 17 },
  { domain: 'com.microsoft', version: 1 },
];

function concatRows(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

/**
 * Emits `x [.., cols]` times the transpose of a [rows, cols] weight -> [.., rows], in the form
 * precision.ts chooses from the file's storage type (fp32 builds: always float32): float32, 8-bit blocks,
 * or the 4-bit split described in quantize4.ts. Block sums of an input are computed once and shared by
 * every weight that reads that input.
 */
class Linear {
  private readonly blockSums = new Map<string, string>();
  /** Per form, how many matmul weights the graph holds in it (for `model info` and tests). */
  readonly forms: Record<WeightForm, number> = { q4: 0, q8: 0, f32: 0 };

  constructor(
    private readonly g: GraphBuilder,
    private readonly opts: BuildOptions,
    private readonly src: WeightSource,
  ) {}

  /** The form for the row-wise concatenation of tensors `parts` in this build. */
  formOf(parts: string[], table = false): WeightForm {
    if (this.opts.quantization === 'fp32') return 'f32';
    const pick = table ? tableForm : matrixForm;
    return widest(parts.map((p) => pick(this.src.storedType?.(p))));
  }

  /**
   * `x` times the transpose of tensors `parts` stacked by rows (each [rows_i, cols]).
   * `scaleRows` multiplies output rows 0..count-1 by a factor (the same codes, scaled block scales).
   */
  async apply(
    x: string,
    name: string,
    parts: string[],
    cols: number,
    form: WeightForm = this.formOf(parts),
    scaleRows?: { count: number; factor: number },
  ): Promise<string> {
    const g = this.g;
    this.forms[form]++;
    const values = async () => concatRows(await Promise.all(parts.map((p) => this.src.f32(p))));
    const scale = (v: Float32Array, perRow: number) => {
      if (scaleRows) for (let i = 0; i < scaleRows.count * perRow; i++) v[i]! *= scaleRows.factor;
      return v;
    };
    if (form === 'f32') {
      const w = await values();
      const rows = w.length / cols;
      const t = transpose(scale(w, cols), rows, cols);
      return g.op1('MatMul', [x, g.initializer(name, { type: 'float32', dims: [cols, rows], data: t })]);
    }
    const blocks = cols / 32;
    if (form === 'q8') {
      const w = await values();
      const rows = w.length / cols;
      const q8 = this.q8Initializers(name, w, rows, cols, (v) => scale(v, blocks));
      return this.applyQ8(x, q8, rows, cols);
    }
    const q = await this.q4(parts, cols, values);
    scale(q.scales, blocks);
    scale(q.offsets, blocks);
    const rows = q.rows;
    const accuracy_level = this.opts.exactActivations ? 0 : 4;
    const packed = g.initializer(`${name}.q4`, { type: 'uint8', dims: [rows, blocks, 16], data: q.packed });
    const scales = g.initializer(`${name}.scales`, { type: 'float32', dims: [rows, blocks], data: q.scales });
    const attrs = { K: cols, N: rows, bits: 4, block_size: 32, accuracy_level };
    const main = g.ms('MatMulNBits', [x, packed, scales], attrs)[0]!; // [.., rows]
    const offsets = g.initializer(`${name}.offsets`, {
      type: 'float32',
      dims: [blocks, rows],
      data: offsetsTransposed(q),
    });
    const shift = g.op1('MatMul', [this.blockSum(x, cols), offsets]); // [.., rows]
    return g.op1('Add', [main, shift]);
  }

  /** 4-bit blocks read straight from the file's Q4_0 / Q4_1 / Q4_K blocks, else requantized from floats. */
  private async q4(parts: string[], cols: number, values: () => Promise<Float32Array>): Promise<Q4Weight> {
    const src = this.src;
    const fromFile = parts.every((p) => matrixForm(src.storedType?.(p)) === 'q4' && src.storedType?.(p));
    if (!fromFile || !src.storedBytes) {
      const w = await values();
      return quantizeQ4(w, w.length / cols, cols);
    }
    const read = async (p: string) => {
      const bytes = await src.storedBytes!(p);
      const type = src.storedType!(p) as GgmlType;
      const { blockSize, blockBytes } = GGML_TYPES[type];
      return q4FromBlocks(type, bytes, ((bytes.length / blockBytes) * blockSize) / cols, cols);
    };
    return concatQ4(await Promise.all(parts.map(read)));
  }

  /** An 8-bit weight's initializers: packed [rows, cols / 32, 32] and scales [rows, cols / 32]. */
  q8Initializers(
    name: string,
    w: Float32Array,
    rows: number,
    cols: number,
    adjustScales: (scales: Float32Array) => Float32Array = (v) => v,
  ): Q8Names {
    const q8 = quantizeQ8(w, rows, cols);
    adjustScales(q8.scales);
    const blocks = cols / 32;
    return {
      packed: this.g.initializer(`${name}.q8`, { type: 'uint8', dims: [rows, blocks, 32], data: q8.packed }),
      scales: this.g.initializer(`${name}.scales`, {
        type: 'float32',
        dims: [rows, blocks],
        data: q8.scales,
      }),
      scaleValues: q8.scales,
    };
  }

  applyQ8(x: string, q8: Q8Names, rows: number, cols: number): string {
    const accuracy_level = this.opts.exactActivations ? 0 : 4;
    return this.g.ms('MatMulNBits', [x, q8.packed, q8.scales], {
      K: cols,
      N: rows,
      bits: 8,
      block_size: 32,
      accuracy_level,
    })[0]!;
  }

  /** [.., cols] -> [.., cols / 32]: the sum of each block of 32 inputs. */
  private blockSum(x: string, cols: number): string {
    const known = this.blockSums.get(x);
    if (known) return known;
    const g = this.g;
    const blocked = g.op1('Reshape', [x, g.constInt64([0, 0, cols / 32, 32])]); // [B, S, cols/32, 32]
    const sum = g.op1('ReduceSum', [blocked, g.constInt64([-1])], { keepdims: 0 }); // [B, S, cols/32]
    this.blockSums.set(x, sum);
    return sum;
  }
}

interface Q8Names {
  packed: string;
  scales: string;
  /** The scales' values, [rows * cols / 32]. */
  scaleValues: Float32Array;
}

function checkLayers(kind: string, layers: number[], blockCount: number): void {
  for (const l of layers) {
    if (!Number.isInteger(l) || l < 0 || l >= blockCount)
      throw new InputError(`${kind} layers must be integers from 0 to ${blockCount - 1}, received ${l}`);
  }
}

/** Bumped whenever the builder's output changes, so cached graphs from older builders are not reused. */
export const GRAPH_FORMAT = 9;

/** Positions the rotary tables cover: the longest context a graph of this model serves. */
export function graphMaxPositions(config: DecoderConfig): number {
  return Math.min(config.contextLength, MAX_POSITIONS);
}

export interface BuiltGraph {
  model: Encoded;
  maxPositions: number;
}

export async function buildDecoderGraph(src: WeightSource, opts: BuildOptions): Promise<BuiltGraph> {
  const c: DecoderConfig = src.config;
  checkLayers('steering', opts.steerLayers, c.blockCount);
  checkLayers('readout', opts.readoutLayers, c.blockCount);
  const H = c.embeddingLength;
  const F = c.feedForwardLength;
  const qDim = c.headCount * c.headDim;
  const kvDim = c.headCountKv * c.headDim;
  const eps = { f: c.rmsNormEps };
  const g = new GraphBuilder();
  const lin = new Linear(g, opts, src);

  const ids = g.input(GRAPH_IO.inputIds, 'int64', ['batch', 'seq']);
  const positionIds = g.input(GRAPH_IO.positionIds, 'int64', ['batch', 'seq']);
  const stepMask = g.input(GRAPH_IO.attentionMask, 'float32', ['batch', 1, 'seq', 'window']);
  const mask = groupMask(g, stepMask, c.headCount / c.headCountKv);
  const kvCache = kvCacheType(opts);
  // Every layer's cache has the same capacity: read it once from layer 0's past values [B, K, T, D].
  const capacity = g.op1('Shape', [GRAPH_IO.pastValue(0)], { start: 2, end: 3 });
  const logitPos = g.input(GRAPH_IO.logitPositions, 'int64', ['batch', 'positions']);
  const steerIndex = new Map(opts.steerLayers.map((l, i) => [l, i]));
  const steer = opts.steerLayers.length
    ? g.input(GRAPH_IO.steer, 'float32', ['batch', opts.steerLayers.length, H])
    : '';

  const maxPositions = graphMaxPositions(c);
  const rope = rotaryCaches(c, maxPositions, await ropeFreqFactors(src));
  const cos = g.initializer('rope.cos', {
    type: 'float32',
    dims: [maxPositions, c.headDim / 2],
    data: rope.cos,
  });
  const sin = g.initializer('rope.sin', {
    type: 'float32',
    dims: [maxPositions, c.headDim / 2],
    data: rope.sin,
  });

  const embd = await src.f32('token_embd.weight'); // [V, H]
  // q4 graphs keep the embedding at 8 bits (GGUF's Q8_0 embeddings come back exactly), shared with a tied
  // output head: 28 MB instead of 113 MB of float32 for SmolLM2's 49,152 x 576 table.
  const embd8 =
    lin.formOf(['token_embd.weight'], true) === 'q8'
      ? lin.q8Initializers('token_embd', embd, c.vocabSize, H)
      : undefined;
  let h: string;
  if (embd8) {
    const scales3 = g.initializer('token_embd.scales3', {
      type: 'float32',
      dims: [c.vocabSize, H / 32, 1],
      data: embd8.scaleValues,
    });
    const rows = g.ms('GatherBlockQuantized', [embd8.packed, ids, scales3], {
      bits: 8,
      block_size: 32,
      gather_axis: 0,
      quantize_axis: 2,
    })[0]!; // [B, S, H / 32, 32]
    h = g.op1('Reshape', [rows, g.constInt64([0, 0, H])]);
  } else {
    g.initializer('token_embd.weight', { type: 'float32', dims: [c.vocabSize, H], data: embd });
    h = g.op1('Gather', ['token_embd.weight', ids], { axis: 0 }); // [B, S, H]
  }

  for (let L = 0; L < c.blockCount; L++) {
    const p = `blk.${L}`;
    const w = async (n: string) => src.f32(`${p}.${n}`);
    g.initializer(`${p}.attn_norm.weight`, { type: 'float32', dims: [H], data: await w('attn_norm.weight') });
    const x = g.op1('SimplifiedLayerNormalization', [h, `${p}.attn_norm.weight`], {
      axis: -1,
      epsilon: eps,
      stash_type: 1,
    }); // [B, S, H]

    // q, k and v in one matmul. [B, S, qDim + 2 kvDim]
    const qkvParts = ['attn_q', 'attn_k', 'attn_v'].map((n) => `${p}.${n}.weight`);
    // Attention's 1/sqrt(headDim) is folded into the query rows (and bias): one node fewer per block.
    const qScale = { count: qDim, factor: 1 / Math.sqrt(c.headDim) };
    let qkv = await lin.apply(x, `${p}.attn_qkv`, qkvParts, H, lin.formOf(qkvParts), qScale);
    if (c.hasQkvBias) {
      const bias = concatRows([await w('attn_q.bias'), await w('attn_k.bias'), await w('attn_v.bias')]);
      for (let i = 0; i < qDim; i++) bias[i]! *= qScale.factor;
      g.initializer(`${p}.attn_qkv.bias`, { type: 'float32', dims: [qDim + 2 * kvDim], data: bias });
      qkv = g.op1('Add', [qkv, `${p}.attn_qkv.bias`]);
    }
    const attn = attention(g, c, L, qkv, { positionIds, mask, capacity, cos, sin, kvCache }); // [B, S, qDim]
    const o = await lin.apply(attn, `${p}.attn_output`, [`${p}.attn_output.weight`], qDim); // [B, S, H]

    // n = RMSNorm(h + o) for the feed-forward; h1 = h + o carries on as the residual stream.
    g.initializer(`${p}.ffn_norm.weight`, { type: 'float32', dims: [H], data: await w('ffn_norm.weight') });
    const [n, , , h1] = g.ms(
      'SkipSimplifiedLayerNormalization',
      [o, h, `${p}.ffn_norm.weight`],
      { epsilon: eps },
      [`${p}.ffn_in`, '', '', `${p}.resid_mid`],
    );
    const gu = await lin.apply(n!, `${p}.ffn_gate_up`, [`${p}.ffn_gate.weight`, `${p}.ffn_up.weight`], H); // [B, S, 2F]
    const [gate, up] = g.op('Split', [gu, g.constInt64([F, F])], { axis: -1 }, 2); // 2 x [B, S, F]
    const act = g.op1('Mul', [g.op1('Mul', [gate!, g.op1('Sigmoid', [gate!])]), up!]); // SiLU(gate) * up
    const d = await lin.apply(act, `${p}.ffn_down`, [`${p}.ffn_down.weight`], F); // [B, S, H]

    const isReadout = opts.readoutLayers.includes(L);
    const si = steerIndex.get(L);
    if (si === undefined) {
      h = g.op('Add', [h1!, d], {}, [isReadout ? GRAPH_IO.residual(L) : `${p}.resid_out`])[0]!;
    } else {
      // The steering row for this block, [B, 1, H], broadcast over every position.
      const row = g.op1('Slice', [steer, g.constInt64([si]), g.constInt64([si + 1]), g.constInt64([1])]);
      const sum = g.op1('Add', [h1!, d]);
      h = g.op('Add', [sum, row], {}, [isReadout ? GRAPH_IO.residual(L) : `${p}.resid_out`])[0]!;
    }
    if (isReadout) g.output(GRAPH_IO.residual(L), 'float32', ['batch', 'seq', H]);
    if (g.initializerBytes > PROTOBUF_LIMIT)
      throw new InputError(
        `the ${opts.quantization} graph of this model exceeds 2 GB, which needs ONNX external data (not supported); try quantization q4 or a smaller model`,
      );
  }

  g.initializer('output_norm.weight', {
    type: 'float32',
    dims: [H],
    data: await src.f32('output_norm.weight'),
  });
  const hn = g.op1('SimplifiedLayerNormalization', [h, 'output_norm.weight'], {
    axis: -1,
    epsilon: eps,
    stash_type: 1,
  }); // [B, S, H]
  const idx = g.op1('Unsqueeze', [logitPos, g.constInt64([-1])]); // [B, P, 1]
  const picked = g.op1('GatherND', [hn, idx], { batch_dims: 1 }); // [B, P, H]
  // The head stays at 8 bits: at 4 bits SmolLM2's greedy answers changed (Paris became nonsense).
  const head = c.tiedEmbeddings ? 'token_embd.weight' : 'output.weight';
  const logits =
    c.tiedEmbeddings && embd8
      ? lin.applyQ8(picked, embd8, c.vocabSize, H)
      : await lin.apply(picked, 'output', [head], H, lin.formOf([head], true)); // [B, P, V]
  g.op('Identity', [logits], {}, [GRAPH_IO.logits]);
  g.output(GRAPH_IO.logits, 'float32', ['batch', 'positions', c.vocabSize]);

  const model = g.serialize(`${c.architecture}-decoder`, OPSETS);
  if (model.length > PROTOBUF_LIMIT)
    throw new InputError(
      `the graph is ${model.length} bytes, over protobuf's 2 GB limit; external data is not supported`,
    );
  return { model, maxPositions };
}
