/**
 * The probes commands through the real CLI: control-vector export, and vectors files that must be refused
 * (built for another model, malformed) wherever a command takes one, always with exit 2 and nothing written.
 * The read and run cases load the default model (a few seconds each).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GgufFile } from '../../harness/model/gguf/index.ts';
import { saveVectors } from '../../harness/probes/index.ts';
import { tinyModelAndVectors, tinyVectors } from '../probes/tiny-vectors.ts';
import { requireDefaultModel } from '../support/model.ts';
import { harness } from './support.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'probes-cli-'));
const tiny = await tinyModelAndVectors(dir);

/** Vectors of the default model's shape (30 layers x 576), but built for a model with another hash. */
const foreign = path.join(dir, 'foreign.json');
saveVectors(foreign, tinyVectors('c'.repeat(64), [21], { hidden: 576, layerCount: 30 }));
const notJson = path.join(dir, 'not-json.json');
writeFileSync(notJson, '{"schemaVersion": 1, "kind": "emotion-vect');
const truncated = path.join(dir, 'truncated.json');
const tinyJson = JSON.parse(readFileSync(tiny.vectors, 'utf8'));
tinyJson.payload.data = tinyJson.payload.data.slice(0, 100);
writeFileSync(truncated, JSON.stringify(tinyJson));

const FOREIGN = [foreign, /was built for the model with sha256 c{64}/] as const;
const NOT_JSON = [notJson, /is not JSON/] as const;
const TRUNCATED = [
  truncated,
  /is malformed: its payload has 75 bytes, expected 4 layers x 12 emotions x 8 x 4 = 1536/,
] as const;
const oldVersion = path.join(dir, 'version-1.json');
writeFileSync(
  oldVersion,
  JSON.stringify({ ...JSON.parse(readFileSync(tiny.vectors, 'utf8')), schemaVersion: 1 }),
);
/** The model-loading commands get one of each kind; not-JSON goes through the same loader as truncated. */
const MODEL_CASES = [FOREIGN, TRUNCATED];

describe('harness probes export', () => {
  it('writes a control vector whose direction.N are the blocks --steer would steer', async () => {
    const out = path.join(dir, 'happy.gguf');
    const r = await harness([
      'probes',
      'export',
      '--model',
      tiny.model,
      '--vectors',
      tiny.vectors,
      '--emotion',
      'happy=+2',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}: layer 2's vector after blocks 2, 3, 4, 5`);
    expect(r.stdout).toMatch(
      /happiness \+2\.00 sd = \+\d+\.\d\d % of mean \|h\| = \+\d+\.\d{3}x after block\(s\) 2, 3, 4, 5/,
    );
    expect(r.stdout).toContain(`--control-vector-scaled ${out}:1`);
    const gguf = await GgufFile.open(out);
    try {
      expect(gguf.tensors.map((t) => t.name)).toEqual([
        'direction.2',
        'direction.3',
        'direction.4',
        'direction.5',
      ]);
      expect(gguf.get('general.architecture')).toBe('controlvector');
    } finally {
      await gguf.close();
    }
  });

  it('an unknown emotion exits 2 and lists the valid names', async () => {
    const out = path.join(dir, 'joy.gguf');
    const r = await harness(['probes', 'export', '--model', tiny.model, '--emotion', 'joy', '--out', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown steering vector "joy"; valid names: desperation, calm, fear, love/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([NOT_JSON, TRUNCATED])('a malformed vectors file (%s) exits 2', async (file, message) => {
    const r = await harness([
      'probes',
      'export',
      '--model',
      tiny.model,
      '--vectors',
      file,
      '--emotion',
      'calm',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a vectors file of an older format exits 2 naming the command that rebuilds it', async () => {
    const r = await harness([
      'probes',
      'export',
      '--model',
      tiny.model,
      '--vectors',
      oldVersion,
      '--emotion',
      'calm',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('has format version 1; this harness reads version 2');
    expect(r.stderr).toContain('Rebuild it with `bin/harness probes build --force`');
  });

  it('a bad strength exits 2 naming the accepted forms, for export and for run', async () => {
    for (const bad of [
      'calm=inf',
      'calm=NaN',
      'calm=',
      'calm=2y',
      'calm=1e309',
      'calm=21',
      'calm=-101%',
      'calm=51x',
    ]) {
      const r = await harness([
        'probes',
        'export',
        '--model',
        tiny.model,
        '--vectors',
        tiny.vectors,
        '--emotion',
        bad,
      ]);
      expect(r.exitCode, bad).toBe(2);
      expect(r.stderr, bad).toContain(
        'c or csd (standard deviations of the reading, |c| <= 20), c% (percent',
      );
    }
    const runs = path.join(dir, 'runs-bad-strength');
    const r = await harness([
      '--set',
      `runs_dir=${runs}`,
      'run',
      '--conditions',
      'baseline,desperation=+2sdx',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('received "+2sdx"');
    expect(existsSync(runs)).toBe(false);
  });

  it('a vectors file of another model exits 2 naming both hashes', async () => {
    const r = await harness([
      'probes',
      'export',
      '--model',
      tiny.model,
      '--vectors',
      foreign,
      '--emotion',
      'calm',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`but the model in use has sha256 ${tiny.sha256}`);
  });
});

describe('commands that load the default model refuse bad vectors files (probes.vectors)', () => {
  const text = path.join(dir, 'text.txt');
  writeFileSync(text, 'The package arrived on time.');

  it.each(MODEL_CASES)('probes read with %s exits 2', async (file, message) => {
    requireDefaultModel();
    const r = await harness(['--set', `probes.vectors=${file}`, 'probes', 'read', '--file', text]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each(MODEL_CASES)(
    'model generate --steer with %s exits 2 and prints no reply',
    async (file, message) => {
      requireDefaultModel();
      const r = await harness([
        '--set',
        `probes.vectors=${file}`,
        'model',
        'generate',
        '--prompt',
        'Hi',
        '--steer',
        'calm=+1',
      ]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    },
  );

  it.each(MODEL_CASES)('run --steer with %s exits 2 and writes no run', async (file, message) => {
    requireDefaultModel();
    const runs = path.join(dir, `runs-${path.basename(file)}`);
    const r = await harness([
      '--set',
      `probes.vectors=${file}`,
      '--set',
      `runs_dir=${runs}`,
      'run',
      '--steer',
      'happiness=+1',
      '--limit',
      '1',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(runs)).toBe(false);
  });
});
