/**
 * Reads an Inspect AI eval log through the `inspect-ai` package itself (`inspect_ai.log.read_eval_log`, in
 * the virtualenv `harness setup` makes), so every format and version Inspect reads is read the same way
 * here. A small script (assets/inspect_samples.py) prints the fields scoring needs as JSON; they are
 * validated on this side.
 */
import { existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError, PrerequisiteError } from '../harness/errors.ts';
import { runProcess } from '../harness/proc.ts';

const SCRIPT = fileURLToPath(new URL('./assets/inspect_samples.py', import.meta.url));

const ScoreSchema = z.object({
  name: z.string(),
  value: z.unknown(),
  answer: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});

const SampleSchema = z.object({
  id: z.union([z.string(), z.number()]),
  epoch: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  scores: z.array(ScoreSchema),
  completion: z.string().nullable(),
  lastAssistant: z.string().nullable(),
  error: z.string().nullable(),
});

const LogSchema = z.object({
  task: z.string(),
  model: z.string(),
  status: z.string(),
  samples: z.array(SampleSchema),
});

export type InspectScore = z.infer<typeof ScoreSchema>;
export type InspectSample = z.infer<typeof SampleSchema>;
export type InspectLog = z.infer<typeof LogSchema>;

/**
 * Reads the log at `path` with the given python (one that imports inspect_ai). Throws InputError when the
 * path is not a file or Inspect cannot read it as an eval log, PrerequisiteError when inspect-ai is missing.
 */
export async function readInspectLog(path: string, python: string): Promise<InspectLog> {
  let isFile = false;
  try {
    isFile = (await lstat(path)).isFile();
  } catch {
    throw new InputError(`--inspect-log ${path}: expected an Inspect eval log file, found nothing there`);
  }
  if (!isFile)
    throw new InputError(`--inspect-log ${path}: expected an Inspect eval log file, received a folder`);
  if (!existsSync(python))
    throw new PrerequisiteError(
      `reading an Inspect log needs the inspect-ai package, expected at ${python}`,
      'bin/harness setup (installs inspect-ai in a virtualenv under the harness cache)',
    );
  const result = await runProcess(python, [SCRIPT, path]);
  if (result.exitCode === 3)
    throw new InputError(
      `--inspect-log ${path}: expected an Inspect eval log (.json or .eval) that inspect_ai.log.read_eval_log reads; it answered: ${result.stderr.trim().split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').slice(0, 300)}`,
    );
  if (result.exitCode !== 0)
    throw new Error(
      `reading ${path} with inspect-ai failed (exit ${result.exitCode}): ${result.stderr.trim()}`,
    );
  const parsed = LogSchema.safeParse(JSON.parse(result.stdout));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `inspect_samples.py printed an unexpected shape at ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}
