/** The rule that takes a sample's final solution and lays it into an imported task's workspace. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chosenScore,
  findCode,
  passedOf,
  sampleKey,
  solutionOf,
  splitAnswer,
  workspaceOf,
} from '../../analysis/impossiblebench.ts';
import type { InspectSample } from '../../analysis/inspect-read.ts';
import { initSyntax } from '../../harness/scoring/syntax.ts';
import type { TaskDef } from '../../harness/tasks/index.ts';

beforeAll(async () => {
  await initSyntax();
});

function sample(overrides: Partial<InspectSample>): InspectSample {
  return {
    id: 'lcbhard_3',
    epoch: 1,
    metadata: {},
    scores: [{ name: 'agentic_humaneval_scorer', value: 'C', answer: null, metadata: {} }],
    completion: null,
    lastAssistant: null,
    error: null,
    ...overrides,
  };
}

describe('findCode (ImpossibleBench find_code)', () => {
  it('takes the last ```python block, bare ``` blocks after them, and the whole text without blocks', () => {
    expect(findCode('a\n```python\nx = 1\n```\nb\n```python\nx = 2\n```\n')).toBe('x = 2');
    // python blocks are listed first, bare ones after: a bare block wins even when it came earlier.
    expect(findCode('```\nbare = 1\n```\n```python\ntagged = 1\n```')).toBe('bare = 1');
    expect(findCode('def f():\n    return 1')).toBe('def f():\n    return 1');
  });
});

describe('solutionOf', () => {
  it("prefers the score's answer, then the completion's last block, then the last assistant message", () => {
    const withAnswer = sample({ completion: '```python\nignored\n```' });
    withAnswer.scores[0]!.answer = 'def f():\n    return 2';
    expect(solutionOf(withAnswer, withAnswer.scores[0]!)).toEqual({
      ok: true,
      value: { code: 'def f():\n    return 2', from: 'score answer', claimedImpossible: false },
    });
    const noAnswer = sample({ completion: 'x\n```python\ndraft\n```\n```python\nfinal = 1\n```' });
    expect(solutionOf(noAnswer, noAnswer.scores[0]!)).toMatchObject({
      value: { code: 'final = 1', from: 'output.completion' },
    });
    const onlyMessage = sample({ lastAssistant: '```python\nlast = 1\n```' });
    expect(solutionOf(onlyMessage, onlyMessage.scores[0]!)).toMatchObject({
      value: { code: 'last = 1', from: 'last assistant message' },
    });
    const nothing = sample({});
    expect(solutionOf(nothing, nothing.scores[0]!)).toEqual({
      ok: false,
      problem: 'no solution: the score has no answer and the sample no completion',
    });
    const flag = sample({});
    flag.scores[0]!.answer = '[flag_for_human_intervention]';
    expect(solutionOf(flag, flag.scores[0]!)).toMatchObject({ value: { code: '', claimedImpossible: true } });
  });
});

describe('sampleKey, chosenScore, passedOf', () => {
  it('matches by metadata, falls back to the id and the task name, refuses what names no version', () => {
    expect(
      sampleKey(sample({ metadata: { task_id: 'lcbhard_9', impossible_type: 'conflicting' } }), 'x'),
    ).toEqual({
      ok: true,
      value: { taskId: 'lcbhard_9', split: 'conflicting' },
    });
    expect(sampleKey(sample({}), 'lcb_oneoff_canmod_minimal')).toEqual({
      ok: true,
      value: { taskId: 'lcbhard_3', split: 'oneoff' },
    });
    expect(sampleKey(sample({}), 'my_task')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no version/),
    });
    expect(sampleKey(sample({ metadata: { impossible_type: 'inverted' } }), 'x')).toMatchObject({
      ok: false,
    });
  });

  it('reads C/I, 1/0 and true/false, and names a score that is not there', () => {
    const score = (value: unknown) => ({ name: 's', value, answer: null, metadata: {} });
    expect(passedOf(score('C'))).toEqual({ ok: true, value: { passed: true, value: 'C' } });
    expect(passedOf(score(0))).toEqual({ ok: true, value: { passed: false, value: '0' } });
    expect(passedOf(score('P'))).toMatchObject({ ok: false });
    expect(chosenScore(sample({}), 'other')).toEqual({
      ok: false,
      problem: 'no score named other (the sample has agentic_humaneval_scorer)',
    });
    expect(chosenScore(sample({ scores: [] }), undefined)).toEqual({
      ok: false,
      problem: 'the sample has no score',
    });
  });
});

describe('splitAnswer and workspaceOf', () => {
  const TEST = 'def check(candidate):\n    assert candidate(1) == 2\n';

  it("moves top-level definitions of the test code's names out of the solution, decorators included", () => {
    const answer = [
      'import functools',
      '',
      'def f(x):',
      '    return x + 1',
      '',
      '@functools.lru_cache',
      'def check(candidate):',
      '    return None',
      '',
      'def helper():',
      '    def check(c):',
      '        return c',
      '    return check',
    ].join('\n');
    const parts = splitAnswer(answer, TEST);
    expect(parts.tests).toBe('@functools.lru_cache\ndef check(candidate):\n    return None');
    expect(parts.solution).toBe(
      'import functools\n\ndef f(x):\n    return x + 1\n\ndef helper():\n    def check(c):\n        return c\n    return check',
    );
    expect(splitAnswer(answer, undefined)).toEqual({ solution: answer, tests: '' });
  });

  it('appends the solution to the starter file and the test part to the first visible test', async () => {
    const task = {
      id: 't',
      language: 'python',
      visibleTests: ['test_solution.py'],
      supportFiles: [],
      solutionPaths: ['solution.py'],
      workspace: new Map([
        ['solution.py', Buffer.from('def f(x):\n    raise NotImplementedError\n')],
        ['test_solution.py', Buffer.from('from solution import f\n\ndef test_1():\n    assert f(1) == 2\n')],
      ]),
    } as unknown as TaskDef;
    const laid = await workspaceOf(
      task,
      {
        code: 'def f(x):\n    return x + 1\n\ndef check(c):\n    pass',
        from: 'score answer',
        claimedImpossible: false,
      },
      TEST,
    );
    expect(laid.ok).toBe(true);
    if (!laid.ok) return;
    expect(laid.value.files.get('solution.py')!.toString()).toBe(
      'def f(x):\n    raise NotImplementedError\n\n\ndef f(x):\n    return x + 1\n',
    );
    expect(laid.value.files.get('test_solution.py')!.toString()).toBe(
      'from solution import f\n\ndef test_1():\n    assert f(1) == 2\n\n\ndef check(c):\n    pass\n',
    );
    const flagged = await workspaceOf(
      task,
      { code: '', from: 'score answer', claimedImpossible: true },
      TEST,
    );
    expect(flagged).toMatchObject({ ok: true, value: { claimedImpossible: true } });
    if (flagged.ok) expect(flagged.value.files.size).toBe(0);
    const js = await workspaceOf(
      { ...task, language: 'javascript' } as TaskDef,
      { code: 'x', from: 'score answer', claimedImpossible: false },
      TEST,
    );
    expect(js).toMatchObject({ ok: false, problem: expect.stringMatching(/javascript/) });
  });
});
