/** GGUF: read headers and tensors, dequantize ggml blocks, write test files, read decoder hyperparameters. */
export { dequantizeBlocks } from './dequantize.ts';
export { GgufFile, sha256File } from './file.ts';
export { bf16ToFloat, floatToHalf, halfToFloat } from './half.ts';
export {
  describeArchitecture,
  type LlamaHyperparams,
  type RopeScaling,
  SUPPORTED_ARCHITECTURES,
} from './hparams.ts';
export { type QuantizableType, quantizeBlocks } from './quantize.ts';
export {
  byteLengthOf,
  GGML_TYPES,
  type GgmlType,
  type GgufMetaType,
  type GgufScalarType,
  type GgufTensorInfo,
  type GgufValue,
} from './types.ts';
export {
  type GgufMetaEntry,
  type GgufMetaInput,
  type GgufTensorInput,
  type GgufWriteInput,
  writeGguf,
} from './writer.ts';
