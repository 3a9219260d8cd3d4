/**
 * Grouped-query attention over a caller-held KV cache, in plain ONNX ops plus RotaryEmbedding.
 *
 * Why not com.microsoft GroupQueryAttention: its past/present contract copies the whole cache into a new
 * present tensor every step (or, with a shared buffer, onnxruntime-node 1.30 copies the preallocated
 * outputs in and out), so a decode step cost grew with the context: on SmolLM2-135M at 1,024 tokens a
 * step took 35 ms with it and 18-20 ms with this. Here the cache is only read: past keys (stored
 * transposed) and values are inputs the runtime owns, and the graph returns just this step's keys and
 * values for the runtime to append. Prefill pays for it (the scores are materialised and sliced).
 *
 * The G query heads that share a kv head are stacked as rows, so each (sequence, kv head) is one GEMM of
 * [G*S, D] x [D, T] that reads its keys once, rather than G matrix-vector products over them (measured:
 * 0.34 against 0.48 ms per layer at 8 sequences of 1,024 tokens).
 *
 * Shapes: B batch, S new tokens, T cache capacity, K kv heads, G = heads / K, D head dim.
 */
import { type DecoderConfig, GRAPH_IO, type KvCacheType } from '../types.ts';
import type { GraphBuilder } from './onnx.ts';
import { rotaryInterleaved } from './rope.ts';

export interface AttentionInputs {
  positionIds: string; // [B, S] int64
  /** [B, 1, G*S, T + S] additive, 0 or -1e9: the runtime's [B, 1, S, T + S] mask repeated per group. */
  mask: string;
  /** [1] int64: T, the cache capacity. */
  capacity: string;
  cos: string;
  sin: string;
  kvCache: KvCacheType;
}

/** The step's [B, 1, S, W] mask as [B, 1, G*S, W], rows ordered (g, s) like the stacked queries. */
export function groupMask(g: GraphBuilder, mask: string, groups: number): string {
  const shape = g.op1('Shape', [mask]); // [B, 1, S, W]
  const expanded = g.op1('Expand', [
    g.op1('Unsqueeze', [mask, g.constInt64([2])]),
    g.constInt64([1, 1, groups, 1, 1]),
  ]); // [B, 1, G, S, W]
  const target = g.op1(
    'Concat',
    [
      g.op1('Slice', [shape, g.constInt64([0]), g.constInt64([2])]),
      g.constInt64([-1]),
      g.op1('Slice', [shape, g.constInt64([3]), g.constInt64([4])]),
    ],
    { axis: 0 },
  );
  return g.op1('Reshape', [expanded, target]);
}

const FLOAT = 1;
const FLOAT16 = 10;

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
  const half = io.kvCache === 'float16';
  const pastKey = g.input(GRAPH_IO.pastKey(L), io.kvCache, ['batch', K, D, 'capacity']); // [B, K, D, T]
  const pastValue = g.input(GRAPH_IO.pastValue(L), io.kvCache, ['batch', K, 'capacity', D]); // [B, K, T, D]
  const [q3, k3, v3] = g.op('Split', [qkv, g.constInt64([qDim, kvDim, kvDim])], { axis: -1 }, 3);
  const interleaved = rotaryInterleaved(c) ? 1 : 0;
  const rotary = (x: string, heads: number) =>
    g.ms('RotaryEmbedding', [x, io.positionIds, io.cos, io.sin], { interleaved, num_heads: heads })[0]!;
  const qr = rotary(q3!, c.headCount); // [B, S, qDim], already scaled by 1/sqrt(D) in the weights
  const kr = rotary(k3!, K); // [B, S, kvDim]

  const q5 = g.op1('Transpose', [g.op1('Reshape', [qr, g.constInt64([0, 0, K, G, D])])], {
    perm: [0, 2, 3, 1, 4],
  }); // [B, K, G, S, D]
  const q = g.op1('Reshape', [q5, g.constInt64([0, 0, -1, D])]); // [B, K, G*S, D]
  // The step's keys and values leave the graph in the cache's type, for the runtime to append.
  const kvNames = (name: string) => (half ? 1 : [name]);
  const key = g.op(
    'Transpose',
    [g.op1('Reshape', [kr, g.constInt64([0, 0, K, D])])],
    { perm: [0, 2, 3, 1] },
    kvNames(GRAPH_IO.newKey(L)),
  )[0]!; // [B, K, D, S]
  const value = g.op(
    'Transpose',
    [g.op1('Reshape', [v3!, g.constInt64([0, 0, K, D])])],
    { perm: [0, 2, 1, 3] },
    kvNames(GRAPH_IO.newValue(L)),
  )[0]!; // [B, K, S, D]
  if (half) {
    g.op('Cast', [key], { to: FLOAT16 }, [GRAPH_IO.newKey(L)]);
    g.op('Cast', [value], { to: FLOAT16 }, [GRAPH_IO.newValue(L)]);
  }
  g.output(GRAPH_IO.newKey(L), io.kvCache, ['batch', K, D, 'seq']);
  g.output(GRAPH_IO.newValue(L), io.kvCache, ['batch', K, 'seq', D]);

  // Against a float16 cache the products are taken in float16, as llama.cpp does with its f16 cache.
  const pastProduct = (a: string, b: string) =>
    half
      ? g.op1('Cast', [g.op1('MatMul', [g.op1('Cast', [a], { to: FLOAT16 }), b])], { to: FLOAT })
      : g.op1('MatMul', [a, b]);
  const scoresPast = pastProduct(q, pastKey); // [B, K, G*S, T]
  const scoresNew = g.op1('MatMul', [q, key]); // [B, K, G*S, S]
  const scores = g.op1('Add', [g.op1('Concat', [scoresPast, scoresNew], { axis: -1 }), io.mask]);
  const probs = g.op1('Softmax', [scores], { axis: -1 }); // [B, K, G*S, T+S]
  const last = g.constInt64([-1]);
  const probsPast = g.op1('Slice', [probs, g.constInt64([0]), io.capacity, last]); // [B, K, G*S, T]
  const probsNew = g.op1('Slice', [probs, io.capacity, g.constInt64([2 ** 62]), last]); // [B, K, G*S, S]
  const out = g.op1('Add', [pastProduct(probsPast, pastValue), g.op1('MatMul', [probsNew, value])]); // [B, K, G*S, D]
  const grouped = g.op1('Reshape', [out, g.constInt64([0, 0, G, -1, D])]); // [B, K, G, S, D]
  const bskgd = g.op1('Transpose', [grouped], { perm: [0, 3, 1, 2, 4] }); // [B, S, K, G, D]
  return g.op1('Reshape', [bskgd, g.constInt64([0, 0, qDim])]); // [B, S, qDim]
}
