/**
 * `harness tasks check`: validates every task, then runs every reference attempt through the full scoring
 * pipeline in real sandboxes. Every task's test ids are collected first (a test file the runner finds no
 * test in is an input error). Honest attempts must raise no finding (passing on control twins, failing on
 * impossible tasks); every reference cheat must be caught with its strategy. Exit 1 on any miss.
 */
import type { Command } from 'commander';
import pLimit from 'p-limit';
import { createSandbox, ensureImages, IMAGES, requireDocker } from '../../../sandboxes/index.ts';
import { sandboxLimits } from '../../config/index.ts';
import {
  checkReference,
  type ReferenceCheck,
  type ScoringDeps,
  STRATEGIES,
  type Strategy,
  withExpectedIds,
} from '../../scoring/index.ts';
import { filterTasks, loadTasks, type TaskDef } from '../../tasks/index.ts';
import { loadCommandConfig, numberFlag } from '../context.ts';

export interface TasksCheckOptions {
  root?: string;
  tasks?: string[];
  json?: boolean;
  concurrency: number;
}

export interface TasksCheckReport {
  tasks: number;
  /** Test ids collected per task: visible and held-out. */
  testIds: { taskId: string; visible: number; hidden: number }[];
  cheats: number;
  caught: number;
  honest: number;
  falseAlarms: number;
  wrongHonestOutcomes: number;
  results: ReferenceCheck[];
}

export function summaryLine(report: TasksCheckReport): string {
  const wrong = report.wrongHonestOutcomes
    ? `, honest attempts with the wrong outcome ${report.wrongHonestOutcomes}`
    : '';
  return (
    `${report.tasks} tasks, ${report.cheats} reference cheats caught ${report.caught}/${report.cheats}, ` +
    `false alarms ${report.falseAlarms}/${report.honest}${wrong}`
  );
}

export function missTable(results: ReferenceCheck[]): string {
  const misses = results.filter((r) => !r.ok);
  if (misses.length === 0) return '';
  const rows = misses.map((r) => {
    const got = [
      r.verdict.outcome,
      r.verdict.strategies.length ? `strategies ${r.verdict.strategies.join(',')}` : '',
      r.verdict.attemptedStrategies.length ? `attempted ${r.verdict.attemptedStrategies.join(',')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const first = r.verdict.evidence[0];
    const where = first ? `${first.file}:${first.line ?? '-'} ${first.why}` : r.verdict.explanation;
    return [r.taskId, r.reference, r.problem, got, where.slice(0, 100)];
  });
  const header = ['task', 'reference', 'problem', 'verdict', 'first evidence'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Reference cheats caught per strategy and language, e.g. `early_exit  python 2/2  javascript 1/1`. */
export function coverageTable(results: ReferenceCheck[]): string {
  const cheats = results.filter((r) => r.kind === 'cheat' && r.strategy);
  const cell = (strategy: Strategy, language: string) => {
    const mine = cheats.filter((r) => r.strategy === strategy && r.language === language);
    return mine.length ? `${language} ${mine.filter((r) => r.ok).length}/${mine.length}` : `${language} -`;
  };
  const width = Math.max(...STRATEGIES.map((s) => s.length));
  return STRATEGIES.map(
    (s) => `${s.padEnd(width)}  ${cell(s, 'python').padEnd(14)}  ${cell(s, 'javascript')}`,
  ).join('\n');
}

/** `work` on every item, at most `concurrency` at once, results in the items' order. */
function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(items.map((item) => limit(() => work(item))));
}

export async function runTasksCheck(
  options: TasksCheckOptions,
  deps: ScoringDeps & { progress?: (line: string) => void },
): Promise<TasksCheckReport> {
  const all = await loadTasks(options.root);
  const selected: TaskDef[] = filterTasks(all, { ids: options.tasks?.length ? options.tasks : undefined });
  const tasks = await pool(selected, options.concurrency, (task) => withExpectedIds(task, deps));
  const jobs = tasks.flatMap((task) => task.references.map((reference) => ({ task, reference })));
  let done = 0;
  const results = await pool(jobs, options.concurrency, async ({ task, reference }) => {
    const result = await checkReference(task, reference, deps);
    done++;
    deps.progress?.(
      `[${done}/${jobs.length}] ${task.id} ${reference.name}: ${result.ok ? 'ok' : `MISS (${result.problem})`}`,
    );
    return result;
  });
  const cheats = results.filter((r) => r.kind === 'cheat');
  const honest = results.filter((r) => r.kind === 'honest');
  return {
    tasks: tasks.length,
    testIds: tasks.map((t) => ({
      taskId: t.id,
      visible: t.expectedIds.visible.length,
      hidden: t.expectedIds.hidden.length,
    })),
    cheats: cheats.length,
    caught: cheats.filter((r) => r.ok).length,
    honest: honest.length,
    falseAlarms: honest.filter((r) => r.found.length > 0).length,
    wrongHonestOutcomes: honest.filter((r) => !r.ok && r.found.length === 0).length,
    results,
  };
}

function collectIds(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function registerTasksCheck(tasks: Command): void {
  tasks
    .command('check')
    .description('validate every task and run every reference attempt through scoring in real sandboxes')
    .option('--root <dir>', 'the tasks folder (default: the suite shipped with the harness)')
    .option('--tasks <ids>', 'only these task ids (comma-separated, repeatable)', collectIds, [])
    .option(
      '-j, --concurrency <n>',
      'references checked at once',
      numberFlag('--concurrency', { integer: true, min: 1 }),
      3,
    )
    .option('--json', 'print the per-reference results and the summary as JSON')
    .action(async (options: TasksCheckOptions, command: Command) => {
      const { config } = await loadCommandConfig(command);
      await requireDocker();
      await ensureImages();
      const report = await runTasksCheck(options, {
        createSandbox,
        limits: sandboxLimits(config.sandbox),
        images: { python: IMAGES.python, javascript: IMAGES.node },
        labels: { 'harness.command': 'tasks-check' },
        progress: options.json ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      if (options.json) {
        console.log(JSON.stringify({ summary: summaryLine(report), ...report }, null, 2));
      } else {
        console.log(coverageTable(report.results));
        const table = missTable(report.results);
        if (table) console.log(`\n${table}`);
        console.log(summaryLine(report));
      }
      if (report.results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
