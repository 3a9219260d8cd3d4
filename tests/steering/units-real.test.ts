/**
 * The units on the default model: readings of held-out neutral text in sd, steering by c sd at the probe
 * layer, one addition in three spellings, and the coherence check on a strength that destroys the text.
 * Needs the model and its vectors (`bin/harness setup`); fails, saying so, without them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { summarise } from '../../analysis/index.ts';
import { type HarnessConfig, loadConfig } from '../../harness/config/index.ts';
import { bindModel } from '../../harness/experiment/agent-model.ts';
import { planEpisodes } from '../../harness/experiment/plan.ts';
import { cacheRoot } from '../../harness/model/fetch.ts';
import type { SteerSpec } from '../../harness/model/generation.ts';
import { LocalModel } from '../../harness/model/local-model.ts';
import {
  dialogueText,
  type EmotionVectors,
  readTokens,
  tokenRange,
  vectorsForModel,
} from '../../harness/probes/index.ts';
import {
  parseConditions,
  parseSteer,
  type ResolvedSteer,
  resolveSteering,
  steeringBlocks,
} from '../../harness/steering/index.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../support/model.ts';
import { makeRecord } from '../support/records.ts';

const HELD_OUT = (
  parse(readFileSync(new URL('../fixtures/probes/neutral-heldout.yaml', import.meta.url), 'utf8')) as {
    dialogues: { human: string; assistant: string }[];
  }
).dialogues;

/** Prompts that are not in the corpus. */
const PROMPTS = [
  'The build failed again on the third test, so I reopened the file and read the error message once more.',
  'def parse_flag(text):\n    """Return True for yes, on and 1."""\n',
  'Our train leaves at nine; the station is a short walk from the hotel.',
  'The deadline is tomorrow and the tests still do not pass.',
];

const EMOTIONS = ['desperation', 'calm'];

let config: HarnessConfig;
let model: LocalModel;
let vectors: EmotionVectors;
let layer: number;
let blocks: number[];

beforeAll(async () => {
  requireDefaultModel();
  ({ config } = await loadConfig());
  model = await LocalModel.load(DEFAULT_MODEL_PATH, { threads: config.model.threads, maxBatch: 4 });
  const loaded = vectorsForModel(undefined, model.modelSha256, cacheRoot());
  vectors = loaded.vectors;
  ({ layer, blocks } = steeringBlocks({
    layerCount: model.layerCount,
    probeLayer: config.probes.layer,
    count: config.steering.layers,
    vectorsPath: loaded.path,
  }));
}, 300_000);

afterAll(async () => {
  await model?.dispose();
});

const spec = (r: ResolvedSteer[]): SteerSpec[] =>
  r.map((s) => ({ vector: s.vector, coefficient: s.coefficient, layers: s.layers }));
const resolve = (text: string) =>
  resolveSteering([parseSteer(text)], vectors, { vectorLayer: layer, layers: blocks, seed: 1 });
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

/** Mean z per emotion over a prompt's tokens at the probe layer, under `steer`. */
async function promptReading(prompt: string, steer: SteerSpec[]): Promise<number[]> {
  const r = await model.generate({
    prompt,
    maxTokens: 1,
    temperature: 0,
    steer,
    readout: { layers: [layer] },
  });
  return readTokens(r.readings![0]!.prompt, vectors, EMOTIONS, layer).map((t) => mean(t.z));
}

describe('readings in sd', () => {
  it('held-out neutral text reads about 0 sd with a spread of about 1 sd, for every emotion', async () => {
    const emotions = vectors.emotions;
    const all: number[][] = emotions.map(() => []);
    for (const d of HELD_OUT) {
      const [rows] = await model.residuals(dialogueText({ topic: 'facts', ...d }), [layer]);
      const H = model.hidden;
      const n = rows!.length / H;
      const { from, to } = tokenRange(n, vectors.tokenOffset);
      const tokens = Array.from({ length: to - from }, (_, k) =>
        rows!.subarray((from + k) * H, (from + k + 1) * H),
      );
      readTokens(tokens, vectors, emotions, layer).forEach((r, ei) => {
        all[ei]!.push(...r.z);
      });
    }
    emotions.forEach((e, ei) => {
      const z = all[ei]!;
      const m = mean(z);
      const sd = Math.sqrt(z.reduce((a, x) => a + (x - m) ** 2, 0) / (z.length - 1));
      // Tolerance: the calibration comes from 52 dialogues and these are 16 others on other topics, and
      // tokens of one text move together, so the effective sample is about the number of texts: a mean
      // within 0.5 sd of 0 and a spread within a factor 1.5 of 1 sd (a variance within 2.25x).
      console.log(
        `${e}: held-out mean ${m.toFixed(3)} sd, spread ${sd.toFixed(3)} sd over ${z.length} tokens`,
      );
      expect(Math.abs(m)).toBeLessThan(0.5);
      expect(sd).toBeGreaterThan(1 / 1.5);
      expect(sd).toBeLessThan(1.5);
    });
  }, 300_000);
});

describe('steering in sd', () => {
  it('`NAME=c` moves the mean reading at the probe layer by c sd on prompts not in the corpus', async () => {
    const base = await Promise.all(PROMPTS.map((p) => promptReading(p, [])));
    for (const [name, c] of [
      ['desperation', -2],
      ['desperation', 3],
      ['calm', 1.5],
    ] as const) {
      const ei = EMOTIONS.indexOf(name);
      const steered = await Promise.all(PROMPTS.map((p) => promptReading(p, spec(resolve(`${name}=${c}`)))));
      const shift = mean(steered.map((s, i) => s[ei]! - base[i]![ei]!));
      console.log(`${name}=${c}: mean reading moved by ${shift.toFixed(4)} sd`);
      expect(Math.abs(shift - c)).toBeLessThan(0.1 * Math.abs(c));
    }
  }, 300_000);

  it('`desperation=-5%` and its equivalents in sd and in x produce identical tokens', async () => {
    const [p] = resolve('desperation=-5%');
    const spellings = ['desperation=-5%', `desperation=${p!.sd}`, `desperation=${p!.coefficient}x`];
    const messages = [
      { role: 'user' as const, content: 'Write a Python function that checks if a year is a leap year.' },
    ];
    const replies = await Promise.all(
      [...spellings.map((s) => spec(resolve(s))), []].map((steer) =>
        model.generate({ messages, maxTokens: 48, temperature: 0, steer }),
      ),
    );
    console.log(`-5% = ${p!.sd.toFixed(4)} sd = ${p!.coefficient.toFixed(4)}x`);
    expect(replies[1]!.tokenIds).toEqual(replies[0]!.tokenIds);
    expect(replies[2]!.tokenIds).toEqual(replies[0]!.tokenIds);
    // The strength does something: the unsteered reply differs.
    expect(replies[3]!.tokenIds).not.toEqual(replies[0]!.tokenIds);
  }, 300_000);
});

/** Coding requests like the tasks' (not the tasks themselves). */
const CODING = [
  'Write a Python function median(values) that returns the median of a list of numbers, with a short test.',
  'The tests for my leap_year(year) function keep failing. Fix the function so that 1900 is not a leap year.',
  'Write a JavaScript function that sums the numbers in a CSV column and explain how it works.',
];

describe('the coherence check', () => {
  it("marks a strength that destroys the text (+6 sd) and not the default experiment's strengths", async () => {
    const steered = config.experiment.conditions.filter((c) => c !== 'baseline');
    const conditions = parseConditions(['baseline', ...steered, 'desperation=+6'].join(','));
    const plan = planEpisodes({
      taskIds: CODING.map((_, i) => `request-${i}`),
      conditionIds: conditions.map((c) => c.id),
      epochs: 2,
      runSeed: config.experiment.seed,
    });
    const records = await Promise.all(
      plan.map(async (p) => {
        const c = conditions.find((x) => x.id === p.conditionId)!;
        // The run's own path: the condition bound to the model, the reply scored by the unsteered model.
        const agent = bindModel(
          model,
          { temperature: config.agent.temperature, topP: config.agent.top_p },
          spec(resolveSteering(c.steer, vectors, { vectorLayer: layer, layers: blocks, seed: 1 })),
          undefined,
        );
        const content = CODING[Number(p.taskId.split('-')[1])]!;
        const reply = await agent.generate({
          messages: [{ role: 'user', content }],
          maxTokens: 120,
          seed: p.seed,
        });
        return makeRecord(p, {
          attempts: [
            {
              index: 1,
              replyText: reply.text,
              stopReason: reply.stopReason,
              filesWritten: [],
              problems: [],
              gaveUp: false,
              unsteeredNll: reply.unsteeredNll,
              promptTokens: reply.promptTokens,
              completionTokens: reply.completionTokens,
              summarisedTurns: 0,
              generateMs: 0,
              testMs: 0,
            },
          ],
        });
      }),
    );
    const { conditions: summaries } = summarise(records, {
      coherence: {
        maxNllRise: config.analysis.max_nll_rise,
        minDistinctRatio: config.analysis.min_distinct_ratio,
      },
    });
    for (const s of summaries)
      console.log(
        `${s.conditionId}: NLL ${s.coherence.nll.toFixed(3)} nats/token, distinct 3-grams ${(100 * s.coherence.distinct).toFixed(0)} %, collapsed ${s.coherence.collapsed}`,
      );
    expect(summaries.find((s) => s.conditionId === 'desperation=+6')!.coherence.collapsed).toBe(true);
    for (const id of steered)
      expect(summaries.find((s) => s.conditionId === parseConditions(id)[0]!.id)!.coherence.collapsed).toBe(
        false,
      );
  }, 900_000);
});
