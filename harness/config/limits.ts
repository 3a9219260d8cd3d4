import { DEFAULT_LIMITS, type SandboxLimits } from '../../sandboxes/index.ts';
import type { HarnessConfig } from './schema.ts';

export function sandboxLimits(config: HarnessConfig['sandbox']): SandboxLimits {
  return {
    memoryMb: config.memory_mb,
    cpus: config.cpus,
    pids: config.pids,
    timeoutS: config.timeout_s,
    outputLimitBytes: config.output_limit_kb * 1024,
    diskMb: DEFAULT_LIMITS.diskMb,
    inodes: DEFAULT_LIMITS.inodes,
  };
}
