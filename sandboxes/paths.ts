import { posix } from 'node:path';
import { InputError } from '../harness/errors.ts';

/**
 * Normalises a workspace-relative path named by a model or a task and refuses any that would leave the
 * workspace: absolute paths, `..` segments that climb out, NUL bytes, empty names.
 */
export function safeRelativePath(path: string): string {
  if (path.includes('\0')) throw new InputError(`path ${JSON.stringify(path)} contains a NUL byte`);
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/')) {
    throw new InputError(
      `expected a path relative to the workspace, received absolute ${JSON.stringify(path)}`,
    );
  }
  const normal = posix.normalize(slashed).replace(/\/+$/, '');
  if (normal === '' || normal === '.' || normal === '..' || normal.startsWith('../')) {
    throw new InputError(`path ${JSON.stringify(path)} does not name a file inside the workspace`);
  }
  return normal;
}

/** True when safeRelativePath would accept the path. */
export function isSafeRelativePath(path: string): boolean {
  try {
    safeRelativePath(path);
    return true;
  } catch {
    return false;
  }
}
