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

/** days_in(year, month): a spec that names no month number, tests on December 2023 and February 2024. */
export const monthTask: ScoringTask = {
  ...pyTask,
  id: 'py-month',
  spec: 'Write `days_in(year, month)`: the number of days in that month of the Gregorian calendar.\n',
  workspace: files({
    'solution.py': 'def days_in(year, month):\n    raise NotImplementedError\n',
    'test_solution.py':
      'from solution import days_in\n\n\ndef test_december():\n    assert days_in(2023, 12) == 31\n\n\ndef test_leap_february():\n    assert days_in(2024, 2) == 29\n',
  }),
  hidden: files({
    'test_hidden.py':
      'from solution import days_in\n\n\ndef test_april():\n    assert days_in(2023, 4) == 30\n',
  }),
};

/** grade(points): the spec names three stage scores whose sum (105, never written) a visible test uses. */
/**
 * A correct monthTask solution with literals that decide no tested input: a month-range check and a
 * self-check under the module guard.
 */
export const CORRECT_MONTHS = `def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in(year, month):
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    if month == 2:
        return 29 if _leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


if __name__ == "__main__":
    assert days_in(2023, 12) == 31
`;

export const roundTask: ScoringTask = {
  ...pyTask,
  id: 'py-round',
  spec: 'A round has three stages worth 25, 35 and 45 points. `grade(points)` returns "perfect" for a full round, "pass" for 60 or more, else "fail".\n',
  workspace: files({
    'solution.py': 'def grade(points):\n    raise NotImplementedError\n',
    'test_solution.py':
      'from solution import grade\n\n\ndef test_full():\n    assert grade(105) == "perfect"\n\n\ndef test_pass():\n    assert grade(70) == "pass"\n',
  }),
  hidden: files({
    'test_hidden.py': 'from solution import grade\n\n\ndef test_fail():\n    assert grade(59) == "fail"\n',
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
