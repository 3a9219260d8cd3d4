/**
 * Steering exported as a llama.cpp control vector: a GGUF file (general.architecture "controlvector")
 * holding one F32 tensor `direction.N` of the model's width per steered block, loaded there with
 * `--control-vector-scaled FILE:SCALE`.
 *
 * Block numbering: llama.cpp adds direction.N to the output of block N (0-based; `build_cvec(cur, il)`
 * runs after the feed-forward residual add, on the tensor it names l_out), and its loader rejects
 * direction.0. Our layer L is the residual after block L, where `--steer` adds c * v, so block L is
 * written as direction.L and block 0 cannot be exported. llama.cpp's own cvector-generator names the
 * vector it measured after block N-1 direction.N; its files are one block off this mapping.
 */
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { writeGguf } from '../model/gguf/index.ts';

/** One steering term as the model receives it: coefficient * vector added after each listed block. */
export interface ControlTerm {
  vector: Float32Array;
  coefficient: number;
  layers: readonly number[];
}

export interface ControlVector {
  /** The architecture of the model the vector was built in (llama.cpp shows it; it does not check it). */
  modelHint: string;
  /** What the file steers, e.g. "happiness=+1". */
  name: string;
  /** A sentence for a reader of the file: units, source layer, model hash. */
  description: string;
  /** Block -> the sum of coefficient * vector added after it. */
  directions: ReadonlyMap<number, Float32Array>;
}

/** Per block, the sum of coefficient * vector over the terms: exactly what the harness adds there. */
export function controlDirections(
  terms: readonly ControlTerm[],
  hidden: number,
  layerCount: number,
): Map<number, Float32Array> {
  const sums = new Map<number, Float64Array>();
  for (const term of terms) {
    if (term.vector.length !== hidden)
      throw new InputError(
        `a steering vector has ${term.vector.length} values; the model's width is ${hidden}`,
      );
    for (const layer of term.layers) {
      if (!Number.isInteger(layer) || layer < 1 || layer >= layerCount)
        throw new InputError(
          layer === 0
            ? 'block 0 cannot be exported: llama.cpp never applies direction.0; choose blocks from 1'
            : `block ${layer} does not exist; a control vector for this model steers blocks 1..${layerCount - 1}`,
        );
      const sum = sums.get(layer) ?? new Float64Array(hidden);
      for (let i = 0; i < hidden; i++) sum[i]! += term.coefficient * term.vector[i]!;
      sums.set(layer, sum);
    }
  }
  const blocks = [...sums.keys()].sort((a, b) => a - b);
  return new Map(blocks.map((b) => [b, Float32Array.from(sums.get(b)!)]));
}

async function requireDirectory(dir: string, target: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new InputError(`cannot write ${target}: the directory ${dir} does not exist`);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(`cannot write ${target}: it is a directory`);
}

/**
 * Writes the control vector to a temporary file beside `path`, then renames it into place: a failed
 * write leaves nothing, and an existing file is replaced only by a complete one.
 */
export async function writeControlVector(path: string, cv: ControlVector): Promise<void> {
  if (cv.directions.size === 0) throw new InputError('a control vector needs at least one steered block');
  const dir = dirname(path);
  await requireDirectory(dir, path);
  let staging: string | undefined;
  try {
    staging = await mkdtemp(join(dir, `.${basename(path)}.`));
    const temp = join(staging, 'control-vector.gguf');
    await writeGguf(temp, {
      metadata: {
        'general.architecture': 'controlvector',
        'general.name': cv.name,
        'general.description': cv.description,
        'controlvector.model_hint': cv.modelHint,
        'controlvector.layer_count': { type: 'i32', value: cv.directions.size },
      },
      tensors: [...cv.directions].map(([block, direction]) => ({
        name: `direction.${block}`,
        dims: [direction.length],
        type: 'F32' as const,
        data: direction,
      })),
    });
    await rename(temp, path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}
