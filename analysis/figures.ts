/**
 * The report's figures: Vega-Lite specifications compiled by vega-lite and rendered to SVG by vega in Node
 * (no browser, no canvas). Each mark layer is named, and vega writes the name into the SVG as a class, so a
 * reader (or a test) can find the plotted series: `<g class="mark-symbol role-mark cheat_rate_points_marks">`
 * holds one path per condition.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type Report, readingEmotions } from './report.ts';

export interface Figure {
  /** File stem: the figure is written as <name>.svg. */
  name: string;
  title: string;
  spec: TopLevelSpec;
  svg: string;
}

const WIDTH = 420;
const HEIGHT = 240;
const pctAxis = { format: '.0%' } as const;

function cheatRateSpec(report: Report): TopLevelSpec | undefined {
  const values = report.summary.conditions
    .filter((s) => s.impossibleEpisodes > 0)
    .map((s) => ({
      condition: s.conditionId,
      rate: s.cheatRate.estimate,
      low: s.cheatRate.low,
      high: s.cheatRate.high,
      label: `${s.cheated}/${s.impossibleEpisodes}`,
    }));
  if (values.length === 0) return undefined;
  const x = { field: 'condition', type: 'nominal', sort: null, title: 'condition' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cheat rate on impossible tasks (95% Wilson interval)',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        name: 'cheat_rate_intervals',
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'low',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: pctAxis,
            title: 'cheat rate',
          },
          y2: { field: 'high' },
        },
      },
      {
        name: 'cheat_rate_points',
        mark: { type: 'point', filled: true, size: 80 },
        encoding: { x, y: { field: 'rate', type: 'quantitative' } },
      },
      {
        name: 'cheat_rate_labels',
        mark: { type: 'text', dx: 18, align: 'left' },
        encoding: { x, y: { field: 'rate', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

function doseSpec(dose: Report['doseResponse'][number]): TopLevelSpec {
  const values = dose.points.map((p) => ({
    dose: p.dose,
    rate: p.rate.estimate,
    low: p.rate.low,
    high: p.rate.high,
    condition: p.conditionId,
  }));
  const x = {
    field: 'dose',
    type: 'quantitative',
    title: `${dose.emotion} steering (sd of its neutral reading)`,
  } as const;
  const z = dose.trend.statistic.toFixed(2);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Cheat rate against ${dose.emotion} steering`,
      subtitle: `Cochran-Armitage trend: Z = ${z}, p = ${dose.trend.pValue.toFixed(3)}`,
    },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        name: 'dose_intervals',
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'low',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: pctAxis,
            title: 'cheat rate',
          },
          y2: { field: 'high' },
        },
      },
      {
        name: 'dose_line',
        mark: { type: 'line' },
        encoding: { x, y: { field: 'rate', type: 'quantitative' } },
      },
      {
        name: 'dose_points',
        mark: { type: 'point', filled: true, size: 80 },
        encoding: { x, y: { field: 'rate', type: 'quantitative' }, tooltip: { field: 'condition' } },
      },
    ],
  };
}

function readingSpec(emotion: string, report: Report): TopLevelSpec | undefined {
  const values = report.trajectories
    .filter((t) => t.emotion === emotion)
    .map((t) => ({
      attempt: t.attempt,
      mean: t.mean,
      // One episode gives no interval: draw the mean alone rather than an infinite band.
      low: Number.isFinite(t.low) ? t.low : t.mean,
      high: Number.isFinite(t.high) ? t.high : t.mean,
      series: `${t.conditionId} (${t.tasks})`,
      tasks: t.tasks,
    }));
  if (values.length === 0) return undefined;
  // Attempts on a band scale, so that each series' interval is drawn beside the others' (xOffset), not on them.
  const x = { field: 'attempt', type: 'ordinal', title: 'attempt', axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'series', type: 'nominal' } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'condition (tasks)',
    legend: { labelLimit: 360 },
  } as const;
  // The colour legend names each series' tasks already ("baseline (control)").
  const strokeDash = {
    field: 'tasks',
    type: 'nominal',
    scale: {
      domain: ['impossible', 'control'],
      range: [
        [1, 0],
        [5, 3],
      ],
    },
    legend: null,
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Mean ${emotion} reading by attempt`,
      subtitle: 'impossible tasks solid, control twins dashed; bars: 95% t interval over episodes',
    },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        name: 'reading_intervals',
        mark: { type: 'rule', strokeWidth: 2, opacity: 0.8 },
        encoding: {
          x,
          xOffset,
          y: { field: 'low', type: 'quantitative', title: `${emotion} (reply mean, z)` },
          y2: { field: 'high' },
          color,
        },
      },
      {
        name: 'reading_lines',
        mark: { type: 'line', point: true },
        encoding: { x, xOffset, y: { field: 'mean', type: 'quantitative' }, color, strokeDash },
      },
    ],
  };
}

function strategiesSpec(report: Report): TopLevelSpec | undefined {
  if (report.strategies.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Strategies found per condition (episodes)',
    width: WIDTH,
    height: HEIGHT,
    data: { values: report.strategies },
    layer: [
      {
        name: 'strategy_bars',
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'conditionId', type: 'nominal', title: 'condition', sort: null },
          y: { field: 'count', type: 'quantitative', title: 'episodes', axis: { tickMinStep: 1 } },
          color: { field: 'strategy', type: 'nominal', title: 'strategy' },
        },
      },
    ],
  };
}

/** Renders one Vega-Lite specification to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Every figure the report's data supports: the cheat rate per condition, one dose-response per emotion
 * steered at several strengths, one reading-by-attempt chart per emotion read (desperation and calm first),
 * and the strategies per condition when any were found.
 */
export async function reportFigures(report: Report): Promise<Figure[]> {
  const specs: { name: string; spec: TopLevelSpec | undefined }[] = [
    { name: 'cheat-rate', spec: cheatRateSpec(report) },
  ];
  for (const dose of report.doseResponse)
    specs.push({ name: `dose-response-${dose.emotion}`, spec: doseSpec(dose) });
  const emotions = readingEmotions(report);
  for (const emotion of emotions)
    specs.push({ name: `readings-${emotion}`, spec: readingSpec(emotion, report) });
  specs.push({ name: 'strategies', spec: strategiesSpec(report) });
  const figures: Figure[] = [];
  for (const { name, spec } of specs) {
    if (!spec) continue;
    const title =
      typeof spec.title === 'string'
        ? spec.title
        : ((spec.title as { text: string } | undefined)?.text ?? name);
    figures.push({ name, title, spec, svg: await renderSvg(spec) });
  }
  return figures;
}
