/**
 * Block dequantization following ggml-quants.c (dequantize_row_*); output is in element order. Every
 * product of an f16 scale and a small integer is exact in float32, so the results equal ggml's and gguf-py's
 * float32 arithmetic bit for bit.
 */
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
  // 32 elements: f16 d, a little-endian u32 of fifth bits (bit j for element j), 16 nibble bytes.
  Q5_0(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 22) {
      const d = u16(view, at);
      const qh = view.getUint32(at + 2, true);
      for (let j = 0; j < 16; j++) {
        const q = bytes[at + 6 + j] as number;
        out[o + j] = (((q & 0xf) | (((qh >>> j) & 1) << 4)) - 16) * d;
        out[o + j + 16] = (((q >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16) * d;
      }
    }
  },
  Q5_1(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 24) {
      const d = u16(view, at);
      const m = u16(view, at + 2);
      const qh = view.getUint32(at + 4, true);
      for (let j = 0; j < 16; j++) {
        const q = bytes[at + 8 + j] as number;
        out[o + j] = ((q & 0xf) | (((qh >>> j) & 1) << 4)) * d + m;
        out[o + j + 16] = ((q >> 4) | (((qh >>> (j + 16)) & 1) << 4)) * d + m;
      }
    }
  },
  Q8_0(_bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 32, at += 34) {
      const d = u16(view, at);
      for (let j = 0; j < 32; j++) out[o + j] = view.getInt8(at + 2 + j) * d;
    }
  },
  // 256 elements: 16 bytes of 4-bit (scale, min) pairs, 64 bytes of 2-bit quants, f16 d, f16 dmin.
  // Each 32-byte run of quants holds four groups of 32 elements at bit shifts 0, 2, 4, 6; each group is two
  // 16-element sub-blocks with their own scale.
  Q2_K(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 256, at += 84) {
      const d = u16(view, at + 80);
      const dmin = u16(view, at + 82);
      let y = o;
      let is = 0;
      for (let q = at + 16; q < at + 80; q += 32)
        for (let shift = 0; shift < 8; shift += 2)
          for (let half = 0; half < 32; half += 16) {
            const sc = bytes[at + is++] as number;
            const dl = d * (sc & 0xf);
            const ml = dmin * (sc >> 4);
            for (let l = 0; l < 16; l++)
              out[y++] = dl * (((bytes[q + half + l] as number) >> shift) & 3) - ml;
          }
    }
  },
  // 256 elements: 32 bytes of high-bit masks, 64 bytes of 2-bit quants, 12 bytes of packed 6-bit scales
  // (offset by 32), f16 d. A clear mask bit subtracts 4 from the quant. Same group order as Q2_K.
  Q3_K(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 256, at += 110) {
      const d = u16(view, at + 108);
      const sc = at + 96;
      let y = o;
      let is = 0;
      let mask = 1;
      for (let q = at + 32; q < at + 96; q += 32)
        for (let shift = 0; shift < 8; shift += 2, mask <<= 1)
          for (let half = 0; half < 32; half += 16, is++) {
            const low = ((bytes[sc + (is & 7)] as number) >> (4 * (is >> 3))) & 0xf;
            const high = ((bytes[sc + 8 + (is & 3)] as number) >> (2 * (is >> 2))) & 3;
            const dl = d * ((low | (high << 4)) - 32);
            for (let l = 0; l < 16; l++) {
              const k = half + l;
              const hm = (bytes[at + k] as number) & mask ? 0 : 4;
              out[y++] = dl * ((((bytes[q + k] as number) >> shift) & 3) - hm);
            }
          }
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
  // Q4_K plus 32 bytes of fifth bits: bit 2i of qh[l] for element l of sub-block 2i, bit 2i+1 for 2i+1.
  Q5_K(bytes, view, count, out) {
    for (let o = 0, at = 0; o < count; o += 256, at += 176) {
      const d = u16(view, at);
      const dmin = u16(view, at + 2);
      const scales = at + 4;
      const qh = at + 16;
      let ql = at + 48;
      let y = o;
      for (let is = 0; is < 8; is += 2, ql += 32) {
        const [sc1, m1] = scaleMinK4(bytes, scales, is);
        const [sc2, m2] = scaleMinK4(bytes, scales, is + 1);
        const d1 = d * sc1;
        const d2 = d * sc2;
        const min1 = dmin * m1;
        const min2 = dmin * m2;
        for (let l = 0; l < 32; l++) {
          const high = ((bytes[qh + l] as number) >> is) & 1;
          out[y++] = d1 * (((bytes[ql + l] as number) & 0xf) | (high << 4)) - min1;
        }
        for (let l = 0; l < 32; l++) {
          const high = ((bytes[qh + l] as number) >> (is + 1)) & 1;
          out[y++] = d2 * (((bytes[ql + l] as number) >> 4) | (high << 4)) - min2;
        }
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
