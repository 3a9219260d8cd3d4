/**
 * `harness serve` on the real default model, driven by the real @anthropic-ai/sdk client over HTTP, against
 * the same model generating in process: greedy text token for token, seeded sampling, the streamed event
 * order, steering, readings, and the error paths (400, 401, 404, 500, 529 with the backend's retries).
 */
import Anthropic, {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
} from '@anthropic-ai/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentModel, Readings } from '../../harness/agent/types.ts';
import { AnthropicBackend, LocalBackend, type ResponseExtensions } from '../../harness/backends/index.ts';
import { createServer } from '../../harness/serve/index.ts';
import { parseConditions } from '../../harness/steering/index.ts';
import { requireDefaultModel } from '../support/model.ts';

const SECRET = 'sk-test-serve-3f9a1c77e0b24d6b';
const CHAT = [{ role: 'user' as const, content: 'Write one sentence about the sea.' }];
const TOKENS = 16;

let served: LocalBackend;
let inProcess: LocalBackend;
let app: FastifyInstance;
let url: string;
let client: Anthropic;
let name: string;
const statuses: number[] = [];

/**
 * A non-streaming request with any fields: the SDK sends what it is given, and its types no longer list
 * the sampling parameters (temperature, top_p, top_k) or know the server's extensions.
 */
function ask(c: Anthropic, params: Record<string, unknown>): Promise<Anthropic.Message & ResponseExtensions> {
  return c.messages.create(params as unknown as Anthropic.MessageCreateParamsNonStreaming);
}

async function listen(server: FastifyInstance): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const open = (maxBatch: number, prefixEntries: number) =>
  LocalBackend.open({
    path: requireDefaultModel(),
    load: { maxBatch, prefixEntries },
    probeLayer: null,
    steeringLayers: 4,
    randomSeed: 1,
  });

/** The run's in-process path: a condition bound to the local backend. */
async function inProcessModel(
  condition: string,
  temperature: number,
  emotions: string[] = [],
): Promise<AgentModel> {
  const bound = await inProcess.bind(parseConditions(condition)[0]!, { temperature, topP: 1 }, emotions);
  return bound.model;
}

beforeAll(async () => {
  served = await open(8, 0);
  inProcess = await open(1, 0);
  app = createServer(served, { maxQueue: 1, bodyLimitBytes: 1 << 16 });
  app.addHook('onResponse', async (_req, reply) => {
    statuses.push(reply.statusCode);
  });
  url = await listen(app);
  client = new Anthropic({
    apiKey: null,
    baseURL: url,
    defaultHeaders: { authorization: null },
    maxRetries: 0,
  });
  name = (await client.models.list()).data[0]!.id;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await served?.dispose();
  await inProcess?.dispose();
});

describe('harness serve through the SDK', () => {
  it('greedy: the same text and token count as in-process generation', async () => {
    const local = await (await inProcessModel('baseline', 0)).generate({
      messages: CHAT,
      maxTokens: TOKENS,
      seed: 0,
    });
    const remote = await ask(client, {
      model: name,
      max_tokens: TOKENS,
      temperature: 0,
      top_p: 1,
      messages: CHAT,
    });
    expect(remote.content).toEqual([{ type: 'text', text: local.text }]);
    expect(remote.usage).toMatchObject({
      input_tokens: local.promptTokens,
      output_tokens: local.completionTokens,
    });
    expect(remote.stop_reason).toBe(local.stopReason === 'length' ? 'max_tokens' : 'end_turn');
  });

  it('temperature 0.8: the same seed gives the same text twice, as in process', async () => {
    const sample = (seed: number) =>
      ask(client, {
        model: name,
        max_tokens: TOKENS,
        temperature: 0.8,
        top_p: 1,
        messages: CHAT,
        seed,
      });
    const [a, b] = [await sample(7), await sample(7)];
    const local = await (await inProcessModel('baseline', 0.8)).generate({
      messages: CHAT,
      maxTokens: TOKENS,
      seed: 7,
    });
    expect(a.content).toEqual(b.content);
    expect(a.content).toEqual([{ type: 'text', text: local.text }]);
  });

  it('streams the events in the API order, joining to the non-streamed text', async () => {
    const params = { model: name, max_tokens: TOKENS, temperature: 0, messages: CHAT };
    const whole = await ask(client, params);
    const events: Anthropic.RawMessageStreamEvent[] = [];
    const stream = client.messages.create({
      ...params,
      stream: true,
    } as unknown as Anthropic.MessageCreateParamsStreaming);
    for await (const event of await stream) events.push(event);
    const order = events.map((e) => e.type).filter((t) => t !== 'content_block_delta');
    expect(order).toEqual([
      'message_start',
      'content_block_start',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.slice(2, -3);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((e) => e.type === 'content_block_delta')).toBe(true);
    const text = deltas
      .map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''))
      .join('');
    expect(whole.content).toEqual([{ type: 'text', text }]);
    const end = events.at(-2) as Anthropic.RawMessageDeltaEvent;
    expect(end.delta.stop_reason).toBe(whole.stop_reason);
    expect(end.usage.output_tokens).toBe(whole.usage.output_tokens);
  });

  it('steering and readings through the API equal the in-process ones', async () => {
    const emotions = ['desperation', 'calm'];
    const local = await (await inProcessModel('desperation=-2', 0, emotions)).generate({
      messages: CHAT,
      maxTokens: TOKENS,
      seed: 0,
    });
    const plain = await (await inProcessModel('baseline', 0)).generate({
      messages: CHAT,
      maxTokens: TOKENS,
      seed: 0,
    });
    const remote = await ask(client, {
      model: name,
      max_tokens: TOKENS,
      temperature: 0,
      top_p: 1,
      messages: CHAT,
      steer: ['desperation=-2'],
      readings: emotions,
    });
    expect(local.text).not.toBe(plain.text);
    expect(remote.content).toEqual([{ type: 'text', text: local.text }]);
    expect(remote.steer).toEqual([
      expect.objectContaining({ vector: 'desperation', unit: 'sd', sd: -2, layers: inProcess.steerLayers }),
    ]);
    const api: Readings = remote.readings!.emotions;
    expect(Object.keys(api).sort()).toEqual(['calm', 'desperation']);
    for (const e of emotions) {
      const [got, want] = [api[e]!, local.readings![e]!];
      for (const k of ['mean', 'lastPrompt', 'max', 'meanCosine'] as const)
        expect(got[k]).toBeCloseTo(want[k], 4);
      expect(got.perToken).toHaveLength(want.perToken.length);
      const worst = Math.max(...got.perToken.map((v, i) => Math.abs(v - want.perToken[i]!)));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('answers a malformed body, a body too large, an unknown field, a bad steering term, an unknown emotion and an unknown model in the API error shape', async () => {
    const raw = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": "x", "messages": [',
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const huge = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: name,
        max_tokens: 1,
        messages: [{ role: 'user', content: 'x'.repeat(1 << 17) }],
      }),
    });
    expect(huge.status, await huge.clone().text()).toBe(413);
    expect(await huge.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const unknownField = ask(client, { model: name, max_tokens: 4, messages: CHAT, tools: [] });
    await expect(unknownField).rejects.toThrow(/400 .*Unrecognized key: \\"tools\\"|400 .*tools/);

    const missing = ask(client, { model: name, messages: CHAT });
    await expect(missing).rejects.toThrow(BadRequestError);
    await expect(missing).rejects.toThrow(/max_tokens/);

    const steer = (term: string) =>
      ask(client, {
        model: name,
        max_tokens: 4,
        messages: CHAT,
        steer: [term],
      });
    await expect(steer('desperation=lots')).rejects.toThrow(
      /invalid_request_error.*steering strength for desperation must be c or csd .*received .*lots/,
    );
    await expect(steer('gloom=-2')).rejects.toThrow(
      /unknown steering vector .*gloom.*; valid names: desperation/,
    );
    const readings = ask(client, {
      model: name,
      max_tokens: 4,
      messages: CHAT,
      readings: ['gloom'],
    });
    await expect(readings).rejects.toThrow(BadRequestError);
    await expect(ask(client, { model: 'claude-x', max_tokens: 4, messages: CHAT })).rejects.toThrow(
      NotFoundError,
    );
  });

  it('a fault of the server itself (its model released under it) is a 500 api_error in the API error shape, and the server keeps answering', async () => {
    const released = await open(1, 0);
    const server = createServer(released, { maxQueue: 1, bodyLimitBytes: 1 << 16 });
    try {
      const at = await listen(server);
      const c = new Anthropic({
        apiKey: null,
        baseURL: at,
        defaultHeaders: { authorization: null },
        maxRetries: 0,
      });
      await released.dispose();
      const failed = ask(c, { model: name, max_tokens: 4, temperature: 0, messages: CHAT });
      await expect(failed).rejects.toBeInstanceOf(InternalServerError);
      await expect(failed).rejects.toThrow(
        /^500 \{"type":"error","error":\{"type":"api_error","message":"internal error: Session already disposed\."\}\}$/,
      );
      // The server answers the next request as well (here with the same fault), and the main server is unaffected.
      await expect(ask(c, { model: name, max_tokens: 4, messages: CHAT })).rejects.toBeInstanceOf(
        InternalServerError,
      );
      const fine = await ask(client, { model: name, max_tokens: 4, temperature: 0, messages: CHAT });
      expect(fine.usage.output_tokens).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('with a key configured: 401 without it or with a wrong one, and the key is never echoed', async () => {
    const locked = createServer(served, { apiKey: SECRET, maxQueue: 4, bodyLimitBytes: 1 << 16 });
    const lockedUrl = await listen(locked);
    try {
      const anonymous = new Anthropic({
        apiKey: null,
        baseURL: lockedUrl,
        defaultHeaders: { authorization: null },
        maxRetries: 0,
      });
      await expect(anonymous.models.list()).rejects.toThrow(AuthenticationError);
      const wrong = new Anthropic({ apiKey: `${SECRET}x`, baseURL: lockedUrl, maxRetries: 0 });
      const refused = await wrong.messages
        .create({ model: name, max_tokens: 2, messages: CHAT })
        .catch((e: Error) => e);
      expect(refused).toBeInstanceOf(AuthenticationError);
      expect(String(refused)).not.toContain(SECRET);
      const keyed = new Anthropic({ apiKey: SECRET, baseURL: lockedUrl, maxRetries: 0 });
      const ok = await ask(keyed, { model: name, max_tokens: 2, temperature: 0, messages: CHAT });
      expect(ok.usage.output_tokens).toBe(2);
    } finally {
      await locked.close();
    }
  });

  it('queue full: 529 overloaded_error, and the backend retries until it succeeds', async () => {
    statuses.length = 0;
    const backend = await AnthropicBackend.open({
      baseUrl: url,
      name,
      concurrency: 1,
      maxRetries: 6,
      timeoutS: 120,
      env: {},
    });
    expect(backend.capabilities).toEqual({ steering: true, readings: true });
    expect(backend.identity).toMatchObject({
      backend: 'anthropic',
      name,
      host: new URL(url).host,
      layers: 30,
    });
    const { model } = await backend.bind(parseConditions('baseline')[0]!, { temperature: 0, topP: 1 }, []);
    // The stream's headers arrive once the server has accepted it: it now holds the only queue slot.
    const long = await client.messages.create({
      model: name,
      max_tokens: 48,
      temperature: 0,
      messages: CHAT,
      stream: true,
    } as unknown as Anthropic.MessageCreateParamsStreaming);
    const reply = await model.generate({ messages: CHAT, maxTokens: 4, seed: 0 });
    let streamed = 0;
    for await (const e of long) if (e.type === 'content_block_delta') streamed++;
    expect(streamed).toBeGreaterThan(0);
    expect(statuses).toContain(529);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(reply.completionTokens).toBe(4);
    const direct = await ask(client, { model: name, max_tokens: 4, temperature: 0, messages: CHAT });
    expect(direct.content).toEqual([{ type: 'text', text: reply.text }]);
  });
});
