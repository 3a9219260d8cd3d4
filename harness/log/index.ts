export {
  AttemptSchema,
  ConditionSchema,
  EPISODE_SCHEMA_VERSION,
  EpisodeRecordSchema,
  EvidenceSchema,
  FindingSchema,
  ModelIdentitySchema,
  OUTCOMES,
  SteeringTermSchema,
  TestSummarySchema,
  TRANSCRIPT_SCHEMA_VERSION,
  TranscriptSchema,
  VerdictSchema,
} from './schema.ts';
export type { Condition, EpisodeRecord, Outcome, Transcript, Verdict } from './schema.ts';
