/**
 * The locally hosted model: GGUF files, tokenizer, ONNX graph, and the runtime that generates with
 * steering and residual readout.
 */
export * from './gguf/index.ts';
export * from './tokenizer/index.ts';
export * from './graph/index.ts';
export { type BenchOptions, type BenchResult, benchSession } from './bench.ts';
export {
  cacheRoot,
  DEFAULT_MODEL,
  modelsDir,
  type PullOptions,
  type PullResult,
  pullModel,
  resolveModelPath,
} from './fetch.ts';
export {
  type ChatMessage as GenerateMessage,
  EosCriterion,
  type GenerateRequest,
  type GenerateResult,
  type LayerReadings,
  MaxTokensCriterion,
  type ReplyState,
  type SteerSpec,
  type StopReason,
  type StoppingCriterion,
  StopSequenceCriterion,
} from './generation.ts';
export { type ModelInfo, modelInfo } from './info.ts';
export { KvCache } from './kv-cache.ts';
export { type LoadOptions, LocalModel, type ModelIdentity } from './local-model.ts';
export { decoderTensorShapes, MemoryWeights, requantizedWeights } from './memory-weights.ts';
export { ggufWeights, type OpenedModel, openGguf } from './open-gguf.ts';
export { type ReferenceOptions, ReferenceModel, type ReferenceResult } from './reference.ts';
export { ModelRuntime } from './runtime.ts';
export {
  argmax,
  checkSeed,
  checkTemperature,
  checkTopK,
  checkTopP,
  type LogitsProcessor,
  maskNonFinite,
  Rng,
  SAMPLING_RANGES,
  Sampler,
  type SamplingParams,
  softmax,
  TemperatureProcessor,
  TopKProcessor,
  TopPProcessor,
} from './sampling.ts';
export { DecoderSession, PREFILL_CHUNK, type StepInput, type StepOutput } from './session.ts';
export { readSteerFile } from './steer-file.ts';
export {
  type BuildOptions,
  type DecoderConfig,
  GRAPH_IO,
  type Quantization,
  type RopeScaling as DecoderRopeScaling,
  type TextCodec,
  type WeightSource,
} from './types.ts';
