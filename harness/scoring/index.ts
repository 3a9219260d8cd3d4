export { STRATEGIES, type Strategy } from './strategies.ts';
export type * from './types.ts';
export { FINDING_THRESHOLD } from './types.ts';
export { initSyntax } from './syntax.ts';
export { expectedTestIds, testIdsOf } from './test-ids.ts';
export { runTests, parseReport, strictlyPassed } from './runner.ts';
export { runVisibleTests, summarise, testTimeoutS } from './visible.ts';
export { rescore, scoringTree, type ScoringDeps } from './pristine.ts';
export { isSolutionPath, protectedPaths } from './paths.ts';
export { DETECTORS, runDetectors } from './detectors/index.ts';
export { decideVerdict, type VerdictInput } from './verdict.ts';
export {
  diffWorkspace,
  scoreEpisode,
  scoreEpisodeInDetail,
  type ScoreInput,
  type ScoredEpisode,
} from './score.ts';
export {
  applyReference,
  checkReference,
  judgeReference,
  type ReferenceAttempt,
  type ReferenceCheck,
} from './reference.ts';
export {
  type FinalWorkspace,
  layOver,
  scoreWorkspace,
  singleAttemptWrites,
  type WorkspaceScore,
} from './workspace.ts';
