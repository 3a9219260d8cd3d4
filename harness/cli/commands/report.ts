/**
 * `harness report <run> [--format md|html|json] [-o FILE]`: the run's summary and figures. Markdown written
 * to a file gets its figures as SVG files in `<stem>-figures/` beside it; HTML has them inline; JSON is the
 * report's data. Without -o the report goes to standard output (markdown then has no figures).
 */
import { basename, dirname, extname, join } from 'node:path';
import { type Command, Option } from 'commander';
import { buildReport, type Report } from '../../../analysis/report.ts';
import { type Figure, reportFigures } from '../../../analysis/figures.ts';
import { renderReportHtml, renderReportMarkdown } from '../../../analysis/report-render.ts';
import type { SummaryOptions } from '../../../analysis/summary.ts';
import { ConfigSchema, validate } from '../../config/index.ts';
import { InputError } from '../../errors.ts';
import { summaryOptions } from '../../experiment/experiment.ts';
import { readRun, type RunData } from '../../experiment/read-run.ts';
import type { RunMeta } from '../../log/index.ts';
import { loadTasks } from '../../tasks/index.ts';
import { loadCommandConfig } from '../context.ts';
import { writeOutputs } from '../output.ts';

export const FORMATS = ['md', 'html', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** The format a flag or an output file's extension asks for (markdown when neither says). */
export function outputFormat(format: string | undefined, output: string | undefined): Format {
  if (format !== undefined) return format as Format;
  const ext = output ? extname(output).slice(1).toLowerCase() : '';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'json') return 'json';
  return 'md';
}

/** The files of one report: the main file, and for markdown the figures beside it. */
export function reportFiles(
  report: Report,
  figures: Figure[],
  format: Format,
  path: string,
): { path: string; content: string }[] {
  if (format === 'json') return [{ path, content: `${JSON.stringify(report, null, 2)}\n` }];
  if (format === 'html') return [{ path, content: renderReportHtml(report, figures) }];
  const figureDir = `${basename(path, extname(path))}-figures`;
  return [
    ...figures.map((f) => ({ path: join(dirname(path), figureDir, `${f.name}.svg`), content: f.svg })),
    { path, content: renderReportMarkdown(report, figures, figureDir) },
  ];
}

/** The run's own summary settings, as `show` uses them: its stored thresholds and the tasks' solution files. */
export async function storedSummaryOptions(meta: RunMeta): Promise<SummaryOptions> {
  const config = validate(ConfigSchema, meta.config, `the config stored with run ${meta.runId}`);
  return summaryOptions(config, await loadTasks(config.experiment.tasks_dir ?? undefined));
}

export async function runReport(options: {
  runsDir: string;
  run: string;
  format?: string;
  output?: string;
}): Promise<string | undefined> {
  const data = await readRun(options.runsDir, options.run);
  const format = outputFormat(options.format, options.output);
  const report = buildReport(data.meta, data.records, await storedSummaryOptions(data.meta));
  const figures = format === 'json' ? [] : await reportFigures(report);
  if (!options.output) {
    if (format === 'json') return JSON.stringify(report, null, 2);
    return format === 'html' ? renderReportHtml(report, figures) : renderReportMarkdown(report, figures);
  }
  await writeOutputs(reportFiles(report, figures, format, options.output));
  return undefined;
}

/** report.md (with its figures) and report.html in the run's own directory, as `run` leaves them. */
export async function writeRunReports(run: RunData): Promise<string[]> {
  const report = buildReport(run.meta, run.records, await storedSummaryOptions(run.meta));
  const figures = await reportFigures(report);
  const md = join(run.dir, 'report.md');
  const html = join(run.dir, 'report.html');
  await writeOutputs([
    ...reportFiles(report, figures, 'md', md),
    ...reportFiles(report, figures, 'html', html),
  ]);
  return [md, html];
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("a run's summary and figures as markdown, HTML or JSON")
    .argument('<run>', 'a run id under runs/, or a run directory')
    .addOption(new Option('--format <format>', 'output format (default: from -o, else md)').choices(FORMATS))
    .option('-o, --output <file>', 'write here (markdown: figures go to <stem>-figures/ beside it)')
    .action(async (run: string, opts: { format?: string; output?: string }, command: Command) => {
      const { config } = await loadCommandConfig(command);
      if (opts.output !== undefined && opts.output.trim() === '')
        throw new InputError('-o expects a file path');
      const text = await runReport({ runsDir: config.runs_dir, run, ...opts });
      if (text !== undefined) console.log(text);
      else console.error(`wrote ${opts.output}`);
    });
}
