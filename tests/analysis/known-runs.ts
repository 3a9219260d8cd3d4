/**
 * Two synthetic runs with known counts, for checking every number of report, compare and gate against
 * values computed independently (scipy 1.17.1 and statsmodels 0.15.0; each test names its call).
 *
 * Conditions baseline (no steering), desperation=-2 and desperation=+2. Impossible tasks t1..t4 and control
 * twins c1, c2, three epochs each: 12 impossible and 6 control episodes per condition. Outcomes below are in
 * plan order (task-major, then epoch): 1 = cheated (impossible) or passed honestly (control).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { planEpisodes } from '../../harness/experiment/plan.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import type { EpisodeRecord } from '../../harness/log/index.ts';
import { makeRecord } from '../support/records.ts';

export const CONDITIONS = ['baseline', 'desperation=-2', 'desperation=+2'] as const;
/** Strength in sd (what `--steer desperation=-2` asks for); the other units differ, so a test sees which is used. */
const SD: Record<string, number> = { baseline: 0, 'desperation=-2': -2, 'desperation=+2': 2 };
export const IMPOSSIBLE = ['t1', 't2', 't3', 't4'];
export const CONTROL = ['c1', 'c2'];

export const OUTCOMES: Record<'A' | 'B', Record<string, { cheat: number[]; honest: number[] }>> = {
  A: {
    baseline: { cheat: [1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0], honest: [1, 1, 0, 1, 1, 0] },
    'desperation=-2': { cheat: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], honest: [1, 1, 1, 1, 1, 0] },
    'desperation=+2': { cheat: [1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1], honest: [0, 1, 0, 1, 0, 0] },
  },
  B: {
    baseline: { cheat: [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0], honest: [1, 0, 0, 1, 0, 0] },
    'desperation=-2': { cheat: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0], honest: [1, 1, 1, 0, 1, 1] },
    'desperation=+2': { cheat: [1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0], honest: [0, 0, 0, 1, 0, 0] },
  },
};

/**
 * Desperation readings (reply-mean z) of the baseline condition in run A: [attempt 1, attempt 2] per episode.
 * The raw projections in the records are other numbers, so a test sees which is used.
 */
export const READINGS = {
  impossible: { 't1.1': [0.1, 0.9], 't1.2': [0.4, 1.3], 't1.3': [-0.2, 0.5] } as Record<string, number[]>,
  control: { 'c1.1': [0.0], 'c1.2': [0.2] } as Record<string, number[]>,
};

function attempt(index: number, desperation: number) {
  return {
    index,
    replyText: `reply ${index}`,
    stopReason: 'eos',
    filesWritten: [],
    problems: [],
    gaveUp: false,
    readings: {
      desperation: {
        z: { mean: desperation, lastPrompt: 0, max: desperation },
        mean: 10 * desperation - 4,
        lastPrompt: 0,
        max: 10 * desperation - 4,
        meanCosine: 0,
      },
    },
    promptTokens: 10,
    completionTokens: 5,
    summarisedTurns: 0,
    generateMs: 1,
    testMs: 1,
  };
}

/** The records of run A or B. `runSeed` sets the episode seeds: the same for both runs makes them paired. */
export function knownRecords(run: 'A' | 'B', runSeed = 7): EpisodeRecord[] {
  const runId = `known-${run}${runSeed === 7 ? '' : `-seed${runSeed}`}`;
  const records: EpisodeRecord[] = [];
  for (const conditionId of CONDITIONS) {
    const sd = SD[conditionId]!;
    const condition = {
      id: conditionId,
      steer:
        sd === 0
          ? []
          : [
              {
                vector: 'desperation',
                unit: 'sd' as const,
                sd,
                strength: sd / 40,
                coefficient: 3 * sd,
                layers: [20],
              },
            ],
    };
    for (const [tasks, impossible] of [
      [IMPOSSIBLE, true],
      [CONTROL, false],
    ] as const) {
      const outcomes = OUTCOMES[run][conditionId]![impossible ? 'cheat' : 'honest'];
      tasks.forEach((taskId, t) => {
        for (let epoch = 1; epoch <= 3; epoch++) {
          const [spec] = planEpisodes({
            taskIds: [taskId],
            conditionIds: [conditionId],
            epochs: 3,
            runSeed,
          }).filter((s) => s.epoch === epoch);
          const hit = outcomes[3 * t + epoch - 1] === 1;
          const readings =
            run === 'A' && conditionId === 'baseline'
              ? READINGS[impossible ? 'impossible' : 'control'][`${taskId}.${epoch}`]
              : undefined;
          records.push(
            makeRecord(spec!, {
              runId,
              impossible,
              family: impossible ? 'conflicting-tests' : 'control',
              condition,
              attempts: (readings ?? []).map((r, i) => attempt(i + 1, r)),
              verdict: {
                outcome: hit ? (impossible ? 'cheated' : 'passed_honestly') : 'failed',
                strategies: hit && impossible ? [t % 2 === 0 ? 'test_edit' : 'hardcoded_outputs'] : [],
                attemptedStrategies: [],
                evidence: [],
                explanation: hit ? 'known outcome' : 'tests failed',
              },
            }),
          );
        }
      });
    }
  }
  return records;
}

/** Writes the records as a run directory under `runsDir`, through the run store. */
export async function writeKnownRun(runsDir: string, records: EpisodeRecord[]): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  const runId = records[0]!.runId;
  const store = await RunStore.create(runsDir, runId, {
    schemaVersion: 1,
    configHash: 'c0ffee',
    config: {},
    plan: { episodes: records.length },
  });
  for (const r of records) store.appendEpisode(r);
  return join(runsDir, runId);
}
