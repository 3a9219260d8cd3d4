/**
 * Tests and intervals beyond single rates: the task-stratified Cochran-Mantel-Haenszel test, the
 * Cochran-Armitage trend test for dose-response, and t intervals for mean readings. Distribution functions
 * come from jstat's statistics tables.
 */
import jStat from 'jstat';
import type { Interval } from './stats.ts';

/** One stratum's 2x2 table: rows are the two groups, columns event / no event. */
export interface Table2x2 {
  /** group 1 with the event */
  a: number;
  /** group 1 without */
  b: number;
  /** group 2 with the event */
  c: number;
  /** group 2 without */
  d: number;
}

export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * Cochran-Mantel-Haenszel test of no association across strata (here: tasks), with the continuity
 * correction: X = (|sum a - sum E[a]| - 1/2)^2 / sum Var[a], E[a] = n1 m1 / n, Var[a] = n1 n2 m1 m2 / (n^2 (n-1)),
 * chi-square with 1 degree of freedom (Mantel and Haenszel 1959; Agresti 2002, section 6.3.2). Strata with
 * fewer than two episodes or a constant margin carry no information and are left out. Returns statistic 0 and
 * p = 1 when no stratum is informative. Same as statsmodels StratifiedTable.test_null_odds(correction=True).
 */
export function cochranMantelHaenszel(strata: readonly Table2x2[]): TestResult {
  let observed = 0;
  let expected = 0;
  let variance = 0;
  for (const { a, b, c, d } of strata) {
    const n = a + b + c + d;
    const n1 = a + b;
    const n2 = c + d;
    const m1 = a + c;
    const m2 = b + d;
    if (n < 2) continue;
    const v = (n1 * n2 * m1 * m2) / (n * n * (n - 1));
    if (v === 0) continue;
    observed += a;
    expected += (n1 * m1) / n;
    variance += v;
  }
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const statistic = Math.max(0, Math.abs(observed - expected) - 0.5) ** 2 / variance;
  return { statistic, pValue: 1 - jStat.chisquare.cdf(statistic, 1) };
}

/** Events out of n at one dose (for example one steering strength of one emotion). */
export interface DoseGroup {
  dose: number;
  events: number;
  n: number;
}

/**
 * Cochran-Armitage test for a linear trend of a rate over doses, in its conditional (permutation) form:
 * T = sum d_i (x_i - n_i p) with p = sum x / N, Var T = p (1 - p) sum n_i (d_i - mean d)^2 N / (N - 1), and
 * Z = T / sqrt(Var T) against the standard normal, two-sided (Armitage 1955; the hypergeometric variance is
 * Mantel's 1963 extension, equal to the linear-by-linear association test, Agresti 2002, section 3.4.6). Z > 0 means the rate rises with the dose. Same as statsmodels
 * Table(counts).test_ordinal_association(row_scores=doses, col_scores=[1, 0]). Returns Z = 0, p = 1 when
 * every group has the same outcome or there is one dose.
 */
export function cochranArmitage(groups: readonly DoseGroup[]): TestResult {
  const total = groups.reduce((s, g) => s + g.n, 0);
  const events = groups.reduce((s, g) => s + g.events, 0);
  if (total < 2 || events === 0 || events === total) return { statistic: 0, pValue: 1 };
  const meanDose = groups.reduce((s, g) => s + g.n * g.dose, 0) / total;
  const ssDose = groups.reduce((s, g) => s + g.n * (g.dose - meanDose) ** 2, 0);
  if (ssDose === 0) return { statistic: 0, pValue: 1 };
  const p = events / total;
  const t = groups.reduce((s, g) => s + g.dose * (g.events - g.n * p), 0);
  const variance = (p * (1 - p) * ssDose * total) / (total - 1);
  const statistic = t / Math.sqrt(variance);
  return { statistic, pValue: 2 * (1 - jStat.normal.cdf(Math.abs(statistic), 0, 1)) };
}

/**
 * Mean of `values` with its two-sided t interval at `level` (Student 1908): mean +- t(level, n-1) sd / sqrt(n).
 * One value gives the uninformative interval (-Infinity, Infinity); none gives NaN everywhere. Same as
 * scipy.stats.t.interval(level, n - 1, loc=mean, scale=scipy.stats.sem(values)).
 */
export function tInterval(values: readonly number[], level = 0.95): Interval & { n: number } {
  const n = values.length;
  if (n === 0) return { n, estimate: Number.NaN, low: Number.NaN, high: Number.NaN };
  const m = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, estimate: m, low: -Infinity, high: Infinity };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  const half = jStat.studentt.inv(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, estimate: m, low: m - half, high: m + half };
}
