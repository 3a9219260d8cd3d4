import { describe, expect, it } from 'vitest';
import { conditionSlug, planEpisodes } from '../../harness/experiment/plan.ts';

describe('planEpisodes', () => {
  const plan = planEpisodes({
    taskIds: ['sum', 'sort'],
    conditionIds: ['baseline', 'desperation=-2'],
    epochs: 2,
    runSeed: 7,
  });

  it('crosses tasks, conditions and epochs with unique ids', () => {
    expect(plan).toHaveLength(8);
    expect(new Set(plan.map((e) => e.episodeId)).size).toBe(8);
    expect(plan[1]!.episodeId).toBe('sum.desperation_m2.e1');
  });

  it('gives a task and epoch the same seed under every condition, and different seeds otherwise', () => {
    const seeds = (task: string, epoch: number) =>
      new Set(plan.filter((e) => e.taskId === task && e.epoch === epoch).map((e) => e.seed));
    expect(seeds('sum', 1).size).toBe(1);
    const distinct = new Set([
      ...seeds('sum', 1),
      ...seeds('sum', 2),
      ...seeds('sort', 1),
      ...seeds('sort', 2),
    ]);
    expect(distinct.size).toBe(4);
  });

  it('is deterministic for a run seed', () => {
    const again = planEpisodes({
      taskIds: ['sum', 'sort'],
      conditionIds: ['baseline', 'desperation=-2'],
      epochs: 2,
      runSeed: 7,
    });
    expect(again).toEqual(plan);
    const other = planEpisodes({ taskIds: ['sum'], conditionIds: ['baseline'], epochs: 1, runSeed: 8 });
    expect(other[0]!.seed).not.toBe(plan[0]!.seed);
  });

  it('slugs condition ids for file names', () => {
    expect(conditionSlug('desperation=-2')).toBe('desperation_m2');
    expect(conditionSlug('calm=+0.5')).toBe('calm_0.5');
    expect(conditionSlug('baseline')).toBe('baseline');
  });
});
