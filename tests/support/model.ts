import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, DEFAULT_MODEL } from '../../harness/model/fetch.ts';

/** The default model in the cache. `bin/harness setup` (and so CI) puts it there. */
export const DEFAULT_MODEL_PATH = join(cacheRoot(), 'models', DEFAULT_MODEL.fileName);

/** Fails the calling suite, saying what is missing, when the default model was never pulled. */
export function requireDefaultModel(): string {
  if (!existsSync(DEFAULT_MODEL_PATH)) {
    throw new Error(`the default model is missing at ${DEFAULT_MODEL_PATH}: run \`bin/harness setup\` first`);
  }
  return DEFAULT_MODEL_PATH;
}
