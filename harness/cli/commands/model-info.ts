/** `harness model info [SOURCE]`: what a GGUF model is (shape, quantization, size, hash). */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { resolveModelPath } from '../../model/fetch.ts';
import { type ModelInfo, modelInfo } from '../../model/info.ts';
import { loadCommandConfig, modelOption } from '../context.ts';

export interface ModelInfoOptions {
  /** A path, a file name in the model cache, or nothing for the default model. */
  model?: string;
  json?: boolean;
}

export async function runModelInfo(options: ModelInfoOptions): Promise<string> {
  const info = await modelInfo(resolveModelPath(options.model));
  return options.json ? JSON.stringify(info, null, 2) : formatModelInfo(info);
}

export function formatModelInfo(info: ModelInfo): string {
  const types = Object.entries(info.tensorTypes)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([type, n]) => `${type} x${n}`)
    .join(', ');
  const rows: [string, string | number | undefined][] = [
    ['file', info.path],
    ['name', info.name],
    ['architecture', `${info.architecture}${info.supported ? '' : ' (not supported by the runtime)'}`],
    ['layers', info.layers],
    ['width', info.width],
    ['feed-forward', info.feedForward],
    ['heads (q/kv)', info.heads && `${info.heads.q}/${info.heads.kv}`],
    ['head dim', info.headDim],
    ['vocabulary', info.vocabSize],
    ['context', info.contextLength],
    ['parameters', `${(info.parameters / 1e6).toFixed(1)} M`],
    ['quantization', `${info.quantization} (tensors: ${types})`],
    [
      'q4 graph',
      Object.entries(info.graphForms)
        .map(([what, form]) => `${what}: ${form}`)
        .join('; '),
    ],
    ['file size', `${(info.sizeBytes / (1024 * 1024)).toFixed(1)} MB`],
    ['sha256', info.sha256],
  ];
  const shown = rows.filter((r): r is [string, string | number] => r[1] !== undefined);
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function registerModelInfo(model: Command): void {
  const info = model
    .command('info')
    .description('show a GGUF model: architecture, shape, quantization, size, sha256')
    .argument('[source]', 'the model, as --model gives it (default: model.source of the config)');
  modelOption(info)
    .option('--json', 'print JSON')
    .action(
      async (source: string | undefined, opts: { json?: boolean; model?: string }, command: Command) => {
        if (source !== undefined && opts.model !== undefined)
          throw new InputError(
            `give the model once, as SOURCE or as --model; received ${JSON.stringify(source)} and ${JSON.stringify(opts.model)}`,
          );
        const positional = source === undefined ? [] : [`model.source=${JSON.stringify(source)}`];
        const { config } = await loadCommandConfig(command, positional);
        console.log(await runModelInfo({ model: config.model.source, json: opts.json }));
      },
    );
}
