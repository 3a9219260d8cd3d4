/**
 * A scripted fake model for unit-testing the agent loop: it replays fixed replies in order and records
 * what it was asked. It never stands in for the real model outside loop tests.
 */
import type { AgentModel, ChatMessage, ModelReply, ModelRequest } from '../../harness/agent/types.ts';

export class ScriptedModel implements AgentModel {
  readonly requests: ModelRequest[] = [];

  constructor(private readonly replies: string[]) {}

  async generate(request: ModelRequest): Promise<ModelReply> {
    this.requests.push(request);
    const text = this.replies[this.requests.length - 1] ?? '### GIVE UP';
    return {
      text,
      stopReason: 'eos',
      promptTokens: await this.countTokens(request.messages),
      completionTokens: text.length / 4,
    };
  }

  /** Four characters a token: close enough to exercise the context budget. */
  async countTokens(messages: ChatMessage[]): Promise<number> {
    return Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
  }
}
