import { InputError } from '../errors.ts';

/** The twelve emotions of the paper, stored under noun names; order fixes the row order of vectors files. */
export const EMOTIONS = [
  'desperation',
  'calm',
  'fear',
  'love',
  'anger',
  'happiness',
  'sadness',
  'guilt',
  'pride',
  'inspiration',
  'nervousness',
  'surprise',
] as const;

export type Emotion = (typeof EMOTIONS)[number];

/** The adjectives the paper uses, accepted wherever an emotion is named. */
export const EMOTION_ALIASES: Readonly<Record<string, Emotion>> = {
  desperate: 'desperation',
  afraid: 'fear',
  loving: 'love',
  angry: 'anger',
  happy: 'happiness',
  sad: 'sadness',
  guilty: 'guilt',
  proud: 'pride',
  inspired: 'inspiration',
  nervous: 'nervousness',
  surprised: 'surprise',
};

export function isEmotion(name: string): name is Emotion {
  return (EMOTIONS as readonly string[]).includes(name);
}

/** The canonical noun for a noun or adjective (case-insensitive), or undefined. */
export function lookupEmotion(name: string): Emotion | undefined {
  const key = name.trim().toLowerCase();
  if (isEmotion(key)) return key;
  return EMOTION_ALIASES[key];
}

export function resolveEmotion(name: string): Emotion {
  const found = lookupEmotion(name);
  if (found) return found;
  throw new InputError(
    `unknown emotion ${JSON.stringify(name)}; expected one of ${EMOTIONS.join(', ')} ` +
      `(or ${Object.keys(EMOTION_ALIASES).join(', ')})`,
  );
}

/**
 * Approximate valence and arousal of each emotion on a -1..1 scale, placed as circumplex studies of
 * emotion words place them (valence: unpleasant to pleasant; arousal: sleepy to activated). A coarse
 * yardstick for the first two principal components of the vectors, not a dataset.
 */
export const VALENCE_AROUSAL: Readonly<Record<Emotion, { valence: number; arousal: number }>> = {
  desperation: { valence: -0.8, arousal: 0.6 },
  calm: { valence: 0.6, arousal: -0.7 },
  fear: { valence: -0.8, arousal: 0.7 },
  love: { valence: 0.9, arousal: 0.3 },
  anger: { valence: -0.8, arousal: 0.8 },
  happiness: { valence: 0.9, arousal: 0.5 },
  sadness: { valence: -0.8, arousal: -0.5 },
  guilt: { valence: -0.7, arousal: 0.1 },
  pride: { valence: 0.7, arousal: 0.4 },
  inspiration: { valence: 0.8, arousal: 0.6 },
  nervousness: { valence: -0.5, arousal: 0.6 },
  surprise: { valence: 0.2, arousal: 0.8 },
};
