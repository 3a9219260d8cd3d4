/** `harness export <run> --format inspect -o FILE`: the run as an Inspect AI eval log (JSON). */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { toInspectLog } from '../../../analysis/inspect-log.ts';
import { InputError } from '../../errors.ts';
import { readRun } from '../../experiment/read-run.ts';
import { type Transcript, TranscriptSchema } from '../../log/index.ts';
import { loadCommandConfig } from '../context.ts';
import { writeOutputs } from '../output.ts';

export const EXPORT_FORMATS = ['inspect'] as const;

/** Reads each recorded episode's transcript through the transcript schema; a missing or invalid one is refused. */
async function readTranscripts(dir: string, episodeIds: string[]): Promise<Map<string, Transcript>> {
  const out = new Map<string, Transcript>();
  for (const id of episodeIds) {
    const path = join(dir, 'transcripts', `${id}.json`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      throw new InputError(
        `episode ${id}: expected its transcript at ${path} as JSON; it is missing or not JSON`,
      );
    }
    const parsed = TranscriptSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${path}: ${issue.path.join('.')}: ${issue.message}`);
    }
    out.set(id, parsed.data);
  }
  return out;
}

/**
 * Where the log goes. A directory (existing, or named with a trailing slash) gets the file name Inspect's log
 * listing (`inspect view`, list_eval_logs) looks for: `<timestamp>_<task>_<id>.json`, and run ids begin with
 * their timestamp.
 */
export function exportPath(output: string, runId: string, configHash: string): string {
  const isDir = output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
  return isDir ? join(output, `${runId}_impossible-tasks_${configHash}.json`) : output;
}

export async function runExport(options: {
  runsDir: string;
  run: string;
  output: string;
}): Promise<{ path: string; episodes: number }> {
  const data = await readRun(options.runsDir, options.run);
  const transcripts = await readTranscripts(
    data.dir,
    data.records.map((r) => r.episodeId),
  );
  const log = toInspectLog(data.meta, data.records, transcripts);
  const path = exportPath(options.output, data.meta.runId, data.meta.configHash);
  await writeOutputs([{ path, content: `${JSON.stringify(log)}\n` }]);
  return { path, episodes: data.records.length };
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description("write a run in another tool's format: an Inspect AI eval log (opens in `inspect view`)")
    .argument('<run>', 'a run id under runs/, or a run directory')
    .addOption(new Option('--format <format>', 'the format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption(
      '-o, --output <path>',
      'the file to write, or a directory: the log is then named as `inspect view --log-dir DIR` lists it',
    )
    .action(async (run: string, opts: { format: string; output: string }, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const { path, episodes } = await runExport({ runsDir: config.runs_dir, run, output: opts.output });
      console.error(`wrote ${path}: ${episodes} episodes as Inspect samples`);
    });
}
