/**
 * Binds the local model to one condition for the agent loop: sampling settings, the condition's steering
 * and the probe readout, so that the loop itself never branches on the condition.
 */
import type { AgentModel, ChatMessage, ModelReply, ModelRequest, Readings } from '../agent/types.ts';
import type { GenerateRequest, GenerateResult, SteerSpec } from '../model/generation.ts';
import { type EmotionVectors, readTurn } from '../probes/index.ts';

/** What the adapter needs of the model runtime. */
export interface GeneratingModel {
  generate(request: GenerateRequest): Promise<GenerateResult>;
  countChatTokens(messages: ChatMessage[]): number;
  /** See ModelRuntime.replyNll; absent when the model cannot score text. */
  replyNll?(
    messages: ChatMessage[],
    replyIds: readonly number[],
    contextTokens: number,
  ): Promise<{ mean: number; tokens: number }>;
}

/**
 * Prompt tokens before the reply that the coherence score conditions on: enough for the reply's immediate
 * context (the end of the task or of the test feedback), short enough that scoring costs a fraction of
 * generating.
 */
export const COHERENCE_CONTEXT_TOKENS = 256;

export interface ProbeReadout {
  vectors: EmotionVectors;
  emotions: string[];
  layer: number;
}

export interface Sampling {
  temperature: number;
  topP: number;
}

export function bindModel(
  model: GeneratingModel,
  sampling: Sampling,
  steer: SteerSpec[],
  readout: ProbeReadout | undefined,
): AgentModel {
  return {
    countTokens: async (messages) => model.countChatTokens(messages),
    async generate(request: ModelRequest): Promise<ModelReply> {
      const result = await model.generate({
        messages: request.messages,
        maxTokens: request.maxTokens,
        seed: request.seed,
        temperature: sampling.temperature,
        topP: sampling.topP,
        steer,
        ...(readout && { readout: { layers: [readout.layer] } }),
      });
      const unsteeredNll =
        model.replyNll && result.tokenIds.length
          ? await model.replyNll(request.messages, result.tokenIds, COHERENCE_CONTEXT_TOKENS)
          : undefined;
      return {
        text: result.text,
        stopReason: result.stopReason,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        readings: readout ? readingsOf(result, readout) : undefined,
        ...(unsteeredNll && { unsteeredNll }),
      };
    },
  };
}

export function readingsOf(result: GenerateResult, readout: ProbeReadout): Readings | undefined {
  const layer = result.readings?.find((r) => r.layer === readout.layer);
  if (!layer || layer.reply.length === 0) return undefined;
  const { tokens, aggregates } = readTurn(layer, readout.vectors, readout.emotions);
  const readings: Readings = {};
  for (const t of tokens) {
    const aggregate = aggregates[t.emotion];
    if (!aggregate) continue;
    readings[t.emotion] = { ...aggregate, perToken: Array.from(t.z.subarray(layer.prompt.length)) };
  }
  return readings;
}
