/**
 * The few protobuf wire-format primitives an ONNX file needs. A message is kept as a list of chunks with a
 * known total length, so weight buffers of many megabytes are referenced, never copied, until written out.
 */

export interface Encoded {
  readonly chunks: Uint8Array[];
  readonly length: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LEN = 2;

function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function key(field: number, wire: number): Uint8Array {
  return varint((field << 3) | wire);
}

/** Builds one message field by field, in the order the fields are added. */
export class MessageWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  int(field: number, value: number | bigint): this {
    this.push(key(field, WIRE_VARINT));
    this.push(varint(value));
    return this;
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(key(field, WIRE_FIXED32));
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.push(key(field, WIRE_LEN));
    this.push(varint(value.length));
    if (value.length > 0) this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Encoded): this {
    this.push(key(field, WIRE_LEN));
    this.push(varint(value.length));
    for (const chunk of value.chunks) this.push(chunk);
    return this;
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const parts = values.map(varint);
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      body.set(p, at);
      at += p.length;
    }
    return this.bytes(field, body);
  }

  packedFloats(field: number, values: readonly number[]): this {
    return this.bytes(field, new Uint8Array(Float32Array.from(values).buffer));
  }

  done(): Encoded {
    return { chunks: this.chunks, length: this.length };
  }
}
