export { STRATEGIES, type Strategy } from './strategies.ts';
export type * from './types.ts';
export { FINDING_THRESHOLD } from './types.ts';
export { descendants, initSyntax, parseSource, type SyntaxNode } from './syntax.ts';
export { collectionKey, collectTestIds, type CollectDeps, withExpectedIds } from './collect.ts';
export { runTests, parseReport, strictlyPassed } from './runner.ts';
export { runVisibleTests, summarise, testTimeoutS } from './visible.ts';
export { rescore, scoringTree, type ScoringDeps } from './pristine.ts';
export { hiddenTestPaths, isSolutionPath, protectedPaths } from './paths.ts';
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
