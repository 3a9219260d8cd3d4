/**
 * SentencePiece-style encoding of one text fragment, as llama.cpp's llm_tokenizer_spm_session: start from
 * UTF-8 characters, repeatedly merge the adjacent pair whose concatenation is the vocabulary token of highest
 * score (leftmost on ties), then emit each symbol as its token, or as <0xXX> byte tokens when it has none
 * (byte fallback).
 */

interface SpmSymbol {
  text: string;
  prev: number;
  next: number;
}

interface Bigram {
  left: number;
  right: number;
  score: number;
  text: string;
}

/** Max-heap on score, then the smaller left index (llm_bigram_spm::comparator). */
class BigramHeap {
  private items: Bigram[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(a: Bigram, b: Bigram): boolean {
    return a.score > b.score || (a.score === b.score && a.left < b.left);
  }
  push(item: Bigram): void {
    const h = this.items;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i] as Bigram, h[parent] as Bigram)) break;
      [h[i], h[parent]] = [h[parent] as Bigram, h[i] as Bigram];
      i = parent;
    }
  }
  pop(): Bigram {
    const h = this.items;
    const top = h[0] as Bigram;
    const last = h.pop() as Bigram;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l] as Bigram, h[m] as Bigram)) m = l;
        if (r < h.length && this.before(h[r] as Bigram, h[m] as Bigram)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Bigram, h[i] as Bigram];
        i = m;
      }
    }
    return top;
  }
}

export interface SpmVocabulary {
  id(text: string): number | undefined;
  score(id: number): number;
  /** The token for one byte: <0xXX>, else the byte as text; undefined when the vocabulary has neither. */
  byteToken(byte: number): number | undefined;
}

const utf8 = new TextEncoder();

/** Token ids of `text` (already whitespace-escaped with U+2581), appended to `out`. */
export function spmEncode(text: string, vocab: SpmVocabulary, out: number[]): void {
  const chars = Array.from(text);
  const symbols: SpmSymbol[] = chars.map((ch, i) => ({
    text: ch,
    prev: i - 1,
    next: i + 1 < chars.length ? i + 1 : -1,
  }));
  if (symbols.length === 0) return;
  const heap = new BigramHeap();
  const tryAdd = (left: number, right: number) => {
    if (left < 0 || right < 0) return;
    const joined = (symbols[left] as SpmSymbol).text + (symbols[right] as SpmSymbol).text;
    const id = vocab.id(joined);
    if (id !== undefined) heap.push({ left, right, score: vocab.score(id), text: joined });
  };
  for (let i = 1; i < symbols.length; i++) tryAdd(i - 1, i);
  while (heap.size > 0) {
    const { left, right, text: joined } = heap.pop();
    const l = symbols[left] as SpmSymbol;
    const r = symbols[right] as SpmSymbol;
    // A side already merged elsewhere no longer spells the queued pair.
    if (l.text === '' || r.text === '' || l.text + r.text !== joined) continue;
    l.text = joined;
    r.text = '';
    l.next = r.next;
    if (r.next >= 0) (symbols[r.next] as SpmSymbol).prev = left;
    tryAdd(l.prev, left);
    tryAdd(left, l.next);
  }
  // Every merge made a token, so a symbol without one is a single character: llama.cpp's resegment then
  // finds no merge to undo and spells it in bytes.
  for (let i = 0; i !== -1; i = (symbols[i] as SpmSymbol).next) {
    const piece = (symbols[i] as SpmSymbol).text;
    const id = vocab.id(piece);
    if (id !== undefined) {
      out.push(id);
      continue;
    }
    for (const b of utf8.encode(piece)) {
      const byteId = vocab.byteToken(b);
      if (byteId !== undefined) out.push(byteId);
    }
  }
}
