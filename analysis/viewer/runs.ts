/**
 * What the viewer reads from a runs directory, through the run store and harness/log's schemas only:
 * the run list, one run's overview and filter values, a page of its episodes, one transcript. Parsed
 * records are kept per run until its episodes.jsonl changes (size or mtime), so paging a run of 2,000
 * episodes parses it once; transcripts are read one at a time, only when an episode is opened.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { InputError } from '../../harness/errors.ts';
import { readRecords } from '../../harness/experiment/runner.ts';
import { checkEntryName, RunStore } from '../../harness/experiment/store.ts';
import {
  type EpisodeRecord,
  type RunMeta,
  type Transcript,
  TranscriptSchema,
} from '../../harness/log/index.ts';

/** An id from a URL that names nothing inside the runs directory: the server answers 404. */
export class NotFoundError extends InputError {}

export interface RunListItem {
  runId: string;
  createdAt: string;
  model: string;
  conditions: { id: string; cheated: number; impossible: number; episodes: number }[];
  episodes: number;
  planned: number | undefined;
  /** Why the run cannot be read (a malformed run.json or episode line); the other fields are then empty. */
  error?: string;
}

/** One row of a run's episode table: the record without attempts' text. */
export interface EpisodeRow {
  episodeId: string;
  taskId: string;
  family: string;
  impossible: boolean;
  conditionId: string;
  epoch: number;
  seed: number;
  outcome: string;
  strategies: string[];
  attemptedStrategies: string[];
  attempts: number;
}

export interface EpisodeFilter {
  task?: string;
  family?: string;
  condition?: string;
  outcome?: string;
  strategy?: string;
}

export interface LoadedRun {
  key: string;
  meta: RunMeta;
  store: RunStore;
  records: EpisodeRecord[];
}

export class RunsReader {
  private readonly cache = new Map<string, LoadedRun>();

  constructor(readonly runsDir: string) {}

  /** Run ids under the runs directory that hold a run.json, newest first by creation time. */
  async listRuns(): Promise<RunListItem[]> {
    let names: string[];
    try {
      names = await readdir(this.runsDir);
    } catch {
      throw new InputError(`cannot read the runs directory ${this.runsDir}`);
    }
    const items: RunListItem[] = [];
    for (const name of names) {
      const exists = await stat(join(this.runsDir, name, 'run.json')).catch(() => undefined);
      if (!exists) continue;
      let run: LoadedRun;
      try {
        run = await this.load(name);
      } catch (error) {
        // A link that leads out of the runs directory is not listed; a damaged run is, with its error.
        if (error instanceof NotFoundError) continue;
        if (!(error instanceof InputError)) throw error;
        items.push({
          runId: name,
          createdAt: '',
          model: '',
          conditions: [],
          episodes: 0,
          planned: undefined,
          error: error.message,
        });
        continue;
      }
      items.push({
        runId: run.meta.runId,
        createdAt: run.meta.createdAt,
        model: modelName(run),
        conditions: conditionCounts(run.records),
        episodes: run.records.length,
        planned: run.meta.plan.episodes,
      });
    }
    return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** A run's header and the values each filter can take. */
  async overview(runId: string) {
    const run = await this.load(runId);
    const values = (f: (r: EpisodeRecord) => string[]) =>
      [...new Set(run.records.flatMap(f))].sort((a, b) => a.localeCompare(b));
    return {
      runId: run.meta.runId,
      createdAt: run.meta.createdAt,
      configHash: run.meta.configHash,
      model: modelName(run),
      episodes: run.records.length,
      planned: run.meta.plan.episodes,
      filters: {
        task: values((r) => [r.taskId]),
        family: values((r) => [r.family]),
        condition: values((r) => [r.conditionId]),
        outcome: values((r) => [r.verdict.outcome]),
        strategy: values((r) => [...r.verdict.strategies, ...r.verdict.attemptedStrategies]),
      },
    };
  }

  /** Rows `offset` to `offset + limit` of the episodes that pass `filter`, in record order. */
  async episodes(
    runId: string,
    filter: EpisodeFilter,
    offset: number,
    limit: number,
  ): Promise<{ total: number; offset: number; rows: EpisodeRow[] }> {
    const run = await this.load(runId);
    const matching = run.records.filter(
      (r) =>
        (!filter.task || r.taskId === filter.task) &&
        (!filter.family || r.family === filter.family) &&
        (!filter.condition || r.conditionId === filter.condition) &&
        (!filter.outcome || r.verdict.outcome === filter.outcome) &&
        (!filter.strategy ||
          r.verdict.strategies.includes(filter.strategy as never) ||
          r.verdict.attemptedStrategies.includes(filter.strategy as never)),
    );
    return {
      total: matching.length,
      offset,
      rows: matching.slice(offset, offset + limit).map(row),
    };
  }

  /**
   * The transcript of one recorded episode, checked against TranscriptSchema. An episode id that is not
   * a recorded episode of the run is NotFoundError, so no id reaches a file the run did not record.
   */
  async transcript(runId: string, episodeId: string): Promise<Transcript> {
    const run = await this.load(runId);
    if (!run.records.some((r) => r.episodeId === episodeId))
      throw new NotFoundError(`no episode ${JSON.stringify(episodeId)} in run ${runId}`);
    const path = run.store.transcriptPath(episodeId);
    await this.confine(path);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new InputError(`${path} cannot be read as JSON: ${(error as Error).message}`);
    }
    const parsed = TranscriptSchema.safeParse(data);
    if (!parsed.success)
      throw new InputError(
        `${path} does not match the transcript schema: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }

  /** Same task, epoch and seed under another condition of the same run: the compare view's default partner. */
  async pairOf(runId: string, episodeId: string): Promise<{ episodeId: string; conditionId: string }[]> {
    const run = await this.load(runId);
    const self = run.records.find((r) => r.episodeId === episodeId);
    if (!self) throw new NotFoundError(`no episode ${JSON.stringify(episodeId)} in run ${runId}`);
    return run.records
      .filter(
        (r) =>
          r.episodeId !== episodeId &&
          r.taskId === self.taskId &&
          r.epoch === self.epoch &&
          r.seed === self.seed,
      )
      .map((r) => ({ episodeId: r.episodeId, conditionId: r.conditionId }));
  }

  /**
   * The same task, epoch and seed in the other runs of the runs directory (under any condition): the
   * compare view's partners across runs. Runs that cannot be read are left out.
   */
  async sameTaskInOtherRuns(
    runId: string,
    episodeId: string,
  ): Promise<{ runId: string; episodeId: string; conditionId: string }[]> {
    const run = await this.load(runId);
    const self = run.records.find((r) => r.episodeId === episodeId);
    if (!self) throw new NotFoundError(`no episode ${JSON.stringify(episodeId)} in run ${runId}`);
    const out: { runId: string; episodeId: string; conditionId: string }[] = [];
    for (const item of await this.listRuns()) {
      if (item.runId === runId || item.error) continue;
      const other = await this.load(item.runId);
      for (const r of other.records)
        if (r.taskId === self.taskId && r.epoch === self.epoch && r.seed === self.seed)
          out.push({ runId: item.runId, episodeId: r.episodeId, conditionId: r.conditionId });
    }
    return out;
  }

  /**
   * The run's metadata and parsed records, read again only when run.json or episodes.jsonl changed (mtime,
   * size): the same object is returned while they have not, so callers may cache work per object. An id
   * that is not a single name, or a run outside the runs directory, is NotFoundError.
   */
  async load(runId: string): Promise<LoadedRun> {
    try {
      checkEntryName('a run id', runId);
    } catch (error) {
      throw new NotFoundError((error as Error).message);
    }
    const dir = join(this.runsDir, runId);
    await this.confine(dir);
    const info = await stat(join(dir, 'episodes.jsonl')).catch(() => undefined);
    const metaInfo = await stat(join(dir, 'run.json')).catch(() => undefined);
    if (!metaInfo) throw new NotFoundError(`no run ${JSON.stringify(runId)} in ${this.runsDir}`);
    const key = `${metaInfo.mtimeMs}:${info?.size ?? 0}:${info?.mtimeMs ?? 0}`;
    const cached = this.cache.get(runId);
    if (cached?.key === key) return cached;
    const { store, meta } = await RunStore.open(this.runsDir, runId);
    const records = await readRecords(store);
    const loaded: LoadedRun = { key, meta, store, records };
    this.cache.set(runId, loaded);
    return loaded;
  }

  /** A path that resolves (through symbolic links) outside the runs directory is NotFoundError. */
  private async confine(path: string): Promise<void> {
    const root = await realpath(this.runsDir).catch(() => this.runsDir);
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined || !(real === root || real.startsWith(root + sep)))
      throw new NotFoundError(`${path} is not inside ${this.runsDir}`);
  }
}

/** Per condition in order of first appearance: episodes, impossible episodes, and cheats among them. */
function conditionCounts(records: EpisodeRecord[]): RunListItem['conditions'] {
  const counts = new Map<string, RunListItem['conditions'][number]>();
  for (const r of records) {
    const c = counts.get(r.conditionId) ?? { id: r.conditionId, cheated: 0, impossible: 0, episodes: 0 };
    c.episodes += 1;
    if (r.impossible) {
      c.impossible += 1;
      if (r.verdict.outcome === 'cheated') c.cheated += 1;
    }
    counts.set(r.conditionId, c);
  }
  return [...counts.values()];
}

function modelName(run: LoadedRun): string {
  const first = run.records[0]?.model;
  if (first)
    return first.file
      ? `${first.file} (${first.quantization})`
      : `${first.name ?? 'unnamed model'} (${first.backend})`;
  const model = run.meta.config.model as { source?: unknown } | undefined;
  return typeof model?.source === 'string' ? model.source : 'unknown';
}

function row(r: EpisodeRecord): EpisodeRow {
  return {
    episodeId: r.episodeId,
    taskId: r.taskId,
    family: r.family,
    impossible: r.impossible,
    conditionId: r.conditionId,
    epoch: r.epoch,
    seed: r.seed,
    outcome: r.verdict.outcome,
    strategies: r.verdict.strategies,
    attemptedStrategies: r.verdict.attemptedStrategies,
    attempts: r.attempts.length,
  };
}
