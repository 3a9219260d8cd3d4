/** Moving files in and out of containers as tar archives: the daemon writes them, so no exec is needed. */
import { posix } from 'node:path';
import tar from 'tar-stream';
import { safeRelativePath } from './paths.ts';

export interface ArchiveFile {
  path: string;
  content: Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Packs files (paths relative to the extraction directory), creating parent directories with the same owner. */
export async function packFiles(files: ArchiveFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const dirs = new Set<string>();
  for (const file of files) {
    const path = safeRelativePath(file.path);
    const owner = { uid: file.uid ?? 1000, gid: file.gid ?? 1000 };
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, ...owner });
    }
    pack.entry({ name: path, mode: file.mode ?? 0o644, ...owner }, file.content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads the regular files of an archive produced by `GET /containers/{id}/archive`. Entry names start with
 * the archived path's base name: strip 1 component for a directory, 0 for a single file. A file larger
 * than maxFileBytes, or one that would take the total past maxBytes, is not kept but listed in `omitted`
 * with its size, so a caller never mistakes a file it did not copy for one that does not exist.
 */
export async function unpackFiles(
  archive: NodeJS.ReadableStream,
  maxBytes: number,
  stripComponents: number,
  maxFileBytes: number = maxBytes,
): Promise<{ files: Map<string, Buffer>; truncated: boolean; omitted: { path: string; size: number }[] }> {
  const extract = tar.extract();
  const files = new Map<string, Buffer>();
  const omitted: { path: string; size: number }[] = [];
  let total = 0;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = header.name.split('/').slice(stripComponents).join('/');
      const size = header.size ?? 0;
      const keep = header.type === 'file' && name !== '' && size <= maxFileBytes && total + size <= maxBytes;
      if (header.type === 'file' && name !== '' && !keep) omitted.push({ path: posix.normalize(name), size });
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        if (keep) chunks.push(chunk as Buffer);
      });
      stream.on('end', () => {
        if (keep) {
          files.set(posix.normalize(name), Buffer.concat(chunks));
          total += size;
        }
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  archive.pipe(extract);
  await done;
  return { files, truncated: omitted.length > 0, omitted };
}
