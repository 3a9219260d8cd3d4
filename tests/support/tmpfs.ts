/**
 * Small tmpfs mounts for tests of full and read-only file systems (`mount` needs root, which CI and the
 * README's setup run as). A test that needs one fails loudly when it cannot be made.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, fstatSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeKb` KiB on a fresh directory, read-only when asked. */
export async function mountTmpfs(sizeKb: number, options: { readOnly?: boolean } = {}): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), 'tmpfs-'));
  const flags = `size=${sizeKb}k${options.readOnly ? ',ro' : ''}`;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `cannot mount a tmpfs on ${dir} (these tests need root): ${(error as { stderr?: Buffer }).stderr ?? error}`,
    );
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fills the file system holding `dir` with one file, then frees `leaveBytes` (rounded to whole 4 KiB
 * pages, tmpfs's unit) so exactly that much room is left. Returns the filler's path.
 */
export function fill(dir: string, leaveBytes = 0): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const page = Buffer.alloc(4096, 0x61);
  try {
    for (;;) {
      try {
        if (writeSync(fd, page) < page.length) break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
    const size = fstatSync(fd).size;
    const pages = Math.ceil(leaveBytes / 4096);
    ftruncateSync(fd, Math.max(0, Math.floor(size / 4096) - pages) * 4096);
  } finally {
    closeSync(fd);
  }
  return path;
}
