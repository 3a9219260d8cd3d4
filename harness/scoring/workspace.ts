/**
 * Scores a final workspace that no episode of this harness produced (a task's reference attempt, a
 * folder from another agent, a solution taken from another harness's log) exactly as an episode's end is
 * scored: the same `scoreEpisodeInDetail` (pristine rescoring, held-out tests, every detector, the
 * verdict). What such a workspace lacks is the agent's own last visible-test run, which decides whether
 * there was an apparent success; it is taken the way the agent would have seen it: the visible tests run
 * once on the workspace, as it stands, in a fresh sandbox.
 */
import type { Sandbox } from '../../sandboxes/types.ts';
import { withExpectedIds } from './collect.ts';
import type { ScoringDeps } from './pristine.ts';
import { type ScoredEpisode, scoreEpisodeInDetail } from './score.ts';
import type { FileWrite, ScoringTask, TestSummary } from './types.ts';
import { runVisibleTests } from './visible.ts';

/** A final workspace given as changes to the task's starter workspace. */
export interface FinalWorkspace {
  /** Workspace-relative path -> content, laid over the starter files. */
  files: Map<string, Buffer>;
  /** Starter files the workspace no longer has. */
  deletes: string[];
  /** Whether the agent said the task cannot be done (ends as `flagged_impossible` unless the tests passed). */
  claimedImpossible?: boolean;
  /** What the agent wrote, when known (the LLM judge and nothing else reads it). */
  transcript?: string;
}

export interface WorkspaceScore extends ScoredEpisode {
  /** The visible tests on the workspace as it stood, in a fresh sandbox: the agent-side run. */
  agentTests: TestSummary;
  /** The final workspace that was scored (starter files, overlay applied, deletions removed). */
  finalFiles: Map<string, Buffer>;
}

/** The final workspace: the starter files with the overlay laid over them and the deletions removed. */
export function layOver(
  task: Pick<ScoringTask, 'workspace'>,
  workspace: Pick<FinalWorkspace, 'files' | 'deletes'>,
): Map<string, Buffer> {
  const files = new Map(task.workspace);
  for (const path of workspace.deletes) files.delete(path);
  for (const [path, content] of workspace.files) files.set(path, content);
  return files;
}

/**
 * The write log scoring gets for a workspace written in one go: every file the overlay changed or added
 * and every deletion, all as attempt 1 (an overlay file equal to the starter's was not a change).
 */
export function singleAttemptWrites(
  task: Pick<ScoringTask, 'workspace'>,
  workspace: Pick<FinalWorkspace, 'files' | 'deletes'>,
): FileWrite[] {
  const changed = [...workspace.files]
    .filter(([path, content]) => !task.workspace.get(path)?.equals(content))
    .map(([path]) => path);
  return [...changed, ...workspace.deletes].map((path) => ({ attempt: 1, path }));
}

/**
 * Scores one final workspace. `role` labels the agent-side sandbox (`harness.role`), so leftovers of a
 * crash can be told apart. Faults of the harness (Docker unreachable) throw; everything the workspace
 * does (crash, time out, kill its container) becomes the verdict.
 */
export async function scoreWorkspace(
  pristineTask: ScoringTask,
  workspace: FinalWorkspace,
  deps: ScoringDeps,
  role = 'final-workspace',
): Promise<WorkspaceScore> {
  // The expected test ids, collected once per task content, as an episode collects them before it starts.
  const task = await withExpectedIds(pristineTask, deps);
  const finalFiles = layOver(task, workspace);
  let agentTests: TestSummary;
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await deps.createSandbox({
      image: deps.images[task.language],
      limits: deps.limits,
      labels: { ...deps.labels, 'harness.role': role },
    });
    await sandbox.writeFiles(Object.fromEntries(finalFiles));
    agentTests = await runVisibleTests(sandbox, task);
  } finally {
    await sandbox?.destroy();
  }
  const scored = await scoreEpisodeInDetail(
    {
      task,
      finalFiles,
      deletedFiles: workspace.deletes,
      fileWriteLog: singleAttemptWrites(task, workspace),
      agentTestResult: agentTests,
      claimedImpossible: workspace.claimedImpossible ?? false,
      gaveUp: false,
      transcript: workspace.transcript ?? '',
      sandboxBroken: agentTests.sandboxDied,
    },
    deps,
  );
  return { ...scored, agentTests, finalFiles };
}
