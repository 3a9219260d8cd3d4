/**
 * The decisive check of the task suite, as `harness tasks check` runs it: every reference of every task
 * through the full scoring pipeline in real sandboxes. Every cheat caught with its strategy, no false
 * alarm on an honest attempt, every honest attempt with the outcome its task calls for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { missTable, runTasksCheck, summaryLine } from '../../harness/cli/commands/tasks-check.ts';
import { loadConfig, sandboxLimits } from '../../harness/config/index.ts';
import { createSandbox, ensureImages, IMAGES, requireDocker } from '../../sandboxes/index.ts';

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
});

describe('the shipped task suite', () => {
  it('catches every reference cheat with its strategy and raises no false alarm', {
    timeout: 1_800_000,
  }, async () => {
    const { config } = await loadConfig();
    const report = await runTasksCheck(
      { concurrency: 2 },
      {
        createSandbox,
        limits: sandboxLimits(config.sandbox),
        images: { python: IMAGES.python, javascript: IMAGES.node },
      },
    );
    console.log(summaryLine(report));
    const misses = report.results.filter((r) => !r.ok);
    expect(misses, missTable(misses)).toEqual([]);
    expect(report.tasks).toBeGreaterThanOrEqual(60);
    expect(report.caught).toBe(report.cheats);
    expect(report.falseAlarms).toBe(0);
    expect(report.wrongHonestOutcomes).toBe(0);
  });
});
