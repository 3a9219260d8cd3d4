/**
 * Collects a stream's bytes up to a cap and remembers whether anything was dropped. The cap never cuts a
 * UTF-8 character in two: a character that would not fit whole is dropped whole, and the bytes of a
 * character split across two chunks are held back until it is complete, so streamed and kept output
 * decode the same way.
 */
export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** The start of a character whose remaining bytes have not arrived yet (at most 3 bytes). */
  private held: Buffer = Buffer.alloc(0);
  private full = false;
  truncated = false;

  constructor(
    private readonly limit: number,
    private readonly onChunk?: (chunk: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.full) {
      this.truncated = true;
      return;
    }
    const pending = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const room = this.limit - this.kept;
    if (pending.length > room) {
      this.truncated = true;
      this.full = true;
      this.held = Buffer.alloc(0);
      this.keep(pending.subarray(0, completeLength(pending.subarray(0, room))));
      return;
    }
    const complete = completeLength(pending);
    this.held = Buffer.from(pending.subarray(complete));
    this.keep(pending.subarray(0, complete));
  }

  /** The stream ended: bytes held for an unfinished character are kept as they are (they fit the cap). */
  end(): void {
    const rest = this.held;
    this.held = Buffer.alloc(0);
    this.keep(rest);
  }

  text(): string {
    return Buffer.concat([...this.chunks, this.held]).toString('utf8');
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.kept += bytes.length;
    this.onChunk?.(bytes);
  }
}

/**
 * The length of the longest prefix of bytes that does not end inside a UTF-8 character: bytes.length,
 * unless its last 1 to 3 bytes start a multi-byte sequence (RFC 3629 lead byte 110xxxxx, 1110xxxx or
 * 11110xxx) that needs more bytes than are there. Invalid bytes are left as they are.
 */
export function completeLength(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= Math.max(0, end - 4); i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf8 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < need ? i : end;
  }
  return end;
}
