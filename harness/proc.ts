/** The one place that spawns host processes (installers, debootstrap, pip). Model code never runs here. */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface ProcResult {
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

/** Runs a command to completion; a non-zero exit is a result, a missing executable is exit 127. */
export function runProcess(command: string, args: string[], options: ProcOptions = {}): Promise<ProcResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [
        options.input === undefined ? 'ignore' : 'pipe',
        options.inherit ? 'inherit' : 'pipe',
        options.inherit ? 'inherit' : 'pipe',
      ],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const finish = (exitCode: number, extra = '') =>
      resolve({
        exitCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + extra,
        durationMs: Date.now() - started,
      });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ENOENT' ? 127 : 1, error.message),
    );
    child.on('close', (code, signal) => finish(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** Whether an executable is on PATH. */
export async function commandExists(name: string): Promise<boolean> {
  const result = await runProcess('sh', ['-c', `command -v ${name}`]);
  return result.exitCode === 0;
}
