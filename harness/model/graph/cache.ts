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

/**
 * Writes to a temporary file beside `path`, lets `check` load it from there, and only then renames it:
 * readers never see half a graph, nor one that does not load. Returns what `check` returned.
 */
export async function writeAtomic<T>(
  path: string,
  model: Encoded,
  check: (tmp: string) => Promise<T>,
): Promise<T> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      out.on('error', reject);
      out.on('finish', resolve);
      for (const chunk of model.chunks) out.write(chunk);
      out.end();
    });
    const checked = await check(tmp);
    await rename(tmp, path);
    return checked;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * The graph for these weights and options, loaded by `load` (e.g. into an inference session). A cached
 * graph is loaded from the cache; otherwise the graph is built, loaded from a temporary file and only
 * then cached, so a graph that does not load is never cached and a failed build leaves nothing behind. A
 * cached graph that no longer loads (from an interrupted or faulty earlier build) is removed and built
 * again; when the new one does not load either, that error is thrown.
 */
export async function cachedGraph<T>(
  src: WeightSource,
  opts: BuildOptions,
  cacheRoot: string,
  load: (path: string) => Promise<T>,
): Promise<{ path: string; built: boolean; loaded: T }> {
  const path = graphCachePath(cacheRoot, await src.identity(), opts);
  const cached = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
  if (cached) {
    try {
      return { path, built: false, loaded: await load(path) };
    } catch {
      await rm(path, { force: true });
    }
  }
  await mkdir(join(cacheRoot, 'graphs'), { recursive: true });
  await removeStale(join(cacheRoot, 'graphs'), await src.identity());
  const { model } = await buildDecoderGraph(src, opts);
  const loaded = await writeAtomic(path, model, load);
  return { path, built: true, loaded };
}
