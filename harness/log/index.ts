export {
  AttemptSchema,
  ConditionSchema,
  EPISODE_SCHEMA_VERSION,
  EpisodeRecordSchema,
  EvidenceSchema,
  FindingSchema,
  ModelIdentitySchema,
  OUTCOMES,
  RUN_SCHEMA_VERSION,
  RunMetaSchema,
  SteeringTermSchema,
  TestSummarySchema,
  TRANSCRIPT_SCHEMA_VERSION,
  TranscriptSchema,
  VerdictSchema,
} from './schema.ts';
export type { Condition, EpisodeRecord, Outcome, RunMeta, Transcript, Verdict } from './schema.ts';
