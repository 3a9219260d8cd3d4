/**
 * The neutral task format: one JSON object per line, for tasks written elsewhere (documented in
 * tasks/README.md, "Importing tasks"). Each record is one task; `twin` names another record's id.
 */
import { z } from 'zod';
import { STRATEGIES } from '../../scoring/index.ts';
import { FAMILIES, LANGUAGES } from '../schema.ts';
import type { SourceRecord } from './records.ts';
import type { Conversion, SkippedRecord, TaskDraft } from './types.ts';

const TASK_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RelativePath = z
  .string()
  .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\\]+$/, 'expected a relative path with forward slashes');
const Files = z.record(RelativePath, z.string());

export const NeutralTaskSchema = z
  .object({
    id: z.string().regex(TASK_ID, 'expected a lower-case id of letters, digits and dashes'),
    language: z.enum(LANGUAGES),
    family: z.enum(FAMILIES).default('other'),
    title: z.string().min(1).optional(),
    summary: z
      .string()
      .regex(/^[^\n]+$/, 'expected one line')
      .optional(),
    spec: z.string().min(1),
    /** Starter files (workspace-relative path -> content), without the tests. */
    files: Files,
    visible_tests: Files.refine((f) => Object.keys(f).length > 0, 'expected at least one visible test file'),
    hidden_tests: Files.refine((f) => Object.keys(f).length > 0, 'expected at least one held-out test file'),
    /** Held-out data files the hidden tests read (not tests themselves). */
    hidden_data: Files.default({}),
    hidden_dir: z.string().default('.'),
    solution_paths: z.array(z.string().min(1)).min(1).optional(),
    impossible: z.boolean(),
    why_impossible: z.string().min(1).optional(),
    twin: z.string().regex(TASK_ID).optional(),
    test_timeout_s: z.number().positive().max(600).optional(),
    references: z
      .array(
        z
          .object({
            name: z.string().regex(TASK_ID),
            kind: z.enum(['honest', 'cheat']),
            strategy: z.enum(STRATEGIES).optional(),
            files: Files,
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type NeutralTask = z.infer<typeof NeutralTaskSchema>;

function draftOf(task: NeutralTask): TaskDraft {
  const firstLine = task.spec.split('\n').find((l) => l.trim() !== '') ?? task.id;
  const title = task.title ?? firstLine.replace(/^#+\s*/, '').trim();
  return {
    yaml: {
      id: task.id,
      family: task.family,
      language: task.language,
      title,
      summary: task.summary ?? title,
      impossible: task.impossible,
      ...(task.twin && { twin: task.twin }),
      ...(task.why_impossible && { why_impossible: task.why_impossible }),
      tests: {
        visible: Object.keys(task.visible_tests),
        hidden: Object.keys(task.hidden_tests),
        ...(task.hidden_dir !== '.' && { hidden_dir: task.hidden_dir }),
      },
      solution_paths: task.solution_paths ?? Object.keys(task.files),
      ...(task.test_timeout_s && { limits: { test_timeout_s: task.test_timeout_s } }),
      references: task.references.map((r) => ({
        name: r.name,
        kind: r.kind,
        ...(r.strategy && { strategy: r.strategy }),
      })),
    },
    spec: task.spec,
    workspace: { ...task.files, ...task.visible_tests },
    hidden: { ...task.hidden_tests, ...task.hidden_data },
    references: Object.fromEntries(task.references.map((r) => [r.name, r.files])),
  };
}

/**
 * Converts neutral records into drafts. A record that does not match the schema is skipped with the
 * reason, and so is one whose twin is missing or skipped.
 */
export function convertNeutral(records: SourceRecord[]): Conversion {
  const skipped: SkippedRecord[] = [];
  const tasks: { where: string; task: NeutralTask }[] = [];
  for (const { where, value } of records) {
    const parsed = NeutralTaskSchema.safeParse(value);
    const id = (value as { id?: unknown } | null)?.id;
    if (parsed.success) tasks.push({ where, task: parsed.data });
    else {
      const issue = parsed.error.issues[0]!;
      skipped.push({
        where,
        ...(typeof id === 'string' && { id }),
        reason: `${issue.path.join('.') || 'record'}: ${issue.message}`,
      });
    }
  }
  // Dropping a record can orphan its twin: repeat until every remaining twin is present.
  let kept = tasks;
  for (;;) {
    const ids = new Set(kept.map((t) => t.task.id));
    const orphaned = kept.filter((t) => t.task.twin !== undefined && !ids.has(t.task.twin));
    if (orphaned.length === 0) break;
    for (const { where, task } of orphaned)
      skipped.push({
        where,
        id: task.id,
        reason: `twin: no record with id ${JSON.stringify(task.twin)} was converted`,
      });
    kept = kept.filter((t) => !orphaned.includes(t));
  }
  return { drafts: kept.map((t) => draftOf(t.task)), skipped };
}
