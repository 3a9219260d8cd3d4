/**
 * Does a reading rise as failures accumulate? Per episode, the least-squares slope of the reading (z, mean
 * over the reply's tokens) on the attempt index; then, with episodes as the unit, the mean slope with a
 * Student t 95 % interval, and impossible minus control with Welch's interval.
 */
import jStat from 'jstat';
import type { EpisodeRecord } from '../harness/log/index.ts';
import { mean } from './stats.ts';

export interface SlopeEstimate {
  /** Episodes with at least two attempts carrying the reading. */
  episodes: number;
  /** Mean slope, sd per attempt; NaN with no episode. */
  estimate: number;
  /** 95 % interval; NaN when fewer than two episodes (or, for a difference, in either group). */
  low: number;
  high: number;
}

/** Ordinary least-squares slope of y on x; undefined with fewer than two distinct x. */
export function olsSlope(x: readonly number[], y: readonly number[]): number | undefined {
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  return sxx > 0 ? sxy / sxx : undefined;
}

/** The per-attempt slope of `emotion`'s z reading in one episode; undefined under two readings. */
export function episodeSlope(record: EpisodeRecord, emotion: string): number | undefined {
  const points = record.attempts.flatMap((a) => {
    const r = a.readings?.[emotion];
    return r ? [[a.index, r.z.mean] as const] : [];
  });
  return olsSlope(
    points.map((p) => p[0]),
    points.map((p) => p[1]),
  );
}

function sampleVariance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1);
}

/** Mean with a two-sided t interval at `level` (df = n - 1). */
export function meanWithInterval(values: readonly number[], level = 0.95): SlopeEstimate {
  const n = values.length;
  const estimate = mean(values);
  if (n < 2) return { episodes: n, estimate, low: Number.NaN, high: Number.NaN };
  const half = jStat.studentt.inv(1 - (1 - level) / 2, n - 1) * Math.sqrt(sampleVariance(values) / n);
  return { episodes: n, estimate, low: estimate - half, high: estimate + half };
}

/** Difference of means a - b with Welch's t interval (Welch-Satterthwaite degrees of freedom). */
export function welchDifference(a: readonly number[], b: readonly number[], level = 0.95): SlopeEstimate {
  const estimate = mean(a) - mean(b);
  const episodes = a.length + b.length;
  if (a.length < 2 || b.length < 2) return { episodes, estimate, low: Number.NaN, high: Number.NaN };
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { episodes, estimate, low: estimate, high: estimate };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = jStat.studentt.inv(1 - (1 - level) / 2, df) * se;
  return { episodes, estimate, low: estimate - half, high: estimate + half };
}

export interface Trajectory {
  emotion: string;
  impossible: SlopeEstimate;
  control: SlopeEstimate;
  /** impossible minus control. */
  difference: SlopeEstimate;
}

/** The slope estimates of one condition's episodes for one emotion. */
export function trajectory(records: readonly EpisodeRecord[], emotion: string): Trajectory {
  const slopes = (impossible: boolean) =>
    records
      .filter((r) => r.impossible === impossible)
      .flatMap((r) => {
        const s = episodeSlope(r, emotion);
        return s === undefined ? [] : [s];
      });
  const a = slopes(true);
  const b = slopes(false);
  return {
    emotion,
    impossible: meanWithInterval(a),
    control: meanWithInterval(b),
    difference: welchDifference(a, b),
  };
}
