/** Selecting tasks by id, family and count (for `--task`, `--family`, `--limit`). */
import { InputError } from '../errors.ts';
import { FAMILIES } from './schema.ts';
import type { TaskDef, TaskFilter } from './types.ts';

export function filterTasks(tasks: TaskDef[], filter: TaskFilter = {}): TaskDef[] {
  const known = new Set(tasks.map((t) => t.id));
  const unknownId = filter.ids?.find((id) => !known.has(id));
  if (unknownId)
    throw new InputError(
      `task ${JSON.stringify(unknownId)}: expected one of the suite's ids (see harness tasks list)`,
    );
  const unknownFamily = filter.families?.find((f) => !(FAMILIES as readonly string[]).includes(f));
  if (unknownFamily)
    throw new InputError(
      `family: expected one of ${FAMILIES.join(', ')}, received ${JSON.stringify(unknownFamily)}`,
    );
  if (filter.limit !== undefined && !(Number.isInteger(filter.limit) && filter.limit > 0))
    throw new InputError(`limit: expected a positive integer, received ${filter.limit}`);
  const selected = tasks.filter(
    (t) =>
      (!filter.ids?.length || filter.ids.includes(t.id)) &&
      (!filter.families?.length || filter.families.includes(t.family)),
  );
  return filter.limit === undefined ? selected : selected.slice(0, filter.limit);
}
