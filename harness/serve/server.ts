/**
 * `harness serve`: the local model behind the Anthropic Messages API (fastify). Concurrent requests join
 * the runtime's continuous batch; requests past the queue limit get 529 overloaded_error, as the API's
 * own servers answer. Steering, readings and a sampling seed are documented extensions
 * (harness/backends/extensions.ts); a client that sends none of them gets a plain Messages API reply.
 */
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ChatMessage } from '../agent/types.ts';
import type { ApiReadings, ResponseExtensions, ServedModel } from '../backends/extensions.ts';
import type { LocalBackend, ResolvedCondition } from '../backends/local.ts';
import { InputError } from '../errors.ts';
import type { GenerateResult } from '../model/generation.ts';
import { getVector, resolveEmotion } from '../probes/index.ts';
import { parseSteer } from '../steering/index.ts';
import { ApiError } from './api-error.ts';
import {
  type CountTokensRequest,
  CountTokensRequestSchema,
  chatMessages,
  MessagesRequestSchema,
  parseBody,
} from './request.ts';

export interface ServeOptions {
  /** The key every request must carry (x-api-key, or Authorization: Bearer); none = open. */
  apiKey?: string;
  /** Requests accepted at once, generating or waiting for a batch slot; more get 529. */
  maxQueue: number;
  /** Largest request body, bytes; more get 413. */
  bodyLimitBytes: number;
}

const STOP_REASONS = { eos: 'end_turn', stop: 'stop_sequence', length: 'max_tokens' } as const;

/** Compares digests, so the time taken says nothing about how much of the key matched. */
function sameKey(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function givenKey(req: FastifyRequest): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1];
}

/** A fault as the API reports it: our own ApiErrors as they are, bad input 400, anything else 500. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as { statusCode?: number; code?: string; message?: string };
  // fastify's own parsing errors (malformed JSON, empty body, wrong content type, too large); some of
  // them are RangeErrors, so they are told apart by their code first.
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError(413, 'the request body is too large');
  if (e.code?.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500)
    return new ApiError(400, e.message ?? 'bad request');
  if (error instanceof InputError || error instanceof RangeError) return new ApiError(400, error.message);
  return new ApiError(500, `internal error: ${e.message ?? String(error)}`);
}

/** What a request asks beyond the conversation, checked before it takes a queue slot. */
interface Prepared {
  messages: ChatMessage[];
  steer: ResolvedCondition;
  emotions: string[];
}

export function createServer(backend: LocalBackend, o: ServeOptions): FastifyInstance {
  const name = backend.identity.name;
  const app = Fastify({ logger: false, bodyLimit: o.bodyLimitBytes });
  let accepted = 0;

  const served: ServedModel = {
    capabilities: backend.capabilities,
    file: backend.identity.file!,
    sha256: backend.identity.sha256!,
    quantization: backend.identity.quantization!,
    layers: backend.identity.layers!,
    emotions: [...backend.vectors.emotions],
  };
  const modelInfo = {
    type: 'model',
    id: name,
    display_name: name,
    created_at: new Date(0).toISOString(),
    harness: served,
  };

  app.setErrorHandler((error, _req, reply) => {
    const api = toApiError(error);
    void reply.status(api.status).send(api.body());
  });
  app.setNotFoundHandler((req, reply) => {
    const api = new ApiError(404, `no route ${req.method} ${req.url}`);
    void reply.status(404).send(api.body());
  });
  app.addHook('onRequest', async (req) => {
    if (o.apiKey === undefined) return;
    const key = givenKey(req);
    if (key === undefined || !sameKey(key, o.apiKey))
      throw new ApiError(401, 'a valid API key is required in the x-api-key header');
  });

  const prepare = (body: CountTokensRequest): Prepared => {
    if (body.model !== name)
      throw new ApiError(
        404,
        `model ${JSON.stringify(body.model)} is not served here; this server serves ${name}`,
      );
    const emotions = (body.readings ?? []).map((e) => {
      getVector(backend.vectors, e, backend.layer);
      return resolveEmotion(e);
    });
    return {
      messages: chatMessages(body),
      steer: backend.resolve((body.steer ?? []).map((t) => parseSteer(t))),
      emotions,
    };
  };

  const extensions = (p: Prepared, result: GenerateResult): ResponseExtensions => {
    const emotions = p.emotions.length ? backend.readings(result, p.emotions) : undefined;
    const readings: ApiReadings | undefined = emotions && { layer: backend.layer, emotions };
    return { ...(readings && { readings }), ...(p.steer.terms.length && { steer: p.steer.terms }) };
  };

  /** The stop sequence that ended the reply: the one found where the returned text was cut. */
  const stopSequence = (result: GenerateResult, stops: string[] | undefined): string | null => {
    if (result.stopReason !== 'stop') return null;
    const full = backend.model.codec.decode(result.tokenIds);
    return (stops ?? []).find((s) => full.startsWith(s, result.text.length)) ?? null;
  };

  app.get('/v1/models', async () => ({ data: [modelInfo], has_more: false, first_id: name, last_id: name }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', async (req) => {
    if (req.params.id !== name)
      throw new ApiError(404, `no model ${JSON.stringify(req.params.id)}; this server serves ${name}`);
    return modelInfo;
  });

  app.post('/v1/messages/count_tokens', async (req) => {
    const p = prepare(parseBody(CountTokensRequestSchema, req.body));
    return {
      input_tokens: backend.model.countChatTokens(p.messages),
      ...(p.steer.terms.length && { steer: p.steer.terms }),
    };
  });

  app.post('/v1/messages', async (req, reply) => {
    const body = parseBody(MessagesRequestSchema, req.body);
    const p = prepare(body);
    if (accepted >= o.maxQueue)
      throw new ApiError(
        529,
        `the server is overloaded: ${accepted} requests are queued (limit ${o.maxQueue})`,
      );
    accepted++;
    try {
      const id = `msg_${randomUUID().replaceAll('-', '')}`;
      const request = {
        messages: p.messages,
        maxTokens: body.max_tokens,
        temperature: body.temperature ?? 1,
        topP: body.top_p,
        topK: body.top_k,
        seed: body.seed ?? randomInt(0, 2 ** 32),
        stop: body.stop_sequences,
        steer: p.steer.steer,
        ...(p.emotions.length && { readout: { layers: [backend.layer] } }),
      };
      if (body.stream) return await stream(reply, id, body.stop_sequences, p, request);
      const result = await backend.model.generate(request);
      return {
        id,
        type: 'message',
        role: 'assistant',
        model: name,
        content: [{ type: 'text', text: result.text }],
        stop_reason: STOP_REASONS[result.stopReason],
        stop_sequence: stopSequence(result, body.stop_sequences),
        usage: { input_tokens: result.usage.promptTokens, output_tokens: result.usage.completionTokens },
        ...extensions(p, result),
      };
    } finally {
      accepted--;
    }
  });

  /**
   * Server-sent events in the API's order: message_start, content_block_start, ping, content_block_delta
   * per piece of text, content_block_stop, message_delta (stop reason, usage, extensions), message_stop.
   * A failure after the stream began is an `error` event, as the API sends it.
   */
  async function stream(
    reply: FastifyReply,
    id: string,
    stops: string[] | undefined,
    p: Prepared,
    request: Parameters<LocalBackend['model']['generate']>[0],
  ): Promise<FastifyReply> {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = (event: string, data: object) => {
      if (!raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
    };
    send('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: name,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: backend.model.countChatTokens(p.messages), output_tokens: 0 },
      },
    });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('ping', {});
    let sent = '';
    const delta = (text: string) => {
      sent += text;
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
    };
    try {
      const result = await backend.model.generate({ ...request, onToken: (text) => delta(text) });
      // A reply ending inside a multi-byte character was held back by the streamer: send what is left.
      if (result.text.length > sent.length && result.text.startsWith(sent))
        delta(result.text.slice(sent.length));
      send('content_block_stop', { index: 0 });
      send('message_delta', {
        delta: { stop_reason: STOP_REASONS[result.stopReason], stop_sequence: stopSequence(result, stops) },
        usage: { output_tokens: result.usage.completionTokens },
        ...extensions(p, result),
      });
      send('message_stop', {});
    } catch (error) {
      send('error', { error: toApiError(error).body().error });
    }
    raw.end();
    return reply;
  }

  return app;
}
