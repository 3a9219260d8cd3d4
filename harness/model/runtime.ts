/**
 * The locally hosted model: a decoder session plus a tokenizer, generating for one request or a batch
 * decoded together. Steering and readout are values in the request; the graph is the same for all.
 */
import { InputError } from '../errors.ts';
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
import type { DecoderSession } from './session.ts';
import type { TextCodec } from './types.ts';

/** Per-sequence state of a batch in flight. */
interface Sequence {
  req: GenerateRequest;
  promptIds: number[];
  replyIds: number[];
  sampler: Sampler;
  criteria: StoppingCriterion[];
  stopper: StopSequenceCriterion;
  emitted: string;
  stopReason?: StopReason;
  /** The final token has gone through the model (needed for its readout). */
  lastFed: boolean;
  readings: LayerReadings[];
}

export class ModelRuntime {
  private pending: {
    req: GenerateRequest;
    resolve: (r: GenerateResult) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private running = false;

  constructor(
    readonly session: DecoderSession,
    readonly codec: TextCodec,
    /** Most sequences decoded together when concurrent generate() calls are gathered into one batch. */
    readonly maxBatch = 8,
  ) {}

  /** Generates one reply. Calls made while a batch is running are decoded together in the next batch. */
  generate(req: GenerateRequest): Promise<GenerateResult> {
    this.promptIds(req); // reject bad input at the call, not inside someone else's batch
    return new Promise((resolve, reject) => {
      this.pending.push({ req, resolve, reject });
      if (!this.running) setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.generateBatch(batch.map((p) => p.req));
          for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private promptIds(req: GenerateRequest): number[] {
    if ((req.messages === undefined) === (req.prompt === undefined))
      throw new InputError('a generate request needs exactly one of messages and prompt');
    if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)
      throw new InputError(`maxTokens must be a positive integer, received ${req.maxTokens}`);
    const text = req.messages ? this.codec.renderChat(req.messages) : req.prompt!;
    const ids = this.codec.encode(text, req.messages !== undefined);
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

  /** Decodes the requests together: one right-padded prefill, then one token per sequence per step. */
  async generateBatch(reqs: GenerateRequest[]): Promise<GenerateResult[]> {
    const started = performance.now();
    const H = this.session.config.embeddingLength;
    const V = this.session.config.vocabSize;
    const nSteer = this.session.build.steerLayers.length;
    const readout = this.readoutLayers(reqs);
    const steer = new Float32Array(reqs.length * nSteer * H);
    const seqs: Sequence[] = reqs.map((req, b) => {
      steer.set(this.steerRows(req), b * nSteer * H);
      const promptIds = this.promptIds(req);
      const room = this.session.maxPositions - promptIds.length - 1;
      const stopper = new StopSequenceCriterion(req.stop ?? []);
      return {
        req,
        promptIds,
        replyIds: [],
        sampler: new Sampler({
          temperature: req.temperature ?? 0,
          topP: req.topP,
          topK: req.topK,
          seed: req.seed ?? 0,
        }),
        criteria: [
          new EosCriterion(this.codec.eosIds),
          stopper,
          new MaxTokensCriterion(Math.min(req.maxTokens, room)),
        ],
        stopper,
        emitted: '',
        lastFed: false,
        readings: (req.readout?.layers ?? []).map((layer) => ({ layer, prompt: [], reply: [] })),
      };
    });
    // Room for the prompt, the reply, and one more step that feeds the last token for its readout.
    const need = seqs.map(
      (s) => s.promptIds.length + Math.min(s.req.maxTokens, this.session.maxPositions) + 1,
    );
    const capacity = Math.min(Math.max(...need), this.session.maxPositions);
    // Each prompt is prefilled alone (padding a batch to its longest prompt wastes work and memory)
    // and copied into its row of the batch cache.
    const cache = this.session.newCache(seqs.length, capacity);
    try {
      const first = new Float32Array(seqs.length * V);
      for (const [b, s] of seqs.entries()) {
        const pre = await this.session.prefill(s.promptIds, {
          steer: steer.subarray(b * nSteer * H, (b + 1) * nSteer * H),
          readoutLayers: readout,
        });
        cache.setRow(b, pre.cache);
        pre.cache.dispose();
        first.set(pre.logits, b * V);
        for (const r of s.readings) {
          const res = pre.residuals.get(r.layer)!;
          for (let t = 0; t < s.promptIds.length; t++) r.prompt.push(res.slice(t * H, (t + 1) * H));
        }
      }
      let out: { logits: Float32Array; residuals: Map<number, Float32Array> } = {
        logits: first,
        residuals: new Map(),
      };
      for (;;) {
        seqs.forEach((s, b) => {
          if (s.stopReason) return;
          const token = s.sampler.next(out.logits.subarray(b * V, (b + 1) * V));
          s.replyIds.push(token);
          this.emit(s, token);
        });
        const needsFeed = seqs.map((s) => !s.stopReason || (s.readings.length > 0 && !s.lastFed));
        if (!needsFeed.some(Boolean)) break;
        out = await this.session.step(cache, {
          tokens: seqs.map((s) => [s.replyIds.at(-1) ?? 0]),
          frozen: needsFeed.map((f) => !f),
          steer,
          readoutLayers: readout,
        });
        seqs.forEach((s, b) => {
          if (!needsFeed[b]) return;
          if (s.stopReason) s.lastFed = true;
          for (const r of s.readings) r.reply.push(out.residuals.get(r.layer)!.slice(b * H, (b + 1) * H));
        });
      }
    } finally {
      cache.dispose();
    }
    const durationMs = performance.now() - started;
    return seqs.map((s) => this.result(s, durationMs));
  }

  /** Decodes the reply so far, streams whole characters, and applies the stopping criteria. */
  private emit(s: Sequence, token: number): void {
    const ids = this.codec.eosIds.has(token) ? s.replyIds.slice(0, -1) : s.replyIds;
    const text = this.codec.decode(ids);
    const state = { tokenIds: s.replyIds, text };
    s.stopReason = s.criteria.map((c) => c.check(state)).find((r) => r !== undefined);
    const visible = s.stopReason === 'stop' ? s.stopper.cut(text) : text;
    if (s.req.onToken && !visible.endsWith('\uFFFD') && visible.length > s.emitted.length) {
      s.req.onToken(visible.slice(s.emitted.length), token);
      s.emitted = visible;
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
    return this.codec.encode(this.codec.renderChat(messages), true).length;
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
    await this.session.dispose();
  }
}
