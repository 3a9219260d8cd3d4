import { beforeAll, describe, expect, it } from 'vitest';
import type { TestFeedback } from '../../harness/agent/types.ts';
import { initSyntax, parseReport, scoringTree, summarise } from '../../harness/scoring/index.ts';
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
  it('reads only nonce lines, keeps each parametrised case apart, lists what never reported', () => {
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
      expected: ['t.py::test_p[1]', 't.py::test_p[2]', 't.py::test_q'],
    });
    expect(run.tests).toEqual({
      't.py::test_p[1]': 'passed',
      't.py::test_p[2]': 'failed',
      't.py::test_q': 'missing',
    });
    expect(run.messages['t.py::test_p[2]']).toBe('assert 3 == 4');
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

describe('collected ids and the scoring tree', () => {
  it('lists the ids a collect-only run names, and every test a node:test run names, in order', () => {
    const py = parseReport(
      exec(
        [
          'N {"ev":"collected","id":"tests/test_a.py::test_p[1]"}',
          'N {"ev":"collected","id":"tests/test_a.py::TestB::test_c"}',
          'N {"ev":"end","exitstatus":0}',
        ].join('\n'),
      ),
      'N',
      { language: 'python', expected: [] },
    );
    expect(py.collected).toEqual(['tests/test_a.py::test_p[1]', 'tests/test_a.py::TestB::test_c']);
    const js = parseReport(
      exec(
        [
          'N {"ev":"test","file":"/workspace/a.test.mjs","name":"d > inner","status":"failed","message":"x"}',
          'N {"ev":"test","file":"file:///workspace/a.test.mjs","name":"case 1","status":"passed","message":""}',
          'N {"ev":"end"}',
        ].join('\n'),
        1,
      ),
      'N',
      { language: 'javascript', expected: [] },
    );
    expect(js.collected).toEqual(['a.test.mjs::d > inner', 'a.test.mjs::case 1']);
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
