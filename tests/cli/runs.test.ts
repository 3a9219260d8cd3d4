/**
 * Run directories through the real CLI: `show` reads without writing and stays inside the run; `run`
 * refuses a full or read-only runs_dir before the model loads and leaves no run behind; `run --resume`
 * finishes a run in the runs_dir where it is found, with the real model in real sandboxes.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../harness/config/index.ts';
import { planEpisodes } from '../../harness/experiment/plan.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import {
  EpisodeRecordSchema,
  RUN_SCHEMA_VERSION,
  TRANSCRIPT_SCHEMA_VERSION,
} from '../../harness/log/index.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { requireDefaultModel } from '../support/model.ts';
import { makeRecord } from '../support/records.ts';
import { fill, mountTmpfs, type Tmpfs } from '../support/tmpfs.ts';
import { harness } from './support.ts';

/**
 * Each test starts the CLI several times, some run a real episode (model and sandboxes): on two cores that
 * other work may keep busy, that takes minutes.
 */
const SLOW = { timeout: 600_000 };

const META = {
  schemaVersion: RUN_SCHEMA_VERSION,
  configHash: 'cafe',
  config: {},
  plan: { episodes: 3 },
} as const;

async function runWithOneEpisode(): Promise<{ runsDir: string; store: RunStore; episodeId: string }> {
  const runsDir = await mkdtemp(join(tmpdir(), 'runs-cli-'));
  const store = await RunStore.create(runsDir, 'r1', META);
  const [spec] = planEpisodes({
    taskIds: ['median-even'],
    conditionIds: ['baseline'],
    epochs: 1,
    runSeed: 1,
  });
  const record = makeRecord(spec!);
  await store.writeTranscript(record.episodeId, {
    schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
    record,
    spec: 'Median.',
    attempts: [],
    changes: [],
  });
  store.appendEpisode(record);
  return { runsDir, store, episodeId: record.episodeId };
}

describe('show reads a run and never writes it', SLOW, () => {
  it('reports a torn last line and leaves episodes.jsonl byte for byte as it was', async () => {
    const { runsDir, store } = await runWithOneEpisode();
    await appendFile(store.episodesPath, '{"schemaVersion":1,"episodeId":"median-ev');
    const before = await readFile(store.episodesPath);
    const result = await harness(['--set', `runs_dir=${runsDir}`, 'show', 'r1']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('run r1 (config cafe), 1 of 3 episodes recorded');
    expect(result.stdout).toContain(
      `note: the last line of ${store.episodesPath} is cut short (41 bytes of an episode being written when the run stopped)`,
    );
    expect(await readFile(store.episodesPath)).toEqual(before);
  });

  it('refuses episode and run ids that leave their directory', async () => {
    const { runsDir, episodeId } = await runWithOneEpisode();
    // A file one level up that `../run` would have reached.
    await writeFile(join(runsDir, 'r1', 'run.json.json'), '{}');
    for (const [args, kind] of [
      [['r1', '../run'], 'an episode id'],
      [['r1', `../transcripts/${episodeId}`], 'an episode id'],
      [['../r1'], 'a run id'],
    ] as const) {
      const result = await harness(['--set', `runs_dir=${runsDir}`, 'show', ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`harness: ${kind} must be a single name`);
    }
    const ok = await harness(['--set', `runs_dir=${runsDir}`, 'show', 'r1', episodeId]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('verdict: failed');
  });

  it('an empty or invalid run.json is exit 2 naming the file, without a stack trace', async () => {
    const { runsDir } = await runWithOneEpisode();
    const file = join(runsDir, 'r1', 'run.json');
    for (const [text, message] of <[string, string][]>[
      ['', `${file} is empty`],
      ['{"runId": "r1",', `${file} is not valid JSON`],
      ['[1, 2]', `${file} is invalid`],
      [JSON.stringify({ ...META, runId: 'r1', createdAt: 'x', plan: { episodes: -1 } }), 'plan.episodes'],
    ]) {
      await writeFile(file, text);
      const result = await harness(['--set', `runs_dir=${runsDir}`, 'show', 'r1']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('internal error');
    }
  });
});

describe('run with a runs_dir that cannot take it', SLOW, () => {
  const mounts: Tmpfs[] = [];
  beforeAll(async () => {
    requireDefaultModel();
    await requireDocker();
    await ensureImages();
  });
  afterAll(() => {
    for (const m of mounts.splice(0)) m.unmount();
  });

  it.each([
    ['read-only', { readOnly: true }, 'the file system is read-only'],
    ['full', { readOnly: false }, 'MiB free; this run needs about'],
  ])(
    'a %s runs_dir is exit 2 before the model loads, and no run directory is left',
    async (_kind, options, message) => {
      const mount = await mountTmpfs(256, options);
      mounts.push(mount);
      if (!options.readOnly) fill(mount.dir);
      const before = await readdir(mount.dir);
      const runs = join(mount.dir, 'runs');
      const result = await harness(['--set', `runs_dir=${runs}`, 'run', '--tasks', 'median-even']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('fix: free space there');
      expect(result.stderr).not.toContain('preparing the ONNX graph');
      expect(result.stderr).not.toContain('internal error');
      expect(await readdir(mount.dir)).toEqual(before);
    },
  );
});

describe('run on a disk that fills during the run', SLOW, () => {
  const mounts: Tmpfs[] = [];
  beforeAll(async () => {
    requireDefaultModel();
    await requireDocker();
    await ensureImages();
  });
  afterAll(() => {
    for (const m of mounts.splice(0)) m.unmount();
  });

  it('stops with exit 2, leaves the run as it was before the failed write, and the run resumes once there is room', async () => {
    const mount = await mountTmpfs(1024);
    mounts.push(mount);
    const runs = join(mount.dir, 'runs');
    const small = ['--set', 'agent.max_reply_tokens=32', '--set', 'experiment.concurrency=1'];
    const running = harness([
      '--set',
      `runs_dir=${runs}`,
      ...small,
      'run',
      '--tasks',
      'median-even',
      '--conditions',
      'baseline',
      '--max-attempts',
      '1',
    ]);
    // Once the run exists, the disk fills up while its first episode is running.
    let runId: string | undefined;
    const deadline = Date.now() + 300_000;
    while (runId === undefined && Date.now() < deadline) {
      const ids = existsSync(runs) ? await readdir(runs) : [];
      if (ids.length && existsSync(join(runs, ids[0]!, 'run.json'))) runId = ids[0];
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(runId).toBeDefined();
    const filler = fill(mount.dir);
    const result = await running;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`cannot write ${join(runs, runId!, 'transcripts')}`);
    expect(result.stderr).toContain('no space left on the device');
    expect(result.stderr).not.toContain('internal error');
    expect(await readdir(join(runs, runId!, 'transcripts'))).toEqual([]);
    expect(existsSync(join(runs, runId!, 'episodes.jsonl'))).toBe(false);

    const shown = await harness(['--set', `runs_dir=${runs}`, 'show', runId!]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`run ${runId}`);
    expect(shown.stdout).toContain('0 of 1 episodes recorded');

    await rm(filler);
    const resumed = await harness(['--set', `runs_dir=${runs}`, 'run', '--resume', runId!]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const lines = (await readFile(join(runs, runId!, 'episodes.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(lines.map((l) => EpisodeRecordSchema.parse(JSON.parse(l)).episodeId)).toEqual([
      'median-even.baseline.e1',
    ]);
  });
});

describe('run --resume with another runs_dir', SLOW, () => {
  beforeAll(async () => {
    requireDefaultModel();
    await requireDocker();
    await ensureImages();
  });

  it('finds the run where it is and finishes it there, not in the runs_dir stored with it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'resume-elsewhere-'));
    const stored = join(base, 'where-it-began');
    const moved = join(base, 'where-it-is-now');
    const { config } = await loadConfig({
      file: '/dev/null',
      overrides: [
        `runs_dir=${stored}`,
        'experiment.tasks=["median-even"]',
        'experiment.epochs=2',
        'experiment.concurrency=1',
        'agent.max_attempts=1',
        'agent.max_reply_tokens=32',
      ],
    });
    const plan = planEpisodes({
      taskIds: ['median-even'],
      conditionIds: ['baseline'],
      epochs: 2,
      runSeed: 1,
    });
    await mkdir(moved);
    const store = await RunStore.create(moved, 'r1', {
      schemaVersion: RUN_SCHEMA_VERSION,
      configHash: 'h',
      config,
      plan: { episodes: 2, tasks: ['median-even'], conditions: ['baseline'] },
    });
    const first = makeRecord(plan[0]!, { runId: 'r1' });
    await store.writeTranscript(first.episodeId, {});
    store.appendEpisode(first);
    // Torn by a crash: resume drops it and runs that episode.
    await appendFile(store.episodesPath, '{"schemaVersion":1,"episodeId":"median-even.base');

    const result = await harness(['--set', `runs_dir=${moved}`, 'run', '--resume', 'r1']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`run r1 (${join(moved, 'r1')})`);
    const lines = (await readFile(store.episodesPath, 'utf8')).split('\n').filter(Boolean);
    const records = lines.map((l) => EpisodeRecordSchema.parse(JSON.parse(l)));
    expect(records.map((r) => r.episodeId)).toEqual(plan.map((e) => e.episodeId));
    expect(records[1]!.attempts).toHaveLength(1);
    expect((await readdir(join(moved, 'r1', 'transcripts'))).sort()).toEqual(
      plan.map((e) => `${e.episodeId}.json`).sort(),
    );
    expect(existsSync(stored)).toBe(false);

    const elsewhere = await harness(['--set', `runs_dir=${stored}`, 'run', '--resume', 'r1']);
    expect(elsewhere.exitCode).toBe(2);
    expect(elsewhere.stderr).toContain(`no run "r1" in ${stored}`);
  });
});
