/**
 * `harness probes build|validate|read`: emotion vectors for a model, how well they work, and readings
 * (`probes export` is in probes-export.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, PrerequisiteError } from '../../errors.ts';
import { cacheRoot, resolveModelPath } from '../../model/fetch.ts';
import { LocalModel } from '../../model/local-model.ts';
import {
  buildAndValidate,
  DEFAULT_TOKEN_OFFSET,
  defaultVectorsPath,
  loadVectors,
  readTokens,
  recommendedLayer,
  resolveEmotion,
  VECTORS_SCHEMA_VERSION,
  validationPaths,
  vectorsFileVersion,
} from '../../probes/index.ts';
import { loadCommandConfig, modelOption, numberFlag, parseLayers } from '../context.ts';
import { registerProbesExport } from './probes-export.ts';

async function loadModel(source: string, threads: number): Promise<LocalModel> {
  return LocalModel.load(resolveModelPath(source), {
    threads,
    // Probe commands have the machine to themselves (setup runs its steps one after another).
    spin: true,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
}

export interface ProbesBuildResult {
  vectorsPath: string;
  skipped: boolean;
  recommendedLayer?: number;
  accuracy?: number;
}

/**
 * Builds (and validates) the vectors of a model unless a vectors file of the current format already exists:
 * a file written by an older harness is rebuilt, since caches outlive upgrades.
 */
export async function runProbesBuild(options: {
  modelSource: string;
  threads: number;
  layers?: number[];
  tokenOffset?: number;
  force?: boolean;
  log?: (line: string) => void;
}): Promise<ProbesBuildResult> {
  const model = await loadModel(options.modelSource, options.threads);
  try {
    const vectorsPath = defaultVectorsPath(cacheRoot(), model.modelSha256);
    const stale = existsSync(vectorsPath) && vectorsFileVersion(vectorsPath) !== VECTORS_SCHEMA_VERSION;
    if (existsSync(vectorsPath) && !stale && !options.force)
      return { vectorsPath, skipped: true, recommendedLayer: recommendedLayer(vectorsPath) };
    if (stale)
      options.log?.(
        `${vectorsPath} has an older format (version ${vectorsFileVersion(vectorsPath)}); rebuilding it`,
      );
    const layers = options.layers ?? Array.from({ length: model.layerCount }, (_, i) => i);
    const bad = layers.find((l) => l >= model.layerCount);
    if (bad !== undefined)
      throw new InputError(
        `--layers: layer ${bad} does not exist; the model has layers 0..${model.layerCount - 1}`,
      );
    options.log?.('building from the story corpus: several minutes on a laptop CPU, once per model');
    let lastShown = -1;
    const validation = await buildAndValidate(model, vectorsPath, {
      layers,
      tokenOffset: options.tokenOffset,
      onProgress: (done, total) => {
        const pct = Math.floor((100 * done) / total);
        if (pct >= lastShown + 10 || done === total) {
          lastShown = pct;
          options.log?.(`  activations: ${done}/${total} texts`);
        }
      },
    });
    const best = validation.layers.find((l) => l.layer === validation.recommendedLayer);
    return {
      vectorsPath,
      skipped: false,
      recommendedLayer: validation.recommendedLayer,
      accuracy: best?.accuracy,
    };
  } finally {
    await model.dispose();
  }
}

const COLOURS = [196, 202, 208, 214, 220, 226, 190, 154, 118, 82, 46];

function colour(text: string, z: number): string {
  if (!process.stdout.isTTY) return text;
  const i = Math.max(0, Math.min(COLOURS.length - 1, Math.round(5 - z * 2.5)));
  return `\x1b[38;5;${COLOURS[i]}m${text}\x1b[0m`;
}

export function registerProbes(program: Command): void {
  const probes = program.command('probes').description('emotion vectors: build, validate, read');

  const build = probes
    .command('build')
    .description(
      'build and validate the emotion vectors of a model from the story corpus (skipped if present)',
    );
  modelOption(build)
    .option('--layers <A..B>', 'layers to build vectors for (default: all)')
    .option(
      '--token-offset <n>',
      'tokens of each story left out of its mean',
      numberFlag('--token-offset', { integer: true, min: 0 }),
    )
    .option('--force', 'rebuild even if the vectors file exists')
    .action(async (opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const result = await runProbesBuild({
        modelSource: config.model.source,
        threads: config.model.threads,
        layers: opts.layers ? parseLayers(opts.layers) : undefined,
        tokenOffset: opts.tokenOffset ?? DEFAULT_TOKEN_OFFSET,
        force: opts.force,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      console.log(`${result.skipped ? 'already built, skipped' : 'built'}: ${result.vectorsPath}`);
      if (result.recommendedLayer !== undefined) {
        const acc =
          result.accuracy === undefined
            ? ''
            : `, held-out accuracy ${(100 * result.accuracy).toFixed(1)}% (chance 8.3%)`;
        console.log(`recommended probe layer ${result.recommendedLayer}${acc}`);
        console.log(`report: ${validationPaths(result.vectorsPath).markdown}`);
      }
    });

  const validate = probes
    .command('validate')
    .description(
      'print the validation report of a model: held-out accuracy per layer, confusion, valence/arousal',
    );
  modelOption(validate)
    .option('--json', 'print the JSON report')
    .action(async (opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const model = await loadModel(config.model.source, config.model.threads);
      const vectorsPath = config.probes.vectors ?? defaultVectorsPath(cacheRoot(), model.modelSha256);
      await model.dispose();
      const paths = validationPaths(vectorsPath);
      const file = opts.json ? paths.json : paths.markdown;
      if (!existsSync(file)) {
        throw new PrerequisiteError(
          `no validation report for this model at ${file}`,
          'run `bin/harness probes build --force`',
        );
      }
      process.stdout.write(readFileSync(file, 'utf8'));
    });

  const read = probes
    .command('read')
    .description('per-token emotion readings of a chat reply or a text file, coloured on a terminal');
  modelOption(read)
    .option('--chat <text>', 'a user message: the model replies and the reply is read')
    .option('--file <path>', 'a text file, read as is')
    .option('--emotions <list>', 'comma-separated emotions (default: probes.emotions of the config)')
    .option(
      '--max-tokens <n>',
      'reply length for --chat',
      numberFlag('--max-tokens', { integer: true, min: 1 }),
      96,
    )
    .action(async (opts, command: Command) => {
      if (Boolean(opts.chat) === Boolean(opts.file))
        throw new InputError('give exactly one of --chat TEXT and --file PATH');
      const { config } = await loadCommandConfig(command);
      const emotions = (opts.emotions ? String(opts.emotions).split(',') : config.probes.emotions).map(
        (e: string) => resolveEmotion(e.trim()),
      );
      const model = await loadModel(config.model.source, config.model.threads);
      try {
        const vectorsPath = config.probes.vectors ?? defaultVectorsPath(cacheRoot(), model.modelSha256);
        if (!existsSync(vectorsPath))
          throw new PrerequisiteError(`no vectors at ${vectorsPath}`, 'run `bin/harness probes build`');
        const vectors = loadVectors(vectorsPath, { modelSha256: model.modelSha256 });
        const layer =
          config.probes.layer ?? recommendedLayer(vectorsPath) ?? Math.round((2 * model.layerCount) / 3);
        let pieces: string[];
        let residuals: Float32Array[];
        if (opts.chat) {
          const result = await model.generate({
            messages: [{ role: 'user', content: opts.chat }],
            maxTokens: opts.maxTokens,
            temperature: 0,
            readout: { layers: [layer] },
          });
          residuals = result.readings?.[0]?.reply ?? [];
          pieces = result.tokenIds.map((id) => model.decodeToken(id));
        } else {
          const text = readFileSync(opts.file, 'utf8');
          const hidden = model.hidden;
          const [flat] = await model.residuals(text, [layer]);
          residuals = Array.from({ length: flat!.length / hidden }, (_, t) =>
            flat!.subarray(t * hidden, (t + 1) * hidden),
          );
          pieces = model.tokenize(text).map((id) => model.decodeToken(id));
        }
        const readings = readTokens(residuals, vectors, emotions, layer);
        console.log(
          `layer ${layer}; columns: ${emotions.join(', ')} in standard deviations of neutral text (z)`,
        );
        for (let t = 0; t < residuals.length; t++) {
          const values = readings.map((r) => r.z[t]!.toFixed(2).padStart(7)).join(' ');
          console.log(`${values}  ${colour(JSON.stringify(pieces[t] ?? ''), readings[0]!.z[t]!)}`);
        }
      } finally {
        await model.dispose();
      }
    });

  registerProbesExport(probes);
}
