import { describe, expect, it } from 'vitest';
import {
  buildVectors,
  collectActivations,
  cosine,
  defaultHeldOut,
  dialogueText,
  dot,
  EMOTIONS,
  getVector,
  isCalibrationDialogue,
  renderValidationReport,
  tokenRange,
  validateVectors,
} from '../../harness/probes/index.ts';
import {
  axis,
  HIDDEN,
  NEUTRAL_AXES,
  plantedAxis,
  syntheticCorpus,
  syntheticSource,
  TOKEN_OFFSET,
} from './synthetic.ts';

const corpus = syntheticCorpus();
const built = await buildVectors(syntheticSource(), corpus, { layers: [0, 1, 2], tokenOffset: TOKEN_OFFSET });

describe('tokenRange', () => {
  it('starts at the offset, and falls back to the second half of a short text', () => {
    expect(tokenRange(100, 50)).toEqual({ from: 50, to: 100 });
    expect(tokenRange(51, 50)).toEqual({ from: 50, to: 51 });
    expect(tokenRange(50, 50)).toEqual({ from: 25, to: 50 });
    expect(tokenRange(7, 50)).toEqual({ from: 3, to: 7 });
  });
});

describe('buildVectors on planted directions', () => {
  const { vectors } = built;

  it('records the model, layers, offset, corpus counts and neutral statistics', () => {
    expect(vectors.model).toEqual({ sha256: 'a'.repeat(64), layerCount: 3, hidden: HIDDEN });
    expect(vectors.layers).toEqual([0, 1, 2]);
    expect(vectors.tokenOffset).toBe(TOKEN_OFFSET);
    expect(vectors.emotions).toEqual([...EMOTIONS]);
    expect(vectors.corpus).toEqual({ stories: 12 * 8 * 2, fallbackStories: 0 });
    // 60 dialogues of 16 tokens, 12 positions after the offset each: the even 30 fit the components, the
    // odd 30 calibrate readings.
    expect(vectors.neutral.dialogues).toBe(30);
    expect(vectors.neutral.positions).toBe(30 * 12);
    expect(vectors.calibration.dialogues).toBe(30);
    expect(vectors.calibration.tokens).toBe(30 * 12);
    expect(vectors.data.length).toBe(3 * 12 * HIDDEN);
  });

  it('points each layer-1 vector along its planted direction (minus the mean of all of them)', () => {
    for (const e of EMOTIONS) {
      const expected = new Float64Array(HIDDEN);
      for (const other of EMOTIONS) expected[plantedAxis(other)] = -1 / 12;
      expected[plantedAxis(e)]! += 1;
      expect(cosine(getVector(vectors, e, 1), expected), e).toBeGreaterThan(0.97);
      // The planted shift is 1.5, so |v| = 1.5 * sqrt(1 - 1/12) plus a little noise.
      expect(vectors.norms[1]![EMOTIONS.indexOf(e)]!).toBeGreaterThan(1.3);
      expect(vectors.norms[1]![EMOTIONS.indexOf(e)]!).toBeLessThan(1.7);
    }
  });

  it('removes exactly the first neutral direction, which alone explains over half the neutral variance', () => {
    // Variances: 9.09 on axis 0, 4.09 on axis 1, 0.09 on 46 others: axis 0 explains about 52 %.
    expect(vectors.neutral.components).toEqual([1, 1, 1]);
    for (const p of built.projections) {
      expect(p.explained).toBeGreaterThan(0.45);
      expect(p.explained).toBeLessThan(0.6);
      expect(Math.abs(cosine(p.basis[0]!, axis(NEUTRAL_AXES[0])))).toBeGreaterThan(0.99);
    }
    for (const e of EMOTIONS) {
      expect(Math.abs(cosine(getVector(vectors, e, 1), built.projections[1]!.basis[0]!))).toBeLessThan(1e-6);
      // Without the projection the vectors would carry the neutral axis' sampling noise (about 0.27); with it, little.
      expect(Math.abs(getVector(vectors, e, 1)[NEUTRAL_AXES[0]]!)).toBeLessThan(0.1);
    }
  });

  it('measures the mean residual norm over the averaged positions', () => {
    // Each residual is about 1 + noise on 48 axes plus N(0, 9) and N(0, 4) on two: |h| is about 7.7.
    for (const n of vectors.meanResidualNorm) {
      expect(n).toBeGreaterThan(7);
      expect(n).toBeLessThan(8.5);
    }
  });

  it('gives unrelated vectors at a layer where nothing was planted', () => {
    const c = cosine(getVector(vectors, 'fear', 0), getVector(vectors, 'fear', 1));
    expect(Math.abs(c)).toBeLessThan(0.5);
  });

  it('averages short stories over their second half and counts them', async () => {
    const acts = await collectActivations(syntheticSource(), syntheticCorpus(2, 3), {
      layers: [1],
      tokenOffset: 10,
    });
    expect(acts.stories.every((s) => s.tokens === 4 && s.from === 2)).toBe(true);
  });
});

describe('the neutral calibration', () => {
  it('equals the mean and sd of the per-token projections of the held-out dialogues, computed one by one', async () => {
    const source = syntheticSource();
    const projections: number[][] = EMOTIONS.map(() => []);
    for (const [i, d] of corpus.neutral.entries()) {
      if (!isCalibrationDialogue(i)) continue;
      const [rows] = await source.residuals(dialogueText(d), [1]);
      const tokens = rows!.length / HIDDEN;
      for (let t = TOKEN_OFFSET; t < tokens; t++) {
        const h = rows!.subarray(t * HIDDEN, (t + 1) * HIDDEN);
        EMOTIONS.forEach((e, ei) => {
          const v = getVector(built.vectors, e, 1);
          projections[ei]!.push(dot(h, v) / Math.hypot(...v));
        });
      }
    }
    EMOTIONS.forEach((e, ei) => {
      const p = projections[ei]!;
      const m = p.reduce((a, b) => a + b, 0) / p.length;
      const sd = Math.sqrt(p.reduce((a, b) => a + (b - m) ** 2, 0) / (p.length - 1));
      expect(built.vectors.calibration.mean[1]![ei]).toBeCloseTo(m, 4);
      expect(built.vectors.calibration.sd[1]![ei]).toBeCloseTo(sd, 4);
      // The planted model's variance along a unit u: 0.09 (isotropic noise) + 9 u_0^2 + 4 u_1^2 (the two
      // neutral directions); the sample of 360 tokens is within 20 % of it.
      const v = getVector(built.vectors, e, 1);
      const u = (i: number) => v[i]! / Math.hypot(...v);
      const expected = Math.sqrt(0.09 + 9 * u(0) ** 2 + 4 * u(1) ** 2);
      expect(sd / expected).toBeGreaterThan(0.8);
      expect(sd / expected).toBeLessThan(1.2);
    });
  });
});

describe('validateVectors', () => {
  const result = validateVectors(built.activations, built.projections, defaultHeldOut(corpus.premises));

  it('holds out premises, not stories', () => {
    expect(result.heldOutPremises).toEqual(['p3', 'p7']);
    expect(result.testStories).toBe(12 * 2 * 2);
    expect(result.trainStories).toBe(12 * 6 * 2);
  });

  it('classifies held-out stories perfectly where the signal is planted and near chance elsewhere', () => {
    const [l0, l1] = result.layers;
    expect(l1!.accuracy).toBe(1);
    expect(l1!.confusion.every((row, i) => row[i] === 4 && row.reduce((a, b) => a + b, 0) === 4)).toBe(true);
    expect(l0!.accuracy).toBeLessThan(0.3);
    expect(result.recommendedLayer).toBe(1);
  });

  it('renders a Markdown report naming the recommended layer', () => {
    const md = renderValidationReport(result);
    expect(md).toContain('**Recommended layer: 1** (held-out accuracy 100.0 %, meets the target)');
    expect(md).toContain('| 1 | 100.0 % | 48/48 |');
    expect(md).toContain('| desperation | 4 | 0 |');
  });
});
