/**
 * A whole experiment: resolve the config into tasks, conditions and a plan; load the model and the
 * probe vectors once; run every episode (bounded concurrency, model turns batched across episodes);
 * persist as it goes; summarise. A resumed run is rebuilt from the config stored with it.
 */
import { type RunSummary, type SummaryOptions, summarise } from '../../analysis/index.ts';
import { configHash, type HarnessConfig, sandboxLimits } from '../config/index.ts';
import pLimit from 'p-limit';
import { InputError } from '../errors.ts';
import { type BoundCondition, openBackend } from '../backends/index.ts';
import { type EpisodeRecord, type ModelIdentity, RUN_SCHEMA_VERSION } from '../log/index.ts';
import { resolveEmotion } from '../probes/index.ts';
import { isSolutionPath, type ScoringDeps, withExpectedIds } from '../scoring/index.ts';
import { type Judge, openJudge } from '../scoring/judge/index.ts';
import { parseConditions } from '../steering/index.ts';
import { filterTasks, loadTasks, type TaskDef } from '../tasks/index.ts';
import { checkLimits, createSandbox, IMAGES, isStopping, requireImages } from '../../sandboxes/index.ts';
import { executeEpisode } from './episode.ts';
import { planEpisodes } from './plan.ts';
import { type ProgressSink, runEpisodes } from './runner.ts';
import { newRunId, RunStore } from './store.ts';

export interface ExperimentResult {
  runId: string;
  dir: string;
  records: EpisodeRecord[];
  summary: RunSummary;
}

/** How a run of `config` over `tasks` is summarised: its thresholds and each task's solution files. */
export function summaryOptions(config: HarnessConfig, tasks: readonly TaskDef[]): SummaryOptions {
  return {
    capabilityFloor: config.analysis.capability_floor,
    coherence: {
      maxNllRise: config.analysis.max_nll_rise,
      minDistinctRatio: config.analysis.min_distinct_ratio,
    },
    isSolutionFile: (taskId, path) => {
      const task = tasks.find((t) => t.id === taskId);
      return task !== undefined && isSolutionPath(task, path);
    },
  };
}

/** Everything that can be checked before the model loads: bad input fails here, fast, with exit 2. */
export async function resolveExperiment(config: HarnessConfig) {
  const conditions = parseConditions(config.experiment.conditions.join(','));
  const emotions = config.probes.emotions.map(resolveEmotion);
  const tasks = filterTasks(await loadTasks(config.experiment.tasks_dir ?? undefined), {
    ids: config.experiment.tasks,
    families: config.experiment.families,
    limit: config.experiment.limit ?? undefined,
  });
  if (tasks.length === 0) throw new InputError('the task filters select no task; see `harness tasks list`');
  const plan = planEpisodes({
    taskIds: tasks.map((t) => t.id),
    conditionIds: conditions.map((c) => c.id),
    epochs: config.experiment.epochs,
    runSeed: config.experiment.seed,
  });
  return { conditions, emotions, tasks, plan };
}

export async function runExperiment(
  config: HarnessConfig,
  options: {
    /** A run to finish, found and written where it is (not where its stored config says runs go). */
    resume?: { runsDir: string; runId: string };
    progress?: ProgressSink;
    log?: (line: string) => void;
  },
): Promise<ExperimentResult> {
  const log = options.log ?? (() => {});
  const resolved = await resolveExperiment(config);
  const { conditions, emotions, plan } = resolved;
  const images = { python: IMAGES.python, javascript: IMAGES.node } as const;
  await requireImages(resolved.tasks.map((t) => images[t.language]));
  await checkLimits(sandboxLimits(config.sandbox));
  // The runs directory must take the run before the model loads: a full or read-only one fails here.
  const resumed = options.resume
    ? await RunStore.resume(options.resume.runsDir, options.resume.runId, plan.length)
    : undefined;
  if (!resumed) await RunStore.checkWritable(config.runs_dir, plan.length);
  // Every task's test ids are collected (or read from the cache) before the model loads and anything is
  // written, so a task whose tests cannot be collected stops the run here as an input error.
  const collecting = pLimit(Math.max(1, config.experiment.concurrency));
  const collectDeps = { createSandbox, limits: sandboxLimits(config.sandbox), images };
  const tasks = await Promise.all(
    resolved.tasks.map((t) => collecting(() => withExpectedIds(t, collectDeps))),
  );

  const backend = await openBackend(config, {
    maxBatch: config.experiment.concurrency,
    // Each episode in flight resends its conversation every attempt: keep its last one (and one spare).
    prefixEntries: config.experiment.concurrency + 1,
    onProgress: log,
  });
  let judge: Judge | undefined;
  try {
    const sampling = { temperature: config.agent.temperature, topP: config.agent.top_p };
    const readout = backend.capabilities.readings ? emotions : [];
    if (!backend.capabilities.readings)
      log(`the model at ${backend.identity.host} returns no probe readings: records carry none`);
    // Binding resolves (and so checks) every condition's steering before anything is written.
    const bound = new Map<string, BoundCondition>();
    for (const c of conditions) bound.set(c.id, await backend.bind(c, sampling, readout));
    if (config.scoring.judge) judge = await openJudge(config.scoring.judge);
    // Only now, with every input checked, is a new run's directory made.
    const store =
      resumed?.store ??
      (await RunStore.create(config.runs_dir, newRunId(), {
        schemaVersion: RUN_SCHEMA_VERSION,
        configHash: configHash(config),
        config,
        plan: {
          episodes: plan.length,
          tasks: tasks.map((t) => t.id),
          conditions: conditions.map((c) => c.id),
        },
      }));
    log(
      `run ${store.runId}: ${tasks.length} tasks x ${conditions.length} condition(s) x ${config.experiment.epochs} epoch(s) = ${plan.length} episodes`,
    );
    const byId = new Map<string, TaskDef>(tasks.map((t) => [t.id, t]));
    const scoring: ScoringDeps = {
      createSandbox,
      limits: sandboxLimits(config.sandbox),
      images,
    };
    const modelIdentity: ModelIdentity = { ...backend.identity, capabilities: backend.capabilities };
    const records = await runEpisodes({
      store,
      plan,
      concurrency: config.experiment.concurrency,
      progress: options.progress,
      stopped: isStopping,
      execute: async (spec) => {
        const { condition, model } = bound.get(spec.conditionId)!;
        const task = byId.get(spec.taskId)!;
        const result = await executeEpisode({
          runId: store.runId,
          spec,
          task,
          condition,
          model,
          modelIdentity,
          limits: {
            maxAttempts: config.agent.max_attempts,
            maxReplyTokens: config.agent.max_reply_tokens,
            contextTokens: config.agent.context_tokens,
            wallTimeS: config.agent.wall_time_s,
            feedbackChars: config.agent.feedback_chars,
            allowImpossibleFlag: config.agent.allow_impossible_flag,
          },
          scoring,
        });
        if (!judge) return result;
        const opinion = await judge.judge(task, result.transcript, spec.seed);
        const record = { ...result.record, judge: opinion };
        return { record, transcript: { ...result.transcript, record } };
      },
    });
    return {
      runId: store.runId,
      dir: store.dir,
      records,
      summary: summarise(records, summaryOptions(config, tasks)),
    };
  } finally {
    await judge?.dispose();
    await backend.dispose();
  }
}
