/**
 * `harness compare <runA> <runB> [--condition C]... [--format md|html|json] [-o FILE]`: run B against run A,
 * per condition and overall, paired when the seeds match.
 */
import { type Command, Option } from 'commander';
import { type Comparison, compareRuns } from '../../../analysis/compare.ts';
import { renderComparisonHtml, renderComparisonMarkdown } from '../../../analysis/compare-render.ts';
import { readRun } from '../../experiment/read-run.ts';
import { loadCommandConfig } from '../context.ts';
import { writeOutputs } from '../output.ts';
import { FORMATS, outputFormat } from './report.ts';

/** Comma-separated or repeated --condition values, as one list. */
export function collectConditions(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export async function runCompare(options: {
  runsDir: string;
  runA: string;
  runB: string;
  conditions?: string[];
  format?: string;
  output?: string;
}): Promise<{ comparison: Comparison; text: string }> {
  const [a, b] = await Promise.all([
    readRun(options.runsDir, options.runA),
    readRun(options.runsDir, options.runB),
  ]);
  const comparison = compareRuns(
    { runId: a.meta.runId, records: a.records },
    { runId: b.meta.runId, records: b.records },
    { conditions: options.conditions },
  );
  const format = outputFormat(options.format, options.output);
  const text =
    format === 'json'
      ? `${JSON.stringify(comparison, null, 2)}\n`
      : format === 'html'
        ? renderComparisonHtml(comparison)
        : renderComparisonMarkdown(comparison);
  if (options.output) await writeOutputs([{ path: options.output, content: text }]);
  return { comparison, text };
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'compare the cheat rates of two runs: paired by task, epoch and condition when the seeds match',
    )
    .argument('<runA>', 'the reference run (id under runs/, or a run directory)')
    .argument('<runB>', 'the run compared with it')
    .option('--condition <ids>', 'only these conditions (repeatable or comma-separated)', collectConditions)
    .addOption(new Option('--format <format>', 'output format (default: from -o, else md)').choices(FORMATS))
    .option('-o, --output <file>', 'write here instead of standard output')
    .action(
      async (
        runA: string,
        runB: string,
        opts: { condition?: string[]; format?: string; output?: string },
        command: Command,
      ) => {
        const { config } = await loadCommandConfig(command);
        const { text } = await runCompare({
          runsDir: config.runs_dir,
          runA,
          runB,
          conditions: opts.condition,
          format: opts.format,
          output: opts.output,
        });
        if (opts.output) console.error(`wrote ${opts.output}`);
        else console.log(text);
      },
    );
}
