/**
 * The key/value cache of a batch of sequences, owned by the runtime: per layer, keys stored transposed as
 * [batch, kvHeads, headDim, capacity] and values as [batch, kvHeads, capacity, headDim]. The graph only
 * reads them (onnxruntime-node passes input buffers without copying) and returns each step's new keys
 * and values, which append() writes into place: no step copies or reallocates the cache. Elements are
 * float32 or float16 (stored as their bit patterns in a Uint16Array), as the graph was built.
 */
import * as ort from 'onnxruntime-node';
import type { DecoderConfig, KvCacheType } from './types.ts';

type Elements = Float32Array | Uint16Array;

export class KvCache {
  readonly keys: ort.Tensor[];
  readonly values: ort.Tensor[];
  /** Tokens cached so far, per sequence; positions past a sequence's length are masked out. */
  readonly lengths: number[];

  constructor(
    readonly config: DecoderConfig,
    batch: number,
    readonly capacity: number,
    readonly type: KvCacheType = 'float32',
  ) {
    const K = config.headCountKv;
    const D = config.headDim;
    const size = batch * K * D * capacity;
    const tensor = (dims: number[]) =>
      type === 'float16'
        ? new ort.Tensor('float16', new Uint16Array(size), dims)
        : new ort.Tensor('float32', new Float32Array(size), dims);
    this.keys = Array.from({ length: config.blockCount }, () => tensor([batch, K, D, capacity]));
    this.values = Array.from({ length: config.blockCount }, () => tensor([batch, K, capacity, D]));
    this.lengths = new Array(batch).fill(0);
  }

  get batch(): number {
    return this.lengths.length;
  }

  get bytes(): number {
    const element = this.type === 'float16' ? 2 : 4;
    const { headCountKv, headDim } = this.config;
    return this.keys.length * 2 * this.batch * headCountKv * headDim * this.capacity * element;
  }

  /**
   * Writes one layer's new keys [B, K, D, S] and values [B, K, S, D] after each sequence's cached
   * tokens; counts[b] of the S columns are real (the rest are padding or a finished sequence's step).
   */
  append(layer: number, newKeys: Elements, newValues: Elements, S: number, counts: number[]): void {
    const K = this.config.headCountKv;
    const D = this.config.headDim;
    const T = this.capacity;
    const keys = this.keys[layer]!.data as Elements;
    const values = this.values[layer]!.data as Elements;
    for (let b = 0; b < this.batch; b++) {
      const n = counts[b]!;
      if (n === 0) continue;
      const at = this.lengths[b]!;
      for (let h = 0; h < K; h++) {
        const bh = b * K + h;
        // Keys are stored transposed: each of the D rows gets n new columns. A decode step has n = 1,
        // where a plain element copy beats D subarray views.
        if (n === 1) for (let d = 0; d < D; d++) keys[(bh * D + d) * T + at] = newKeys[(bh * D + d) * S]!;
        else
          for (let d = 0; d < D; d++)
            keys.set(newKeys.subarray((bh * D + d) * S, (bh * D + d) * S + n), (bh * D + d) * T + at);
        values.set(newValues.subarray(bh * S * D, (bh * S + n) * D), (bh * T + at) * D);
      }
    }
  }

  /**
   * Copies the first `length` tokens (default all) of row `srcRow` of `src` (default its only row) into
   * row `row`, up to this cache's capacity.
   */
  setRow(row: number, src: KvCache, srcRow = 0, length = src.lengths[srcRow]!): void {
    const K = this.config.headCountKv;
    const D = this.config.headDim;
    const T = this.capacity;
    const S = src.capacity;
    const n = Math.min(length, src.lengths[srcRow]!, T);
    for (let l = 0; l < this.config.blockCount; l++) {
      const srcK = src.keys[l]!.data as Elements;
      const srcV = src.values[l]!.data as Elements;
      const dstK = this.keys[l]!.data as Elements;
      const dstV = this.values[l]!.data as Elements;
      for (let h = 0; h < K; h++) {
        const sh = srcRow * K + h;
        for (let d = 0; d < D; d++) {
          const from = (sh * D + d) * S;
          dstK.set(srcK.subarray(from, from + n), ((row * K + h) * D + d) * T);
        }
        dstV.set(srcV.subarray(sh * S * D, (sh * S + n) * D), (row * K + h) * T * D);
      }
    }
    this.lengths[row] = n;
  }

  /** A single-sequence cache holding the first `length` tokens of `src` (row 0), with no spare room. */
  static prefix(src: KvCache, length: number): KvCache {
    const out = new KvCache(src.config, 1, length, src.type);
    if (length > 0) out.setRow(0, src);
    return out;
  }

  /** Releases the buffers; the cache must not be used afterwards. */
  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t.dispose();
    this.keys.length = 0;
    this.values.length = 0;
  }
}
