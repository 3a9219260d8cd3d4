/**
 * Token choice, composed from small pieces: a seeded generator, logits processors applied in order, and
 * the final draw. Same seed, same logits -> same token, on every machine.
 */
import { describeValue, NonFiniteLogitsError, SamplingParamsError } from '../errors.ts';

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

/**
 * The ranges of the sampling parameters, shared by the config schema (agent.temperature, agent.top_p),
 * the `model generate` flags and every generate request: temperature in [0, 2] (0 = greedy), top-p in
 * (0, 1], top-k a positive integer, seed a safe integer.
 */
export const SAMPLING_RANGES = {
  temperature: { min: 0, max: 2 },
  topP: { exclusiveMin: 0, max: 1 },
  topK: { min: 1 },
} as const;

/** A received value for a message; numbers as JavaScript prints them (JSON would turn NaN into null). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}

/** Throws SamplingParamsError unless `value` is a temperature in [0, 2]; `name` is how the caller spells it. */
export function checkTemperature(value: number, name = 'temperature'): number {
  const { min, max } = SAMPLING_RANGES.temperature;
  if (typeof value !== 'number' || !(value >= min && value <= max))
    throw new SamplingParamsError(
      `${name} expects a number from ${min} to ${max} (0 = greedy), received ${shown(value)}`,
    );
  return value;
}

/** Throws SamplingParamsError unless `value` is a nucleus mass in (0, 1]. */
export function checkTopP(value: number, name = 'top-p'): number {
  const { exclusiveMin, max } = SAMPLING_RANGES.topP;
  if (typeof value !== 'number' || !(value > exclusiveMin && value <= max))
    throw new SamplingParamsError(
      `${name} expects a number above ${exclusiveMin} and at most ${max}, received ${shown(value)}`,
    );
  return value;
}

/** Throws SamplingParamsError unless `value` is a positive integer. */
export function checkTopK(value: number, name = 'top-k'): number {
  if (!Number.isSafeInteger(value) || value < SAMPLING_RANGES.topK.min)
    throw new SamplingParamsError(
      `${name} expects an integer of at least ${SAMPLING_RANGES.topK.min}, received ${shown(value)}`,
    );
  return value;
}

/** Throws SamplingParamsError unless `value` is a safe integer (the generator uses its low 32 bits). */
export function checkSeed(value: number, name = 'seed'): number {
  if (!Number.isSafeInteger(value))
    throw new SamplingParamsError(`${name} expects an integer, received ${shown(value)}`);
  return value;
}

/**
 * Rewrites next-token logits in place; -Infinity removes a token. Logits arrive in float64 with every
 * non-finite value already masked to -Infinity and at least one finite value left (see Sampler.next).
 */
export interface LogitsProcessor {
  process(logits: Float64Array): void;
}

/**
 * Divides logits by T after subtracting their maximum: softmax is unchanged by the shift, and the largest
 * logit maps to 0 while the rest stay <= 0, so a tiny T sends them to -Infinity (the greedy limit) instead
 * of overflowing to +Infinity and NaN.
 */
export class TemperatureProcessor implements LogitsProcessor {
  constructor(private readonly temperature: number) {
    checkTemperature(temperature);
    if (temperature === 0)
      throw new SamplingParamsError('a temperature processor needs T > 0; temperature 0 is greedy decoding');
  }
  process(logits: Float64Array): void {
    const max = maxOf(logits);
    for (let i = 0; i < logits.length; i++) logits[i] = (logits[i]! - max) / this.temperature;
  }
}

/** Keeps the k most likely tokens. */
export class TopKProcessor implements LogitsProcessor {
  constructor(private readonly k: number) {
    checkTopK(k);
  }
  process(logits: Float64Array): void {
    if (this.k >= logits.length) return;
    const threshold = Float64Array.from(logits).sort().reverse()[this.k - 1]!;
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
  constructor(private readonly p: number) {
    checkTopP(p);
  }
  process(logits: Float64Array): void {
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

function maxOf(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

/** Probabilities in float64 of logits that are finite or -Infinity, at least one finite; NaN counts as -Infinity. */
export function softmax(logits: Float32Array | Float64Array): Float64Array {
  const max = maxOf(logits);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    sum += out[i] = Number.isNaN(x) ? 0 : Math.exp(x - max);
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Index of the largest finite value (the first of equals); -1 when none is finite. */
export function argmax(logits: Float32Array | Float64Array): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (x > bestValue && x !== Number.POSITIVE_INFINITY) {
      best = i;
      bestValue = x;
    }
  }
  return best;
}

/**
 * The logits in float64 with NaN and +-Infinity replaced by -Infinity (never chosen). Throws
 * NonFiniteLogitsError, with the count of each kind, when no value is finite.
 */
export function maskNonFinite(logits: Float32Array | Float64Array): Float64Array {
  const out = new Float64Array(logits.length);
  let finite = 0;
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (Number.isFinite(x)) {
      out[i] = x;
      finite++;
    } else {
      out[i] = Number.NEGATIVE_INFINITY;
      if (Number.isNaN(x)) nan++;
      else inf++;
    }
  }
  if (finite === 0)
    throw new NonFiniteLogitsError(
      `no finite logit among ${logits.length} (${nan} NaN, ${inf} infinite), so no token can be chosen`,
    );
  return out;
}

export interface SamplingParams {
  /** [0, 2]; 0 = greedy. */
  temperature: number;
  /** (0, 1]; absent = 1. */
  topP?: number;
  /** A positive integer; absent = the whole vocabulary. */
  topK?: number;
  seed: number;
}

/**
 * Picks tokens for one sequence: greedy at temperature 0, otherwise top-k, temperature and top-p in that
 * order, then a seeded draw. Non-finite logits are never chosen. The constructor throws
 * SamplingParamsError for a parameter outside SAMPLING_RANGES; next() throws NonFiniteLogitsError when a
 * step has no finite logit.
 */
export class Sampler {
  private readonly rng: Rng;
  private readonly processors: LogitsProcessor[];

  constructor(private readonly params: SamplingParams) {
    checkTemperature(params.temperature);
    checkSeed(params.seed);
    this.rng = new Rng(params.seed);
    this.processors = [];
    if (params.topK !== undefined) this.processors.push(new TopKProcessor(params.topK));
    if (params.temperature > 0) this.processors.push(new TemperatureProcessor(params.temperature));
    if (params.topP !== undefined) this.processors.push(new TopPProcessor(params.topP));
  }

  next(logits: Float32Array | Float64Array): number {
    const work = maskNonFinite(logits);
    if (this.params.temperature === 0) return argmax(work);
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
