import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/errors.ts';
import {
  bf16ToFloat,
  dequantizeBlocks,
  floatToHalf,
  halfToFloat,
  quantizeBlocks,
} from '../../../harness/model/gguf/index.ts';

/** A block buffer with little-endian helpers, to lay out ggml blocks by hand. */
function block(size: number) {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  return { bytes, half: (at: number, v: number) => view.setUint16(at, floatToHalf(v), true) };
}

describe('half floats', () => {
  it('convert exactly representable values both ways', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -14, 2 ** -24, 1.5, -0.0999755859375])
      expect(halfToFloat(floatToHalf(v))).toBe(v);
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
  });
  it('round to nearest even', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalf(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
  });
  it('decodes bfloat16 as the top half of a float32', () => {
    expect(bf16ToFloat(0x3f80)).toBe(1);
    expect(bf16ToFloat(0xc040)).toBe(-3);
  });
});

describe('dequantizeBlocks', () => {
  it('F32, F16 and BF16', () => {
    const f32 = new Uint8Array(new Float32Array([1.25, -3]).buffer);
    expect(Array.from(dequantizeBlocks('F32', f32, 2))).toEqual([1.25, -3]);
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc100, 0x3800]).buffer);
    expect(Array.from(dequantizeBlocks('F16', f16, 3))).toEqual([1, -2.5, 0.5]);
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0x4049]).buffer);
    expect(Array.from(dequantizeBlocks('BF16', bf16, 2))).toEqual([1, 3.140625]);
  });

  it('Q4_0: low nibbles are elements 0-15, high nibbles 16-31, offset by 8', () => {
    const b = block(18);
    b.half(0, 0.5);
    for (let j = 0; j < 16; j++) b.bytes[2 + j] = (j & 0xf) | ((15 - j) << 4);
    const out = dequantizeBlocks('Q4_0', b.bytes, 32);
    expect(out[0]).toBe(-4); // (0 - 8) * 0.5
    expect(out[9]).toBe(0.5); // (9 - 8) * 0.5
    expect(out[16]).toBe(3.5); // (15 - 8) * 0.5
    expect(out[31]).toBe(-4); // (0 - 8) * 0.5
  });

  it('Q4_1: value = q * d + m', () => {
    const b = block(20);
    b.half(0, 0.25);
    b.half(2, -1);
    for (let j = 0; j < 16; j++) b.bytes[4 + j] = j | (j << 4);
    const out = dequantizeBlocks('Q4_1', b.bytes, 32);
    expect(out[0]).toBe(-1);
    expect(out[15]).toBe(2.75);
    expect(out[16]).toBe(-1);
    expect(out[20]).toBe(0);
  });

  it('Q8_0: value = int8 * d, across two blocks', () => {
    const bytes = new Uint8Array(68);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, floatToHalf(0.5), true);
    view.setUint16(34, floatToHalf(2), true);
    view.setInt8(2, -128);
    view.setInt8(33, 127);
    view.setInt8(36, -3);
    const out = dequantizeBlocks('Q8_0', bytes, 64);
    expect([out[0], out[31], out[32], out[33]]).toEqual([-64, 63.5, -6, 0]);
  });

  it('Q4_K: six-bit scales and mins unpacked as get_scale_min_k4', () => {
    const b = block(144);
    b.half(0, 0.5); // d
    b.half(2, 0.25); // dmin
    const sc = b.bytes.subarray(4, 16);
    // Sub-blocks 0-3 keep scale and min in the low 6 bits of bytes 0-3 and 4-7.
    sc[0] = 3; // scale 3 for sub-block 0
    sc[4] = 8; // min 8 for sub-block 0
    sc[1] = 5; // sub-block 1 scale 5, min 0
    // Sub-block 4: low 4 bits in byte 8 (scale) / its high nibble (min), top 2 bits from bytes 0 and 4.
    sc[8] = 0x2 | (0x1 << 4); // scale low bits 2, min low bits 1
    sc[0] |= 1 << 6; // scale high bits 01 -> scale 2 + 16 = 18
    sc[4] |= 2 << 6; // min high bits 10 -> min 1 + 32 = 33
    const qs = b.bytes.subarray(16);
    qs[0] = 0x7 | (0x2 << 4); // element 0 (sub-block 0) = 7; element 32 (sub-block 1) = 2
    qs[64] = 0x4; // element 128: sub-block 4, q = 4
    const out = dequantizeBlocks('Q4_K', b.bytes, 256);
    expect(out[0]).toBe(0.5 * 3 * 7 - 0.25 * 8);
    expect(out[1]).toBe(-0.25 * 8);
    expect(out[32]).toBe(0.5 * 5 * 2);
    expect(out[128]).toBe(0.5 * 18 * 4 - 0.25 * 33);
    expect(out[160]).toBe(0); // sub-block 5: scale and min 0
  });

  it('Q6_K: 4 low bits from ql, 2 high bits from qh, minus 32, times an int8 scale', () => {
    const bytes = new Uint8Array(210);
    const view = new DataView(bytes.buffer);
    view.setUint16(208, floatToHalf(0.5), true);
    for (let i = 0; i < 16; i++) view.setInt8(192 + i, i % 2 ? -2 : 3);
    // Element 0: low nibble of ql[0], bits 0-1 of qh[0]. Element 64: high nibble of ql[0], bits 4-5 of qh[0].
    bytes[0] = 0x5 | (0xa << 4);
    bytes[128] = 0x2 | (0x3 << 4);
    // Element 32: low nibble of ql[32], bits 2-3 of qh[0]; element 96: high nibble of ql[32], bits 6-7.
    bytes[32] = 0x1 | (0xf << 4);
    bytes[128] |= (0x1 << 2) | (0x2 << 6);
    // Element 144 (second half, l = 16): ql[64 + 16] low nibble, qh[32 + 16] bits 0-1, scale index 8 + 1.
    bytes[80] = 0x9;
    bytes[176] = 0x3;
    const out = dequantizeBlocks('Q6_K', bytes, 256);
    expect(out[0]).toBe(0.5 * 3 * ((0x5 | (2 << 4)) - 32));
    expect(out[32]).toBe(0.5 * 3 * ((0x1 | (1 << 4)) - 32)); // scale index 2
    expect(out[64]).toBe(0.5 * 3 * ((0xa | (3 << 4)) - 32)); // scale index 4
    expect(out[96]).toBe(0.5 * 3 * ((0xf | (2 << 4)) - 32)); // scale index 6
    expect(out[16]).toBe(0.5 * -2 * -32); // l = 16 uses scale index 1
    expect(out[144]).toBe(0.5 * -2 * ((0x9 | (3 << 4)) - 32));
  });

  it('rejects short buffers and partial blocks', () => {
    expect(() => dequantizeBlocks('Q4_0', new Uint8Array(17), 32)).toThrow(InputError);
    expect(() => dequantizeBlocks('Q8_0', new Uint8Array(34), 31)).toThrow(/whole blocks of 32/);
  });
});

describe('quantizeBlocks round trips', () => {
  const values = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * 0.7) * (1 + (i % 5)));
  const maxError = (type: 'F16' | 'Q4_0' | 'Q4_1' | 'Q8_0') => {
    const out = dequantizeBlocks(type, quantizeBlocks(type, values), values.length);
    return Math.max(...values.map((v, i) => Math.abs(v - (out[i] as number))));
  };

  it('F32 is exact and F16 within half precision', () => {
    expect(dequantizeBlocks('F32', quantizeBlocks('F32', values), 128)).toEqual(values);
    expect(maxError('F16')).toBeLessThan(5 * 2 ** -11);
  });

  it('errors stay near half a quantization step', () => {
    // Values reach |5|: Q8_0 steps are 5/127, Q4_0 steps 5/8 (clamped on one side), Q4_1 10/15.
    // Storing d as f16 adds up to 15 (or 127) * d * 2^-11 on top of the half step.
    expect(maxError('Q8_0')).toBeLessThan((5 / 127) * 0.6);
    expect(maxError('Q8_0')).toBeGreaterThan((5 / 127) * 0.3);
    expect(maxError('Q4_0')).toBeLessThan((5 / 8) * 1.01);
    expect(maxError('Q4_1')).toBeLessThan((10 / 15) * 0.55);
  });

  it('hits the block extremes exactly as ggml does', () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => i - 8); // -8 .. 23
    const q41 = dequantizeBlocks('Q4_1', quantizeBlocks('Q4_1', x), 32);
    expect(q41[0]).toBe(-8); // the minimum is stored as m
    expect(q41[31]).toBeCloseTo(23, 2); // q = 15 -> 15 d + m
    const q80 = dequantizeBlocks('Q8_0', quantizeBlocks('Q8_0', x), 32);
    expect(q80[31]).toBeCloseTo(23, 1);
    const q40 = quantizeBlocks('Q4_0', x);
    // The largest magnitude (23) maps to nibble 0 with d = -23/8.
    expect(halfToFloat(new DataView(q40.buffer).getUint16(0, true))).toBeCloseTo(-23 / 8, 3);
    expect((q40[2 + 15] as number) >> 4).toBe(0);
  });
});

describe('agreement with gguf-py 0.19.0 (fixtures/make-fixtures.py)', () => {
  const fixture = (name: string) =>
    new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
  const floats = (name: string) => {
    const bytes = fixture(name);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  };

  it.each([
    ['Q4_0', 32],
    ['Q4_1', 32],
    ['Q8_0', 32],
    ['Q5_0', 32],
    ['Q5_1', 32],
    ['Q2_K', 256],
    ['Q3_K', 256],
    ['Q4_K', 256],
    ['Q5_K', 256],
    ['Q6_K', 256],
  ] as const)('dequantizes random %s blocks to the same floats, bit for bit', (type, blockSize) => {
    const expected = floats(`${type}.f32`);
    expect(expected.length).toBe(8 * blockSize);
    expect(dequantizeBlocks(type, fixture(`${type}.blocks`), expected.length)).toEqual(expected);
  });

  it.each(['Q4_0', 'Q4_1', 'Q8_0', 'F16'] as const)('quantizes to the same %s bytes', (type) => {
    expect(quantizeBlocks(type, floats('quantize.f32'))).toEqual(fixture(`${type}.quant`));
  });
});
