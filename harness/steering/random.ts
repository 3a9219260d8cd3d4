/** Seeded random control directions: the `random=c` condition steers along one of these. */
import { seededUniform } from '../random.ts';

export { seededUniform };

/** A direction uniform on the sphere (normalised Gaussian), scaled to `length`. */
export function randomDirection(hidden: number, seed: number, length: number): Float32Array {
  const uniform = seededUniform(seed);
  const g = new Float64Array(hidden);
  for (let i = 0; i < hidden; i += 2) {
    const u1 = 1 - uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    g[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < hidden) g[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  const n = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
  return Float32Array.from(g, (x) => (x / n) * length);
}
