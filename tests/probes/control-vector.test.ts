import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProbesExport } from '../../harness/cli/commands/probes-export.ts';
import { InputError } from '../../harness/errors.ts';
import { GgufFile } from '../../harness/model/gguf/index.ts';
import { controlDirections, EMOTIONS, saveVectors, writeControlVector } from '../../harness/probes/index.ts';
import { codedValue, TINY_HIDDEN, tinyModelAndVectors, tinyVectors } from './tiny-vectors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'control-vector-'));
const tiny = await tinyModelAndVectors(dir);
const HAPPINESS = EMOTIONS.indexOf('happiness');
const CALM = EMOTIONS.indexOf('calm');

async function readBack(file: string) {
  const gguf = await GgufFile.open(file);
  try {
    const tensors = new Map<string, Float32Array>();
    for (const t of gguf.tensors) {
      expect(t.type).toBe('F32');
      expect(t.dims).toEqual([TINY_HIDDEN]);
      tensors.set(t.name, await gguf.dequantize(t.name));
    }
    return { metadata: gguf.metadata, tensors };
  } finally {
    await gguf.close();
  }
}

/** c * (coded vector of `emotion` at `layer`), as float32 like the file. */
function expected(terms: [coefficient: number, emotion: number, layer: number][]): Float32Array {
  return Float32Array.from({ length: TINY_HIDDEN }, (_, i) =>
    terms.reduce((s, [c, e, l]) => s + c * Math.fround(codedValue(l, e, i)), 0),
  );
}

function rejection(error: unknown): InputError {
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return error as InputError;
}

const exportOptions = {
  modelSource: tiny.model,
  vectorsPath: tiny.vectors,
  probeLayer: null,
  steeringLayers: 4,
  seed: 1,
};

describe('control directions', () => {
  const v = (x: number) => new Float32Array(TINY_HIDDEN).fill(x);

  it('sum coefficient x vector per block, blocks in order', () => {
    const d = controlDirections(
      [
        { vector: v(1), coefficient: 2, layers: [3, 1] },
        { vector: v(0.5), coefficient: -1, layers: [3] },
      ],
      TINY_HIDDEN,
      6,
    );
    expect([...d.keys()]).toEqual([1, 3]);
    expect([...d.get(1)!]).toEqual(Array(TINY_HIDDEN).fill(2));
    expect([...d.get(3)!]).toEqual(Array(TINY_HIDDEN).fill(1.5));
  });

  it('refuse block 0 (llama.cpp never applies direction.0), blocks past the model and wrong widths', () => {
    const steer = (layers: number[], width = TINY_HIDDEN) =>
      controlDirections([{ vector: new Float32Array(width), coefficient: 1, layers }], TINY_HIDDEN, 6);
    expect(() => steer([0])).toThrow(/block 0 cannot be exported: llama.cpp never applies direction.0/);
    expect(() => steer([6])).toThrow(/block 6 does not exist; .* steers blocks 1..5/);
    expect(() => steer([2], 7)).toThrow(/has 7 values; the model's width is 8/);
  });
});

describe('the control-vector GGUF', () => {
  it('holds the llama.cpp metadata and one F32 direction.N per block, read back exactly', async () => {
    const file = path.join(dir, 'direct.gguf');
    const directions = new Map([
      [2, Float32Array.from({ length: TINY_HIDDEN }, (_, i) => i - 3.25)],
      [5, Float32Array.from({ length: TINY_HIDDEN }, (_, i) => 1e-3 * i)],
    ]);
    await writeControlVector(file, { modelHint: 'llama', name: 'calm=+1', description: 'd', directions });
    const { metadata, tensors } = await readBack(file);
    expect(metadata.get('general.architecture')).toBe('controlvector');
    expect(metadata.get('controlvector.model_hint')).toBe('llama');
    expect(metadata.get('controlvector.layer_count')).toBe(2);
    expect(metadata.get('general.name')).toBe('calm=+1');
    expect([...tensors.keys()]).toEqual(['direction.2', 'direction.5']);
    expect(tensors.get('direction.2')).toEqual(directions.get(2));
    expect(tensors.get('direction.5')).toEqual(directions.get(5));
  });

  it('is written whole or not at all: a missing directory or a directory target is refused, no leftovers', async () => {
    const one = new Map([[1, new Float32Array(TINY_HIDDEN)]]);
    const cv = { modelHint: 'llama', name: 'x', description: '', directions: one };
    const missing = path.join(dir, 'no-such-dir', 'out.gguf');
    const e1 = rejection(await writeControlVector(missing, cv).catch((e) => e));
    expect(e1.message).toMatch(/the directory .*no-such-dir does not exist/);
    const target = path.join(dir, 'a-directory');
    mkdirSync(target);
    const e2 = rejection(await writeControlVector(target, cv).catch((e) => e));
    expect(e2.message).toMatch(/it is a directory/);
    rejection(
      await writeControlVector(path.join(dir, 'empty.gguf'), { ...cv, directions: new Map() }).catch(
        (e) => e,
      ),
    );
    expect(existsSync(path.join(dir, 'empty.gguf'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('runProbesExport', () => {
  it('writes what --steer adds: the probe layer vector x c after the run blocks (probe layer on)', async () => {
    const out = path.join(dir, 'run-like.gguf');
    const result = await runProbesExport({
      ...exportOptions,
      emotions: ['happy=+1.5x', 'calm=-0.5x'],
      out,
    });
    // Validation recommends layer 2; steering.layers = 4 -> blocks 2..5, all with layer 2's vectors.
    expect(result.blocks).toEqual([2, 3, 4, 5]);
    expect(result.vectorLayer).toBe(2);
    expect(result.steer.map((s) => [s.name, s.coefficient])).toEqual([
      ['happiness', 1.5],
      ['calm', -0.5],
    ]);
    const { metadata, tensors } = await readBack(out);
    expect(metadata.get('controlvector.model_hint')).toBe('llama');
    expect(metadata.get('general.name')).toBe('happiness=+1.5x&calm=-0.5x');
    expect(metadata.get('controlvector.layer_count')).toBe(4);
    const want = expected([
      [1.5, HAPPINESS, 2],
      [-0.5, CALM, 2],
    ]);
    for (const b of [2, 3, 4, 5]) {
      const got = tensors.get(`direction.${b}`)!;
      for (let i = 0; i < TINY_HIDDEN; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
    }
    // s = c |v| / mean |h| at the vector's layer (mean |h| of layer 2 is 30 in the fixture).
    const vNorm = Math.hypot(...Array.from({ length: TINY_HIDDEN }, (_, i) => codedValue(2, HAPPINESS, i)));
    expect(result.steer[0]!.strength).toBeCloseTo((1.5 * vNorm) / 30, 5);
    // sd = c |v| / neutral sd (the fixture's sd at layer 2 is 1 + 2 + emotion index / 100).
    expect(result.steer[0]!.sd).toBeCloseTo((1.5 * vNorm) / (3 + HAPPINESS / 100), 5);
  });

  it("with --vector-layer each, direction.L is layer L's own vector: our layer L is llama.cpp's block L", async () => {
    const out = path.join(dir, 'each.gguf');
    const result = await runProbesExport({
      ...exportOptions,
      emotions: ['happiness=1x'],
      layers: [1, 2, 3, 4],
      vectorLayer: 'each',
      out,
    });
    expect(result.blocks).toEqual([1, 2, 3, 4]);
    const { tensors } = await readBack(out);
    expect([...tensors.keys()]).toEqual(['direction.1', 'direction.2', 'direction.3', 'direction.4']);
    for (const l of [1, 2, 3, 4]) {
      const got = tensors.get(`direction.${l}`)!;
      const want = expected([[1, HAPPINESS, l]]);
      for (let i = 0; i < TINY_HIDDEN; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
    }
  });

  it('refuses unknown emotions, layers the vectors file lacks, and vectors of another model', async () => {
    const out = path.join(dir, 'refused.gguf');
    const unknown = rejection(
      await runProbesExport({ ...exportOptions, emotions: ['joy'], out }).catch((e) => e),
    );
    expect(unknown.message).toMatch(/unknown steering vector "joy"; valid names: desperation, calm, fear/);
    const noLayer = rejection(
      await runProbesExport({ ...exportOptions, emotions: ['calm'], vectorLayer: 'each', out }).catch(
        (e) => e,
      ),
    );
    expect(noLayer.message).toMatch(/has no layer 5; it has 1, 2, 3, 4/);
    const other = path.join(dir, 'other-model.json');
    saveVectors(other, tinyVectors('c'.repeat(64), [1, 2, 3, 4]));
    const foreign = rejection(
      await runProbesExport({ ...exportOptions, vectorsPath: other, emotions: ['calm'], out }).catch(
        (e) => e,
      ),
    );
    expect(foreign.message).toContain(`built for the model with sha256 ${'c'.repeat(64)}`);
    expect(foreign.message).toContain(tiny.sha256);
    expect(existsSync(out)).toBe(false);
  });
});
