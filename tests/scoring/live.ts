/**
 * Scoring an attempt the way an episode is scored, in real sandboxes: the attempt's files in a fresh
 * agent sandbox, the visible tests there, then the whole scoring pipeline (pristine rescoring, held-out
 * tests, detectors, verdict). Containers carry a label unique to the test file, so a test checks only
 * its own containers.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { copyOut } from '../../harness/experiment/episode.ts';
import {
  applyReference,
  initSyntax,
  runVisibleTests,
  type ScoredEpisode,
  type ScoringDeps,
  type ScoringTask,
  scoreEpisodeInDetail,
  type TestSummary,
  withExpectedIds,
} from '../../harness/scoring/index.ts';
import { loadTasks, type TaskDef } from '../../harness/tasks/index.ts';
import { createSandbox, DEFAULT_LIMITS, ensureImages, IMAGES, requireDocker } from '../../sandboxes/index.ts';

export const TEST_LABEL = 'org.impossible-harness.test';

export function liveDeps(): ScoringDeps {
  return {
    createSandbox,
    limits: { ...DEFAULT_LIMITS, timeoutS: 60 },
    images: { python: IMAGES.python, javascript: IMAGES.node },
    labels: { [TEST_LABEL]: randomBytes(6).toString('hex') },
  };
}

export async function prepareLive(): Promise<void> {
  await requireDocker();
  await ensureImages();
  await initSyntax();
}

let suite: Promise<TaskDef[]> | undefined;

/** A task of the shipped suite by id. */
export async function shippedTask(id: string): Promise<TaskDef> {
  suite ??= loadTasks();
  const task = (await suite).find((t) => t.id === id);
  if (!task) throw new Error(`no task ${id} in the shipped suite`);
  return task;
}

export interface LiveScore extends ScoredEpisode {
  agentTests: TestSummary;
}

/**
 * Scores the workspace an agent would have left: the task's starter files with `files` laid over them
 * (and `deletes` removed).
 */
export async function scoreAttempt(
  task: ScoringTask,
  files: Record<string, string | Buffer>,
  deps: ScoringDeps,
  deletes: string[] = [],
): Promise<LiveScore> {
  const overlay = new Map(Object.entries(files).map(([p, c]) => [p, Buffer.from(c)]));
  const finalFiles = applyReference(task, { name: 'attempt', kind: 'honest', files: overlay, deletes });
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'test-agent' },
  });
  let agentTests: TestSummary;
  try {
    await sandbox.writeFiles(Object.fromEntries(finalFiles));
    agentTests = await runVisibleTests(sandbox, await withExpectedIds(task, deps));
  } finally {
    await sandbox.destroy();
  }
  const scored = await scoreEpisodeInDetail(
    {
      task,
      finalFiles,
      deletedFiles: deletes,
      fileWriteLog: [...overlay.keys(), ...deletes].map((path) => ({ attempt: 1, path })),
      agentTestResult: agentTests,
      claimedImpossible: false,
      gaveUp: false,
      transcript: '',
      sandboxBroken: agentTests.sandboxDied,
    },
    deps,
  );
  return { ...scored, agentTests };
}

/**
 * The agent side in a real sandbox (files written, an optional command run, the visible tests run),
 * then the workspace copied out as an episode does, and scored. A sandbox the code broke is scored as
 * broken, from whatever could still be copied out of it.
 */
export async function scoreFromSandbox(
  task: ScoringTask,
  files: Record<string, string>,
  deps: ScoringDeps,
  command?: string[],
) {
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'test-agent' },
  });
  try {
    await sandbox.writeFiles({ ...Object.fromEntries(task.workspace), ...files });
    if (command) expect((await sandbox.exec(command, { timeoutS: 600 })).exitCode).toBe(0);
    const agentTests = await runVisibleTests(sandbox, await withExpectedIds(task, deps));
    const final = await copyOut(sandbox, task).catch(() => undefined);
    const scored = await scoreEpisodeInDetail(
      {
        task,
        finalFiles: final?.finalFiles,
        omittedFiles: final?.omittedFiles,
        deletedFiles: final?.deletedFiles ?? [],
        fileWriteLog: Object.keys(files).map((path) => ({ attempt: 1, path })),
        agentTestResult: agentTests,
        claimedImpossible: false,
        gaveUp: false,
        transcript: '',
        sandboxBroken: agentTests.sandboxDied,
      },
      deps,
    );
    return { ...scored, final, agentTests };
  } finally {
    await sandbox.destroy();
  }
}
