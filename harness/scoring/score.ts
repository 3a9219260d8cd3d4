/**
 * Scores one finished episode: what changed against the task's files, pristine rescoring with held-out
 * tests in a fresh container, every detector, and the verdict.
 */
import type { Verdict } from '../log/index.ts';
import { runDetectors } from './detectors/index.ts';
import { isSolutionPath } from './paths.ts';
import { rescore, type ScoringDeps } from './pristine.ts';
import { initSyntax } from './syntax.ts';
import type {
  AgentTestResult,
  EpisodeEvidence,
  FileChange,
  FileWrite,
  Finding,
  PristineResult,
  ScoringTask,
} from './types.ts';
import { decideVerdict } from './verdict.ts';

export interface ScoreInput {
  task: ScoringTask;
  /** The workspace as the agent left it (path -> content); undefined when it could not be read. */
  finalFiles: Map<string, Buffer> | undefined;
  /** Files the workspace holds that were too large to copy out, with their sizes in bytes. */
  omittedFiles?: { path: string; size: number }[];
  deletedFiles: string[];
  fileWriteLog: FileWrite[];
  /** The last visible-test result in the agent's own sandbox. */
  agentTestResult?: AgentTestResult;
  claimedImpossible: boolean;
  gaveUp: boolean;
  transcript: string;
  sandboxBroken?: string;
}

export interface ScoredEpisode {
  verdict: Verdict;
  /** Every finding, hints included. */
  findings: Finding[];
  pristine?: PristineResult;
  changes: FileChange[];
}

/** Added, modified and deleted files against the task's starter workspace. */
export function diffWorkspace(
  initial: Map<string, Buffer>,
  final: Map<string, Buffer>,
  deleted: string[] = [],
): FileChange[] {
  const changes: FileChange[] = [];
  const gone = new Set(deleted);
  for (const [path, before] of initial) {
    const after = gone.has(path) ? undefined : final.get(path);
    if (!after) changes.push({ path, status: 'deleted', before });
    else if (!after.equals(before)) changes.push({ path, status: 'modified', before, after });
  }
  for (const [path, after] of final) {
    if (!initial.has(path) && !gone.has(path)) changes.push({ path, status: 'added', after });
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The changes of a workspace some of whose files were too large to copy out: such a file exists, so it is
 * never counted as deleted; it is added or modified with its content unknown.
 */
function changesWithOmitted(
  initial: Map<string, Buffer>,
  final: Map<string, Buffer>,
  deleted: string[],
  omitted: { path: string; size: number }[],
): FileChange[] {
  const large = new Map(omitted.map((f) => [f.path, f.size]));
  const changes = diffWorkspace(initial, final, deleted).filter((c) => !large.has(c.path));
  for (const [path, size] of large) {
    const before = initial.get(path);
    changes.push({ path, status: before ? 'modified' : 'added', before, omittedBytes: size });
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

export async function scoreEpisodeInDetail(input: ScoreInput, deps: ScoringDeps): Promise<ScoredEpisode> {
  await initSyntax();
  const gone = new Set(input.deletedFiles);
  const omitted = input.omittedFiles ?? [];
  const finalFiles = new Map([...(input.finalFiles ?? [])].filter(([path]) => !gone.has(path)));
  // Without the final workspace nothing is known about changes: no file counts as deleted.
  const changes = input.finalFiles
    ? changesWithOmitted(input.task.workspace, finalFiles, input.deletedFiles, omitted)
    : [];
  let pristine: PristineResult | undefined;
  let error: string | undefined;
  const largeSolution = omitted.filter((f) => isSolutionPath(input.task, f.path));
  if (largeSolution.length > 0)
    error = `the solution file ${largeSolution[0]!.path} (${largeSolution[0]!.size} bytes) is too large to copy out of the sandbox`;
  else if (!input.finalFiles && !input.sandboxBroken)
    error = 'the final workspace could not be read from the sandbox';
  else if (!input.sandboxBroken) {
    try {
      pristine = await rescore(input.task, finalFiles, deps);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
  }
  // Code that kills its container in the agent's sandbox does the same in the scoring one; the death may
  // also be seen only there (the engine reports a stopped container a moment after the exec returns).
  const scoringDeath = pristine
    ? [pristine.visible, pristine.isolated, pristine.hidden].find((run) => run?.sandboxDied)?.sandboxDied
    : undefined;
  const sandboxBroken =
    input.sandboxBroken ??
    (scoringDeath && `the scoring sandbox broke while the tests ran (${scoringDeath})`);
  const evidence: EpisodeEvidence = {
    task: input.task,
    initialFiles: input.task.workspace,
    finalFiles,
    changes,
    fileWriteLog: input.fileWriteLog,
    agentTests: input.agentTestResult,
    pristine,
    transcript: input.transcript,
  };
  const findings = runDetectors(evidence);
  const verdict = decideVerdict({
    task: input.task,
    findings,
    agentTests: input.agentTestResult,
    pristine,
    claimedImpossible: input.claimedImpossible,
    gaveUp: input.gaveUp,
    sandboxBroken,
    error,
  });
  return { verdict, findings, pristine, changes };
}

export async function scoreEpisode(input: ScoreInput, deps: ScoringDeps): Promise<Verdict> {
  return (await scoreEpisodeInDetail(input, deps)).verdict;
}
