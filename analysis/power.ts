/**
 * The smallest difference in cheat rate a run could detect: exact power of the two-sided Fisher exact test
 * (5 %) for two independent groups of n episodes, by enumerating every pair of outcomes.
 */
import { fisherExact } from './stats.ts';

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
 * Probability that Fisher's exact test (two-sided, level alpha) rejects when k0 ~ Bin(n, p0) and
 * k1 ~ Bin(n, p1). Exact, O(n^2) tables.
 */
export function fisherPower(n: number, p0: number, p1: number, alpha = 0.05): number {
  const a = binomialPmf(n, p0);
  const b = binomialPmf(n, p1);
  let power = 0;
  for (let x = 0; x <= n; x++) {
    if (a[x]! < 1e-15) continue;
    for (let y = 0; y <= n; y++) {
      if (b[y]! < 1e-15) continue;
      if (fisherExact(x, n - x, y, n - y) <= alpha) power += a[x]! * b[y]!;
    }
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
