import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedGraph, graphCachePath } from '../../../harness/model/graph/cache.ts';
import { graphMaxPositions } from '../../../harness/model/graph/llama.ts';
import { DecoderSession } from '../../../harness/model/session.ts';
import type { BuildOptions } from '../../../harness/model/types.ts';
import { tinyConfig, tinyWeights } from '../tiny-model.ts';

const BUILD: BuildOptions = { quantization: 'fp32', steerLayers: [], readoutLayers: [] };
const config = tinyConfig();
/** The real load: an onnxruntime session over the file. */
const session = (build: BuildOptions) => (path: string) =>
  DecoderSession.create(path, config, build, graphMaxPositions(config));

describe('the graph cache', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  const newRoot = () => {
    const root = mkdtempSync(join(tmpdir(), 'graph-cache-'));
    roots.push(root);
    return root;
  };

  it('builds once, then reuses; a new build removes graphs of the same weights from older builders', async () => {
    const root = newRoot();
    const w = tinyWeights(config, 5);
    const id = (await w.identity()).slice(0, 16);
    const first = await cachedGraph(w, BUILD, root, session(BUILD));
    expect(first.built).toBe(true);
    const again = await cachedGraph(w, BUILD, root, session(BUILD));
    expect({ path: again.path, built: again.built }).toEqual({ path: first.path, built: false });

    const dir = join(root, 'graphs');
    writeFileSync(join(dir, `${id}-q4-0123456789ab.onnx`), 'a graph from an older builder');
    writeFileSync(join(dir, `ffffffffffffffff-q4-f1-0123456789ab.onnx`), 'another model');
    const readout = { ...BUILD, readoutLayers: [0] };
    const other = await cachedGraph(w, readout, root, session(readout));
    expect(other.built).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      [first.path, other.path, join(dir, 'ffffffffffffffff-q4-f1-0123456789ab.onnx')]
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    );
  });

  it('caches a graph only once it loads: a build that does not load leaves nothing in the cache', async () => {
    const root = newRoot();
    const w = tinyWeights(config, 6);
    let loadedFrom = '';
    const refuse = async (path: string) => {
      loadedFrom = path;
      throw new Error('the session refused the graph');
    };
    await expect(cachedGraph(w, BUILD, root, refuse)).rejects.toThrow('the session refused the graph');
    // It was loaded from a temporary name, never the cache's.
    expect(loadedFrom).toMatch(/\.tmp$/);
    expect(readdirSync(join(root, 'graphs'))).toEqual([]);
  });

  it('a cached graph that does not load is removed and built again', async () => {
    const root = newRoot();
    const w = tinyWeights(config, 7);
    const path = graphCachePath(root, await w.identity(), BUILD);
    mkdirSync(join(root, 'graphs'));
    writeFileSync(path, 'half a graph from a build that was killed');
    const result = await cachedGraph(w, BUILD, root, session(BUILD));
    expect(result.built).toBe(true);
    expect(result.loaded).toBeInstanceOf(DecoderSession);
    expect(statSync(path).size).toBeGreaterThan(1000);
    expect(readdirSync(join(root, 'graphs'))).toEqual([path.slice(join(root, 'graphs').length + 1)]);
  });
});
