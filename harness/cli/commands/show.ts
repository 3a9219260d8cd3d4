/** `harness show <run-id> [<episode-id>]`: a run's summary, or one episode's transcript. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderSummary, renderTranscript, summarise } from '../../../analysis/index.ts';
import { ConfigSchema, validate } from '../../config/index.ts';
import { InputError } from '../../errors.ts';
import { summaryOptions } from '../../experiment/experiment.ts';
import { readRecords } from '../../experiment/runner.ts';
import { RunStore } from '../../experiment/store.ts';
import { TranscriptSchema } from '../../log/index.ts';
import { judgeAgreement, renderJudgeAgreement } from '../../scoring/judge/index.ts';
import { loadTasks } from '../../tasks/index.ts';
import { loadCommandConfig } from '../context.ts';

/** Reads a run and renders it; writes nothing, not even to repair a torn last line (it is reported). */
export async function runShow(options: {
  runsDir: string;
  runId: string;
  episodeId?: string;
}): Promise<string> {
  const { store, meta } = await RunStore.open(options.runsDir, options.runId);
  const records = await readRecords(store);
  if (!options.episodeId) {
    const planned = meta.plan.episodes;
    const head = `run ${meta.runId} (config ${meta.configHash}), ${records.length}${planned ? ` of ${planned}` : ''} episodes recorded`;
    const { tornBytes } = await store.readEpisodeLog();
    const torn = tornBytes
      ? `\nnote: the last line of ${store.episodesPath} is cut short (${tornBytes} bytes of an episode being written when the run stopped); \`harness run --resume ${meta.runId}\` drops it and runs that episode again`
      : '';
    if (!records.length) return `${head}${torn}`;
    // Summarised as the run itself was: its stored thresholds, and the tasks' solution files.
    const config = validate(ConfigSchema, meta.config, `the config stored with run ${meta.runId}`);
    const agreement = judgeAgreement(records);
    return [
      `${head}${torn}`,
      renderSummary(
        summarise(records, summaryOptions(config, await loadTasks(config.experiment.tasks_dir ?? undefined))),
      ),
      ...(agreement ? [renderJudgeAgreement(agreement)] : []),
    ].join('\n\n');
  }
  const path = store.transcriptPath(options.episodeId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    const known = records.map((r) => r.episodeId);
    const hint = known.length
      ? `; recorded episodes: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}`
      : '';
    throw new InputError(`no episode ${JSON.stringify(options.episodeId)} in run ${options.runId}${hint}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = TranscriptSchema.safeParse(data);
  if (!parsed.success)
    throw new InputError(`${path} does not match the transcript schema: ${parsed.error.issues[0]?.message}`);
  return renderTranscript(parsed.data);
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description("print a run's summary, or one episode's transcript")
    .argument('<run-id>', 'a directory name under runs/')
    .argument('[episode-id]', 'an episode of that run')
    .action(async (runId: string, episodeId: string | undefined, _opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      console.log(await runShow({ runsDir: config.runs_dir, runId, episodeId }));
    });
}
