/** A model backend: what produces the agent's replies, bound one condition at a time. */
import type { AgentModel } from '../agent/types.ts';
import type { Condition } from '../log/index.ts';
import type { ConditionRequest } from '../steering/index.ts';

/** What a backend can do beyond plain text generation, known before anything starts. */
export interface BackendCapabilities {
  /** Adds emotion vectors to the residual stream (the `steer` of a condition). */
  steering: boolean;
  /** Returns per-token probe readings of each reply. */
  readings: boolean;
}

/** Which model produced a record: the backend, the model's name, the server (never a key). */
export interface BackendIdentity {
  backend: 'local' | 'anthropic';
  /** The local model's file name without extension, or the name sent to the Messages API. */
  name: string;
  /** Host and port of the Messages API server; absent for the local model. */
  host?: string;
  /** What the model's owner reports of its weights, when known (the local model, `harness serve`). */
  file?: string;
  sha256?: string;
  quantization?: string;
  layers?: number;
}

export interface Sampling {
  /** 0 = greedy. */
  temperature: number;
  topP: number;
}

export interface BoundCondition {
  model: AgentModel;
  /** The condition as records carry it: each steering term in both units, and the blocks it is added after. */
  condition: Condition;
}

export interface ModelBackend {
  readonly identity: BackendIdentity;
  readonly capabilities: BackendCapabilities;
  /**
   * The backend under one condition, reading `emotions` at every reply when it can. Throws InputError when
   * the condition steers and the backend cannot, or a steering term is refused.
   */
  bind(condition: ConditionRequest, sampling: Sampling, emotions: readonly string[]): Promise<BoundCondition>;
  dispose(): Promise<void>;
}
