/**
 * The Anthropic backend against a server without the harness extensions (as llama.cpp's or vLLM's
 * /v1/messages are): a small fastify stand-in that answers in the API's shape and records what it got.
 * Steering is refused up front, no extension field is ever sent, and replies map onto the agent's shape.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicBackend } from '../../harness/backends/index.ts';
import { InputError } from '../../harness/errors.ts';
import { parseConditions } from '../../harness/steering/index.ts';

let app: FastifyInstance;
let url: string;
const bodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  app = Fastify();
  app.get('/v1/models', async () => ({
    data: [{ type: 'model', id: 'plain', display_name: 'plain', created_at: '2025-01-01T00:00:00Z' }],
    has_more: false,
    first_id: 'plain',
    last_id: 'plain',
  }));
  app.post('/v1/messages/count_tokens', async () => ({ input_tokens: 17 }));
  app.post('/v1/messages', async (req) => {
    bodies.push(req.body as Record<string, unknown>);
    return {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'plain',
      content: [
        { type: 'text', text: 'Hello' },
        { type: 'text', text: ' there' },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
      usage: { input_tokens: 17, output_tokens: 3 },
    };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app?.close();
});

describe('AnthropicBackend against a server without extensions', () => {
  it('says up front that it cannot steer or read, and refuses a steered condition', async () => {
    const backend = await AnthropicBackend.open({
      baseUrl: url,
      name: 'plain',
      concurrency: 2,
      maxRetries: 0,
      timeoutS: 10,
      env: {},
    });
    expect(backend.capabilities).toEqual({ steering: false, readings: false });
    expect(backend.identity).toEqual({ backend: 'anthropic', name: 'plain', host: new URL(url).host });
    const bind = backend.bind(parseConditions('desperation=-2')[0]!, { temperature: 0.7, topP: 0.95 }, [
      'desperation',
    ]);
    await expect(bind).rejects.toThrow(InputError);
    await expect(bind).rejects.toThrow(
      /condition desperation=-2 steers, but the model at .* cannot be steered/,
    );
  });

  it('sends a plain Messages API request and maps the reply', async () => {
    const backend = await AnthropicBackend.open({
      baseUrl: url,
      name: 'plain',
      concurrency: 2,
      maxRetries: 0,
      timeoutS: 10,
      env: {},
    });
    const { model, condition } = await backend.bind(
      parseConditions('baseline')[0]!,
      { temperature: 0.7, topP: 0.95 },
      ['desperation'],
    );
    expect(condition).toEqual({ id: 'baseline', steer: [] });
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    expect(await model.countTokens(messages)).toBe(17);
    const reply = await model.generate({ messages, maxTokens: 8, seed: 3 });
    expect(reply).toEqual({
      text: 'Hello there',
      stopReason: 'stop',
      promptTokens: 17,
      completionTokens: 3,
      readings: undefined,
    });
    expect(bodies.at(-1)).toEqual({
      model: 'plain',
      max_tokens: 8,
      temperature: 0.7,
      top_p: 0.95,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });
});
