import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../../harness/errors.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import { fill, mountTmpfs, type Tmpfs } from '../support/tmpfs.ts';

const META = { schemaVersion: 1, configHash: 'abc', config: {}, plan: {} } as const;

describe('RunStore', () => {
  it('appends one line per episode and reads them back', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    const store = await RunStore.create(runs, 'r1', META);
    await store.writeTranscript('e1', { attempts: [] });
    store.appendEpisode({ episodeId: 'e1' });
    store.appendEpisode({ episodeId: 'e2' });
    expect(await store.readEpisodes()).toEqual([{ episodeId: 'e1' }, { episodeId: 'e2' }]);
    expect(JSON.parse(await readFile(join(runs, 'r1', 'transcripts', 'e1.json'), 'utf8'))).toEqual({
      attempts: [],
    });
    const { meta } = await RunStore.open(runs, 'r1');
    expect(meta).toMatchObject({ runId: 'r1', configHash: 'abc' });
    expect((await readdir(join(runs, 'r1'))).sort()).toEqual(['episodes.jsonl', 'run.json', 'transcripts']);
  });

  it('reports a last line cut short by a crash without touching the file; resume drops it', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    const store = await RunStore.create(runs, 'r2', META);
    store.appendEpisode({ episodeId: 'e1', note: 'naïve' });
    const torn = '{"episodeId":"e2","note":"é';
    await appendFile(store.episodesPath, torn);
    const before = await readFile(store.episodesPath);
    expect(await store.readEpisodeLog()).toEqual({
      lines: [{ episodeId: 'e1', note: 'naïve' }],
      tornBytes: Buffer.byteLength(torn),
    });
    expect(await readFile(store.episodesPath)).toEqual(before);

    await RunStore.resume(runs, 'r2', 2);
    expect(await readFile(store.episodesPath, 'utf8')).toBe('{"episodeId":"e1","note":"naïve"}\n');
    store.appendEpisode({ episodeId: 'e2' });
    expect(await store.readEpisodes()).toEqual([{ episodeId: 'e1', note: 'naïve' }, { episodeId: 'e2' }]);
  });

  it('refuses to open a run that does not exist, or whose run.json is empty or invalid', async () => {
    await expect(RunStore.open(tmpdir(), 'no-such-run')).rejects.toThrow(/no run "no-such-run"/);
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    await RunStore.create(runs, 'r3', META);
    const file = join(runs, 'r3', 'run.json');
    await writeFile(file, '');
    await expect(RunStore.open(runs, 'r3')).rejects.toThrow(`${file} is empty`);
    await writeFile(file, '{"schemaVersion": 1, "runId": "r3"');
    await expect(RunStore.open(runs, 'r3')).rejects.toThrow(`${file} is not valid JSON`);
    await writeFile(file, '{"schemaVersion": 1, "runId": "r3", "plan": []}');
    await expect(RunStore.open(runs, 'r3')).rejects.toThrow(/createdAt: expected string, received nothing/);
  });

  it('refuses run and episode ids that are not a single name', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    const store = await RunStore.create(runs, 'r4', META);
    for (const id of ['../r4', '..', 'a/b', '.'])
      expect(() => store.transcriptPath(id)).toThrow(/an episode id must be a single name/);
    await expect(RunStore.open(runs, '../x')).rejects.toThrow(/a run id must be a single name/);
    await expect(store.writeTranscript('../../escape', {})).rejects.toThrow(/single name/);
    expect(existsSync(join(runs, 'escape.json'))).toBe(false);
  });
});

describe('RunStore on a full or read-only file system', () => {
  const mounts: Tmpfs[] = [];
  afterAll(() => {
    for (const m of mounts.splice(0)) m.unmount();
  });
  const mount = async (sizeKb: number, readOnly = false) => {
    const m = await mountTmpfs(sizeKb, { readOnly });
    mounts.push(m);
    return m.dir;
  };

  it('a write the disk can hold only part of is cut back off and throws; earlier lines stay whole', async () => {
    const dir = await mount(256);
    const store = await RunStore.create(dir, 'r', META);
    store.appendEpisode({ episodeId: 'e1' });
    fill(dir, 4096);
    // More than the free page and the rest of the file's first page: the kernel takes what fits (a short
    // write) and refuses the rest.
    const big = { episodeId: 'e2', text: 'x'.repeat(10_000) };
    const error = (() => {
      try {
        store.appendEpisode(big);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect((error as Error).message).toBe(`cannot write ${store.episodesPath}: no space left on the device`);
    expect(await readFile(store.episodesPath, 'utf8')).toBe('{"episodeId":"e1"}\n');
    expect(await store.readEpisodeLog()).toEqual({ lines: [{ episodeId: 'e1' }], tornBytes: 0 });
  });

  it('a transcript that does not fit leaves no temp file and no transcript', async () => {
    const dir = await mount(256);
    const store = await RunStore.create(dir, 'r', META);
    fill(dir, 4096);
    await expect(store.writeTranscript('e1', { text: 'y'.repeat(20_000) })).rejects.toThrow(
      `cannot write ${store.transcriptPath('e1')}: no space left on the device`,
    );
    expect(await readdir(join(dir, 'r', 'transcripts'))).toEqual([]);
  });

  it('a run that cannot be created leaves no directory', async () => {
    const dir = await mount(256);
    fill(dir);
    await expect(RunStore.create(dir, 'r', META)).rejects.toThrow(/run.json: no space left on the device/);
    expect(await readdir(dir)).toEqual(['filler']);
  });

  it('checkWritable refuses a full, a nearly full and a read-only directory, and leaves nothing', async () => {
    const full = await mount(256);
    fill(full);
    await expect(RunStore.checkWritable(join(full, 'runs'), 1)).rejects.toThrow(PrerequisiteError);
    expect(await readdir(full)).toEqual(['filler']);

    const small = await mount(1024);
    await expect(RunStore.checkWritable(small, 24)).rejects.toThrow(
      /has 1\.0 MiB free; this run needs about 6\.0 MiB \(256 KiB per episode\)/,
    );
    await RunStore.checkWritable(small, 2);
    expect(await readdir(small)).toEqual([]);

    const readOnly = await mount(256, true);
    await expect(RunStore.checkWritable(readOnly, 1)).rejects.toThrow(
      `cannot write ${readOnly}: the file system is read-only`,
    );
    await expect(RunStore.checkWritable(join(readOnly, 'runs'), 1)).rejects.toThrow(
      `cannot write ${join(readOnly, 'runs')}: the file system is read-only`,
    );
  });
});
