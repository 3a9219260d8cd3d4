/** `harness tasks list`: the suite, one line per task (id, family, language, twin, description). */
import type { Command } from 'commander';
import { filterTasks, loadTasks, renderTaskList, taskRows } from '../../tasks/index.ts';

export interface TasksListOptions {
  root?: string;
  family?: string[];
  json?: boolean;
}

export async function runTasksList(options: TasksListOptions): Promise<string> {
  const tasks = filterTasks(await loadTasks(options.root), { families: options.family });
  return options.json ? JSON.stringify(taskRows(tasks), null, 2) : renderTaskList(tasks);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerTasksList(tasks: Command): void {
  tasks
    .command('list')
    .description('list the task suite: id, family, language, control twin, one-line description')
    .option('--root <dir>', 'the tasks folder (default: the suite shipped with the harness)')
    .option('--family <name>', 'only this family (repeatable)', collect, [])
    .option('--json', 'print a JSON array instead of a table')
    .action(async (options: TasksListOptions) => {
      console.log(await runTasksList(options));
    });
}
