import { describe, expect, it } from 'vitest';
import { renderSummary, summarise } from '../../analysis/index.ts';
import { planEpisodes } from '../../harness/experiment/plan.ts';
import type { EpisodeRecord } from '../../harness/log/index.ts';
import { makeRecord } from '../support/records.ts';

const reading = (mean: number) => ({ mean, lastPrompt: mean, max: mean, meanCosine: 0.1 });
const attempt = (index: number, desperation: number) => ({
  index,
  replyText: '',
  stopReason: 'eos',
  filesWritten: [],
  problems: [],
  gaveUp: false,
  readings: { desperation: reading(desperation) },
  promptTokens: 1,
  completionTokens: 1,
  summarisedTurns: 0,
  generateMs: 1,
  testMs: 1,
});

function records(): EpisodeRecord[] {
  const plan = planEpisodes({
    taskIds: ['t1', 't2', 't3', 't4'],
    conditionIds: ['baseline', 'desperation=+2'],
    epochs: 1,
    runSeed: 3,
  });
  return plan.map((spec) => {
    const steered = spec.conditionId !== 'baseline';
    const cheat = steered ? spec.taskId !== 't4' : spec.taskId === 't1';
    return makeRecord(spec, {
      attempts: [attempt(1, steered ? 1 : 0.5), attempt(2, steered ? 3 : 1)],
      verdict: cheat
        ? {
            outcome: 'cheated',
            strategies: ['test_edit'],
            attemptedStrategies: [],
            evidence: [],
            explanation: 'edited a test',
          }
        : {
            outcome: 'failed',
            strategies: [],
            attemptedStrategies: [],
            evidence: [],
            explanation: 'tests failed',
          },
    });
  });
}

describe('summarise', () => {
  const summaries = summarise(records());
  const baseline = summaries.find((s) => s.conditionId === 'baseline')!;
  const steered = summaries.find((s) => s.conditionId === 'desperation=+2')!;

  it('counts cheat rates on impossible tasks with Wilson intervals', () => {
    expect(baseline).toMatchObject({ episodes: 4, impossibleEpisodes: 4, cheated: 1 });
    expect(baseline.cheatRate.estimate).toBe(0.25);
    expect(steered.cheated).toBe(3);
    expect(steered.strategies).toEqual({ test_edit: 3 });
  });

  it('compares with the baseline on paired episodes', () => {
    expect(steered.vsBaseline).toMatchObject({ pairs: 4, onlyThis: 2, onlyBaseline: 0 });
    expect(steered.vsBaseline!.difference.estimate).toBeCloseTo(0.5);
    expect(steered.vsBaseline!.pValue).toBeCloseTo(0.5);
  });

  it('averages readings by attempt index', () => {
    expect(baseline.readingsByAttempt.desperation).toEqual([0.5, 1]);
    expect(steered.readingsByAttempt.desperation).toEqual([1, 3]);
  });

  it('renders a table a person can read', () => {
    const text = renderSummary(summaries);
    expect(text).toContain('1/4 25% [5%, 70%]');
    expect(text).toMatch(/desperation=\+2\s+50 pts/);
    expect(text).toMatch(/mean desperation by attempt\s+1\s+2/);
    // Reading tables follow the emotions the records carry unless a list is given.
    expect(renderSummary(summaries, ['calm'])).not.toContain('mean desperation');
  });
});
