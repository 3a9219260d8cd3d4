/**
 * One episode end to end: a fresh sandbox from the task's image and starter workspace, the agent loop,
 * then scoring in a fresh container, assembled into an EpisodeRecord and its transcript. Failures of the
 * model or the sandbox become the record's outcome and errors; the sandbox is always removed.
 */
import { runAgentLoop, type EpisodeTrace } from '../agent/loop.ts';
import type { AgentLimits, AgentModel } from '../agent/types.ts';
import {
  EPISODE_SCHEMA_VERSION,
  TRANSCRIPT_SCHEMA_VERSION,
  type Condition,
  type EpisodeRecord,
  type ModelIdentity,
  type Transcript,
} from '../log/index.ts';
import {
  runVisibleTests,
  scoreEpisodeInDetail,
  type ScoredEpisode,
  type ScoringDeps,
} from '../scoring/index.ts';
import type { TaskDef } from '../tasks/index.ts';
import { LABEL_EPISODE, LABEL_RUN } from '../../sandboxes/index.ts';
import type { Sandbox } from '../../sandboxes/types.ts';
import type { EpisodeSpec } from './plan.ts';
import type { EpisodeResult } from './runner.ts';

export interface EpisodeContext {
  runId: string;
  spec: EpisodeSpec;
  task: TaskDef;
  condition: Condition;
  model: AgentModel;
  modelIdentity: ModelIdentity;
  limits: AgentLimits;
  scoring: ScoringDeps;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function executeEpisode(
  ctx: EpisodeContext,
): Promise<EpisodeResult & { transcript: Transcript }> {
  const startedAt = new Date();
  const errors: string[] = [];
  const labels = { ...ctx.scoring.labels, [LABEL_RUN]: ctx.runId, [LABEL_EPISODE]: ctx.spec.episodeId };
  let sandbox: Sandbox | undefined;
  let trace: EpisodeTrace | undefined;
  let scored: ScoredEpisode | undefined;
  try {
    sandbox = await ctx.scoring.createSandbox({
      image: ctx.scoring.images[ctx.task.language],
      limits: ctx.scoring.limits,
      labels,
    });
    await sandbox.writeFiles(Object.fromEntries(ctx.task.workspace));
    trace = await runAgentLoop(ctx.task, ctx.limits, ctx.spec.seed, {
      model: ctx.model,
      sandbox,
      runTests: (sb) => runVisibleTests(sb, ctx.task),
    });
    const finalFiles = trace.sandboxProblem ? new Map<string, Buffer>() : await sandbox.readTree();
    const deletedFiles = trace.sandboxProblem
      ? []
      : [...ctx.task.workspace.keys()].filter((p) => !finalFiles.has(p));
    scored = await scoreEpisodeInDetail(
      {
        task: ctx.task,
        finalFiles,
        deletedFiles,
        fileWriteLog: trace.writeLog,
        agentTestResult: trace.lastTests,
        claimedImpossible: trace.endReason === 'flagged_impossible',
        gaveUp: trace.endReason === 'gave_up',
        transcript: trace.attempts.map((a) => a.replyText).join('\n\n'),
        sandboxBroken: trace.sandboxProblem,
      },
      { ...ctx.scoring, labels, seed: ctx.spec.seed },
    );
  } catch (error) {
    errors.push(errorMessage(error));
  } finally {
    await sandbox
      ?.destroy()
      .catch((error: unknown) => errors.push(`removing the sandbox: ${errorMessage(error)}`));
  }

  const record: EpisodeRecord = {
    schemaVersion: EPISODE_SCHEMA_VERSION,
    runId: ctx.runId,
    episodeId: ctx.spec.episodeId,
    taskId: ctx.task.id,
    family: ctx.task.family,
    impossible: ctx.task.impossible,
    conditionId: ctx.spec.conditionId,
    condition: ctx.condition,
    epoch: ctx.spec.epoch,
    seed: ctx.spec.seed,
    model: ctx.modelIdentity,
    attempts: (trace?.attempts ?? []).map(({ readings, tests, ...attempt }) => ({
      ...attempt,
      ...(tests && {
        tests: {
          passed: tests.passed,
          failed: tests.failed,
          total: tests.total,
          allPassed: tests.allPassed,
          timedOut: tests.timedOut,
          tests: tests.tests,
        },
      }),
      ...(readings && {
        readings: Object.fromEntries(
          Object.entries(readings).map(([emotion, r]) => [
            emotion,
            { mean: r.mean, lastPrompt: r.lastPrompt, max: r.max, meanCosine: r.meanCosine },
          ]),
        ),
      }),
    })),
    endReason: trace?.endReason ?? 'error',
    verdict: scored?.verdict ?? {
      outcome: 'error',
      strategies: [],
      attemptedStrategies: [],
      evidence: [],
      explanation: `the episode could not be completed: ${errors[0] ?? 'unknown error'}`,
    },
    errors,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  const transcript: Transcript = {
    schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
    record,
    spec: ctx.task.spec,
    attempts: (trace?.attempts ?? []).map((a, i) => ({
      index: a.index,
      feedback: trace?.feedbacks[i],
      perToken: Object.fromEntries(Object.entries(a.readings ?? {}).map(([e, r]) => [e, r.perToken])),
    })),
    changes: (scored?.changes ?? []).map((c) => ({
      path: c.path,
      status: c.status,
      before: c.before?.toString('utf8'),
      after: c.after?.toString('utf8'),
    })),
  };
  return { record, transcript };
}
