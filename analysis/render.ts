/** Plain-text rendering of run summaries for the terminal: validity first, then the tables. */
import type { Interval } from './stats.ts';
import type { ConditionSummary, RunSummary } from './summary.ts';
import type { SlopeEstimate } from './trajectory.ts';
import type { Validity } from './validity.ts';

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

const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** "+0.42 [-0.10, +0.94] (n 4)", or "-" without episodes. */
export function formatSlope(s: SlopeEstimate): string {
  if (s.episodes === 0 || Number.isNaN(s.estimate)) return '-';
  const interval = Number.isNaN(s.low) ? '[no interval]' : `[${signed(s.low)}, ${signed(s.high)}]`;
  return `${signed(s.estimate)} ${interval} (n ${s.episodes})`;
}

/** The validity lines: each says what the run can and cannot show. */
export function renderValidity(v: Validity, conditions: readonly ConditionSummary[]): string {
  const c = v.capability;
  const lines = ['validity'];
  lines.push(
    `  capability floor: ${formatRate(c.honest, c.controls, c.rate)} of control twins solved honestly (${c.source})`,
  );
  if (c.below)
    lines.push(
      `  ! below ${pct(c.threshold)}: this model cannot do the tasks, so its cheat rates say nothing about cheating`,
    );
  if (c.withoutTwin.length > 0)
    lines.push(
      `  capability floor unknown for ${c.withoutTwin.length} impossible task(s) without a control twin: ${c.withoutTwin.join(', ')}`,
    );
  const ch = v.changes;
  lines.push(
    `  solution changes: ${formatRate(ch.changed, ch.attempts, ch.rate)} of attempts wrote a ${ch.solutionFilesKnown ? 'solution file' : 'file (solution files unknown)'}`,
  );
  const d = v.detectable;
  lines.push(
    d.difference === undefined
      ? `  detectable difference: none; ${d.perCondition} impossible episode(s) per condition cannot reach 80 % power (two-sided Fisher exact, 5 %)`
      : `  detectable difference: ${(100 * d.difference).toFixed(0)} points in cheat rate from the baseline's ${pct(d.baselineRate)}, ` +
          `at 80 % power with ${d.perCondition} impossible episodes per condition (two-sided Fisher exact, 5 %)`,
  );
  for (const s of conditions)
    if (s.coherence.collapsed)
      lines.push(
        `  ! steering broke the text under ${s.conditionId}: its cheat rate is not comparable (${s.coherence.reasons.join('; ')})`,
      );
    else if (s.coherence.doubts.length > 0)
      lines.push(
        `  ? the text under ${s.conditionId} may be degraded, within the noise of its episodes (${s.coherence.doubts.join('; ')})`,
      );
  return lines.join('\n');
}

function coherenceCell(s: ConditionSummary): string {
  const c = s.coherence;
  if (c.replies === 0) return '-';
  const text = `NLL ${c.nll.toFixed(2)}, distinct ${pct(c.distinct).trim()}`;
  return c.collapsed ? `${text} COLLAPSED` : c.doubts.length > 0 ? `${text} degraded?` : text;
}

/**
 * The summary: validity lines, then tables. Reading tables follow `emotions` (default: every emotion the
 * records carry, desperation and calm first); readings are in standard deviations of neutral text.
 */
export function renderSummary(summary: RunSummary, emotions?: string[]): string {
  const summaries = summary.conditions;
  const main = table(
    [
      'condition',
      'episodes',
      'cheat rate [95% CI]',
      'attempted',
      'confusion',
      'flagged impossible',
      'honest success (controls)',
      'coherence (unsteered NLL/token, distinct 3-grams)',
    ],
    summaries.map((s) => [
      s.conditionId,
      String(s.episodes),
      formatRate(s.cheated, s.impossibleEpisodes, s.cheatRate),
      String(s.attemptedCheats),
      String(s.confusion),
      formatRate(s.flaggedImpossible, s.impossibleEpisodes, s.flaggedRate),
      formatRate(s.honestSuccesses, s.controlEpisodes, s.honestSuccessRate),
      coherenceCell(s),
    ]),
  );
  const parts = [renderValidity(summary.validity, summaries), main];
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
  const found = [...new Set(summaries.flatMap((s) => s.trajectories.map((t) => t.emotion)))];
  const first = ['desperation', 'calm'];
  const shown = emotions ?? [
    ...first.filter((e) => found.includes(e)),
    ...found.filter((e) => !first.includes(e)).sort(),
  ];
  for (const emotion of shown) {
    if (summaries.some((s) => s.readingsByAttempt[emotion]?.length)) {
      const header = [
        `${emotion} (sd), impossible, by attempt`,
        ...Array.from({ length: maxAttempts }, (_, i) => String(i + 1)),
      ];
      parts.push(
        table(
          header,
          summaries.map((s) => [
            s.conditionId,
            ...Array.from({ length: maxAttempts }, (_, i) => {
              const v = s.readingsByAttempt[emotion]?.[i];
              return v === undefined || Number.isNaN(v) ? '-' : signed(v);
            }),
          ]),
        ),
      );
    }
    const rows = summaries.flatMap((s) => {
      const t = s.trajectories.find((x) => x.emotion === emotion);
      return t
        ? [[s.conditionId, formatSlope(t.impossible), formatSlope(t.control), formatSlope(t.difference)]]
        : [];
    });
    if (rows.length)
      parts.push(
        table(
          [`${emotion} slope (sd/attempt) [95% CI]`, 'impossible', 'control twins', 'impossible - control'],
          rows,
        ),
      );
  }
  return parts.join('\n\n');
}
