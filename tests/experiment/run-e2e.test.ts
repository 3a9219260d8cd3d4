/**
 * `harness run` end to end with the real model in real sandboxes: records carry readings and both units
 * of the condition, steering changes the readings, and a run killed with SIGKILL resumes to every planned
 * episode exactly once.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EpisodeRecordSchema, type EpisodeRecord } from '../../harness/log/index.ts';
import { ensureImages, pruneSandboxes, requireDocker } from '../../sandboxes/index.ts';
import { harness, MAIN, ROOT } from '../cli/support.ts';
import { requireDefaultModel } from '../support/model.ts';

// Small episodes: one short attempt each, so the whole file runs in a few minutes on two cores.
const SMALL = ['--set', 'agent.max_reply_tokens=48', '--set', 'experiment.concurrency=1'];

function records(runsDir: string): EpisodeRecord[] {
  const [runId] = readdirSync(runsDir);
  const file = join(runsDir, runId!, 'episodes.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => EpisodeRecordSchema.parse(JSON.parse(line)));
}

beforeAll(async () => {
  requireDefaultModel();
  await requireDocker();
  await ensureImages();
});

describe('harness run with the real model', () => {
  it('records readings per attempt and the condition in all three units; the opposite sign reads differently', async () => {
    const readings: Record<string, number> = {};
    for (const steer of ['desperation=-2', 'desperation=+2']) {
      const runsDir = await mkdtemp(join(tmpdir(), 'harness-e2e-'));
      const args = [
        '--set',
        `runs_dir=${runsDir}`,
        ...SMALL,
        'run',
        '--steer',
        steer,
        '--tasks',
        'fast-sum',
        '--max-attempts',
        '1',
      ];
      const result = await harness(args);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('cheat rate');
      const [record] = records(runsDir);
      const term = record!.condition.steer[0]!;
      expect(term).toMatchObject({ vector: 'desperation', unit: 'sd', sd: steer.endsWith('-2') ? -2 : 2 });
      expect(Math.sign(term.strength)).toBe(Math.sign(term.sd));
      expect(Math.sign(term.coefficient)).toBe(Math.sign(term.sd));
      const attempt = record!.attempts[0]!;
      expect(Object.keys(attempt.readings ?? {}).sort()).toEqual(['calm', 'desperation']);
      readings[steer] = attempt.readings!.desperation!.z.mean;
      const transcript = JSON.parse(
        readFileSync(join(runsDir, record!.runId, 'transcripts', `${record!.episodeId}.json`), 'utf8'),
      );
      expect(transcript.attempts[0].perToken.desperation.length).toBe(attempt.completionTokens);
    }
    // Steering +2 sd instead of -2 sd from the probe layer on must raise the reading there.
    expect(readings['desperation=+2']!).toBeGreaterThan(readings['desperation=-2']!);
  });

  it('resumes a run killed with SIGKILL: every planned episode exactly once', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-resume-'));
    const args = [
      MAIN,
      '--set',
      `runs_dir=${runsDir}`,
      ...SMALL,
      'run',
      '--tasks',
      'fast-sum,fast-sum-control',
      '--max-attempts',
      '1',
      '--conditions',
      'baseline',
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    const deadline = Date.now() + 300_000;
    while (
      Date.now() < deadline &&
      (!existsSync(runsDir) || readdirSync(runsDir).length === 0 || records(runsDir).length < 1)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await exited;
    const before = records(runsDir);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(2);
    await pruneSandboxes();

    const [runId] = readdirSync(runsDir);
    const resumed = await harness(['--set', `runs_dir=${runsDir}`, 'run', '--resume', runId!]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming: 1 of 2 episodes already recorded');
    const ids = records(runsDir).map((r) => r.episodeId);
    expect(ids.sort()).toEqual(['fast-sum-control.baseline.e1', 'fast-sum.baseline.e1']);
    expect(records(runsDir)[0]).toEqual(before[0]);
  });
});
