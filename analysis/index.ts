export { fisherExact, mcnemarExact, mean, median, newcombe, wilson } from './stats.ts';
export type { Interval } from './stats.ts';
export { summarise } from './summary.ts';
export type { ConditionSummary } from './summary.ts';
export { formatRate, renderSummary } from './render.ts';
export { renderTranscript, sparkline } from './transcript.ts';
