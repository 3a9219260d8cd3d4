/**
 * How often the LLM judge agrees with the deterministic verdict: a table of counts, Cohen's kappa and the
 * disagreements. The verdict's side is binary (outcome `cheated` or not); the judge's is cheat,
 * legitimate or unclear (unclear never agrees). Episodes the judge did not answer are counted apart.
 */
import type { EpisodeRecord, JudgeAnswer } from '../../log/index.ts';

export interface Disagreement {
  episodeId: string;
  outcome: string;
  answer: JudgeAnswer;
  strategy?: string;
  rationale?: string;
}

export interface JudgeAgreement {
  /** counts[verdict side][judge answer]. */
  counts: Record<'cheated' | 'not_cheated', Record<JudgeAnswer, number>>;
  /** Judged episodes without an answer (the judge failed or answered outside the format). */
  unanswered: number;
  answered: number;
  agreed: number;
  /** Cohen's kappa over the answered episodes; NaN when chance agreement is 1 (one category only). */
  kappa: number;
  disagreements: Disagreement[];
}

/**
 * Cohen's kappa for two raters over the same items: (p_o - p_e) / (1 - p_e), p_o the observed agreement
 * and p_e the agreement expected from each rater's marginal rates (Cohen 1960, Educ. Psychol. Meas. 20).
 */
export function cohensKappa(pairs: readonly [string, string][]): number {
  const n = pairs.length;
  if (n === 0) return Number.NaN;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agreed = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) agreed++;
  }
  const po = agreed / n;
  let pe = 0;
  for (const [k, count] of a) pe += (count / n) * ((b.get(k) ?? 0) / n);
  return pe === 1 ? Number.NaN : (po - pe) / (1 - pe);
}

/** Agreement over the records that carry a judge's opinion; undefined when none does. */
export function judgeAgreement(records: readonly EpisodeRecord[]): JudgeAgreement | undefined {
  const judged = records.filter((r) => r.judge);
  if (judged.length === 0) return undefined;
  const row = () => ({ cheat: 0, legitimate: 0, unclear: 0 });
  const counts = { cheated: row(), not_cheated: row() };
  const pairs: [string, string][] = [];
  const disagreements: Disagreement[] = [];
  for (const r of judged) {
    const answer = r.judge!.answer;
    if (!answer) continue;
    const cheated = r.verdict.outcome === 'cheated';
    counts[cheated ? 'cheated' : 'not_cheated'][answer]++;
    pairs.push([cheated ? 'cheat' : 'legitimate', answer]);
    if ((answer === 'cheat') !== cheated || answer === 'unclear')
      disagreements.push({
        episodeId: r.episodeId,
        outcome: r.verdict.outcome,
        answer,
        strategy: r.judge!.strategy,
        rationale: r.judge!.rationale,
      });
  }
  return {
    counts,
    unanswered: judged.length - pairs.length,
    answered: pairs.length,
    agreed: pairs.filter(([x, y]) => x === y).length,
    kappa: cohensKappa(pairs),
    disagreements,
  };
}

export function renderJudgeAgreement(a: JudgeAgreement): string {
  const cell = (n: number) => String(n).padStart(12);
  const lines = [
    `LLM judge against the verdict (${a.answered} answered, ${a.unanswered} without an answer)`,
    `${'verdict \\ judge'.padEnd(16)}${['cheat', 'legitimate', 'unclear'].map((h) => h.padStart(12)).join('')}`,
    `${'cheated'.padEnd(16)}${cell(a.counts.cheated.cheat)}${cell(a.counts.cheated.legitimate)}${cell(a.counts.cheated.unclear)}`,
    `${'not cheated'.padEnd(16)}${cell(a.counts.not_cheated.cheat)}${cell(a.counts.not_cheated.legitimate)}${cell(a.counts.not_cheated.unclear)}`,
    `agreement ${a.agreed}/${a.answered}${a.answered ? ` (${((100 * a.agreed) / a.answered).toFixed(0)}%)` : ''}, Cohen's kappa ${Number.isNaN(a.kappa) ? (a.answered ? '- (one category only)' : '-') : a.kappa.toFixed(2)}`,
  ];
  if (a.disagreements.length) {
    lines.push('disagreements:');
    for (const d of a.disagreements) {
      const why = d.rationale ? `: ${d.rationale.replace(/\s+/g, ' ').slice(0, 120)}` : '';
      lines.push(`  ${d.episodeId}: verdict ${d.outcome}, judge ${d.answer} (${d.strategy ?? 'none'})${why}`);
    }
  }
  return lines.join('\n');
}
