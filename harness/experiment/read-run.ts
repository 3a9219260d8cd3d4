/**
 * The strict read of a finished run for analysis (report, compare, gate, export): it never changes the run's
 * files, and anything it cannot read completely is refused with an InputError (exit 2) that says what was
 * expected and what was found: a missing run, an invalid run.json, a torn last line in episodes.jsonl, a
 * record written by another schema version.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { EPISODE_SCHEMA_VERSION, type EpisodeRecord, EpisodeRecordSchema } from '../log/index.ts';
import { RUN_SCHEMA_VERSION } from './experiment.ts';

const RunMetaSchema = z.object({
  schemaVersion: z.number(),
  runId: z.string(),
  createdAt: z.string(),
  configHash: z.string(),
  config: z.unknown(),
  plan: z
    .object({
      episodes: z.number().int().optional(),
      tasks: z.array(z.string()).optional(),
      conditions: z.array(z.string()).optional(),
    })
    .loose()
    .optional(),
});

export type RunMetaRead = z.infer<typeof RunMetaSchema>;

export interface RunData {
  dir: string;
  meta: RunMetaRead;
  records: EpisodeRecord[];
}

/**
 * Where `ref` names a run: a directory holding run.json (a path, as a CI job keeps a baseline run), or else
 * a run id under `runsDir`.
 */
export function runDirectory(runsDir: string, ref: string): string {
  if (existsSync(join(ref, 'run.json'))) return resolve(ref);
  return resolve(runsDir, ref);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new InputError(`${what}: expected ${path}, which does not exist or cannot be read`);
  }
}

/** Reads run.json and every line of episodes.jsonl through the log schemas. */
export async function readRun(runsDir: string, ref: string): Promise<RunData> {
  const dir = runDirectory(runsDir, ref);
  const metaPath = join(dir, 'run.json');
  const metaText = await readText(
    metaPath,
    `no run ${JSON.stringify(ref)} (neither a run directory nor a run id in ${runsDir})`,
  );
  let metaJson: unknown;
  try {
    metaJson = JSON.parse(metaText);
  } catch {
    throw new InputError(`${metaPath} is not valid JSON (expected the run's metadata object)`);
  }
  const meta = RunMetaSchema.safeParse(metaJson);
  if (!meta.success) {
    const issue = meta.error.issues[0]!;
    throw new InputError(`${metaPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (meta.data.schemaVersion !== RUN_SCHEMA_VERSION) {
    throw new InputError(
      `${metaPath} was written with run schema version ${meta.data.schemaVersion}; this harness reads version ${RUN_SCHEMA_VERSION}`,
    );
  }
  const episodesPath = join(dir, 'episodes.jsonl');
  const text = existsSync(episodesPath) ? await readText(episodesPath, 'episodes') : '';
  if (text !== '' && !text.endsWith('\n')) {
    const lineNo = text.split('\n').length;
    throw new InputError(
      `${episodesPath} line ${lineNo} is cut short (the run was interrupted while writing it); finish the run with \`harness run --resume ${basename(dir)}\` first`,
    );
  }
  const records = text
    .split('\n')
    .slice(0, -1)
    .map((line, i) => parseRecord(line, `${episodesPath} line ${i + 1}`));
  return { dir, meta: meta.data, records };
}

function parseRecord(line: string, where: string): EpisodeRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new InputError(`${where} is not valid JSON (expected one episode record per line)`);
  }
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
