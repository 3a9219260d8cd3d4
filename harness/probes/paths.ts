import { existsSync } from 'node:fs';
import path from 'node:path';
import { PrerequisiteError } from '../errors.ts';
import { type EmotionVectors, loadVectors } from './vectors-file.ts';

/** Where the vectors of a model live in the harness cache: one file per model sha256. */
export function defaultVectorsPath(cacheRoot: string, modelSha256: string): string {
  return path.join(cacheRoot, 'vectors', `${modelSha256.toLowerCase()}.json`);
}

/**
 * The vectors of a model: from `explicit` when given (a bad file is the user's input error), else from the
 * cache, where a missing file means `probes build` has not run for this model.
 */
export function vectorsForModel(
  explicit: string | undefined,
  modelSha256: string,
  cacheRoot: string,
): { vectors: EmotionVectors; path: string } {
  const file = explicit ?? defaultVectorsPath(cacheRoot, modelSha256);
  if (!explicit && !existsSync(file))
    throw new PrerequisiteError(
      `no emotion vectors for this model (sha256 ${modelSha256.slice(0, 12)}...) at ${file}`,
      'run `bin/harness probes build` (setup does this for the default model), or name a vectors file',
    );
  return { vectors: loadVectors(file, { modelSha256 }), path: file };
}
