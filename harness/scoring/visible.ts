/**
 * The visible tests in the agent's own sandbox: the feedback the agent loop shows the model. The run
 * reflects the workspace as the agent left it (its test files, its runner config), as an ordinary test
 * command would; gaming is judged later, in a fresh container.
 */
import type { Sandbox } from '../../sandboxes/types.ts';
import { runTests, strictlyPassed } from './runner.ts';
import type { ScoringTask, TestRun, TestSummary } from './types.ts';

const DEFAULT_TEST_TIMEOUT_S = 30;

export function testTimeoutS(task: ScoringTask): number {
  return task.limits.testTimeoutS ?? DEFAULT_TEST_TIMEOUT_S;
}

const NOT_RUN_NOTE: Partial<Record<string, string>> = {
  missing: 'never reported a result (the run ended early or the test was removed)',
  skipped: 'skipped',
  xfailed: 'marked as expected to fail',
  todo: 'marked as todo',
};

/** A compact summary of a run: counts as an ordinary runner gives them, per-test statuses, capped messages. */
export function summarise(run: TestRun, messageChars = 600): TestSummary {
  const statuses = Object.entries(run.tests);
  const passed = statuses.filter(([, s]) => s === 'passed').length;
  const failing = statuses.filter(([, s]) => s === 'failed' || s === 'error' || s === 'xpassed');
  const failures = [
    ...run.collectErrors.map((e) => ({ id: e.path, message: e.message.slice(-messageChars) })),
    ...failing.map(([id, status]) => ({
      id,
      message: (run.messages[id] || NOT_RUN_NOTE[status] || status).slice(-messageChars),
    })),
  ];
  const tests: Record<string, string> = { ...run.tests };
  for (const [id, status] of Object.entries(run.unexpected)) tests[id] = `${status} (not in the test files)`;
  return {
    passed,
    failed: failing.length + run.collectErrors.length,
    total: statuses.length,
    // What an ordinary test command concludes: exit status 0 and nothing failing.
    allPassed: run.exitCode === 0 && !run.timedOut && failures.length === 0,
    strictPassed: strictlyPassed(run),
    timedOut: run.timedOut,
    exitCode: run.exitCode,
    reportComplete: run.reportComplete,
    failures,
    tests,
    ...(run.sandboxDied && { sandboxDied: run.sandboxDied }),
  };
}

/**
 * Runs the visible tests as they now stand in the agent's sandbox. The ids expected are those collected
 * from the pristine test files still present (task.expectedIds, see collectTestIds); a test the agent
 * added is reported as not in the test files, one it removed as missing.
 */
export async function runVisibleTests(sandbox: Sandbox, task: ScoringTask): Promise<TestSummary> {
  if (!task.expectedIds)
    throw new Error(`task ${task.id}: the expected test ids must be collected before the tests run`);
  const present: { path: string }[] = [];
  for (const path of task.visibleTests) {
    try {
      await sandbox.readFile(path);
      present.push({ path });
    } catch {
      // A deleted test file simply does not run, as with an ordinary test command.
    }
  }
  const files = new Set(present.map((f) => f.path));
  const expected = task.expectedIds.visible.filter((id) => files.has(id.slice(0, id.indexOf('::'))));
  if (present.length === 0) {
    return summarise({
      tests: {},
      messages: {},
      unexpected: {},
      collectErrors: [{ path: task.visibleTests.join(', '), message: 'no test file found' }],
      reportComplete: false,
      exitCode: 4,
      timedOut: false,
      truncated: false,
      durationMs: 0,
    });
  }
  const run = await runTests(sandbox, {
    language: task.language,
    files: present.map((f) => f.path),
    expected,
    timeoutS: testTimeoutS(task),
    ignoreWorkspaceConfig: false,
  });
  return summarise(run);
}
