import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/errors.ts';
import { readSteerFile } from '../../../harness/model/steer-file.ts';

describe('readSteerFile', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'steer-'));
  const json = join(dir, 'v.json');
  const f32 = join(dir, 'v.f32');
  await writeFile(json, JSON.stringify([0.5, -1, 2, 0]));
  await writeFile(f32, Buffer.from(Float32Array.of(1, 2, 3, 4).buffer));

  it('reads a JSON array or raw float32 values with the coefficient after =', async () => {
    const a = await readSteerFile(`${json}=-2`, [3, 4], 4);
    expect(Array.from(a.vector)).toEqual([0.5, -1, 2, 0]);
    expect(a).toMatchObject({ coefficient: -2, layers: [3, 4] });
    const b = await readSteerFile(`${f32}=0.5`, [1], 4);
    expect(Array.from(b.vector)).toEqual([1, 2, 3, 4]);
  });

  it('rejects a vector of the wrong width, a missing coefficient and a missing file', async () => {
    await expect(readSteerFile(`${json}=1`, [0], 576)).rejects.toThrow(
      /has 4 values; the model's width is 576/,
    );
    await expect(readSteerFile(json, [0], 4)).rejects.toBeInstanceOf(InputError);
    await expect(readSteerFile(join(dir, 'none.json=1'), [0], 4)).rejects.toThrow(/cannot read/);
  });
});
