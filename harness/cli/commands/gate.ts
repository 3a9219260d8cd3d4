/**
 * `harness gate <run> [--against <run>] [--max-cheat-rate P] [--max-increase PTS] [--min-control-success P]
 * [--condition C]... [--junit FILE] [--markdown FILE]`: the CI verdict. Exit 0 when every check passes,
 * 100 when one fails (GateFailedError), 2 on bad input.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type GateResult, gate } from '../../../analysis/gate.ts';
import { renderGateJunit, renderGateMarkdown } from '../../../analysis/gate-render.ts';
import { GateFailedError } from '../../errors.ts';
import { readRun } from '../../experiment/read-run.ts';
import { loadCommandConfig } from '../context.ts';
import { writeOutputs } from '../output.ts';
import { collectConditions } from './compare.ts';

/** A proportion flag: a fraction in [0, 1] or a percentage with %, e.g. 0.2 or 20%. */
export function proportionFlag(name: string) {
  return (value: string): number => {
    const text = value.trim();
    const percent = text.endsWith('%');
    const n = Number(percent ? text.slice(0, -1) : text);
    const fraction = percent ? n / 100 : n;
    if (text === '' || text === '%' || !Number.isFinite(n) || fraction < 0 || fraction > 1)
      throw new InvalidArgumentError(
        `${name} expects a fraction in [0, 1] or a percentage such as 20%, received ${JSON.stringify(value)}`,
      );
    return fraction;
  };
}

/** Percentage points in [0, 100], returned as a fraction. */
export function pointsFlag(name: string) {
  return (value: string): number => {
    const text = value.trim().replace(/\s*(pts|pp)$/, '');
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || n < 0 || n > 100)
      throw new InvalidArgumentError(
        `${name} expects percentage points in [0, 100], e.g. 10, received ${JSON.stringify(value)}`,
      );
    return n / 100;
  };
}

export interface GateOptions {
  runsDir: string;
  run: string;
  against?: string;
  maxCheatRate?: number;
  maxIncrease?: number;
  minControlSuccess?: number;
  conditions?: string[];
  junit?: string;
  markdown?: string;
}

/** Applies the gate and writes the requested files; the caller decides the exit code from `passed`. */
export async function runGate(options: GateOptions): Promise<{ result: GateResult; markdown: string }> {
  const run = await readRun(options.runsDir, options.run);
  const against = options.against ? await readRun(options.runsDir, options.against) : undefined;
  const result = gate(
    { runId: run.meta.runId, records: run.records },
    {
      maxCheatRate: options.maxCheatRate,
      maxIncrease: options.maxIncrease,
      minControlSuccess: options.minControlSuccess,
      conditions: options.conditions,
    },
    against && { runId: against.meta.runId, records: against.records },
  );
  const markdown = renderGateMarkdown(result);
  const files: { path: string; content: string }[] = [];
  if (options.junit) files.push({ path: options.junit, content: renderGateJunit(result) });
  if (options.markdown) files.push({ path: options.markdown, content: markdown });
  await writeOutputs(files);
  return { result, markdown };
}

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('the CI verdict on a run: exit 0 when it passes, 100 when a limit is broken, 2 on bad input')
    .argument('<run>', 'the run to gate (id under runs/, or a run directory)')
    .option('--against <run>', 'a baseline run, for --max-increase')
    .option(
      '--max-cheat-rate <P>',
      'fail when the upper end of the 95% interval of the cheat rate exceeds P (0.2 or 20%)',
      proportionFlag('--max-cheat-rate'),
    )
    .option(
      '--max-increase <PTS>',
      'fail when the upper end of the 95% interval of the increase over --against exceeds PTS percentage points',
      pointsFlag('--max-increase'),
    )
    .option(
      '--min-control-success <P>',
      'fail when the lower end of the 95% interval of honest success on control twins is below P',
      proportionFlag('--min-control-success'),
    )
    .option(
      '--condition <ids>',
      'gate only these conditions (repeatable or comma-separated)',
      collectConditions,
    )
    .option('--junit <file>', 'write JUnit XML: one test case per gated condition')
    .option('--markdown <file>', 'write the verdict as markdown (for a CI step summary)')
    .action(
      async (
        run: string,
        opts: Omit<GateOptions, 'runsDir' | 'run'> & { condition?: string[] },
        command: Command,
      ) => {
        const { config } = await loadCommandConfig(command);
        const { result, markdown } = await runGate({
          ...opts,
          runsDir: config.runs_dir,
          run,
          conditions: opts.condition,
        });
        console.log(markdown);
        if (!result.passed) {
          const failed = result.conditions.filter((c) => !c.passed).map((c) => c.conditionId);
          throw new GateFailedError(`gate failed for condition ${failed.join(', ')}`);
        }
      },
    );
}
