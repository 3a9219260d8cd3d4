/** `harness model info [PATH]`: what a GGUF model is (shape, quantization, size, hash). */
import type { Command } from 'commander';
import { resolveModelPath } from '../../model/fetch.ts';
import { type ModelInfo, modelInfo } from '../../model/info.ts';

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
  model
    .command('info')
    .description('show a GGUF model: architecture, shape, quantization, size, sha256')
    .argument('[path]', 'a .gguf path or a file name in the model cache (default: the default model)')
    .option('--json', 'print JSON')
    .action(async (path: string | undefined, opts: { json?: boolean }) => {
      console.log(await runModelInfo({ model: path, json: opts.json }));
    });
}
