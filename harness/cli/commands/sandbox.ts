/** `harness sandbox exec|prune`: one command in a fresh sandbox, and cleanup after crashed runs. */
import type { Command } from 'commander';
import {
  createSandbox,
  type ExecResult,
  IMAGES,
  type PruneResult,
  pruneSandboxes,
} from '../../../sandboxes/index.ts';
import { sandboxLimits } from '../../config/index.ts';
import { loadCommandConfig, numberFlag } from '../context.ts';

export interface SandboxExecOptions {
  image: string;
  argv: string[];
  timeoutS?: number;
  memoryMb?: number;
  cpus?: number;
  pids?: number;
}

/** Runs argv in a fresh sandbox, streaming its output; returns the exit code the CLI should exit with. */
export async function runSandboxExec(
  options: SandboxExecOptions,
  limits: ReturnType<typeof sandboxLimits>,
  io: { stdout: (b: Buffer) => void; stderr: (b: Buffer) => void; note: (line: string) => void },
): Promise<{ exitCode: number; result: ExecResult }> {
  const resolved = {
    ...limits,
    ...(options.timeoutS !== undefined && { timeoutS: options.timeoutS }),
    ...(options.memoryMb !== undefined && { memoryMb: options.memoryMb }),
    ...(options.cpus !== undefined && { cpus: options.cpus }),
    ...(options.pids !== undefined && { pids: options.pids }),
  };
  const sandbox = await createSandbox({ image: options.image, limits: resolved });
  try {
    const result = await sandbox.exec(options.argv, { onStdout: io.stdout, onStderr: io.stderr });
    if (result.truncated)
      io.note(`output truncated at ${Math.round(resolved.outputLimitBytes / 1024)} KiB per stream`);
    if (result.timedOut) io.note(`timed out after ${resolved.timeoutS} s`);
    if (result.sandboxDied?.reason === 'oom') {
      io.note(`killed by the out-of-memory killer (memory limit ${resolved.memoryMb} MiB)`);
    } else if (result.sandboxDied) {
      io.note(`sandbox died: ${result.sandboxDied.detail}`);
    }
    return { exitCode: result.timedOut ? 124 : result.exitCode, result };
  } finally {
    await sandbox.destroy();
  }
}

export function formatPrune(result: PruneResult): string {
  const removed = `removed ${result.containers.length} container(s), ${result.networks.length} network(s), ${result.volumes.length} volume(s)`;
  return result.keptLive.length
    ? `${removed}; kept ${result.keptLive.length} of a harness still running (--all removes them too)`
    : removed;
}

export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('run commands in locked-down sandboxes; clean up after crashes');

  sandbox
    .command('exec')
    .description('run CMD in a fresh sandbox, stream its output, exit with its exit code (124 on timeout)')
    .argument('<cmd...>', 'the command and its arguments (put -- before it)')
    .option(
      '--image <name>',
      `sandbox image: ${Object.values(IMAGES).join(', ')} or a full tag`,
      IMAGES.python,
    )
    .option(
      '--timeout <s>',
      'wall-clock limit in seconds',
      numberFlag('--timeout', { min: 1, integer: true }),
    )
    .option('--memory <mb>', 'memory limit in MiB', numberFlag('--memory', { min: 16, integer: true }))
    .option('--cpus <n>', 'CPU share', numberFlag('--cpus', { min: 0.1 }))
    .option('--pids <n>', 'process limit', numberFlag('--pids', { min: 8, integer: true }))
    .action(async (argv: string[], opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const { exitCode } = await runSandboxExec(
        {
          image: opts.image,
          argv,
          timeoutS: opts.timeout,
          memoryMb: opts.memory,
          cpus: opts.cpus,
          pids: opts.pids,
        },
        sandboxLimits(config.sandbox),
        {
          stdout: (b) => process.stdout.write(b),
          stderr: (b) => process.stderr.write(b),
          note: (line) => process.stderr.write(`harness: ${line}\n`),
        },
      );
      process.exitCode = exitCode;
    });

  sandbox
    .command('prune')
    .description('remove containers, networks and volumes left by crashed or killed runs')
    .option('--all', 'also remove those of a harness process that is still running')
    .action(async (opts) => {
      console.log(formatPrune(await pruneSandboxes({ all: opts.all })));
    });
}
