import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planEpisodes } from '../../harness/experiment/plan.ts';
import { runEpisodes } from '../../harness/experiment/runner.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import { makeRecord } from '../support/records.ts';

const plan = planEpisodes({
  taskIds: ['a', 'b', 'c'],
  conditionIds: ['baseline', 'calm=+2'],
  epochs: 2,
  runSeed: 1,
});

async function newStore(): Promise<RunStore> {
  const runs = await mkdtemp(join(tmpdir(), 'harness-runner-'));
  return RunStore.create(runs, 'r', { schemaVersion: 1, configHash: 'h', config: {}, plan: {} });
}

describe('runEpisodes', () => {
  it('runs every planned episode once, never more than the concurrency at a time', async () => {
    const store = await newStore();
    let running = 0;
    let peak = 0;
    const records = await runEpisodes({
      store,
      plan,
      concurrency: 3,
      execute: async (spec) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return { record: makeRecord(spec), transcript: { id: spec.episodeId } };
      },
    });
    expect(records.map((r) => r.episodeId)).toEqual(plan.map((e) => e.episodeId));
    expect(peak).toBe(3);
    expect((await store.readEpisodes()).length).toBe(12);
  });

  it('resumes without redoing or duplicating finished episodes', async () => {
    const store = await newStore();
    const executed: string[] = [];
    const crashAt = 5;
    await expect(
      runEpisodes({
        store,
        plan,
        concurrency: 1,
        execute: async (spec) => {
          if (executed.length === crashAt) throw new Error('harness crashed');
          executed.push(spec.episodeId);
          return { record: makeRecord(spec), transcript: {} };
        },
      }),
    ).rejects.toThrow('harness crashed');
    expect((await store.readEpisodes()).length).toBe(crashAt);

    const resumed: string[] = [];
    const records = await runEpisodes({
      store,
      plan,
      concurrency: 2,
      execute: async (spec) => {
        resumed.push(spec.episodeId);
        return { record: makeRecord(spec), transcript: {} };
      },
    });
    expect(resumed).toHaveLength(plan.length - crashAt);
    expect(resumed.some((id) => executed.includes(id))).toBe(false);
    const ids = (await store.readEpisodes()).map((r) => (r as { episodeId: string }).episodeId);
    expect(ids.sort()).toEqual(plan.map((e) => e.episodeId).sort());
    expect(records).toHaveLength(plan.length);
  });

  it('refuses a run file holding a record of another schema', async () => {
    const store = await newStore();
    store.appendEpisode({ schemaVersion: 99, episodeId: 'x' });
    await expect(
      runEpisodes({
        store,
        plan,
        concurrency: 1,
        execute: async () => ({ record: makeRecord(plan[0]!), transcript: {} }),
      }),
    ).rejects.toThrow(/line 1: schemaVersion/);
  });
});
