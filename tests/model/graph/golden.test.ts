import { beforeAll, describe, expect, it } from 'vitest';
import { buildDecoderGraph } from '../../../harness/model/graph/llama.ts';
import { requantizedWeights } from '../../../harness/model/memory-weights.ts';
import { ReferenceModel } from '../../../harness/model/reference.ts';
import { DecoderSession } from '../../../harness/model/session.ts';
import type { BuildOptions, DecoderConfig, WeightSource } from '../../../harness/model/types.ts';
import { tinyConfig, tinyWeights } from '../tiny-model.ts';

const ALL = [0, 1, 2];
const PROMPT = [5, 17, 3, 88, 42, 9, 61];

async function session(w: WeightSource, build: BuildOptions): Promise<DecoderSession> {
  const g = await buildDecoderGraph(w, build);
  return DecoderSession.create(Buffer.concat(g.model.chunks), w.config, build, g.maxPositions);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** Prefill then 20 greedy cached decode steps; every step's logits against the uncached reference. */
async function goldenRun(s: DecoderSession, ref: ReferenceModel): Promise<number> {
  const cache = s.newCache(1, 40);
  const tokens = [...PROMPT];
  let out = await s.step(cache, { tokens: [tokens] });
  let worst = maxDiff(out.logits, ref.forward(tokens).logits.at(-1)!);
  for (let i = 0; i < 20; i++) {
    tokens.push(argmax(out.logits));
    out = await s.step(cache, { tokens: [[tokens.at(-1)!]] });
    worst = Math.max(worst, maxDiff(out.logits, ref.forward(tokens).logits.at(-1)!));
  }
  return worst;
}

describe.each<[string, DecoderConfig, Record<string, Float32Array>]>([
  ['llama (interleaved rotary, tied head)', tinyConfig(), {}],
  [
    'qwen2 (q/k/v bias, halves rotary, separate head, linear rope scaling and per-frequency factors)',
    tinyConfig({
      architecture: 'qwen2',
      hasQkvBias: true,
      tiedEmbeddings: false,
      ropeScaling: { type: 'linear', factor: 4 },
    }),
    // rope_freqs.weight as Llama 3.1 files carry it: 1 for short wavelengths up to 8 for long ones.
    { 'rope_freqs.weight': Float32Array.from({ length: 8 }, (_, i) => 1 + i) },
  ],
])('golden: %s', (_name, config, extra) => {
  const w = tinyWeights(config, 7, extra);

  it('fp32 graph logits equal the reference within 1e-4 for a prefill and 20 cached decode steps', async () => {
    const s = await session(w, { quantization: 'fp32', steerLayers: ALL, readoutLayers: ALL });
    const worst = await goldenRun(s, await ReferenceModel.load(w));
    expect(worst).toBeLessThan(1e-4);
    await s.dispose();
  });

  it('q4 graph with fp32 activations equals the reference on the requantized weights within 1e-4', async () => {
    const build: BuildOptions = {
      quantization: 'q4',
      steerLayers: [],
      readoutLayers: [],
      exactActivations: true,
    };
    const s = await session(w, build);
    expect(await goldenRun(s, await ReferenceModel.load(await requantizedWeights(w)))).toBeLessThan(1e-4);
    await s.dispose();
  });

  it('a float16 KV cache (f16 attention products) stays within 1e-2 of the reference', async () => {
    const s = await session(w, {
      quantization: 'fp32',
      steerLayers: [],
      readoutLayers: [],
      kvCache: 'float16',
    });
    const worst = await goldenRun(s, await ReferenceModel.load(w));
    console.log(`float16 KV cache: worst logit difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-2);
    expect(worst).toBeGreaterThan(0); // the cache really is float16
    await s.dispose();
  });

  it('q4 graph with int8 activations stays close to the same reference', async () => {
    const s = await session(w, { quantization: 'q4', steerLayers: [], readoutLayers: [] });
    const worst = await goldenRun(s, await ReferenceModel.load(await requantizedWeights(w)));
    // Logits here span about +-3; int8 activation rounding costs a few hundredths.
    expect(worst).toBeLessThan(0.2);
    await s.dispose();
  });
});

describe('steering and readout', () => {
  const config = tinyConfig();
  const w = tinyWeights(config, 3);
  const H = config.embeddingLength;
  let s: DecoderSession;
  let ref: ReferenceModel;
  beforeAll(async () => {
    s = await session(w, { quantization: 'fp32', steerLayers: ALL, readoutLayers: ALL });
    ref = await ReferenceModel.load(w);
  });

  it('a zero steering input leaves logits as the graph without steering inputs', async () => {
    const plain = await session(w, { quantization: 'fp32', steerLayers: [], readoutLayers: [] });
    const a = await s.step(s.newCache(1, 40), { tokens: [PROMPT], steer: new Float32Array(3 * H) });
    const b = await plain.step(plain.newCache(1, 40), { tokens: [PROMPT] });
    expect(maxDiff(a.logits, b.logits)).toBe(0);
    await plain.dispose();
  });

  it('a vector v after block 1 moves the readout after block 1 by exactly v and changes the logits', async () => {
    const v = Float32Array.from({ length: H }, (_, i) => Math.sin(i) * 0.7);
    const steer = new Float32Array(3 * H);
    steer.set(v, 1 * H);
    const base = await s.step(s.newCache(1, 40), { tokens: [PROMPT], readoutLayers: [0, 1] });
    const moved = await s.step(s.newCache(1, 40), { tokens: [PROMPT], steer, readoutLayers: [0, 1] });
    expect(maxDiff(moved.residuals.get(0)!, base.residuals.get(0)!)).toBe(0);
    const r0 = base.residuals.get(1)!;
    const r1 = moved.residuals.get(1)!;
    for (let t = 0; t < PROMPT.length; t++) {
      const delta = r1.slice(t * H, (t + 1) * H).map((x, i) => x - r0[t * H + i]!);
      expect(maxDiff(delta, v)).toBeLessThan(1e-5);
    }
    expect(maxDiff(moved.logits, base.logits)).toBeGreaterThan(1e-2);
    const expected = ref.forward(PROMPT, { steer: new Map([[1, v]]), readoutLayers: [1] });
    expect(maxDiff(moved.logits, expected.logits.at(-1)!)).toBeLessThan(1e-4);
    expect(maxDiff(r1, concat(expected.residuals.get(1)!))).toBeLessThan(1e-4);
  });

  it('a prompt prefilled in chunks equals the reference', async () => {
    const long = Array.from({ length: 23 }, (_, i) => (i * 37) % config.vocabSize);
    const pre = await s.prefill(long, { chunk: 5, readoutLayers: [2], logitPositions: [0, 11, 22] });
    const expected = ref.forward(long, { readoutLayers: [2] });
    [0, 11, 22].forEach((p, i) => {
      expect(
        maxDiff(pre.logits.slice(i * config.vocabSize, (i + 1) * config.vocabSize), expected.logits[p]!),
      ).toBeLessThan(1e-4);
    });
    expect(maxDiff(pre.residuals.get(2)!, concat(expected.residuals.get(2)!))).toBeLessThan(1e-4);
    expect(pre.cache.lengths).toEqual([23]);
    expect(pre.cache.capacity).toBe(23);
  });

  it('a batch of sequences of different lengths equals each decoded alone', async () => {
    const prompts = [PROMPT, [4, 4, 70], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];
    const steer = new Float32Array(3 * 3 * H);
    steer.fill(0.05, 1 * 3 * H, 2 * 3 * H); // only the second sequence is steered
    const batch = s.newCache(3, 40);
    let out = await s.step(batch, { tokens: prompts, steer });
    const batched: number[][] = [[], [], []];
    for (let step = 0; step < 6; step++) {
      const next = prompts.map((_, b) =>
        argmax(out.logits.slice(b * config.vocabSize, (b + 1) * config.vocabSize)),
      );
      for (const [b, t] of next.entries()) batched[b]!.push(t);
      out = await s.step(batch, { tokens: next.map((t) => [t]), steer });
    }
    for (let b = 0; b < 3; b++) {
      const alone = s.newCache(1, 40);
      const own = steer.slice(b * 3 * H, (b + 1) * 3 * H);
      let o = await s.step(alone, { tokens: [prompts[b]!], steer: own });
      const seq: number[] = [];
      for (let step = 0; step < 6; step++) {
        seq.push(argmax(o.logits));
        o = await s.step(alone, { tokens: [[seq.at(-1)!]], steer: own });
      }
      expect(seq).toEqual(batched[b]);
      expect(
        maxDiff(o.logits, out.logits.slice(b * config.vocabSize, (b + 1) * config.vocabSize)),
      ).toBeLessThan(1e-4);
    }
  });
});

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  for (const [i, r] of rows.entries()) out.set(r, i * r.length);
  return out;
}
