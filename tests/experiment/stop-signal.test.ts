/**
 * SIGTERM while episodes are being rescored: nothing is recorded after the signal, nothing new starts,
 * and every container of the run is removed. The run is a real process with real sandboxes; only this
 * run's containers (by its run label) are looked at.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureImages, LABEL_RUN, requireDocker } from '../../sandboxes/index.ts';

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
}, 600_000);

/** Containers of this run only, found through the engine by the run label. */
async function containersOf(runId: string): Promise<string[]> {
  const engine = await requireDocker();
  const list = await engine.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
  return list.map((c) => c.Id);
}

describe('stop signal', () => {
  it('SIGTERM during rescoring of a large workspace records nothing after it and leaves no container', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-stop-'));
    const runId = `stop-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/stop-run.ts', runsDir, runId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        for (const line of parts) {
          lines.push(line);
          // The second episode in flight is being rescored: stop now.
          if (lines.filter((l) => l.startsWith('rescoring')).length === 2 && !lines.includes('sent')) {
            lines.push('sent');
            child.kill('SIGTERM');
            resolve();
          }
        }
      });
      child.on('exit', () => reject(new Error(`the run ended before rescoring began: ${stderr}`)));
    });
    const code = await exited;
    expect(code).toBe(143);
    const sent = lines.indexOf('sent');
    expect(lines.slice(sent).filter((l) => l.startsWith('recorded'))).toEqual([]);
    const recorded = lines.filter((l) => l.startsWith('recorded')).map((l) => l.slice('recorded '.length));
    const written = (await readFile(join(runsDir, runId, 'episodes.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { episodeId: string }).episodeId);
    expect(written).toEqual(recorded);
    // Six episodes were planned; at most the two in flight and those finished before had started.
    expect(lines.filter((l) => l.startsWith('rescoring')).length).toBeLessThan(6);
    expect(await containersOf(runId)).toEqual([]);
  }, 600_000);
});
