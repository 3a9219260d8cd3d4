/**
 * A plain TypeScript forward pass of a Llama-family decoder: loops, no ONNX Runtime, no cache. Slow on
 * purpose; tests use it as the oracle the ONNX graph must match.
 */
import { inverseFrequencies, ropeFreqFactors, rotaryInterleaved } from './graph/rope.ts';
import type { DecoderConfig, WeightSource } from './types.ts';

export interface ReferenceOptions {
  /** Vector added to the residual stream after block L, at every position. */
  steer?: Map<number, Float32Array>;
  readoutLayers?: number[];
}

export interface ReferenceResult {
  /** logits[t] = next-token logits after tokens[0..t], [vocab]. */
  logits: Float32Array[];
  /** residuals.get(L)[t] = residual stream after block L at position t, [hidden]. */
  residuals: Map<number, Float32Array[]>;
}

/** y [rows] = w [rows, cols] x [cols] */
function matvec(w: Float32Array, x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

function rmsNorm(x: Float32Array, gamma: Float32Array, eps: number): Float32Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * inv * gamma[i]!);
}

function addInPlace(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
}

export class ReferenceModel {
  private constructor(
    readonly config: DecoderConfig,
    private readonly w: Map<string, Float32Array>,
    private readonly inv: Float64Array,
  ) {}

  static async load(src: WeightSource): Promise<ReferenceModel> {
    const c = src.config;
    const names = ['token_embd.weight', 'output_norm.weight'];
    if (src.has('output.weight')) names.push('output.weight');
    const perBlock = [
      'attn_norm',
      'attn_q',
      'attn_k',
      'attn_v',
      'attn_output',
      'ffn_norm',
      'ffn_gate',
      'ffn_up',
      'ffn_down',
    ];
    for (let l = 0; l < c.blockCount; l++) {
      for (const n of perBlock) names.push(`blk.${l}.${n}.weight`);
      if (c.hasQkvBias) for (const n of ['attn_q', 'attn_k', 'attn_v']) names.push(`blk.${l}.${n}.bias`);
    }
    const w = new Map<string, Float32Array>();
    for (const n of names) w.set(n, await src.f32(n));
    return new ReferenceModel(c, w, inverseFrequencies(c, await ropeFreqFactors(src)));
  }

  private t(name: string): Float32Array {
    return this.w.get(name)!;
  }

  private rotate(v: Float32Array, heads: number, pos: number): void {
    const d = this.config.headDim;
    const half = d / 2;
    const interleaved = rotaryInterleaved(this.config);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < half; i++) {
        const a = h * d + (interleaved ? 2 * i : i);
        const b = h * d + (interleaved ? 2 * i + 1 : i + half);
        const angle = pos * this.inv[i]!;
        const cos = Math.cos(angle);
        const sin = Math.sin(angle);
        const x0 = v[a]!;
        const x1 = v[b]!;
        v[a] = x0 * cos - x1 * sin;
        v[b] = x0 * sin + x1 * cos;
      }
    }
  }

  forward(tokens: number[], opts: ReferenceOptions = {}): ReferenceResult {
    const c = this.config;
    const H = c.embeddingLength;
    const F = c.feedForwardLength;
    const d = c.headDim;
    const qDim = c.headCount * d;
    const kvDim = c.headCountKv * d;
    const group = c.headCount / c.headCountKv;
    const embd = this.t('token_embd.weight');
    let hs = tokens.map((id) => embd.slice(id * H, (id + 1) * H)); // [T][H]
    const residuals = new Map<number, Float32Array[]>();

    for (let L = 0; L < c.blockCount; L++) {
      const p = `blk.${L}`;
      const qs: Float32Array[] = [];
      const ks: Float32Array[] = [];
      const vs: Float32Array[] = [];
      hs.forEach((h, pos) => {
        const x = rmsNorm(h, this.t(`${p}.attn_norm.weight`), c.rmsNormEps);
        const q = matvec(this.t(`${p}.attn_q.weight`), x, qDim, H);
        const k = matvec(this.t(`${p}.attn_k.weight`), x, kvDim, H);
        const v = matvec(this.t(`${p}.attn_v.weight`), x, kvDim, H);
        if (c.hasQkvBias) {
          addInPlace(q, this.t(`${p}.attn_q.bias`));
          addInPlace(k, this.t(`${p}.attn_k.bias`));
          addInPlace(v, this.t(`${p}.attn_v.bias`));
        }
        this.rotate(q, c.headCount, pos);
        this.rotate(k, c.headCountKv, pos);
        qs.push(q);
        ks.push(k);
        vs.push(v);
      });
      hs = hs.map((h, pos) => {
        const attn = new Float32Array(qDim);
        for (let head = 0; head < c.headCount; head++) {
          const kvh = Math.floor(head / group);
          const scores = new Float64Array(pos + 1);
          for (let t = 0; t <= pos; t++) {
            let s = 0;
            for (let i = 0; i < d; i++) s += qs[pos]![head * d + i]! * ks[t]![kvh * d + i]!;
            scores[t] = s / Math.sqrt(d);
          }
          const max = Math.max(...scores);
          let sum = 0;
          for (let t = 0; t <= pos; t++) sum += scores[t] = Math.exp(scores[t]! - max);
          for (let t = 0; t <= pos; t++)
            for (let i = 0; i < d; i++) attn[head * d + i]! += (scores[t]! / sum) * vs[t]![kvh * d + i]!;
        }
        const mid = h.slice();
        addInPlace(mid, matvec(this.t(`${p}.attn_output.weight`), attn, H, qDim));
        const n = rmsNorm(mid, this.t(`${p}.ffn_norm.weight`), c.rmsNormEps);
        const gate = matvec(this.t(`${p}.ffn_gate.weight`), n, F, H);
        const up = matvec(this.t(`${p}.ffn_up.weight`), n, F, H);
        const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
        addInPlace(mid, matvec(this.t(`${p}.ffn_down.weight`), act, H, F));
        const steer = opts.steer?.get(L);
        if (steer) addInPlace(mid, steer);
        return mid;
      });
      if (opts.readoutLayers?.includes(L))
        residuals.set(
          L,
          hs.map((h) => h.slice()),
        );
    }

    const head = this.w.get('output.weight') ?? embd;
    const logits = hs.map((h) =>
      matvec(head, rmsNorm(h, this.t('output_norm.weight'), c.rmsNormEps), c.vocabSize, H),
    );
    return { logits, residuals };
  }
}
