/** Byte-level BPE over one pre-tokenized word: merge the lowest-ranked adjacent pair, leftmost first. */

interface Pair {
  rank: number;
  left: number;
  /** The concatenation the pair was queued for; stale entries no longer match and are skipped. */
  text: string;
}

/** A binary min-heap ordered by (rank, left), as llama.cpp's bigram queue. */
class PairHeap {
  private items: Pair[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: Pair, b: Pair): boolean {
    return a.rank < b.rank || (a.rank === b.rank && a.left < b.left);
  }
  push(p: Pair): void {
    const h = this.items;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i] as Pair, h[parent] as Pair)) break;
      [h[i], h[parent]] = [h[parent] as Pair, h[i] as Pair];
      i = parent;
    }
  }
  pop(): Pair | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l] as Pair, h[m] as Pair)) m = l;
        if (r < h.length && this.less(h[r] as Pair, h[m] as Pair)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Pair, h[i] as Pair];
        i = m;
      }
    }
    return top;
  }
}

/** Splits a byte-level word into merged symbols. `ranks` maps "left right" to its merge rank. */
export function bpeWord(word: string, ranks: Map<string, number>): string[] {
  const symbols = Array.from(word);
  if (symbols.length < 2) return symbols;
  const prev = symbols.map((_, i) => i - 1);
  const next = symbols.map((_, i) => (i + 1 < symbols.length ? i + 1 : -1));
  const live = symbols.slice() as (string | undefined)[];
  const heap = new PairHeap();
  const queue = (left: number) => {
    const right = next[left] as number;
    if (left < 0 || right < 0) return;
    const a = live[left] as string;
    const b = live[right] as string;
    const rank = ranks.get(`${a} ${b}`);
    if (rank !== undefined) heap.push({ rank, left, text: a + b });
  };
  for (let i = 0; i + 1 < symbols.length; i++) queue(i);
  while (heap.size > 0) {
    const { left, text } = heap.pop() as Pair;
    const right = next[left] as number;
    if (live[left] === undefined || right < 0 || (live[left] as string) + live[right] !== text) continue;
    live[left] = text;
    live[right] = undefined;
    const after = next[right] as number;
    next[left] = after;
    if (after >= 0) prev[after] = left;
    queue(prev[left] as number);
    queue(left);
  }
  return live.filter((s): s is string => s !== undefined);
}
