/** Reads a folder tree into memory with forward-slash relative paths, in a stable order. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readTree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(root.length + 1)
        .split('\\')
        .join('/'),
    )
    .filter((path) => !path.split('/').some((part) => part === '__pycache__' || part === '.pytest_cache'))
    .sort();
  for (const path of paths) files.set(path, await readFile(join(root, path)));
  return files;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}
