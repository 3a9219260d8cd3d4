/**
 * How the default (q4) graph holds each weight, chosen from the type the GGUF file stores it in so that
 * nothing the file holds is lost where ONNX Runtime has a form for it:
 * - Q4_0, Q4_1, Q4_K: 4-bit blocks of 32 with the file's own scale and minimum per block, exactly
 *   (Q4_K's sub-blocks are such blocks: scale d * sc, minimum -dmin * m);
 * - F32, F16, BF16: float32;
 * - every other quantized type (Q5_0, Q5_1, Q5_K, Q6_K, Q8_0, Q2_K, Q3_K): 8-bit blocks of 32 (Q8_0
 *   exactly; 5- and 6-bit values within half an 8-bit step).
 * Embedding tables and output heads are never held at 4 bits (at 4 bits SmolLM2's greedy answers changed):
 * float32 when the file has floats, else 8 bits. Weights without a file type (arrays a test made) keep the
 * old rule: 4 bits for matrices, requantized.
 */
import { InputError } from '../../errors.ts';
import { halfToFloat } from '../gguf/half.ts';
import { Q4_BLOCK, type Q4Weight } from './quantize4.ts';

export type WeightForm = 'q4' | 'q8' | 'f32';

const FLOAT_TYPES = new Set(['F32', 'F16', 'BF16']);
const FOUR_BIT_TYPES = new Set(['Q4_0', 'Q4_1', 'Q4_K']);

/** The form of a matrix stored as `type` (undefined: not from a file). */
export function matrixForm(type: string | undefined): WeightForm {
  if (type === undefined || FOUR_BIT_TYPES.has(type)) return 'q4';
  return FLOAT_TYPES.has(type) ? 'f32' : 'q8';
}

/** The form of an embedding table or output head stored as `type`. */
export function tableForm(type: string | undefined): WeightForm {
  return type !== undefined && FLOAT_TYPES.has(type) ? 'f32' : 'q8';
}

const WIDTH: Record<WeightForm, number> = { q4: 0, q8: 1, f32: 2 };

/** One form for weights concatenated into one matmul (q, k and v; gate and up): the widest of theirs. */
export function widest(forms: WeightForm[]): WeightForm {
  return forms.reduce((a, b) => (WIDTH[b] > WIDTH[a] ? b : a), 'q4');
}

export const FORM_DESCRIPTIONS: Record<WeightForm, string> = {
  q4: '4-bit blocks of 32 with the file scale and minimum (exact)',
  q8: '8-bit blocks of 32',
  f32: 'float32 (exact)',
};

/**
 * A [rows, cols] 4-bit weight from its Q4_0, Q4_1 or Q4_K blocks (ggml-common.h layouts), value for value
 * what the file holds: scale and offset (the value at q = 8) per block of 32 as quantize4.ts packs them.
 */
export function q4FromBlocks(type: string, bytes: Uint8Array, rows: number, cols: number): Q4Weight {
  const blocks = cols / Q4_BLOCK;
  const packed = new Uint8Array((rows * cols) / 2);
  const scales = new Float32Array(rows * blocks);
  const offsets = new Float32Array(rows * blocks);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f16 = (at: number) => halfToFloat(view.getUint16(at, true));
  // Block i (32 elements in order) with scale, minimum and q(j) for j = 0..31.
  const put = (i: number, scale: number, min: number, q: (j: number) => number) => {
    scales[i] = scale;
    offsets[i] = min + 8 * scale;
    for (let j = 0; j < 16; j++) packed[i * 16 + j] = q(2 * j) | (q(2 * j + 1) << 4);
  };
  const n = rows * blocks;
  if (type === 'Q4_0' || type === 'Q4_1') {
    const size = type === 'Q4_0' ? 18 : 20;
    const qs = type === 'Q4_0' ? 2 : 4;
    for (let i = 0; i < n; i++) {
      const at = i * size;
      const d = f16(at);
      const min = type === 'Q4_0' ? -8 * d : f16(at + 2);
      // Low nibbles are elements 0-15, high nibbles 16-31.
      put(i, d, min, (j) => (j < 16 ? bytes[at + qs + j]! & 0xf : bytes[at + qs + j - 16]! >> 4));
    }
  } else if (type === 'Q4_K') {
    for (let s = 0; s < n / 8; s++) {
      const at = s * 144;
      const d = f16(at);
      const dmin = f16(at + 2);
      for (let sub = 0; sub < 8; sub++) {
        const [sc, m] = scaleMinK4(bytes, at + 4, sub);
        // Sub-blocks 2k and 2k+1 share 32 quant bytes: low nibbles then high nibbles.
        const q = at + 16 + (sub >> 1) * 32;
        const shift = (sub & 1) * 4;
        put(s * 8 + sub, d * sc, -dmin * m, (j) => (bytes[q + j]! >> shift) & 0xf);
      }
    }
  } else {
    throw new InputError(`4-bit blocks can be read from Q4_0, Q4_1 or Q4_K, not ${type}`);
  }
  return { rows, cols, packed, scales, offsets };
}

/** ggml's get_scale_min_k4: eight 6-bit (scale, min) pairs packed into 12 bytes. */
function scaleMinK4(bytes: Uint8Array, at: number, j: number): [number, number] {
  const q = (i: number) => bytes[at + i]!;
  if (j < 4) return [q(j) & 63, q(j + 4) & 63];
  return [(q(j + 4) & 0xf) | ((q(j - 4) >> 6) << 4), (q(j + 4) >> 4) | ((q(j) >> 6) << 4)];
}

/** Row-wise concatenation of 4-bit weights of the same width. */
export function concatQ4(parts: Q4Weight[]): Q4Weight {
  const cols = parts[0]!.cols;
  const cat = <T extends Uint8Array | Float32Array>(pick: (w: Q4Weight) => T, make: (n: number) => T): T => {
    const out = make(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  return {
    rows: parts.reduce((n, p) => n + p.rows, 0),
    cols,
    packed: cat(
      (w) => w.packed,
      (n) => new Uint8Array(n),
    ),
    scales: cat(
      (w) => w.scales,
      (n) => new Float32Array(n),
    ),
    offsets: cat(
      (w) => w.offsets,
      (n) => new Float32Array(n),
    ),
  };
}
