/**
 * `harness model generate --steer` through the real CLI on the default model: a named emotion adds exactly
 * what the same vector given as a file adds, at the blocks `run` steers; bad terms exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../../harness/model/gguf/index.ts';
import { EMOTIONS, getVector, saveVectors, validationPaths } from '../../harness/probes/index.ts';
import { tinyVectors } from '../probes/tiny-vectors.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../support/model.ts';
import { harness } from './support.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'model-generate-'));
const GREEDY = [
  'model',
  'generate',
  '--prompt',
  'The weather today is',
  '--temperature',
  '0',
  '--max-tokens',
  '12',
];

/** Position-coded vectors for the default model at layer 21, which a validation report beside them recommends. */
async function defaultModelVectors(): Promise<string> {
  requireDefaultModel();
  const file = path.join(dir, 'vectors.json');
  const vectors = tinyVectors(await sha256File(DEFAULT_MODEL_PATH), [21], { hidden: 576, layerCount: 30 });
  saveVectors(file, vectors);
  writeFileSync(validationPaths(file).json, JSON.stringify({ recommendedLayer: 21 }));
  const happy = path.join(dir, 'happy.json');
  writeFileSync(happy, JSON.stringify(Array.from(getVector(vectors, 'happiness', 21))));
  return file;
}

describe('harness model generate --steer', () => {
  it('NAME=C adds the emotion vector after the blocks `run` steers, exactly as FILE=C does', async () => {
    const vectors = await defaultModelVectors();
    const plain = await harness(GREEDY);
    const named = await harness([
      '--set',
      'steering.layers=3',
      ...GREEDY,
      '--vectors',
      vectors,
      '--steer',
      'happy=+0.02x',
    ]);
    expect(named.exitCode).toBe(0);
    expect(named.stderr).toMatch(
      /steering happiness \+\d+\.\d\d sd = \+\d+\.\d\d % of mean \|h\| = \+0\.020x \(layer 21's vector\) after blocks 21, 22, 23/,
    );
    const file = await harness([
      ...GREEDY,
      '--steer',
      `${path.join(dir, 'happy.json')}=0.02`,
      '--steer-layers',
      '21,22,23',
    ]);
    expect(file.exitCode).toBe(0);
    expect(file.stderr).toContain('after blocks 21, 22, 23');
    expect(named.stdout.length).toBeGreaterThan(10);
    expect(named.stdout).toBe(file.stdout);
    expect(named.stdout).not.toBe(plain.stdout);
  });

  it('an unknown name that is no file exits 2, lists the valid names and prints no reply', async () => {
    requireDefaultModel();
    const r = await harness([...GREEDY, '--steer', 'hopeful=+1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown steering vector "hopeful"');
    for (const e of EMOTIONS) expect(r.stderr).toContain(e);
    expect(r.stdout).toBe('');
  });

  it('a vector file of the wrong width exits 2 saying both widths', async () => {
    requireDefaultModel();
    const short = path.join(dir, 'short.json');
    writeFileSync(short, JSON.stringify([1, 2, 3]));
    const r = await harness([...GREEDY, '--steer', `${short}=1`]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/has 3 values; the model's width is 576/);
  });
});
