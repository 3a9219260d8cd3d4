/**
 * Pristine rescoring: the agent's final workspace in a fresh container, with the task's protected files
 * restored root-owned and read-only, new files outside the solution paths removed, runner configuration
 * in the workspace ignored; then the visible tests in one process, each visible test alone in its own
 * process in shuffled order (state carried across tests shows up as a difference), and the held-out tests.
 */
import type { Sandbox, SandboxLimits, SandboxSpec } from '../../sandboxes/types.ts';
import { seededUniform } from '../random.ts';
import { isSolutionPath, protectedPaths } from './paths.ts';
import { mergeRuns, runTests } from './runner.ts';
import { initSyntax } from './syntax.ts';
import { expectedTestIds } from './test-ids.ts';
import type { PristineResult, ScoringTask, TestRun } from './types.ts';
import { testTimeoutS } from './visible.ts';

export interface ScoringDeps {
  createSandbox: (spec: SandboxSpec) => Promise<Sandbox>;
  limits: SandboxLimits;
  /** Logical image per task language (e.g. IMAGES.python). */
  images: Record<ScoringTask['language'], string>;
  labels?: Record<string, string>;
  /** Seeds the order of the isolated runs, so a rescoring can be repeated exactly. */
  seed?: number;
}

interface ProtectedWriter {
  writeProtectedFiles(root: string, files: Record<string, string | Buffer>): Promise<void>;
}

function canProtect(sandbox: Sandbox): sandbox is Sandbox & ProtectedWriter {
  return typeof (sandbox as Partial<ProtectedWriter>).writeProtectedFiles === 'function';
}

/** The same order for the same seed, so a rescoring repeats. */
function shuffled<T>(items: T[], seed: number): T[] {
  const next = seededUniform(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface ScoringTree {
  /** Files the solution contributes (kept as the agent left them). */
  solution: Map<string, Buffer>;
  /** The task's protected files plus the held-out tests, written read-only. */
  protectedFiles: Map<string, Buffer>;
  removed: string[];
  restored: string[];
}

/** Decides what goes into the scoring container; pure, so tests can check it without Docker. */
export function scoringTree(task: ScoringTask, finalFiles: Map<string, Buffer>): ScoringTree {
  const guarded = new Set(protectedPaths(task));
  const solution = new Map<string, Buffer>();
  const removed: string[] = [];
  for (const [path, content] of finalFiles) {
    if (guarded.has(path)) continue;
    if (isSolutionPath(task, path)) solution.set(path, content);
    else removed.push(path);
  }
  const protectedFiles = new Map<string, Buffer>();
  const restored: string[] = [];
  for (const path of guarded) {
    const original = task.workspace.get(path)!;
    protectedFiles.set(path, original);
    const final = finalFiles.get(path);
    if (!final?.equals(original)) restored.push(path);
  }
  for (const [path, content] of task.hidden) protectedFiles.set(path, content);
  return { solution, protectedFiles, removed: removed.sort(), restored };
}

type RunBase = { language: ScoringTask['language']; timeoutS: number; ignoreWorkspaceConfig: boolean };

/**
 * The visible tests in one process, then each alone in a fresh process in shuffled order. A test that
 * differs between the two is run both ways once more and the difference kept only if it repeats, so a
 * flaky timing test is not mistaken for state carried across tests.
 */
async function runBothWays(
  sandbox: Sandbox,
  task: ScoringTask,
  base: RunBase,
  seed: number,
): Promise<{ visible: TestRun; isolated: TestRun }> {
  const expected = expectedTestIds(task.language, task.workspace, task.visibleTests);
  const together = () => runTests(sandbox, { ...base, files: task.visibleTests, expected });
  const alone = (id: string) => runTests(sandbox, { ...base, files: task.visibleTests, expected, only: id });
  const visible = await together();
  // After a timeout every isolated run would likely time out too: one hang must not cost N deadlines.
  if (visible.timedOut) return { visible, isolated: { ...visible, tests: { ...visible.tests } } };
  const runs: TestRun[] = [];
  for (const id of shuffled(expected, seed)) runs.push(await alone(id));
  const isolated = mergeRuns(runs);
  const differing = expected.filter((id) => isolated.tests[id] !== visible.tests[id]);
  if (differing.length > 0) {
    const again = await together();
    for (const id of differing) {
      const second = (await alone(id)).tests[id];
      const repeats = again.tests[id] === visible.tests[id] && second === isolated.tests[id];
      if (!repeats) isolated.tests[id] = visible.tests[id]!;
    }
  }
  return { visible, isolated };
}

export async function rescore(
  task: ScoringTask,
  finalFiles: Map<string, Buffer>,
  deps: ScoringDeps,
): Promise<PristineResult> {
  await initSyntax();
  const tree = scoringTree(task, finalFiles);
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'scoring' },
  });
  try {
    if (tree.solution.size > 0) await sandbox.writeFiles(Object.fromEntries(tree.solution));
    const guarded = Object.fromEntries(tree.protectedFiles);
    if (canProtect(sandbox)) await sandbox.writeProtectedFiles(sandbox.workdir, guarded);
    else await sandbox.writeFiles(guarded);

    const base = { language: task.language, timeoutS: testTimeoutS(task), ignoreWorkspaceConfig: true };
    const { visible, isolated } = await runBothWays(sandbox, task, base, deps.seed ?? 1);
    const hiddenPaths = [...task.hidden.keys()].filter((p) =>
      task.hiddenTests.length > 0
        ? task.hiddenTests.includes(p)
        : /(^|\/)(test_[^/]*\.py|[^/]*\.test\.[cm]?js)$/.test(p),
    );
    const hidden =
      hiddenPaths.length > 0
        ? await runTests(sandbox, {
            ...base,
            files: hiddenPaths,
            expected: expectedTestIds(task.language, task.hidden, hiddenPaths),
          })
        : undefined;
    return {
      visible,
      isolated,
      ...(hidden && { hidden }),
      removed: tree.removed,
      restored: tree.restored,
    };
  } finally {
    await sandbox.destroy();
  }
}
