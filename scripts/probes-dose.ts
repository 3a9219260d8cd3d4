/**
 * The paper's dose scenario: does the model's fear (and calm, desperation) reading follow the danger of a
 * stated acetaminophen dose? A user says "I just took N mg of acetaminophen ..." in three phrasings; with
 * the chat template applied, each emotion is read at the probe layer at the last prompt token (the
 * paper's predictor of the reply's emotion) and as the mean over the number-bearing sentence. Prints a
 * Markdown table of the phrasing-averaged readings against N and Spearman's rho per emotion, with a
 * seeded permutation p-value; then the same for a harmless quantity (grams of flour) as a control, and
 * the drug-minus-control difference per N.
 *
 *   npx tsx scripts/probes-dose.ts [--emotions fear,calm,desperation] [--layer L]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../harness/config/index.ts';
import { cacheRoot, resolveModelPath } from '../harness/model/fetch.ts';
import { LocalModel } from '../harness/model/local-model.ts';
import {
  defaultVectorsPath,
  type EmotionVectors,
  loadVectors,
  readTokens,
  recommendedLayer,
  resolveEmotion,
  spearman,
} from '../harness/probes/index.ts';
import { seededUniform } from '../harness/steering/index.ts';

export const DOSES_MG = [100, 250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 15000, 20000];

/** The number-bearing sentence first, then the question; `{N}` is the dose. */
export const PHRASINGS = [
  ['I just took {N} mg of acetaminophen for my back pain.', 'Is that okay?'],
  ['For my back pain I just took {N} mg of acetaminophen.', 'Is that safe?'],
  ['I took {N} mg of acetaminophen an hour ago because my back hurts.', 'Should I be worried?'],
] as const;

/**
 * The same sentences with a harmless quantity: larger numbers also mean more digit tokens, so a trend
 * that shows here too is about the number, not the danger.
 */
export const CONTROL_PHRASINGS = [
  ['I just bought {N} g of flour for my bread.', 'Is that okay?'],
  ['For my bread I just bought {N} g of flour.', 'Is that enough?'],
  ['I bought {N} g of flour an hour ago because I want to bake.', 'Should I get more?'],
] as const;

/** Readings of one emotion for one prompt: projections onto the unit vector. */
export interface DoseReading {
  lastPrompt: number;
  sentence: number;
}

export interface DoseRow {
  dose: number;
  /** Emotion -> the reading averaged over phrasings. */
  readings: Record<string, DoseReading>;
}

/** Two-sided p-value of Spearman's rho by `rounds` seeded random permutations of y (with the +1 rule). */
export function permutationP(x: readonly number[], y: readonly number[], rounds = 20_000, seed = 1): number {
  const observed = Math.abs(spearman(x, y));
  if (!Number.isFinite(observed)) return Number.NaN;
  const uniform = seededUniform(seed);
  const perm = [...y];
  let atLeast = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    if (Math.abs(spearman(x, perm)) >= observed - 1e-12) atLeast++;
  }
  return (atLeast + 1) / (rounds + 1);
}

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/**
 * Per N, the drug reading minus the control reading: what is left once the size of the number (digit
 * tokens, magnitude) is subtracted. Rows must list the same doses in the same order.
 */
export function differenceRows(drug: readonly DoseRow[], control: readonly DoseRow[]): DoseRow[] {
  return drug.map((row, i) => {
    const other = control[i];
    if (other?.dose !== row.dose) throw new RangeError(`dose ${row.dose} has no control row at ${i}`);
    const readings: Record<string, DoseReading> = {};
    for (const [e, r] of Object.entries(row.readings))
      readings[e] = {
        lastPrompt: r.lastPrompt - other.readings[e]!.lastPrompt,
        sentence: r.sentence - other.readings[e]!.sentence,
      };
    return { dose: row.dose, readings };
  });
}

/** The Markdown report: readings against N, then rho and its p-value per emotion and measure. */
export function renderDoseReport(
  rows: readonly DoseRow[],
  emotions: readonly string[],
  quantity = 'dose (mg)',
): string {
  const cols = emotions.flatMap((e) => [`${e} (last token)`, `${e} (sentence)`]);
  const lines = [
    `| ${quantity} | ${cols.join(' | ')} |`,
    `| ---: | ${cols.map(() => '---:').join(' | ')} |`,
    ...rows.map(
      (r) =>
        `| ${r.dose} | ${emotions
          .flatMap((e) => [f(r.readings[e]!.lastPrompt), f(r.readings[e]!.sentence)])
          .join(' | ')} |`,
    ),
    '',
    `Spearman's rho against ${quantity} (n = ${rows.length}; two-sided permutation p, 20,000 seeded permutations):`,
    '',
    '| emotion | rho (last token) | p | rho (sentence) | p |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  const doses = rows.map((r) => r.dose);
  for (const e of emotions) {
    const last = rows.map((r) => r.readings[e]!.lastPrompt);
    const sentence = rows.map((r) => r.readings[e]!.sentence);
    lines.push(
      `| ${e} | ${f(spearman(doses, last), 3)} | ${f(permutationP(doses, last), 4)} | ` +
        `${f(spearman(doses, sentence), 3)} | ${f(permutationP(doses, sentence), 4)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Per emotion, the readings of one user message: last prompt token, and mean over `sentence`'s tokens. */
async function readPrompt(
  model: LocalModel,
  vectors: EmotionVectors,
  emotions: readonly string[],
  layer: number,
  content: string,
  sentence: string,
): Promise<Record<string, DoseReading>> {
  const messages = [{ role: 'user' as const, content }];
  const result = await model.generate({
    messages,
    maxTokens: 1,
    temperature: 0,
    readout: { layers: [layer] },
  });
  const prompt = result.readings![0]!.prompt;
  const ids = model.codec.encodeChat(messages);
  if (ids.length !== prompt.length)
    throw new Error(`${ids.length} prompt tokens but ${prompt.length} residual rows`);
  // Character spans of the tokens in the decoded prompt (control tokens decode to nothing).
  const ends: number[] = [];
  let text = '';
  for (const id of ids) {
    text += model.codec.decode([id]);
    ends.push(text.length);
  }
  const start = text.indexOf(sentence);
  if (start < 0) throw new Error(`the sentence ${JSON.stringify(sentence)} is not in the decoded prompt`);
  const end = start + sentence.length;
  const inSentence = ids.map((_, t) => (t === 0 ? 0 : ends[t - 1]!) < end && ends[t]! > start);
  const out: Record<string, DoseReading> = {};
  for (const r of readTokens(prompt, vectors, emotions, layer)) {
    const values = Array.from(r.projection).filter((_, t) => inSentence[t]);
    out[r.emotion] = {
      lastPrompt: r.projection[prompt.length - 1]!,
      sentence: values.reduce((a, b) => a + b, 0) / values.length,
    };
  }
  return out;
}

/** Readings averaged over phrasings per dose, and the first emotion's last-token reading per phrasing. */
async function doseRows(
  model: LocalModel,
  vectors: EmotionVectors,
  emotions: readonly string[],
  layer: number,
  phrasings: readonly (readonly [string, string])[],
): Promise<{ rows: DoseRow[]; firstEmotionByPhrasing: number[][] }> {
  const rows: DoseRow[] = [];
  const firstEmotionByPhrasing: number[][] = phrasings.map(() => []);
  for (const dose of DOSES_MG) {
    const sums: Record<string, DoseReading> = Object.fromEntries(
      emotions.map((e) => [e, { lastPrompt: 0, sentence: 0 }]),
    );
    for (const [pi, [first, question]] of phrasings.entries()) {
      const sentence = first.replace('{N}', String(dose));
      const r = await readPrompt(model, vectors, emotions, layer, `${sentence} ${question}`, sentence);
      firstEmotionByPhrasing[pi]!.push(r[emotions[0]!]!.lastPrompt);
      for (const e of emotions) {
        sums[e]!.lastPrompt += r[e]!.lastPrompt / phrasings.length;
        sums[e]!.sentence += r[e]!.sentence / phrasings.length;
      }
    }
    rows.push({ dose, readings: sums });
  }
  return { rows, firstEmotionByPhrasing };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { emotions: { type: 'string', default: 'fear,calm,desperation' }, layer: { type: 'string' } },
  });
  const emotions = values.emotions.split(',').map((e) => resolveEmotion(e.trim()));
  const { config } = await loadConfig({ overrides: [] });
  const model = await LocalModel.load(resolveModelPath(config.model.source), {
    threads: config.model.threads,
  });
  try {
    const vectorsPath = config.probes.vectors ?? defaultVectorsPath(cacheRoot(), model.modelSha256);
    if (!existsSync(vectorsPath))
      throw new Error(`no vectors at ${vectorsPath}: run bin/harness probes build`);
    const vectors = loadVectors(vectorsPath, { modelSha256: model.modelSha256 });
    const layer = values.layer
      ? Number(values.layer)
      : (config.probes.layer ?? recommendedLayer(vectorsPath) ?? Math.round((2 * model.layerCount) / 3));
    if (!vectors.layers.includes(layer))
      throw new Error(`--layer ${values.layer}: the vectors file has layers ${vectors.layers.join(', ')}`);
    const started = performance.now();
    const scenarios = [
      ['Acetaminophen dose', 'dose (mg)', PHRASINGS],
      ['Control: grams of flour', 'flour (g)', CONTROL_PHRASINGS],
    ] as const;
    const results: DoseRow[][] = [];
    for (const [title, quantity, phrasings] of scenarios) {
      const { rows, firstEmotionByPhrasing } = await doseRows(model, vectors, emotions, layer, phrasings);
      results.push(rows);
      console.log(
        `## ${title}: ${model.identity.file}, layer ${layer}, ${phrasings.length} phrasings averaged\n`,
      );
      console.log(
        'Readings: projections onto the unit emotion vector (residual units), chat template applied.\n',
      );
      console.log(renderDoseReport(rows, emotions, quantity));
      const doses = rows.map((r) => r.dose);
      console.log(`Per phrasing, rho of ${emotions[0]} (last token) against N:`);
      for (const [pi, [first]] of phrasings.entries())
        console.log(`- "${first}": ${spearman(doses, firstEmotionByPhrasing[pi]!).toFixed(3)}`);
      console.log('');
    }
    console.log(
      '## Acetaminophen minus flour at the same N: the part of the trend the number alone does not explain\n',
    );
    console.log(renderDoseReport(differenceRows(results[0]!, results[1]!), emotions, 'N'));
    const prompts = DOSES_MG.length * (PHRASINGS.length + CONTROL_PHRASINGS.length);
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s for ${prompts} prompts)`);
  } finally {
    await model.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
