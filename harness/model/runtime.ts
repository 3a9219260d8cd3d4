/**
 * The locally hosted model: a decoder session plus a tokenizer, generating for one request or a batch
 * decoded together. Steering and readout are values in the request; the graph is the same for all.
 */
import { InputError, NonFiniteLogitsError } from '../errors.ts';
import {
  EosCriterion,
  type GenerateRequest,
  type GenerateResult,
  type LayerReadings,
  MaxTokensCriterion,
  type StoppingCriterion,
  type StopReason,
  StopSequenceCriterion,
} from './generation.ts';
import { Sampler } from './sampling.ts';
import type { KvCache } from './kv-cache.ts';
import { type PrefixEntry, PrefixStore, steerKey } from './prefix-store.ts';
import type { DecoderSession } from './session.ts';
import type { TextCodec } from './types.ts';

/** A request in the decoding batch: its reply so far and what it still needs. */
interface Sequence {
  req: GenerateRequest;
  promptIds: number[];
  replyIds: number[];
  sampler: Sampler;
  criteria: StoppingCriterion[];
  stopper: StopSequenceCriterion;
  emitted: string;
  stopReason?: StopReason;
  /** Why the sequence cannot go on (a step with no finite logit); it leaves the batch rejected. */
  failure?: Error;
  /** The final token has gone through the model (needed for its readout). */
  lastFed: boolean;
  readings: LayerReadings[];
  /** [steerLayers * hidden]: what this sequence adds after each steered block. */
  steer: Float32Array;
  /** Identifies `steer` for prefix reuse ('' when no prefixes are kept). */
  steerKey: string;
  /** The kept prefix the prompt started from. */
  reused?: PrefixEntry;
  /** Positions its cache row must hold: prompt, reply, and one more step for the last readout. */
  need: number;
  /** Logits for its next token, [vocab]. */
  logits: Float32Array;
  started: number;
  resolve: (r: GenerateResult) => void;
  reject: (e: unknown) => void;
}

interface Queued {
  req: GenerateRequest;
  promptIds: number[];
  sampler: Sampler;
  steer: Float32Array;
  resolve: (r: GenerateResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Continuous batching: every generate() call joins the batch being decoded at the next step (after its
 * own prefill) and leaves it, resolved, as soon as its reply ends, so concurrent episodes never wait for
 * each other's replies. The batch's KV cache is regrouped (rows copied) whenever a sequence joins or
 * leaves: once per reply, cheap beside decoding it.
 *
 * The cache holds the longest sequence plus CACHE_GROWTH free positions, not every reply's whole token
 * budget, and is regrouped larger when it fills: attention reads the whole cache every step, so its cost
 * follows the tokens actually there (a copy every CACHE_GROWTH steps costs less than one step's reading).
 */
export const CACHE_GROWTH = 128;

export class ModelRuntime {
  private queue: Queued[] = [];
  private running = false;
  private readonly prefixes: PrefixStore | undefined;
  /** Prompt tokens taken from kept prefixes, and prompt tokens run through the model. */
  readonly promptStats = { reused: 0, prefilled: 0 };

  constructor(
    readonly session: DecoderSession,
    readonly codec: TextCodec,
    /** Most sequences decoded together. */
    readonly maxBatch = 8,
    /** Finished sequences kept for a later prompt that starts with them (see prefix-store.ts); 0 = none. */
    prefixEntries = 0,
  ) {
    this.prefixes = prefixEntries > 0 ? new PrefixStore(prefixEntries) : undefined;
  }

  /** Generates one reply, decoded together with whatever else is being generated. */
  generate(req: GenerateRequest): Promise<GenerateResult> {
    let queued: Omit<Queued, 'resolve' | 'reject'>;
    try {
      // Bad input is rejected at the call, not inside someone else's batch.
      this.readoutLayers([req]);
      queued = {
        req,
        promptIds: this.promptIds(req),
        sampler: new Sampler({
          temperature: req.temperature ?? 0,
          topP: req.topP,
          topK: req.topK,
          seed: req.seed ?? 0,
        }),
        steer: this.steerRows(req),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ ...queued, resolve, reject });
      if (!this.running) setImmediate(() => void this.decodeLoop());
    });
  }

  /** Generates several replies together (each as generate() would). */
  generateBatch(reqs: GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(reqs.map((r) => this.generate(r)));
  }

  private promptIds(req: GenerateRequest): number[] {
    if ((req.messages === undefined) === (req.prompt === undefined))
      throw new InputError('a generate request needs exactly one of messages and prompt');
    if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)
      throw new InputError(`maxTokens must be a positive integer, received ${req.maxTokens}`);
    const ids = req.messages ? this.codec.encodeChat(req.messages) : this.codec.encode(req.prompt!, false);
    if (ids.length === 0) throw new InputError('the prompt is empty');
    if (ids.length >= this.session.maxPositions)
      throw new InputError(
        `the prompt is ${ids.length} tokens; the model serves at most ${this.session.maxPositions} positions`,
      );
    return ids;
  }

  /** [steerLayers, hidden]: the sum of coefficient * vector of every steering entry, per graph steer slot. */
  private steerRows(req: GenerateRequest): Float32Array {
    const { steerLayers } = this.session.build;
    const H = this.session.config.embeddingLength;
    const rows = new Float32Array(steerLayers.length * H);
    for (const s of req.steer ?? []) {
      if (s.vector.length !== H)
        throw new InputError(
          `a steering vector must have the model's width ${H}, received ${s.vector.length} values`,
        );
      for (const layer of s.layers) {
        const slot = steerLayers.indexOf(layer);
        if (slot < 0)
          throw new InputError(
            `layer ${layer} cannot be steered; the graph steers after blocks ${steerLayers.join(', ')}`,
          );
        for (let i = 0; i < H; i++) rows[slot * H + i]! += s.coefficient * s.vector[i]!;
      }
    }
    return rows;
  }

  private readoutLayers(reqs: GenerateRequest[]): number[] {
    const available = this.session.build.readoutLayers;
    const layers = new Set<number>();
    for (const r of reqs)
      for (const l of r.readout?.layers ?? []) {
        if (!available.includes(l))
          throw new InputError(
            `layer ${l} cannot be read; the graph reads after blocks ${available.join(', ')}`,
          );
        layers.add(l);
      }
    return [...layers].sort((a, b) => a - b);
  }

  /** Prefills a queued request alone into its own cache; the caller regroups it into the batch. */
  private async admit(q: Queued): Promise<{ seq: Sequence; cache: KvCache }> {
    const started = performance.now();
    const H = this.session.config.embeddingLength;
    const { req, promptIds } = q;
    const layers = this.readoutLayers([req]);
    const key = this.prefixes ? steerKey(q.steer) : '';
    const hit = this.prefixes?.find(promptIds, key, layers);
    const from = hit && { cache: hit.entry.cache, length: hit.length };
    const pre = await this.session.prefill(promptIds, { steer: q.steer, readoutLayers: layers, from });
    if (hit)
      for (const l of layers) {
        const rows = hit.entry.residuals.get(l)!;
        for (let t = 0; t < hit.length; t++) pre.residuals.get(l)!.set(rows[t]!, t * H);
      }
    this.promptStats.reused += hit?.length ?? 0;
    this.promptStats.prefilled += promptIds.length - (hit?.length ?? 0);
    const stopper = new StopSequenceCriterion(req.stop ?? []);
    const room = this.session.maxPositions - promptIds.length - 1;
    const seq: Sequence = {
      req,
      promptIds,
      replyIds: [],
      sampler: q.sampler,
      criteria: [
        new EosCriterion(this.codec.eosIds),
        stopper,
        new MaxTokensCriterion(Math.min(req.maxTokens, room)),
      ],
      stopper,
      emitted: '',
      lastFed: false,
      readings: layers.map((layer) => {
        const res = pre.residuals.get(layer)!;
        const prompt = Array.from({ length: promptIds.length }, (_, t) => res.slice(t * H, (t + 1) * H));
        return { layer, prompt, reply: [] };
      }),
      steer: q.steer,
      steerKey: key,
      reused: hit?.entry,
      need: Math.min(promptIds.length + req.maxTokens + 1, this.session.maxPositions),
      logits: pre.logits,
      started,
      resolve: q.resolve,
      reject: q.reject,
    };
    return { seq, cache: pre.cache };
  }

  /**
   * A cache holding the kept rows of `old` (by their old index) and then the joining caches, with room for
   * CACHE_GROWTH more tokens after the longest, but never more than the sequences can need.
   */
  private regroup(old: KvCache | undefined, kept: number[], joining: KvCache[], need: number[]): KvCache {
    const longest = Math.max(
      ...kept.map((from) => old!.lengths[from]!),
      ...joining.map((c) => c.lengths[0]!),
    );
    const capacity = Math.min(Math.max(...need), longest + CACHE_GROWTH);
    const cache = this.session.newCache(kept.length + joining.length, capacity);
    for (const [row, from] of kept.entries()) cache.setRow(row, old!, from);
    for (const [i, src] of joining.entries()) cache.setRow(kept.length + i, src);
    return cache;
  }

  /** The decoding loop: admits queued requests, samples, resolves finished replies, steps the rest. */
  private async decodeLoop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const V = this.session.config.vocabSize;
    const H = this.session.config.embeddingLength;
    let active: Sequence[] = [];
    let cache: KvCache | undefined;
    const replace = (next: KvCache | undefined) => {
      cache?.dispose();
      cache = next;
    };
    try {
      while (this.queue.length || active.length) {
        const joining: { seq: Sequence; cache: KvCache }[] = [];
        for (const q of this.queue.splice(0, this.maxBatch - active.length)) {
          try {
            joining.push(await this.admit(q));
          } catch (error) {
            q.reject(error);
          }
        }
        if (joining.length) {
          const all = [...active, ...joining.map((j) => j.seq)];
          replace(
            this.regroup(
              cache,
              active.map((_, i) => i),
              joining.map((j) => j.cache),
              all.map((s) => s.need),
            ),
          );
          for (const j of joining) j.cache.dispose();
          active = all;
        }

        for (const s of active) {
          if (s.stopReason) continue;
          let token: number;
          try {
            token = s.sampler.next(s.logits);
          } catch (error) {
            s.failure = this.explainFailure(s, error);
            continue;
          }
          s.replyIds.push(token);
          this.emit(s, token);
        }
        const done = active.map(
          (s) =>
            s.failure !== undefined || (s.stopReason !== undefined && (s.readings.length === 0 || s.lastFed)),
        );
        if (done.some(Boolean)) {
          const now = performance.now();
          for (const [i, s] of active.entries()) {
            if (!done[i]) continue;
            if (s.failure) {
              s.reject(s.failure);
              continue;
            }
            this.keepPrefix(s, cache!, i);
            s.resolve(this.result(s, now - s.started));
          }
          const kept = active.flatMap((_, i) => (done[i] ? [] : [i]));
          replace(
            kept.length
              ? this.regroup(
                  cache,
                  kept,
                  [],
                  kept.map((i) => active[i]!.need),
                )
              : undefined,
          );
          active = kept.map((i) => active[i]!);
        }
        if (!active.length || !cache) continue;
        if (Math.max(...cache.lengths) >= cache.capacity)
          replace(
            this.regroup(
              cache,
              active.map((_, i) => i),
              [],
              active.map((s) => s.need),
            ),
          );

        const steer = new Float32Array(active.length * active[0]!.steer.length);
        for (const [b, s] of active.entries()) steer.set(s.steer, b * s.steer.length);
        const readout = this.readoutLayers(active.map((s) => s.req));
        let out: Awaited<ReturnType<DecoderSession['step']>>;
        try {
          out = await this.session.step(cache, {
            tokens: active.map((s) => [s.replyIds.at(-1)!]),
            steer,
            readoutLayers: readout,
          });
        } catch (error) {
          for (const s of active) s.reject(error);
          active = [];
          replace(undefined);
          continue;
        }
        active.forEach((s, b) => {
          s.logits = out.logits.slice(b * V, (b + 1) * V);
          if (s.stopReason) s.lastFed = true;
          for (const r of s.readings) r.reply.push(out.residuals.get(r.layer)!.slice(b * H, (b + 1) * H));
        });
      }
    } catch (error) {
      for (const s of active) s.reject(error);
    } finally {
      replace(undefined);
      this.running = false;
      if (this.queue.length) setImmediate(() => void this.decodeLoop());
    }
  }

  /** The sampler's error with where it happened and what the request added to the residual stream. */
  private explainFailure(s: Sequence, error: unknown): Error {
    if (!(error instanceof NonFiniteLogitsError))
      return error instanceof Error ? error : new Error(String(error));
    let norm = 0;
    for (const { vector, coefficient } of s.req.steer ?? []) {
      let sq = 0;
      for (const x of vector) sq += x * x;
      norm = Math.max(norm, Math.abs(coefficient) * Math.sqrt(sq));
    }
    const cause =
      norm > 0
        ? `the request adds a steering vector of norm ${norm.toPrecision(3)} to the residual stream; a strength this large breaks the model's arithmetic, so lower it`
        : 'the request is unsteered, so the model itself overflowed';
    return new NonFiniteLogitsError(`reply token ${s.replyIds.length + 1}: ${error.message}; ${cause}`, {
      cause: error,
    });
  }

  /** Keeps what a finished sequence has run (prompt and fed reply tokens) for a later prompt. */
  private keepPrefix(s: Sequence, cache: KvCache, row: number): void {
    if (!this.prefixes) return;
    const n = cache.lengths[row]!;
    const kept = this.session.newCache(1, n);
    kept.setRow(0, cache, row);
    this.prefixes.put(
      {
        tokens: [...s.promptIds, ...s.replyIds].slice(0, n),
        steerKey: s.steerKey,
        cache: kept,
        residuals: new Map(s.readings.map((r) => [r.layer, [...r.prompt, ...r.reply].slice(0, n)])),
      },
      s.reused,
    );
  }

  /**
   * Decodes the reply so far, applies the stopping criteria, and streams what is certain to stay in the
   * reply: whole characters, and none of an ending that could still grow into a stop sequence. When the
   * reply ends, the rest of its text goes out, so the pieces always join to the result's text.
   */
  private emit(s: Sequence, token: number): void {
    const ids = this.codec.eosIds.has(token) ? s.replyIds.slice(0, -1) : s.replyIds;
    const text = this.codec.decode(ids);
    const state = { tokenIds: s.replyIds, text };
    s.stopReason = s.criteria.map((c) => c.check(state)).find((r) => r !== undefined);
    if (!s.req.onToken) return;
    let end: number;
    if (s.stopReason) end = s.stopReason === 'stop' ? s.stopper.cut(text).length : text.length;
    // A character split across tokens decodes as U+FFFD until its last byte arrives.
    else if (text.endsWith('\uFFFD')) return;
    else end = text.length - s.stopper.pending(text);
    if (end > s.emitted.length) {
      s.req.onToken(text.slice(s.emitted.length, end), token);
      s.emitted = text.slice(0, end);
    }
  }

  private result(s: Sequence, durationMs: number): GenerateResult {
    const ids = s.stopReason === 'eos' ? s.replyIds.slice(0, -1) : s.replyIds;
    const text = this.codec.decode(ids);
    return {
      text: s.stopReason === 'stop' ? s.stopper.cut(text) : text,
      tokenIds: s.replyIds,
      stopReason: s.stopReason ?? 'length',
      usage: { promptTokens: s.promptIds.length, completionTokens: s.replyIds.length, durationMs },
      ...(s.readings.length ? { readings: s.readings } : {}),
    };
  }

  /**
   * Natural-log probabilities of each token given the ones before it (tokens[1..]), from one prefill:
   * the perplexity of a passage is exp(-mean).
   */
  async tokenLogProbs(tokens: number[]): Promise<Float64Array> {
    const V = this.session.config.vocabSize;
    const cache = this.session.newCache(1, tokens.length);
    try {
      const positions = Array.from({ length: tokens.length - 1 }, (_, i) => i);
      const lp = new Float64Array(positions.length);
      // Logits for a few hundred positions at a time: all of them at once would be gigabytes.
      for (let from = 0; from < positions.length; from += 256) {
        const some = positions.slice(from, from + 256);
        const out = await this.session.step(cache, {
          tokens: [tokens.slice(from, from + 256)],
          logitPositions: [some.map((p) => p - from)],
        });
        some.forEach((p, k) => {
          const row = out.logits.subarray(k * V, (k + 1) * V);
          let max = Number.NEGATIVE_INFINITY;
          for (const x of row) if (x > max) max = x;
          let sum = 0;
          for (const x of row) sum += Math.exp(x - max);
          lp[p] = row[tokens[p + 1]!]! - max - Math.log(sum);
        });
      }
      return lp;
    } finally {
      cache.dispose();
    }
  }

  /**
   * The unsteered model's mean negative log-likelihood per token (nats) of `replyIds` following the last
   * `contextTokens` tokens of the conversation's prompt (chat template and generation prompt applied): one
   * unsteered prefill, logits only at the reply's positions. How a steered reply reads to the plain model.
   */
  async replyNll(
    messages: { role: string; content: string }[],
    replyIds: readonly number[],
    contextTokens: number,
  ): Promise<{ mean: number; tokens: number }> {
    if (replyIds.length === 0) return { mean: Number.NaN, tokens: 0 };
    const prompt = this.codec.encodeChat(messages);
    const context = prompt.slice(Math.max(0, prompt.length - contextTokens));
    const tokens = [...context, ...replyIds];
    const positions = replyIds.map((_, i) => context.length - 1 + i);
    const out = await this.session.prefill(tokens, { logitPositions: positions });
    out.cache.dispose();
    const V = this.session.config.vocabSize;
    let sum = 0;
    positions.forEach((_, k) => {
      const row = out.logits.subarray(k * V, (k + 1) * V);
      let max = Number.NEGATIVE_INFINITY;
      for (const x of row) if (x > max) max = x;
      let z = 0;
      for (const x of row) z += Math.exp(x - max);
      sum -= row[replyIds[k]!]! - max - Math.log(z);
    });
    return { mean: sum / replyIds.length, tokens: replyIds.length };
  }

  /** Token ids of raw text, as residuals() reads it (no chat template, no control tokens). */
  tokenize(text: string): number[] {
    return this.codec.encode(text, false);
  }

  /** The text of one token (possibly part of a multi-byte character). */
  decodeToken(id: number): string {
    return this.codec.decode([id]);
  }

  /** Prompt tokens a conversation takes with the chat template and generation prompt applied. */
  countChatTokens(messages: { role: string; content: string }[]): number {
    return this.codec.encodeChat(messages).length;
  }

  /** Longest sequence (prompt + reply) the graph serves. */
  get contextLength(): number {
    return this.session.maxPositions;
  }

  /**
   * The residual stream after each listed block for every token of `text` (encoded without a chat
   * template), one prefill: per layer, [tokens, hidden] row-major.
   */
  async residuals(text: string, layers: number[]): Promise<Float32Array[]> {
    const tokens = this.tokenize(text);
    if (tokens.length === 0) throw new InputError('cannot read residuals of an empty text');
    this.readoutLayers([{ prompt: text, maxTokens: 1, readout: { layers } }]);
    const out = await this.session.prefill(tokens, { readoutLayers: layers, logitPositions: [] });
    out.cache.dispose();
    return layers.map((l) => out.residuals.get(l)!);
  }

  async dispose(): Promise<void> {
    this.prefixes?.dispose();
    await this.session.dispose();
  }
}
