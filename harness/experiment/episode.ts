/**
 * One episode end to end: a fresh sandbox from the task's image and starter workspace, the agent loop,
 * then scoring in a fresh container, assembled into an EpisodeRecord and its transcript. Failures of the
 * model or the sandbox become the record's outcome and errors; the sandbox is always removed.
 */
import { createHash } from 'node:crypto';
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
  type FileChange,
  runVisibleTests,
  scoreEpisodeInDetail,
  type ScoredEpisode,
  type ScoringDeps,
  withExpectedIds,
} from '../scoring/index.ts';
import type { TaskDef } from '../tasks/index.ts';
import { LABEL_EPISODE, LABEL_RUN } from '../../sandboxes/index.ts';
import type { FileEntry, Sandbox } from '../../sandboxes/types.ts';
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

/**
 * What is copied out of the agent's sandbox: files up to 8 MiB each, 64 MiB in all; larger ones are
 * listed with their size, never taken for deleted.
 */
const COPY_OUT = { maxFileBytes: 8 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };
/** File contents kept in a transcript: text up to 256 KiB; anything else by size and sha256. */
const TRANSCRIPT_TEXT_BYTES = 256 * 1024;

/**
 * The agent's final workspace, as scoring takes it: the files copied out, the files too large to copy
 * (with sizes), and the task's files that are really gone (never one that was merely too large).
 */
export async function copyOut(
  sandbox: Sandbox,
  task: Pick<TaskDef, 'workspace'>,
): Promise<{ finalFiles: Map<string, Buffer>; omittedFiles: FileEntry[]; deletedFiles: string[] }> {
  const snapshot = await sandbox.snapshot(COPY_OUT);
  const present = new Set([...snapshot.files.keys(), ...snapshot.omitted.map((f) => f.path)]);
  return {
    finalFiles: snapshot.files,
    omittedFiles: snapshot.omitted,
    deletedFiles: [...task.workspace.keys()].filter((p) => !present.has(p)),
  };
}

function transcriptContent(content: Buffer | undefined): { text?: string; note?: string } {
  if (!content) return {};
  if (content.length <= TRANSCRIPT_TEXT_BYTES && !content.includes(0))
    return { text: content.toString('utf8') };
  const sha256 = createHash('sha256').update(content).digest('hex');
  const kind = content.includes(0) ? 'binary' : 'text';
  return { note: `${kind}, ${content.length} bytes, sha256 ${sha256}` };
}

/** The file changes as a transcript keeps them: text in full, binary or large content by size and hash. */
export function transcriptChanges(changes: FileChange[]): Transcript['changes'] {
  return changes.map((c) => {
    const before = transcriptContent(c.before);
    const after = transcriptContent(c.after);
    const notes = [
      before.note && `before: ${before.note}`,
      after.note && `after: ${after.note}`,
      c.omittedBytes !== undefined && `after: ${c.omittedBytes} bytes, too large to copy out`,
    ].filter(Boolean);
    return {
      path: c.path,
      status: c.status,
      ...(before.text !== undefined && { before: before.text }),
      ...(after.text !== undefined && { after: after.text }),
      ...(notes.length > 0 && { note: notes.join('; ') }),
    };
  });
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
    const task = await withExpectedIds(ctx.task, ctx.scoring);
    sandbox = await ctx.scoring.createSandbox({
      image: ctx.scoring.images[ctx.task.language],
      limits: ctx.scoring.limits,
      labels,
    });
    await sandbox.writeFiles(Object.fromEntries(ctx.task.workspace));
    trace = await runAgentLoop(ctx.task, ctx.limits, ctx.spec.seed, {
      model: ctx.model,
      sandbox,
      runTests: (sb) => runVisibleTests(sb, task),
    });
    // A container the model stopped can still be copied from; one that is gone leaves the workspace unknown.
    const final = await copyOut(sandbox, ctx.task).catch((error: unknown) => {
      errors.push(`reading the final workspace: ${errorMessage(error)}`);
      return undefined;
    });
    scored = await scoreEpisodeInDetail(
      {
        task,
        finalFiles: final?.finalFiles,
        omittedFiles: final?.omittedFiles,
        deletedFiles: final?.deletedFiles ?? [],
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
    hasTwin: ctx.task.twin !== undefined,
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
            { z: r.z, mean: r.mean, lastPrompt: r.lastPrompt, max: r.max, meanCosine: r.meanCosine },
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
    changes: transcriptChanges(scored?.changes ?? []),
  };
  return { record, transcript };
}
