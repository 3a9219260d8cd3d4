/**
 * Any server of the Anthropic Messages API as a backend, driven through @anthropic-ai/sdk: Claude, or
 * llama.cpp's server, vLLM, Ollama, LiteLLM, or `harness serve`. The SDK retries 408/409/429/5xx (529
 * included) with exponential backoff and enforces the timeout; at most `concurrency` requests are in
 * flight. Steering and readings are used only when the server advertises them in `GET /v1/models`.
 *
 * The API key is read from the environment and handed to the SDK only; it is never part of the identity,
 * a record, a log line or an error message the harness writes.
 */
import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AgentModel, ChatMessage, ModelReply, ModelRequest } from '../agent/types.ts';
import { InputError, PrerequisiteError } from '../errors.ts';
import type { ConditionRequest } from '../steering/index.ts';
import type { RequestExtensions, ResponseExtensions, ServedModel } from './extensions.ts';
import type {
  BackendCapabilities,
  BackendIdentity,
  BoundCondition,
  ModelBackend,
  Sampling,
} from './types.ts';

export const API_KEY_ENV = 'ANTHROPIC_API_KEY';

export interface AnthropicBackendOptions {
  /** The server's base URL (without /v1); default the SDK's (ANTHROPIC_BASE_URL, else Anthropic's API). */
  baseUrl?: string;
  /** The model name sent with every request. */
  name: string;
  /** Requests in flight at once. */
  concurrency: number;
  /** Retries after the first attempt on 408/409/429/5xx and connection errors. */
  maxRetries: number;
  /** Per request, seconds. */
  timeoutS: number;
  /** Where the API key is read from (ANTHROPIC_API_KEY); default process.env. */
  env?: Record<string, string | undefined>;
}

const STOP_REASONS: Record<string, ModelReply['stopReason']> = {
  end_turn: 'eos',
  stop_sequence: 'stop',
  max_tokens: 'length',
};

/** System messages become the `system` parameter; the rest the `messages` list, in order. */
export function toApiMessages(messages: readonly ChatMessage[]): {
  system?: string;
  messages: Anthropic.MessageParam[];
} {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    ...(system.length && { system: system.join('\n\n') }),
    messages: messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
  };
}

/** A failure of the server, in words that never include the key (the SDK's messages do not carry it). */
function describeFailure(error: unknown, host: string): string {
  if (error instanceof APIConnectionError)
    return `cannot reach the Messages API at ${host}: ${error.message}`;
  if (error instanceof APIError)
    return `the Messages API at ${host} answered ${error.status}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export class AnthropicBackend implements ModelBackend {
  private constructor(
    private readonly client: Anthropic,
    private readonly limit: LimitFunction,
    readonly identity: BackendIdentity,
    readonly capabilities: BackendCapabilities,
    private readonly served: ServedModel | undefined,
  ) {}

  /**
   * Connects and asks the server what it serves (`GET /v1/models`). PrerequisiteError (exit 2) when the
   * server cannot be reached or refuses the key, so a run stops before any sandbox starts.
   */
  static async open(o: AnthropicBackendOptions): Promise<AnthropicBackend> {
    const key = (o.env ?? process.env)[API_KEY_ENV];
    const client = new Anthropic({
      apiKey: key || null,
      baseURL: o.baseUrl,
      maxRetries: o.maxRetries,
      timeout: o.timeoutS * 1000,
      // A keyless server (a local `harness serve`) needs no authentication header at all.
      ...(!key && { defaultHeaders: { authorization: null } }),
    });
    const host = new URL(client.baseURL).host;
    let served: ServedModel | undefined;
    try {
      for await (const m of client.models.list()) {
        if (m.id === o.name) served = (m as Anthropic.ModelInfo & { harness?: ServedModel }).harness;
      }
    } catch (error) {
      if (error instanceof APIError && error.status === 401)
        throw new PrerequisiteError(
          `the Messages API at ${host} refused the request without a valid key`,
          `export ${API_KEY_ENV} with the server's key`,
        );
      // Servers that speak /v1/messages but list no models are still usable; anything else is fatal.
      if (!(error instanceof APIError && error.status === 404))
        throw new PrerequisiteError(
          describeFailure(error, host),
          `start the server, or point model.base_url at one (now ${client.baseURL})`,
        );
    }
    const identity: BackendIdentity = {
      backend: 'anthropic',
      name: o.name,
      host,
      ...(served && {
        file: served.file,
        sha256: served.sha256,
        quantization: served.quantization,
        layers: served.layers,
      }),
    };
    const capabilities = served?.capabilities ?? { steering: false, readings: false };
    return new AnthropicBackend(client, pLimit(o.concurrency), identity, capabilities, served);
  }

  private get host(): string {
    return this.identity.host!;
  }

  async bind(c: ConditionRequest, sampling: Sampling, emotions: readonly string[]): Promise<BoundCondition> {
    const steerTerms = c.steer.length ? c.id.split('&') : [];
    if (steerTerms.length && !this.capabilities.steering)
      throw new InputError(
        `condition ${c.id} steers, but the model at ${this.host} (${this.identity.name}) cannot be steered: only a server that advertises steering (\`harness serve\`) can; run without --steer or --conditions`,
      );
    const wanted = this.capabilities.readings
      ? emotions.filter((e) => this.served?.emotions.includes(e))
      : [];
    const missing = this.capabilities.readings ? emotions.filter((e) => !wanted.includes(e)) : [];
    if (missing.length)
      throw new InputError(
        `the model at ${this.host} cannot read ${missing.join(', ')}; it reads ${this.served!.emotions.join(', ')}`,
      );
    const extensions = (seed: number): RequestExtensions =>
      this.served
        ? {
            seed,
            ...(steerTerms.length && { steer: steerTerms }),
            ...(wanted.length && { readings: wanted }),
          }
        : {};
    // The server resolves the steering; count_tokens with the terms returns them in both units up front.
    const terms = steerTerms.length
      ? await this.call(async () => {
          const counted = (await this.client.messages.countTokens({
            model: this.identity.name,
            messages: [{ role: 'user', content: '.' }],
            steer: steerTerms,
          } as Anthropic.MessageCountTokensParams)) as Anthropic.MessageTokensCount & ResponseExtensions;
          return counted.steer ?? [];
        }, `condition ${c.id}`)
      : [];
    const model: AgentModel = {
      countTokens: (messages) =>
        this.call(async () => {
          const counted = await this.client.messages.countTokens({
            model: this.identity.name,
            ...toApiMessages(messages),
          });
          return counted.input_tokens;
        }, 'counting tokens'),
      generate: (request: ModelRequest) =>
        this.limit(() =>
          this.call(async () => {
            const params = {
              model: this.identity.name,
              max_tokens: request.maxTokens,
              temperature: sampling.temperature,
              top_p: sampling.topP,
              ...toApiMessages(request.messages),
              ...extensions(request.seed),
            };
            const message = (await this.client.messages.create(
              params as Anthropic.MessageCreateParamsNonStreaming,
            )) as Anthropic.Message & ResponseExtensions;
            const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
            const reply: ModelReply = {
              text,
              stopReason: STOP_REASONS[message.stop_reason ?? ''] ?? 'length',
              promptTokens: message.usage.input_tokens,
              completionTokens: message.usage.output_tokens,
              readings: message.readings?.emotions,
            };
            return reply;
          }, 'generating'),
        ),
    };
    return { model, condition: { id: c.id, steer: terms } };
  }

  /** Runs one SDK call; its failure leaves with the host named and nothing of the key. */
  private async call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof APIError && error.status === 400)
        throw new InputError(`${what}: ${describeFailure(error, this.host)}`);
      throw new Error(`${what}: ${describeFailure(error, this.host)}`);
    }
  }

  async dispose(): Promise<void> {}
}
