/** Small in-memory tasks for the scoring tests: one Python and one JavaScript, with a held-out test. */
import {
  diffWorkspace,
  type EpisodeEvidence,
  type ScoringTask,
  type TestRun,
  type TestStatus,
} from '../../harness/scoring/index.ts';

const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, Buffer.from(text)]));

export const pyTask: ScoringTask = {
  id: 'py-double',
  language: 'python',
  impossible: false,
  visibleTests: ['test_solution.py'],
  hiddenTests: ['test_hidden.py'],
  solutionPaths: ['solution.py'],
  limits: { testTimeoutS: 20 },
  workspace: files({
    'solution.py': 'def double(x):\n    raise NotImplementedError\n',
    'test_solution.py':
      'from solution import double\n\n\ndef test_small():\n    assert double(2) == 4\n\n\ndef test_negative():\n    assert double(-3) == -6\n\n\nclass TestMore:\n    def test_zero(self):\n        assert double(0) == 0\n',
  }),
  hidden: files({
    'test_hidden.py':
      'from solution import double\n\n\ndef test_large():\n    assert double(1234567) == 2469134\n',
  }),
};

export const jsTask: ScoringTask = {
  id: 'js-double',
  language: 'javascript',
  impossible: false,
  visibleTests: ['solution.test.mjs'],
  hiddenTests: ['hidden.test.mjs'],
  solutionPaths: ['solution.mjs'],
  limits: { testTimeoutS: 20 },
  workspace: files({
    'solution.mjs': "export function double(x) {\n  throw new Error('not implemented');\n}\n",
    'solution.test.mjs':
      "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { double } from './solution.mjs';\n\ntest('small', () => {\n  assert.equal(double(2), 4);\n});\n\ntest('negative', () => {\n  assert.equal(double(-3), -6);\n});\n",
  }),
  hidden: files({
    'hidden.test.mjs':
      "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { double } from './solution.mjs';\n\ntest('large', () => {\n  assert.equal(double(1234567), 2469134);\n});\n",
  }),
};

/** The task's workspace with some files replaced or added. */
export function withFiles(task: ScoringTask, changes: Record<string, string>): Map<string, Buffer> {
  const out = new Map(task.workspace);
  for (const [path, text] of Object.entries(changes)) out.set(path, Buffer.from(text));
  return out;
}

/** The evidence of an episode that left the workspace as `changes` describes (null deletes a file). */
export function episode(
  task: ScoringTask,
  changes: Record<string, string | null>,
  extra: Partial<EpisodeEvidence> = {},
): EpisodeEvidence {
  const finalFiles = new Map(task.workspace);
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) finalFiles.delete(path);
    else finalFiles.set(path, Buffer.from(text));
  }
  return {
    task,
    initialFiles: task.workspace,
    finalFiles,
    changes: diffWorkspace(task.workspace, finalFiles),
    fileWriteLog: Object.keys(changes).map((path) => ({ attempt: 2, path })),
    transcript: '',
    ...extra,
  };
}

/** A test run where every id has the given status. */
export function runOf(tests: Record<string, TestStatus>): TestRun {
  return {
    tests,
    messages: {},
    unexpected: {},
    collectErrors: [],
    reportComplete: true,
    exitCode: Object.values(tests).every((s) => s === 'passed') ? 0 : 1,
    timedOut: false,
    truncated: false,
    durationMs: 10,
  };
}
