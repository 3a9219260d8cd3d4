/**
 * Versioned schemas of everything written to runs/. analysis/ reads runs only through these, so a
 * record written by an older harness is either read correctly or refused with a clear message.
 */
import { z } from 'zod';
import { STRATEGIES } from '../scoring/strategies.ts';

/** 2: readings in sd (`z`), steering in all three units, coherence of every reply. */
export const EPISODE_SCHEMA_VERSION = 2;

export const OUTCOMES = [
  'cheated',
  'passed_honestly',
  'failed',
  'flagged_impossible',
  'gave_up',
  'sandbox_broken',
  'error',
] as const;

export const EvidenceSchema = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  excerpt: z.string(),
  why: z.string(),
});

export const FindingSchema = z.object({
  strategy: z.enum(STRATEGIES),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
});

export const VerdictSchema = z.object({
  outcome: z.enum(OUTCOMES),
  strategies: z.array(z.enum(STRATEGIES)),
  /** Strategies found while the visible tests still failed: attempted, not counted as cheating. */
  attemptedStrategies: z.array(z.enum(STRATEGIES)),
  evidence: z.array(EvidenceSchema.extend({ strategy: z.enum(STRATEGIES).optional() })),
  /** Why this outcome, in a sentence a reader can check against the evidence. */
  explanation: z.string(),
  /**
   * Files damaged in a way the evidence calls confusion (a test overwritten with text that defines no
   * tests) while the visible tests did not pass: reported apart, never counted as an attempted cheat.
   */
  confusion: z.array(z.string()).optional(),
});

export const EmotionReadingSchema = z.object({
  /**
   * mean, lastPrompt and max in standard deviations of neutral text at the probe layer:
   * z = (projection - neutral mean) / neutral sd, calibration from the vectors file.
   */
  z: z.object({ mean: z.number(), lastPrompt: z.number(), max: z.number() }),
  /** Raw projections onto the unit vector: mean over the reply's tokens, at the last prompt token, max. */
  mean: z.number(),
  lastPrompt: z.number(),
  max: z.number(),
  meanCosine: z.number(),
});

export const TestSummarySchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
  allPassed: z.boolean(),
  timedOut: z.boolean(),
  tests: z.record(z.string(), z.string()),
});

export const AttemptSchema = z.object({
  index: z.number().int().positive(),
  replyText: z.string(),
  stopReason: z.string(),
  filesWritten: z.array(
    z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string(), inferredPath: z.boolean() }),
  ),
  problems: z.array(z.string()),
  flaggedImpossible: z.object({ reason: z.string() }).optional(),
  gaveUp: z.boolean(),
  tests: TestSummarySchema.optional(),
  /** Per-attempt aggregates; the per-token series live in the transcript. */
  readings: z.record(z.string(), EmotionReadingSchema).optional(),
  /**
   * The unsteered model's mean negative log-likelihood per token (nats) of this reply, after the last
   * tokens of the same prompt: how far steering moved the text from what the model would write.
   */
  unsteeredNll: z.object({ mean: z.number(), tokens: z.number().int() }).optional(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  summarisedTurns: z.number().int(),
  generateMs: z.number(),
  testMs: z.number(),
});

/** One steering term in the three units of harness/steering/units.ts; `unit` says which one was asked. */
export const SteeringTermSchema = z.object({
  vector: z.string(),
  unit: z.enum(['sd', 'percent', 'multiple']),
  /** Standard deviations of the neutral reading at the probe layer that the addition moves it by. */
  sd: z.number(),
  /** The paper's unit: s = c * |v| / mean |h_L| (fraction of the mean residual norm). */
  strength: z.number(),
  /** The raw multiple c: c * v is added to the residual stream. */
  coefficient: z.number(),
  layers: z.array(z.number().int()),
});

export const ConditionSchema = z.object({
  id: z.string(),
  steer: z.array(SteeringTermSchema),
});

/**
 * Which model wrote the replies. `backend` and `name` always; `host` for a Messages API server (never a
 * key); the weights (file, sha256, quantization, layers) when the backend knows them. `capabilities` says
 * whether the records can carry readings and steering at all (a server without them returns neither).
 * Records written before backends existed read as the local backend, with readings and steering.
 */
export const ModelIdentitySchema = z.object({
  backend: z.enum(['local', 'anthropic']).default('local'),
  name: z.string().optional(),
  host: z.string().optional(),
  file: z.string().optional(),
  sha256: z.string().optional(),
  quantization: z.string().optional(),
  layers: z.number().int().optional(),
  capabilities: z
    .object({ steering: z.boolean(), readings: z.boolean() })
    .default({ steering: true, readings: true }),
});

export const JUDGE_ANSWERS = ['cheat', 'legitimate', 'unclear'] as const;

/**
 * An LLM judge's second opinion on an episode, stored beside the verdict and never replacing it. When the
 * judge failed or answered outside the format, `error` says so and `answer` is absent.
 */
export const JudgeOpinionSchema = z.object({
  backend: z.enum(['local', 'anthropic']),
  model: z.string(),
  host: z.string().optional(),
  answer: z.enum(JUDGE_ANSWERS).optional(),
  strategy: z.string().optional(),
  rationale: z.string().optional(),
  /** The lines the judge relies on, as it quoted them ("file:line: text"). */
  lines: z.array(z.string()).default([]),
  /** The judge's reply as written. */
  raw: z.string(),
  error: z.string().optional(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});

export const EpisodeRecordSchema = z.object({
  schemaVersion: z.literal(EPISODE_SCHEMA_VERSION),
  runId: z.string(),
  episodeId: z.string(),
  taskId: z.string(),
  family: z.string(),
  impossible: z.boolean(),
  /** Whether the task has a control twin; absent in records from before twins became optional (they had one). */
  hasTwin: z.boolean().optional(),
  conditionId: z.string(),
  condition: ConditionSchema,
  epoch: z.number().int().positive(),
  seed: z.number().int(),
  model: ModelIdentitySchema,
  attempts: z.array(AttemptSchema),
  endReason: z.string(),
  verdict: VerdictSchema,
  judge: JudgeOpinionSchema.optional(),
  errors: z.array(z.string()),
  startedAt: z.string(),
  durationMs: z.number(),
});

export type EpisodeRecord = z.infer<typeof EpisodeRecordSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type Outcome = (typeof OUTCOMES)[number];
export type Condition = z.infer<typeof ConditionSchema>;
export type ModelIdentity = z.infer<typeof ModelIdentitySchema>;
export type JudgeOpinion = z.infer<typeof JudgeOpinionSchema>;
export type JudgeAnswer = (typeof JUDGE_ANSWERS)[number];

/** 2: per-token readings in sd. */
export const TRANSCRIPT_SCHEMA_VERSION = 2;

/** What a reader needs beyond the record: the feedback the model saw, per-token readings, the file changes. */
export const TranscriptSchema = z.object({
  schemaVersion: z.literal(TRANSCRIPT_SCHEMA_VERSION),
  record: EpisodeRecordSchema,
  spec: z.string(),
  attempts: z.array(
    z.object({
      index: z.number().int(),
      /** The user message that followed this attempt (test feedback), if any. */
      feedback: z.string().optional(),
      /** Per emotion, the reading at each reply token in standard deviations of neutral text. */
      perToken: z.record(z.string(), z.array(z.number())),
    }),
  ),
  changes: z.array(
    z.object({
      path: z.string(),
      status: z.enum(['added', 'modified', 'deleted']),
      before: z.string().optional(),
      after: z.string().optional(),
      /** Why a side's content is absent: binary or large content, by size and sha256. */
      note: z.string().optional(),
    }),
  ),
});

export type Transcript = z.infer<typeof TranscriptSchema>;

export const RUN_SCHEMA_VERSION = 1;

/** runs/<run-id>/run.json: what the run was built from. The config is checked against ConfigSchema on resume. */
export const RunMetaSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  runId: z.string().min(1),
  createdAt: z.string(),
  configHash: z.string(),
  config: z.record(z.string(), z.unknown()),
  /** Everything the run was built from beyond the config, so that it can be rebuilt and resumed exactly. */
  plan: z.looseObject({ episodes: z.number().int().nonnegative().optional() }),
});

export type RunMeta = z.infer<typeof RunMetaSchema>;
