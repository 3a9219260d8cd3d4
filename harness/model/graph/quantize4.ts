/**
 * Offline requantization of a [rows, cols] weight to 4 bits in blocks of 32 along a row, each block
 * value = q * scale + min (q in 0..15): the form of GGUF's Q4_1 and of Q4_K's sub-blocks. Those files'
 * weights come back exactly (every Q4_1 block uses both q = 0 and q = 15, so its min and max recover
 * scale and min); other types are quantized afresh at Q4_1 quality.
 *
 * MatMulNBits only runs fast with integer zero points, so the graph splits the product:
 *   x . w = sum_b scale_b (x_b . (q_b - 8)) + sum_b offset_b sum(x_b),   offset_b = min_b + 8 scale_b
 * the first term a MatMulNBits with its default zero point 8, the second a small fp32 matmul of the
 * per-block sums of x.
 */
export const Q4_BLOCK = 32;

export interface Q4Weight {
  rows: number;
  cols: number;
  /** [rows, cols / 32, 16]: element 2j in the low nibble of byte j. */
  packed: Uint8Array;
  /** [rows, cols / 32] */
  scales: Float32Array;
  /** [rows, cols / 32]: min + 8 * scale, the block's value at q = 8. */
  offsets: Float32Array;
}

export function quantizeQ4(values: Float32Array, rows: number, cols: number): Q4Weight {
  if (cols % Q4_BLOCK !== 0) throw new RangeError(`4-bit weights need a width divisible by 32, got ${cols}`);
  const blocks = cols / Q4_BLOCK;
  const packed = new Uint8Array((rows * cols) / 2);
  const scales = new Float32Array(rows * blocks);
  const offsets = new Float32Array(rows * blocks);
  const q = new Uint8Array(Q4_BLOCK);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < blocks; b++) {
      const at = r * cols + b * Q4_BLOCK;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < Q4_BLOCK; j++) {
        min = Math.min(min, values[at + j]!);
        max = Math.max(max, values[at + j]!);
      }
      const scale = (max - min) / 15;
      for (let j = 0; j < Q4_BLOCK; j++)
        q[j] = scale > 0 ? Math.min(15, Math.max(0, Math.round((values[at + j]! - min) / scale))) : 0;
      scales[r * blocks + b] = scale;
      offsets[r * blocks + b] = min + 8 * scale;
      for (let j = 0; j < Q4_BLOCK / 2; j++) packed[at / 2 + j] = q[2 * j]! | (q[2 * j + 1]! << 4);
    }
  }
  return { rows, cols, packed, scales, offsets };
}

/** The values the 4-bit weight stands for, [rows, cols]; the reference forward pass runs on these. */
export function dequantizeQ4(w: Q4Weight): Float32Array {
  const blocks = w.cols / Q4_BLOCK;
  const out = new Float32Array(w.rows * w.cols);
  for (let i = 0; i < w.rows * blocks; i++) {
    const scale = w.scales[i]!;
    const offset = w.offsets[i]!;
    for (let j = 0; j < Q4_BLOCK / 2; j++) {
      const byte = w.packed[i * 16 + j]!;
      out[i * Q4_BLOCK + 2 * j] = ((byte & 15) - 8) * scale + offset;
      out[i * Q4_BLOCK + 2 * j + 1] = ((byte >> 4) - 8) * scale + offset;
    }
  }
  return out;
}

/** offsets [rows, blocks] transposed to [blocks, rows], the right operand of the block-sum matmul. */
export function offsetsTransposed(w: Q4Weight): Float32Array {
  const blocks = w.cols / Q4_BLOCK;
  const out = new Float32Array(blocks * w.rows);
  for (let r = 0; r < w.rows; r++)
    for (let b = 0; b < blocks; b++) out[b * w.rows + r] = w.offsets[r * blocks + b]!;
  return out;
}

/**
 * 8-bit symmetric blocks of 32 for the output head, where 4 bits visibly changed greedy answers:
 * value = (u - 128) * scale with u in 1..255. GGUF's Q8_0 (value = q * d, |q| <= 127 and some |q| = 127)
 * comes back exactly.
 */
export interface Q8Weight {
  /** [rows, cols / 32, 32] */
  packed: Uint8Array;
  /** [rows, cols / 32] */
  scales: Float32Array;
}

export function quantizeQ8(values: Float32Array, rows: number, cols: number): Q8Weight {
  if (cols % Q4_BLOCK !== 0) throw new RangeError(`8-bit weights need a width divisible by 32, got ${cols}`);
  const blocks = (rows * cols) / Q4_BLOCK;
  const packed = new Uint8Array(rows * cols);
  const scales = new Float32Array(blocks);
  for (let i = 0; i < blocks; i++) {
    let amax = 0;
    for (let j = 0; j < Q4_BLOCK; j++) amax = Math.max(amax, Math.abs(values[i * Q4_BLOCK + j]!));
    const scale = amax / 127;
    scales[i] = scale;
    for (let j = 0; j < Q4_BLOCK; j++)
      packed[i * Q4_BLOCK + j] = 128 + (scale > 0 ? Math.round(values[i * Q4_BLOCK + j]! / scale) : 0);
  }
  return { packed, scales };
}

export function dequantizeQ8(w: Q8Weight): Float32Array {
  return Float32Array.from(w.packed, (u, i) => (u - 128) * w.scales[Math.floor(i / Q4_BLOCK)]!);
}
