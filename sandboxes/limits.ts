import type { SandboxLimits } from './types.ts';

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMb: 512,
  cpus: 1,
  pids: 256,
  timeoutS: 60,
  outputLimitBytes: 1024 * 1024,
};

export const WORKDIR = '/workspace';
export const SANDBOX_USER = 'sandbox';
/** Seconds between `timeout`'s TERM and its KILL inside the container. */
export const KILL_AFTER_S = 5;
/** Extra seconds the host waits beyond the in-container timeout before it gives up on an exec. */
export const HOST_GRACE_S = 10;
