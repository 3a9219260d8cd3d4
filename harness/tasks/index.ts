export { FAMILIES, LANGUAGES, TaskFileSchema, TaskSourceSchema } from './schema.ts';
export type { Family, TaskFile, TaskSource } from './schema.ts';
export type { TaskDef, TaskFilter, TaskReference } from './types.ts';
export { DEFAULT_TASKS_ROOT, loadTask, loadTasks } from './load.ts';
export { checkSuite } from './link.ts';
export { filterTasks } from './filter.ts';
export { countTasks, renderTaskList, taskRows } from './list.ts';
export type { TaskListRow } from './list.ts';
export { honestReference } from './reference.ts';
export {
  convertImpossibleBench,
  convertNeutral,
  IMPOSSIBLE_SPLITS,
  importedIds,
  readRecords,
  scaffoldTask,
  writeDrafts,
} from './import/index.ts';
export type { Conversion, ImpossibleSplit, SkippedRecord, TaskDraft } from './import/index.ts';
