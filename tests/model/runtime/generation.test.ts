import { describe, expect, it } from 'vitest';
import { StopSequenceCriterion } from '../../../harness/model/generation.ts';

describe('StopSequenceCriterion', () => {
  it('pending is the longest end of the text that begins a stop sequence without completing it', () => {
    const c = new StopSequenceCriterion([' K L', 'abab', '']);
    expect(c.pending(' H I J')).toBe(0);
    expect(c.pending(' H I J K')).toBe(2);
    expect(c.pending(' H I J K ')).toBe(3);
    expect(c.pending(' H I J KK')).toBe(0);
    expect(c.pending('xaba')).toBe(3);
    expect(c.pending('ab')).toBe(2);
    expect(c.pending('')).toBe(0);
    expect(new StopSequenceCriterion([]).pending('anything')).toBe(0);
  });

  it('cut keeps the text before the earliest stop sequence', () => {
    const c = new StopSequenceCriterion([' K L', 'J']);
    expect(c.cut(' H I J K L')).toBe(' H I ');
    expect(c.check({ tokenIds: [1], text: ' H I J' })).toBe('stop');
    expect(c.check({ tokenIds: [1], text: ' H I' })).toBeUndefined();
  });
});
