import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedGraph } from '../../../harness/model/graph/cache.ts';
import type { BuildOptions } from '../../../harness/model/types.ts';
import { tinyConfig, tinyWeights } from '../tiny-model.ts';

const BUILD: BuildOptions = { quantization: 'fp32', steerLayers: [], readoutLayers: [] };

describe('the graph cache', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  it('builds once, then reuses; a new build removes graphs of the same weights from older builders', async () => {
    const root = mkdtempSync(join(tmpdir(), 'graph-cache-'));
    roots.push(root);
    const w = tinyWeights(tinyConfig(), 5);
    const id = (await w.identity()).slice(0, 16);
    const first = await cachedGraph(w, BUILD, root);
    expect(first.built).toBe(true);
    expect(await cachedGraph(w, BUILD, root)).toEqual({ path: first.path, built: false });

    const dir = join(root, 'graphs');
    writeFileSync(join(dir, `${id}-q4-0123456789ab.onnx`), 'a graph from an older builder');
    writeFileSync(join(dir, `ffffffffffffffff-q4-f1-0123456789ab.onnx`), 'another model');
    const other = await cachedGraph(w, { ...BUILD, readoutLayers: [0] }, root);
    expect(other.built).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      [first.path, other.path, join(dir, 'ffffffffffffffff-q4-f1-0123456789ab.onnx')]
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    );
  });
});
