/**
 * Which blocks `--steer` adds its vectors after, one rule for `run`, `probes export` and `model generate`:
 * from the probe layer on, `count` consecutive blocks. The probe layer is the configured one, else the
 * layer validation recommended for these vectors, else two thirds of the depth (the paper's choice).
 */
import { recommendedLayer } from '../probes/index.ts';

export interface SteeringBlocks {
  /** The probe layer: whose vectors are added, and the first block steered. */
  layer: number;
  blocks: number[];
}

export function steeringBlocks(o: {
  layerCount: number;
  /** probes.layer of the config; null = the recommendation. */
  probeLayer: number | null;
  /** steering.layers of the config. */
  count: number;
  /** The vectors file, beside which validation leaves its recommendation (none for raw vectors). */
  vectorsPath?: string;
}): SteeringBlocks {
  const recommended = o.vectorsPath === undefined ? undefined : recommendedLayer(o.vectorsPath);
  const layer = o.probeLayer ?? recommended ?? Math.round((2 * o.layerCount) / 3);
  const blocks = Array.from({ length: o.count }, (_, i) => layer + i).filter((l) => l < o.layerCount);
  return { layer, blocks };
}
