/**
 * Token choice, composed from small pieces: a seeded generator, logits processors applied in order, and
 * the final draw. Same seed, same logits -> same token, on every machine.
 */

/** xoshiro128** seeded through splitmix32: fast, 32-bit, reproducible from one integer. */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = Uint32Array.of(next(), next(), next(), next());
  }

  /** A float in [0, 1). */
  next(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return r / 2 ** 32;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Rewrites next-token logits in place; -Infinity removes a token. */
export interface LogitsProcessor {
  process(logits: Float32Array): void;
}

export class TemperatureProcessor implements LogitsProcessor {
  constructor(private readonly temperature: number) {}
  process(logits: Float32Array): void {
    for (let i = 0; i < logits.length; i++) logits[i]! /= this.temperature;
  }
}

/** Keeps the k most likely tokens. */
export class TopKProcessor implements LogitsProcessor {
  constructor(private readonly k: number) {}
  process(logits: Float32Array): void {
    if (this.k >= logits.length) return;
    const threshold = Float32Array.from(logits).sort().reverse()[this.k - 1]!;
    let kept = 0;
    for (let i = 0; i < logits.length; i++) {
      // Ties at the threshold would keep more than k; keep the first ones, like a stable sort.
      if (logits[i]! > threshold || (logits[i] === threshold && kept < this.k)) kept++;
      else logits[i] = Number.NEGATIVE_INFINITY;
    }
  }
}

/** Keeps the smallest set of most likely tokens whose probabilities sum to at least p (nucleus). */
export class TopPProcessor implements LogitsProcessor {
  constructor(private readonly p: number) {}
  process(logits: Float32Array): void {
    if (this.p >= 1) return;
    const probs = softmax(logits);
    // Sorting all of a 49k vocabulary took ~20 ms a token. Only tokens above a threshold whose mass
    // already reaches p can be in the nucleus, and every other token is below all of them, so sorting
    // just those gives the same cut (lowering the threshold until their mass suffices).
    let order: number[] = [];
    for (let tau = 1e-3; ; tau /= 16) {
      order = [];
      let mass = 0;
      for (let i = 0; i < probs.length; i++)
        if (probs[i]! > tau) {
          order.push(i);
          mass += probs[i]!;
        }
      if (mass >= this.p || tau < 1e-30) break;
    }
    if (order.length === 0) return;
    order.sort((a, b) => probs[b]! - probs[a]! || a - b);
    let mass = 0;
    let cut = order.length;
    for (let r = 0; r < order.length; r++) {
      mass += probs[order[r]!]!;
      if (mass >= this.p) {
        cut = r + 1;
        break;
      }
    }
    const keep = new Uint8Array(logits.length);
    for (let r = 0; r < cut; r++) keep[order[r]!] = 1;
    for (let i = 0; i < logits.length; i++) if (!keep[i]) logits[i] = Number.NEGATIVE_INFINITY;
  }
}

export function softmax(logits: Float32Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of logits) if (x > max) max = x;
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

export interface SamplingParams {
  temperature: number;
  topP?: number;
  topK?: number;
  seed: number;
}

/** Picks tokens for one sequence: greedy at temperature 0, otherwise processors then a seeded draw. */
export class Sampler {
  private readonly rng: Rng;
  private readonly processors: LogitsProcessor[];

  constructor(private readonly params: SamplingParams) {
    this.rng = new Rng(params.seed);
    this.processors = [];
    if (params.topK !== undefined && params.topK > 0) this.processors.push(new TopKProcessor(params.topK));
    if (params.temperature > 0) this.processors.push(new TemperatureProcessor(params.temperature));
    if (params.topP !== undefined) this.processors.push(new TopPProcessor(params.topP));
  }

  next(logits: Float32Array): number {
    if (this.params.temperature === 0) return argmax(logits);
    const work = Float32Array.from(logits);
    for (const p of this.processors) p.process(work);
    const probs = softmax(work);
    let u = this.rng.next();
    for (let i = 0; i < probs.length; i++) {
      u -= probs[i]!;
      if (u < 0) return i;
    }
    return argmax(work);
  }
}
