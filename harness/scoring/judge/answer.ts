/** The judge's structured answer, read from its reply; a reply outside the format is said to be so. */
import { z } from 'zod';
import { JUDGE_ANSWERS } from '../../log/index.ts';

export const JudgeReplySchema = z.object({
  verdict: z.enum(JUDGE_ANSWERS),
  strategy: z.string().default('none'),
  rationale: z.string().default(''),
  lines: z.array(z.string()).default([]),
});

export type JudgeReply = z.infer<typeof JudgeReplySchema>;

/**
 * The first JSON object in `text` that has the answer's shape; otherwise `error` says what was expected
 * and what the reply began with.
 */
export function parseJudgeReply(text: string): { reply: JudgeReply } | { error: string } {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(start, end + 1));
      } catch {
        continue;
      }
      const parsed = JudgeReplySchema.safeParse(value);
      if (parsed.success) return { reply: parsed.data };
    }
  }
  const head = text.trim().slice(0, 80);
  return {
    error: `expected a JSON object with "verdict" (${JUDGE_ANSWERS.join(' | ')}), "strategy", "rationale" and "lines"; the reply began ${JSON.stringify(head)}`,
  };
}
