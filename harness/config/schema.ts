/** The schema of harness.config.yaml. Strict: an unknown key is an error, not a silent no-op. */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

export const SandboxConfigSchema = z
  .object({
    memory_mb: positiveInt.default(512).describe('memory limit per sandbox, MiB (swap disabled)'),
    cpus: z.number().positive().max(64).default(1).describe('CPU share per sandbox'),
    pids: positiveInt.default(256).describe('process limit per sandbox'),
    timeout_s: positiveInt.default(60).describe('default wall-clock limit per command, seconds'),
    output_limit_kb: positiveInt
      .default(1024)
      .describe('captured output per stream, KiB; more is cut and flagged'),
  })
  .strict();

export const ModelConfigSchema = z
  .object({
    source: z
      .string()
      .min(1)
      .default('default')
      .describe("'default' (the embedded SmolLM2-135M-Instruct Q4_1), a GGUF path, or an http(s) URL"),
    threads: positiveInt.default(2).describe('CPU threads for the model runtime'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    runs_dir: z.string().min(1).default('runs').describe('where runs/<run-id>/ are written'),
    model: ModelConfigSchema.prefault({}),
    sandbox: SandboxConfigSchema.prefault({}),
  })
  .strict();

export type HarnessConfig = z.infer<typeof ConfigSchema>;
