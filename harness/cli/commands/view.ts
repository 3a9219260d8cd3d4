/** `harness view [RUNS_DIR | RUN]`: runs and transcripts in the browser, served from this machine. */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startViewer } from '../../../analysis/viewer/index.ts';
import { InputError } from '../../errors.ts';
import { loadCommandConfig, numberFlag } from '../context.ts';

export interface ViewOptions {
  /** A runs directory, or one run's directory (holding run.json); default: runs_dir of the config. */
  target?: string;
  runsDir: string;
  host: string;
  port: number;
}

/**
 * Starts the viewer and returns the URL to open (the run's page when `target` is a run) and a stop
 * function. A target that is neither a directory of runs nor a run is InputError.
 */
export async function runView(options: ViewOptions): Promise<{ url: string; close: () => Promise<void> }> {
  let runsDir = options.runsDir;
  let page = '/';
  if (options.target !== undefined) {
    const target = resolve(options.target);
    if (!existsSync(target) || !statSync(target).isDirectory())
      throw new InputError(
        `expected a runs directory or a run directory (one holding run.json), received ${JSON.stringify(options.target)}, which is not a directory`,
      );
    if (existsSync(join(target, 'run.json'))) {
      runsDir = dirname(target);
      page = `/runs/${encodeURIComponent(basename(target))}`;
    } else runsDir = target;
  }
  const server = await startViewer({ runsDir, host: options.host, port: options.port });
  return { url: `${server.url}${page}`, close: server.close };
}

export function registerView(program: Command): void {
  program
    .command('view')
    .description('browse runs and transcripts in the browser, with probe readings on the tokens')
    .argument('[runs-dir-or-run]', 'a runs directory or one run directory (default: runs_dir of the config)')
    .option('--host <host>', 'address to bind (anything but loopback exposes the transcripts)', '127.0.0.1')
    .option(
      '--port <n>',
      'port to listen on (0 picks a free one)',
      numberFlag('--port', { integer: true, min: 0 }),
      8600,
    )
    .option('--open', 'open the page in the default browser (xdg-open)')
    .action(
      async (
        target: string | undefined,
        opts: { host: string; port: number; open?: boolean },
        command: Command,
      ) => {
        const { config } = await loadCommandConfig(command);
        const { url } = await runView({ target, runsDir: config.runs_dir, host: opts.host, port: opts.port });
        console.log(`serving ${url} (Ctrl-C stops)`);
        if (opts.open)
          spawn('xdg-open', [url], { detached: true, stdio: 'ignore' })
            .on('error', () => {})
            .unref();
      },
    );
}
