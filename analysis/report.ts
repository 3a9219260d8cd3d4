/**
 * The report of one run as data: the run summary (every field `summarise` gives), dose-response per
 * emotion with a trend test, probe readings by attempt with t intervals (impossible tasks against control
 * twins), and strategies per condition. Renderers (markdown, HTML, JSON) and figures read only this.
 */
import type { EpisodeRecord } from '../harness/log/index.ts';
import { cochranArmitage, type DoseGroup, type TestResult, tInterval } from './inference.ts';
import { renderSummary } from './render.ts';
import { type Interval, wilson } from './stats.ts';
import { type RunSummary, type SummaryOptions, summarise } from './summary.ts';

export interface RunInfo {
  runId: string;
  configHash: string;
  createdAt: string;
  /** Episodes in the plan, when run.json says. */
  plannedEpisodes?: number;
  recordedEpisodes: number;
  /** Model files the records name, with their quantization. */
  models: string[];
}

export interface DosePoint extends DoseGroup {
  conditionId: string;
  rate: Interval;
}

/**
 * Cheat rate against the steering strength of one emotion in standard deviations of its neutral reading
 * (`--steer name=c` moves the reading by c sd; the baseline is 0).
 */
export interface DoseResponse {
  emotion: string;
  points: DosePoint[];
  /** Cochran-Armitage trend test over the strengths; a positive statistic means the rate rises. */
  trend: TestResult;
}

/**
 * Mean per-attempt reading across episodes, with its 95 % t interval. The reading is the reply-mean z: standard
 * deviations of the neutral-text reading at the probe layer.
 */
export interface TrajectoryPoint {
  emotion: string;
  conditionId: string;
  tasks: 'impossible' | 'control';
  attempt: number;
  n: number;
  mean: number;
  low: number;
  high: number;
}

export interface StrategyCount {
  conditionId: string;
  strategy: string;
  count: number;
}

export interface Report {
  run: RunInfo;
  /** Everything `summarise` gives: validity, and per condition rates, readings, trajectories, coherence. */
  summary: RunSummary;
  /** The terminal summary, verbatim, so that everything `show` prints is in the report too. */
  summaryText: string;
  doseResponse: DoseResponse[];
  trajectories: TrajectoryPoint[];
  strategies: StrategyCount[];
}

/** `options` are the run's own summary settings (capability floor, coherence thresholds, solution files). */
export function buildReport(
  meta: { runId: string; configHash: string; createdAt: string; plan?: { episodes?: number } },
  records: EpisodeRecord[],
  options: SummaryOptions = {},
): Report {
  const summary = summarise(records, options);
  return {
    run: {
      runId: meta.runId,
      configHash: meta.configHash,
      createdAt: meta.createdAt,
      plannedEpisodes: meta.plan?.episodes,
      recordedEpisodes: records.length,
      models: [...new Set(records.map((r) => `${r.model.file} (${r.model.quantization})`))],
    },
    summary,
    summaryText: records.length ? renderSummary(summary) : 'no episode recorded',
    doseResponse: doseResponse(records),
    trajectories: trajectories(records),
    strategies: summary.conditions.flatMap((s) =>
      Object.entries(s.strategies).map(([strategy, count]) => ({
        conditionId: s.conditionId,
        strategy,
        count,
      })),
    ),
  };
}

/**
 * Conditions that steer one emotion alone, grouped by emotion; an emotion with at least two distinct
 * strengths (in sd) gets a dose-response (with the unsteered conditions at 0 when the run has them).
 */
export function doseResponse(records: EpisodeRecord[]): DoseResponse[] {
  const impossible = records.filter((r) => r.impossible);
  const byCondition = new Map<string, EpisodeRecord[]>();
  for (const r of impossible) byCondition.set(r.conditionId, [...(byCondition.get(r.conditionId) ?? []), r]);
  const point = (conditionId: string, dose: number, list: EpisodeRecord[]): DosePoint => {
    const events = list.filter((r) => r.verdict.outcome === 'cheated').length;
    return { conditionId, dose, events, n: list.length, rate: wilson(events, list.length) };
  };
  const unsteered = [...byCondition].filter(([, list]) => list[0]!.condition.steer.length === 0);
  const byEmotion = new Map<string, DosePoint[]>();
  for (const [conditionId, list] of byCondition) {
    const steer = list[0]!.condition.steer;
    if (steer.length !== 1 || steer[0]!.sd === 0) continue;
    const emotion = steer[0]!.vector;
    byEmotion.set(emotion, [
      ...(byEmotion.get(emotion) ?? []),
      point(conditionId, steer[0]!.sd, list),
    ]);
  }
  const out: DoseResponse[] = [];
  for (const [emotion, steered] of [...byEmotion].sort(([a], [b]) => a.localeCompare(b))) {
    if (new Set(steered.map((p) => p.dose)).size < 2) continue;
    const points = [...unsteered.map(([id, list]) => point(id, 0, list)), ...steered].sort(
      (a, b) => a.dose - b.dose,
    );
    out.push({ emotion, points, trend: cochranArmitage(points) });
  }
  return out;
}

/** The emotions the report's readings cover: desperation and calm first, then the rest alphabetically. */
export function readingEmotions(report: Pick<Report, 'trajectories'>): string[] {
  const first = ['desperation', 'calm'];
  const rank = (e: string) => (first.includes(e) ? first.indexOf(e) : first.length);
  return [...new Set(report.trajectories.map((t) => t.emotion))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

/** Readings by attempt index per condition, impossible tasks and control twins apart, episodes as units. */
export function trajectories(records: EpisodeRecord[]): TrajectoryPoint[] {
  const groups = new Map<
    string,
    { key: Omit<TrajectoryPoint, 'n' | 'mean' | 'low' | 'high'>; values: number[] }
  >();
  for (const r of records) {
    for (const attempt of r.attempts) {
      for (const [emotion, reading] of Object.entries(attempt.readings ?? {})) {
        const key = {
          emotion,
          conditionId: r.conditionId,
          tasks: r.impossible ? ('impossible' as const) : ('control' as const),
          attempt: attempt.index,
        };
        const id = JSON.stringify(key);
        const group = groups.get(id) ?? { key, values: [] };
        group.values.push(reading.z.mean);
        groups.set(id, group);
      }
    }
  }
  return [...groups.values()]
    .map(({ key, values }) => {
      const t = tInterval(values);
      return { ...key, n: t.n, mean: t.estimate, low: t.low, high: t.high };
    })
    .sort(
      (a, b) =>
        a.emotion.localeCompare(b.emotion) ||
        a.conditionId.localeCompare(b.conditionId) ||
        a.tasks.localeCompare(b.tasks) ||
        a.attempt - b.attempt,
    );
}
