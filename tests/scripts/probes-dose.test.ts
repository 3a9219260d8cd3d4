import { describe, expect, it } from 'vitest';
import { type DoseRow, differenceRows, permutationP, renderDoseReport } from '../../scripts/probes-dose.ts';

const rows: DoseRow[] = [500, 1000, 2000, 4000, 8000].map((dose, i) => ({
  dose,
  readings: {
    fear: { lastPrompt: 1 + i, sentence: [3, 1, 2, 5, 4][i]! },
    calm: { lastPrompt: -i, sentence: 0.5 },
  },
}));

describe('the dose report', () => {
  it('tabulates the readings per dose and correlates each measure with the dose', () => {
    const text = renderDoseReport(rows, ['fear', 'calm']);
    expect(text).toContain(
      '| dose (mg) | fear (last token) | fear (sentence) | calm (last token) | calm (sentence) |',
    );
    expect(text).toContain('| 4000 | 4.00 | 5.00 | -3.00 | 0.50 |');
    expect(text).toContain("Spearman's rho against dose (mg) (n = 5;");
    // Ranks of [3, 1, 2, 5, 4] against 1..5: rho = 1 - 6 * 8 / (5 * 24) = 0.6.
    expect(text).toMatch(/\| fear \| 1\.000 \| 0\.0\d+ \| 0\.600 \| 0\.\d+ \|/);
    // A constant reading has no rank correlation: reported, not hidden.
    expect(text).toMatch(/\| calm \| -1\.000 \| 0\.0\d+ \| n\/a \| n\/a \|/);
  });

  it('gives a perfect monotone trend over 5 points the exact permutation p of 2/120', () => {
    const p = permutationP([1, 2, 3, 4, 5], [2, 4, 6, 8, 10], 20_000, 3);
    expect(p).toBeGreaterThan(2 / 120 - 0.004);
    expect(p).toBeLessThan(2 / 120 + 0.004);
    expect(permutationP([1, 2, 3], [1, 1, 1])).toBeNaN();
  });

  it('subtracts the control scenario per N, and refuses mismatched doses', () => {
    const control = rows.map((r) => ({
      dose: r.dose,
      readings: { fear: { lastPrompt: 10, sentence: 1 }, calm: { lastPrompt: 0, sentence: 0.25 } },
    }));
    const d = differenceRows(rows, control);
    expect(d.map((r) => r.readings.fear!.lastPrompt)).toEqual([-9, -8, -7, -6, -5]);
    expect(d[3]!.readings.calm).toEqual({ lastPrompt: -3, sentence: 0.25 });
    expect(renderDoseReport(d, ['fear'], 'N')).toContain('| N | fear (last token) | fear (sentence) |');
    expect(() => differenceRows(rows, control.slice(1))).toThrow(/dose 500 has no control row at 0/);
  });
});
