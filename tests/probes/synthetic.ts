/**
 * A fake model with known structure. Each emotion has a planted unit direction at layer 1 (none at layer 0),
 * every text also varies strongly along two "neutral" directions (variance 9 and 4), and there is small
 * isotropic noise. The right answers are therefore known: vectors along the planted directions, the first
 * neutral direction (and only it) removed at 50 %, and high held-out accuracy at layer 1 only.
 */
import { type ActivationSource, type Corpus, EMOTIONS, type Emotion } from '../../harness/probes/index.ts';

export const HIDDEN = 48;
export const TOKEN_OFFSET = 4;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Unit basis vector k: planted directions are coordinates, so orthogonality is exact. */
export function axis(k: number): Float64Array {
  const v = new Float64Array(HIDDEN);
  v[k] = 1;
  return v;
}

/** Emotion i lives on coordinate 2 + i; the neutral directions are coordinates 0 and 1. */
export const plantedAxis = (e: Emotion) => 2 + EMOTIONS.indexOf(e);
export const NEUTRAL_AXES = [0, 1] as const;

export function syntheticSource(
  options: { strength?: number; layerCount?: number } = {},
): ActivationSource & {
  calls: number;
} {
  const strength = options.strength ?? 1.5;
  const layerCount = options.layerCount ?? 3;
  const source = {
    modelSha256: 'a'.repeat(64),
    layerCount,
    hidden: HIDDEN,
    calls: 0,
    async residuals(text: string, layers: number[]): Promise<Float32Array[]> {
      source.calls++;
      const emotion = EMOTIONS.find((e) => text.startsWith(`[${e}]`));
      const tokens = text.split(/\s+/).length;
      return layers.map((layer) => {
        const r = rng(hash(text) + layer * 7919);
        const out = new Float32Array(tokens * HIDDEN);
        for (let t = 0; t < tokens; t++) {
          const row = out.subarray(t * HIDDEN, (t + 1) * HIDDEN);
          for (let i = 0; i < HIDDEN; i++) row[i] = 0.3 * gaussian(r) + 1;
          row[0]! += 3 * gaussian(r);
          row[1]! += 2 * gaussian(r);
          if (emotion && layer === 1) row[plantedAxis(emotion)]! += strength;
        }
        return out;
      });
    },
  };
  return source;
}

/** 12 emotions x `premises` premises x 2 stories; texts are tagged so the fake model knows the emotion. */
export function syntheticCorpus(premises = 8, words = 12): Corpus {
  const ps = Array.from({ length: premises }, (_, i) => ({ id: `p${i}`, text: `premise ${i}` }));
  const filler = (seed: string) => Array.from({ length: words }, (_, i) => `${seed}${i}`).join(' ');
  return {
    premises: ps,
    emotions: EMOTIONS.map((emotion) => ({
      emotion,
      alias: emotion,
      banned: [emotion],
      stories: ps.flatMap((p) =>
        (['first', 'third'] as const).map((person) => ({
          emotion,
          premise: p.id,
          person,
          text: `[${emotion}] ${filler(`${p.id}${person}`)}`,
        })),
      ),
    })),
    neutral: Array.from({ length: 60 }, (_, i) => ({
      topic: 'facts' as const,
      human: `question ${i}`,
      assistant: filler(`answer${i}x`),
    })),
  };
}
