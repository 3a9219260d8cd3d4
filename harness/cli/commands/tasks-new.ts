/**
 * `harness tasks new <id> --language python|javascript [--impossible]`: a complete small task (and, when
 * impossible, its control twin) that passes the loader and `harness tasks check`, to edit into one's own.
 */
import { type Command, Option } from 'commander';
import { InputError } from '../../errors.ts';
import { FAMILIES, type Family, LANGUAGES, scaffoldTask, writeDrafts } from '../../tasks/index.ts';

export interface TasksNewOptions {
  id: string;
  language: (typeof LANGUAGES)[number];
  impossible: boolean;
  family: Family;
  root: string;
}

export async function runTasksNew(options: TasksNewOptions): Promise<string[]> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(options.id))
    throw new InputError(
      `id: expected a lower-case id of letters, digits and dashes, received ${JSON.stringify(options.id)}`,
    );
  return writeDrafts(scaffoldTask(options), options.root, '--root');
}

export function registerTasksNew(tasks: Command): void {
  tasks
    .command('new')
    .description('write a new task folder (and its control twin with --impossible) to edit into your own')
    .argument('<id>', 'the task id: lower-case letters, digits and dashes')
    .addOption(
      new Option('--language <language>', 'the task language').choices(LANGUAGES).makeOptionMandatory(),
    )
    .option('--impossible', 'an impossible task, with a control twin <id>-control', false)
    .addOption(new Option('--family <family>', 'the task family').choices(FAMILIES).default('other'))
    .option('--root <dir>', 'the tasks folder to write into', 'tasks')
    .action(async (id: string, options: Omit<TasksNewOptions, 'id'>) => {
      for (const dir of await runTasksNew({ id, ...options })) console.log(`wrote ${dir}`);
    });
}
