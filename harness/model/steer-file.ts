/**
 * Raw steering vectors from files, for `model generate --steer FILE=C`: any direction a user brings, beside
 * the named emotion vectors. A JSON array of numbers, or little-endian float32 values (.f32 / .bin).
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import type { SteerSpec } from './generation.ts';

export async function readSteerFile(spec: string, layers: number[], hidden: number): Promise<SteerSpec> {
  const at = spec.lastIndexOf('=');
  const coefficient = at > 0 ? Number(spec.slice(at + 1)) : Number.NaN;
  if (!Number.isFinite(coefficient))
    throw new InputError(
      `--steer expects FILE=COEFFICIENT (e.g. vec.json=-2), received ${JSON.stringify(spec)}`,
    );
  const file = spec.slice(0, at);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read steering vector file ${file}: ${error.code ?? error.message}`);
  });
  let vector: Float32Array;
  if (/\.(f32|bin)$/i.test(file)) {
    if (bytes.length % 4)
      throw new InputError(`${file} is ${bytes.length} bytes, not a whole number of float32 values`);
    vector = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new InputError(`${file} is not JSON; expected an array of ${hidden} numbers or a .f32 file`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new InputError(`${file} must hold a JSON array of ${hidden} finite numbers`);
    vector = Float32Array.from(parsed as number[]);
  }
  if (vector.length !== hidden)
    throw new InputError(
      `the steering vector in ${file} has ${vector.length} values; the model's width is ${hidden}`,
    );
  return { vector, coefficient, layers };
}
