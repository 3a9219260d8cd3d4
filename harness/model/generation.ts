/** The generation interface of the local model, and the stopping criteria of its loop. */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Adds coefficient * vector to the residual stream after each listed block, at every position. */
export interface SteerSpec {
  vector: Float32Array;
  coefficient: number;
  layers: number[];
}

export interface GenerateRequest {
  /**
   * Rendered with the model's chat template. Content is text: control-token text inside it (say
   * `<|im_start|>`) is tokenized as plain text; only the template's own markers are control tokens.
   */
  messages?: ChatMessage[];
  /** Raw text, used as is (no chat template); exactly one of messages and prompt. */
  prompt?: string;
  maxTokens: number;
  /**
   * Sampling (see SAMPLING_RANGES): temperature in [0, 2], 0 = greedy (the default); top-p in (0, 1];
   * top-k a positive integer; seed an integer. generate() rejects a value outside these with
   * SamplingParamsError.
   */
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop?: string[];
  steer?: SteerSpec[];
  readout?: { layers: number[] };
  /**
   * Receives each piece of reply text as soon as it decodes to whole characters and cannot be the start
   * of a stop sequence; the pieces join to the result's text.
   */
  onToken?: (text: string, tokenId: number) => void;
}

export type StopReason = 'eos' | 'stop' | 'length';

export interface LayerReadings {
  layer: number;
  /** Residual after the block, [hidden] per token. */
  prompt: Float32Array[];
  reply: Float32Array[];
}

export interface GenerateResult {
  text: string;
  tokenIds: number[];
  stopReason: StopReason;
  usage: { promptTokens: number; completionTokens: number; durationMs: number };
  readings?: LayerReadings[];
}

/** What a stopping criterion sees of one sequence. */
export interface ReplyState {
  tokenIds: number[];
  text: string;
}

export interface StoppingCriterion {
  check(state: ReplyState): StopReason | undefined;
}

export class EosCriterion implements StoppingCriterion {
  constructor(private readonly eosIds: ReadonlySet<number>) {}
  check(state: ReplyState): StopReason | undefined {
    const last = state.tokenIds.at(-1);
    return last !== undefined && this.eosIds.has(last) ? 'eos' : undefined;
  }
}

export class MaxTokensCriterion implements StoppingCriterion {
  constructor(private readonly maxTokens: number) {}
  check(state: ReplyState): StopReason | undefined {
    return state.tokenIds.length >= this.maxTokens ? 'length' : undefined;
  }
}

export class StopSequenceCriterion implements StoppingCriterion {
  constructor(private readonly stops: string[]) {}
  check(state: ReplyState): StopReason | undefined {
    return this.stops.some((s) => s && state.text.includes(s)) ? 'stop' : undefined;
  }
  /**
   * Characters at the end of `text` that begin a stop sequence without completing it: the longest such
   * end. Streaming holds them back until the next tokens either complete the stop sequence (they are then
   * cut) or rule it out.
   */
  pending(text: string): number {
    let hold = 0;
    for (const s of this.stops)
      for (let k = Math.min(s.length - 1, text.length); k > hold; k--)
        if (text.endsWith(s.slice(0, k))) {
          hold = k;
          break;
        }
    return hold;
  }

  /** The text before the earliest stop sequence. */
  cut(text: string): string {
    let end = text.length;
    for (const s of this.stops) {
      const at = s ? text.indexOf(s) : -1;
      if (at >= 0) end = Math.min(end, at);
    }
    return text.slice(0, end);
  }
}
