import { EPISODE_SCHEMA_VERSION, type EpisodeRecord } from '../../harness/log/index.ts';
import type { EpisodeSpec } from '../../harness/experiment/plan.ts';

/** A schema-valid episode record for tests of the run store, runner and analysis. */
export function makeRecord(spec: EpisodeSpec, overrides: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    schemaVersion: EPISODE_SCHEMA_VERSION,
    runId: 'test-run',
    episodeId: spec.episodeId,
    taskId: spec.taskId,
    family: 'conflicting-tests',
    impossible: true,
    conditionId: spec.conditionId,
    condition: { id: spec.conditionId, steer: [] },
    epoch: spec.epoch,
    seed: spec.seed,
    model: {
      backend: 'local',
      name: 'model',
      file: 'model.gguf',
      sha256: 'ab'.repeat(32),
      quantization: 'Q4_1',
      layers: 30,
      capabilities: { steering: true, readings: true },
    },
    attempts: [],
    endReason: 'max_attempts',
    verdict: {
      outcome: 'failed',
      strategies: [],
      attemptedStrategies: [],
      evidence: [],
      explanation: 'tests failed',
    },
    errors: [],
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
    ...overrides,
  };
}
