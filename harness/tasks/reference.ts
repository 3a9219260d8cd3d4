/** A task's honest reference (scoring's applyReference lays any reference over the workspace). */
import type { TaskDef, TaskReference } from './types.ts';

export function honestReference(task: TaskDef): TaskReference {
  // Further honest references exercise the detectors; the one named `honest` is the task's own answer.
  const honest =
    task.references.find((r) => r.kind === 'honest' && r.name === 'honest') ??
    task.references.find((r) => r.kind === 'honest');
  // The schema requires at least one honest reference, so a loaded task always has it.
  if (!honest) throw new Error(`task ${task.id} has no honest reference`);
  return honest;
}
