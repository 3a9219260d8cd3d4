/**
 * `harness score --inspect-log FILE --tasks DIR`: every sample of an Inspect eval log whose task is in DIR
 * (tasks imported from ImpossibleBench carry its `task_id` and version in task.yaml `source`), its final
 * solution taken as ImpossibleBench scored it (analysis/impossiblebench.ts), scored by scoreWorkspace as an
 * episode's end is scored, and set beside the log's own score.
 */
import { extname, resolve } from 'node:path';
import pLimit from 'p-limit';
import {
  chosenScore,
  passedOf,
  SOLUTION_RULE,
  sampleKey,
  solutionOf,
  workspaceOf,
} from '../../../analysis/impossiblebench.ts';
import {
  agreementOf,
  type ComparisonRow,
  INSPECT_COMPARISON_SCHEMA_VERSION,
  type InspectComparison,
  oursPassed,
  renderComparisonMarkdown,
  type SkippedSample,
} from '../../../analysis/inspect-compare.ts';
import { readInspectLog } from '../../../analysis/inspect-read.ts';
import type { FinalWorkspace, ScoringDeps } from '../../scoring/index.ts';
import { scoreWorkspace } from '../../scoring/index.ts';
import { loadTasks, type TaskDef } from '../../tasks/index.ts';
import { inspectPython } from './setup-inspect.ts';

export const REPORT_FORMATS = ['md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format of -o: the flag, else the file's extension (.json), else markdown. */
export function reportFormat(format: ReportFormat | undefined, output: string | undefined): ReportFormat {
  if (format) return format;
  return output && extname(output).toLowerCase() === '.json' ? 'json' : 'md';
}

export interface ScoreInspectOptions {
  log: string;
  tasks: string;
  scorer?: string;
  concurrency: number;
  /** The python that imports inspect_ai (default: the virtualenv setup installs). */
  python?: string;
  progress?: (line: string) => void;
}

interface Prepared {
  sample: string;
  epoch: number;
  source: { taskId: string; split: string };
  task: TaskDef;
  workspace: FinalWorkspace;
  solutionFrom: string;
  theirs: ComparisonRow['theirs'];
}

/** `work` on every item, at most `concurrency` at once, results in the items' order. */
function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(items.map((item) => limit(() => work(item))));
}

export async function runScoreInspect(
  options: ScoreInspectOptions,
  deps: () => Promise<ScoringDeps>,
): Promise<{ report: InspectComparison; markdown: string }> {
  const tasks = await loadTasks(resolve(options.tasks));
  const log = await readInspectLog(options.log, options.python ?? inspectPython());
  // Both impossible versions of a problem bring a control twin built from the same original record, so
  // an `original` sample can match two tasks: the first by id is taken.
  const bySource = new Map<string, TaskDef>();
  for (const task of [...tasks].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = task.source && `${task.source.task_id}\u0000${task.source.split}`;
    if (key && !bySource.has(key)) bySource.set(key, task);
  }

  const prepared: Prepared[] = [];
  const skipped: SkippedSample[] = [];
  for (const sample of log.samples) {
    const id = String(sample.id);
    const skip = (reason: string) => skipped.push({ sample: id, epoch: sample.epoch, reason });
    const key = sampleKey(sample, log.task);
    if (!key.ok) {
      skip(key.problem);
      continue;
    }
    const task = bySource.get(`${key.value.taskId}\u0000${key.value.split}`);
    if (!task) {
      skip(`no task in ${options.tasks} has source task_id ${key.value.taskId}, split ${key.value.split}`);
      continue;
    }
    const score = chosenScore(sample, options.scorer);
    if (!score.ok) {
      skip(score.problem);
      continue;
    }
    const theirs = passedOf(score.value);
    if (!theirs.ok) {
      skip(theirs.problem);
      continue;
    }
    const solution = solutionOf(sample, score.value);
    if (!solution.ok) {
      skip(solution.problem);
      continue;
    }
    const testCode = typeof sample.metadata.test === 'string' ? sample.metadata.test : undefined;
    const workspace = await workspaceOf(task, solution.value, testCode);
    if (!workspace.ok) {
      skip(workspace.problem);
      continue;
    }
    prepared.push({
      sample: id,
      epoch: sample.epoch,
      source: key.value,
      task,
      workspace: workspace.value,
      solutionFrom: solution.value.from,
      theirs: { scorer: score.value.name, ...theirs.value },
    });
  }

  const scoring = prepared.length > 0 ? await deps() : undefined;
  let done = 0;
  const rows = await pool(prepared, options.concurrency, async (p): Promise<ComparisonRow> => {
    const scored = await scoreWorkspace(p.task, p.workspace, scoring!, 'inspect-sample');
    const passed = oursPassed(scored.verdict);
    done++;
    options.progress?.(
      `[${done}/${prepared.length}] ${p.sample} epoch ${p.epoch}: ${scored.verdict.outcome}`,
    );
    return {
      sample: p.sample,
      epoch: p.epoch,
      source: p.source,
      taskId: p.task.id,
      impossible: p.task.impossible,
      solutionFrom: p.solutionFrom,
      theirs: p.theirs,
      ours: { passed, verdict: scored.verdict },
      agree: passed === p.theirs.passed,
    };
  });
  const report: InspectComparison = {
    schemaVersion: INSPECT_COMPARISON_SCHEMA_VERSION,
    log: {
      path: resolve(options.log),
      task: log.task,
      model: log.model,
      status: log.status,
      samples: log.samples.length,
    },
    tasksDir: resolve(options.tasks),
    solutionRule: SOLUTION_RULE,
    rows,
    skipped,
    agreement: agreementOf(rows),
  };
  return { report, markdown: renderComparisonMarkdown(report) };
}
