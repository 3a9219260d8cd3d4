/** Block dequantization following ggml-quants.c; output is in element order. */
import { InputError } from '../../errors.ts';
import { bf16ToFloat, halfToFloat } from './half.ts';
import { byteLengthOf, type GgmlType } from './types.ts';

type Decoder = (bytes: Uint8Array, view: DataView, count: number, out: Float32Array) => void;

const u16 = (view: DataView, at: number) => halfToFloat(view.getUint16(at, true));

const DECODERS: Record<GgmlType, Decoder> = {
  F32(_bytes, view, count, out) {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  },
  F16(_bytes, view, count, out) {
    for (let i = 0; i < count; i++) out[i] = u16(view, i * 2);
  },
  BF16(_bytes, view, count, out) {
    for (let i = 0; i < count; i++) out[i] = bf16ToFloat(view.getUint16(i * 2, true));
  },
  // 32 elements: f16 d, 16 nibble bytes; low nibbles are elements 0-15, high nibbles 16-31.
  Q4_0(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 18) {
      const d = u16(view, at);
      for (let j = 0; j < 16; j++) {
        const q = bytes[at + 2 + j] as number;
        out[o + j] = ((q & 0xf) - 8) * d;
        out[o + j + 16] = ((q >> 4) - 8) * d;
      }
    }
  },
  Q4_1(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 20) {
      const d = u16(view, at);
      const m = u16(view, at + 2);
      for (let j = 0; j < 16; j++) {
        const q = bytes[at + 4 + j] as number;
        out[o + j] = (q & 0xf) * d + m;
        out[o + j + 16] = (q >> 4) * d + m;
      }
    }
  },
  Q8_0(_bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 34) {
      const d = u16(view, at);
      for (let j = 0; j < 32; j++) out[o + j] = view.getInt8(at + 2 + j) * d;
    }
  },
  // 256 elements: f16 d, f16 dmin, 12 bytes of packed 6-bit scales and mins, 128 nibble bytes.
  Q4_K(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 256, at += 144) {
      const d = u16(view, at);
      const dmin = u16(view, at + 2);
      const scales = at + 4;
      let q = at + 16;
      let y = o;
      for (let is = 0; is < 8; is += 2, q += 32) {
        const [sc1, m1] = scaleMinK4(bytes, scales, is);
        const [sc2, m2] = scaleMinK4(bytes, scales, is + 1);
        const d1 = d * sc1;
        const d2 = d * sc2;
        const min1 = dmin * m1;
        const min2 = dmin * m2;
        for (let l = 0; l < 32; l++) out[y++] = d1 * ((bytes[q + l] as number) & 0xf) - min1;
        for (let l = 0; l < 32; l++) out[y++] = d2 * ((bytes[q + l] as number) >> 4) - min2;
      }
    }
  },
  // 256 elements: 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 int8 scales, f16 d.
  Q6_K(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 256, at += 210) {
      const d = u16(view, at + 208);
      for (let half = 0; half < 2; half++) {
        const ql = at + half * 64;
        const qh = at + 128 + half * 32;
        const sc = at + 192 + half * 8;
        const y = o + half * 128;
        for (let l = 0; l < 32; l++) {
          const is = l >> 4;
          const lo0 = bytes[ql + l] as number;
          const lo1 = bytes[ql + l + 32] as number;
          const hi = bytes[qh + l] as number;
          out[y + l] = d * view.getInt8(sc + is) * (((lo0 & 0xf) | ((hi & 3) << 4)) - 32);
          out[y + l + 32] = d * view.getInt8(sc + is + 2) * (((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32);
          out[y + l + 64] = d * view.getInt8(sc + is + 4) * (((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32);
          out[y + l + 96] = d * view.getInt8(sc + is + 6) * (((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32);
        }
      }
    }
  },
};

/** ggml's get_scale_min_k4: eight 6-bit (scale, min) pairs packed into 12 bytes. */
function scaleMinK4(bytes: Uint8Array, at: number, j: number): [number, number] {
  const q = (i: number) => bytes[at + i] as number;
  if (j < 4) return [q(j) & 63, q(j + 4) & 63];
  return [(q(j + 4) & 0xf) | ((q(j - 4) >> 6) << 4), (q(j + 4) >> 4) | ((q(j) >> 6) << 4)];
}

export function dequantizeBlocks(type: GgmlType, bytes: Uint8Array, count: number): Float32Array {
  const need = byteLengthOf(type, count, `dequantize ${type}`);
  if (bytes.byteLength < need)
    throw new InputError(
      `dequantize ${type}: ${count} elements need ${need} bytes, received ${bytes.byteLength}`,
    );
  const out = new Float32Array(count);
  DECODERS[type](bytes, new DataView(bytes.buffer, bytes.byteOffset, need), count, out);
  return out;
}
