/** `harness serve`: the local model behind the Anthropic Messages API, until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import { LocalBackend } from '../../backends/index.ts';
import type { HarnessConfig } from '../../config/index.ts';
import { InputError } from '../../errors.ts';
import { resolveModelPath } from '../../model/fetch.ts';
import { createServer } from '../../serve/index.ts';
import { loadCommandConfig, modelOption, numberFlag } from '../context.ts';

export interface ServeFlags {
  port: number;
  host: string;
  /** The environment variable holding the key requests must carry; none = no key. */
  apiKeyEnv?: string;
  /** Sequences decoded together. */
  batch: number;
  /** Requests accepted at once (generating or waiting); more get 529. */
  queue: number;
  /** Finished replies kept for prompts that start with them; 0 = every prompt prefilled whole. */
  prefixCache: number;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  name: string;
  close(): Promise<void>;
}

/**
 * Loads the model (model.source of the config, which `--model` sets) and its vectors, and listens. The probe layer, steered blocks and random seed come from
 * the config exactly as `harness run` takes them, so steering through the API equals steering in a run.
 */
export async function runServe(
  flags: ServeFlags,
  config: HarnessConfig,
  deps: { env: Record<string, string | undefined>; log: (line: string) => void },
): Promise<RunningServer> {
  let apiKey: string | undefined;
  if (flags.apiKeyEnv !== undefined) {
    apiKey = deps.env[flags.apiKeyEnv];
    if (!apiKey)
      throw new InputError(
        `--api-key-env ${flags.apiKeyEnv}: expected the environment variable ${flags.apiKeyEnv} to hold the key, but it is unset or empty`,
      );
  }
  const backend = await LocalBackend.open({
    path: resolveModelPath(config.model.source),
    load: {
      threads: config.model.threads,
      maxBatch: flags.batch,
      prefixEntries: flags.prefixCache,
      onProgress: deps.log,
    },
    vectorsPath: config.probes.vectors ?? undefined,
    probeLayer: config.probes.layer,
    steeringLayers: config.steering.layers,
    randomSeed: config.experiment.seed,
  });
  const app = createServer(backend, { apiKey, maxQueue: flags.queue, bodyLimitBytes: 8 << 20 });
  try {
    await app.listen({ port: flags.port, host: flags.host });
  } catch (error) {
    await backend.dispose();
    throw new InputError(`cannot listen on ${flags.host}:${flags.port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : flags.port;
  const url = `http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}`;
  const name = backend.identity.name;
  deps.log(`serving ${name} at ${url} (POST /v1/messages, /v1/messages/count_tokens; GET /v1/models)`);
  deps.log(
    flags.host === '127.0.0.1' || flags.host === 'localhost' || flags.host === '::1'
      ? `bound to ${flags.host}: only this machine can connect (--host 0.0.0.0 to serve others)`
      : `bound to ${flags.host}: other machines can connect${apiKey ? '' : ', and no API key is required (--api-key-env NAME)'}`,
  );
  deps.log(apiKey ? `requests must carry the key in ${flags.apiKeyEnv}` : 'no API key required');
  deps.log(
    `steering after blocks ${backend.steerLayers.join(', ')} with layer ${backend.layer}'s vectors; readings at layer ${backend.layer}`,
  );
  return {
    url,
    name,
    async close() {
      await app.close();
      await backend.dispose();
    },
  };
}

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('serve the local model over the Anthropic Messages API, with steering and readings');
  modelOption(serve)
    .option(
      '--port <n>',
      'TCP port (0 = any free port)',
      numberFlag('--port', { integer: true, min: 0 }),
      8080,
    )
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--api-key-env <name>', 'require the key held by this environment variable (x-api-key)')
    .option('--batch <n>', 'sequences decoded together', numberFlag('--batch', { integer: true, min: 1 }), 8)
    .option(
      '--queue <n>',
      'requests accepted at once; more are answered 529 overloaded',
      numberFlag('--queue', { integer: true, min: 1 }),
      64,
    )
    .option(
      '--prefix-cache <n>',
      'keep the last n replies so a prompt that starts with one is not prefilled again (faster for agents; the reused part rounds differently, so a reply can depend on what was served before)',
      numberFlag('--prefix-cache', { integer: true, min: 0 }),
      0,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const server = await runServe(flags, config, {
        env: process.env,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stderr.write('stopping\n');
      await server.close();
    });
}
