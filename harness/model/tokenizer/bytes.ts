/**
 * GPT-2's byte-level alphabet: every byte maps to a printable code point, so vocabularies store
 * arbitrary bytes as text ("Ġ" is a space). Bytes already printable map to themselves.
 */

const BYTE_TO_CHAR: string[] = [];
const CHAR_TO_BYTE = new Map<string, number>();
{
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    const ch = String.fromCodePoint(printable ? b : 256 + extra++);
    BYTE_TO_CHAR[b] = ch;
    CHAR_TO_BYTE.set(ch, b);
  }
}

const utf8 = new TextEncoder();

/** The UTF-8 bytes of `text`, spelled in the byte-level alphabet. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** The bytes a byte-level string spells; characters outside the alphabet are kept as their UTF-8. */
export function fromByteLevel(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b !== undefined) out.push(b);
    else out.push(...utf8.encode(ch));
  }
  return Uint8Array.from(out);
}

/** The byte-level character for one byte, for byte-fallback lookups. */
export function byteChar(b: number): string {
  return BYTE_TO_CHAR[b] as string;
}
