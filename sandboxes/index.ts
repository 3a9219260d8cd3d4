export type * from './types.ts';
export { createSandbox, DockerSandbox, StoppingError } from './container.ts';
export {
  ensureImages,
  imageStatus,
  imageTag,
  requireImages,
  resolveImage,
  debianMirror,
  IMAGES,
} from './images.ts';
export type { ImageName, ImageStatus } from './images.ts';
export {
  DEFAULT_LIMITS,
  WORKDIR,
  SANDBOX_USER,
  MAX_TIMEOUT_S,
  PID_MAX_LIMIT,
  MIN_CPUS,
  MIN_MEMORY_MB,
} from './limits.ts';
export { checkLimits } from './preflight.ts';
export { pruneSandboxes } from './prune.ts';
export type { PruneResult } from './prune.ts';
export { requireDocker, dockerReachable, dockerEndpoint, DOCKER_FIX } from './docker.ts';
export { destroyAll, isStopping, onStop } from './registry.ts';
export { safeRelativePath, isSafeRelativePath } from './paths.ts';
export { LABEL_RUN, LABEL_EPISODE } from './labels.ts';
export { aptInstall, ensureDockerEngine } from './engine.ts';
export type { EngineAction } from './engine.ts';
