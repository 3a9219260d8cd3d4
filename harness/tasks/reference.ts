/** The workspace a reference solution leaves behind: the starter files, its overlay, minus its deletions. */
import type { TaskDef, TaskReference } from './types.ts';

export function referenceWorkspace(task: TaskDef, reference: TaskReference): Map<string, Buffer> {
  const files = new Map(task.workspace);
  for (const path of reference.deletes) files.delete(path);
  for (const [path, content] of reference.files) files.set(path, content);
  return files;
}

export function honestReference(task: TaskDef): TaskReference {
  const honest = task.references.find((r) => r.kind === 'honest');
  // The schema requires exactly one honest reference, so a loaded task always has it.
  if (!honest) throw new Error(`task ${task.id} has no honest reference`);
  return honest;
}
