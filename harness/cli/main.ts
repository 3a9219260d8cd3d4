/** The harness CLI. The only place where errors become messages and exit codes. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { HarnessError, PrerequisiteError } from '../errors.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerExport } from './commands/export.ts';
import { registerGate } from './commands/gate.ts';
import { registerModelBench } from './commands/model-bench.ts';
import { registerModelGenerate } from './commands/model-generate.ts';
import { registerModelInfo } from './commands/model-info.ts';
import { registerModelPull } from './commands/model-pull.ts';
import { registerProbes } from './commands/probes.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerSandbox } from './commands/sandbox.ts';
import { registerScore } from './commands/score.ts';
import { registerServe } from './commands/serve.ts';
import { registerSetup } from './commands/setup.ts';
import { registerShow } from './commands/show.ts';
import { registerTasksCheck } from './commands/tasks-check.ts';
import { registerTasksImport } from './commands/tasks-import.ts';
import { registerTasksList } from './commands/tasks-list.ts';
import { registerTasksNew } from './commands/tasks-new.ts';
import { registerView } from './commands/view.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('harness')
    .description(
      'Impossible coding tasks for locally hosted models: emotion probes, steering, test-gaming detection.',
    )
    .version(pkg.version, '-V, --version')
    .option('-c, --config <file>', 'configuration file (default: harness.config.yaml if present)')
    .option(
      '--set <key=value>',
      'override a configuration value, e.g. --set sandbox.memory_mb=256 (repeatable)',
      collect,
      [],
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Subcommands created after exitOverride() inherit it, so usage errors anywhere reach fail() below.
  registerSetup(program);
  registerDoctor(program);
  registerSandbox(program);
  const model = program
    .command('model')
    .description('the locally hosted model: pull, inspect, generate, benchmark');
  registerModelPull(model);
  registerModelInfo(model);
  registerModelGenerate(model);
  registerModelBench(model);
  const tasks = program.command('tasks').description('the impossible task suite and its control twins');
  registerTasksList(tasks);
  registerTasksCheck(tasks);
  registerTasksImport(tasks);
  registerTasksNew(tasks);
  registerProbes(program);
  registerRun(program);
  registerServe(program);
  registerShow(program);
  registerView(program);
  registerReport(program);
  registerCompare(program);
  registerGate(program);
  registerExport(program);
  registerScore(program);
  return program;
}

function fail(error: unknown): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return 0;
    return 2;
  }
  if (error instanceof HarnessError) {
    process.stderr.write(`harness: ${error.message}\n`);
    if (error instanceof PrerequisiteError) process.stderr.write(`  fix: ${error.fix}\n`);
    return error.exitCode;
  }
  process.stderr.write(`harness: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = fail(error);
}
