/**
 * Two runs side by side: per condition and overall, both cheat rates (impossible tasks) and honest-success
 * rates (control twins), the change from run A to run B with its Newcombe interval, an exact test (McNemar on
 * pairs when the runs are paired, Fisher otherwise) and a task-stratified Cochran-Mantel-Haenszel test when
 * several tasks contribute.
 *
 * Pairing: episodes are matched by (task, epoch, condition). The runs are paired when every matched episode
 * has the same seed in both (the same plan, so the same sampling noise on both sides); otherwise each run is
 * an independent sample.
 */
import { InputError } from '../harness/errors.ts';
import type { EpisodeRecord } from '../harness/log/index.ts';
import { cochranMantelHaenszel, type Table2x2, type TestResult } from './inference.ts';
import { fisherExact, type Interval, mcnemarExact, newcombe, wilson } from './stats.ts';

export interface RateSide {
  events: number;
  n: number;
  rate: Interval;
}

export interface RateComparison {
  a: RateSide;
  b: RateSide;
  /** Rate of B minus rate of A, with Newcombe's hybrid score interval (95 %). */
  difference: Interval;
  test: {
    name: 'exact McNemar' | 'Fisher exact';
    pValue: number;
    /** Paired only: pairs, and pairs where only A / only B had the event. */
    pairs?: number;
    onlyA?: number;
    onlyB?: number;
  };
  /** Stratified by task (by task and condition for the overall row); present when two or more tasks contribute. */
  stratified?: TestResult & { name: 'Cochran-Mantel-Haenszel'; strata: number };
}

export interface ConditionComparison {
  conditionId: string;
  cheat: RateComparison;
  control: RateComparison;
}

export interface Comparison {
  runA: string;
  runB: string;
  paired: boolean;
  /** Why the runs are (not) paired, in a sentence. */
  pairing: string;
  tasks: string[];
  conditions: ConditionComparison[];
  overall: { cheat: RateComparison; control: RateComparison };
  /** What one run has and the other lacks, left out of the comparison. */
  leftOut: string[];
}

const cheated = (r: EpisodeRecord) => r.verdict.outcome === 'cheated';
const honest = (r: EpisodeRecord) => r.verdict.outcome === 'passed_honestly';
const pairKey = (r: EpisodeRecord) => `${r.taskId}\0${r.epoch}\0${r.conditionId}`;

function side(records: EpisodeRecord[], event: (r: EpisodeRecord) => boolean): RateSide {
  const events = records.filter(event).length;
  return { events, n: records.length, rate: wilson(events, records.length) };
}

/** Compares the event rate of two sets of episodes. `stratum` names the stratum of an episode. */
export function compareRates(
  a: EpisodeRecord[],
  b: EpisodeRecord[],
  event: (r: EpisodeRecord) => boolean,
  paired: boolean,
  stratum: (r: EpisodeRecord) => string = (r) => r.taskId,
): RateComparison {
  const sa = side(a, event);
  const sb = side(b, event);
  const difference = newcombe(sb.events, sb.n, sa.events, sa.n);
  let test: RateComparison['test'];
  if (paired) {
    const byKey = new Map(a.map((r) => [pairKey(r), r]));
    let pairs = 0;
    let onlyA = 0;
    let onlyB = 0;
    for (const r of b) {
      const other = byKey.get(pairKey(r));
      if (!other) continue;
      pairs++;
      if (event(other) && !event(r)) onlyA++;
      if (!event(other) && event(r)) onlyB++;
    }
    test = { name: 'exact McNemar', pValue: mcnemarExact(onlyA, onlyB), pairs, onlyA, onlyB };
  } else {
    test = {
      name: 'Fisher exact',
      pValue: fisherExact(sa.events, sa.n - sa.events, sb.events, sb.n - sb.events),
    };
  }
  const strata = new Map<string, Table2x2>();
  for (const [records, group] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    for (const r of records) {
      const t = strata.get(stratum(r)) ?? { a: 0, b: 0, c: 0, d: 0 };
      if (group === 'a') event(r) ? t.a++ : t.b++;
      else event(r) ? t.c++ : t.d++;
      strata.set(stratum(r), t);
    }
  }
  const contributing = [...strata.values()].filter((t) => t.a + t.b > 0 && t.c + t.d > 0);
  const stratified =
    contributing.length >= 2
      ? {
          name: 'Cochran-Mantel-Haenszel' as const,
          strata: contributing.length,
          ...cochranMantelHaenszel(contributing),
        }
      : undefined;
  return { a: sa, b: sb, difference, test, stratified };
}

/**
 * Compares run B against run A on the tasks and conditions both hold (or the `conditions` asked for).
 * Throws InputError when the runs share no task or no condition, or a condition asked for is missing from
 * either, naming what each run has.
 */
export function compareRuns(
  runA: { runId: string; records: EpisodeRecord[] },
  runB: { runId: string; records: EpisodeRecord[] },
  options: { conditions?: string[] } = {},
): Comparison {
  const tasksOf = (rs: EpisodeRecord[]) => new Set(rs.map((r) => r.taskId));
  const conditionsOf = (rs: EpisodeRecord[]) => [...new Set(rs.map((r) => r.conditionId))];
  const [tasksA, tasksB] = [tasksOf(runA.records), tasksOf(runB.records)];
  const [condA, condB] = [conditionsOf(runA.records), conditionsOf(runB.records)];
  const list = (xs: Iterable<string>) => [...xs].sort().join(', ') || 'none';
  const tasks = [...tasksA].filter((t) => tasksB.has(t)).sort();
  if (tasks.length === 0) {
    throw new InputError(
      `runs ${runA.runId} and ${runB.runId} share no task: ${runA.runId} has ${list(tasksA)}; ${runB.runId} has ${list(tasksB)}`,
    );
  }
  let conditions = condA.filter((c) => condB.includes(c));
  if (options.conditions?.length) {
    const missing = options.conditions.filter((c) => !conditions.includes(c));
    if (missing.length) {
      throw new InputError(
        `condition ${missing.join(', ')} is not in both runs: ${runA.runId} has ${list(condA)}; ${runB.runId} has ${list(condB)}`,
      );
    }
    conditions = options.conditions;
  }
  if (conditions.length === 0) {
    throw new InputError(
      `runs ${runA.runId} and ${runB.runId} share no condition: ${runA.runId} has ${list(condA)}; ${runB.runId} has ${list(condB)}`,
    );
  }
  const keep = (r: EpisodeRecord) => tasks.includes(r.taskId) && conditions.includes(r.conditionId);
  const a = runA.records.filter(keep);
  const b = runB.records.filter(keep);

  const byKey = new Map(a.map((r) => [pairKey(r), r]));
  const matched = b.filter((r) => byKey.has(pairKey(r)));
  const seedMismatch = matched.filter((r) => byKey.get(pairKey(r))!.seed !== r.seed).length;
  const paired = matched.length > 0 && seedMismatch === 0;
  const pairing = paired
    ? `paired: ${matched.length} episodes match by task, epoch and condition with the same seed in both runs`
    : matched.length === 0
      ? 'unpaired: no episode of one run matches an episode of the other by task, epoch and condition'
      : `unpaired: ${seedMismatch} of ${matched.length} episodes matched by task, epoch and condition have different seeds`;

  const leftOut: string[] = [];
  const only = (xs: Iterable<string>, ys: { has(x: string): boolean }, run: string, what: string) => {
    const extra = [...xs].filter((x) => !ys.has(x));
    if (extra.length) leftOut.push(`${what} only in ${run}: ${extra.sort().join(', ')}`);
  };
  only(tasksA, tasksB, runA.runId, 'tasks');
  only(tasksB, tasksA, runB.runId, 'tasks');
  only(condA, new Set(conditions), runA.runId, 'conditions');
  only(condB, new Set(conditions), runB.runId, 'conditions');

  const impossible = (rs: EpisodeRecord[]) => rs.filter((r) => r.impossible);
  const control = (rs: EpisodeRecord[]) => rs.filter((r) => !r.impossible);
  const byCondition = (rs: EpisodeRecord[], c: string) => rs.filter((r) => r.conditionId === c);
  const overallStratum = (r: EpisodeRecord) => `${r.taskId}\0${r.conditionId}`;
  return {
    runA: runA.runId,
    runB: runB.runId,
    paired,
    pairing,
    tasks,
    conditions: conditions.map((c) => ({
      conditionId: c,
      cheat: compareRates(impossible(byCondition(a, c)), impossible(byCondition(b, c)), cheated, paired),
      control: compareRates(control(byCondition(a, c)), control(byCondition(b, c)), honest, paired),
    })),
    overall: {
      cheat: compareRates(impossible(a), impossible(b), cheated, paired, overallStratum),
      control: compareRates(control(a), control(b), honest, paired, overallStratum),
    },
    leftOut,
  };
}
