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
  const impossible = rows.filter((r) => r.impossible).length;
  return [
    line(header, 'DESCRIPTION'),
    ...rows.map((r) => line(r, r.summary)),
    '',
    `${rows.length} tasks: ${impossible} impossible, ${rows.length - impossible} control twins`,
  ].join('\n');
}
