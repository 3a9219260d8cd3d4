/**
 * A minimal ONNX model writer: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto and
 * AttributeProto, with field numbers from onnx/onnx.proto. Only what the decoder graphs use.
 */
import { type Encoded, MessageWriter } from './protobuf.ts';

export type ElemType = 'float32' | 'float16' | 'uint8' | 'int32' | 'int64';
const ELEM_CODE: Record<ElemType, number> = { float32: 1, uint8: 2, int32: 6, int64: 7, float16: 10 };

/** An integer, a string, integers, or (boxed so an integral float stays a float) a float or floats. */
export type AttrValue = number | string | number[] | { f: number } | { floats: number[] };
/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export interface TensorData {
  type: ElemType;
  dims: number[];
  /** float16 values are their IEEE half-precision bit patterns. */
  data: Float32Array | Uint16Array | Uint8Array | Int32Array | BigInt64Array;
}

/** Largest single protobuf ONNX Runtime will parse; beyond it weights would need external data. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

function tensorProto(name: string, t: TensorData): Encoded {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return new MessageWriter()
    .packedInts(1, t.dims)
    .int(2, ELEM_CODE[t.type])
    .string(8, name)
    .bytes(9, raw)
    .done();
}

function attribute(name: string, value: AttrValue): Encoded {
  const w = new MessageWriter().string(1, name);
  if (typeof value === 'string') return w.bytes(4, new TextEncoder().encode(value)).int(20, 3).done();
  if (typeof value === 'number') return w.int(3, value).int(20, 2).done();
  if (Array.isArray(value)) return w.packedInts(8, value).int(20, 7).done();
  if ('f' in value) return w.float(2, value.f).int(20, 1).done();
  return w.packedFloats(7, value.floats).int(20, 6).done();
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): Encoded {
  const shape = new MessageWriter();
  for (const d of dims) {
    const dim = new MessageWriter();
    shape.message(1, typeof d === 'number' ? dim.int(1, d).done() : dim.string(2, d).done());
  }
  const tensorType = new MessageWriter().int(1, ELEM_CODE[type]).message(2, shape.done()).done();
  const typeProto = new MessageWriter().message(1, tensorType).done();
  return new MessageWriter().string(1, name).message(2, typeProto).done();
}

/** Collects nodes, initializers and graph inputs/outputs, then serialises them as one ModelProto. */
export class GraphBuilder {
  private readonly nodes: Encoded[] = [];
  private readonly initializers: Encoded[] = [];
  private readonly inputs: Encoded[] = [];
  private readonly outputs: Encoded[] = [];
  private readonly scalars = new Set<string>();
  private counter = 0;
  private bytes = 0;

  /** Adds a node and returns its output names; `outputs` is how many (or which) outputs it has. */
  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    outputs: number | string[] = 1,
    domain = '',
  ): string[] {
    const id = this.counter++;
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) => `${opType}_${id}_${i}`)
        : outputs;
    const w = new MessageWriter();
    for (const i of inputs) w.string(1, i);
    for (const o of names) w.string(2, o);
    w.string(3, `${opType}_${id}`).string(4, opType);
    for (const [k, v] of Object.entries(attrs)) w.message(5, attribute(k, v));
    if (domain) w.string(7, domain);
    this.nodes.push(w.done());
    return names;
  }

  /** A single-output node; the common case. */
  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, domain = ''): string {
    return this.op(opType, inputs, attrs, 1, domain)[0]!;
  }

  /** A contrib-op node (com.microsoft domain). */
  ms(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue>,
    outputs: number | string[] = 1,
  ): string[] {
    return this.op(opType, inputs, attrs, outputs, 'com.microsoft');
  }

  initializer(name: string, t: TensorData): string {
    const proto = tensorProto(name, t);
    this.bytes += proto.length;
    this.initializers.push(proto);
    return name;
  }

  /** A float scalar initializer, added once per value however often it is asked for. */
  constFloat(value: number): string {
    const name = `const_f_${value}`;
    if (!this.scalars.has(name)) {
      this.scalars.add(name);
      this.initializer(name, { type: 'float32', dims: [], data: Float32Array.of(value) });
    }
    return name;
  }

  constInt64(values: number[], name = `const_${this.counter++}`): string {
    return this.initializer(name, {
      type: 'int64',
      dims: [values.length],
      data: BigInt64Array.from(values.map(BigInt)),
    });
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Bytes of weights held so far, to refuse graphs that protobuf cannot hold before writing them. */
  get initializerBytes(): number {
    return this.bytes;
  }

  serialize(name: string, opsets: { domain: string; version: number }[]): Encoded {
    const g = new MessageWriter();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, name);
    for (const t of this.initializers) g.message(5, t);
    for (const i of this.inputs) g.message(11, i);
    for (const o of this.outputs) g.message(12, o);
    const m = new MessageWriter().int(1, 8);
    for (const o of opsets) m.message(8, new MessageWriter().string(1, o.domain).int(2, o.version).done());
    m.string(2, 'harness');
    return m.message(7, g.done()).done();
  }
}
