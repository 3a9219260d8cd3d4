/** Model backends behind one interface: the local model, and any Messages API server through the SDK. */
export { API_KEY_ENV, AnthropicBackend, type AnthropicBackendOptions, toApiMessages } from './anthropic.ts';
export type { ApiReadings, RequestExtensions, ResponseExtensions, ServedModel } from './extensions.ts';
export { openBackend, type OpenOptions } from './open.ts';
export { LocalBackend, type LocalBackendOptions, type ResolvedCondition } from './local.ts';
export type {
  BackendCapabilities,
  BackendIdentity,
  BoundCondition,
  ModelBackend,
  Sampling,
} from './types.ts';
