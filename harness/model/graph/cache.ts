/** Built graphs on disk under <cache>/graphs/, keyed by the weights' identity and the build options. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildOptions, kvCacheType, type WeightSource } from '../types.ts';
import { buildDecoderGraph, GRAPH_FORMAT } from './llama.ts';
import type { Encoded } from './protobuf.ts';

export function buildOptionsKey(opts: BuildOptions): string {
  const canonical = {
    format: GRAPH_FORMAT,
    quantization: opts.quantization,
    steerLayers: [...opts.steerLayers].sort((a, b) => a - b),
    readoutLayers: [...opts.readoutLayers].sort((a, b) => a - b),
    exactActivations: opts.exactActivations ?? false,
    kvCache: kvCacheType(opts),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 12);
}

export function graphCachePath(cacheRoot: string, weightsId: string, opts: BuildOptions): string {
  return join(
    cacheRoot,
    'graphs',
    `${weightsId.slice(0, 16)}-${opts.quantization}-f${GRAPH_FORMAT}-${buildOptionsKey(opts)}.onnx`,
  );
}

/** Graphs of these weights from older builders: hundreds of megabytes each that nothing will read. */
async function removeStale(dir: string, weightsId: string): Promise<void> {
  const prefix = `${weightsId.slice(0, 16)}-`;
  const current = `-f${GRAPH_FORMAT}-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names)
    if (name.startsWith(prefix) && name.endsWith('.onnx') && !name.includes(current))
      await rm(join(dir, name), { force: true });
}

/** Writes to a temporary file beside the target, then renames: readers never see half a graph. */
export async function writeAtomic(path: string, model: Encoded): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      out.on('error', reject);
      out.on('finish', resolve);
      for (const chunk of model.chunks) out.write(chunk);
      out.end();
    });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** The path of the graph for these weights and options, building and storing it first if needed. */
export async function cachedGraph(
  src: WeightSource,
  opts: BuildOptions,
  cacheRoot: string,
): Promise<{ path: string; built: boolean }> {
  const path = graphCachePath(cacheRoot, await src.identity(), opts);
  if (
    await stat(path).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return { path, built: false };
  await mkdir(join(cacheRoot, 'graphs'), { recursive: true });
  await removeStale(join(cacheRoot, 'graphs'), await src.identity());
  const { model } = await buildDecoderGraph(src, opts);
  await writeAtomic(path, model);
  return { path, built: true };
}
