/**
 * The strict read of a finished run for analysis (report, compare, gate, export), through the run store: it
 * never changes the run's files, and anything it cannot read whole is refused with an InputError (exit 2)
 * that says what was expected and what was found: a missing run, an invalid run.json (the store's check), a
 * torn last line in episodes.jsonl, a record written by another schema version.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import {
  EPISODE_SCHEMA_VERSION,
  type EpisodeRecord,
  EpisodeRecordSchema,
  type RunMeta,
} from '../log/index.ts';
import { RunStore } from './store.ts';

export interface RunData {
  dir: string;
  meta: RunMeta;
  records: EpisodeRecord[];
}

/**
 * Where `ref` names a run, as the store's (runs directory, run id): a directory holding run.json (a path, as a
 * CI job keeps a baseline run), or else a run id under `runsDir`.
 */
export function runLocation(runsDir: string, ref: string): { runsDir: string; runId: string } {
  if (existsSync(join(ref, 'run.json'))) {
    const dir = resolve(ref);
    return { runsDir: dirname(dir), runId: basename(dir) };
  }
  return { runsDir, runId: ref };
}

/** Reads run.json and every line of episodes.jsonl through the log schemas. */
export async function readRun(runsDir: string, ref: string): Promise<RunData> {
  const where = runLocation(runsDir, ref);
  const { store, meta } = await RunStore.open(where.runsDir, where.runId);
  const { lines, tornBytes } = await store.readEpisodeLog();
  if (tornBytes > 0) {
    throw new InputError(
      `${store.episodesPath} line ${lines.length + 1} is cut short (${tornBytes} bytes: the run was interrupted while writing it); finish the run with \`harness run --resume ${store.runId}\` first`,
    );
  }
  const records = lines.map((line, i) => parseRecord(line, `${store.episodesPath} line ${i + 1}`));
  return { dir: store.dir, meta, records };
}

function parseRecord(json: unknown, where: string): EpisodeRecord {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== EPISODE_SCHEMA_VERSION) {
    throw new InputError(
      `${where} was written with episode schema version ${JSON.stringify(version ?? null)}; this harness reads version ${EPISODE_SCHEMA_VERSION}`,
    );
  }
  const parsed = EpisodeRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${where}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
