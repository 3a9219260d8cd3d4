/** `harness probes export`: the steering `--steer` would apply, as a llama.cpp control-vector GGUF. */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { cacheRoot, resolveModelPath } from '../../model/fetch.ts';
import { GgufFile } from '../../model/gguf/index.ts';
import { controlDirections, vectorsForModel, writeControlVector } from '../../probes/index.ts';
import {
  conditionId,
  formatStrengths,
  parseSteer,
  type ResolvedSteer,
  resolveSteering,
  STEER_UNITS_HELP,
  steeringBlocks,
} from '../../steering/index.ts';
import { loadCommandConfig, modelOption, numberFlag, parseLayers } from '../context.ts';

export interface ProbesExportOptions {
  modelSource: string;
  /** The vectors file; default the cache's file for the model. */
  vectorsPath?: string;
  /** `name` or `name=c`, as for --steer (c defaults to 1). */
  emotions: string[];
  /** Blocks to steer after; default the run's: steeringLayers blocks from the vector layer on. */
  layers?: number[];
  /** Whose vector: one layer's for every block (default the probe layer), or each block's own. */
  vectorLayer?: number | 'each';
  /** probes.layer of the config; null = the validated recommendation. */
  probeLayer: number | null;
  steeringLayers: number;
  /** Seed of the random control direction. */
  seed: number;
  out?: string;
}

export interface ProbesExportResult {
  path: string;
  blocks: number[];
  vectorLayer: number | 'each';
  steer: ResolvedSteer[];
}

/** Writes the condition that `--steer` would apply as a llama.cpp control vector (see probes/control-vector.ts). */
export async function runProbesExport(o: ProbesExportOptions): Promise<ProbesExportResult> {
  if (o.emotions.length === 0) throw new InputError('give at least one --emotion NAME[=COEF]');
  const terms = o.emotions.map((t) => parseSteer(t.includes('=') ? t : `${t}=1`));
  const id = conditionId(terms);
  if (new Set(terms.map((t) => t.target)).size !== terms.length)
    throw new InputError(`--emotion names the same vector twice (${id})`);
  const gguf = await GgufFile.open(resolveModelPath(o.modelSource));
  const [sha256, architecture] = await gguf
    .sha256()
    .then((sha) => [sha, String(gguf.get('general.architecture') ?? 'llama')] as const)
    .finally(() => gguf.close());
  const { vectors, path: vectorsPath } = vectorsForModel(o.vectorsPath, sha256, cacheRoot());
  const { layerCount, hidden } = vectors.model;
  const plan = steeringBlocks({ layerCount, probeLayer: o.probeLayer, count: o.steeringLayers, vectorsPath });
  const vectorLayer = o.vectorLayer ?? plan.layer;
  // Each block's own vector still starts at the probe layer; one fixed layer's vector starts at that layer.
  const first = vectorLayer === 'each' ? plan.layer : vectorLayer;
  const blocks =
    o.layers ?? steeringBlocks({ layerCount, probeLayer: first, count: o.steeringLayers }).blocks;
  const steer =
    vectorLayer === 'each'
      ? blocks.flatMap((b) => resolveSteering(terms, vectors, { vectorLayer: b, layers: [b], seed: o.seed }))
      : resolveSteering(terms, vectors, { vectorLayer, layers: blocks, seed: o.seed });
  const directions = controlDirections(steer, hidden, layerCount);
  const path = o.out ?? `${id.replace(/=/g, '').replace(/&/g, '_')}.gguf`;
  const source = vectorLayer === 'each' ? "each block's own vector" : `the layer-${vectorLayer} vectors`;
  await writeControlVector(path, {
    modelHint: architecture,
    name: id,
    description:
      `${id}: ${source} times the coefficient, added after blocks ${blocks.join(', ')} as \`--steer\` does; ` +
      `built from the vectors of the model with sha256 ${sha256}`,
    directions,
  });
  return { path, blocks: [...directions.keys()], vectorLayer, steer };
}

export function registerProbesExport(probes: Command): void {
  const exporter = probes
    .command('export')
    .description(
      'write emotion steering as a llama.cpp control vector GGUF (direction.N = the vector added after block N)',
    );
  modelOption(exporter)
    .requiredOption(
      '--emotion <name[=c]>',
      'emotion and strength c as for --steer: sd, c% or cx (default 1 sd); repeat to combine',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--layers <A..B>',
      'blocks to steer after, from 1 (default: the probe layer and the next steering.layers - 1, as `run`)',
    )
    .option(
      '--vector-layer <n|each>',
      "whose vector: one layer's for every block (default: the probe layer, as `run`), or each block's own",
    )
    .option('--out <file>', 'output GGUF (default: <name><c>.gguf in the current directory)')
    .option('--vectors <file>', "vectors file (default: probes.vectors, else the cache's file for the model)")
    .option('--seed <n>', 'seed of the random direction', numberFlag('--seed', { integer: true, min: 0 }))
    .addHelpText(
      'after',
      "\nThe file holds the added vector per block, already scaled: llama.cpp's `--control-vector-scaled\n" +
        'FILE:1` adds exactly what `--steer NAME=c` adds here (a scale k adds k times that). The strength\n' +
        `of each term is printed in all three units.\n\n${STEER_UNITS_HELP}`,
    )
    .action(async (opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const vl = opts.vectorLayer as string | undefined;
      if (vl !== undefined && vl !== 'each' && !/^\d+$/.test(vl))
        throw new InputError(
          `--vector-layer expects a layer number or "each", received ${JSON.stringify(vl)}`,
        );
      const result = await runProbesExport({
        modelSource: config.model.source,
        vectorsPath: opts.vectors ?? config.probes.vectors ?? undefined,
        emotions: opts.emotion,
        layers: opts.layers ? parseLayers(opts.layers) : undefined,
        vectorLayer: vl === undefined || vl === 'each' ? vl : Number(vl),
        probeLayer: config.probes.layer,
        steeringLayers: config.steering.layers,
        seed: opts.seed ?? config.experiment.seed,
        out: opts.out,
      });
      const source =
        result.vectorLayer === 'each' ? "each block's own vector" : `layer ${result.vectorLayer}'s vector`;
      console.log(`wrote ${result.path}: ${source} after blocks ${result.blocks.join(', ')}`);
      for (const s of result.steer)
        console.log(`  ${s.name} ${formatStrengths(s)} after block(s) ${s.layers.join(', ')}`);
      console.log(`use: llama-cli -m MODEL.gguf --control-vector-scaled ${result.path}:1`);
    });
}
