import { describe, expect, it } from 'vitest';
import { safeRelativePath } from '../../sandboxes/index.ts';
import { CappedBuffer } from '../../sandboxes/capture.ts';

describe('safeRelativePath', () => {
  it('normalises paths inside the workspace', () => {
    expect(safeRelativePath('src/./a.py')).toBe('src/a.py');
    expect(safeRelativePath('src/../tests/test_a.py')).toBe('tests/test_a.py');
    expect(safeRelativePath('dir\\file.js')).toBe('dir/file.js');
  });

  it.each(['/etc/passwd', '../outside', 'a/../../b', '..', '.', '', 'a\0b'])('refuses %j', (path) => {
    expect(() => safeRelativePath(path)).toThrow();
  });
});

describe('CappedBuffer', () => {
  it('keeps bytes up to the cap and flags the rest', () => {
    const seen: number[] = [];
    const buffer = new CappedBuffer(5, (c) => seen.push(c.length));
    buffer.push(Buffer.from('abc'));
    expect(buffer.truncated).toBe(false);
    buffer.push(Buffer.from('defg'));
    buffer.push(Buffer.from('h'));
    expect(buffer.text()).toBe('abcde');
    expect(buffer.truncated).toBe(true);
    expect(seen).toEqual([3, 2]);
  });
});
