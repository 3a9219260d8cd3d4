import path from 'node:path';

/** Where the vectors of a model live in the harness cache: one file per model sha256. */
export function defaultVectorsPath(cacheRoot: string, modelSha256: string): string {
  return path.join(cacheRoot, 'vectors', `${modelSha256.toLowerCase()}.json`);
}
