/** `harness model generate`: one reply from the local model, streamed to stdout. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { cacheRoot, resolveModelPath } from '../../model/fetch.ts';
import type { GenerateResult, SteerSpec } from '../../model/generation.ts';
import { LocalModel } from '../../model/local-model.ts';
import { checkTemperature, checkTopK, checkTopP } from '../../model/sampling.ts';
import { readSteerFile } from '../../model/steer-file.ts';
import type { Quantization } from '../../model/types.ts';
import { defaultVectorsPath, vectorsForModel } from '../../probes/index.ts';
import {
  formatCoefficient,
  formatStrengths,
  parseSteer,
  resolveSteering,
  STEER_UNITS_HELP,
  type SteerRequest,
  steeringBlocks,
} from '../../steering/index.ts';
import { loadCommandConfig, modelOption } from '../context.ts';

export interface ModelGenerateOptions {
  /** model.source: 'default', a GGUF path, a cached file name or a pulled URL. */
  model?: string;
  prompt?: string;
  chat?: string;
  system?: string;
  maxTokens: number;
  temperature: number;
  topP?: number;
  topK?: number;
  seed: number;
  stop: string[];
  /** `NAME=C` (an emotion, or `random`) or `FILE=C` (a raw vector). */
  steer: string[];
  /** Blocks to steer after; default the run's (see steering/blocks.ts). */
  steerLayers?: number[];
  /** The emotion vectors file; default the cache's file for the model. */
  vectorsPath?: string;
  /** probes.layer and steering.layers of the config, and the random direction's seed. */
  probeLayer: number | null;
  steeringLayers: number;
  randomSeed: number;
  quantization: Quantization;
  threads: number;
}

type SteerTerm = { file: string; spec: string } | { request: SteerRequest };

/**
 * A term names a vector file when its name is a path or has a vector file's extension, or is no emotion
 * but an existing file; otherwise it must be an emotion or `random` (parseSteer says which names exist).
 */
function classifyTerm(spec: string): SteerTerm {
  const name = spec.slice(0, Math.max(0, spec.lastIndexOf('=')));
  if (/[/\\]|\.(json|f32|bin)$/i.test(name)) return { file: name, spec };
  try {
    return { request: parseSteer(spec) };
  } catch (error) {
    if (name && existsSync(name)) return { file: name, spec };
    throw error;
  }
}

/** What --steer adds, resolved against the loaded model, and a line per term saying so. */
async function resolveTerms(
  terms: SteerTerm[],
  model: LocalModel,
  o: ModelGenerateOptions,
): Promise<{ steer: SteerSpec[]; lines: string[] }> {
  if (terms.length === 0) return { steer: [], lines: [] };
  const named = terms.flatMap((t) => ('request' in t ? [t.request] : []));
  const loaded = named.length ? vectorsForModel(o.vectorsPath, model.modelSha256, cacheRoot()) : undefined;
  const plan = steeringBlocks({
    layerCount: model.layerCount,
    probeLayer: o.probeLayer,
    count: o.steeringLayers,
    vectorsPath: loaded?.path ?? defaultVectorsPath(cacheRoot(), model.modelSha256),
  });
  const layers = o.steerLayers ?? plan.blocks;
  const resolved = loaded
    ? resolveSteering(named, loaded.vectors, { vectorLayer: plan.layer, layers, seed: o.randomSeed })
    : [];
  const steer: SteerSpec[] = [];
  const lines: string[] = [];
  for (const t of terms) {
    if ('request' in t) {
      const r = resolved.shift()!;
      steer.push({ vector: r.vector, coefficient: r.coefficient, layers });
      lines.push(
        `steering ${r.name} ${formatStrengths(r)} (layer ${plan.layer}'s vector) after blocks ${layers.join(', ')}`,
      );
    } else {
      const s = await readSteerFile(t.spec, layers, model.hidden);
      steer.push(s);
      lines.push(
        `steering ${t.file} x ${formatCoefficient(s.coefficient)} after blocks ${layers.join(', ')}`,
      );
    }
  }
  return { steer, lines };
}

export async function runModelGenerate(
  o: ModelGenerateOptions,
  deps: { write: (text: string) => void; log: (line: string) => void },
): Promise<GenerateResult> {
  if ((o.prompt === undefined) === (o.chat === undefined))
    throw new InputError('give exactly one of --prompt TEXT and --chat TEXT');
  const terms = o.steer.map(classifyTerm);
  const model = await LocalModel.load(resolveModelPath(o.model), {
    quantization: o.quantization,
    threads: o.threads,
    spin: true,
    onProgress: deps.log,
  });
  try {
    const { steer, lines } = await resolveTerms(terms, model, o);
    for (const line of lines) deps.log(line);
    const messages =
      o.chat === undefined
        ? undefined
        : [
            ...(o.system ? [{ role: 'system' as const, content: o.system }] : []),
            { role: 'user' as const, content: o.chat },
          ];
    return await model.generate({
      ...(messages ? { messages } : { prompt: o.prompt }),
      maxTokens: o.maxTokens,
      temperature: o.temperature,
      topP: o.topP,
      topK: o.topK,
      seed: o.seed,
      stop: o.stop,
      steer,
      onToken: (text) => deps.write(text),
    });
  } finally {
    await model.dispose();
  }
}

function number(name: string, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
      throw new InputError(
        `${name} expects ${integer ? 'an integer' : 'a number'}, received ${JSON.stringify(value)}`,
      );
    return n;
  };
}

function layerList(value: string): number[] {
  return value.split(',').map((v) => number('--steer-layers', true)(v.trim()));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerModelGenerate(model: Command): void {
  const generate = model
    .command('generate')
    .description('generate a reply with the local model, streaming it to stdout');
  modelOption(generate)
    .option('--prompt <text>', 'raw text to continue')
    .option('--chat <text>', "a user message, rendered with the model's chat template")
    .option('--system <text>', 'a system message for --chat')
    .option('--max-tokens <n>', 'most tokens to generate', number('--max-tokens', true), 256)
    .option(
      '--temperature <t>',
      'from 0 (greedy) to 2',
      (v: string) => checkTemperature(number('--temperature', false)(v), '--temperature'),
      0.7,
    )
    .option('--top-p <p>', 'nucleus sampling mass, above 0 and at most 1', (v: string) =>
      checkTopP(number('--top-p', false)(v), '--top-p'),
    )
    .option('--top-k <k>', 'keep the k most likely tokens (k >= 1)', (v: string) =>
      checkTopK(number('--top-k', true)(v), '--top-k'),
    )
    .option('--seed <s>', 'sampling seed', number('--seed', true), 0)
    .option('--stop <text>', 'stop sequence (repeatable)', collect, [])
    .option(
      '--steer <name=c>',
      'steer along an emotion vector (or `random`) at strength c in sd, c% or cx, as `run --steer` does; or c x a raw vector FILE (JSON array or .f32) (repeatable)',
      collect,
      [],
    )
    .option(
      '--steer-layers <list>',
      "blocks to steer after, e.g. 21,22,23 (default: the run's, from the probe layer on)",
      layerList,
    )
    .addHelpText('after', `\n${STEER_UNITS_HELP}`)
    .option(
      '--vectors <file>',
      "emotion vectors file (default: probes.vectors, else the cache's file for the model)",
    )
    .option('--quantization <q>', 'q4 (fast) or fp32', 'q4')
    .option('--threads <n>', 'CPU threads', number('--threads', true), 2)
    .action(async (opts, command: Command) => {
      if (opts.quantization !== 'q4' && opts.quantization !== 'fp32')
        throw new InputError(
          `--quantization expects q4 or fp32, received ${JSON.stringify(opts.quantization)}`,
        );
      const { config } = await loadCommandConfig(command);
      const options: ModelGenerateOptions = {
        ...(opts as Omit<ModelGenerateOptions, 'probeLayer' | 'steeringLayers' | 'randomSeed'>),
        model: config.model.source,
        vectorsPath: opts.vectors ?? config.probes.vectors ?? undefined,
        probeLayer: config.probes.layer,
        steeringLayers: config.steering.layers,
        randomSeed: config.experiment.seed,
      };
      const result = await runModelGenerate(options, {
        write: (t) => process.stdout.write(t),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const { promptTokens, completionTokens, durationMs } = result.usage;
      process.stdout.write('\n');
      process.stderr.write(
        `[${result.stopReason}; ${promptTokens} prompt + ${completionTokens} generated tokens in ${(durationMs / 1000).toFixed(2)} s]\n`,
      );
    });
}
