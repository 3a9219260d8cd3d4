/**
 * The report of a run with known counts (run A of known-runs.ts): every number against scipy 1.17.1 /
 * statsmodels 0.15.0 (the call beside each), and the figures parsed as SVG with their plotted series.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { reportFigures } from '../../analysis/figures.ts';
import { buildReport } from '../../analysis/report.ts';
import { renderReportHtml, renderReportMarkdown } from '../../analysis/report-render.ts';
import { knownRecords } from './known-runs.ts';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 10);
const report = buildReport(
  { runId: 'known-A', configHash: 'c0ffee', createdAt: '2026-11-30T00:00:00.000Z', plan: { episodes: 54 } },
  knownRecords('A'),
);

/** The marks of one named layer: vega writes `<g class="mark-TYPE role-mark NAME_marks">`. */
function marks(svg: string, layer: string): Record<string, string>[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
  const found: Record<string, string>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.class === 'string' && n.class.split(' ').includes(`${layer}_marks`)) {
      for (const tag of ['path', 'line', 'text']) {
        const items = n[tag];
        if (items) found.push(...((Array.isArray(items) ? items : [items]) as Record<string, string>[]));
      }
      return;
    }
    Object.values(n).forEach(walk);
  };
  walk(doc);
  return found;
}
const translateY = (m: Record<string, string>) => Number(/translate\([^,]+,([^)]+)\)/.exec(m.transform!)![1]);

describe('report of a run with known counts', () => {
  it('cheat rate and honest success per condition with Wilson intervals (statsmodels)', () => {
    // proportion_confint(k, 12, method='wilson') for k = 3, 1, 7 and proportion_confint(k, 6, method='wilson')
    // for k = 4, 5, 2
    const expected = [
      ['baseline', 3, 0.08894166839405476, 0.5323053349335658, 4, 0.29999331513839184, 0.9032285888942195],
      [
        'desperation=-2',
        1,
        0.014865094404917095,
        0.35387991114111705,
        5,
        0.43649717781352965,
        0.9699466302516933,
      ],
      [
        'desperation=+2',
        7,
        0.31951131254954973,
        0.8067396863412435,
        2,
        0.09677141110578041,
        0.700006684861608,
      ],
    ] as const;
    expect(report.summary.conditions.map((s) => s.conditionId)).toEqual(expected.map((e) => e[0]));
    report.summary.conditions.forEach((s, i) => {
      const [, k, low, high, h, hLow, hHigh] = expected[i]!;
      expect([s.cheated, s.impossibleEpisodes, s.honestSuccesses, s.controlEpisodes]).toEqual([k, 12, h, 6]);
      close(s.cheatRate.low, low);
      close(s.cheatRate.high, high);
      close(s.honestSuccessRate.low, hLow);
      close(s.honestSuccessRate.high, hHigh);
    });
  });

  it('dose-response for desperation: rates at -2, 0, +2 and the Cochran-Armitage trend (statsmodels)', () => {
    expect(report.doseResponse).toHaveLength(1);
    const [dose] = report.doseResponse;
    expect(dose!.emotion).toBe('desperation');
    expect(dose!.points.map((p) => [p.dose, p.conditionId, p.events, p.n])).toEqual([
      [-2, 'desperation=-2', 1, 12],
      [0, 'baseline', 3, 12],
      [2, 'desperation=+2', 7, 12],
    ]);
    // proportion_confint(1, 12, method='wilson')
    close(dose!.points[0]!.rate.low, 0.014865094404917095);
    close(dose!.points[0]!.rate.high, 0.35387991114111705);
    // Table([[1,11],[3,9],[7,5]]).test_ordinal_association(row_scores=[-2,0,2], col_scores=[1,0])
    close(dose!.trend.statistic, 2.6215886925159086);
    close(dose!.trend.pValue, 0.008752098598924344);
  });

  it('readings by attempt with t intervals, impossible tasks and control twins apart (scipy)', () => {
    const rows = report.trajectories.map((t) => [t.conditionId, t.tasks, t.attempt, t.n]);
    expect(rows).toEqual([
      ['baseline', 'control', 1, 2],
      ['baseline', 'impossible', 1, 3],
      ['baseline', 'impossible', 2, 3],
    ]);
    // scipy.stats.t.interval(0.95, n - 1, loc=mean(v), scale=scipy.stats.sem(v)) for v = [0.0, 0.2],
    // [0.1, 0.4, -0.2] and [0.9, 1.3, 0.5]
    const expected = [
      [0.1, -1.1706204736174695, 1.3706204736174696],
      [0.1, -0.6452413135250992, 0.8452413135250991],
      [0.9, -0.09365508470013206, 1.893655084700132],
    ];
    // jstat's t quantile agrees with scipy's to about 1e-10, hence 8 digits for the interval ends.
    report.trajectories.forEach((t, i) => {
      close(t.mean, expected[i]![0]!);
      expect(t.low).toBeCloseTo(expected[i]![1]!, 8);
      expect(t.high).toBeCloseTo(expected[i]![2]!, 8);
    });
  });

  it('strategies per condition', () => {
    expect(report.strategies).toEqual([
      { conditionId: 'baseline', strategy: 'test_edit', count: 1 },
      { conditionId: 'baseline', strategy: 'hardcoded_outputs', count: 2 },
      { conditionId: 'desperation=-2', strategy: 'test_edit', count: 1 },
      { conditionId: 'desperation=+2', strategy: 'test_edit', count: 5 },
      { conditionId: 'desperation=+2', strategy: 'hardcoded_outputs', count: 2 },
    ]);
  });

  it('markdown: the summary verbatim, each table with its numbers, and the figures linked', async () => {
    const figures = await reportFigures(report);
    const md = renderReportMarkdown(report, figures, 'report-figures');
    expect(md).toContain(
      'config c0ffee, created 2026-11-30T00:00:00.000Z; 54 of 54 episodes recorded; model model.gguf (Q4_1)',
    );
    expect(md).toContain(`\`\`\`text\n${report.summaryText}\n\`\`\``);
    // proportion_confint(3, 12, method='wilson') = (0.0889, 0.5323); proportion_confint(4, 6, method='wilson') = (0.3000, 0.9032)
    expect(md).toContain('| baseline | 3/12 | 25.0% | [8.9%, 53.2%] | 0 | 4/6 66.7% [30.0%, 90.3%] |');
    expect(md).toContain('| desperation=-2 | 1/12 | 8.3% | [1.5%, 35.4%] | 0 | 5/6 83.3% [43.6%, 97.0%] |');
    expect(md).toContain('| desperation=+2 | 7/12 | 58.3% | [32.0%, 80.7%] | 0 | 2/6 33.3% [9.7%, 70.0%] |');
    expect(md).toContain('| -2 | desperation=-2 | 1/12 | 8.3% | [1.5%, 35.4%] |');
    expect(md).toContain(
      'Cochran-Armitage trend test over the steering strengths (in sd): Z = 2.62, two-sided p = 0.009',
    );
    expect(md).toContain('| baseline | impossible | 2 | 3 | 0.900 | [-0.094, 1.894] |');
    expect(md).toContain('| desperation=+2 | test_edit | 5 |');
    expect(md).toContain(
      '![Cheat rate on impossible tasks (95% Wilson interval)](report-figures/cheat-rate.svg)',
    );
    expect(figures.map((f) => f.name)).toEqual([
      'cheat-rate',
      'dose-response-desperation',
      'readings-desperation',
      'strategies',
    ]);
  });

  it('HTML: one page with every figure inline and the same tables', async () => {
    const figures = await reportFigures(report);
    const html = renderReportHtml(report, figures);
    for (const f of figures) expect(html).toContain(`<figure id="figure-${f.name}"><svg`);
    expect(html).toContain('<td>[8.9%, 53.2%]</td>');
    expect(html).toContain('<td>desperation=+2</td>');
  });

  it('figures parse as SVG and plot the series: one mark per condition, at the height of its rate', async () => {
    const figures = Object.fromEntries((await reportFigures(report)).map((f) => [f.name, f.svg]));
    const points = marks(figures['cheat-rate']!, 'cheat_rate_points');
    expect(points.map((p) => p['aria-label'])).toEqual([
      'condition: baseline; rate: 0.25',
      'condition: desperation=-2; rate: 0.0833333333333',
      'condition: desperation=+2; rate: 0.583333333333',
    ]);
    // The y scale maps [0, 1] onto [240, 0] px (the plot is 240 px high).
    [0.25, 1 / 12, 7 / 12].forEach((rate, i) => {
      expect(translateY(points[i]!)).toBeCloseTo(240 * (1 - rate), 6);
    });
    expect(marks(figures['cheat-rate']!, 'cheat_rate_intervals')).toHaveLength(3);
    expect(marks(figures['dose-response-desperation']!, 'dose_points')).toHaveLength(3);
    expect(marks(figures['dose-response-desperation']!, 'dose_intervals')).toHaveLength(3);
    // Two series (baseline on impossible tasks, on controls): two lines, three intervals (one per attempt point).
    expect(marks(figures['readings-desperation']!, 'reading_lines')).toHaveLength(2);
    expect(marks(figures['readings-desperation']!, 'reading_intervals')).toHaveLength(3);
    expect(marks(figures.strategies!, 'strategy_bars')).toHaveLength(5);
  });
});
