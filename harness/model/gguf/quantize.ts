/** The reference quantizers of ggml-quants.c (quantize_row_*_ref), for writing test models. */
import { InputError } from '../../errors.ts';
import { floatToHalf } from './half.ts';
import { byteLengthOf, type GgmlType } from './types.ts';

const QUANTIZABLE = ['F32', 'F16', 'Q4_0', 'Q4_1', 'Q8_0'] as const;
export type QuantizableType = (typeof QUANTIZABLE)[number];

export function isQuantizable(type: GgmlType): type is QuantizableType {
  return (QUANTIZABLE as readonly string[]).includes(type);
}

export function quantizeBlocks(type: QuantizableType, values: Float32Array): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(byteLengthOf(type, n, `quantize ${type}`));
  const view = new DataView(out.buffer);
  const at = (i: number) => values[i] as number;
  switch (type) {
    case 'F32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, at(i), true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, floatToHalf(at(i)), true);
      break;
    case 'Q4_0':
      for (let o = 0, b = 0; o < n; o += 32, b += 18) {
        // The value of largest magnitude maps to -8, so its sign sets the sign of d.
        let max = 0;
        for (let j = 0; j < 32; j++) if (Math.abs(at(o + j)) > Math.abs(max)) max = at(o + j);
        const d = max / -8;
        const id = d ? 1 / d : 0;
        view.setUint16(b, floatToHalf(d), true);
        for (let j = 0; j < 16; j++) {
          const lo = Math.min(15, Math.trunc(at(o + j) * id + 8.5));
          const hi = Math.min(15, Math.trunc(at(o + j + 16) * id + 8.5));
          out[b + 2 + j] = lo | (hi << 4);
        }
      }
      break;
    case 'Q4_1':
      for (let o = 0, b = 0; o < n; o += 32, b += 20) {
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < 32; j++) {
          min = Math.min(min, at(o + j));
          max = Math.max(max, at(o + j));
        }
        const d = (max - min) / 15;
        const id = d ? 1 / d : 0;
        view.setUint16(b, floatToHalf(d), true);
        view.setUint16(b + 2, floatToHalf(min), true);
        for (let j = 0; j < 16; j++) {
          const lo = Math.min(15, Math.trunc((at(o + j) - min) * id + 0.5));
          const hi = Math.min(15, Math.trunc((at(o + j + 16) - min) * id + 0.5));
          out[b + 4 + j] = lo | (hi << 4);
        }
      }
      break;
    case 'Q8_0':
      for (let o = 0, b = 0; o < n; o += 32, b += 34) {
        let amax = 0;
        for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(at(o + j)));
        const d = amax / 127;
        const id = d ? 1 / d : 0;
        view.setUint16(b, floatToHalf(d), true);
        for (let j = 0; j < 32; j++) view.setInt8(b + 2 + j, roundAway(at(o + j) * id));
      }
      break;
    default:
      throw new InputError(`cannot quantize to ${String(type)}; expected F32, F16, Q4_0, Q4_1 or Q8_0`);
  }
  return out;
}

/** C's roundf: halves round away from zero (Math.round sends -2.5 to -2). */
function roundAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
