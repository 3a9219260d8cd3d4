/**
 * Did steering break the text? Two measures per condition, each against the unsteered condition of the same
 * run: the unsteered model's mean negative log-likelihood per token of the replies (recorded during the run,
 * when the model is at hand) and the share of distinct word trigrams (distinct-n, Li et al. 2016, "A
 * Diversity-Promoting Objective Function for Neural Conversation Models").
 */
import type { EpisodeRecord } from '../harness/log/index.ts';
import { mean } from './stats.ts';

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
  /** Set when compared with an unsteered condition: did the text collapse, and why. */
  collapsed?: boolean;
  reasons: string[];
}

/** The two measures over every attempt of `records`. */
export function coherenceOf(records: readonly EpisodeRecord[]): Coherence {
  let nllSum = 0;
  let tokens = 0;
  let replies = 0;
  const distincts: number[] = [];
  for (const r of records)
    for (const a of r.attempts) {
      if (a.unsteeredNll && a.unsteeredNll.tokens > 0) {
        nllSum += a.unsteeredNll.mean * a.unsteeredNll.tokens;
        tokens += a.unsteeredNll.tokens;
        replies++;
      }
      const d = distinctNgrams(a.replyText);
      if (d !== undefined) distincts.push(d);
    }
  return { replies, nll: tokens ? nllSum / tokens : Number.NaN, distinct: mean(distincts), reasons: [] };
}

/** `c` judged against the unsteered condition's measures `reference`. */
export function judgeCoherence(c: Coherence, reference: Coherence, t: CoherenceThresholds): Coherence {
  const reasons: string[] = [];
  const rise = c.nll - reference.nll;
  if (rise > t.maxNllRise)
    reasons.push(
      `NLL ${rise.toFixed(2)} nats/token above the unsteered condition's (${c.nll.toFixed(2)} vs ${reference.nll.toFixed(2)})`,
    );
  if (c.distinct < t.minDistinctRatio * reference.distinct)
    reasons.push(
      `distinct 3-grams ${(100 * c.distinct).toFixed(0)} % vs ${(100 * reference.distinct).toFixed(0)} % unsteered`,
    );
  const comparable = Number.isFinite(c.nll) && Number.isFinite(reference.nll);
  return { ...c, collapsed: comparable ? reasons.length > 0 : undefined, reasons };
}
