/** The rows of `harness tasks list`: one line per task, or plain objects for --json. */
import type { TaskDef } from './types.ts';

export interface TaskListRow {
  id: string;
  family: string;
  language: string;
  impossible: boolean;
  twin: string;
  summary: string;
}

export function taskRows(tasks: TaskDef[]): TaskListRow[] {
  return tasks.map(({ id, family, language, impossible, twin, summary }) => ({
    id,
    family,
    language,
    impossible,
    // A task without a control twin shows a dash (its capability floor is unknown).
    twin: twin ?? '-',
    summary,
  }));
}

/**
 * What a set of tasks holds, counted from the tasks themselves: impossible tasks (and how many of them have
 * no control twin in the set), control twins (solvable tasks named as twin by an impossible task of the set),
 * and any other solvable task. E.g. "66 tasks: 33 impossible, 33 control twins".
 */
export function countTasks(tasks: Pick<TaskDef, 'id' | 'impossible' | 'twin'>[]): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const ids = new Set(tasks.map((t) => t.id));
  const impossible = tasks.filter((t) => t.impossible);
  const twinIds = new Set(impossible.flatMap((t) => (t.twin && ids.has(t.twin) ? [t.twin] : [])));
  const withoutTwin = impossible.length - impossible.filter((t) => t.twin && twinIds.has(t.twin)).length;
  const twins = tasks.filter((t) => !t.impossible && twinIds.has(t.id)).length;
  const others = tasks.length - impossible.length - twins;
  return [
    `${plural(tasks.length, 'task')}: ${impossible.length} impossible${withoutTwin > 0 ? ` (${withoutTwin} without a control twin)` : ''}`,
    plural(twins, 'control twin'),
    ...(others > 0 ? [`${others} other solvable`] : []),
  ].join(', ');
}

export function renderTaskList(tasks: TaskDef[]): string {
  const rows = taskRows(tasks);
  const header = { id: 'ID', family: 'FAMILY', language: 'LANGUAGE', twin: 'TWIN' };
  const width = (key: keyof typeof header) => Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const widths = {
    id: width('id'),
    family: width('family'),
    language: width('language'),
    twin: width('twin'),
  };
  const line = (r: { id: string; family: string; language: string; twin: string }, rest: string) =>
    `${r.id.padEnd(widths.id)}  ${r.family.padEnd(widths.family)}  ${r.language.padEnd(widths.language)}  ${r.twin.padEnd(widths.twin)}  ${rest}`;
  return [line(header, 'DESCRIPTION'), ...rows.map((r) => line(r, r.summary)), '', countTasks(tasks)].join(
    '\n',
  );
}
