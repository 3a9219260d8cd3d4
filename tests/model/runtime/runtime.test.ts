import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, NonFiniteLogitsError, SamplingParamsError } from '../../../harness/errors.ts';
import { buildDecoderGraph } from '../../../harness/model/graph/llama.ts';
import { ReferenceModel } from '../../../harness/model/reference.ts';
import { CACHE_GROWTH, ModelRuntime } from '../../../harness/model/runtime.ts';
import { DecoderSession } from '../../../harness/model/session.ts';
import type { BuildOptions, TextCodec } from '../../../harness/model/types.ts';
import { tinyConfig, tinyWeights } from '../tiny-model.ts';

/** One character per token: id i <-> code point 32 + i; id 0 (space) doubles as end of sequence. */
const codec: TextCodec = {
  encode: (text) => Array.from(text, (ch) => ch.charCodeAt(0) - 32),
  decode: (ids) => String.fromCharCode(...ids.map((i) => i + 32)),
  encodeChat: (messages) =>
    codec.encode(messages.map((m) => `<${m.role}>${m.content}`).join('') + '<assistant>', false),
  eosIds: new Set([0]),
};

const config = tinyConfig();
const weights = tinyWeights(config, 11);
const build: BuildOptions = { quantization: 'fp32', steerLayers: [0, 1, 2], readoutLayers: [0, 1, 2] };
let rt: ModelRuntime;
let ref: ReferenceModel;
let session: DecoderSession;

beforeAll(async () => {
  const g = await buildDecoderGraph(weights, build);
  session = await DecoderSession.create(Buffer.concat(g.model.chunks), config, build, g.maxPositions);
  rt = new ModelRuntime(session, codec);
  ref = await ReferenceModel.load(weights);
});

describe('ModelRuntime', () => {
  it('greedy generation follows the reference model token by token', async () => {
    const r = await rt.generate({ prompt: 'Hello!', maxTokens: 12, temperature: 0 });
    const tokens = codec.encode('Hello!', false);
    for (const id of r.tokenIds.slice(0, -1)) {
      const last = ref.forward(tokens).logits.at(-1)!;
      expect(id).toBe(last.indexOf(Math.max(...last)));
      tokens.push(id);
    }
    expect(r.usage).toMatchObject({ promptTokens: 6, completionTokens: r.tokenIds.length });
    expect(['eos', 'length']).toContain(r.stopReason);
  });

  it('the same seed at temperature 0.8 gives the same tokens; another seed differs', async () => {
    const req = { prompt: 'abc', maxTokens: 24, temperature: 0.8, topP: 0.95, seed: 5 };
    const a = await rt.generate(req);
    const b = await rt.generate(req);
    const c = await rt.generate({ ...req, seed: 6 });
    expect(b.tokenIds).toEqual(a.tokenIds);
    expect(c.tokenIds).not.toEqual(a.tokenIds);
  });

  it('a stop sequence ends the reply and is cut from the text', async () => {
    const free = await rt.generate({ prompt: 'xyz', maxTokens: 20, temperature: 1, seed: 3 });
    const stop = free.text.slice(4, 6);
    const r = await rt.generate({ prompt: 'xyz', maxTokens: 20, temperature: 1, seed: 3, stop: [stop] });
    expect(r.stopReason).toBe('stop');
    expect(r.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
  });

  it('streams the reply text through onToken', async () => {
    const pieces: string[] = [];
    const r = await rt.generate({
      prompt: 'qq',
      maxTokens: 10,
      temperature: 1,
      seed: 2,
      onToken: (t) => pieces.push(t),
    });
    expect(pieces.join('')).toBe(r.text);
  });

  it('never streams the start of a stop sequence, and streams it once the stop is ruled out', async () => {
    const free = await rt.generate({ prompt: 'xyz', maxTokens: 20, temperature: 1, seed: 3 });
    const stream = async (stop: string) => {
      const pieces: string[] = [];
      const r = await rt.generate({
        prompt: 'xyz',
        maxTokens: 20,
        temperature: 1,
        seed: 3,
        stop: [stop],
        onToken: (t) => pieces.push(t),
      });
      return { r, pieces };
    };
    const stopped = await stream(free.text.slice(4, 7));
    expect(stopped.r.stopReason).toBe('stop');
    expect(stopped.pieces.join('')).toBe(stopped.r.text);
    // A stop that begins with a character of the reply but never completes (é is no token here).
    const first = free.text[4]!;
    const never = await stream(`${first}é`);
    expect(never.r.text).toBe(free.text);
    expect(never.pieces.join('')).toBe(free.text);
    for (const p of never.pieces.slice(0, -1)) expect(p.endsWith(first)).toBe(false);
  });

  it('returns a residual reading for every prompt and reply token, equal to the reference', async () => {
    const v = Float32Array.from({ length: config.embeddingLength }, (_, i) => Math.cos(i));
    const steer = [{ vector: v, coefficient: 0.5, layers: [1] }];
    const r = await rt.generate({
      prompt: 'probe',
      maxTokens: 5,
      temperature: 0,
      steer,
      readout: { layers: [2] },
    });
    const reading = r.readings![0]!;
    expect(reading.layer).toBe(2);
    expect(reading.prompt).toHaveLength(5);
    expect(reading.reply).toHaveLength(r.tokenIds.length);
    const all = [...codec.encode('probe', false), ...r.tokenIds];
    const expected = ref.forward(all, { steer: new Map([[1, v.map((x) => x * 0.5)]]), readoutLayers: [2] });
    const got = [...reading.prompt, ...reading.reply];
    got.forEach((row, t) => {
      const want = expected.residuals.get(2)![t]!;
      expect(Math.max(...row.map((x, i) => Math.abs(x - want[i]!)))).toBeLessThan(1e-4);
    });
  });

  it('the cache grows with the replies, and what it holds after growing still matches the reference', async () => {
    // No end-of-sequence token, so both replies run to their budgets, well past one growth step.
    const endless = new ModelRuntime(session, { ...codec, eosIds: new Set() });
    const capacities: number[] = [];
    const newCache = session.newCache.bind(session);
    session.newCache = (batch, capacity) => {
      capacities.push(capacity);
      return newCache(batch, capacity);
    };
    try {
      const reqs = [
        { prompt: 'grow', maxTokens: CACHE_GROWTH + 60, temperature: 0, readout: { layers: [2] } },
        { prompt: 'and me', maxTokens: 20, temperature: 0.8, seed: 1, readout: { layers: [2] } },
      ];
      const [long, short] = await Promise.all(reqs.map((r) => endless.generate(r)));
      expect(long!.tokenIds).toHaveLength(CACHE_GROWTH + 60);
      expect(short!.tokenIds).toHaveLength(20);
      // Past the prefills (sized to the prompts, 4 and 6): the batch is first sized to the longer prompt
      // plus one growth step, not to the long reply's budget (4 + 188 + 1); it grows to that budget later.
      const batched = capacities.filter((c) => c > 6);
      expect(batched[0]).toBe(6 + CACHE_GROWTH);
      expect(batched.length).toBeGreaterThan(2);
      expect(Math.max(...batched)).toBe(4 + CACHE_GROWTH + 60 + 1);
      for (const [r, prompt] of [
        [long!, 'grow'],
        [short!, 'and me'],
      ] as const) {
        const expected = ref.forward([...codec.encode(prompt, false), ...r.tokenIds], { readoutLayers: [2] });
        const got = [...r.readings![0]!.prompt, ...r.readings![0]!.reply];
        got.forEach((row, t) => {
          const want = expected.residuals.get(2)![t]!;
          expect(Math.max(...row.map((x, i) => Math.abs(x - want[i]!)))).toBeLessThan(1e-4);
        });
      }
    } finally {
      session.newCache = newCache;
    }
  });

  it('a prompt that starts with a kept prompt and reply prefills only the rest, and equals a fresh run', async () => {
    const keeping = new ModelRuntime(session, codec, 8, 2);
    const first = 'Tell me a story about a cat';
    const a = await keeping.generate({
      prompt: first,
      maxTokens: 12,
      temperature: 0,
      readout: { layers: [2] },
    });
    expect(a.text.length).toBeGreaterThan(5);
    const follow = `${first}${a.text}! And now one about a dog`;
    const before = { ...keeping.promptStats };
    const req = { prompt: follow, maxTokens: 10, temperature: 0, readout: { layers: [2] } };
    const b = await keeping.generate(req);
    const reused = keeping.promptStats.reused - before.reused;
    expect(reused).toBeGreaterThanOrEqual(first.length + a.text.length);
    expect(keeping.promptStats.prefilled - before.prefilled).toBe(follow.length - reused);

    const fresh = await rt.generate(req);
    expect(b.tokenIds).toEqual(fresh.tokenIds);
    const expected = ref.forward([...codec.encode(follow, false), ...b.tokenIds], { readoutLayers: [2] });
    const got = [...b.readings![0]!.prompt, ...b.readings![0]!.reply];
    expect(got).toHaveLength(follow.length + b.tokenIds.length);
    got.forEach((row, t) => {
      const want = expected.residuals.get(2)![t]!;
      expect(Math.max(...row.map((x, i) => Math.abs(x - want[i]!)))).toBeLessThan(1e-4);
    });

    // Steering changes every later key and value: another steering reuses nothing.
    const steer = [{ vector: new Float32Array(64).fill(0.3), coefficient: 1, layers: [1] }];
    const mid = keeping.promptStats.reused;
    await keeping.generate({ ...req, steer });
    expect(keeping.promptStats.reused).toBe(mid);
  });

  it('concurrent requests are decoded together and equal each decoded alone', async () => {
    const reqs = [
      { prompt: 'one', maxTokens: 8, temperature: 0.7, seed: 1 },
      { messages: [{ role: 'user' as const, content: 'two, longer' }], maxTokens: 6, temperature: 0 },
      {
        prompt: 'three!',
        maxTokens: 10,
        temperature: 0,
        steer: [{ vector: new Float32Array(64).fill(0.2), coefficient: 1, layers: [0] }],
      },
    ];
    const together = await Promise.all(reqs.map((r) => rt.generate(r)));
    for (const [i, r] of reqs.entries())
      expect((await rt.generateBatch([r]))[0]!.tokenIds).toEqual(together[i]!.tokenIds);
  });

  it('a request made mid-reply joins the batch, leaves it when done, and equals its reply alone', async () => {
    const long = { prompt: 'a long one', maxTokens: 40, temperature: 0.9, seed: 4 };
    const short = { prompt: 'short', maxTokens: 3, temperature: 0.9, seed: 9 };
    const order: string[] = [];
    let tokensSoFar = 0;
    let joined: Promise<unknown> | undefined;
    const longDone = rt
      .generate({
        ...long,
        onToken: (_t, _id) => {
          joined ??= rt.generate(short).then((r) => {
            order.push(`short after ${tokensSoFar} long tokens`);
            return r;
          });
          tokensSoFar++;
        },
      })
      .then((r) => {
        order.push('long');
        return r;
      });
    const longResult = await longDone;
    const shortResult = (await joined) as Awaited<ReturnType<typeof rt.generate>>;
    expect(longResult.tokenIds.length).toBe(40);
    // The short reply ended while the long one was still being decoded, not after it.
    expect(order[0]).toMatch(/^short after \d+ long tokens$/);
    expect(Number(order[0]!.split(' ')[2])).toBeLessThan(40);
    expect((await rt.generate(long)).tokenIds).toEqual(longResult.tokenIds);
    expect((await rt.generate(short)).tokenIds).toEqual(shortResult.tokenIds);
  });

  it('counts the tokens of a conversation with its chat template', () => {
    expect(rt.countChatTokens([{ role: 'user', content: 'ab' }])).toBe('<user>ab<assistant>'.length);
    expect(rt.contextLength).toBe(config.contextLength);
  });

  it('a steering strength that breaks the logits fails that request alone, naming the cause', async () => {
    const v = Float32Array.from({ length: config.embeddingLength }, (_, i) => Math.cos(i));
    const absurd = rt.generate({
      prompt: 'abc',
      maxTokens: 8,
      temperature: 0.7,
      steer: [{ vector: v, coefficient: 1e39, layers: [1] }], // beyond float32: the residual becomes infinite
    });
    const plain = rt.generate({ prompt: 'abc', maxTokens: 8, temperature: 0 });
    await expect(absurd).rejects.toBeInstanceOf(NonFiniteLogitsError);
    await expect(absurd).rejects.toThrow(
      /^reply token 1: no finite logit among 96 \(96 NaN, 0 infinite\), so no token can be chosen; the request adds a steering vector of norm 5\.\d+e\+39/,
    );
    const alone = await rt.generate({ prompt: 'abc', maxTokens: 8, temperature: 0 });
    expect((await plain).tokenIds).toEqual(alone.tokenIds);
  });

  it('rejects sampling parameters outside their ranges at the call', async () => {
    for (const bad of [{ temperature: -1 }, { temperature: 0.5, topP: 0 }, { temperature: 0.5, topK: 1.5 }])
      await expect(rt.generate({ prompt: 'a', maxTokens: 1, ...bad })).rejects.toBeInstanceOf(
        SamplingParamsError,
      );
  });

  it('rejects a steering vector of the wrong width and an unsteerable layer', async () => {
    await expect(
      rt.generate({
        prompt: 'a',
        maxTokens: 1,
        steer: [{ vector: new Float32Array(3), coefficient: 1, layers: [0] }],
      }),
    ).rejects.toThrow(/width 64, received 3/);
    await expect(
      rt.generateBatch([
        { prompt: 'a', maxTokens: 1, steer: [{ vector: new Float32Array(64), coefficient: 1, layers: [7] }] },
      ]),
    ).rejects.toBeInstanceOf(InputError);
  });
});
