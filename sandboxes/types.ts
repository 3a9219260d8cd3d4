/** The sandbox contract. Only sandboxes/ talks to Docker; everything else sees these shapes. */

export interface ExecOptions {
  /** Wall-clock limit in seconds; enforced with `timeout -k` inside and a deadline outside. */
  timeoutS?: number;
  /** Working directory inside the container; defaults to the workspace. */
  cwd?: string;
  env?: Record<string, string>;
  /** Defaults to the unprivileged sandbox user. */
  user?: string;
  stdin?: string | Buffer;
  /** Per-stream cap on captured bytes; defaults to the sandbox's limit. */
  outputLimitBytes?: number;
  /** Called with each chunk as it arrives (already subject to the cap). */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

/** One flat shape for success and failure: a non-zero exit is a result, not an exception. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
  /** Set when the command ended because the sandbox itself died: OOM-killed, PID 1 gone, removed. */
  sandboxDied?: SandboxDeath;
}

export interface SandboxDeath {
  reason: 'oom' | 'exited' | 'removed';
  detail: string;
}

export interface SandboxLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  timeoutS: number;
  outputLimitBytes: number;
  /** Size of the workspace file system, MiB; writes past it fail with ENOSPC. */
  diskMb: number;
  /** Files and directories the workspace can hold; more fail with ENOSPC. */
  inodes: number;
}

export interface SandboxSpec {
  image: string;
  limits: SandboxLimits;
  /** Labels that identify the run and episode, so that leftovers can be found and pruned. */
  labels?: Record<string, string>;
  /** Absolute path of the workspace inside the container. */
  workdir?: string;
}

export interface WriteRefusal {
  path: string;
  /** Why, as the file system put it (e.g. "file name too long", "no space left on device"). */
  reason: string;
}

export interface FileEntry {
  /** Path relative to the workspace, with forward slashes. */
  path: string;
  size: number;
}

/** A copy of the workspace: the files kept, and the files left out (too large, or past the total cap). */
export interface WorkspaceSnapshot {
  files: Map<string, Buffer>;
  omitted: FileEntry[];
}

export interface Sandbox {
  readonly id: string;
  readonly workdir: string;
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Paths are relative to the workspace and may not escape it. */
  writeFile(path: string, content: string | Buffer, options?: { mode?: number }): Promise<void>;
  writeFiles(files: Record<string, string | Buffer>): Promise<void>;
  /**
   * Writes files chosen by the thing under test: each one the file system refuses (a name too long, no
   * space left, a file where a directory must be, a path outside the workspace) is returned with the
   * reason, and the others are written. Never throws for a refused file.
   */
  applyWrites(files: Record<string, string | Buffer>): Promise<WriteRefusal[]>;
  readFile(path: string): Promise<Buffer>;
  listFiles(dir?: string): Promise<FileEntry[]>;
  /** Reads every file under the workspace (or dir) as a map from relative path to content. */
  readTree(dir?: string): Promise<Map<string, Buffer>>;
  /**
   * Copies the workspace out, keeping files up to maxFileBytes each and maxTotalBytes in all (bytes);
   * every file left out is listed with its size.
   */
  snapshot(limits: { maxFileBytes: number; maxTotalBytes: number }): Promise<WorkspaceSnapshot>;
  /** Whether the container is still running; death is reported rather than thrown. */
  health(): Promise<SandboxDeath | undefined>;
  destroy(): Promise<void>;
}

export interface SandboxProvider {
  create(spec: SandboxSpec): Promise<Sandbox>;
}
