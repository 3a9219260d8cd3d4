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
  VerdictSchema,
} from './schema.ts';
export type { Condition, EpisodeRecord, Outcome, Verdict } from './schema.ts';
