/**
 * The default model end to end: answers, reproducibility, 4-bit perplexity against fp32, and greedy
 * agreement with node-llama-cpp on the same GGUF file. Fails, saying so, when the model has not been pulled.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModel } from '../../../harness/model/local-model.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../../support/model.ts';

const MODEL = DEFAULT_MODEL_PATH;
const PASSAGE = readFileSync(new URL('../../fixtures/model/passage.txt', import.meta.url), 'utf8');
const CHAT = [{ role: 'user' as const, content: 'What is the capital of France?' }];

const PROMPTS = [
  'The quick brown fox',
  'def fibonacci(n):\n',
  'Once upon a time, in a small village,',
  'The three primary colors are',
  'import numpy as np\nimport',
  'Water boils at a temperature of',
  'The first president of the United States was',
  'To make a cup of tea, you',
  'function add(a, b) {\n  return',
  'In 1969, astronauts landed on',
];

describe('SmolLM2-135M-Instruct (q4 graph)', () => {
  let model: LocalModel;
  beforeAll(async () => {
    requireDefaultModel();
    model = await LocalModel.load(MODEL, { quantization: 'q4' });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('the fp32 graph answers the capital of France with Paris at temperature 0', async () => {
    const fp32 = await LocalModel.load(MODEL, { quantization: 'fp32', steerLayers: [], readoutLayers: [] });
    try {
      const r = await fp32.generate({ messages: CHAT, maxTokens: 24, temperature: 0 });
      expect(r.text).toContain('Paris');
      expect(r.stopReason).toBe('eos');
    } finally {
      await fp32.dispose();
    }
  });

  it('the same seed at temperature 0.8 gives the same text twice; another seed does not', async () => {
    const req = {
      messages: [{ role: 'user' as const, content: 'Tell me about the sea.' }],
      maxTokens: 32,
      temperature: 0.8,
      seed: 7,
    };
    const a = await model.generate(req);
    const b = await model.generate(req);
    const c = await model.generate({ ...req, seed: 8 });
    expect(a.text.length).toBeGreaterThan(20);
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });

  it('4-bit perplexity on a fixed passage of over 1,000 tokens is within 5 % of fp32', async () => {
    const ids = model.codec.encode(PASSAGE, false);
    expect(ids.length).toBeGreaterThanOrEqual(1000);
    const ppl = async (m: LocalModel) => {
      const lp = await m.tokenLogProbs(ids);
      return Math.exp(-lp.reduce((s, x) => s + x, 0) / lp.length);
    };
    const q4 = await ppl(model);
    const fp32Model = await LocalModel.load(MODEL, {
      quantization: 'fp32',
      steerLayers: [],
      readoutLayers: [],
    });
    const fp32 = await ppl(fp32Model).finally(() => fp32Model.dispose());
    console.log(
      `perplexity over ${ids.length} tokens: q4 ${q4.toFixed(3)}, fp32 ${fp32.toFixed(3)}, ratio ${(q4 / fp32).toFixed(4)}`,
    );
    expect(Math.abs(q4 / fp32 - 1)).toBeLessThan(0.05);
    expect(fp32).toBeLessThan(30);
  });

  it('greedy continuations vs node-llama-cpp: every divergence is a near-tie (table printed)', async () => {
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false });
    const peer = await llama.loadModel({ modelPath: MODEL });
    const context = await peer.createContext({ contextSize: 256, threads: 2 });
    const rows: string[] = [];
    const gaps: number[] = [];
    let agree = 0;
    try {
      for (const prompt of PROMPTS) {
        const ids = model.codec.encode(prompt, false);
        const ours = await model.generate({ prompt, maxTokens: 16, temperature: 0 });
        const seq = context.getSequence();
        const theirs: number[] = [];
        for await (const t of seq.evaluate(ids as Parameters<typeof seq.evaluate>[0], { temperature: 0 })) {
          theirs.push(t);
          if (theirs.length >= 16 || model.codec.eosIds.has(t)) break;
        }
        seq.dispose();
        let same = 0;
        while (same < 16 && ours.tokenIds[same] !== undefined && ours.tokenIds[same] === theirs[same]) same++;
        let note = '';
        if (same === Math.min(16, theirs.length) && ours.tokenIds.length >= same) agree++;
        else {
          // Where the two first part, how far apart are the two choices in our own logits?
          const { logits, cache } = await model.session.prefill([...ids, ...ours.tokenIds.slice(0, same)]);
          cache.dispose();
          const gap = logits[ours.tokenIds[same]!]! - logits[theirs[same]!]!;
          gaps.push(gap);
          note = `  (at token ${same}: our logit gap to theirs ${gap.toFixed(3)})`;
        }
        rows.push(
          `${same === 16 ? 'agree' : 'DIFF '} ${String(same).padStart(2)}/16  ${JSON.stringify(prompt).padEnd(48)}${note}`,
        );
      }
    } finally {
      await context.dispose();
      await peer.dispose();
      await llama.dispose();
    }
    console.log(
      `greedy agreement with node-llama-cpp on 16 tokens: ${agree} of ${PROMPTS.length}\n${rows.join('\n')}`,
    );
    // Both keep the KV cache in f16 and quantize activations to int8 blocks, but not identically (here
    // the Q4_1 minimum term uses exact block sums, there the sums of the quantized activations); they
    // may part only where the top two tokens are nearly tied.
    for (const gap of gaps) expect(Math.abs(gap)).toBeLessThan(0.5);
    // 7 of these 10 agree in full on this machine; other CPUs run other kernels, so the floor is 6.
    expect(agree).toBeGreaterThanOrEqual(6);
  }, 600_000); // node-llama-cpp's spinning threads crawl when the two cores are shared

  it('reads the residual stream of every token at the requested layers', async () => {
    const [r10, r20] = await model.residuals('Emotions shape decisions.', [10, 20]);
    const n = model.codec.encode('Emotions shape decisions.', false).length;
    expect(r10!.length).toBe(n * model.hidden);
    expect(r20!.length).toBe(n * model.hidden);
    expect(r10!.every(Number.isFinite)).toBe(true);
    const norm = Math.hypot(...r20!.subarray((n - 1) * model.hidden));
    expect(norm).toBeGreaterThan(1);
  });
});
