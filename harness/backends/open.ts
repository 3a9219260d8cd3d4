/** The backend a config names: the choke point where `run` (and the judge) get their model. */
import type { HarnessConfig } from '../config/index.ts';
import { resolveModelPath } from '../model/fetch.ts';
import { AnthropicBackend } from './anthropic.ts';
import { LocalBackend } from './local.ts';
import type { ModelBackend } from './types.ts';

export interface OpenOptions {
  /** Sequences the local model decodes together (the run's episode concurrency). */
  maxBatch: number;
  /** Finished sequences the local model keeps for prompts that start with them. */
  prefixEntries: number;
  onProgress?: (message: string) => void;
}

/**
 * model.backend of the config, opened: the local model loaded with its vectors, or a Messages API server
 * asked what it serves. PrerequisiteError (exit 2) when the model, its vectors or the server are missing.
 */
export async function openBackend(config: HarnessConfig, o: OpenOptions): Promise<ModelBackend> {
  const m = config.model;
  if (m.backend === 'anthropic')
    return AnthropicBackend.open({
      baseUrl: m.base_url ?? undefined,
      name: m.name!,
      concurrency: m.concurrency,
      maxRetries: m.max_retries,
      timeoutS: m.timeout_s,
    });
  return LocalBackend.open({
    path: resolveModelPath(m.source),
    load: {
      threads: m.threads,
      // Sandboxes run tests on the same cores between model turns: sleeping threads leave them room.
      spin: false,
      maxBatch: o.maxBatch,
      prefixEntries: o.prefixEntries,
      onProgress: o.onProgress,
    },
    vectorsPath: config.probes.vectors ?? undefined,
    probeLayer: config.probes.layer,
    steeringLayers: config.steering.layers,
    randomSeed: config.experiment.seed,
  });
}
