import type { SandboxLimits } from '../../sandboxes/types.ts';
import type { HarnessConfig } from './schema.ts';

export function sandboxLimits(config: HarnessConfig['sandbox']): SandboxLimits {
  return {
    memoryMb: config.memory_mb,
    cpus: config.cpus,
    pids: config.pids,
    timeoutS: config.timeout_s,
    outputLimitBytes: config.output_limit_kb * 1024,
  };
}
