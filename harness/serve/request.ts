/**
 * The request bodies `harness serve` accepts: the Messages API's (text content only) plus the documented
 * extensions (harness/backends/extensions.ts). Strict: a field the server does not implement (tools,
 * images, thinking) is a 400 naming it, never silently ignored.
 */
import { z } from 'zod';
import type { ChatMessage } from '../agent/types.ts';
import { ApiError } from './api-error.ts';

const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).strict();
const Content = z.union([z.string(), z.array(TextBlock).min(1)]);

const MessageParam = z.object({ role: z.enum(['user', 'assistant']), content: Content }).strict();

const Common = {
  model: z.string().min(1),
  system: Content.optional(),
  messages: z.array(MessageParam).min(1),
  metadata: z.object({ user_id: z.string().nullable().optional() }).strict().optional(),
  steer: z.array(z.string().min(1)).optional(),
  readings: z.array(z.string().min(1)).optional(),
};

export const MessagesRequestSchema = z
  .object({
    ...Common,
    max_tokens: z.number().int().positive(),
    temperature: z.number().min(0).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
    stop_sequences: z.array(z.string().min(1)).optional(),
    stream: z.boolean().optional(),
    seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  })
  .strict();

export const CountTokensRequestSchema = z.object(Common).strict();

export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof CountTokensRequestSchema>;

/** Validates a body; ApiError 400 naming each offending field, what it expected and what it got. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null || typeof body !== 'object')
    throw new ApiError(400, 'the request body must be a JSON object');
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : 'body';
    return `${path}: ${i.message}`;
  });
  throw new ApiError(400, problems.join('; '));
}

function text(content: z.infer<typeof Content>): string {
  return typeof content === 'string' ? content : content.map((b) => b.text).join('');
}

/**
 * The conversation for the chat template: the system prompt first, then the turns. A trailing assistant
 * turn (a prefilled reply) cannot be continued by the chat template and is refused.
 */
export function chatMessages(body: CountTokensRequest): ChatMessage[] {
  if (body.messages.at(-1)!.role === 'assistant')
    throw new ApiError(
      400,
      'messages: the last message must be from the user (prefilling a reply is not supported)',
    );
  const system = body.system === undefined ? [] : [{ role: 'system' as const, content: text(body.system) }];
  return [...system, ...body.messages.map((m) => ({ role: m.role, content: text(m.content) }))];
}
