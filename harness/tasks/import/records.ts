/**
 * Records of a dataset export, read from JSON Lines or Apache Parquet (by the file's magic bytes, not its
 * name). Parquet is read with hyparquet. Each record keeps where it came from (`file:line` or
 * `file#row`) so a problem with it can be named.
 */
import { open, readFile } from 'node:fs/promises';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { InputError } from '../../errors.ts';

export interface SourceRecord {
  /** `file:line` (JSON Lines, 1-based) or `file#row` (Parquet, 0-based). */
  where: string;
  value: unknown;
}

async function isParquet(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === 'PAR1';
  } finally {
    await handle.close();
  }
}

async function readParquet(path: string): Promise<SourceRecord[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  } catch (error) {
    throw new InputError(
      `${path}: expected a readable Parquet file, the reader failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return rows.map((value, row) => ({ where: `${path}#${row}`, value }));
}

async function readJsonLines(path: string): Promise<SourceRecord[]> {
  const text = await readFile(path, 'utf8');
  const records: SourceRecord[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      records.push({ where: `${path}:${index + 1}`, value: JSON.parse(line) });
    } catch (error) {
      throw new InputError(
        `${path}:${index + 1}: expected one JSON object per line (JSON Lines) or a Parquet file, received a line that is not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  return records;
}

/** Every record of the files, in file order. A missing or unreadable file is an InputError. */
export async function readRecords(paths: string[]): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for (const path of paths) {
    try {
      await open(path, 'r').then((h) => h.close());
    } catch {
      throw new InputError(`${path}: expected a JSON Lines or Parquet file, found no readable file`);
    }
    records.push(...((await isParquet(path)) ? await readParquet(path) : await readJsonLines(path)));
  }
  if (records.length === 0) throw new InputError(`${paths.join(', ')}: expected records, found none`);
  return records;
}
