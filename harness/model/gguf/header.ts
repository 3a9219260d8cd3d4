/** Parses a GGUF header (metadata and tensor infos) from a byte prefix of the file. */
import { InputError } from '../../errors.ts';
import {
  byteLengthOf,
  GGUF_META_TYPES,
  type GgufTensorInfo,
  type GgufValue,
  ggmlTypeFromId,
} from './types.ts';

export interface GgufHeader {
  version: number;
  alignment: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  dataOffset: number;
}

/** Thrown when the prefix ends inside the header; the reader then reads more and tries again. */
export class NeedMoreBytes extends Error {}

const MAX_DIMS = 8;

class Cursor {
  pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileSize: number,
    private readonly path: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.byteLength) {
      if (this.bytes.byteLength >= this.fileSize)
        throw new InputError(`${this.path}: truncated GGUF file (header ends at byte ${this.fileSize})`);
      throw new NeedMoreBytes();
    }
    this.pos += n;
    return at;
  }
  u8 = () => this.view.getUint8(this.take(1));
  i8 = () => this.view.getInt8(this.take(1));
  u16 = () => this.view.getUint16(this.take(2), true);
  i16 = () => this.view.getInt16(this.take(2), true);
  u32 = () => this.view.getUint32(this.take(4), true);
  i32 = () => this.view.getInt32(this.take(4), true);
  f32 = () => this.view.getFloat32(this.take(4), true);
  f64 = () => this.view.getFloat64(this.take(8), true);
  u64 = () => this.view.getBigUint64(this.take(8), true);
  i64 = () => this.view.getBigInt64(this.take(8), true);

  /** A count or length: must be a plausible number of items given the file size. */
  length(what: string): number {
    const n = this.u64();
    if (n > BigInt(this.fileSize))
      throw new InputError(
        `${this.path}: corrupt GGUF header: ${what} is ${n}, larger than the file (${this.fileSize} bytes)`,
      );
    return Number(n);
  }
  string(what: string): string {
    const n = this.length(`length of ${what}`);
    const at = this.take(n);
    try {
      return this.decoder.decode(this.bytes.subarray(at, at + n));
    } catch {
      throw new InputError(`${this.path}: corrupt GGUF header: ${what} is not valid UTF-8`);
    }
  }
}

/** u64/i64 values become numbers when exact, bigints otherwise. */
function small(n: bigint): number | bigint {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
}

function readValue(c: Cursor, typeId: number, key: string): GgufValue {
  const type = GGUF_META_TYPES[typeId];
  switch (type) {
    case 'u8':
      return c.u8();
    case 'i8':
      return c.i8();
    case 'u16':
      return c.u16();
    case 'i16':
      return c.i16();
    case 'u32':
      return c.u32();
    case 'i32':
      return c.i32();
    case 'f32':
      return c.f32();
    case 'f64':
      return c.f64();
    case 'u64':
      return small(c.u64());
    case 'i64':
      return small(c.i64());
    case 'bool': {
      const b = c.u8();
      if (b > 1) throw new InputError(`corrupt GGUF metadata: ${key} is a bool holding ${b}`);
      return b === 1;
    }
    case 'string':
      return c.string(`value of ${key}`);
    case 'array': {
      const itemType = c.u32();
      const n = c.length(`length of array ${key}`);
      const items: GgufValue[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = readValue(c, itemType, key);
      return items;
    }
    default:
      throw new InputError(`corrupt GGUF metadata: ${key} has value type ${typeId}, expected 0-12`);
  }
}

export function parseHeader(bytes: Uint8Array, fileSize: number, path: string): GgufHeader {
  const c = new Cursor(bytes, fileSize, path);
  const magic = String.fromCharCode(c.u8(), c.u8(), c.u8(), c.u8());
  if (magic !== 'GGUF')
    throw new InputError(
      `${path} is not a GGUF file: expected magic "GGUF", received ${JSON.stringify(magic)}`,
    );
  const version = c.u32();
  if (version !== 2 && version !== 3)
    throw new InputError(`${path}: GGUF version ${version} is not supported, expected 2 or 3`);
  const tensorCount = c.length('tensor count');
  const metaCount = c.length('metadata count');
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < metaCount; i++) {
    const key = c.string(`metadata key ${i}`);
    metadata.set(key, readValue(c, c.u32(), key));
  }
  const alignment = metadata.get('general.alignment') ?? 32;
  if (typeof alignment !== 'number' || alignment < 1 || (alignment & (alignment - 1)) !== 0)
    throw new InputError(`${path}: general.alignment must be a power of two, received ${String(alignment)}`);

  const infos: Omit<GgufTensorInfo, 'offset'>[] = [];
  const relative: number[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string(`tensor name ${i}`);
    const nDims = c.u32();
    if (nDims < 1 || nDims > MAX_DIMS)
      throw new InputError(`${path}: tensor ${name} has ${nDims} dimensions, expected 1-${MAX_DIMS}`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(c.length(`dimension ${d} of ${name}`));
    const type = ggmlTypeFromId(c.u32(), name, path);
    const offset = c.u64();
    const elementCount = dims.reduce((a, b) => a * b, 1);
    infos.push({
      name,
      dims,
      type,
      elementCount,
      byteLength: byteLengthOf(type, elementCount, `${path}: tensor ${name}`),
    });
    relative.push(Number(offset));
  }
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  const tensors = infos.map((info, i) => {
    const offset = dataOffset + (relative[i] as number);
    if (offset % alignment !== 0 || offset + info.byteLength > fileSize)
      throw new InputError(
        `${path}: tensor ${info.name} lies at bytes ${offset}-${offset + info.byteLength}, ` +
          `outside the file (${fileSize} bytes) or off the ${alignment}-byte alignment; the file is truncated or corrupt`,
      );
    return { ...info, offset };
  });
  return { version, alignment, metadata, tensors, dataOffset };
}
