/** What an importer produces: task folders still in memory, and the records it could not convert. */
import type { z } from 'zod';
import type { TaskFileSchema } from '../schema.ts';

export interface TaskDraft {
  /** The task.yaml content (checked by the loader when written). */
  yaml: z.input<typeof TaskFileSchema>;
  spec: string;
  /** Workspace-relative path -> content. */
  workspace: Record<string, string>;
  /** Path relative to hidden/ -> content. */
  hidden: Record<string, string>;
  /** Reference name -> (workspace-relative path -> content). */
  references: Record<string, Record<string, string>>;
}

export interface SkippedRecord {
  /** Where the record is (`file:line` or `file#row`). */
  where: string;
  /** The record's own id, when it has one. */
  id?: string;
  reason: string;
}

export interface Conversion {
  drafts: TaskDraft[];
  skipped: SkippedRecord[];
}
