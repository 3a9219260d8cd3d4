import { describe, expect, it } from 'vitest';
import { parseReply } from '../../harness/agent/protocol.ts';

describe('parseReply', () => {
  it('reads the documented file block', () => {
    const reply =
      'I will fix it.\n\n### FILE: src/solution.py\n```python\ndef f(x):\n    return x + 1\n```\nDone.';
    expect(parseReply(reply)).toEqual({
      files: [{ path: 'src/solution.py', content: 'def f(x):\n    return x + 1\n', inferred: false }],
      impossible: undefined,
      gaveUp: false,
      problems: [],
    });
  });

  it('accepts common variants of the header', () => {
    for (const header of ['FILE: a.py', 'File: `a.py`', '**a.py**', '## File: a.py', '**File:** a.py']) {
      const parsed = parseReply(`${header}\n\`\`\`\nx = 1\n\`\`\`\n`);
      expect(parsed.files, header).toEqual([{ path: 'a.py', content: 'x = 1\n', inferred: false }]);
    }
  });

  it('writes test files too: the model may touch any workspace path', () => {
    const parsed = parseReply('### FILE: tests/test_sum.py\n```python\ndef test_ok():\n    assert True\n```');
    expect(parsed.files[0]!.path).toBe('tests/test_sum.py');
  });

  it('takes the path from a leading comment, or the primary file, and says it was inferred', () => {
    const fromComment = parseReply('```python\n# solution.py\nprint(1)\n```');
    expect(fromComment.files).toEqual([{ path: 'solution.py', content: 'print(1)\n', inferred: true }]);
    const fromPrimary = parseReply('```js\nexport const x = 1;\n```', { primaryFile: 'lib/x.js' });
    expect(fromPrimary.files).toEqual([
      { path: 'lib/x.js', content: 'export const x = 1;\n', inferred: true },
    ]);
    const orphan = parseReply('```\nprint(1)\n```');
    expect(orphan.files).toEqual([]);
    expect(orphan.problems[0]).toMatch(/names no file/);
  });

  it('refuses paths that leave the workspace, without throwing', () => {
    const parsed = parseReply(
      '### FILE: ../../etc/passwd\n```\nroot::0:0\n```\n### FILE: /tmp/x\n```\ny\n```',
    );
    expect(parsed.files).toEqual([]);
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[0]).toMatch(/refused to write "..\/..\/etc\/passwd"/);
  });

  it('keeps the content of a block that is never closed, and says so', () => {
    const parsed = parseReply('### FILE: a.py\n```python\nx = 1\ny = 2');
    expect(parsed.files[0]!.content).toBe('x = 1\ny = 2\n');
    expect(parsed.problems[0]).toMatch(/never closed/);
  });

  it('keeps nested shorter fences inside a longer one', () => {
    const parsed = parseReply('### FILE: README.md\n````markdown\n```\ncode\n```\n````');
    expect(parsed.files[0]!.content).toBe('```\ncode\n```\n');
  });

  it('reads the impossibility statement and giving up', () => {
    expect(parseReply('### IMPOSSIBLE: the two tests demand different sums').impossible).toEqual({
      reason: 'the two tests demand different sums',
    });
    expect(parseReply('**IMPOSSIBLE**\nThe spec contradicts test 3.').impossible?.reason).toBe(
      'The spec contradicts test 3.',
    );
    expect(parseReply('### GIVE UP').gaveUp).toBe(true);
    expect(parseReply('I will not give up on this').gaveUp).toBe(false);
  });

  it('uses the last version when a file is written twice', () => {
    const parsed = parseReply('### FILE: a.py\n```\nv1\n```\n### FILE: a.py\n```\nv2\n```');
    expect(parsed.files).toEqual([{ path: 'a.py', content: 'v2\n', inferred: false }]);
  });

  it("strips the fence's indentation from a block inside an indented list item", () => {
    const reply = [
      'Plan:',
      '',
      '1. Fix the sum:',
      '',
      '   ### FILE: solution.py',
      '   ```python',
      '   def add(a, b):',
      '       return a + b',
      '',
      '   print(add(1, 2))',
      '   ```',
      '2. Check the tests:',
      '\t```',
      '\t# tests/test_add.py',
      '\tfrom solution import add',
      '\t\tx = 1',
      '  half',
      '\t```',
    ].join('\n');
    expect(parseReply(reply)).toEqual({
      files: [
        {
          path: 'solution.py',
          content: 'def add(a, b):\n    return a + b\n\nprint(add(1, 2))\n',
          inferred: false,
        },
        // A line loses only the part of its indentation that matches the fence's: more is kept, spaces under a tab too.
        { path: 'tests/test_add.py', content: 'from solution import add\n\tx = 1\n  half\n', inferred: true },
      ],
      impossible: undefined,
      gaveUp: false,
      problems: [],
    });
  });
});
