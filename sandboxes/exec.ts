/**
 * One command in a running container. The command is wrapped in `timeout -k` inside the container, since
 * `docker exec` does not forward a kill, and the host keeps its own deadline beyond that.
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { CappedBuffer } from './capture.ts';
import { HOST_GRACE_S, KILL_AFTER_S } from './limits.ts';
import type { ExecOptions, ExecResult } from './types.ts';

type ResolvedOptions = ExecOptions &
  Required<Pick<ExecOptions, 'timeoutS' | 'cwd' | 'user' | 'outputLimitBytes'>>;

export async function execInContainer(
  container: Docker.Container,
  argv: string[],
  options: ResolvedOptions,
): Promise<ExecResult> {
  const started = performance.now();
  const hasStdin = options.stdin !== undefined;
  const exec = await container.exec({
    Cmd: ['timeout', '-k', `${KILL_AFTER_S}s`, `${options.timeoutS}s`, ...argv],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: hasStdin,
    Tty: false,
    User: options.user,
    WorkingDir: options.cwd,
    Env: options.env ? Object.entries(options.env).map(([k, v]) => `${k}=${v}`) : undefined,
  });
  const stream = (await exec.start({ hijack: true, stdin: hasStdin })) as import('node:stream').Duplex;
  const stdout = new CappedBuffer(options.outputLimitBytes, options.onStdout);
  const stderr = new CappedBuffer(options.outputLimitBytes, options.onStderr);
  container.modem.demuxStream(stream, sink(stdout), sink(stderr));
  if (hasStdin) stream.end(Buffer.from(options.stdin!));

  const hostDeadlineMs = (options.timeoutS + KILL_AFTER_S + HOST_GRACE_S) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    new Promise<'ended'>((resolve) => {
      stream.on('end', () => resolve('ended'));
      stream.on('close', () => resolve('ended'));
      stream.on('error', () => resolve('ended'));
    }),
    new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), hostDeadlineMs);
    }),
  ]);
  clearTimeout(timer);

  if (ended === 'deadline') {
    stream.destroy();
    return {
      exitCode: 124,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut: true,
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Math.round(performance.now() - started),
    };
  }

  const exitCode = await exitCodeOf(exec);
  const durationMs = Math.round(performance.now() - started);
  // timeout(1) exits 124 after TERM worked and 137 after it had to KILL; both mean the deadline passed.
  const timedOut = exitCode === 124 || (exitCode === 137 && durationMs >= options.timeoutS * 1000);
  return {
    exitCode: timedOut ? 124 : exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    timedOut,
    truncated: stdout.truncated || stderr.truncated,
    durationMs,
  };
}

function sink(buffer: CappedBuffer): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      buffer.push(chunk);
      callback();
    },
  });
}

/** The exec's exit code; the engine may report it a moment after the stream closes. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return -1;
}
