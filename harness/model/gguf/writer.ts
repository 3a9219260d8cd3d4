/** Writes GGUF v3 files: test fixtures, and models built from arrays. */
import { open } from 'node:fs/promises';
import { InputError } from '../../errors.ts';
import { isQuantizable, quantizeBlocks } from './quantize.ts';
import { byteLengthOf, GGML_TYPES, GGUF_META_TYPES, type GgmlType, type GgufScalarType } from './types.ts';

type Scalar = number | bigint | boolean | string;

/** A metadata value with its GGUF type spelled out, so every one of the 13 types can be written. */
export type GgufMetaEntry =
  | { type: GgufScalarType; value: Scalar }
  | { type: 'array'; itemType: GgufScalarType; value: Scalar[] };

/**
 * Plain values pick a type: string -> string, boolean -> bool, integer -> i32 (u64 past i32),
 * other number -> f32, bigint -> i64, arrays by their first item (empty -> array of i32).
 */
export type GgufMetaInput = GgufMetaEntry | Scalar | Scalar[];

export interface GgufTensorInput {
  name: string;
  /** ggml order: the contiguous dimension first. */
  dims: number[];
  type: GgmlType;
  /** Values to quantize, or bytes already in `type`'s block format (the only way to write BF16, the 5-bit and the K types). */
  data: Float32Array | Uint8Array;
}

export interface GgufWriteInput {
  metadata: Record<string, GgufMetaInput>;
  tensors: GgufTensorInput[];
  alignment?: number;
}

function inferType(value: Scalar): GgufScalarType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'i64';
  if (!Number.isInteger(value)) return 'f32';
  return value >= -(2 ** 31) && value < 2 ** 31 ? 'i32' : 'u64';
}

function entryOf(input: GgufMetaInput): GgufMetaEntry {
  if (Array.isArray(input))
    return { type: 'array', itemType: input[0] === undefined ? 'i32' : inferType(input[0]), value: input };
  if (typeof input === 'object') return input;
  return { type: inferType(input), value: input };
}

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  fixed(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.push(b);
  }
  u32(n: number): void {
    this.fixed(4, (b) => b.writeUInt32LE(n));
  }
  u64(n: number | bigint): void {
    this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(n)));
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type NumericType = Exclude<GgufScalarType, 'string' | 'bool'>;

/** Byte size and Buffer writer per numeric type; Buffer's range checks reject values that do not fit. */
const NUMERIC: Record<NumericType, [number, (b: Buffer, v: number | bigint) => void]> = {
  u8: [1, (b, v) => b.writeUInt8(Number(v))],
  i8: [1, (b, v) => b.writeInt8(Number(v))],
  u16: [2, (b, v) => b.writeUInt16LE(Number(v))],
  i16: [2, (b, v) => b.writeInt16LE(Number(v))],
  u32: [4, (b, v) => b.writeUInt32LE(Number(v))],
  i32: [4, (b, v) => b.writeInt32LE(Number(v))],
  f32: [4, (b, v) => b.writeFloatLE(Number(v))],
  f64: [8, (b, v) => b.writeDoubleLE(Number(v))],
  u64: [8, (b, v) => b.writeBigUInt64LE(BigInt(v))],
  i64: [8, (b, v) => b.writeBigInt64LE(BigInt(v))],
};

function writeScalar(sink: ByteSink, type: GgufScalarType, value: Scalar, key: string): void {
  const wrong = () =>
    new InputError(`metadata ${key}: a ${type} cannot hold ${typeof value} ${String(value)}`);
  if (type === 'string') {
    if (typeof value !== 'string') throw wrong();
    sink.string(value);
  } else if (type === 'bool') {
    if (typeof value !== 'boolean') throw wrong();
    sink.fixed(1, (b) => b.writeUInt8(value ? 1 : 0));
  } else {
    if (typeof value !== 'number' && typeof value !== 'bigint') throw wrong();
    const [size, write] = NUMERIC[type];
    try {
      sink.fixed(size, (b) => write(b, value));
    } catch (error) {
      throw new InputError(`metadata ${key}: ${String(value)} does not fit a ${type}`, { cause: error });
    }
  }
}

function encodeTensor(t: GgufTensorInput): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data instanceof Float32Array) {
    if (t.data.length !== count)
      throw new InputError(
        `tensor ${t.name}: dims ${t.dims.join('x')} hold ${count} values, received ${t.data.length}`,
      );
    if (!isQuantizable(t.type))
      throw new InputError(`tensor ${t.name}: pass ${t.type} data as encoded bytes, not floats`);
    return quantizeBlocks(t.type, t.data);
  }
  const need = byteLengthOf(t.type, count, `tensor ${t.name}`);
  if (t.data.byteLength !== need)
    throw new InputError(
      `tensor ${t.name}: ${count} ${t.type} values take ${need} bytes, received ${t.data.byteLength}`,
    );
  return t.data;
}

export async function writeGguf(path: string, input: GgufWriteInput): Promise<void> {
  const alignment = input.alignment ?? 32;
  const metadata: Record<string, GgufMetaInput> = { ...input.metadata };
  if (alignment !== 32) metadata['general.alignment'] = { type: 'u32', value: alignment };
  const encoded = input.tensors.map(encodeTensor);

  const head = new ByteSink();
  head.push(Buffer.from('GGUF', 'latin1'));
  head.u32(3);
  head.u64(input.tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, raw] of Object.entries(metadata)) {
    const entry = entryOf(raw);
    head.string(key);
    head.u32(GGUF_META_TYPES.indexOf(entry.type));
    if (entry.type === 'array') {
      head.u32(GGUF_META_TYPES.indexOf(entry.itemType));
      head.u64(entry.value.length);
      for (const item of entry.value) writeScalar(head, entry.itemType, item, key);
    } else writeScalar(head, entry.type, entry.value, key);
  }
  const align = (n: number) => Math.ceil(n / alignment) * alignment;
  let offset = 0;
  const offsets = encoded.map((bytes) => {
    const at = offset;
    offset = align(offset + bytes.byteLength);
    return at;
  });
  input.tensors.forEach((t, i) => {
    head.string(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(GGML_TYPES[t.type].id);
    head.u64(offsets[i] as number);
  });
  const header = head.concat();
  const dataStart = align(header.length);

  const file = await open(path, 'w');
  try {
    await file.write(header, 0, header.length, 0);
    for (const [i, bytes] of encoded.entries())
      await file.write(bytes, 0, bytes.byteLength, dataStart + (offsets[i] as number));
    // Pad the tail so the last tensor's alignment padding exists on disk too.
    await file.truncate(dataStart + offset);
  } finally {
    await file.close();
  }
}
