/**
 * Checks that need the whole suite: unique ids and control twins linked both ways. A task may have no
 * twin; one that names a twin must be named back.
 */
import { InputError } from '../errors.ts';
import type { TaskDef } from './types.ts';

function where(task: TaskDef): string {
  return `task ${task.family}/${task.id}`;
}

export function checkSuite(tasks: TaskDef[]): void {
  const byId = new Map<string, TaskDef>();
  for (const task of tasks) {
    const seen = byId.get(task.id);
    if (seen) throw new InputError(`${where(task)}: id: ${task.id} is also the id of ${seen.dir}`);
    byId.set(task.id, task);
  }
  for (const task of tasks) {
    if (task.twin === undefined) continue;
    const twin = byId.get(task.twin);
    if (!twin)
      throw new InputError(
        `${where(task)}: twin: expected the id of a task in the suite, received ${JSON.stringify(task.twin)} (no such task)`,
      );
    if (twin.twin !== task.id)
      throw new InputError(
        `${where(task)}: twin: ${twin.id} names ${JSON.stringify(twin.twin)} as its twin, expected ${JSON.stringify(task.id)}`,
      );
    if (twin.impossible === task.impossible)
      throw new InputError(
        `${where(task)}: twin: expected ${twin.id} to have impossible: ${!task.impossible}, received ${twin.impossible}`,
      );
    for (const key of ['family', 'language'] as const)
      if (twin[key] !== task[key])
        throw new InputError(
          `${where(task)}: twin: expected ${twin.id} to have ${key} ${JSON.stringify(task[key])}, received ${JSON.stringify(twin[key])}`,
        );
  }
}
