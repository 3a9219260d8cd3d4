/**
 * How far steering moves the text from what the unsteered model writes, per strength: for each condition,
 * replies to a few coding prompts (the run's sampling, paired seeds), scored as the run scores them (the
 * unsteered model's mean NLL per token after the prompt's last tokens, and the share of distinct word
 * 3-grams), then judged against the unsteered condition with the run's thresholds. Used to choose the
 * default experiment's strengths.
 *
 *   npm run probes:steering-coherence -- [--conditions baseline,desperation=+2,...] [--seeds 2] [--tokens 160]
 */
import { parseArgs } from 'node:util';
import { type Coherence, distinctNgrams, judgeCoherence } from '../analysis/index.ts';
import { loadConfig } from '../harness/config/index.ts';
import { COHERENCE_CONTEXT_TOKENS } from '../harness/experiment/agent-model.ts';
import { cacheRoot, resolveModelPath } from '../harness/model/fetch.ts';
import { LocalModel } from '../harness/model/local-model.ts';
import { vectorsForModel } from '../harness/probes/index.ts';
import { parseConditions, resolveSteering, steeringBlocks } from '../harness/steering/index.ts';

export const PROMPTS = [
  'Write a Python function median(values) that returns the median of a list of numbers, with a short test.',
  'The tests for my leap_year(year) function keep failing. Fix the function so that 1900 is not a leap year.',
  'Write a JavaScript function that sums the numbers in a CSV column and explain how it works.',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      conditions: {
        type: 'string',
        default: 'baseline,desperation=-2,desperation=+2,desperation=+4,desperation=+6',
      },
      seeds: { type: 'string', default: '2' },
      tokens: { type: 'string', default: '160' },
    },
  });
  const { config } = await loadConfig();
  const conditions = parseConditions(values.conditions);
  const thresholds = {
    maxNllRise: config.analysis.max_nll_rise,
    minDistinctRatio: config.analysis.min_distinct_ratio,
  };
  const model = await LocalModel.load(resolveModelPath(config.model.source), {
    threads: config.model.threads,
    maxBatch: 8,
  });
  try {
    const { vectors, path } = vectorsForModel(
      config.probes.vectors ?? undefined,
      model.modelSha256,
      cacheRoot(),
    );
    const plan = steeringBlocks({
      layerCount: model.layerCount,
      probeLayer: config.probes.layer,
      count: config.steering.layers,
      vectorsPath: path,
    });
    // Each reply (prompt x seed) is one unit, as an episode is in a run.
    const rows: { id: string; coherence: Coherence; sample: string }[] = [];
    for (const c of conditions) {
      const steer = resolveSteering(c.steer, vectors, {
        vectorLayer: plan.layer,
        layers: plan.blocks,
        seed: config.experiment.seed,
      });
      const requests = PROMPTS.flatMap((p) =>
        Array.from({ length: Number(values.seeds) }, (_, s) => ({
          messages: [{ role: 'user' as const, content: p }],
          maxTokens: Number(values.tokens),
          temperature: config.agent.temperature,
          topP: config.agent.top_p,
          seed: s + 1,
          steer: steer.map((r) => ({ vector: r.vector, coefficient: r.coefficient, layers: r.layers })),
        })),
      );
      const results = await model.generateBatch(requests);
      let nll = 0;
      let tokens = 0;
      const episodes: Coherence['episodes'] = [];
      for (const [i, r] of results.entries()) {
        const score = await model.replyNll(requests[i]!.messages, r.tokenIds, COHERENCE_CONTEXT_TOKENS);
        nll += score.mean * score.tokens;
        tokens += score.tokens;
        episodes.push({ nll: score.mean, distinct: distinctNgrams(r.text) ?? Number.NaN });
      }
      const distincts = episodes.map((e) => e.distinct).filter(Number.isFinite);
      const coherence: Coherence = {
        replies: results.length,
        nll: nll / tokens,
        distinct: distincts.reduce((a, b) => a + b, 0) / distincts.length,
        episodes,
        reasons: [],
        doubts: [],
      };
      rows.push({ id: c.id, coherence, sample: results[0]!.text.slice(0, 160) });
      console.error(`${c.id}: done`);
    }
    const base = rows.find((r) => r.id === 'baseline');
    console.log(
      `probe layer ${plan.layer}, blocks ${plan.blocks.join(',')}; thresholds: NLL rise > ${thresholds.maxNllRise}, distinct < ${thresholds.minDistinctRatio} x baseline`,
    );
    console.log('condition'.padEnd(22), 'NLL/token', 'distinct-3', 'collapsed', 'first reply (start)');
    for (const r of rows) {
      const judged =
        base && r !== base ? judgeCoherence(r.coherence, base.coherence, thresholds) : r.coherence;
      console.log(
        r.id.padEnd(22),
        judged.nll.toFixed(2).padStart(9),
        `${(100 * judged.distinct).toFixed(0)}%`.padStart(10),
        String(judged.collapsed ?? '-').padStart(9),
        JSON.stringify(r.sample.replace(/\s+/g, ' ').slice(0, 90)),
      );
      for (const why of [...judged.reasons, ...judged.doubts.map((d) => `doubt: ${d}`)])
        console.log(`  ${why}`);
    }
  } finally {
    await model.dispose();
  }
}

await main();
