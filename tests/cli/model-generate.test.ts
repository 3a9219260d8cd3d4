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

describe('harness model generate: sampling flags and broken logits', () => {
  it('flags outside the ranges of the config schema exit 2 before the model loads, saying what was expected', async () => {
    const cases: [string[], string][] = [
      [['--temperature', '-1'], '--temperature expects a number from 0 to 2 (0 = greedy), received -1'],
      [['--temperature', '2.5'], '--temperature expects a number from 0 to 2 (0 = greedy), received 2.5'],
      [['--top-p', '0'], '--top-p expects a number above 0 and at most 1, received 0'],
      [['--top-k', '-3'], '--top-k expects an integer of at least 1, received -3'],
      [['--top-k', '0'], '--top-k expects an integer of at least 1, received 0'],
    ];
    const results = await Promise.all(
      cases.map(([flags]) =>
        harness(['model', 'generate', '--prompt', 'Hi', ...flags, '--model', '/nonexistent.gguf']),
      ),
    );
    for (const [i, [flags, message]] of cases.entries()) {
      expect(results[i]!.exitCode, flags.join(' ')).toBe(2);
      expect(results[i]!.stderr).toContain(message);
      expect(results[i]!.stdout).toBe('');
    }
  });

  it('--stop never streams the beginning of the stop sequence', async () => {
    requireDefaultModel();
    const args = [
      'model',
      'generate',
      '--prompt',
      'A B C D E F G',
      '--temperature',
      '0',
      '--max-tokens',
      '10',
    ];
    const free = (await harness(args)).stdout.replace(/\n$/, '');
    const words = free.split(' ');
    expect(words.length).toBeGreaterThan(5);
    const stop = ` ${words[3]} ${words[4]}`;
    const r = await harness([...args, '--stop', stop]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('[stop;');
    expect(r.stdout).toBe(`${free.slice(0, free.indexOf(stop))}\n`);
  });

  it('a steering strength that leaves no finite logit exits 1 naming the cause, not an empty reply', async () => {
    requireDefaultModel();
    const ones = path.join(dir, 'ones.json');
    writeFileSync(ones, JSON.stringify(new Array(576).fill(1)));
    const r = await harness([...GREEDY, '--steer', `${ones}=1e39`, '--steer-layers', '21']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('reply token 1: no finite logit among 49152 (49152 NaN, 0 infinite)');
    expect(r.stderr).toContain('the request adds a steering vector of norm 2.40e+40 to the residual stream');
    expect(r.stdout).toBe('');
  });
});
