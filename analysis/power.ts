/**
 * The smallest difference in cheat rate a run could detect: exact power of the two-sided Fisher exact test
 * (5 %) for two independent groups of n episodes, by enumerating every pair of outcomes.
 */

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

function binomialPmf(n: number, p: number): number[] {
  return Array.from({ length: n + 1 }, (_, k) => {
    if (p === 0) return k === 0 ? 1 : 0;
    if (p === 1) return k === n ? 1 : 0;
    return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
  });
}

/**
 * The tables (x of n against y of n) at which the two-sided Fisher exact test rejects at level alpha, as an
 * (n + 1) x (n + 1) row-major mask. The test conditions on the column total t = x + y, so the p-values of
 * every table with one t come from one hypergeometric distribution: sorting its log-probabilities once and
 * summing from the least likely gives each table's p-value (the mass of tables at most as likely, with
 * `fisherExact`'s 1e-7 tolerance) in O(n log n), O(n^2 log n) in all instead of O(n^3) table by table.
 * The last mask is kept: a bisection asks for one n again and again.
 */
function rejectionMask(n: number, alpha: number): Uint8Array {
  if (lastMask?.n === n && lastMask.alpha === alpha) return lastMask.mask;
  const mask = new Uint8Array((n + 1) * (n + 1));
  const logFactorial = new Float64Array(2 * n + 1);
  for (let i = 2; i <= 2 * n; i++) logFactorial[i] = logFactorial[i - 1]! + Math.log(i);
  const constant = 2 * logFactorial[n]! - logFactorial[2 * n]!;
  for (let t = 0; t <= 2 * n; t++) {
    const lo = Math.max(0, t - n);
    const hi = Math.min(n, t);
    const logP: number[] = [];
    for (let x = lo; x <= hi; x++)
      logP.push(
        constant +
          logFactorial[t]! +
          logFactorial[2 * n - t]! -
          logFactorial[x]! -
          logFactorial[n - x]! -
          logFactorial[t - x]! -
          logFactorial[n - t + x]!,
      );
    const sorted = [...logP].sort((a, b) => a - b);
    const cumulative: number[] = [];
    let sum = 0;
    for (const lp of sorted) {
      sum += Math.exp(lp);
      cumulative.push(sum);
    }
    for (let i = 0; i < logP.length; i++) {
      // The last sorted index with log-probability <= this table's + 1e-7.
      let a = 0;
      let b = sorted.length - 1;
      while (a < b) {
        const mid = (a + b + 1) >> 1;
        if (sorted[mid]! <= logP[i]! + 1e-7) a = mid;
        else b = mid - 1;
      }
      const x = lo + i;
      if (Math.min(1, cumulative[a]!) <= alpha) mask[x * (n + 1) + (t - x)] = 1;
    }
  }
  lastMask = { n, alpha, mask };
  return mask;
}

let lastMask: { n: number; alpha: number; mask: Uint8Array } | undefined;

/**
 * Probability that Fisher's exact test (two-sided, level alpha) rejects when k0 ~ Bin(n, p0) and
 * k1 ~ Bin(n, p1). Exact: the sum of both binomial probabilities over the rejection region.
 */
export function fisherPower(n: number, p0: number, p1: number, alpha = 0.05): number {
  const a = binomialPmf(n, p0);
  const b = binomialPmf(n, p1);
  const mask = rejectionMask(n, alpha);
  let power = 0;
  for (let x = 0; x <= n; x++) {
    if (a[x]! < 1e-15) continue;
    let row = 0;
    for (let y = 0; y <= n; y++) if (mask[x * (n + 1) + y]) row += b[y]!;
    power += a[x]! * row;
  }
  return power;
}

/**
 * The smallest |p1 - p0| (either direction) at which `fisherPower` reaches `power` with n per group, by
 * bisection to 1e-4; undefined when no p1 in [0, 1] reaches it (n too small).
 */
export function minimumDetectableDifference(
  n: number,
  p0: number,
  options: { power?: number; alpha?: number } = {},
): number | undefined {
  const target = options.power ?? 0.8;
  const alpha = options.alpha ?? 0.05;
  const search = (sign: 1 | -1): number | undefined => {
    const room = sign > 0 ? 1 - p0 : p0;
    if (n === 0 || fisherPower(n, p0, p0 + sign * room, alpha) < target) return undefined;
    let lo = 0;
    let hi = room;
    while (hi - lo > 1e-4) {
      const mid = (lo + hi) / 2;
      if (fisherPower(n, p0, p0 + sign * mid, alpha) >= target) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const found = [search(1), search(-1)].filter((d): d is number => d !== undefined);
  return found.length ? Math.min(...found) : undefined;
}
