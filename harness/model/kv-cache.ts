/**
 * The key/value cache of a batch of sequences, owned by the runtime: per layer, keys stored transposed as
 * [batch, kvHeads, headDim, capacity] and values as [batch, kvHeads, capacity, headDim]. The graph only
 * reads them (onnxruntime-node passes input buffers without copying) and returns each step's new keys
 * and values, which append() writes into place: no step copies or reallocates the cache.
 */
import * as ort from 'onnxruntime-node';
import type { DecoderConfig } from './types.ts';

export class KvCache {
  readonly keys: ort.Tensor[];
  readonly values: ort.Tensor[];
  /** Tokens cached so far, per sequence; positions past a sequence's length are masked out. */
  readonly lengths: number[];

  constructor(
    readonly config: DecoderConfig,
    batch: number,
    readonly capacity: number,
  ) {
    const K = config.headCountKv;
    const D = config.headDim;
    const size = batch * K * D * capacity;
    this.keys = Array.from(
      { length: config.blockCount },
      () => new ort.Tensor('float32', new Float32Array(size), [batch, K, D, capacity]),
    );
    this.values = Array.from(
      { length: config.blockCount },
      () => new ort.Tensor('float32', new Float32Array(size), [batch, K, capacity, D]),
    );
    this.lengths = new Array(batch).fill(0);
  }

  get batch(): number {
    return this.lengths.length;
  }

  get bytes(): number {
    return (
      this.keys.length * 2 * this.batch * this.config.headCountKv * this.config.headDim * this.capacity * 4
    );
  }

  /**
   * Writes one layer's new keys [B, K, D, S] and values [B, K, S, D] after each sequence's cached
   * tokens; counts[b] of the S columns are real (the rest are padding or a finished sequence's step).
   */
  append(layer: number, newKeys: Float32Array, newValues: Float32Array, S: number, counts: number[]): void {
    const K = this.config.headCountKv;
    const D = this.config.headDim;
    const T = this.capacity;
    const keys = this.keys[layer]!.data as Float32Array;
    const values = this.values[layer]!.data as Float32Array;
    for (let b = 0; b < this.batch; b++) {
      const n = counts[b]!;
      if (n === 0) continue;
      const at = this.lengths[b]!;
      for (let h = 0; h < K; h++) {
        const bh = b * K + h;
        for (let d = 0; d < D; d++)
          keys.set(newKeys.subarray((bh * D + d) * S, (bh * D + d) * S + n), (bh * D + d) * T + at);
        values.set(newValues.subarray(bh * S * D, (bh * S + n) * D), (bh * T + at) * D);
      }
    }
  }

  /** Copies a single-sequence cache into row `row` (up to this cache's capacity). */
  setRow(row: number, src: KvCache): void {
    const K = this.config.headCountKv;
    const D = this.config.headDim;
    const T = this.capacity;
    const n = Math.min(src.lengths[0]!, T);
    for (let l = 0; l < this.config.blockCount; l++) {
      const srcK = src.keys[l]!.data as Float32Array;
      const srcV = src.values[l]!.data as Float32Array;
      const dstK = this.keys[l]!.data as Float32Array;
      const dstV = this.values[l]!.data as Float32Array;
      for (let h = 0; h < K; h++) {
        for (let d = 0; d < D; d++) {
          const from = (h * D + d) * src.capacity;
          dstK.set(srcK.subarray(from, from + n), ((row * K + h) * D + d) * T);
        }
        dstV.set(srcV.subarray(h * src.capacity * D, (h * src.capacity + n) * D), (row * K + h) * T * D);
      }
    }
    this.lengths[row] = n;
  }

  /** A single-sequence cache holding the first `length` tokens of `src` (row 0), with no spare room. */
  static prefix(src: KvCache, length: number): KvCache {
    const out = new KvCache(src.config, 1, length);
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
