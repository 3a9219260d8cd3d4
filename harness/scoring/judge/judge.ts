/**
 * The LLM judge: a second opinion on each episode from a model behind a backend (a Messages API server,
 * or a local GGUF model), stored beside the deterministic verdict and never replacing it. A judge that
 * fails or answers outside the format leaves an opinion with `error` set; the episode is unaffected.
 */
import type { AgentModel } from '../../agent/types.ts';
import { AnthropicBackend, LocalBackend, type ModelBackend } from '../../backends/index.ts';
import type { HarnessConfig } from '../../config/index.ts';
import type { JudgeOpinion, Transcript } from '../../log/index.ts';
import { resolveModelPath } from '../../model/fetch.ts';
import { parseJudgeReply } from './answer.ts';
import { type JudgedTask, judgeMessages } from './prompt.ts';

export type JudgeConfig = NonNullable<HarnessConfig['scoring']['judge']>;

export class Judge {
  private constructor(
    private readonly backend: ModelBackend,
    private readonly model: AgentModel,
    private readonly maxTokens: number,
  ) {}

  /** Opens the judge's backend; PrerequisiteError (exit 2) when its model or server is missing. */
  static async open(config: JudgeConfig): Promise<Judge> {
    const backend: ModelBackend =
      config.backend === 'anthropic'
        ? await AnthropicBackend.open({
            baseUrl: config.base_url ?? undefined,
            name: config.model,
            concurrency: 2,
            maxRetries: 4,
            timeoutS: 600,
          })
        : await LocalBackend.open({
            path: resolveModelPath(config.model),
            load: { maxBatch: 2 },
            probeLayer: null,
            steeringLayers: 1,
            randomSeed: 0,
          });
    try {
      const { model } = await backend.bind(
        { id: 'baseline', steer: [] },
        { temperature: config.temperature, topP: 1 },
        [],
      );
      return new Judge(backend, model, config.max_tokens);
    } catch (error) {
      await backend.dispose();
      throw error;
    }
  }

  /** The judge's opinion of one finished episode; `seed` makes a sampled judge repeatable. */
  async judge(task: JudgedTask, transcript: Transcript, seed: number): Promise<JudgeOpinion> {
    const { backend, name, host } = this.backend.identity;
    const base = { backend, model: name, ...(host && { host }) };
    try {
      const reply = await this.model.generate({
        messages: judgeMessages(task, transcript),
        maxTokens: this.maxTokens,
        seed,
      });
      const tokens = { inputTokens: reply.promptTokens, outputTokens: reply.completionTokens };
      const parsed = parseJudgeReply(reply.text);
      if ('error' in parsed) return { ...base, ...tokens, raw: reply.text, lines: [], error: parsed.error };
      const { verdict, strategy, rationale, lines } = parsed.reply;
      return { ...base, ...tokens, raw: reply.text, answer: verdict, strategy, rationale, lines };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, raw: '', lines: [], error: message, inputTokens: 0, outputTokens: 0 };
    }
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}

export const openJudge = (config: JudgeConfig): Promise<Judge> => Judge.open(config);
