/** Output capture at the byte cap, and the host deadline's timer, without Docker. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CappedBuffer, completeLength } from '../../sandboxes/capture.ts';
import { delay, MAX_TIMER_MS } from '../../sandboxes/exec.ts';

const REPLACEMENT = '\uFFFD';

function capture(limit: number, chunks: Buffer[]): { buffer: CappedBuffer; streamed: Buffer[] } {
  const streamed: Buffer[] = [];
  const buffer = new CappedBuffer(limit, (chunk) => streamed.push(chunk));
  for (const chunk of chunks) buffer.push(chunk);
  buffer.end();
  return { buffer, streamed };
}

describe('completeLength', () => {
  it('stops before a character whose bytes are not all there', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const face = Buffer.from('😀'); // f0 9f 98 80
    expect(completeLength(Buffer.concat([Buffer.from('a'), euro]))).toBe(4);
    expect(completeLength(Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]))).toBe(1);
    expect(completeLength(Buffer.concat([Buffer.from('ab'), face.subarray(0, 3)]))).toBe(2);
    expect(completeLength(Buffer.concat([Buffer.from('ab'), face.subarray(0, 1)]))).toBe(2);
    expect(completeLength(Buffer.from([0x61, 0xc3]))).toBe(1);
  });

  it('leaves invalid bytes alone', () => {
    expect(completeLength(Buffer.from([0x61, 0xff]))).toBe(2);
    expect(completeLength(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80]))).toBe(5);
  });
});

describe('CappedBuffer', () => {
  it.each([1, 2, 3])('never cuts a 4-byte character at the cap (offset %i)', (offset) => {
    const text = 'x'.repeat(offset) + '😀'.repeat(100);
    const { buffer, streamed } = capture(64, [Buffer.from(text)]);
    const kept = buffer.text();
    expect(buffer.truncated).toBe(true);
    expect(kept).not.toContain(REPLACEMENT);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(64 - 4);
    expect(text.startsWith(kept)).toBe(true);
    expect(Buffer.concat(streamed).toString('utf8')).toBe(kept);
  });

  it('streams a character split across chunks only once it is whole', () => {
    const bytes = Buffer.from('aé€😀b');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    const { buffer, streamed } = capture(1024, chunks);
    expect(buffer.text()).toBe('aé€😀b');
    expect(buffer.truncated).toBe(false);
    for (const chunk of streamed) expect(chunk.toString('utf8')).not.toContain(REPLACEMENT);
    expect(streamed.map((c) => c.toString('utf8'))).toEqual(['a', 'é', '€', '😀', 'b']);
  });

  it('cuts at a boundary when the cap falls inside a character split across chunks', () => {
    const bytes = Buffer.from('ab€€');
    const { buffer } = capture(6, [bytes.subarray(0, 3), bytes.subarray(3, 7), bytes.subarray(7)]);
    expect(buffer.text()).toBe('ab€');
    expect(buffer.truncated).toBe(true);
  });

  it('keeps output that ends in an unfinished character when nothing was cut', () => {
    const { buffer } = capture(1024, [Buffer.from([0x61, 0xe2, 0x82])]);
    expect(buffer.truncated).toBe(false);
    expect(Buffer.from(buffer.text(), 'utf8')).toEqual(Buffer.from('a\uFFFD'));
  });

  it('keeps exactly the cap of single-byte output and flags the rest', () => {
    const { buffer } = capture(10, [Buffer.from('0123456'), Buffer.from('789abc')]);
    expect(buffer.text()).toBe('0123456789');
    expect(buffer.truncated).toBe(true);
  });
});

describe('delay', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits past the 32-bit timer range instead of firing at once', async () => {
    vi.useFakeTimers();
    let fired = false;
    const wait = delay(MAX_TIMER_MS + 5_000);
    void wait.done.then(() => {
      fired = true;
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fired).toBe(true);
  });

  it('can be cancelled', async () => {
    vi.useFakeTimers();
    let fired = false;
    const wait = delay(1000);
    void wait.done.then(() => {
      fired = true;
    });
    wait.cancel();
    await vi.advanceTimersByTimeAsync(2000);
    expect(fired).toBe(false);
  });
});
