/**
 * Finished sequences kept for their prefixes. An agent's next turn resends the whole conversation: the last
 * prompt, the reply and some feedback. Its keys and values up to where the token ids first differ are
 * already known, so only the rest is prefilled (in the default experiment, attempt 3's prompt of about
 * 1,800 tokens begins with attempt 2's prompt and reply, about 1,600). An entry is reused only under the same steering (steering
 * changes every later key and value) and when it holds every residual layer the new request reads.
 *
 * The reused positions were computed as they were first run (reply tokens one at a time), so the numbers
 * can differ from a fresh prefill within int8-activation noise; runs stay repeatable, since which entries
 * exist depends only on the requests made before.
 */
import { createHash } from 'node:crypto';
import type { KvCache } from './kv-cache.ts';

export interface PrefixEntry {
  tokens: number[];
  steerKey: string;
  /** One sequence holding `tokens`. */
  cache: KvCache;
  /** Per stored layer, the residual of every token. */
  residuals: Map<number, Float32Array[]>;
}

export interface PrefixHit {
  entry: PrefixEntry;
  /** Tokens of the entry that begin the prompt. */
  length: number;
}

/** Shorter shared prefixes are not worth the copy. */
export const MIN_REUSE = 16;

export function steerKey(rows: Float32Array): string {
  return createHash('sha1')
    .update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength))
    .digest('hex');
}

export class PrefixStore {
  /** Least recently used first. */
  private entries: PrefixEntry[] = [];

  constructor(readonly maxEntries: number) {}

  /** The entry sharing the longest prefix with `prompt`, leaving at least its last token to run. */
  find(prompt: readonly number[], key: string, layers: readonly number[]): PrefixHit | undefined {
    let best: PrefixHit | undefined;
    for (const entry of this.entries) {
      if (entry.steerKey !== key || !layers.every((l) => entry.residuals.has(l))) continue;
      const limit = Math.min(entry.tokens.length, prompt.length - 1);
      let n = 0;
      while (n < limit && entry.tokens[n] === prompt[n]) n++;
      if (n >= MIN_REUSE && n > (best?.length ?? 0)) best = { entry, length: n };
    }
    if (best) this.entries = [...this.entries.filter((e) => e !== best!.entry), best.entry];
    return best;
  }

  /**
   * Keeps `entry`, dropping `supersedes` (the entry its prompt was built from: the new one starts with the
   * same tokens, so the old one can only be outdone), then the least recently used beyond the limit.
   */
  put(entry: PrefixEntry, supersedes?: PrefixEntry): void {
    if (supersedes && this.entries.includes(supersedes)) {
      this.entries = this.entries.filter((e) => e !== supersedes);
      supersedes.cache.dispose();
    }
    this.entries.push(entry);
    while (this.entries.length > this.maxEntries) this.entries.shift()!.cache.dispose();
  }

  get size(): number {
    return this.entries.length;
  }

  dispose(): void {
    for (const e of this.entries) e.cache.dispose();
    this.entries = [];
  }
}
