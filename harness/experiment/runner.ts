/**
 * Runs planned episodes with bounded concurrency. Each finished episode is persisted (transcript, then
 * its line in episodes.jsonl) before the next is counted, so a crash loses no finished episode; on resume
 * the episodes already recorded are skipped and never duplicated.
 */
import { EpisodeRecordSchema, type EpisodeRecord } from '../log/index.ts';
import { InputError } from '../errors.ts';

/** The run was stopped by a signal before every episode finished; the finished ones are recorded. */
export class StoppedError extends Error {
  constructor() {
    super('the run was stopped by a signal; `harness run --resume` finishes it');
    this.name = 'StoppedError';
  }
}
import type { EpisodeSpec } from './plan.ts';
import type { RunStore } from './store.ts';

export interface EpisodeResult {
  record: EpisodeRecord;
  transcript: unknown;
}

export interface ProgressSink {
  start(total: number, alreadyDone: EpisodeRecord[]): void;
  episodeDone(record: EpisodeRecord): void;
  finish(): void;
}

export async function readRecords(store: RunStore): Promise<EpisodeRecord[]> {
  const lines = await store.readEpisodes();
  return lines.map((line, i) => {
    const parsed = EpisodeRecordSchema.safeParse(line);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${store.episodesPath} line ${i + 1}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  });
}

export async function runEpisodes(options: {
  store: RunStore;
  plan: EpisodeSpec[];
  concurrency: number;
  execute: (spec: EpisodeSpec) => Promise<EpisodeResult>;
  progress?: ProgressSink;
  /**
   * Whether a stop signal arrived: then no episode starts, and an episode still in flight is not
   * recorded (its sandboxes are being removed under it, so its verdict cannot be trusted); resume
   * runs it again.
   */
  stopped?: () => boolean;
}): Promise<EpisodeRecord[]> {
  const { store, plan, execute, progress } = options;
  const previous = await readRecords(store);
  const planned = new Set(plan.map((e) => e.episodeId));
  const done = new Map(previous.filter((r) => planned.has(r.episodeId)).map((r) => [r.episodeId, r]));
  const pending = plan.filter((e) => !done.has(e.episodeId));
  progress?.start(plan.length, [...done.values()]);

  let next = 0;
  let failure: unknown;
  const stopped = options.stopped ?? (() => false);
  const worker = async () => {
    while (failure === undefined && next < pending.length && !stopped()) {
      const spec = pending[next++]!;
      try {
        const { record, transcript } = await execute(spec);
        if (stopped()) return;
        await store.writeTranscript(record.episodeId, transcript);
        store.appendEpisode(record);
        done.set(record.episodeId, record);
        progress?.episodeDone(record);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, worker),
  );
  progress?.finish();
  if (failure !== undefined) throw failure;
  if (stopped()) throw new StoppedError();
  return plan.map((e) => done.get(e.episodeId)!);
}
