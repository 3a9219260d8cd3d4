/** The harness's cache folder: models, graphs, probe vectors, collected test ids. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$HARNESS_CACHE`, else `~/.cache/harness`. */
export function cacheRoot(): string {
  return process.env.HARNESS_CACHE ?? join(homedir(), '.cache', 'harness');
}
