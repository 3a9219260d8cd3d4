/**
 * One onnxruntime-node session over a decoder graph, and the forward step the generation loop calls:
 * a batched prefill (all sequences start empty, right-padded) or a one-token decode per sequence.
 */
import * as ort from 'onnxruntime-node';
import { KvCache } from './kv-cache.ts';
import { type BuildOptions, type DecoderConfig, GRAPH_IO, kvCacheType } from './types.ts';

/** Prompt tokens per forward pass: 512 keeps a long prompt's attention scratch near 100 MB. */
export const PREFILL_CHUNK = 512;

export interface StepInput {
  /** New tokens per sequence. Prefill: every sequence's prompt (cache empty). Decode: one token each. */
  tokens: number[][];
  /** [batch, steerLayers, hidden] added after the graph's steer layers; omitted = zeros. */
  steer?: Float32Array;
  /** Positions (within this step's tokens) whose logits are wanted, per sequence; default the last. */
  logitPositions?: number[][];
  readoutLayers?: number[];
}

export interface StepOutput {
  /** [batch, positions, vocab] */
  logits: Float32Array;
  positions: number;
  /** Per readout layer, [batch, stepLength, hidden] (rows past a sequence's own length are padding). */
  residuals: Map<number, Float32Array>;
  stepLength: number;
}

export class DecoderSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly config: DecoderConfig,
    readonly build: BuildOptions,
    readonly maxPositions: number,
  ) {}

  static async create(
    model: string | Uint8Array,
    config: DecoderConfig,
    build: BuildOptions,
    maxPositions: number,
    threads = 2,
    /**
     * Let idle worker threads spin rather than sleep between operators. Waking a sleeping thread costs
     * about 2.7 of the 15 ms of a one-sequence decode step (12.4 ms spinning, on 2 cores), but spinning
     * threads starve whatever shares the cores: with sandboxes running beside it a step took 50 ms
     * spinning and 17 ms not. So it is for commands that have the machine to themselves.
     */
    spin = false,
  ): Promise<DecoderSession> {
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: spin ? '1' : '0' } } },
    };
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, options)
        : await ort.InferenceSession.create(model, options);
    return new DecoderSession(session, config, build, maxPositions);
  }

  /** An empty cache for `batch` sequences of up to `capacity` tokens each. */
  newCache(batch: number, capacity: number): KvCache {
    if (capacity > this.maxPositions)
      throw new RangeError(`a cache of ${capacity} positions exceeds the graph's ${this.maxPositions}`);
    return new KvCache(this.config, batch, capacity, kvCacheType(this.build));
  }

  /**
   * One forward pass: tokens[b] follow sequence b's cached tokens (right-padded to the longest), and
   * their keys and values are appended to the cache.
   */
  async step(cache: KvCache, input: StepInput, past: KvCache = cache): Promise<StepOutput> {
    const c = this.config;
    const B = cache.batch;
    const T = past.capacity;
    const S = Math.max(...input.tokens.map((t) => t.length));
    const ids = new BigInt64Array(B * S);
    const positionIds = new BigInt64Array(B * S);
    const mask = new Float32Array(B * S * (T + S)).fill(-1e9);
    const counts = input.tokens.map((t) => t.length);
    for (let b = 0; b < B; b++) {
      const toks = input.tokens[b]!;
      const len = cache.lengths[b]!;
      if (len + counts[b]! > cache.capacity)
        throw new RangeError(
          `sequence ${b} needs ${len + counts[b]!} positions; its cache holds ${cache.capacity}`,
        );
      for (let s = 0; s < S; s++) {
        ids[b * S + s] = BigInt(toks[s] ?? 0);
        positionIds[b * S + s] = BigInt(Math.min(len + s, this.maxPositions - 1));
        const row = (b * S + s) * (T + S);
        mask.fill(0, row, row + len); // every cached token
        mask.fill(0, row + T, row + T + Math.min(s + 1, Math.max(toks.length, 1))); // new tokens up to s
      }
    }
    const positions = input.logitPositions ?? input.tokens.map((t) => [Math.max(0, t.length - 1)]);
    const P = Math.max(...positions.map((p) => p.length));
    const logitPos = new BigInt64Array(B * P);
    positions.forEach((ps, b) => {
      for (let i = 0; i < P; i++) logitPos[b * P + i] = BigInt(ps[Math.min(i, ps.length - 1)] ?? 0);
    });

    const feeds: Record<string, ort.Tensor> = {
      [GRAPH_IO.inputIds]: new ort.Tensor('int64', ids, [B, S]),
      [GRAPH_IO.positionIds]: new ort.Tensor('int64', positionIds, [B, S]),
      [GRAPH_IO.attentionMask]: new ort.Tensor('float32', mask, [B, 1, S, T + S]),
      [GRAPH_IO.logitPositions]: new ort.Tensor('int64', logitPos, [B, P]),
    };
    const nSteer = this.build.steerLayers.length;
    if (nSteer) {
      const steer = input.steer ?? new Float32Array(B * nSteer * c.embeddingLength);
      feeds[GRAPH_IO.steer] = new ort.Tensor('float32', steer, [B, nSteer, c.embeddingLength]);
    }
    const fetches: Record<string, null> = { [GRAPH_IO.logits]: null };
    for (let l = 0; l < c.blockCount; l++) {
      feeds[GRAPH_IO.pastKey(l)] = past.keys[l]!;
      feeds[GRAPH_IO.pastValue(l)] = past.values[l]!;
      fetches[GRAPH_IO.newKey(l)] = null;
      fetches[GRAPH_IO.newValue(l)] = null;
    }
    for (const l of input.readoutLayers ?? []) fetches[GRAPH_IO.residual(l)] = null;

    const out = await this.session.run(feeds, fetches);
    for (let l = 0; l < c.blockCount; l++) {
      const k = out[GRAPH_IO.newKey(l)]!;
      const v = out[GRAPH_IO.newValue(l)]!;
      if (k.type !== cache.type || v.type !== cache.type)
        throw new TypeError(`the graph returns ${k.type} keys for a ${cache.type} cache`);
      cache.append(l, k.data as Float32Array | Uint16Array, v.data as Float32Array | Uint16Array, S, counts);
      k.dispose();
      v.dispose();
    }
    for (let b = 0; b < B; b++) cache.lengths[b]! += counts[b]!;
    const residuals = new Map<number, Float32Array>();
    for (const l of input.readoutLayers ?? [])
      residuals.set(l, out[GRAPH_IO.residual(l)]!.data as Float32Array);
    return { logits: out[GRAPH_IO.logits]!.data as Float32Array, positions: P, residuals, stepLength: S };
  }

  /**
   * Runs one sequence's prompt into a new single-sequence cache, in chunks of at most `chunk` tokens
   * (attention scratch grows with chunk x length; chunking bounds memory on long prompts). Returns the
   * logits at `logitPositions` (default: the last token), [positions, vocab], and each readout layer's
   * residuals, [tokens, hidden].
   */
  async prefill(
    tokens: number[],
    opts: {
      steer?: Float32Array;
      readoutLayers?: number[];
      logitPositions?: number[];
      chunk?: number;
      /** Room in the returned cache (default: the prompt alone). */
      capacity?: number;
      /**
       * A single-sequence cache whose first `length` tokens are these tokens' (computed with the same
       * steering): they are copied once, only the rest are run, and only the rest's residual rows are
       * filled. Logit positions must lie in the rest.
       */
      from?: { cache: KvCache; length: number };
    } = {},
  ): Promise<{ cache: KvCache; logits: Float32Array; residuals: Map<number, Float32Array> }> {
    const V = this.config.vocabSize;
    const H = this.config.embeddingLength;
    const chunk = opts.chunk ?? PREFILL_CHUNK;
    const wanted = opts.logitPositions ?? [tokens.length - 1];
    const first = opts.from?.length ?? 0;
    if (first >= tokens.length || wanted.some((p) => p < first))
      throw new RangeError(
        `a prefill from ${first} cached tokens needs new tokens and logit positions after them`,
      );
    const cache = this.newCache(1, opts.capacity ?? tokens.length);
    if (opts.from) cache.setRow(0, opts.from.cache, 0, first);
    const logits = new Float32Array(wanted.length * V);
    const residuals = new Map(
      (opts.readoutLayers ?? []).map((l) => [l, new Float32Array(tokens.length * H)]),
    );
    try {
      for (let start = first; start < tokens.length; start += chunk) {
        const piece = tokens.slice(start, start + chunk);
        const here = wanted.flatMap((p, i) =>
          p >= start && p < start + piece.length ? [[p - start, i]] : [],
        );
        // Attention reads exactly the tokens so far, not the whole capacity: a copy of them per chunk.
        const past = KvCache.prefix(cache, start);
        const out = await this.step(
          cache,
          {
            tokens: [piece],
            steer: opts.steer,
            readoutLayers: opts.readoutLayers,
            logitPositions: [here.length ? here.map(([p]) => p!) : [0]],
          },
          past,
        ).finally(() => past.dispose());
        for (const [k, [, i]] of here.entries()) logits.set(out.logits.subarray(k * V, (k + 1) * V), i! * V);
        for (const [l, r] of residuals) r.set(out.residuals.get(l)!, start * H);
      }
    } catch (error) {
      cache.dispose();
      throw error;
    }
    return { cache, logits, residuals };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
