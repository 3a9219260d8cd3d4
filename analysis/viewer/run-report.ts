/**
 * A run's report for its page in the viewer: what `harness report` builds (analysis/report.ts), its sections
 * as the markdown and HTML renderers lay them out, and its Vega-Lite figures as SVG (analysis/figures.ts).
 * Built when a run page first asks for it, then kept for that version of the run's records: a new
 * episode line (or a rewritten run.json) makes the next request build it again.
 *
 * The figures are served as SVG files for <img> elements. Run data inside them (condition names, strategy
 * names) is escaped by vega's SVG writer, and an SVG shown through <img> runs no script and loads nothing,
 * so such text stays inert either way.
 */
import { ConfigSchema, validate } from '../../harness/config/index.ts';
import { summaryOptions } from '../../harness/experiment/experiment.ts';
import type { EpisodeRecord, RunMeta } from '../../harness/log/index.ts';
import { loadTasks, type TaskDef } from '../../harness/tasks/index.ts';
import { type Figure, reportFigures } from '../figures.ts';
import { buildReport, type Report } from '../report.ts';
import { type ReportSection, reportSections, runLine } from '../report-render.ts';
import { NotFoundError } from './runs.ts';

/** What the run page shows; figures are listed by name and fetched one by one. */
export interface RunReportView {
  runLine: string;
  /** The terminal summary, as `show` prints it. */
  summaryText: string;
  sections: ReportSection[];
  figures: { name: string; title: string }[];
}

export interface BuiltReport {
  view: RunReportView;
  figures: Map<string, Figure>;
}

/** The parsed records of one version of a run: a new object whenever the run's files change. */
export interface RunVersion {
  meta: RunMeta;
  records: EpisodeRecord[];
}

export class RunReports {
  private readonly built = new WeakMap<RunVersion, Promise<BuiltReport>>();
  private tasks?: Promise<TaskDef[]>;

  /**
   * The report of `run`, built once per version. Its summary uses the thresholds of the config stored with
   * the run and the tasks' solution files, as `report` and `show` do. A stored config that no longer
   * validates is InputError.
   */
  report(run: RunVersion): Promise<BuiltReport> {
    let pending = this.built.get(run);
    if (!pending) {
      pending = this.build(run);
      // A failed build is not kept: the next request tries again.
      pending.catch(() => this.built.delete(run));
      this.built.set(run, pending);
    }
    return pending;
  }

  /** One figure's SVG; a name the report has no figure for is NotFoundError. */
  async figure(run: RunVersion, name: string): Promise<string> {
    const figure = (await this.report(run)).figures.get(name);
    if (!figure) throw new NotFoundError(`run ${run.meta.runId} has no figure ${JSON.stringify(name)}`);
    return figure.svg;
  }

  private async build(run: RunVersion): Promise<BuiltReport> {
    const config = validate(ConfigSchema, run.meta.config, `the config stored with run ${run.meta.runId}`);
    this.tasks ??= loadTasks();
    const report: Report = buildReport(run.meta, run.records, summaryOptions(config, await this.tasks));
    const figures = run.records.length ? await reportFigures(report) : [];
    return {
      view: {
        runLine: runLine(report),
        summaryText: report.summaryText,
        sections: run.records.length ? reportSections(report) : [],
        figures: figures.map((f) => ({ name: f.name, title: f.title })),
      },
      figures: new Map(figures.map((f) => [f.name, f])),
    };
  }
}
