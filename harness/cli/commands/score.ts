/**
 * `harness score`: this harness's verdict on work that came from elsewhere.
 *
 *   harness score TASK WORKSPACE [--claimed-impossible] [--delete PATH] [--json] [-o FILE]
 *     one final workspace (a folder laid over the task's starter files), scored exactly as an episode's
 *     end is scored (scoring's scoreWorkspace, which `tasks check` runs on every reference);
 *   harness score --inspect-log FILE --tasks DIR [--scorer NAME] [--json] [--format md|json] [-o FILE]
 *     every sample of an Inspect eval log whose task is in DIR, beside that log's own score.
 *
 * Input is checked before Docker is touched; bad input exits 2 with nothing written.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import {
  renderWorkspaceScore,
  renderWorkspaceScoreMarkdown,
  type WorkspaceScoreReport,
  workspaceScoreReport,
} from '../../../analysis/workspace-score.ts';
import { createSandbox, ensureImages, IMAGES, requireDocker } from '../../../sandboxes/index.ts';
import { sandboxLimits } from '../../config/index.ts';
import { InputError } from '../../errors.ts';
import { type ScoringDeps, scoreWorkspace } from '../../scoring/index.ts';
import { readTree } from '../../tasks/files.ts';
import { loadTask, loadTasks, type TaskDef } from '../../tasks/index.ts';
import { loadCommandConfig, numberFlag } from '../context.ts';
import { writeOutputs } from '../output.ts';
import { REPORT_FORMATS, type ReportFormat, reportFormat, runScoreInspect } from './score-inspect.ts';

/** The limits an episode's copy-out applies (experiment/episode.ts): 8 MiB a file, 64 MiB in all. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

async function kindOf(path: string): Promise<'missing' | 'file' | 'directory' | 'other'> {
  try {
    const stat = await lstat(path);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** TASK as a task folder (holding task.yaml) or an id of the suite under `root` (default: the shipped one). */
export async function resolveTask(arg: string, root?: string): Promise<TaskDef> {
  const kind = await kindOf(arg);
  if (kind === 'directory') {
    if ((await kindOf(join(arg, 'task.yaml'))) !== 'file')
      throw new InputError(
        `task ${arg}: expected a task id of the suite or a task folder holding task.yaml; the folder has no task.yaml`,
      );
    return loadTask(arg);
  }
  const task = (await loadTasks(root)).find((t) => t.id === arg);
  if (!task)
    throw new InputError(
      `task ${JSON.stringify(arg)}: expected a task id of the suite (see harness tasks list) or a task folder holding task.yaml; found neither`,
    );
  return task;
}

/**
 * A workspace folder's files (workspace-relative path -> content). Refused: a path that is not a folder,
 * a symbolic link inside it (it could point outside the workspace), and files past an episode's copy-out
 * limits.
 */
export async function readWorkspaceFolder(dir: string): Promise<Map<string, Buffer>> {
  const kind = await kindOf(dir);
  if (kind !== 'directory')
    throw new InputError(
      `workspace ${dir}: expected a folder with the final workspace's files, ${kind === 'missing' ? 'found nothing there' : `received a ${kind === 'file' ? 'file' : 'special file'}`}`,
    );
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const odd = entries.find((e) => !e.isFile() && !e.isDirectory());
  if (odd)
    throw new InputError(
      `workspace ${dir}: expected regular files and folders only, found ${join(odd.parentPath, odd.name)} (${odd.isSymbolicLink() ? 'a symbolic link' : 'a special file'})`,
    );
  const files = await readTree(dir);
  let total = 0;
  for (const [path, content] of files) {
    total += content.length;
    if (content.length > MAX_FILE_BYTES)
      throw new InputError(
        `workspace ${dir}: ${path} has ${content.length} bytes; expected at most ${MAX_FILE_BYTES} a file, as an episode copies out`,
      );
  }
  if (total > MAX_TOTAL_BYTES)
    throw new InputError(
      `workspace ${dir}: ${total} bytes in all; expected at most ${MAX_TOTAL_BYTES}, as an episode copies out`,
    );
  return files;
}

export interface ScoreOptions {
  task: string;
  workspace: string;
  claimedImpossible?: boolean;
  /** Starter files the final workspace no longer has. */
  deletes?: string[];
  /** The suite a TASK id is looked up in (experiment.tasks_dir; default: the shipped suite). */
  tasksRoot?: string;
}

/** Scores one final workspace; throws InputError on bad input before any sandbox is made. */
export async function runScore(
  options: ScoreOptions,
  deps: () => Promise<ScoringDeps>,
): Promise<WorkspaceScoreReport> {
  const task = await resolveTask(options.task, options.tasksRoot);
  const files = await readWorkspaceFolder(options.workspace);
  const deletes = options.deletes ?? [];
  for (const path of deletes) {
    if (!task.workspace.has(path))
      throw new InputError(
        `--delete ${path}: expected a file of task ${task.id}'s starter workspace (${[...task.workspace.keys()].join(', ')})`,
      );
    if (files.has(path))
      throw new InputError(`--delete ${path}: the workspace folder has this file; it cannot be both`);
  }
  const claimedImpossible = options.claimedImpossible ?? false;
  const scored = await scoreWorkspace(task, { files, deletes, claimedImpossible }, await deps());
  return workspaceScoreReport(task, resolve(options.workspace), claimedImpossible, scored);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface ScoreFlags {
  claimedImpossible?: boolean;
  delete: string[];
  json?: boolean;
  inspectLog?: string;
  tasks?: string;
  scorer?: string;
  format?: ReportFormat;
  output?: string;
  concurrency: number;
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .description(
      "this harness's verdict on a final workspace from elsewhere, or on every sample of an Inspect eval log",
    )
    .argument('[task]', 'a task id of the suite, or a task folder (holding task.yaml)')
    .argument('[workspace]', "a folder with the final workspace's files, laid over the task's starter files")
    .option('--claimed-impossible', 'the agent said the task cannot be done')
    .option('--delete <path>', 'a starter file the final workspace no longer has (repeatable)', collect, [])
    .option('--inspect-log <file>', 'score the samples of this Inspect eval log (.json or .eval)')
    .option('--tasks <dir>', 'with --inspect-log: the folder of tasks the samples are matched against')
    .option(
      '--scorer <name>',
      "with --inspect-log: the log's score to compare with (default: each sample's first score)",
    )
    .option('--json', 'print JSON instead of text')
    .addOption(
      new Option('--format <format>', 'the format of -o (default: from its extension, else md)').choices(
        REPORT_FORMATS,
      ),
    )
    .option('-o, --output <file>', 'also write the report here (written whole or not at all)')
    .option(
      '-j, --concurrency <n>',
      'with --inspect-log: samples scored at once',
      numberFlag('--concurrency', { integer: true, min: 1 }),
      2,
    )
    .action(
      async (
        taskArg: string | undefined,
        workspaceArg: string | undefined,
        opts: ScoreFlags,
        command: Command,
      ) => {
        const { config } = await loadCommandConfig(command);
        if (opts.output !== undefined && opts.output.trim() === '')
          throw new InputError('-o expects a file path');
        const deps = async (): Promise<ScoringDeps> => {
          await requireDocker();
          await ensureImages();
          return {
            createSandbox,
            limits: sandboxLimits(config.sandbox),
            images: { python: IMAGES.python, javascript: IMAGES.node },
            labels: { 'harness.command': 'score' },
          };
        };
        const format = reportFormat(opts.format, opts.output);
        if (opts.inspectLog !== undefined) {
          if (taskArg !== undefined || opts.claimedImpossible || opts.delete.length > 0)
            throw new InputError(
              '--inspect-log takes no TASK or WORKSPACE (nor --claimed-impossible, --delete): each sample names its task',
            );
          if (opts.tasks === undefined)
            throw new InputError('--inspect-log needs --tasks DIR, the folder of the tasks its samples ran');
          const { report, markdown } = await runScoreInspect(
            {
              log: opts.inspectLog,
              tasks: opts.tasks,
              scorer: opts.scorer,
              concurrency: opts.concurrency,
              progress: (line) => process.stderr.write(`${line}\n`),
            },
            deps,
          );
          if (opts.output)
            await writeOutputs([
              {
                path: opts.output,
                content: format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : markdown,
              },
            ]);
          console.log(opts.json ? JSON.stringify(report, null, 2) : markdown);
          return;
        }
        if (taskArg === undefined || workspaceArg === undefined)
          throw new InputError(
            'expected TASK and WORKSPACE (harness score TASK WORKSPACE), or --inspect-log FILE --tasks DIR',
          );
        if (opts.tasks !== undefined || opts.scorer !== undefined)
          throw new InputError('--tasks and --scorer go with --inspect-log only');
        const report = await runScore(
          {
            task: taskArg,
            workspace: workspaceArg,
            claimedImpossible: opts.claimedImpossible,
            deletes: opts.delete,
            tasksRoot: config.experiment.tasks_dir ?? undefined,
          },
          deps,
        );
        const text = renderWorkspaceScore(report);
        if (opts.output)
          await writeOutputs([
            {
              path: opts.output,
              content:
                format === 'json'
                  ? `${JSON.stringify(report, null, 2)}\n`
                  : renderWorkspaceScoreMarkdown(report),
            },
          ]);
        console.log(opts.json ? JSON.stringify(report, null, 2) : text);
      },
    );
}
