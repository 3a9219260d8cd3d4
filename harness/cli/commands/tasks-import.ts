/**
 * `harness tasks import <format> <file...>`: tasks written elsewhere as task folders under --out.
 * `impossiblebench` reads ImpossibleBench's LiveCodeBench export (JSON Lines or Parquet, any mix of its
 * splits); `jsonl` reads the neutral task format (tasks/README.md). Records that cannot be converted are
 * listed with the reason; the rest are written all together or not at all.
 */
import { Argument, type Command, Option } from 'commander';
import { InputError } from '../../errors.ts';
import {
  type Conversion,
  convertImpossibleBench,
  convertNeutral,
  countTasks,
  IMPOSSIBLE_SPLITS,
  type ImpossibleSplit,
  readRecords,
  type SkippedRecord,
  writeDrafts,
} from '../../tasks/index.ts';

export const IMPORT_FORMATS = ['impossiblebench', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface TasksImportOptions {
  format: ImportFormat;
  files: string[];
  split?: ImpossibleSplit;
  out: string;
}

export interface TasksImportResult {
  written: string[];
  impossible: number;
  /** What was written, counted (harness/tasks/list.ts countTasks). */
  counts: string;
  skipped: SkippedRecord[];
}

export async function runTasksImport(options: TasksImportOptions): Promise<TasksImportResult> {
  if (options.split && options.format !== 'impossiblebench')
    throw new InputError(
      `--split: applies to the impossiblebench format only, received format ${options.format}`,
    );
  const records = await readRecords(options.files);
  const conversion: Conversion =
    options.format === 'impossiblebench'
      ? await convertImpossibleBench(records, options.split)
      : convertNeutral(records);
  if (conversion.drafts.length === 0) {
    const reasons = conversion.skipped.slice(0, 5).map((s) => `${s.where}: ${s.reason}`);
    throw new InputError(
      `${options.files.join(', ')}: no record could be converted into a task${
        options.format === 'impossiblebench'
          ? ` (expected ${options.split ?? IMPOSSIBLE_SPLITS.join(' or ')} records)`
          : ''
      }${reasons.length ? `:\n  ${reasons.join('\n  ')}` : ''}`,
    );
  }
  const written = await writeDrafts(conversion.drafts, options.out);
  return {
    written,
    impossible: conversion.drafts.filter((d) => d.yaml.impossible).length,
    counts: countTasks(
      conversion.drafts.map((d) => ({ id: d.yaml.id, impossible: d.yaml.impossible, twin: d.yaml.twin })),
    ),
    skipped: conversion.skipped,
  };
}

export function renderImport(result: TasksImportResult, out: string): string {
  const lines = [`wrote ${result.counts.replace(/^\d+ tasks?/, (n) => `${n} to ${out}`)}`];
  if (result.skipped.length > 0) {
    lines.push(`skipped ${result.skipped.length} record(s):`);
    for (const s of result.skipped) lines.push(`  ${s.where}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
  }
  return lines.join('\n');
}

export function registerTasksImport(tasks: Command): void {
  tasks
    .command('import')
    .description('write tasks from ImpossibleBench records or the neutral JSON Lines format as task folders')
    .addArgument(
      new Argument(
        '<format>',
        'impossiblebench (its LiveCodeBench export) or jsonl (the neutral format)',
      ).choices(IMPORT_FORMATS),
    )
    .argument('<files...>', 'JSON Lines or Parquet files (impossiblebench: one per split, or all in one)')
    .addOption(
      new Option('--split <split>', 'impossiblebench: only this split (default: both)').choices(
        IMPOSSIBLE_SPLITS,
      ),
    )
    .option('--out <dir>', 'the tasks folder to write into (tasks/<family>/<id>/)', 'imported-tasks')
    .action(
      async (format: ImportFormat, files: string[], options: { split?: ImpossibleSplit; out: string }) => {
        const result = await runTasksImport({ format, files, ...options });
        console.log(renderImport(result, options.out));
      },
    );
}
