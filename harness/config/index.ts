export { ConfigSchema, ModelConfigSchema, SandboxConfigSchema } from './schema.ts';
export type { HarnessConfig } from './schema.ts';
export {
  applyOverrides,
  configHash,
  DEFAULT_CONFIG_FILE,
  formatIssues,
  loadConfig,
  parseYaml,
  validate,
} from './load.ts';
export type { LoadedConfig } from './load.ts';
export { sandboxLimits } from './limits.ts';
