/** A sandbox backed by one Docker container, kept alive by an init process and `sleep infinity`. */
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { InputError } from '../harness/errors.ts';
import { execInContainer, sweepUser } from './exec.ts';
import { fileSystems } from './filesystems.ts';
import { packFiles, unpackFiles } from './files.ts';
import { resolveImage } from './images.ts';
import { sandboxLabels } from './labels.ts';
import { DEFAULT_LIMITS, KEEPER_USER, SANDBOX_USER, WORKDIR } from './limits.ts';
import { isSafeRelativePath, safeRelativePath } from './paths.ts';
import { checkLimits, checkSandboxUser, isMissingImage, missingImage } from './preflight.ts';
import { isStopping, track, untrack } from './registry.ts';
import { requireDocker } from './docker.ts';
import type {
  ExecOptions,
  ExecResult,
  FileEntry,
  Sandbox,
  SandboxDeath,
  SandboxLimits,
  SandboxSpec,
  WorkspaceSnapshot,
  WriteRefusal,
} from './types.ts';

const TREE_LIMIT_BYTES = 64 * 1024 * 1024;

export async function createSandbox(spec: SandboxSpec): Promise<Sandbox> {
  if (isStopping()) throw new StoppingError();
  const docker = await requireDocker();
  const image = await resolveImage(spec.image);
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const workdir = spec.workdir ?? WORKDIR;
  await checkLimits(limits);
  const labels = sandboxLabels(spec.labels);
  const { memoryBytes: filesBytes, ...files } = fileSystems(limits, workdir, labels);
  const memory = limits.memoryMb * 1024 * 1024 + filesBytes;
  const container = await docker
    .createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      User: KEEPER_USER,
      WorkingDir: workdir,
      Labels: labels,
      Env: ['HOME=/home/sandbox', 'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8'],
      HostConfig: {
        Init: true,
        NetworkMode: 'none',
        Memory: memory,
        MemorySwap: memory,
        NanoCpus: Math.round(limits.cpus * 1e9),
        PidsLimit: limits.pids,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Ulimits: [
          { Name: 'nofile', Soft: 1024, Hard: 1024 },
          { Name: 'fsize', Soft: 256 * 1024 * 1024, Hard: 256 * 1024 * 1024 },
        ],
        ...files,
      },
    })
    .catch((error: unknown) => {
      throw isMissingImage(error) ? missingImage(spec.image, error) : error;
    });
  const sandbox = new DockerSandbox(docker, container, workdir, limits);
  track(sandbox);
  if (isStopping()) {
    await sandbox.destroy();
    throw new StoppingError();
  }
  try {
    await checkSandboxUser(container, image);
    await container.start();
  } catch (error) {
    await sandbox.destroy();
    throw error;
  }
  return sandbox;
}

/** A sandbox was asked for after a stop signal: the harness is shutting down. */
export class StoppingError extends Error {
  constructor() {
    super('the harness is stopping (a stop signal arrived): no new sandbox is created');
    this.name = 'StoppingError';
  }
}

/**
 * The reason in an engine error about an archive write, which ends in the system call's error text
 * ("open /workspace/...: file name too long"); the path before it is not repeated.
 */
function refusalReason(error: unknown): string {
  if (error instanceof InputError) return error.message;
  const reason = /:\s*([a-z][a-z ]+[a-z])\s*$/.exec((error as Error).message ?? '')?.[1];
  return reason ?? 'the sandbox refused the write';
}

export class DockerSandbox implements Sandbox {
  private destroyed = false;
  private oomKillsSeen = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    readonly workdir: string,
    private readonly limits: SandboxLimits,
  ) {}

  get id(): string {
    return this.container.id;
  }

  /**
   * Commands of one sandbox run one at a time: the end of each one ends every process of its user, which
   * must not reach into another command still running.
   */
  async exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new InputError('expected a command to run in the sandbox, received none');
    const timeoutS = options.timeoutS ?? this.limits.timeoutS;
    if (!Number.isFinite(timeoutS) || timeoutS <= 0)
      throw new InputError(`expected a positive timeout in seconds, received ${timeoutS}`);
    const run = this.queue.then(() => this.execNow(argv, { ...options, timeoutS }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execNow(argv: string[], options: ExecOptions & { timeoutS: number }): Promise<ExecResult> {
    const started = performance.now();
    const user = options.user ?? SANDBOX_USER;
    let result: ExecResult;
    try {
      const ran = await execInContainer(this.container, argv, {
        ...options,
        cwd: options.cwd ?? this.workdir,
        user,
        outputLimitBytes: options.outputLimitBytes ?? this.limits.outputLimitBytes,
      });
      result = ran.result;
      if (ran.abandoned) await this.endLeftovers(user);
    } catch (error) {
      // The engine refuses an exec in a container that died or is being removed: that is a result.
      const death = await this.health();
      if (!death) throw error;
      const durationMs = Math.round(performance.now() - started);
      return {
        exitCode: -1,
        stdout: '',
        stderr: '',
        timedOut: false,
        truncated: false,
        durationMs,
        sandboxDied: death,
      };
    }
    // A SIGKILL not caused by the deadline is most often the kernel's OOM killer: ask the cgroup.
    if (result.exitCode === 137 || result.exitCode === -1 || result.timedOut) {
      const death = await this.health();
      if (death) return { ...result, sandboxDied: death };
      const kills = await this.oomKills();
      if (kills > this.oomKillsSeen) {
        this.oomKillsSeen = kills;
        return {
          ...result,
          sandboxDied: { reason: 'oom', detail: 'a process was killed by the out-of-memory killer' },
        };
      }
    }
    return result;
  }

  /**
   * After the host gave up waiting on a command (e.g. it stopped the wrapper that would have swept), ends
   * whatever of it still runs with a sweep of its user's processes. The engine moves an exec into the
   * container's cgroup after creating it, which the process limit does not refuse, so the sweep starts
   * even when the limit is exhausted.
   */
  private async endLeftovers(user: string): Promise<void> {
    // A sweep can miss: its exec may fail to start while every slot is taken, or killed processes may not
    // be reaped yet when it gives up. Repeat it a few times, a second apart, until it sees nothing left.
    for (let attempt = 0; attempt < 5 && !this.destroyed; attempt++) {
      if (await sweepUser(this.container, user)) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async oomKills(): Promise<number> {
    if (this.destroyed) return 0;
    try {
      // cgroup v2 names the file memory.events, v1 memory.oom_control; both carry an oom_kill counter.
      const { result } = await execInContainer(
        this.container,
        ['sh', '-c', 'cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null'],
        { timeoutS: 5, user: 'root', outputLimitBytes: 4096, cwd: '/' },
      );
      const match = /^oom_kill\s+(\d+)/m.exec(result.stdout);
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  }

  async writeFile(path: string, content: string | Buffer, options: { mode?: number } = {}): Promise<void> {
    await this.putFiles([{ path, content: Buffer.from(content), mode: options.mode }]);
  }

  async writeFiles(files: Record<string, string | Buffer>): Promise<void> {
    await this.putFiles(
      Object.entries(files).map(([path, content]) => ({ path, content: Buffer.from(content) })),
    );
  }

  async applyWrites(files: Record<string, string | Buffer>): Promise<WriteRefusal[]> {
    try {
      await this.writeFiles(files);
      return [];
    } catch {
      // One archive stops at its first bad entry: write one file at a time to learn which ones fail.
    }
    const refused: WriteRefusal[] = [];
    for (const [path, content] of Object.entries(files)) {
      try {
        await this.writeFile(path, content);
      } catch (error) {
        refused.push({ path, reason: refusalReason(error) });
      }
    }
    return refused;
  }

  /**
   * Writes files owned by root and read-only (with root-owned folders), named relative to root, an
   * absolute container path: used by scoring for files the sandbox user must not change. Only the
   * workspace is writable (the image's file system is read-only), so every file must lie inside it; the
   * workspace folder itself is root's already (see filesystems.ts).
   */
  async writeProtectedFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
    const inside = (path: string): string => {
      const relative = posix.relative(this.workdir, posix.resolve(root, path));
      if (!isSafeRelativePath(relative))
        throw new InputError(
          `expected a protected file inside the workspace ${this.workdir}, received ${JSON.stringify(posix.join(root, path))}`,
        );
      return relative;
    };
    const archive = await packFiles(
      Object.entries(files).map(([path, content]) => ({
        path: inside(path),
        content: Buffer.from(content),
        mode: 0o444,
        uid: 0,
        gid: 0,
      })),
    );
    await this.container.putArchive(archive, { path: this.workdir });
  }

  private async putFiles(files: Array<{ path: string; content: Buffer; mode?: number }>): Promise<void> {
    const archive = await packFiles(files.map((f) => ({ ...f, path: safeRelativePath(f.path) })));
    await this.container.putArchive(archive, { path: this.workdir });
  }

  async readFile(path: string): Promise<Buffer> {
    const rel = safeRelativePath(path);
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.container.getArchive({ path: `${this.workdir}/${rel}` });
    } catch (error) {
      throw new InputError(`no file ${JSON.stringify(rel)} in the sandbox workspace`, { cause: error });
    }
    const { files } = await unpackFiles(archive, TREE_LIMIT_BYTES, 0);
    const first = files.values().next();
    if (first.done)
      throw new InputError(`${JSON.stringify(rel)} in the sandbox workspace is not a regular file`);
    return first.value;
  }

  async readTree(dir?: string): Promise<Map<string, Buffer>> {
    const path = dir === undefined ? this.workdir : `${this.workdir}/${safeRelativePath(dir)}`;
    const archive = await this.container.getArchive({ path });
    const { files } = await unpackFiles(archive, TREE_LIMIT_BYTES, 1);
    if (dir === undefined) return files;
    const prefix = safeRelativePath(dir);
    return new Map([...files].map(([name, content]) => [`${prefix}/${name}`, content]));
  }

  async snapshot(limits: { maxFileBytes: number; maxTotalBytes: number }): Promise<WorkspaceSnapshot> {
    const archive = await this.container.getArchive({ path: this.workdir });
    const { files, omitted } = await unpackFiles(archive, limits.maxTotalBytes, 1, limits.maxFileBytes);
    return { files, omitted: omitted.sort((a, b) => a.path.localeCompare(b.path)) };
  }

  async listFiles(dir?: string): Promise<FileEntry[]> {
    const tree = await this.readTree(dir);
    return [...tree]
      .map(([path, content]) => ({ path, size: content.length }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  async health(): Promise<SandboxDeath | undefined> {
    try {
      const state = (await this.container.inspect()).State;
      if (state.OOMKilled)
        return { reason: 'oom', detail: 'the container was killed by the out-of-memory killer' };
      if (this.destroyed || state.Status === 'removing')
        return { reason: 'removed', detail: 'the sandbox is being removed' };
      if (!state.Running)
        return { reason: 'exited', detail: `the container stopped (exit code ${state.ExitCode})` };
      return undefined;
    } catch {
      return { reason: 'removed', detail: 'the container no longer exists' };
    }
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    untrack(this);
    try {
      await this.container.remove({ force: true, v: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  /** The engine this sandbox lives on, for drivers that need more than the Sandbox interface. */
  get engine(): Docker {
    return this.docker;
  }
}
