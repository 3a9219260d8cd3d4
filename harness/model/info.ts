/** A summary of a GGUF model for `harness model info`: shape, quantization, size and hash. */
import { stat } from 'node:fs/promises';
import { describeArchitecture, GgufFile, type GgmlType, SUPPORTED_ARCHITECTURES } from './gguf/index.ts';
import { FORM_DESCRIPTIONS, matrixForm, tableForm } from './graph/precision.ts';

export interface ModelInfo {
  path: string;
  name?: string;
  architecture: string;
  /** Whether the graph builder can run this architecture. */
  supported: boolean;
  layers?: number;
  width?: number;
  feedForward?: number;
  heads?: { q: number; kv: number };
  headDim?: number;
  vocabSize?: number;
  contextLength?: number;
  /** The tensor type holding the most weights. */
  quantization: GgmlType;
  tensorTypes: Partial<Record<GgmlType, number>>;
  /**
   * How the default graph holds the file's weights, per stored type of its matrices (e.g. "Q4_K") and for
   * the embedding table and output head ("token_embd.weight (Q8_0)").
   */
  graphForms: Record<string, string>;
  parameters: number;
  sizeBytes: number;
  sha256: string;
}

export async function modelInfo(path: string): Promise<ModelInfo> {
  const f = await GgufFile.open(path);
  try {
    const architecture = f.require<string>('general.architecture');
    const supported = (SUPPORTED_ARCHITECTURES as readonly string[]).includes(architecture);
    const counts: Partial<Record<GgmlType, number>> = {};
    const weights = new Map<GgmlType, number>();
    for (const t of f.tensors) {
      counts[t.type] = (counts[t.type] ?? 0) + 1;
      weights.set(t.type, (weights.get(t.type) ?? 0) + t.elementCount);
    }
    const dominant = [...weights].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'F32';
    const graphForms: Record<string, string> = {};
    for (const t of f.tensors) {
      if (t.dims.length < 2) continue;
      if (t.name === 'token_embd.weight' || t.name === 'output.weight')
        graphForms[`${t.name} (${t.type})`] = FORM_DESCRIPTIONS[tableForm(t.type)];
      else graphForms[t.type] = FORM_DESCRIPTIONS[matrixForm(t.type)];
    }
    const shape = supported ? describeArchitecture(f) : undefined;
    return {
      path,
      name: f.get<string>('general.name'),
      architecture,
      supported,
      layers: shape?.blockCount ?? f.get<number>(`${architecture}.block_count`),
      width: shape?.embeddingLength ?? f.get<number>(`${architecture}.embedding_length`),
      feedForward: shape?.feedForwardLength,
      heads: shape && { q: shape.headCount, kv: shape.headCountKv },
      headDim: shape?.headDim,
      vocabSize: shape?.vocabSize ?? f.get<string[]>('tokenizer.ggml.tokens')?.length,
      contextLength: shape?.contextLength ?? f.get<number>(`${architecture}.context_length`),
      quantization: dominant,
      tensorTypes: counts,
      graphForms,
      parameters: [...weights.values()].reduce((a, b) => a + b, 0),
      sizeBytes: (await stat(path)).size,
      sha256: await f.sha256(),
    };
  } finally {
    await f.close();
  }
}
