import { describe, expect, it } from 'vitest';
import {
  EMOTIONS,
  type EmotionVectors,
  readTokens,
  readTurn,
  turnReading,
} from '../../harness/probes/index.ts';

/**
 * Hand-made vectors: fear = (3, 4, 0), calm = (0, 0, 2), others zero; one layer (5), hidden 3. Neutral
 * calibration: fear mean 1, sd 2; calm mean 0, sd 0.5; others 0 and 1.
 */
function handVectors(): EmotionVectors {
  const data = new Float32Array(12 * 3);
  data.set([3, 4, 0], EMOTIONS.indexOf('fear') * 3);
  data.set([0, 0, 2], EMOTIONS.indexOf('calm') * 3);
  return {
    schemaVersion: 2,
    kind: 'emotion-vectors',
    model: { sha256: 'c'.repeat(64), layerCount: 8, hidden: 3 },
    layers: [5],
    tokenOffset: 0,
    emotions: [...EMOTIONS],
    meanResidualNorm: [10],
    norms: [EMOTIONS.map((e) => (e === 'fear' ? 5 : e === 'calm' ? 2 : 0))],
    neutral: { fraction: 0.5, dialogues: 0, positions: 0, components: [0], explained: [0] },
    calibration: {
      dialogues: 1,
      tokens: 10,
      mean: [EMOTIONS.map((e) => (e === 'fear' ? 1 : 0))],
      sd: [EMOTIONS.map((e) => (e === 'fear' ? 2 : e === 'calm' ? 0.5 : 1))],
    },
    corpus: { stories: 1, fallbackStories: 0 },
    data,
  };
}

const tok = (...x: number[]) => Float32Array.from(x);

describe('readings', () => {
  const vs = handVectors();

  it('projects each token onto the unit direction and gives its cosine', () => {
    const [fear, calm] = readTokens(
      [tok(3, 4, 0), tok(0, 0, 1), tok(-6, -8, 0), tok(0, 0, 0)],
      vs,
      ['afraid', 'calm'],
      5,
    );
    expect(fear!.emotion).toBe('fear');
    expect([...fear!.projection]).toEqual([5, 0, -10, 0]);
    expect([...fear!.cosine]).toEqual([1, 0, -1, 0]);
    expect([...calm!.projection]).toEqual([0, 1, 0, 0]);
    expect([...calm!.cosine]).toEqual([0, 1, 0, 0]);
  });

  it('gives each token in standard deviations of neutral text: (projection - mean) / sd', () => {
    const [fear, calm] = readTokens([tok(3, 4, 0), tok(0, 0, 1), tok(-6, -8, 0)], vs, ['fear', 'calm'], 5);
    expect([...fear!.z]).toEqual([2, -0.5, -5.5]);
    expect([...calm!.z]).toEqual([0, 2, 0]);
  });

  it('aggregates a turn: reply mean and max, last prompt token, reply mean cosine', () => {
    // prompt: 2 tokens, reply: 3 tokens; fear projections 1, 2 | 5, -5, 3.
    const unit = (p: number) => tok((3 * p) / 5, (4 * p) / 5, 0);
    const { aggregates, tokens } = readTurn(
      { layer: 5, prompt: [unit(1), unit(2)], reply: [unit(5), unit(-5), tok(0, 0, 0)] },
      vs,
      ['fear'],
    );
    expect(tokens[0]!.projection.length).toBe(5);
    const fear = aggregates.fear!;
    expect(fear.lastPrompt).toBeCloseTo(2, 5);
    expect(fear.mean).toBeCloseTo(0, 5);
    expect(fear.max).toBeCloseTo(5, 5);
    expect(fear.meanCosine).toBeCloseTo(0, 5);
    // z = (p - 1) / 2: prompt 0, 0.5 | reply 2, -3, -0.5.
    expect(fear.z.lastPrompt).toBeCloseTo(0.5, 5);
    expect(fear.z.mean).toBeCloseTo(-0.5, 5);
    expect(fear.z.max).toBeCloseTo(2, 5);
    expect(Object.keys(aggregates)).toEqual(['fear']);
  });

  it('reports nothing for a turn without reply tokens', () => {
    const [r] = readTokens([tok(1, 1, 1)], vs, ['fear'], 5);
    expect(turnReading(r!, 1)).toBeUndefined();
    expect(turnReading(r!, 0)).toBeUndefined();
  });

  it('refuses a layer the file does not have', () => {
    expect(() => readTokens([tok(1, 1, 1)], vs, ['fear'], 4)).toThrow(/no layer 4/);
  });
});
