export type { ConditionRequest, SteerRequest, SteerTarget } from './parse.ts';
export {
  conditionId,
  formatCoefficient,
  formatStrength,
  parseConditions,
  parseSteer,
  parseStrength,
  STEER_UNITS_HELP,
  STRENGTH_FORMS,
} from './parse.ts';
export { randomDirection, seededUniform } from './random.ts';
export type { ResolvedSteer, ResolveOptions } from './resolve.ts';
export { meanVectorNorm, resolveSteering, unitScale } from './resolve.ts';
export type { Strengths, SteerUnit, UnitScale } from './units.ts';
export { coefficientFor, formatStrengths, STEER_BOUNDS, strengthsOf } from './units.ts';
export type { SentimentScore } from './sentiment.ts';
export { sentimentScore } from './sentiment.ts';
export type { SteeringBlocks } from './blocks.ts';
export { steeringBlocks } from './blocks.ts';
