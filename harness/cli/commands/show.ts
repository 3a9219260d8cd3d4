/** `harness show <run-id> [<episode-id>]`: a run's summary, or one episode's transcript. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { renderSummary, renderTranscript, summarise } from '../../../analysis/index.ts';
import { InputError } from '../../errors.ts';
import { readRecords } from '../../experiment/runner.ts';
import { RunStore } from '../../experiment/store.ts';
import { TranscriptSchema } from '../../log/index.ts';
import { judgeAgreement, renderJudgeAgreement } from '../../scoring/judge/index.ts';
import { loadCommandConfig } from '../context.ts';

export async function runShow(options: {
  runsDir: string;
  runId: string;
  episodeId?: string;
}): Promise<string> {
  const { store, meta } = await RunStore.open(options.runsDir, options.runId);
  const records = await readRecords(store);
  if (!options.episodeId) {
    const planned = (meta.plan as { episodes?: number } | undefined)?.episodes;
    const head = `run ${meta.runId} (config ${meta.configHash}), ${records.length}${planned ? ` of ${planned}` : ''} episodes recorded`;
    if (!records.length) return head;
    const agreement = judgeAgreement(records);
    return [
      head,
      renderSummary(summarise(records)),
      ...(agreement ? [renderJudgeAgreement(agreement)] : []),
    ].join('\n\n');
  }
  const path = join(store.dir, 'transcripts', `${options.episodeId}.json`);
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
  const parsed = TranscriptSchema.safeParse(JSON.parse(text));
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
