/** The emotion story corpus and the neutral dialogues: zod schemas of the data files and their loader. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { EMOTIONS, type Emotion, lookupEmotion } from './emotions.ts';

export const DEFAULT_CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

const PremiseId = z.string().regex(/^[a-z0-9-]+$/);

const PremisesFileSchema = z
  .object({ premises: z.array(z.object({ id: PremiseId, text: z.string().min(1) }).strict()).min(1) })
  .strict();

const StorySchema = z
  .object({ premise: PremiseId, person: z.enum(['first', 'third']), text: z.string().min(1) })
  .strict();

const EmotionFileSchema = z
  .object({
    emotion: z.string(),
    alias: z.string(),
    /** Whole words, or stems when they end in "*", that no story of this emotion may contain. */
    banned: z.array(z.string().min(2)).min(1),
    stories: z.array(StorySchema).min(1),
  })
  .strict();

const DialogueSchema = z
  .object({
    topic: z.enum(['code', 'facts', 'howto']),
    human: z.string().min(1),
    assistant: z.string().min(1),
  })
  .strict();

const NeutralFileSchema = z.object({ dialogues: z.array(DialogueSchema).min(1) }).strict();

export type Premise = z.infer<typeof PremisesFileSchema>['premises'][number];
export type Story = z.infer<typeof StorySchema> & { emotion: Emotion };
export type NeutralDialogue = z.infer<typeof DialogueSchema>;

export interface EmotionEntry {
  emotion: Emotion;
  alias: string;
  banned: string[];
  stories: Story[];
}

export interface Corpus {
  premises: Premise[];
  /** In EMOTIONS order. */
  emotions: EmotionEntry[];
  neutral: NeutralDialogue[];
}

/** The text fed to the model for a neutral dialogue. */
export function dialogueText(d: NeutralDialogue): string {
  return `Human: ${d.human}\n\nAssistant: ${d.assistant}`;
}

/** Every story, in EMOTIONS order then file order. */
export function allStories(corpus: Corpus): Story[] {
  return corpus.emotions.flatMap((e) => e.stories);
}

/** The banned words of `banned` found in `text` (a trailing "*" matches any ending). */
export function bannedWordsIn(text: string, banned: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of banned) {
    const stem = entry.endsWith('*');
    const word = (stem ? entry.slice(0, -1) : entry).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(stem ? `\\b${word}[\\w'-]*` : `\\b${word}\\b`, 'giu');
    for (const m of text.matchAll(re)) found.push(m[0]);
  }
  return found;
}

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`corpus file ${file} is not readable YAML: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputError(`corpus file ${file} is malformed:\n  ${issues.slice(0, 10).join('\n  ')}`);
  }
  return result.data;
}

/**
 * Loads premises.yaml, emotions/*.yaml (one file per emotion, named by noun or adjective) and neutral.yaml.
 * Every story must name a listed premise, and all twelve emotions must be present exactly once.
 */
export function loadCorpus(dir: string = DEFAULT_CORPUS_DIR): Corpus {
  const { premises } = readYaml(path.join(dir, 'premises.yaml'), PremisesFileSchema);
  const premiseIds = new Set(premises.map((p) => p.id));
  const byEmotion = new Map<Emotion, EmotionEntry>();
  const emotionDir = path.join(dir, 'emotions');
  for (const name of readdirSync(emotionDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const file = path.join(emotionDir, name);
    const data = readYaml(file, EmotionFileSchema);
    const emotion = lookupEmotion(data.emotion);
    if (!emotion) throw new InputError(`${file}: unknown emotion ${JSON.stringify(data.emotion)}`);
    if (byEmotion.has(emotion)) throw new InputError(`${file}: emotion ${emotion} is defined twice`);
    for (const s of data.stories) {
      if (!premiseIds.has(s.premise))
        throw new InputError(`${file}: story premise ${JSON.stringify(s.premise)} is not in premises.yaml`);
    }
    byEmotion.set(emotion, {
      emotion,
      alias: data.alias,
      banned: data.banned,
      stories: data.stories.map((s) => ({ ...s, emotion })),
    });
  }
  const missing = EMOTIONS.filter((e) => !byEmotion.has(e));
  if (missing.length > 0) throw new InputError(`corpus ${dir} has no stories for ${missing.join(', ')}`);
  const { dialogues } = readYaml(path.join(dir, 'neutral.yaml'), NeutralFileSchema);
  return { premises, emotions: EMOTIONS.map((e) => byEmotion.get(e)!), neutral: dialogues };
}
