/**
 * Grouped-query attention over a caller-held KV cache, in plain ONNX ops plus RotaryEmbedding.
 *
 * Why not com.microsoft GroupQueryAttention: its past/present contract copies the whole cache into a new
 * present tensor every step (or, with a shared buffer, onnxruntime-node 1.30 copies the preallocated
 * outputs in and out), so a decode step cost grew with the context: on SmolLM2-135M at 1,024 tokens a
 * step took 35 ms with it and 18-20 ms with this. Here the cache is only read: past keys (stored
 * transposed) and values are inputs the runtime owns, and the graph returns just this step's keys and
 * values for the runtime to append. Prefill pays for it (the scores are materialised and sliced):
 * about 270-500 tokens/s against 606 with GroupQueryAttention.
 *
 * Shapes: B batch, S new tokens, T cache capacity, K kv heads, G = heads / K, D head dim.
 */
import { type DecoderConfig, GRAPH_IO } from '../types.ts';
import type { GraphBuilder } from './onnx.ts';
import { rotaryInterleaved } from './rope.ts';

export interface AttentionInputs {
  positionIds: string; // [B, S] int64
  mask: string; // [B, 1, 1, S, T + S] additive: 0 or -1e9
  cos: string;
  sin: string;
}

export function attention(
  g: GraphBuilder,
  c: DecoderConfig,
  L: number,
  qkv: string,
  io: AttentionInputs,
): string {
  const K = c.headCountKv;
  const G = c.headCount / K;
  const D = c.headDim;
  const qDim = c.headCount * D;
  const kvDim = K * D;
  const pastKey = g.input(GRAPH_IO.pastKey(L), 'float32', ['batch', K, D, 'capacity']); // [B, K, D, T]
  const pastValue = g.input(GRAPH_IO.pastValue(L), 'float32', ['batch', K, 'capacity', D]); // [B, K, T, D]
  const [q3, k3, v3] = g.op('Split', [qkv, g.constInt64([qDim, kvDim, kvDim])], { axis: -1 }, 3);
  const interleaved = rotaryInterleaved(c) ? 1 : 0;
  const rotary = (x: string, heads: number) =>
    g.ms('RotaryEmbedding', [x, io.positionIds, io.cos, io.sin], { interleaved, num_heads: heads })[0]!;
  const qr = g.op1('Mul', [rotary(q3!, c.headCount), g.constFloat(1 / Math.sqrt(D))]); // [B, S, qDim], pre-scaled
  const kr = rotary(k3!, K); // [B, S, kvDim]

  const q5 = g.op1('Transpose', [g.op1('Reshape', [qr, g.constInt64([0, 0, K, G, D])])], {
    perm: [0, 2, 3, 1, 4],
  }); // [B, K, G, S, D]
  const newKey = g.op(
    'Transpose',
    [g.op1('Reshape', [kr, g.constInt64([0, 0, K, D])])],
    { perm: [0, 2, 3, 1] },
    [GRAPH_IO.newKey(L)],
  )[0]!; // [B, K, D, S]
  const newValue = g.op(
    'Transpose',
    [g.op1('Reshape', [v3!, g.constInt64([0, 0, K, D])])],
    { perm: [0, 2, 1, 3] },
    [GRAPH_IO.newValue(L)],
  )[0]!; // [B, K, S, D]
  g.output(GRAPH_IO.newKey(L), 'float32', ['batch', K, D, 'seq']);
  g.output(GRAPH_IO.newValue(L), 'float32', ['batch', K, 'seq', D]);

  const axis2 = g.constInt64([2]);
  const scoresPast = g.op1('MatMul', [q5, g.op1('Unsqueeze', [pastKey, axis2])]); // [B, K, G, S, T]
  const scoresNew = g.op1('MatMul', [q5, g.op1('Unsqueeze', [newKey, axis2])]); // [B, K, G, S, S]
  const scores = g.op1('Add', [g.op1('Concat', [scoresPast, scoresNew], { axis: -1 }), io.mask]); // [B, K, G, S, T+S]
  const probs = g.op1('Softmax', [scores], { axis: -1 });
  const capacity = g.op1('Shape', [pastValue], { start: 2, end: 3 }); // [1] = T
  const last = g.constInt64([-1]);
  const probsPast = g.op1('Slice', [probs, g.constInt64([0]), capacity, last]); // [B, K, G, S, T]
  const probsNew = g.op1('Slice', [probs, capacity, g.constInt64([2 ** 62]), last]); // [B, K, G, S, S]
  const out = g.op1('Add', [
    g.op1('MatMul', [probsPast, g.op1('Unsqueeze', [pastValue, axis2])]),
    g.op1('MatMul', [probsNew, g.op1('Unsqueeze', [newValue, axis2])]),
  ]); // [B, K, G, S, D]
  const bskgd = g.op1('Transpose', [out], { perm: [0, 3, 1, 2, 4] }); // [B, S, K, G, D]
  return g.op1('Reshape', [bskgd, g.constInt64([0, 0, qDim])]); // [B, S, qDim]
}
