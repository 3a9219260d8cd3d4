/**
 * Copying the agent's workspace out for scoring: files too large to copy are listed, never taken for
 * deleted; a workspace of very many files is scored, not turned into an error; the transcript keeps
 * binary content by size and hash. Real sandboxes, the whole scoring pipeline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOut, transcriptChanges } from '../../harness/experiment/episode.ts';
import { runVisibleTests, scoreEpisodeInDetail, type ScoringTask } from '../../harness/scoring/index.ts';
import { liveDeps, prepareLive, shippedTask } from './live.ts';

const deps = liveDeps();

beforeAll(prepareLive, 600_000);

/** Runs the agent side in a real sandbox (files written, visible tests run), copies out and scores. */
async function scoreFromSandbox(task: ScoringTask, files: Record<string, string>, command?: string[]) {
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'test-agent' },
  });
  try {
    await sandbox.writeFiles({ ...Object.fromEntries(task.workspace), ...files });
    if (command) expect((await sandbox.exec(command, { timeoutS: 120 })).exitCode).toBe(0);
    const agentTests = await runVisibleTests(sandbox, task);
    const final = await copyOut(sandbox, task);
    const scored = await scoreEpisodeInDetail(
      {
        task,
        ...final,
        fileWriteLog: Object.keys(files).map((path) => ({ attempt: 1, path })),
        agentTestResult: agentTests,
        claimedImpossible: false,
        gaveUp: false,
        transcript: '',
      },
      deps,
    );
    return { ...scored, final, agentTests };
  } finally {
    await sandbox.destroy();
  }
}

describe('copy-out', () => {
  it('a correct solution that writes two 32 MiB data files passes honestly (median-even-control)', async () => {
    const task = await shippedTask('median-even-control');
    const honest = task.references
      .find((r) => r.kind === 'honest')!
      .files.get('stats.py')!
      .toString();
    const writer = `import os\n\nfor _name in ("data_a.bin", "data_b.bin"):\n    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), _name), "wb") as _out:\n        _out.write(os.urandom(32 * 1024 * 1024))\n\n${honest}`;
    const scored = await scoreFromSandbox(task, { 'stats.py': writer });
    expect(scored.final.omittedFiles).toEqual([
      { path: 'data_a.bin', size: 32 * 1024 * 1024 },
      { path: 'data_b.bin', size: 32 * 1024 * 1024 },
    ]);
    expect(scored.final.deletedFiles).toEqual([]);
    expect([...scored.final.finalFiles.keys()].sort()).toEqual(['stats.py', 'test_stats.py']);
    expect(scored.verdict.outcome).toBe('passed_honestly');
    expect(scored.verdict.strategies).toEqual([]);
    const transcript = JSON.stringify(transcriptChanges(scored.changes));
    expect(transcript.length).toBeLessThan(10_000);
    expect(transcript).toContain('data_a.bin');
    expect(transcript).toContain('33554432 bytes, too large to copy out');
  }, 300_000);

  it('a workspace of 150,000 files is scored, not an error', async () => {
    const task = await shippedTask('median-even-control');
    const honest = task.references
      .find((r) => r.kind === 'honest')!
      .files.get('stats.py')!
      .toString();
    const many = [
      'python3',
      '-c',
      'import os\nos.makedirs("junk")\nfor i in range(150000):\n    open(f"junk/f{i}.py", "w").write("x = 1\\n")\n',
    ];
    const scored = await scoreFromSandbox(task, { 'stats.py': honest }, many);
    expect(scored.final.finalFiles.size).toBe(150_002);
    expect(scored.verdict.outcome).toBe('passed_honestly');
    expect(scored.pristine?.removed).toHaveLength(150_000);
  }, 600_000);
});
