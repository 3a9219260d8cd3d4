/** A GGUF file as the runtime's weight source and text codec. */
import { InputError } from '../errors.ts';
import { describeArchitecture, GgufFile } from './gguf/index.ts';
import { decoderTensorShapes } from './memory-weights.ts';
import { Tokenizer, textCodec } from './tokenizer/index.ts';
import type { DecoderConfig, TextCodec, WeightSource } from './types.ts';

export interface OpenedModel {
  weights: WeightSource;
  codec: TextCodec;
  sha256: string;
  /** The tensor type holding most of the file's weights (e.g. Q4_1), for records. */
  fileQuantization: string;
  close(): Promise<void>;
}

/**
 * The file's tensors, dequantized on demand, under its declared decoder hyperparameters. Every tensor
 * the decoder reads must be present with the shape those hyperparameters imply; otherwise InputError
 * naming the file and the tensor, before any graph is built from it.
 */
export async function ggufWeights(file: GgufFile): Promise<WeightSource> {
  const config: DecoderConfig = describeArchitecture(file);
  checkTensorShapes(file, config);
  const sha256 = await file.sha256();
  return {
    config,
    has: (name) => file.has(name),
    f32: (name) => file.dequantize(name),
    storedType: (name) => (file.has(name) ? file.tensor(name).type : undefined),
    storedBytes: (name) => file.raw(name),
    identity: async () => sha256,
  };
}

function checkTensorShapes(file: GgufFile, c: DecoderConfig): void {
  const declared = `width ${c.embeddingLength}, ${c.headCount} query / ${c.headCountKv} key-value heads of ${c.headDim}, feed-forward ${c.feedForwardLength}, vocabulary ${c.vocabSize}`;
  for (const [name, shape] of decoderTensorShapes(c)) {
    if (!file.has(name))
      throw new InputError(
        `${file.path}: tensor ${name} is missing (a ${c.architecture} decoder of ${c.blockCount} blocks reads it)`,
      );
    // GGUF lists dimensions fastest-varying first: the reverse of the row-major shape.
    const expected = [...shape].reverse();
    const dims = file.tensor(name).dims;
    if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i]))
      throw new InputError(
        `${file.path}: tensor ${name} has dimensions [${dims.join(', ')}], expected [${expected.join(', ')}] from the file's hyperparameters (${declared})`,
      );
  }
}

export async function openGguf(path: string): Promise<OpenedModel> {
  const file = await GgufFile.open(path);
  try {
    const weights = await ggufWeights(file);
    const sha256 = await weights.identity();
    const counts = new Map<string, number>();
    for (const t of file.tensors) counts.set(t.type, (counts.get(t.type) ?? 0) + t.elementCount);
    const fileQuantization = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
    const codec = textCodec(Tokenizer.fromGguf(file));
    return { weights, codec, sha256, fileQuantization, close: () => file.close() };
  } catch (error) {
    await file.close();
    throw error;
  }
}
