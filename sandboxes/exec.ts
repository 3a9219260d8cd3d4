/**
 * One command in a running container. `docker exec` neither forwards a kill nor ends what a command left
 * running, so every command runs under a small shell wrapper: `timeout -k` bounds it, and when it has
 * ended (exited or timed out) the wrapper sends SIGKILL to every other process of the same user in the
 * container (`kill -9 -1`), which also ends background jobs, `setsid` escapees and fork bombs. The host
 * keeps its own deadline beyond all that.
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { CappedBuffer } from './capture.ts';
import { HOST_GRACE_S, KILL_AFTER_S } from './limits.ts';
import type { ExecOptions, ExecResult } from './types.ts';

type ResolvedOptions = ExecOptions &
  Required<Pick<ExecOptions, 'timeoutS' | 'cwd' | 'user' | 'outputLimitBytes'>>;

/**
 * kill(2) with pid -1 signals every process the caller may signal except itself and the namespace's init,
 * under the kernel's task-list lock: a process forking at that moment either has its child signalled too
 * or has its fork fail, so one sweep ends a fork bomb. Its return value cannot tell whether anything was
 * left (it counts processes it may not signal too), so `left` reads /proc with shell builtins only (no
 * fork while the process limit may be exhausted): is any process other than this shell owned by its real
 * uid? (The engine moves an exec into the container's cgroup after creating it, which the process limit
 * does not refuse, so the sweep itself starts even when a fork bomb holds every slot.) Killed processes
 * stay there until init reaps them, so the sweep repeats until none is left, at most 500 times (10 s or
 * more; the host deadline covers the rest).
 */
const SWEEP = [
  'me=; while read k r x; do [ "$k" = Uid: ] && me=$r && break; done </proc/$$/status',
  'left() { for f in /proc/[0-9]*/status; do [ "$f" = /proc/$$/status ] && continue; ' +
    'while read k r x; do [ "$k" = Uid: ] || continue; [ "$r" = "$me" ] && return 0; break; done <"$f"; done; return 1; }',
  'n=0; while left && [ $n -lt 500 ]; do kill -9 -1; n=$((n+1)); left && sleep 0.02; done',
  '! left',
].join('\n');

/** Runs "$@" under timeout, then sweeps; exits with the command's own status. */
const WRAPPER = `k=$1 t=$2; shift 2; timeout -k "$k" "$t" "$@"; s=$?\n{\n${SWEEP}\n} >/dev/null 2>&1\nexit $s`;

/** The argv the engine runs for argv under a timeout of timeoutS seconds. */
export function wrappedCommand(argv: string[], timeoutS: number): string[] {
  return ['sh', '-c', WRAPPER, 'sh', `${KILL_AFTER_S}s`, `${timeoutS}s`, ...argv];
}

/** The longest delay one Node.js timer can hold (a signed 32-bit count of milliseconds). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after ms milliseconds, chaining timers past MAX_TIMER_MS; `cancel` stops it. */
export function delay(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    const wait = (left: number) => {
      timer = setTimeout(
        () => (left > MAX_TIMER_MS ? wait(left - MAX_TIMER_MS) : resolve()),
        Math.min(left, MAX_TIMER_MS),
      );
    };
    wait(ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

export interface ContainerExec {
  result: ExecResult;
  /** True when the host deadline ended the wait: the wrapper never reported back, so leftovers may run. */
  abandoned: boolean;
}

export async function execInContainer(
  container: Docker.Container,
  argv: string[],
  options: ResolvedOptions,
): Promise<ContainerExec> {
  const started = performance.now();
  const hasStdin = options.stdin !== undefined;
  const exec = await container.exec({
    Cmd: wrappedCommand(argv, options.timeoutS),
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

  const deadline = delay((options.timeoutS + KILL_AFTER_S + HOST_GRACE_S) * 1000);
  const ended = await Promise.race([
    new Promise<'ended'>((resolve) => {
      stream.on('end', () => resolve('ended'));
      stream.on('close', () => resolve('ended'));
      stream.on('error', () => resolve('ended'));
    }),
    deadline.done.then(() => 'deadline' as const),
  ]);
  deadline.cancel();

  if (ended === 'deadline') {
    stream.destroy();
    return {
      abandoned: true,
      result: {
        exitCode: 124,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut: true,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.round(performance.now() - started),
      },
    };
  }
  stdout.end();
  stderr.end();

  const exitCode = await exitCodeOf(exec);
  const durationMs = Math.round(performance.now() - started);
  // timeout(1) exits 124 after TERM worked and 137 after it had to KILL; a command may exit with either
  // code itself, so only one that ran the whole limit (the host's clock started first) timed out.
  const timedOut = (exitCode === 124 || exitCode === 137) && durationMs >= options.timeoutS * 1000;
  return {
    abandoned: false,
    result: {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut,
      truncated: stdout.truncated || stderr.truncated,
      durationMs,
    },
  };
}

/**
 * Ends every process of user in the container, without a timeout wrapper (the sweep must not kill its own
 * parent). Returns true when the sweep saw none of the user's processes left; false when some were left or
 * the engine could not run it (a dead container, or an exec that could not start while every process slot
 * was taken).
 */
export async function sweepUser(container: Docker.Container, user: string): Promise<boolean> {
  try {
    const exec = await container.exec({
      Cmd: ['sh', '-c', `{\n${SWEEP}\n} >/dev/null 2>&1`],
      User: user,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: false })) as import('node:stream').Duplex;
    stream.resume();
    const deadline = delay((KILL_AFTER_S + HOST_GRACE_S) * 1000);
    await Promise.race([
      new Promise((resolve) => stream.on('close', resolve).on('end', resolve)),
      deadline.done,
    ]);
    deadline.cancel();
    stream.destroy();
    return (await exitCodeOf(exec)) === 0;
  } catch {
    return false;
  }
}

function sink(buffer: CappedBuffer): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      buffer.push(chunk);
      callback();
    },
  });
}

/** The exec's exit code; the engine may report it a moment after the stream closes (asked for ~5 s). */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 60; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 * (i + 1), 100)));
  }
  return -1;
}
