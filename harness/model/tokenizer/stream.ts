/** Decodes tokens one at a time into text, holding back bytes until they form whole UTF-8 characters. */
import type { Tokenizer } from './tokenizer.ts';

/** The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence. */
function completePrefix(bytes: Uint8Array): number {
  const n = bytes.length;
  // A sequence is at most 4 bytes, so only the last 3 can start an unfinished one.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export class StreamDecoder {
  private pending = new Uint8Array(0);
  // A leading U+FEFF is text the model wrote, not a byte-order mark to strip.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly options: { special?: boolean } = {},
  ) {}

  /** The text this token completes; empty while a character is still split across tokens. */
  push(id: number): string {
    const piece = this.tokenizer.decodeBytes([id], this.options);
    const bytes = new Uint8Array(this.pending.length + piece.length);
    bytes.set(this.pending);
    bytes.set(piece, this.pending.length);
    const cut = completePrefix(bytes);
    this.pending = bytes.slice(cut);
    return this.decoder.decode(bytes.subarray(0, cut));
  }

  /** Whatever is held back, with invalid bytes as U+FFFD. */
  flush(): string {
    const rest = this.decoder.decode(this.pending);
    this.pending = new Uint8Array(0);
    return rest;
  }
}
