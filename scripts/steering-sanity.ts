/**
 * Steering sanity check: does `happiness=+c` make a short story read more positive than `happiness=-c`?
 * c is in standard deviations of the happiness reading at the probe layer (`--steer happiness=+c`); each arm
 * is also reported in the other two units. For each c, seeds 1..N generate "Write a short story about a day at the park." under both signs
 * (paired by seed, so the arms differ only by steering), each reply scored with the word-list sentiment
 * score; the same pair of arms along a seeded random direction matched in sd (random=+c) is the control. Steering
 * goes through the run's own path (vectors, probe layer and steered blocks as `harness run` resolves them,
 * the condition bound to the model by bindModel).
 *
 * Statistics per contrast: the paired mean difference with a 95 % percentile-bootstrap interval over
 * pairs (seeded), and an exact two-sided sign test on the pairs that differ.
 *
 *   npx tsx scripts/steering-sanity.ts [--c 1,2,4,8] [--seeds 20] [--tokens 80] [--temperature 0.8]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mcnemarExact, mean } from '../analysis/index.ts';
import { loadConfig } from '../harness/config/index.ts';
import { bindModel } from '../harness/experiment/agent-model.ts';
import { cacheRoot, resolveModelPath } from '../harness/model/fetch.ts';
import { LocalModel } from '../harness/model/local-model.ts';
import { vectorsForModel } from '../harness/probes/index.ts';
import {
  parseSteer,
  resolveSteering,
  seededUniform,
  sentimentScore,
  steeringBlocks,
} from '../harness/steering/index.ts';

export const PROMPT = 'Write a short story about a day at the park.';

export interface PairedComparison {
  n: number;
  meanA: number;
  meanB: number;
  /** Mean over pairs of a - b. */
  meanDiff: number;
  /** 95 % percentile-bootstrap interval of meanDiff, resampling pairs. */
  low: number;
  high: number;
  /** Pairs with a > b, a < b, a = b. */
  wins: number;
  losses: number;
  ties: number;
  /** Exact two-sided sign test over the untied pairs. */
  signP: number;
}

/** Arm a against arm b, paired by index. */
export function comparePaired(
  a: readonly number[],
  b: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): PairedComparison {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`paired arms need equal, non-zero lengths; received ${a.length} and ${b.length}`);
  const d = a.map((x, i) => x - b[i]!);
  const n = d.length;
  const uniform = seededUniform(options.seed ?? 1);
  const resamples = options.resamples ?? 10_000;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(uniform() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  const wins = d.filter((x) => x > 0).length;
  const losses = d.filter((x) => x < 0).length;
  return {
    n,
    meanA: mean(a),
    meanB: mean(b),
    meanDiff: mean(d),
    low: means[Math.floor(0.025 * (resamples - 1))]!,
    high: means[Math.ceil(0.975 * (resamples - 1))]!,
    wins,
    losses,
    ties: n - wins - losses,
    signP: mcnemarExact(wins, losses),
  };
}

/** Distinct words / words: falls when steering turns text into repetition. */
export function distinctWordRatio(text: string): number {
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  return words.length === 0 ? 0 : new Set(words).size / words.length;
}

export interface ArmResult {
  /** Condition id, e.g. "happiness=+2". */
  id: string;
  /** The strength in the three units (harness/steering/units.ts); zeros for the baseline. */
  sd: number;
  strength: number;
  coefficient: number;
  scores: number[];
  distinct: number[];
}

const f = (x: number, digits = 4) => (x >= 0 ? ' ' : '') + x.toFixed(digits);

/** One Markdown block per coefficient: the arms, then the emotion and random contrasts. */
export function renderSanity(
  c: number,
  arms: { plus: ArmResult; minus: ArmResult; randomPlus: ArmResult; randomMinus: ArmResult },
  options: { resamples?: number; seed?: number } = {},
): string {
  const rows = [arms.plus, arms.minus, arms.randomPlus, arms.randomMinus].map(
    (a) =>
      `| ${a.id} | ${f(a.sd, 2)} | ${f(100 * a.strength, 2)} | ${f(a.coefficient, 3)} | ${f(mean(a.scores))} | ${f(mean(a.distinct), 3)} |`,
  );
  const contrast = (label: string, p: PairedComparison) =>
    `| ${label} | ${f(p.meanDiff)} | [${f(p.low)}, ${f(p.high)}] | ${p.wins}/${p.losses}/${p.ties} | ${p.signP < 1e-4 ? p.signP.toExponential(1) : p.signP.toFixed(4)} |`;
  return [
    `### c = ${c} sd`,
    '',
    '| arm | sd | % of mean \\|h\\| | x (raw multiple) | mean sentiment | mean distinct-word ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '| paired contrast (+c minus -c) | mean difference | 95 % bootstrap interval | +/-/tied pairs | sign test p |',
    '| --- | ---: | --- | --- | ---: |',
    contrast('happiness', comparePaired(arms.plus.scores, arms.minus.scores, options)),
    contrast('random (control)', comparePaired(arms.randomPlus.scores, arms.randomMinus.scores, options)),
    '',
  ].join('\n');
}

function numberList(text: string, name: string): number[] {
  const xs = text.split(',').map((s) => Number(s.trim()));
  if (xs.some((x) => !Number.isFinite(x) || x <= 0))
    throw new Error(
      `--${name} expects positive numbers separated by commas, received ${JSON.stringify(text)}`,
    );
  return xs;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      c: { type: 'string', default: '1,2,4,8' },
      seeds: { type: 'string', default: '20' },
      tokens: { type: 'string', default: '80' },
      temperature: { type: 'string', default: '0.8' },
    },
  });
  const coefficients = numberList(values.c, 'c');
  const [seeds, tokens] = [Number(values.seeds), Number(values.tokens)];
  const temperature = Number(values.temperature);
  if (!Number.isInteger(seeds) || seeds < 2 || !Number.isInteger(tokens) || tokens < 1 || !(temperature >= 0))
    throw new Error('--seeds (>= 2) and --tokens (>= 1) expect integers, --temperature a number >= 0');

  const { config } = await loadConfig({ overrides: [] });
  const model = await LocalModel.load(resolveModelPath(config.model.source), {
    threads: config.model.threads,
    maxBatch: 8,
  });
  try {
    const { vectors, path: vectorsPath } = vectorsForModel(
      config.probes.vectors ?? undefined,
      model.modelSha256,
      cacheRoot(),
    );
    // The probe layer and steered blocks exactly as harness/experiment/experiment.ts chooses them.
    const { layer, blocks: steerLayers } = steeringBlocks({
      layerCount: model.layerCount,
      probeLayer: config.probes.layer,
      count: config.steering.layers,
      vectorsPath,
    });
    const sampling = { temperature, topP: 1 };
    const messages = [{ role: 'user' as const, content: PROMPT }];
    const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
    const samples: string[] = [];

    const runArm = async (id: string): Promise<ArmResult> => {
      const requests = id === 'baseline' ? [] : [parseSteer(id)];
      const resolved = resolveSteering(requests, vectors, {
        vectorLayer: layer,
        layers: steerLayers,
        seed: config.experiment.seed,
      });
      const agent = bindModel(
        model,
        sampling,
        resolved.map((s) => ({ vector: s.vector, coefficient: s.coefficient, layers: s.layers })),
        undefined,
      );
      const replies = await Promise.all(
        seedList.map((seed) => agent.generate({ messages, maxTokens: tokens, seed })),
      );
      samples.push(`**${id}**, seed 1: ${JSON.stringify(replies[0]!.text)}`);
      return {
        id,
        sd: resolved[0]?.sd ?? 0,
        strength: resolved[0]?.strength ?? 0,
        coefficient: resolved[0]?.coefficient ?? 0,
        scores: replies.map((r) => sentimentScore(r.text).score),
        distinct: replies.map((r) => distinctWordRatio(r.text)),
      };
    };

    const started = performance.now();
    console.log(
      `# Steering sanity: ${model.identity.file}, vectors of layer ${layer} added after blocks ${steerLayers.join(', ')}`,
    );
    console.log(
      `\n"${PROMPT}", seeds 1..${seeds}, temperature ${temperature} (top-p 1), ${tokens} tokens at most; ` +
        `score = (positive - negative words) / words (harness/steering/sentiment.ts); random direction seed ${config.experiment.seed}.\n`,
    );
    const baseline = await runArm('baseline');
    console.log(
      `baseline: mean sentiment ${f(mean(baseline.scores))}, mean distinct-word ratio ${f(mean(baseline.distinct), 3)}\n`,
    );
    for (const c of coefficients) {
      const arms = {
        plus: await runArm(`happiness=+${c}`),
        minus: await runArm(`happiness=-${c}`),
        randomPlus: await runArm(`random=+${c}`),
        randomMinus: await runArm(`random=-${c}`),
      };
      console.log(renderSanity(c, arms));
    }
    console.log('Samples (seed 1 of each arm):\n');
    for (const s of samples) console.log(`- ${s}`);
    const generations = seeds * (1 + 4 * coefficients.length);
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s for ${generations} generations)`);
  } finally {
    await model.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
