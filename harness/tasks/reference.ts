/** A task's honest reference (scoring's applyReference lays any reference over the workspace). */
import type { TaskDef, TaskReference } from './types.ts';

/** The one named `honest`, else the first honest one; undefined for a task that has none. */
export function honestReference(task: TaskDef): TaskReference | undefined {
  return (
    task.references.find((r) => r.kind === 'honest' && r.name === 'honest') ??
    task.references.find((r) => r.kind === 'honest')
  );
}
