/** A GGUF file as the runtime's weight source and text codec. */
import { describeArchitecture, GgufFile } from './gguf/index.ts';
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

/** The file's tensors, dequantized on demand, under its declared decoder hyperparameters. */
export async function ggufWeights(file: GgufFile): Promise<WeightSource> {
  const config: DecoderConfig = describeArchitecture(file);
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
