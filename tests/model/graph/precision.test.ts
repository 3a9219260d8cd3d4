import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dequantizeBlocks } from '../../../harness/model/gguf/index.ts';
import {
  concatQ4,
  matrixForm,
  q4FromBlocks,
  tableForm,
  widest,
} from '../../../harness/model/graph/precision.ts';
import { dequantizeQ4 } from '../../../harness/model/graph/quantize4.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../gguf/fixtures/${name}`, import.meta.url)));

describe('4-bit weights read from the file blocks', () => {
  it.each([
    ['Q4_0', 32],
    ['Q4_1', 32],
    ['Q4_K', 256],
  ] as const)(
    '%s: the graph form holds the values gguf-py dequantizes, to float rounding',
    (type, blockSize) => {
      const bytes = fixture(`${type}.blocks`);
      // The fixture's 8 blocks as 2 rows.
      const cols = (8 * blockSize) / 2;
      const want = dequantizeBlocks(type, bytes, 8 * blockSize);
      const got = dequantizeQ4(q4FromBlocks(type, bytes, 2, cols));
      // The offset (the value at q = 8) is one float32 rounding away from the file's minimum + 8 scale.
      let worst = 0;
      let largest = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        largest = Math.max(largest, Math.abs(want[i]!));
      }
      expect(worst / largest).toBeLessThan(2 ** -22);
    },
  );

  it('stacks rows of several weights', () => {
    const bytes = fixture('Q4_1.blocks');
    const a = q4FromBlocks('Q4_1', bytes.subarray(0, 80), 1, 128);
    const b = q4FromBlocks('Q4_1', bytes.subarray(80), 1, 128);
    expect(dequantizeQ4(concatQ4([a, b]))).toEqual(dequantizeQ4(q4FromBlocks('Q4_1', bytes, 2, 128)));
  });
});

describe('forms by file type', () => {
  it('keeps 4-bit types at 4 bits, floats in float32, the rest at 8 bits; tables never at 4 bits', () => {
    expect(['Q4_0', 'Q4_1', 'Q4_K'].map(matrixForm)).toEqual(['q4', 'q4', 'q4']);
    expect(['F32', 'F16', 'BF16'].map(matrixForm)).toEqual(['f32', 'f32', 'f32']);
    expect(['Q5_0', 'Q5_1', 'Q5_K', 'Q6_K', 'Q8_0', 'Q2_K', 'Q3_K'].map(matrixForm)).toEqual(
      Array(7).fill('q8'),
    );
    expect([tableForm('Q4_K'), tableForm('Q8_0'), tableForm('F16')]).toEqual(['q8', 'q8', 'f32']);
    expect(widest(['q4', 'q8', 'q4'])).toBe('q8');
    expect(widest(['q4', 'f32', 'q8'])).toBe('f32');
  });
});
