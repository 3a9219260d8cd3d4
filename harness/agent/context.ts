/**
 * The context budget rule. The system prompt and the task are always kept. Earlier turns (a reply and
 * the test feedback it got) are kept whole from the newest backwards while they fit in
 * `budget` tokens; every older turn is replaced by a one-line summary appended to the task message
 * (what it changed and how the tests went). If the task alone does not fit, the episode cannot proceed.
 */
import type { ChatMessage } from './types.ts';

export interface Turn {
  reply: string;
  feedback: string;
  summary: string;
}

export interface FittedContext {
  messages: ChatMessage[];
  /** How many of the oldest turns are present only as summaries. */
  summarised: number;
  fits: boolean;
}

export async function fitContext(
  base: [ChatMessage, ChatMessage],
  turns: Turn[],
  budget: number,
  countTokens: (messages: ChatMessage[]) => Promise<number>,
): Promise<FittedContext> {
  const build = (summarised: number): ChatMessage[] => {
    const [system, task] = base;
    const summaries = turns.slice(0, summarised).map((t) => t.summary);
    const taskContent = summaries.length
      ? `${task.content}\n\nEarlier attempts, summarised:\n${summaries.join('\n')}`
      : task.content;
    const messages: ChatMessage[] = [system, { role: 'user', content: taskContent }];
    for (const turn of turns.slice(summarised)) {
      messages.push({ role: 'assistant', content: turn.reply }, { role: 'user', content: turn.feedback });
    }
    return messages;
  };
  for (let summarised = 0; summarised <= turns.length; summarised++) {
    const messages = build(summarised);
    if ((await countTokens(messages)) <= budget) return { messages, summarised, fits: true };
  }
  return { messages: build(turns.length), summarised: turns.length, fits: false };
}
