import { describe, expect, it } from 'vitest';
import { sentimentScore } from '../../harness/steering/index.ts';

describe('sentimentScore', () => {
  it('counts positive and negative words per word of text', () => {
    expect(sentimentScore('We laughed and danced in the sunny garden.')).toEqual({
      positive: 3,
      negative: 0,
      words: 8,
      score: 3 / 8,
    });
    expect(sentimentScore("She cried alone in the cold, dark house; it's awful.")).toEqual({
      positive: 0,
      negative: 5,
      words: 10,
      score: -0.5,
    });
    expect(sentimentScore('')).toEqual({ positive: 0, negative: 0, words: 0, score: 0 });
    expect(sentimentScore('The function returns a list.').score).toBe(0);
  });
});
