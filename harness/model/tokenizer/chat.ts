/**
 * Renders a conversation with the model's own chat template (tokenizer.chat_template, Jinja), printing
 * values as Python's jinja2 does (see jinja.ts).
 */
import type { Template } from '@huggingface/jinja';
import { InputError } from '../../errors.ts';
import { compileTemplate, renderTemplate } from './jinja.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface ChatMessage {
  /** system, user, assistant or tool; templates decide what else they accept. */
  role: string;
  content: string;
}

export interface RenderChatOptions {
  addGenerationPrompt: boolean;
}

/** Parsing a template costs more than rendering it, and a process uses one or two models. */
const compiled = new Map<string, Template>();

export function renderChat(
  tokenizer: Tokenizer,
  messages: ChatMessage[],
  options: RenderChatOptions,
): string {
  const source = tokenizer.chatTemplate;
  if (!source) throw new InputError('the model has no chat template (tokenizer.chat_template is missing)');
  let template = compiled.get(source);
  if (!template) {
    template = compileTemplate(source);
    compiled.set(source, template);
  }
  const token = (id: number | undefined) => (id === undefined ? '' : tokenizer.token(id));
  return renderTemplate(template, {
    messages,
    add_generation_prompt: options.addGenerationPrompt,
    bos_token: token(tokenizer.bosId),
    eos_token: token(tokenizer.eosId),
  });
}
