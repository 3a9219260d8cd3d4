/**
 * The one place that spawns host processes (installers, debootstrap, pip, dockerd, tar, benchmarks), all
 * through execa. Model-written code never runs here: it runs only inside sandboxes.
 */
import type { Readable } from 'node:stream';
import { constants } from 'node:os';
import { execa, type Result } from 'execa';

export interface ProcResult {
  /** The process's exit code; 128 + N when signal N ended it, 127 when the executable is missing. */
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ProcOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Stream the child's output to ours instead of capturing it. */
  inherit?: boolean;
}

/** Shell conventions for a run that did not exit normally, so callers see one number. */
function exitCodeOf(result: Result): number {
  if (result.exitCode !== undefined) return result.exitCode;
  if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
  return (result as { code?: string }).code === 'ENOENT' ? 127 : 1;
}

/** Runs a command to completion; a non-zero exit is a result, a missing executable is exit 127. */
export async function runProcess(
  command: string,
  args: string[],
  options: ProcOptions = {},
): Promise<ProcResult> {
  const stdio = options.inherit ? 'inherit' : 'pipe';
  const result = await execa(command, args, {
    reject: false,
    cwd: options.cwd,
    env: options.env ?? process.env,
    extendEnv: false,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    input: options.input,
    stdout: stdio,
    stderr: stdio,
    stripFinalNewline: false,
  });
  // A process that never ran (missing executable, bad cwd) has no exit code: its reason goes to stderr.
  const neverRan = result.exitCode === undefined && !result.signal;
  return {
    exitCode: exitCodeOf(result),
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: (typeof result.stderr === 'string' ? result.stderr : '') + (neverRan ? result.shortMessage : ''),
    durationMs: Math.round(result.durationMs),
  };
}

/** Whether an executable is on PATH. */
export async function commandExists(name: string): Promise<boolean> {
  const result = await runProcess('sh', ['-c', 'command -v "$1"', 'sh', name]);
  return result.exitCode === 0;
}

/**
 * Starts a long-lived background process (a daemon) that outlives the harness, its output appended to
 * logFile (the shell opens the file, so no pipe ties the daemon to this process). Its exit is not awaited.
 */
export function startDaemon(command: string, args: string[], logFile: string): void {
  const daemon = execa(
    'sh',
    ['-c', 'log="$1"; shift; exec "$@" >>"$log" 2>&1', 'sh', logFile, command, ...args],
    {
      detached: true,
      cleanup: false,
      stdio: 'ignore',
      reject: false,
    },
  );
  daemon.unref();
}

/**
 * Runs a command whose stdout is consumed as a stream (e.g. `tar -c` piped into the engine). `done`
 * resolves once it has exited, with stderr captured for messages.
 */
export function streamProcess(
  command: string,
  args: string[],
): { stdout: Readable; done: Promise<ProcResult> } {
  const child = execa(command, args, { reject: false, stdin: 'ignore', buffer: { stdout: false } });
  const done = child.then((result) => ({
    exitCode: exitCodeOf(result),
    stdout: '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    durationMs: Math.round(result.durationMs),
  }));
  return { stdout: child.stdout, done };
}
