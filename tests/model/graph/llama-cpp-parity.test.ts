/**
 * The harness against llama.cpp (node-llama-cpp) on the files people download: random-weight models of the
 * Llama 3.1 (rope_freqs.weight), Qwen2 (q/k/v bias, width 896), Mistral (SentencePiece vocabulary) and
 * SmolLM2 (width 576) shapes, written in F32 and quantized by llama.cpp itself to F16, Q8_0, Q4_K_M (with
 * its Q5_0 / Q8_0 / Q6_K fallbacks) and Q6_K. On the same token ids, per file: the fp32 graph against
 * llama.cpp on an F32 copy holding the file's dequantized values; the default graph against llama.cpp on
 * the file, beside llama.cpp's own distance from the exact F32 weights. Prints the table. Slow (minutes).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Llama, LlamaModel, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModel } from '../../../harness/model/local-model.ts';
import type { Quantization } from '../../../harness/model/types.ts';
import { harness as cli } from '../../cli/support.ts';
import { type FileType, llamaQuantize } from '../llama-quantize.ts';
import {
  randomModelMetadata,
  SHAPES,
  type Shape,
  writeDequantizedCopy,
  writeRandomModel,
} from '../random-gguf.ts';

const POSITIONS = 48;
const GREEDY = 12;
const TYPES: FileType[] = ['F16', 'Q8_0', 'Q4_K_M', 'Q6_K'];

let dir: string;
let llama: Llama;
const rows: string[] = [];

/** Per position, the log-probabilities over the vocabulary: [positions][vocab]. */
type LogProbs = Float64Array[];

interface Distance {
  max: number;
  rms: number;
  top1: number;
}

function distance(a: LogProbs, b: LogProbs): Distance {
  let max = 0;
  let sq = 0;
  let n = 0;
  let top1 = 0;
  a.forEach((row, p) => {
    const other = b[p] as Float64Array;
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < row.length; i++) {
      const d = Math.abs((row[i] as number) - (other[i] as number));
      max = Math.max(max, d);
      sq += d * d;
      n++;
      if ((row[i] as number) > (row[ia] as number)) ia = i;
      if ((other[i] as number) > (other[ib] as number)) ib = i;
    }
    if (ia === ib) top1++;
  });
  return { max, rms: Math.sqrt(sq / n), top1 };
}

async function theirLogProbs(model: LlamaModel, tokens: number[], vocab: number): Promise<LogProbs> {
  const context = await model.createContext({ contextSize: 128, threads: 2 });
  try {
    const seq = context.getSequence();
    const out = await seq.controlledEvaluate(
      tokens.map((t) => [t as Token, { generateNext: { probabilities: true } }] as const),
    );
    return out.map((r) => {
      const row = new Float64Array(vocab).fill(Number.NEGATIVE_INFINITY);
      for (const [t, p] of r?.next?.probabilities ?? []) row[t] = Math.log(p);
      return row;
    });
  } finally {
    await context.dispose();
  }
}

async function theirGreedy(model: LlamaModel, tokens: number[]): Promise<number[]> {
  const context = await model.createContext({ contextSize: 128, threads: 2 });
  try {
    const seq = context.getSequence();
    const out: number[] = [];
    for await (const t of seq.evaluate(tokens as Token[], { temperature: 0 })) {
      out.push(t);
      if (out.length >= GREEDY) break;
    }
    return out;
  } finally {
    await context.dispose();
  }
}

async function llamaCpp(path: string, tokens: number[], vocab: number) {
  const model = await llama.loadModel({ modelPath: path });
  try {
    return { logProbs: await theirLogProbs(model, tokens, vocab), greedy: await theirGreedy(model, tokens) };
  } finally {
    await model.dispose();
  }
}

async function harness(path: string, tokens: number[], quantization: Quantization) {
  const model = await LocalModel.load(path, { quantization, cacheRoot: dir, threads: 2 });
  try {
    const V = model.session.config.vocabSize;
    const cache = model.session.newCache(1, tokens.length + GREEDY);
    const out = await model.session.step(cache, {
      tokens: [tokens],
      logitPositions: [tokens.map((_, i) => i)],
    });
    const logProbs = tokens.map((_, p) => {
      const row = out.logits.subarray(p * V, (p + 1) * V);
      let m = Number.NEGATIVE_INFINITY;
      for (const x of row) m = Math.max(m, x);
      let sum = 0;
      for (const x of row) sum += Math.exp(x - m);
      const lse = m + Math.log(sum);
      return Float64Array.from(row, (x) => x - lse);
    });
    const greedy: number[] = [];
    let last = logProbs.at(-1) as Float64Array;
    for (let i = 0; i < GREEDY; i++) {
      let best = 0;
      for (let j = 1; j < last.length; j++) if ((last[j] as number) > (last[best] as number)) best = j;
      greedy.push(best);
      if (i === GREEDY - 1) break;
      last = Float64Array.from((await model.session.step(cache, { tokens: [[best]] })).logits);
    }
    cache.dispose();
    return { logProbs, greedy };
  } finally {
    await model.dispose();
  }
}

function commonPrefix(a: number[], b: number[]): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llama-cpp-parity-'));
  const { getLlama } = await import('node-llama-cpp');
  llama = await getLlama({ gpu: false });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
  console.log(
    [
      '| shape | file | fp32 vs llama.cpp on the dequantized copy, max | default vs llama.cpp max / rms | top-1 | greedy | llama.cpp vs exact max / rms | top-1 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
});

describe.each(SHAPES)('$name', (shape: Shape) => {
  let exact: Awaited<ReturnType<typeof llamaCpp>>;
  let tokens: number[];
  let vocab: number;
  const f32 = () => join(dir, `${shape.name}-F32.gguf`);

  beforeAll(async () => {
    await writeRandomModel(f32(), shape);
    vocab = (randomModelMetadata(shape)['tokenizer.ggml.tokens'] as string[]).length;
    // BOS, then seeded ids from the ordinary tokens.
    let s = 12345;
    const bos = shape.vocabulary === 'spm' ? 1 : vocab - 4;
    tokens = [bos];
    for (let i = 1; i < POSITIONS; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      tokens.push(3 + (s % (vocab - 8)));
    }
    exact = await llamaCpp(f32(), tokens, vocab);
  }, 300_000);

  it.each(TYPES)(
    '%s: loads; fp32 within 1e-2 of llama.cpp on its values; the default graph measured beside llama.cpp',
    async (type) => {
      const file = join(dir, `${shape.name}-${type}.gguf`);
      llamaQuantize(f32(), file, type);
      const copy = join(dir, `${shape.name}-${type}-dequantized.gguf`);
      await writeDequantizedCopy(file, copy, shape);

      const theirs = await llamaCpp(file, tokens, vocab);
      const theirsOnValues = await llamaCpp(copy, tokens, vocab);
      const oursFp32 = await harness(file, tokens, 'fp32');
      const ours = await harness(file, tokens, 'q4');

      const fp32 = distance(oursFp32.logProbs, theirsOnValues.logProbs);
      const graph = distance(ours.logProbs, theirs.logProbs);
      const own = distance(theirs.logProbs, exact.logProbs);
      rows.push(
        `| ${shape.name} | ${type} | ${fp32.max.toFixed(4)} (greedy ${commonPrefix(oursFp32.greedy, theirsOnValues.greedy)}/${GREEDY}) | ${graph.max.toFixed(3)} / ${graph.rms.toFixed(3)} | ` +
          `${graph.top1}/${POSITIONS} | ${commonPrefix(ours.greedy, theirs.greedy)}/${GREEDY} | ` +
          `${own.max.toFixed(3)} / ${own.rms.toFixed(3)} | ${own.top1}/${POSITIONS} |`,
      );
      expect(fp32.max).toBeLessThan(1e-2);
      expect(graph.max).toBeLessThanOrEqual(own.max);
    },
    600_000,
  );

  it('Q4_K_M: `harness model generate` runs a multi-step greedy generation', async () => {
    const file = join(dir, `${shape.name}-Q4_K_M.gguf`);
    if (!existsSync(file)) llamaQuantize(f32(), file, 'Q4_K_M');
    const result = await cli(
      [
        'model',
        'generate',
        '--model',
        file,
        '--prompt',
        'the cat sat on',
        '--max-tokens',
        '8',
        '--temperature',
        '0',
      ],
      { env: { HARNESS_CACHE: dir } },
    );
    expect(result.stderr).toMatch(/\[(length|eos); \d+ prompt \+ \d+ generated tokens/);
    const generated = Number(result.stderr.match(/\+ (\d+) generated tokens/)?.[1]);
    expect(result.exitCode).toBe(0);
    expect(generated).toBeGreaterThan(1);
    rows.push(
      `| ${shape.name} | Q4_K_M | \`model generate\`: ${generated} tokens, ${JSON.stringify(result.stdout.trim())} | | | | | |`,
    );
  }, 300_000);
});
