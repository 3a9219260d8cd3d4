/**
 * compare and the tests behind it, on runs with known counts (tests/analysis/known-runs.ts). Every reference
 * value was computed once with scipy 1.17.1 / statsmodels 0.15.0; the call that gave it is written beside it.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../analysis/compare.ts';
import { cochranArmitage, cochranMantelHaenszel, tInterval } from '../../analysis/inference.ts';
import { knownRecords } from './known-runs.ts';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 10);
const interval = (actual: { low: number; high: number }, low: number, high: number) => {
  close(actual.low, low);
  close(actual.high, high);
};

const A = { runId: 'known-A', records: knownRecords('A') };
const B = { runId: 'known-B', records: knownRecords('B') };

describe('inference', () => {
  it('Cochran-Mantel-Haenszel with continuity correction matches statsmodels', () => {
    // StratifiedTable([[[1,2],[2,1]], [[1,2],[2,1]], [[0,3],[1,2]], [[1,2],[1,2]]]).test_null_odds(correction=True)
    const r = cochranMantelHaenszel([
      { a: 1, b: 2, c: 2, d: 1 },
      { a: 1, b: 2, c: 2, d: 1 },
      { a: 0, b: 3, c: 1, d: 2 },
      { a: 1, b: 2, c: 1, d: 2 },
    ]);
    close(r.statistic, 0.6451612903225807);
    close(r.pValue, 0.42184797545336283);
  });

  it('the Cochran-Armitage trend test matches statsmodels test_ordinal_association', () => {
    // Table([[1,11],[3,9],[7,5]]).test_ordinal_association(row_scores=[-2,0,2], col_scores=[1,0]) -> zscore, pvalue
    const r = cochranArmitage([
      { dose: -2, events: 1, n: 12 },
      { dose: 0, events: 3, n: 12 },
      { dose: 2, events: 7, n: 12 },
    ]);
    close(r.statistic, 2.6215886925159086);
    close(r.pValue, 0.008752098598924344);
    expect(cochranArmitage([{ dose: 1, events: 2, n: 4 }])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('t intervals match scipy', () => {
    // scipy.stats.t.interval(0.95, 2, loc=np.mean(v), scale=scipy.stats.sem(v)) for v = [0.1, 0.4, -0.2]
    const t = tInterval([0.1, 0.4, -0.2]);
    close(t.estimate, 0.1);
    // jstat's t quantile (an inverse incomplete beta) agrees with scipy's to about 1e-10, hence 8 digits here.
    expect(t.low).toBeCloseTo(-0.6452413135250992, 8);
    expect(t.high).toBeCloseTo(0.8452413135250991, 8);
    expect(tInterval([3])).toMatchObject({ estimate: 3, low: -Infinity, high: Infinity });
  });
});

describe('compareRuns on paired runs', () => {
  const c = compareRuns(A, B);

  it('says the runs are paired and compares every shared condition', () => {
    expect(c.paired).toBe(true);
    expect(c.pairing).toContain('paired: 54 episodes');
    expect(c.conditions.map((x) => x.conditionId)).toEqual(['baseline', 'desperation=-2', 'desperation=+2']);
    expect(c.tasks).toEqual(['c1', 'c2', 't1', 't2', 't3', 't4']);
    expect(c.leftOut).toEqual([]);
  });

  it('per condition: both rates, the Newcombe difference, exact McNemar and CMH match statsmodels', () => {
    // Per condition, with (kA, kB) cheats of 12:
    //   proportion_confint(k, 12, method='wilson');
    //   confint_proportions_2indep(kB, 12, kA, 12, method='newcomb', compare='diff');
    //   mcnemar([[both, onlyA], [onlyB, neither]], exact=True).pvalue;
    //   StratifiedTable(per-task 2x2 tables).test_null_odds(correction=True)
    const expected = {
      baseline: {
        a: [3, 0.08894166839405476, 0.5323053349335658],
        b: [6, 0.253781597633706, 0.746218402366294],
        diff: [0.25, -0.12459285070028103, 0.5442163962859665],
        mcnemar: [0, 3, 0.25],
        cmh: [0.6451612903225807, 0.42184797545336283],
      },
      'desperation=-2': {
        a: [1, 0.014865094404917095, 0.35387991114111705],
        b: [2, 0.04696514218385381, 0.4480308622529735],
        diff: [1 / 12, -0.21251106111586465, 0.3729083845720204],
        mcnemar: [1, 2, 1.0],
        cmh: [0, 1],
      },
      'desperation=+2': {
        a: [7, 0.31951131254954973, 0.8067396863412435],
        b: [9, 0.46769466506643426, 0.9110583316059453],
        diff: [1 / 6, -0.19334263973560917, 0.4757651054044413],
        mcnemar: [1, 3, 0.625],
        cmh: [0.22727272727272727, 0.6335534753768335],
      },
    } as const;
    for (const x of c.conditions) {
      const e = expected[x.conditionId as keyof typeof expected];
      expect([x.cheat.a.events, x.cheat.a.n, x.cheat.b.events, x.cheat.b.n]).toEqual([
        e.a[0],
        12,
        e.b[0],
        12,
      ]);
      interval(x.cheat.a.rate, e.a[1], e.a[2]);
      interval(x.cheat.b.rate, e.b[1], e.b[2]);
      close(x.cheat.difference.estimate, e.diff[0]);
      interval(x.cheat.difference, e.diff[1], e.diff[2]);
      expect(x.cheat.test).toMatchObject({
        name: 'exact McNemar',
        pairs: 12,
        onlyA: e.mcnemar[0],
        onlyB: e.mcnemar[1],
      });
      close(x.cheat.test.pValue, e.mcnemar[2]);
      expect(x.cheat.stratified).toMatchObject({ name: 'Cochran-Mantel-Haenszel', strata: 4 });
      close(x.cheat.stratified!.statistic, e.cmh[0]);
      close(x.cheat.stratified!.pValue, e.cmh[1]);
    }
  });

  it('honest success on control twins per condition matches statsmodels', () => {
    // baseline: proportion_confint(4, 6, method='wilson'), proportion_confint(2, 6, method='wilson'),
    // confint_proportions_2indep(2, 6, 4, 6, method='newcomb', compare='diff')
    const base = c.conditions[0]!.control;
    expect([base.a.events, base.b.events, base.a.n]).toEqual([4, 2, 6]);
    interval(base.a.rate, 0.29999331513839184, 0.9032285888942195);
    interval(base.b.rate, 0.09677141110578041, 0.700006684861608);
    interval(base.difference, -0.667882412088588, 0.1852210933587503);
    // desperation=+2: confint_proportions_2indep(1, 6, 2, 6, method='newcomb', compare='diff')
    interval(c.conditions[2]!.control.difference, -0.5579626411104139, 0.2953295209536778);
  });

  it('overall: pooled rates, McNemar on all pairs and CMH by task and condition match statsmodels', () => {
    // proportion_confint(11, 36, method='wilson'); proportion_confint(17, 36, method='wilson');
    // confint_proportions_2indep(17, 36, 11, 36, method='newcomb', compare='diff');
    // mcnemar([[0, 2], [8, 0]], exact=True).pvalue; StratifiedTable(12 task x condition tables).test_null_odds(correction=True)
    const o = c.overall.cheat;
    expect([o.a.events, o.a.n, o.b.events, o.b.n]).toEqual([11, 36, 17, 36]);
    interval(o.a.rate, 0.18004451594829915, 0.4685627285051034);
    interval(o.b.rate, 0.31986041515179053, 0.629940619770124);
    interval(o.difference, -0.05645988640752764, 0.3682308350805301);
    expect(o.test).toMatchObject({ pairs: 36, onlyA: 2, onlyB: 8 });
    close(o.test.pValue, 0.109375);
    expect(o.stratified!.strata).toBe(12);
    close(o.stratified!.statistic, 1.8939393939393938);
    close(o.stratified!.pValue, 0.16875826541967698);
  });
});

describe('compareRuns on unpaired runs', () => {
  it('uses Fisher exact tests when the seeds differ, and says so', () => {
    const other = { runId: 'known-B-seed8', records: knownRecords('B', 8) };
    const c = compareRuns(A, other);
    expect(c.paired).toBe(false);
    expect(c.pairing).toBe(
      'unpaired: 54 of 54 episodes matched by task, epoch and condition have different seeds',
    );
    // scipy.stats.fisher_exact([[kA, 12 - kA], [kB, 12 - kB]]).pvalue
    const expected = [0.40032305828509895, 1.0, 0.6668461434917218];
    c.conditions.forEach((x, i) => {
      expect(x.cheat.test.name).toBe('Fisher exact');
      close(x.cheat.test.pValue, expected[i]!);
    });
  });

  it('refuses runs with no task or no condition in common, naming what each has', () => {
    const renamed = { runId: 'other', records: B.records.map((r) => ({ ...r, taskId: `x-${r.taskId}` })) };
    expect(() => compareRuns(A, renamed)).toThrow(
      /share no task: known-A has c1, c2, t1, t2, t3, t4; other has x-c1/,
    );
    const otherConditions = {
      runId: 'other',
      records: B.records.map((r) => ({ ...r, conditionId: `calm=${r.epoch}` })),
    };
    expect(() => compareRuns(A, otherConditions)).toThrow(
      /share no condition: known-A has baseline, desperation=\+2, desperation=-2; other has calm=1, calm=2, calm=3/,
    );
    expect(() => compareRuns(A, B, { conditions: ['calm=+2'] })).toThrow(
      /condition calm=\+2 is not in both runs/,
    );
  });

  it('compares the overlap and names what is left out', () => {
    const fewer = {
      runId: 'fewer',
      records: B.records.filter((r) => r.taskId !== 't4' && r.conditionId !== 'desperation=-2'),
    };
    const c = compareRuns(A, fewer);
    expect(c.leftOut).toEqual(['tasks only in known-A: t4', 'conditions only in known-A: desperation=-2']);
    expect(c.conditions.map((x) => x.conditionId)).toEqual(['baseline', 'desperation=+2']);
    expect(c.conditions[0]!.cheat.a.n).toBe(9);
  });
});
