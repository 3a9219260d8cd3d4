import { describe, expect, it } from 'vitest';
import type { EpisodeRecord } from '../../harness/log/index.ts';
import { episodeStats, percentileNearestRank, renderBench } from '../../scripts/bench-episodes.ts';
import { makeRecord } from '../support/records.ts';

type Attempt = EpisodeRecord['attempts'][number];

function attempt(completionTokens: number, generateMs: number): Attempt {
  return {
    index: 1,
    replyText: '',
    stopReason: 'length',
    filesWritten: [],
    problems: [],
    gaveUp: false,
    promptTokens: 100,
    completionTokens,
    summarisedTurns: 0,
    generateMs,
    testMs: 500,
  };
}

function episode(id: string, durationMs: number, attempts: Attempt[], outcome = 'failed'): EpisodeRecord {
  const record = makeRecord(
    { episodeId: id, taskId: 't', conditionId: 'baseline', epoch: 1, seed: 1 },
    { durationMs, attempts },
  );
  return {
    ...record,
    verdict: { ...record.verdict, outcome: outcome as EpisodeRecord['verdict']['outcome'] },
  };
}

describe('percentileNearestRank', () => {
  it('takes the smallest value at or above the rank', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentileNearestRank(values, 0.9)).toBe(9);
    expect(percentileNearestRank(values, 0.5)).toBe(5);
    expect(percentileNearestRank([7, 3, 5], 0.9)).toBe(7);
    expect(percentileNearestRank([], 0.9)).toBeNaN();
  });
});

describe('episodeStats', () => {
  const records = [
    episode('a', 60_000, [attempt(300, 20_000), attempt(100, 10_000)]),
    episode('b', 90_000, [attempt(200, 10_000)], 'cheated'),
    episode('c', 30_000, [attempt(400, 20_000), attempt(400, 20_000), attempt(0, 0)]),
  ];
  const stats = episodeStats(records, 120_000);

  it('counts episodes per hour over the timed wall time', () => {
    expect(stats.episodes).toBe(3);
    expect(stats.perHour).toBeCloseTo(90, 10);
  });

  it('summarises durations, attempts and outcomes', () => {
    expect(stats.medianMs).toBe(60_000);
    expect(stats.p90Ms).toBe(90_000);
    expect(stats.meanAttempts).toBe(2);
    expect(stats.outcomes).toEqual({ failed: 2, cheated: 1 });
  });

  it('gives reply tokens per second of wall time and of generate time', () => {
    expect(stats.replyTokens).toBe(1400);
    expect(stats.tokensPerSecond).toBeCloseTo(1400 / 120, 10);
    expect(stats.tokensPerGenerateSecond).toBeCloseTo(1400 / 80, 10);
  });

  it('leaves token rates out when no reply tokens were recorded', () => {
    const empty = episodeStats([episode('x', 1000, [])], 1000);
    expect(empty.tokensPerSecond).toBeUndefined();
    expect(empty.tokensPerGenerateSecond).toBeUndefined();
    expect(empty.meanAttempts).toBe(0);
  });
});

describe('renderBench', () => {
  it('prints both runs side by side and the ratio of episodes per hour', () => {
    const one = episodeStats([episode('a', 100_000, [attempt(384, 50_000)])], 100_000);
    const two = episodeStats(
      [episode('a', 100_000, [attempt(384, 80_000)]), episode('b', 100_000, [attempt(384, 80_000)])],
      125_000,
    );
    const text = renderBench({ concurrency: 1, stats: one }, { concurrency: 2, stats: two });
    const rows = text.split('\n');
    expect(rows[0]).toMatch(/concurrency 1\s+concurrency 2$/);
    expect(rows.find((r) => r.includes('episodes per hour'))).toMatch(/36\.0\s+57\.6$/);
    expect(rows.find((r) => r.includes('wall time'))).toMatch(/1m40s \(100\.0 s\)\s+2m05s \(125\.0 s\)$/);
    expect(rows.find((r) => r.includes('per generate call'))).toMatch(/7\.7\s+4\.8$/);
    expect(text).toContain('episodes per hour, concurrency 2 / concurrency 1: 1.60x');
  });
});
