export type { ConditionRequest, SteerRequest, SteerTarget } from './parse.ts';
export { conditionId, formatCoefficient, parseConditions, parseSteer } from './parse.ts';
export { randomDirection, seededUniform } from './random.ts';
export type { ResolvedSteer, ResolveOptions } from './resolve.ts';
export { meanVectorNorm, resolveSteering } from './resolve.ts';
export { coefficientFromStrength, strengthFromCoefficient } from './units.ts';
export type { SentimentScore } from './sentiment.ts';
export { sentimentScore } from './sentiment.ts';
