/**
 * llama.cpp's own quantizer (llama_model_quantize, as the llama-quantize tool runs it) called in the
 * libllama that node-llama-cpp ships, through koffi: test files get exactly the tensor types a user's
 * Q4_K_M or Q6_K download has, including the per-tensor fallbacks (Q5_0, Q8_0, Q6_K) for widths that are
 * not multiples of 256.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';

/** llama.h's llama_ftype values for the file types the tests make. */
export const FILE_TYPES = { F16: 1, Q8_0: 7, Q4_K_M: 15, Q6_K: 18 } as const;
export type FileType = keyof typeof FILE_TYPES;

interface Quantizer {
  quantize(input: string, output: string, params: unknown): number;
  defaults(): Record<string, unknown>;
}

let loaded: Quantizer | undefined;

function libllamaPath(): string {
  const dir = fileURLToPath(
    new URL(
      `../../node_modules/@node-llama-cpp/${process.platform}-${process.arch}/bins/${process.platform}-${process.arch}`,
      import.meta.url,
    ),
  );
  const name = readdirSync(dir).find((f) => /^libllama(\.v[\d.]+)?\.so$/.test(f));
  if (!name) throw new Error(`no libllama in ${dir}`);
  return join(dir, name);
}

function quantizer(): Quantizer {
  if (loaded) return loaded;
  const lib = koffi.load(libllamaPath());
  // llama.h, struct llama_model_quantize_params, at the llama.cpp release node-llama-cpp bundles.
  const Params = koffi.struct('llama_model_quantize_params', {
    nthread: 'int32_t',
    ftype: 'int',
    output_tensor_type: 'int',
    token_embedding_type: 'int',
    allow_requantize: 'bool',
    quantize_output_tensor: 'bool',
    only_copy: 'bool',
    pure: 'bool',
    keep_split: 'bool',
    dry_run: 'bool',
    imatrix: 'void *',
    kv_overrides: 'void *',
    tt_overrides: 'void *',
    prune_layers: 'void *',
    max_buf_size: 'size_t',
  });
  const defaults = lib.func('llama_model_quantize_default_params', Params, []);
  const quantize = lib.func('llama_model_quantize', 'uint32_t', ['str', 'str', koffi.pointer(Params)]);
  loaded = { quantize: (i, o, p) => quantize(i, o, p) as number, defaults: () => defaults() };
  return loaded;
}

/** Writes `output` as llama-quantize would from the F32/F16 GGUF `input`. */
export function llamaQuantize(input: string, output: string, type: FileType, threads = 2): void {
  const q = quantizer();
  const params = { ...q.defaults(), ftype: FILE_TYPES[type], nthread: threads };
  const status = q.quantize(input, output, params);
  if (status !== 0) throw new Error(`llama_model_quantize ${input} -> ${type} failed with status ${status}`);
}
