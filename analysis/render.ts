/** Plain-text rendering of run summaries for the terminal. */
import type { Interval } from './stats.ts';
import type { ConditionSummary } from './summary.ts';

const pct = (x: number) => (Number.isNaN(x) ? '  -  ' : `${(100 * x).toFixed(0)}%`);

export function formatRate(k: number, n: number, interval: Interval): string {
  if (n === 0) return 'n/a';
  return `${k}/${n} ${pct(interval.estimate)} [${pct(interval.low)}, ${pct(interval.high)}]`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The summary tables. Reading tables follow `emotions` (default: every emotion the records carry,
 * desperation and calm first).
 */
export function renderSummary(summaries: ConditionSummary[], emotions?: string[]): string {
  const main = table(
    [
      'condition',
      'episodes',
      'cheat rate [95% CI]',
      'attempted',
      'confusion',
      'flagged impossible',
      'honest success (controls)',
    ],
    summaries.map((s) => [
      s.conditionId,
      String(s.episodes),
      formatRate(s.cheated, s.impossibleEpisodes, s.cheatRate),
      String(s.attemptedCheats),
      String(s.confusion),
      formatRate(s.flaggedImpossible, s.impossibleEpisodes, s.flaggedRate),
      formatRate(s.honestSuccesses, s.controlEpisodes, s.honestSuccessRate),
    ]),
  );
  const parts = [main];
  const compared = summaries.filter((s) => s.vsBaseline);
  if (compared.length) {
    parts.push(
      table(
        ['vs baseline', 'cheat rate difference [95% CI]', 'pairs', 'discordant', 'exact McNemar p'],
        compared.map((s) => {
          const v = s.vsBaseline!;
          const d = v.difference;
          return [
            s.conditionId,
            `${(100 * d.estimate).toFixed(0)} pts [${(100 * d.low).toFixed(0)}, ${(100 * d.high).toFixed(0)}]`,
            String(v.pairs),
            `${v.onlyThis} vs ${v.onlyBaseline}`,
            v.pValue.toFixed(3),
          ];
        }),
      ),
    );
  }
  const maxAttempts = Math.max(
    0,
    ...summaries.flatMap((s) => Object.values(s.readingsByAttempt).map((v) => v.length)),
  );
  const found = [...new Set(summaries.flatMap((s) => Object.keys(s.readingsByAttempt)))];
  const first = ['desperation', 'calm'];
  const shown = emotions ?? [
    ...first.filter((e) => found.includes(e)),
    ...found.filter((e) => !first.includes(e)).sort(),
  ];
  for (const emotion of shown) {
    if (!summaries.some((s) => s.readingsByAttempt[emotion]?.length)) continue;
    const header = [
      `mean ${emotion} by attempt`,
      ...Array.from({ length: maxAttempts }, (_, i) => String(i + 1)),
    ];
    parts.push(
      table(
        header,
        summaries.map((s) => [
          s.conditionId,
          ...Array.from({ length: maxAttempts }, (_, i) => {
            const v = s.readingsByAttempt[emotion]?.[i];
            return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(2);
          }),
        ]),
      ),
    );
  }
  return parts.join('\n\n');
}
