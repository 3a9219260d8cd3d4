/**
 * Writes a command's output files all or nothing: every file goes to a temporary name in its own directory
 * first and is renamed into place only when all were written, so a failure leaves no half-written report.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';

/** Throws InputError naming the file that could not be written (a missing or read-only directory, a full disk). */
export async function writeOutputs(files: readonly { path: string; content: string }[]): Promise<void> {
  const temps: string[] = [];
  for (const file of files) {
    const temp = `${file.path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(file.path), { recursive: true });
      temps.push(temp);
      await writeFile(temp, file.content);
    } catch (error) {
      await Promise.all(temps.map((t) => rm(t, { force: true })));
      throw new InputError(`cannot write ${file.path}: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const [i, file] of files.entries()) await rename(temps[i]!, file.path);
}
