export { readRecords, type SourceRecord } from './records.ts';
export {
  convertImpossibleBench,
  IMPOSSIBLE_SPLITS,
  type ImpossibleSplit,
  importedIds,
  slugOf,
} from './impossiblebench.ts';
export { convertNeutral, NeutralTaskSchema, type NeutralTask } from './neutral.ts';
export { checkToPytest, starterFromPrompt, CheckConversionError } from './check-tests.ts';
export { scaffoldTask, type ScaffoldOptions } from './scaffold.ts';
export { writeDrafts } from './write.ts';
export type { Conversion, SkippedRecord, TaskDraft } from './types.ts';
