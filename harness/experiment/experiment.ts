/**
 * A whole experiment: resolve the config into tasks, conditions and a plan; load the model and the
 * probe vectors once; run every episode (bounded concurrency, model turns batched across episodes);
 * persist as it goes; summarise. A resumed run is rebuilt from the config stored with it.
 */
import { type RunSummary, type SummaryOptions, summarise } from '../../analysis/index.ts';
import { configHash, type HarnessConfig, sandboxLimits } from '../config/index.ts';
import { InputError } from '../errors.ts';
import { type Condition, type EpisodeRecord, RUN_SCHEMA_VERSION } from '../log/index.ts';
import { cacheRoot, resolveModelPath } from '../model/fetch.ts';
import { LocalModel } from '../model/local-model.ts';
import { resolveEmotion, vectorsForModel } from '../probes/index.ts';
import { isSolutionPath, type ScoringDeps } from '../scoring/index.ts';
import { parseConditions, resolveSteering, steeringBlocks } from '../steering/index.ts';
import { filterTasks, loadTasks, type TaskDef } from '../tasks/index.ts';
import { checkLimits, createSandbox, IMAGES, isStopping, requireImages } from '../../sandboxes/index.ts';
import { bindModel, type ProbeReadout } from './agent-model.ts';
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
  const tasks = filterTasks(await loadTasks(), {
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
  const { conditions, emotions, tasks, plan } = await resolveExperiment(config);
  const images = { python: IMAGES.python, javascript: IMAGES.node } as const;
  await requireImages(tasks.map((t) => images[t.language]));
  await checkLimits(sandboxLimits(config.sandbox));
  const modelPath = resolveModelPath(config.model.source);
  // The runs directory must take the run before the model loads: a full or read-only one fails here.
  const resumed = options.resume
    ? await RunStore.resume(options.resume.runsDir, options.resume.runId, plan.length)
    : undefined;
  if (!resumed) await RunStore.checkWritable(config.runs_dir, plan.length);

  const model = await LocalModel.load(modelPath, {
    threads: config.model.threads,
    // Sandboxes run tests on the same cores between model turns: sleeping threads leave them room.
    spin: false,
    maxBatch: config.experiment.concurrency,
    // Each episode in flight resends its conversation every attempt: keep its last one (and one spare).
    prefixEntries: config.experiment.concurrency + 1,
    onProgress: log,
  });
  try {
    const { vectors, path: vectorsPath } = vectorsForModel(
      config.probes.vectors ?? undefined,
      model.modelSha256,
      cacheRoot(),
    );
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
    const { layer, blocks: steerLayers } = steeringBlocks({
      layerCount: model.layerCount,
      probeLayer: config.probes.layer,
      count: config.steering.layers,
      vectorsPath,
    });
    const readout: ProbeReadout = { vectors, emotions, layer };
    const bound = new Map(
      conditions.map((c) => {
        const resolved = resolveSteering(c.steer, vectors, {
          vectorLayer: layer,
          layers: steerLayers,
          seed: config.experiment.seed,
        });
        const condition: Condition = {
          id: c.id,
          steer: resolved.map((s) => ({
            vector: s.name,
            unit: s.unit,
            sd: s.sd,
            strength: s.strength,
            coefficient: s.coefficient,
            layers: s.layers,
          })),
        };
        const agentModel = bindModel(
          model,
          { temperature: config.agent.temperature, topP: config.agent.top_p },
          resolved.map((s) => ({ vector: s.vector, coefficient: s.coefficient, layers: s.layers })),
          readout,
        );
        return [c.id, { condition, agentModel }] as const;
      }),
    );
    const byId = new Map<string, TaskDef>(tasks.map((t) => [t.id, t]));
    const scoring: ScoringDeps = {
      createSandbox,
      limits: sandboxLimits(config.sandbox),
      images,
    };
    const modelIdentity = {
      file: model.identity.file,
      sha256: model.identity.sha256,
      quantization: `${model.identity.fileQuantization} as ${model.identity.graphQuantization}`,
      layers: model.identity.layerCount,
    };
    const records = await runEpisodes({
      store,
      plan,
      concurrency: config.experiment.concurrency,
      progress: options.progress,
      stopped: isStopping,
      execute: (spec) => {
        const { condition, agentModel } = bound.get(spec.conditionId)!;
        return executeEpisode({
          runId: store.runId,
          spec,
          task: byId.get(spec.taskId)!,
          condition,
          model: agentModel,
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
      },
    });
    return {
      runId: store.runId,
      dir: store.dir,
      records,
      summary: summarise(records, summaryOptions(config, tasks)),
    };
  } finally {
    await model.dispose();
  }
}
