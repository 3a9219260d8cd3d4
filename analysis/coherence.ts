/**
 * Did steering break the text? Two measures per condition, each against the unsteered condition of the same
 * run: the unsteered model's mean negative log-likelihood per token of the replies (recorded during the run,
 * when the model is at hand) and the share of distinct word trigrams (distinct-n, Li et al. 2016, "A
 * Diversity-Promoting Objective Function for Neural Conversation Models").
 *
 * Episodes are the unit (an episode's replies share a conversation): a condition counts as collapsed only
 * when Welch's 95 % interval over its episodes clears a threshold. A point estimate past a threshold whose
 * interval does not clear it is a doubt, said as such: with a few episodes a model that often loops (small
 * models do, steered or not) crosses a fixed ratio by chance.
 */
import type { EpisodeRecord } from '../harness/log/index.ts';
import { mean } from './stats.ts';
import { welchDifference } from './trajectory.ts';

/** Distinct n-grams of words over all n-grams of `text`; undefined when the text has fewer than n words. */
export function distinctNgrams(text: string, n = 3): number | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  if (words.length < n) return undefined;
  const grams = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) grams.add(words.slice(i, i + n).join(' '));
  return grams.size / (words.length - n + 1);
}

export interface CoherenceThresholds {
  /** Collapsed when the mean NLL per token exceeds the unsteered condition's by more than this (nats). */
  maxNllRise: number;
  /** Collapsed when the mean distinct-3 share falls below this fraction of the unsteered condition's. */
  minDistinctRatio: number;
}

export interface Coherence {
  /** Replies with a recorded NLL. */
  replies: number;
  /** Token-weighted mean NLL per token under the unsteered model (nats); NaN without replies. */
  nll: number;
  /** Mean over replies of the distinct-3 share; NaN without replies of three words. */
  distinct: number;
  /**
   * Per episode: the token-weighted mean NLL per token of its replies (nats; NaN without a recorded NLL) and
   * the mean distinct-3 share of its replies (NaN without a reply of three words).
   */
  episodes: { nll: number; distinct: number }[];
  /** Set when compared with an unsteered condition: did the text collapse (beyond the episodes' noise). */
  collapsed?: boolean;
  /** Why it collapsed: each threshold the 95 % interval over episodes clears. */
  reasons: string[];
  /** Thresholds the point estimate crosses but its 95 % interval does not clear (or too few episodes). */
  doubts: string[];
}

/** The two measures over every attempt of `records`. */
export function coherenceOf(records: readonly EpisodeRecord[]): Coherence {
  let nllSum = 0;
  let tokens = 0;
  let replies = 0;
  const distincts: number[] = [];
  const episodes: Coherence['episodes'] = [];
  for (const r of records) {
    let episodeNll = 0;
    let episodeTokens = 0;
    const episodeDistinct: number[] = [];
    for (const a of r.attempts) {
      if (a.unsteeredNll && a.unsteeredNll.tokens > 0) {
        episodeNll += a.unsteeredNll.mean * a.unsteeredNll.tokens;
        episodeTokens += a.unsteeredNll.tokens;
        replies++;
      }
      const d = distinctNgrams(a.replyText);
      if (d !== undefined) episodeDistinct.push(d);
    }
    nllSum += episodeNll;
    tokens += episodeTokens;
    distincts.push(...episodeDistinct);
    episodes.push({
      nll: episodeTokens ? episodeNll / episodeTokens : Number.NaN,
      distinct: episodeDistinct.length ? mean(episodeDistinct) : Number.NaN,
    });
  }
  return {
    replies,
    nll: tokens ? nllSum / tokens : Number.NaN,
    distinct: mean(distincts),
    episodes,
    reasons: [],
    doubts: [],
  };
}

/**
 * `c` judged against the unsteered condition's measures `reference`, episodes as the unit. NLL: the rise of
 * the per-episode mean over the reference's, with Welch's 95 % interval; collapsed when its low end exceeds
 * `maxNllRise`. Distinct 3-grams: the per-episode share minus `minDistinctRatio` times the reference's, with
 * Welch's interval; collapsed when its high end is below 0. A point estimate past a threshold whose interval
 * does not clear it (or with fewer than two episodes a side, no interval at all) goes to `doubts`.
 */
export function judgeCoherence(c: Coherence, reference: Coherence, t: CoherenceThresholds): Coherence {
  const reasons: string[] = [];
  const doubts: string[] = [];
  const finite = (values: number[]) => values.filter(Number.isFinite);
  const interval = (low: number, high: number, scale = 1, digits = 2) =>
    Number.isFinite(low) && Number.isFinite(high)
      ? `95 % interval over episodes [${(scale * low).toFixed(digits)}, ${(scale * high).toFixed(digits)}]`
      : 'too few episodes for an interval';
  const rise = welchDifference(
    finite(c.episodes.map((e) => e.nll)),
    finite(reference.episodes.map((e) => e.nll)),
  );
  if (rise.estimate > t.maxNllRise)
    (rise.low > t.maxNllRise ? reasons : doubts).push(
      `NLL ${rise.estimate.toFixed(2)} nats/token above the unsteered condition's, threshold ${t.maxNllRise} ` +
        `(${c.nll.toFixed(2)} vs ${reference.nll.toFixed(2)}; ${interval(rise.low, rise.high)})`,
    );
  const own = finite(c.episodes.map((e) => e.distinct));
  const scaled = finite(reference.episodes.map((e) => t.minDistinctRatio * e.distinct));
  const shortfall = welchDifference(own, scaled);
  if (shortfall.estimate < 0)
    (shortfall.high < 0 ? reasons : doubts).push(
      `distinct 3-grams ${(100 * c.distinct).toFixed(0)} % vs ${(100 * reference.distinct).toFixed(0)} % unsteered, ` +
        `below ${t.minDistinctRatio} of it by ${(-100 * shortfall.estimate).toFixed(1)} points ` +
        `(${interval(-shortfall.high, -shortfall.low, 100, 1)})`,
    );
  const comparable = Number.isFinite(c.nll) && Number.isFinite(reference.nll);
  return { ...c, collapsed: comparable ? reasons.length > 0 : undefined, reasons, doubts };
}
