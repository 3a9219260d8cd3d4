import { beforeAll, describe, expect, it } from 'vitest';
import type { TestFeedback } from '../../harness/agent/types.ts';
import { initSyntax, parseReport, scoringTree, summarise, testIdsOf } from '../../harness/scoring/index.ts';
import { pyTask, withFiles } from './fixtures.ts';

beforeAll(async () => {
  await initSyntax();
});

const exec = (stdout: string, exitCode = 0) => ({
  stdout,
  exitCode,
  timedOut: false,
  truncated: false,
  durationMs: 5,
});

describe('parseReport', () => {
  it('reads only nonce lines, folds parametrised cases into the worst status, lists what never reported', () => {
    const stdout = [
      '..N1 {"ev": "test", "id": "t.py::test_p[1]", "status": "passed", "message": ""}',
      'N1 {"ev": "test", "id": "t.py::test_p[2]", "status": "failed", "message": "assert 3 == 4"}',
      'XX {"ev": "test", "id": "t.py::test_q", "status": "passed"}',
      '{"ev": "test", "id": "t.py::test_q", "status": "passed"}',
      'N1 {"ev": "test", "id": "t.py::test_extra", "status": "passed", "message": ""}',
      'N1 {"ev": "end", "exitstatus": 1}',
    ].join('\n');
    const run = parseReport(exec(stdout, 1), 'N1', {
      language: 'python',
      expected: ['t.py::test_p', 't.py::test_q'],
    });
    expect(run.tests).toEqual({ 't.py::test_p': 'failed', 't.py::test_q': 'missing' });
    expect(run.messages['t.py::test_p']).toBe('assert 3 == 4');
    expect(run.unexpected).toEqual({ 't.py::test_extra': 'passed' });
    expect(run.reportComplete).toBe(true);
  });

  it('turns a crashed node:test file into a collection error and a duplicate name into the worse result', () => {
    const stdout = [
      'N2 {"ev":"test","file":"/workspace/a.test.js","name":"one","status":"passed","message":""}',
      'N2 {"ev":"test","file":"/workspace/a.test.js","name":"one","status":"failed","message":"boom"}',
      'N2 {"ev":"test","file":"/workspace/b.test.js","name":"/workspace/b.test.js","status":"failed","message":"SyntaxError"}',
    ].join('\n');
    const run = parseReport(exec(stdout, 1), 'N2', {
      language: 'javascript',
      expected: ['a.test.js::one', 'b.test.js::two'],
    });
    expect(run.tests).toEqual({ 'a.test.js::one': 'failed', 'b.test.js::two': 'missing' });
    expect(run.collectErrors).toEqual([{ path: 'b.test.js', message: 'SyntaxError' }]);
    expect(run.reportComplete).toBe(false);
  });

  it('summarises for the agent loop, as its TestFeedback', () => {
    const run = parseReport(
      exec('N {"ev":"test","id":"t.py::test_a","status":"skipped","message":""}\nN {"ev":"end"}'),
      'N',
      { language: 'python', expected: ['t.py::test_a', 't.py::test_b'] },
    );
    const feedback: TestFeedback = summarise(run);
    expect(feedback).toMatchObject({ passed: 0, failed: 0, total: 2, allPassed: true });
    expect(summarise(run).strictPassed).toBe(false);
  });
});

describe('test ids and the scoring tree', () => {
  it('reads ids of functions, test classes and node:test calls from source', () => {
    const py =
      'import pytest\n\n@pytest.mark.parametrize("x", [1])\ndef test_a(x):\n    pass\n\nclass TestB:\n    def test_c(self):\n        pass\n    def helper(self):\n        pass\n\ndef helper():\n    pass\n';
    expect(testIdsOf('t.py', 'python', py)).toEqual(['t.py::test_a', 't.py::TestB::test_c']);
    const js =
      "import test, { describe } from 'node:test';\ntest('a', () => {});\ntest.skip(\"b\", () => {});\nawait test(`c`, async () => {});\ndescribe('d', () => { test('inner', () => {}); });\n";
    expect(testIdsOf('a.test.js', 'javascript', js)).toEqual([
      'a.test.js::a',
      'a.test.js::b',
      'a.test.js::c',
      'a.test.js::d',
    ]);
  });

  it('keeps solution files, restores protected ones, removes the rest, adds held-out tests', () => {
    const tree = scoringTree(
      pyTask,
      withFiles(pyTask, {
        'solution.py': 'x',
        'test_solution.py': 'y',
        'conftest.py': 'z',
        'notes.txt': 'n',
      }),
    );
    expect([...tree.solution.keys()]).toEqual(['solution.py']);
    expect(tree.removed).toEqual(['conftest.py', 'notes.txt']);
    expect(tree.restored).toEqual(['test_solution.py']);
    expect([...tree.protectedFiles.keys()].sort()).toEqual(['test_hidden.py', 'test_solution.py']);
  });
});
