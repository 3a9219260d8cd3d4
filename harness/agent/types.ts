/** The agent loop's view of its collaborators: a model bound to one condition, a sandbox, a test runner. */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Probe readings of one reply, per emotion: the per-attempt aggregates and the per-token series. */
export interface EmotionReading {
  /** mean, lastPrompt and max in standard deviations of neutral text (see probes/readings.ts). */
  z: { mean: number; lastPrompt: number; max: number };
  /** Mean projection over the reply's tokens. */
  mean: number;
  /** Projection at the last prompt token (the position just before the reply starts). */
  lastPrompt: number;
  max: number;
  meanCosine: number;
  /** Per reply token, in standard deviations of neutral text. */
  perToken: number[];
}

export type Readings = Record<string, EmotionReading>;

export interface ModelRequest {
  messages: ChatMessage[];
  maxTokens: number;
  seed: number;
}

export interface ModelReply {
  text: string;
  stopReason: 'eos' | 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
  readings?: Readings;
  /** The unsteered model's mean NLL per token of this reply (nats), when the model can say. */
  unsteeredNll?: { mean: number; tokens: number };
}

/**
 * A model with its sampling settings, steering and probe readout already bound: the loop never knows
 * which condition it runs under.
 */
export interface AgentModel {
  generate(request: ModelRequest): Promise<ModelReply>;
  /** Prompt tokens of a conversation, chat template applied (a remote backend asks its server). */
  countTokens(messages: ChatMessage[]): Promise<number>;
}

export interface TestFailure {
  id: string;
  message: string;
}

export interface TestFeedback {
  passed: number;
  failed: number;
  total: number;
  allPassed: boolean;
  timedOut: boolean;
  failures: TestFailure[];
  /** Per-test statuses by id, kept in the record. */
  tests: Record<string, string>;
}

/** What the loop needs of a task. */
export interface AgentTask {
  id: string;
  spec: string;
  workspace: Map<string, Buffer>;
  visibleTests: string[];
  solutionPaths: string[];
}

export interface AgentLimits {
  maxAttempts: number;
  maxReplyTokens: number;
  /** Tokens of prompt plus reply the model may see. */
  contextTokens: number;
  wallTimeS: number;
  /** Characters of test feedback per attempt; more is cut with a note. */
  feedbackChars: number;
  allowImpossibleFlag: boolean;
}
