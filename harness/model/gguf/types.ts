/** The GGUF vocabulary: tensor types, metadata value types, and the shapes the reader returns. */
import { InputError } from '../../errors.ts';

export type GgmlType =
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'Q4_0'
  | 'Q4_1'
  | 'Q5_0'
  | 'Q5_1'
  | 'Q8_0'
  | 'Q2_K'
  | 'Q3_K'
  | 'Q4_K'
  | 'Q5_K'
  | 'Q6_K';

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** ggml order: the contiguous dimension first. */
  dims: number[];
  type: GgmlType;
  /** Absolute file offset of the tensor's data. */
  offset: number;
  byteLength: number;
  elementCount: number;
}

/** Metadata value types as numbered in the GGUF spec (0-12). */
export const GGUF_META_TYPES = [
  'u8',
  'i8',
  'u16',
  'i16',
  'u32',
  'i32',
  'f32',
  'bool',
  'string',
  'array',
  'u64',
  'i64',
  'f64',
] as const;
export type GgufMetaType = (typeof GGUF_META_TYPES)[number];
export type GgufScalarType = Exclude<GgufMetaType, 'array'>;

/** Per type: the ggml id, elements per block and bytes per block (ggml-common.h). */
export const GGML_TYPES: Record<GgmlType, { id: number; blockSize: number; blockBytes: number }> = {
  F32: { id: 0, blockSize: 1, blockBytes: 4 },
  F16: { id: 1, blockSize: 1, blockBytes: 2 },
  Q4_0: { id: 2, blockSize: 32, blockBytes: 18 },
  Q4_1: { id: 3, blockSize: 32, blockBytes: 20 },
  Q5_0: { id: 6, blockSize: 32, blockBytes: 22 },
  Q5_1: { id: 7, blockSize: 32, blockBytes: 24 },
  Q8_0: { id: 8, blockSize: 32, blockBytes: 34 },
  Q2_K: { id: 10, blockSize: 256, blockBytes: 84 },
  Q3_K: { id: 11, blockSize: 256, blockBytes: 110 },
  Q4_K: { id: 12, blockSize: 256, blockBytes: 144 },
  Q5_K: { id: 13, blockSize: 256, blockBytes: 176 },
  Q6_K: { id: 14, blockSize: 256, blockBytes: 210 },
  BF16: { id: 30, blockSize: 1, blockBytes: 2 },
};

const BY_ID = new Map(Object.entries(GGML_TYPES).map(([name, t]) => [t.id, name as GgmlType]));

/** Names of ggml types this reader does not decode, so an error can say what the file holds. */
const OTHER_TYPE_NAMES: Record<number, string> = {
  9: 'Q8_1',
  15: 'Q8_K',
  16: 'IQ2_XXS',
  17: 'IQ2_XS',
  18: 'IQ3_XXS',
  19: 'IQ1_S',
  20: 'IQ4_NL',
  21: 'IQ3_S',
  22: 'IQ2_S',
  23: 'IQ4_XS',
  24: 'I8',
  25: 'I16',
  26: 'I32',
  27: 'I64',
  28: 'F64',
  29: 'IQ1_M',
  34: 'TQ1_0',
  35: 'TQ2_0',
};

/** The type of tensor `tensorName` in file `path`; a refusal names all three. */
export function ggmlTypeFromId(id: number, tensorName: string, path: string): GgmlType {
  const type = BY_ID.get(id);
  if (type) return type;
  const known = OTHER_TYPE_NAMES[id];
  throw new InputError(
    `${path}: tensor ${tensorName} has ggml type ${known ?? 'unknown'} (id ${id}), which this reader does not support; ` +
      `expected one of ${Object.entries(GGML_TYPES)
        .map(([n, t]) => `${n} (${t.id})`)
        .join(', ')}`,
  );
}

/** Bytes taken by `count` elements of `type`; the count must fill whole blocks. */
export function byteLengthOf(type: GgmlType, count: number, what = 'tensor'): number {
  const { blockSize, blockBytes } = GGML_TYPES[type];
  if (count % blockSize !== 0)
    throw new InputError(`${what}: ${count} elements of ${type} do not fill whole blocks of ${blockSize}`);
  return (count / blockSize) * blockBytes;
}
