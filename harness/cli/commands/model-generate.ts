/** `harness model generate`: one reply from the local model, streamed to stdout. */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { resolveModelPath } from '../../model/fetch.ts';
import type { GenerateResult } from '../../model/generation.ts';
import { LocalModel } from '../../model/local-model.ts';
import { readSteerFile } from '../../model/steer-file.ts';
import type { Quantization } from '../../model/types.ts';

export interface ModelGenerateOptions {
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
  steer: string[];
  steerLayers?: number[];
  quantization: Quantization;
  threads: number;
}

export async function runModelGenerate(
  o: ModelGenerateOptions,
  deps: { write: (text: string) => void; log: (line: string) => void },
): Promise<GenerateResult> {
  if ((o.prompt === undefined) === (o.chat === undefined))
    throw new InputError('give exactly one of --prompt TEXT and --chat TEXT');
  const model = await LocalModel.load(resolveModelPath(o.model), {
    quantization: o.quantization,
    threads: o.threads,
    onProgress: deps.log,
  });
  try {
    const layers = o.steerLayers ?? [Math.floor((model.layerCount * 2) / 3)];
    const steer = await Promise.all(o.steer.map((s) => readSteerFile(s, layers, model.hidden)));
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
  model
    .command('generate')
    .description('generate a reply with the local model, streaming it to stdout')
    .option('--model <path>', 'GGUF file or cached model name (default: the pulled SmolLM2-135M-Instruct)')
    .option('--prompt <text>', 'raw text to continue')
    .option('--chat <text>', "a user message, rendered with the model's chat template")
    .option('--system <text>', 'a system message for --chat')
    .option('--max-tokens <n>', 'most tokens to generate', number('--max-tokens', true), 256)
    .option('--temperature <t>', '0 = greedy', number('--temperature', false), 0.7)
    .option('--top-p <p>', 'nucleus sampling mass', number('--top-p', false))
    .option('--top-k <k>', 'keep the k most likely tokens', number('--top-k', true))
    .option('--seed <s>', 'sampling seed', number('--seed', true), 0)
    .option('--stop <text>', 'stop sequence (repeatable)', collect, [])
    .option(
      '--steer <file=c>',
      'add c x the vector in FILE (JSON array or .f32) to the residual stream (repeatable)',
      collect,
      [],
    )
    .option(
      '--steer-layers <list>',
      'blocks to steer after, e.g. 18,19,20 (default: two thirds of the depth)',
      layerList,
    )
    .option('--quantization <q>', 'q4 (fast) or fp32', 'q4')
    .option('--threads <n>', 'CPU threads', number('--threads', true), 2)
    .action(async (opts) => {
      if (opts.quantization !== 'q4' && opts.quantization !== 'fp32')
        throw new InputError(
          `--quantization expects q4 or fp32, received ${JSON.stringify(opts.quantization)}`,
        );
      const result = await runModelGenerate(opts as ModelGenerateOptions, {
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
