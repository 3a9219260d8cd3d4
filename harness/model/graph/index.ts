/** ONNX graphs of Llama-family decoders: protobuf writing, the builder, 4-bit weights, rotary tables, disk cache. */
export { buildOptionsKey, cachedGraph, graphCachePath, writeAtomic } from './cache.ts';
export {
  type BuiltGraph,
  buildDecoderGraph,
  GRAPH_FORMAT,
  graphMaxPositions,
  MAX_POSITIONS,
} from './llama.ts';
export { type AttrValue, type ElemType, GraphBuilder, PROTOBUF_LIMIT, type TensorData } from './onnx.ts';
export { type Encoded, MessageWriter } from './protobuf.ts';
export {
  dequantizeQ4,
  dequantizeQ8,
  offsetsTransposed,
  Q4_BLOCK,
  type Q4Weight,
  type Q8Weight,
  quantizeQ4,
  quantizeQ8,
} from './quantize4.ts';
export { inverseFrequencies, rotaryCaches, rotaryInterleaved } from './rope.ts';
