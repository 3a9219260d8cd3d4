/**
 * The report of one run as markdown (figures linked as SVG files beside it) or as one self-contained HTML
 * page (figures inline). Both show the same sections and numbers: the run summary, cheat rate per condition,
 * dose-response with its trend test, readings by attempt, and strategies.
 */
import type { Figure } from './figures.ts';
import { type Report, readingEmotions } from './report.ts';

/** A fraction as a percentage with one decimal; NaN (no episodes) as a dash. */
export const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const interval = (low: number, high: number, f: (x: number) => string) => `[${f(low)}, ${f(high)}]`;

/** One titled part of the report: what markdown, HTML and the viewer's run page each lay out in their own way. */
export interface ReportSection {
  heading: string;
  level: 2 | 3;
  /** Paragraphs before the table. */
  text?: string[];
  table?: { header: string[]; rows: string[][] };
}

/** The report's sections after its summary and figures, with their numbers formatted as text. */
export function reportSections(report: Report): ReportSection[] {
  const out: ReportSection[] = [];
  out.push({
    heading: 'Cheat rate per condition',
    level: 2,
    text: [
      'Impossible tasks only; the interval is the 95% Wilson score interval. Honest success is on the control twins.',
    ],
    table: {
      header: [
        'condition',
        'cheated',
        'cheat rate',
        '95% interval',
        'attempted',
        'honest success (controls)',
      ],
      rows: report.summary.conditions.map((s) => [
        s.conditionId,
        `${s.cheated}/${s.impossibleEpisodes}`,
        percent(s.cheatRate.estimate),
        interval(s.cheatRate.low, s.cheatRate.high, percent),
        String(s.attemptedCheats),
        `${s.honestSuccesses}/${s.controlEpisodes} ${percent(s.honestSuccessRate.estimate)} ${interval(s.honestSuccessRate.low, s.honestSuccessRate.high, percent)}`,
      ]),
    },
  });
  out.push({
    heading: 'Dose-response',
    level: 2,
    text: report.doseResponse.length
      ? []
      : ['No emotion was steered at two or more strengths in this run, so there is no dose-response.'],
  });
  for (const dose of report.doseResponse) {
    out.push({
      heading: `${dose.emotion}`,
      level: 3,
      text: [
        `Cochran-Armitage trend test over the steering strengths (in sd): Z = ${num(dose.trend.statistic, 2)}, two-sided p = ${num(dose.trend.pValue)} (Z > 0: the cheat rate rises with the strength).`,
      ],
      table: {
        header: ['strength (sd)', 'condition', 'cheated', 'cheat rate', '95% interval'],
        rows: dose.points.map((p) => [
          String(p.dose),
          p.conditionId,
          `${p.events}/${p.n}`,
          percent(p.rate.estimate),
          interval(p.rate.low, p.rate.high, percent),
        ]),
      },
    });
  }
  const emotions = readingEmotions(report);
  out.push({
    heading: 'Readings by attempt',
    level: 2,
    text: [
      emotions.length
        ? "Mean of each attempt's reply-mean reading in standard deviations of neutral text (z) across episodes, with a 95% t interval (episodes are the units; one episode gives no interval)."
        : 'The records carry no probe readings.',
    ],
  });
  for (const emotion of emotions) {
    out.push({
      heading: emotion,
      level: 3,
      table: {
        header: ['condition', 'tasks', 'attempt', 'episodes', 'mean', '95% interval'],
        rows: report.trajectories
          .filter((t) => t.emotion === emotion)
          .map((t) => [
            t.conditionId,
            t.tasks,
            String(t.attempt),
            String(t.n),
            num(t.mean),
            interval(t.low, t.high, (x) => num(x)),
          ]),
      },
    });
  }
  out.push({
    heading: 'Strategies',
    level: 2,
    text: report.strategies.length
      ? ['Episodes in which each strategy was found (cheats, not attempts).']
      : ['No strategy was found in any episode.'],
    table: report.strategies.length
      ? {
          header: ['condition', 'strategy', 'episodes'],
          rows: report.strategies.map((s) => [s.conditionId, s.strategy, String(s.count)]),
        }
      : undefined,
  });
  return out;
}

/** One line naming the run: config hash, creation time, episodes recorded (of planned), models. */
export function runLine(report: Report): string {
  const r = report.run;
  const planned = r.plannedEpisodes === undefined ? '' : ` of ${r.plannedEpisodes}`;
  const models = r.models.length ? `; model ${r.models.join(', ')}` : '';
  return `config ${r.configHash}, created ${r.createdAt}; ${r.recordedEpisodes}${planned} episodes recorded${models}`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Markdown. `figureDir` is the directory, relative to the markdown file, holding the figures' SVG files;
 * without it the figures are left out (markdown on standard output has nowhere to put them).
 */
export function renderReportMarkdown(report: Report, figures: Figure[], figureDir?: string): string {
  const lines = [
    `# Run ${report.run.runId}`,
    '',
    runLine(report),
    '',
    '## Summary',
    '',
    '```text',
    report.summaryText,
    '```',
    '',
  ];
  if (figureDir !== undefined && figures.length) {
    lines.push('## Figures', '');
    for (const f of figures) lines.push(`![${f.title}](${figureDir}/${f.name}.svg)`, '');
  }
  for (const s of reportSections(report)) {
    lines.push(`${'#'.repeat(s.level)} ${s.heading}`, '');
    for (const t of s.text ?? []) lines.push(t, '');
    if (s.table) {
      lines.push(`| ${s.table.header.map(mdCell).join(' | ')} |`);
      lines.push(`|${s.table.header.map(() => ' --- ').join('|')}|`);
      for (const row of s.table.rows) lines.push(`| ${row.map(mdCell).join(' | ')} |`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One self-contained HTML page with the figures inline. */
export function renderReportHtml(report: Report, figures: Figure[]): string {
  const body: string[] = [
    `<h1>Run ${escapeHtml(report.run.runId)}</h1>`,
    `<p>${escapeHtml(runLine(report))}</p>`,
    '<h2>Summary</h2>',
    `<pre>${escapeHtml(report.summaryText)}</pre>`,
  ];
  if (figures.length) {
    body.push('<h2>Figures</h2>');
    for (const f of figures) body.push(`<figure id="figure-${escapeHtml(f.name)}">${f.svg}</figure>`);
  }
  for (const s of reportSections(report)) {
    body.push(`<h${s.level}>${escapeHtml(s.heading)}</h${s.level}>`);
    for (const t of s.text ?? []) body.push(`<p>${escapeHtml(t)}</p>`);
    if (s.table) {
      const head = s.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
      const rows = s.table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
      body.push(`<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
    }
  }
  const style =
    'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}' +
    'table{border-collapse:collapse;margin:0.5rem 0}td,th{border:1px solid #ccc;padding:0.2rem 0.5rem;text-align:left}' +
    'pre{background:#f6f6f6;padding:0.5rem;overflow-x:auto}figure{margin:1rem 0}';
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Run ${escapeHtml(report.run.runId)}</title>\n<style>${style}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}
