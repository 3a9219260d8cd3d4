import type { SandboxLimits } from './types.ts';

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMb: 512,
  cpus: 1,
  pids: 256,
  timeoutS: 60,
  outputLimitBytes: 1024 * 1024,
  diskMb: 128,
  inodes: 8192,
};

export const WORKDIR = '/workspace';
export const SANDBOX_USER = 'sandbox';
/** The sandbox user's uid and gid in the images (sandboxes/images/base/Dockerfile). */
export const SANDBOX_UID = 1000;
/**
 * The user of the process that keeps a container alive (`sleep infinity`): numeric, so any image has it,
 * and never used for commands, so ending all of a command user's processes leaves the container running.
 */
export const KEEPER_USER = '65534:65534';
/** Seconds between `timeout`'s TERM and its KILL inside the container. */
export const KILL_AFTER_S = 5;
/** Extra seconds the host waits beyond the in-container timeout before it gives up on an exec. */
export const HOST_GRACE_S = 10;
/**
 * The longest command timeout: the host's deadline (timeout + KILL_AFTER_S + HOST_GRACE_S) stays within
 * what one Node.js timer holds, 2^31 - 1 ms (about 24.8 days).
 */
export const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000) - KILL_AFTER_S - HOST_GRACE_S;
/** The kernel's ceiling on process ids (PID_MAX_LIMIT in include/linux/threads.h, 64-bit). */
export const PID_MAX_LIMIT = 4 * 1024 * 1024;
/** The engine's smallest CPU share and memory limit (Docker refuses less). */
export const MIN_CPUS = 0.01;
export const MIN_MEMORY_MB = 6;
/** Bounds of the workspace file system: the smallest a task's files fit in, and at most 64 GiB and 2^24 files. */
export const MIN_DISK_MB = 1;
export const MAX_DISK_MB = 64 * 1024;
export const MIN_INODES = 64;
export const MAX_INODES = 2 ** 24;
