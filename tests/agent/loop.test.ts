import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitContext } from '../../harness/agent/context.ts';
import { runAgentLoop } from '../../harness/agent/loop.ts';
import type { AgentLimits, AgentTask, TestFeedback } from '../../harness/agent/types.ts';
import {
  createSandbox,
  DEFAULT_LIMITS,
  ensureImages,
  IMAGES,
  requireDocker,
  type Sandbox,
} from '../../sandboxes/index.ts';
import { ScriptedModel } from './scripted-model.ts';

const task: AgentTask = {
  id: 'add-one',
  spec: 'Implement `add_one(x)` in solution.py so that it returns x + 1.',
  workspace: new Map([
    ['solution.py', Buffer.from('def add_one(x):\n    raise NotImplementedError\n')],
    [
      'test_solution.py',
      Buffer.from(
        'from solution import add_one\n\ndef test_one():\n    assert add_one(1) == 2\n\ndef test_zero():\n    assert add_one(0) == 1\n',
      ),
    ],
  ]),
  visibleTests: ['test_solution.py'],
  solutionPaths: ['solution.py'],
};

const limits: AgentLimits = {
  maxAttempts: 4,
  maxReplyTokens: 256,
  contextTokens: 4096,
  wallTimeS: 120,
  feedbackChars: 2000,
  allowImpossibleFlag: true,
};

/** A minimal pytest runner for these tests; the scoring module's runner is tested on its own. */
async function runPytest(sandbox: Sandbox): Promise<TestFeedback> {
  const result = await sandbox.exec(['python3', '-m', 'pytest', '-q', '-rA', '-p', 'no:cacheprovider'], {
    timeoutS: 30,
  });
  const tests: Record<string, string> = {};
  for (const m of result.stdout.matchAll(/^(PASSED|FAILED) (\S+)/gm)) tests[m[2]!] = m[1]!.toLowerCase();
  const failures = Object.entries(tests)
    .filter(([, s]) => s === 'failed')
    .map(([id]) => ({ id, message: 'assertion failed' }));
  const passed = Object.values(tests).filter((s) => s === 'passed').length;
  return {
    passed,
    failed: failures.length,
    total: passed + failures.length,
    allPassed: failures.length === 0 && passed > 0,
    timedOut: result.timedOut,
    failures,
    tests,
  };
}

let sandbox: Sandbox;

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
});

async function freshSandbox(): Promise<Sandbox> {
  sandbox = await createSandbox({ image: IMAGES.python, limits: DEFAULT_LIMITS });
  await sandbox.writeFiles(Object.fromEntries(task.workspace));
  return sandbox;
}

afterAll(async () => {
  await sandbox?.destroy();
});

describe('runAgentLoop with a scripted model in a real sandbox', () => {
  it('feeds test failures back and stops when the tests pass', async () => {
    const model = new ScriptedModel([
      '### FILE: solution.py\n```python\ndef add_one(x):\n    return x\n```',
      '### FILE: solution.py\n```python\ndef add_one(x):\n    return x + 1\n```',
    ]);
    const trace = await runAgentLoop(task, limits, 42, {
      model,
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(trace.endReason).toBe('tests_passed');
    expect(trace.attempts).toHaveLength(2);
    expect(trace.attempts[0]!.tests).toMatchObject({ passed: 0, failed: 2 });
    expect(trace.attempts[1]!.tests).toMatchObject({ passed: 2, failed: 0, allPassed: true });
    const secondPrompt = model.requests[1]!.messages;
    expect(secondPrompt.at(-1)!.content).toContain('Test results: 0 passed, 2 failed of 2.');
    expect(secondPrompt.at(-1)!.content).toContain('FAILED test_solution.py::test_one');
    expect(model.requests[0]!.seed).not.toBe(model.requests[1]!.seed);
    expect((await sandbox.readFile('solution.py')).toString()).toContain('return x + 1');
    await sandbox.destroy();
  });

  it('ends on an impossibility flag, and on giving up', async () => {
    const flagged = await runAgentLoop(task, limits, 1, {
      model: new ScriptedModel(['### IMPOSSIBLE: the tests contradict each other']),
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(flagged.endReason).toBe('flagged_impossible');
    expect(flagged.attempts[0]!.flaggedImpossible).toEqual({ reason: 'the tests contradict each other' });
    await sandbox.destroy();
    const quit = await runAgentLoop(task, limits, 1, {
      model: new ScriptedModel(['### GIVE UP']),
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(quit.endReason).toBe('gave_up');
    await sandbox.destroy();
  });

  it('ignores the impossibility flag when the config turns it off, and stops at the attempt limit', async () => {
    const model = new ScriptedModel(Array(4).fill('### IMPOSSIBLE: no'));
    const trace = await runAgentLoop(task, { ...limits, allowImpossibleFlag: false }, 1, {
      model,
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(trace.endReason).toBe('max_attempts');
    expect(trace.attempts).toHaveLength(4);
    expect(model.requests[0]!.messages[1]!.content).not.toContain('IMPOSSIBLE');
    expect(trace.attempts[1]!.tests).toBeUndefined();
    await sandbox.destroy();
  });

  it('records writes to test files in the write log', async () => {
    const model = new ScriptedModel([
      '### FILE: test_solution.py\n```python\ndef test_one():\n    assert True\n```',
    ]);
    const trace = await runAgentLoop(task, limits, 1, {
      model,
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(trace.endReason).toBe('tests_passed');
    expect(trace.writeLog).toEqual([
      expect.objectContaining({ attempt: 1, path: 'test_solution.py', inferredPath: false }),
    ]);
    await sandbox.destroy();
  });
});

describe('writes the file system refuses', () => {
  it('become a problem reported to the model, and the attempt is kept', async () => {
    const long = `${'x'.repeat(300)}.py`;
    const model = new ScriptedModel([
      `### FILE: ${long}\n\`\`\`python\nprint(1)\n\`\`\`\n\n### FILE: solution.py\n\`\`\`python\ndef add_one(x):\n    return x\n\`\`\``,
      '### GIVE UP',
    ]);
    const trace = await runAgentLoop(task, limits, 1, {
      model,
      sandbox: await freshSandbox(),
      runTests: runPytest,
    });
    expect(trace.endReason).toBe('gave_up');
    expect(trace.attempts).toHaveLength(2);
    const first = trace.attempts[0]!;
    expect(first.problems).toEqual([`could not write "${'x'.repeat(77)}...": file name too long`]);
    expect(first.filesWritten.map((w) => w.path)).toEqual(['solution.py']);
    expect(trace.writeLog.map((w) => w.path)).toEqual(['solution.py']);
    expect(first.tests).toMatchObject({ passed: 0, failed: 2 });
    expect(model.requests[1]!.messages.at(-1)!.content).toContain('file name too long');
    await sandbox.destroy();
  });
});

describe('fitContext', () => {
  const base = [
    { role: 'system' as const, content: 's'.repeat(40) },
    { role: 'user' as const, content: 't'.repeat(400) },
  ] as [{ role: 'system'; content: string }, { role: 'user'; content: string }];
  const turns = [1, 2, 3].map((i) => ({
    reply: 'r'.repeat(400),
    feedback: 'f'.repeat(400),
    summary: `Attempt ${i}: summary.`,
  }));
  const count = async (m: { content: string }[]) => m.reduce((n, x) => n + x.content.length, 0);

  it('keeps everything when it fits', async () => {
    const fitted = await fitContext(base, turns, 10_000, count);
    expect(fitted).toMatchObject({ summarised: 0, fits: true });
    expect(fitted.messages).toHaveLength(8);
  });

  it('summarises the oldest turns first and keeps the newest whole', async () => {
    const fitted = await fitContext(base, turns, 440 + 800 + 100, count);
    expect(fitted.summarised).toBe(2);
    expect(fitted.messages).toHaveLength(4);
    expect(fitted.messages[1]!.content).toContain('Attempt 1: summary.\nAttempt 2: summary.');
    expect(fitted.messages[2]!.role).toBe('assistant');
  });

  it('says when even the task does not fit', async () => {
    expect((await fitContext(base, turns, 100, count)).fits).toBe(false);
  });
});
