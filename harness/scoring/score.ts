/**
 * Scores one finished episode: what changed against the task's files, pristine rescoring with held-out
 * tests in a fresh container, every detector, and the verdict.
 */
import type { Verdict } from '../log/index.ts';
import { runDetectors } from './detectors/index.ts';
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
  /** The workspace as the agent left it (path -> content). */
  finalFiles: Map<string, Buffer>;
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

export async function scoreEpisodeInDetail(input: ScoreInput, deps: ScoringDeps): Promise<ScoredEpisode> {
  await initSyntax();
  const finalFiles = new Map([...input.finalFiles].filter(([path]) => !input.deletedFiles.includes(path)));
  const changes = diffWorkspace(input.task.workspace, finalFiles, input.deletedFiles);
  let pristine: PristineResult | undefined;
  let error: string | undefined;
  if (!input.sandboxBroken) {
    try {
      pristine = await rescore(input.task, finalFiles, deps);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
  }
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
    sandboxBroken: input.sandboxBroken,
    error,
  });
  return { verdict, findings, pristine, changes };
}

export async function scoreEpisode(input: ScoreInput, deps: ScoringDeps): Promise<Verdict> {
  return (await scoreEpisodeInDetail(input, deps)).verdict;
}
