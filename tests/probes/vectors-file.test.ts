import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { buildVectors, getVector, loadVectors, saveVectors } from '../../harness/probes/index.ts';
import { syntheticCorpus, syntheticSource, TOKEN_OFFSET } from './synthetic.ts';

const { vectors } = await buildVectors(syntheticSource(), syntheticCorpus(4), {
  layers: [1, 2],
  tokenOffset: TOKEN_OFFSET,
});
const dir = mkdtempSync(path.join(tmpdir(), 'vectors-'));
const file = path.join(dir, 'vectors.json');
saveVectors(file, vectors);

function loadError(f: string, sha?: string): InputError {
  try {
    loadVectors(f, { modelSha256: sha });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    return err as InputError;
  }
  throw new Error('expected the load to fail');
}

function variant(name: string, edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(json));
  return f;
}

describe('the vectors file', () => {
  it('round-trips every float and every field', () => {
    const loaded = loadVectors(file, { modelSha256: 'a'.repeat(64) });
    expect(loaded.data).toEqual(vectors.data);
    const { data: _a, ...meta } = loaded;
    const { data: _b, ...expected } = vectors;
    expect(meta).toEqual(expected);
    expect(getVector(loaded, 'afraid', 2)).toEqual(getVector(vectors, 'fear', 2));
  });

  it('refuses a file built for another model, naming both hashes', () => {
    const other = 'b'.repeat(64);
    const err = loadError(file, other);
    expect(err.message).toContain('a'.repeat(64));
    expect(err.message).toContain(other);
  });

  it('refuses malformed files with a reason', () => {
    const notJson = path.join(dir, 'broken.json');
    writeFileSync(notJson, '{"schemaVersion": 1,');
    expect(loadError(notJson).message).toMatch(/is not JSON/);
    expect(loadError(path.join(dir, 'missing.json')).message).toMatch(/cannot read vectors file/);
    const truncated = variant('truncated.json', (j) => {
      const p = j.payload as { data: string };
      p.data = p.data.slice(0, 400);
    });
    expect(loadError(truncated).message).toMatch(
      /payload has 300 bytes, expected 2 layers x 12 emotions x 48 x 4 = 4608/,
    );
    const noCalibration = variant('nocalibration.json', (j) => {
      delete j.calibration;
    });
    expect(loadError(noCalibration).message).toMatch(/calibration/);
    const shortCalibration = variant('shortcalibration.json', (j) => {
      (j.calibration as { sd: number[][] }).sd = [[1]];
    });
    expect(loadError(shortCalibration).message).toMatch(/calibration that is not 2 x 12/);
    const noNorms = variant('nonorms.json', (j) => {
      delete j.norms;
    });
    expect(loadError(noNorms).message).toMatch(/norms/);
    const shortNorms = variant('shortnorms.json', (j) => {
      j.meanResidualNorm = [1];
    });
    expect(loadError(shortNorms).message).toMatch(/1 mean residual norms for 2 layers/);
  });

  it('refuses a file of another format version, naming the command that rebuilds it', () => {
    for (const version of [1, 3]) {
      const f = variant(`version${version}.json`, (j) => {
        j.schemaVersion = version;
      });
      const message = loadError(f).message;
      expect(message).toContain(`has format version ${version}; this harness reads version 2`);
      expect(message).toContain('`bin/harness probes build --force`');
    }
  });

  it('names the layers it has when asked for another', () => {
    expect(() => getVector(vectors, 'calm', 0)).toThrow(/has no layer 0; it has 1, 2/);
    expect(() => getVector(vectors, 'bored', 1)).toThrow(/unknown emotion "bored"/);
  });
});
