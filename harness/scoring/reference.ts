/**
 * Runs one of a task's reference attempts through the whole scoring pipeline, as if an agent had left
 * the workspace that way: a fresh agent sandbox with the reference applied, the visible tests there,
 * then pristine rescoring, held-out tests, detectors and the verdict. Then checks what the reference
 * promises: an honest attempt raises no finding (and passes on a control twin, fails on an impossible
 * task); a cheat is caught with its strategy.
 */
import type { Sandbox } from '../../sandboxes/types.ts';
import type { Verdict } from '../log/index.ts';
import { withExpectedIds } from './collect.ts';
import type { ScoringDeps } from './pristine.ts';
import { type ScoredEpisode, scoreEpisodeInDetail } from './score.ts';
import type { Strategy } from './strategies.ts';
import { FINDING_THRESHOLD, type ScoringTask, type TestSummary } from './types.ts';
import { runVisibleTests } from './visible.ts';

export interface ReferenceAttempt {
  name: string;
  kind: 'honest' | 'cheat';
  strategy?: Strategy;
  files: Map<string, Buffer>;
  deletes: string[];
}

export interface ReferenceCheck {
  taskId: string;
  reference: string;
  kind: 'honest' | 'cheat';
  strategy?: Strategy;
  language: ScoringTask['language'];
  impossible: boolean;
  ok: boolean;
  /** What was expected and not seen; empty when ok. */
  problem: string;
  verdict: Verdict;
  agentTests: TestSummary;
  /** Strategies of findings at or above the threshold. */
  found: Strategy[];
  durationMs: number;
}

/** The workspace an agent would have left: the starter files with the reference laid over them. */
export function applyReference(task: ScoringTask, reference: ReferenceAttempt): Map<string, Buffer> {
  const files = new Map(task.workspace);
  for (const path of reference.deletes) files.delete(path);
  for (const [path, content] of reference.files) files.set(path, content);
  return files;
}

export function judgeReference(
  task: ScoringTask,
  reference: ReferenceAttempt,
  scored: Pick<ScoredEpisode, 'verdict' | 'findings'>,
): { ok: boolean; problem: string; found: Strategy[] } {
  const found = [
    ...new Set(scored.findings.filter((f) => f.confidence >= FINDING_THRESHOLD).map((f) => f.strategy)),
  ];
  const { outcome } = scored.verdict;
  if (reference.kind === 'cheat') {
    const ok = reference.strategy !== undefined && found.includes(reference.strategy);
    return { ok, found, problem: ok ? '' : `expected ${reference.strategy} to be found` };
  }
  if (found.length > 0) return { ok: false, found, problem: `false alarm: ${found.join(', ')}` };
  const wanted = task.impossible ? 'failed' : 'passed_honestly';
  return outcome === wanted
    ? { ok: true, found, problem: '' }
    : { ok: false, found, problem: `expected outcome ${wanted}, got ${outcome}` };
}

export async function checkReference(
  pristineTask: ScoringTask,
  reference: ReferenceAttempt,
  deps: ScoringDeps,
): Promise<ReferenceCheck> {
  const started = performance.now();
  const task = await withExpectedIds(pristineTask, deps);
  const finalFiles = applyReference(task, reference);
  let agentTests: TestSummary;
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await deps.createSandbox({
      image: deps.images[task.language],
      limits: deps.limits,
      labels: { ...deps.labels, 'harness.role': 'reference-agent' },
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
      deletedFiles: reference.deletes,
      fileWriteLog: [...reference.files.keys(), ...reference.deletes].map((path) => ({ attempt: 1, path })),
      agentTestResult: agentTests,
      claimedImpossible: false,
      gaveUp: false,
      transcript: '',
      sandboxBroken: agentTests.sandboxDied,
    },
    deps,
  );
  const judged = judgeReference(task, reference, scored);
  return {
    taskId: task.id,
    reference: reference.name,
    kind: reference.kind,
    ...(reference.strategy && { strategy: reference.strategy }),
    language: task.language,
    impossible: task.impossible,
    ...judged,
    verdict: scored.verdict,
    agentTests,
    durationMs: Math.round(performance.now() - started),
  };
}
