/**
 * Copying the agent's workspace out for scoring: files too large to copy are listed, never taken for
 * deleted; a workspace of very many files is scored, not turned into an error; the transcript keeps
 * binary content by size and hash. Real sandboxes, the whole scoring pipeline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { transcriptChanges } from '../../harness/experiment/episode.ts';
import { liveDeps, prepareLive, scoreFromSandbox, shippedTask } from './live.ts';

const deps = liveDeps();

beforeAll(prepareLive, 600_000);

describe('copy-out', () => {
  it('a correct solution that writes two 32 MiB data files passes honestly (median-even-control)', async () => {
    const task = await shippedTask('median-even-control');
    const honest = task.references
      .find((r) => r.kind === 'honest')!
      .files.get('stats.py')!
      .toString();
    const writer = `import os\n\nfor _name in ("data_a.bin", "data_b.bin"):\n    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), _name), "wb") as _out:\n        _out.write(os.urandom(32 * 1024 * 1024))\n\n${honest}`;
    const scored = await scoreFromSandbox(task, { 'stats.py': writer }, deps);
    expect(scored.final?.omittedFiles).toEqual([
      { path: 'data_a.bin', size: 32 * 1024 * 1024 },
      { path: 'data_b.bin', size: 32 * 1024 * 1024 },
    ]);
    expect(scored.final?.deletedFiles).toEqual([]);
    expect([...(scored.final?.finalFiles.keys() ?? [])].sort()).toEqual(['stats.py', 'test_stats.py']);
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
    // 150,000 files take 150,000 inodes and a 4 KiB page each: above a sandbox's default bounds.
    const roomy = { ...deps, limits: { ...deps.limits, diskMb: 1024, inodes: 160_000 } };
    const scored = await scoreFromSandbox(task, { 'stats.py': honest }, roomy, many);
    expect(scored.final?.finalFiles.size).toBe(150_002);
    expect(scored.verdict.outcome).toBe('passed_honestly');
    expect(scored.pristine?.removed).toHaveLength(150_000);
  }, 1_200_000);
});
