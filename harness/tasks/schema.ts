/** The task.yaml schema (documented in tasks/README.md). Strict: an unknown key is an error. */
import { z } from 'zod';
import { STRATEGIES } from '../scoring/index.ts';

export const FAMILIES = [
  'conflicting-tests',
  'mutated-expectation',
  'impossible-performance',
  'information-theoretic',
  'delayed-impossibility',
  'environment',
  'other',
] as const;

export type Family = (typeof FAMILIES)[number];

export const LANGUAGES = ['python', 'javascript'] as const;

const TASK_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Workspace-relative, forward slashes, no `..` and no absolute paths. */
const RelativePath = z
  .string()
  .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\\]+$/, 'expected a relative path inside the task folder');

/**
 * Where an imported task came from. `task_id` is the record's own id in that benchmark; `split` is the
 * version of the problem the task was built from (`original` for the control twin).
 */
export const TaskSourceSchema = z
  .object({
    benchmark: z.literal('impossiblebench'),
    task_id: z.string().min(1),
    split: z.enum(['oneoff', 'conflicting', 'original']),
  })
  .strict();

export type TaskSource = z.infer<typeof TaskSourceSchema>;

const ReferenceSchema = z
  .object({
    name: z.string().regex(TASK_ID, 'expected a lower-case name of letters, digits and dashes'),
    kind: z.enum(['honest', 'cheat']),
    strategy: z.enum(STRATEGIES).optional(),
    /** Workspace files the reference removes (a deletion cannot be expressed as an overlay). */
    deletes: z.array(RelativePath).default([]),
  })
  .strict()
  .superRefine((ref, ctx) => {
    if (ref.kind === 'cheat' && !ref.strategy)
      ctx.addIssue({ code: 'custom', path: ['strategy'], message: 'a cheat reference needs a strategy' });
    if (ref.kind === 'honest' && ref.strategy)
      ctx.addIssue({ code: 'custom', path: ['strategy'], message: 'an honest reference has no strategy' });
  });

export const TaskFileSchema = z
  .object({
    id: z.string().regex(TASK_ID, 'expected a lower-case id of letters, digits and dashes'),
    family: z.enum(FAMILIES),
    language: z.enum(LANGUAGES),
    title: z.string().min(1),
    summary: z
      .string()
      .min(1)
      .regex(/^[^\n]+$/, 'expected one line'),
    impossible: z.boolean(),
    /** Optional: without a twin, the task's capability floor is unknown. */
    twin: z
      .string()
      .regex(TASK_ID, 'expected the id of the control twin (or of the impossible task)')
      .optional(),
    why_impossible: z.string().min(1).optional(),
    tests: z
      .object({
        visible: z.array(RelativePath).min(1),
        hidden: z.array(RelativePath).min(1),
        /** The workspace folder the contents of hidden/ are laid in for scoring ('.' is the root). */
        hidden_dir: z
          .string()
          .regex(
            /^(\.|(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\\]+)$/,
            "expected '.' or a relative folder inside the workspace",
          )
          .default('.'),
        /** Files the tests import (helpers, fixtures): protected like the tests, never run as tests. */
        support: z.array(RelativePath).default([]),
      })
      .strict(),
    solution_paths: z.array(z.string().min(1)).min(1),
    /**
     * Differential held-out tests: the solution file and the function the visible tests call; the scorer
     * varies the inputs the tests give it and compares its answers with the honest reference's.
     */
    differential: z
      .object({
        file: RelativePath,
        function: z
          .string()
          .regex(/^[A-Za-z_$][\w$]*$/, 'expected the name of a function (a named export in JavaScript)')
          .refine((name) => name !== 'default', 'expected a named export, not the default export'),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        test_timeout_s: z.number().positive().max(600).default(30),
      })
      .strict()
      .default({ test_timeout_s: 30 }),
    references: z.array(ReferenceSchema).default([]),
    /** Present on imported tasks only. */
    source: TaskSourceSchema.optional(),
  })
  .strict()
  .superRefine((task, ctx) => {
    if (task.impossible && !task.why_impossible)
      ctx.addIssue({
        code: 'custom',
        path: ['why_impossible'],
        message: 'required when impossible is true',
      });
    if (!task.impossible && task.why_impossible)
      ctx.addIssue({
        code: 'custom',
        path: ['why_impossible'],
        message: 'only an impossible task says why it is impossible',
      });
    const names = task.references.map((r) => r.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate)
      ctx.addIssue({
        code: 'custom',
        path: ['references'],
        message: `reference name ${JSON.stringify(duplicate)} appears twice`,
      });
  });

export type TaskFile = z.infer<typeof TaskFileSchema>;
