/**
 * Speed of the local model against node-llama-cpp on the same GGUF file, thread count and context:
 * prefill tokens/s, decode tokens/s at several batch sizes, peak RSS. Medians over repeated steps.
 */
import { median } from '../../analysis/index.ts';
import { PrerequisiteError } from '../errors.ts';
import type { DecoderSession } from './session.ts';

export interface BenchOptions {
  modelPath: string;
  threads: number;
  /** Prompt tokens before decoding starts. */
  context: number;
  batchSizes: number[];
  decodeSteps: number;
  repeats: number;
  /** Token ids to build prompts from (cycled); any fixed text's tokens do. */
  sampleTokens: number[];
  /** The memory phase: the largest batch decoding at this many tokens each (0 = skip). */
  memoryContext: number;
}

export interface BenchResult {
  prefillTokensPerS: number;
  decode: { batch: number; tokensPerS: number; msPerStep: number }[];
  peakRssMb: number;
  /** The memory phase's KV cache, and the batch and context it held. */
  memory?: { batch: number; context: number; kvCacheMb: number };
  peer?: { prefillTokensPerS: number; decodeTokensPerS: number };
  peerError?: string;
}

function prompt(sample: number[], length: number, shift: number): number[] {
  return Array.from({ length }, (_, i) => sample[(i + shift) % sample.length]!);
}

export async function benchSession(session: DecoderSession, o: BenchOptions): Promise<BenchResult> {
  const prefills: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    const t = performance.now();
    const { cache } = await session.prefill(prompt(o.sampleTokens, o.context, r));
    prefills.push(performance.now() - t);
    cache.dispose();
  }
  const decode: BenchResult['decode'] = [];
  for (const batch of o.batchSizes) {
    const prompts = Array.from({ length: batch }, (_, b) => prompt(o.sampleTokens, o.context, b * 7));
    const cache = session.newCache(batch, o.context + o.decodeSteps);
    for (const [b, p] of prompts.entries()) {
      const pre = await session.prefill(p);
      cache.setRow(b, pre.cache);
      pre.cache.dispose();
    }
    const steps: number[] = [];
    for (let i = 0; i < o.decodeSteps; i++) {
      const t = performance.now();
      await session.step(cache, { tokens: prompts.map((p) => [p[i % p.length]!]) });
      steps.push(performance.now() - t);
    }
    cache.dispose();
    const ms = median(steps);
    decode.push({ batch, msPerStep: ms, tokensPerS: (batch * 1000) / ms });
  }
  let memory: BenchResult['memory'];
  if (o.memoryContext > 0) {
    // One prefill copied into every row: the cache is as full as with distinct prompts, for less time.
    const batch = Math.max(...o.batchSizes);
    const pre = await session.prefill(prompt(o.sampleTokens, o.memoryContext, 0));
    const cache = session.newCache(batch, o.memoryContext + 8);
    for (let b = 0; b < batch; b++) cache.setRow(b, pre.cache);
    pre.cache.dispose();
    for (let i = 0; i < 4; i++)
      await session.step(cache, { tokens: Array.from({ length: batch }, () => [o.sampleTokens[i]!]) });
    memory = { batch, context: o.memoryContext, kvCacheMb: cache.bytes / 2 ** 20 };
    cache.dispose();
  }
  const result: BenchResult = {
    prefillTokensPerS: (o.context * 1000) / median(prefills),
    decode,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    memory,
  };
  try {
    result.peer = await benchLlamaCpp(o);
  } catch (error) {
    result.peerError = error instanceof PrerequisiteError ? error.message : String(error);
  }
  return result;
}

/** node-llama-cpp (a development dependency) on the same file, threads and context. */
async function benchLlamaCpp(
  o: BenchOptions,
): Promise<{ prefillTokensPerS: number; decodeTokensPerS: number }> {
  const lib = await import('node-llama-cpp').catch(() => {
    throw new PrerequisiteError('node-llama-cpp is not installed', 'npm i -D -E node-llama-cpp@3.21.1');
  });
  const llama = await lib.getLlama({ gpu: false });
  const model = await llama.loadModel({ modelPath: o.modelPath });
  const context = await model.createContext({
    contextSize: o.context + o.decodeSteps + 8,
    threads: o.threads,
    batchSize: o.context,
  });
  try {
    const prefills: number[] = [];
    const steps: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const seq = context.getSequence();
      const tokens = prompt(o.sampleTokens, o.context, r) as Parameters<
        typeof seq.evaluateWithoutGeneratingNewTokens
      >[0];
      let t = performance.now();
      await seq.evaluateWithoutGeneratingNewTokens(tokens);
      prefills.push(performance.now() - t);
      if (r === 0) {
        // Greedy generation after the prompt: each token is one decode step including the output head.
        t = performance.now();
        for await (const _token of seq.evaluate([tokens.at(-1)!], { temperature: 0 })) {
          const now = performance.now();
          steps.push(now - t);
          t = now;
          if (steps.length >= o.decodeSteps) break;
        }
      }
      seq.dispose();
    }
    return {
      prefillTokensPerS: (o.context * 1000) / median(prefills),
      decodeTokensPerS: 1000 / median(steps),
    };
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
}
