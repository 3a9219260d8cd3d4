import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../harness/experiment/store.ts';

describe('RunStore', () => {
  it('appends one line per episode and reads them back', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    const store = await RunStore.create(runs, 'r1', {
      schemaVersion: 1,
      configHash: 'abc',
      config: {},
      plan: {},
    });
    await store.writeTranscript('e1', { attempts: [] });
    store.appendEpisode({ episodeId: 'e1' });
    store.appendEpisode({ episodeId: 'e2' });
    expect(await store.readEpisodes()).toEqual([{ episodeId: 'e1' }, { episodeId: 'e2' }]);
    expect(JSON.parse(await readFile(join(runs, 'r1', 'transcripts', 'e1.json'), 'utf8'))).toEqual({
      attempts: [],
    });
    const { meta } = await RunStore.open(runs, 'r1');
    expect(meta).toMatchObject({ runId: 'r1', configHash: 'abc' });
  });

  it('drops a last line cut short by a crash, so that episode runs again', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'harness-runs-'));
    const store = await RunStore.create(runs, 'r2', {
      schemaVersion: 1,
      configHash: 'x',
      config: {},
      plan: {},
    });
    store.appendEpisode({ episodeId: 'e1' });
    await appendFile(store.episodesPath, '{"episodeId":"e2","attem');
    expect(await store.readEpisodes()).toEqual([{ episodeId: 'e1' }]);
    expect(await readFile(store.episodesPath, 'utf8')).toBe('{"episodeId":"e1"}\n');
  });

  it('refuses to open a run that does not exist', async () => {
    await expect(RunStore.open(tmpdir(), 'no-such-run')).rejects.toThrow(/no run "no-such-run"/);
  });
});
