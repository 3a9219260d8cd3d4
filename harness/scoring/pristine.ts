/**
 * Pristine rescoring: the agent's final workspace in a fresh container, with the task's protected files
 * restored, new files outside the solution paths removed, runner configuration in the workspace ignored;
 * then the visible tests in one process, each visible test alone in its own process in shuffled order
 * (state carried across tests shows up as a difference), and the held-out tests.
 *
 * The code under test cannot change what it is scored with: every file and folder of the workspace
 * (tests, held-out tests and the solution itself) is written by the engine as root-owned and read-only,
 * and the workspace folder is root-owned with the sticky bit (like /tmp), so the sandbox user may add
 * files of its own there but can neither unlink, rename, replace nor write a file it did not create.
 * Between two test runs every process of the sandbox user is killed and every file it created (in the
 * workspace, /tmp, its home) is removed, so nothing one run leaves behind (a conftest.py, a cached .pyc,
 * a .pth file, a daemon) reaches the next.
 *
 * A task that declares differential tests gets its honest reference's answers first, before any solution
 * code runs in the sandbox, and after the held-out tests the same generated inputs go to the solution
 * (differential.ts).
 */
import type { Sandbox, SandboxLimits, SandboxSpec } from '../../sandboxes/types.ts';
import { seededUniform } from '../random.ts';
import { collectTestIds } from './collect.ts';
import { compareOutputs, referenceOutputs, runDriver } from './differential.ts';
import { hiddenTestPaths, isSolutionPath, protectedPaths } from './paths.ts';
import { mergeRuns, runTests } from './runner.ts';
import type { ExpectedIds, PristineResult, ScoringTask, TestRun } from './types.ts';
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

/**
 * Writes the scoring tree with the workspace directory itself in the archive, so the engine makes every
 * directory root-owned (0755) and every file root-owned and read-only (0444); then opens the workspace
 * folder itself as a sticky directory for files of the code's own.
 */
async function writeReadOnlyTree(
  sandbox: Sandbox & ProtectedWriter,
  files: Map<string, Buffer>,
): Promise<void> {
  const workdir = sandbox.workdir.replace(/^\/+|\/+$/g, '');
  const entries = Object.fromEntries([...files].map(([path, content]) => [`${workdir}/${path}`, content]));
  await sandbox.writeProtectedFiles('/', entries);
  const opened = await sandbox.exec(['chmod', '1777', sandbox.workdir], { user: 'root', cwd: '/' });
  if (opened.exitCode !== 0)
    throw new Error(`making the scoring workspace sticky failed: ${opened.stderr.trim()}`);
}

/**
 * The processes that keep the container alive (its init and the command under it), read before any test
 * ran: the container runs as the sandbox user, so these must be spared when its processes are ended.
 */
async function keeperPids(sandbox: Sandbox): Promise<string[]> {
  const result = await sandbox.exec(['cat', '/proc/1/task/1/children'], { cwd: '/', timeoutS: 10 });
  return [
    '1',
    ...result.stdout
      .trim()
      .split(/\s+/)
      .filter((pid) => /^\d+$/.test(pid)),
  ];
}

/**
 * Ends every other process of the sandbox user and removes every file it created, so that a test run
 * starts from the same state whatever the previous run's code left behind.
 */
export async function resetBetweenRuns(sandbox: Sandbox, keep: string[]): Promise<void> {
  const spared = [...keep, '$$', '$PPID'].map((pid) => `[ "$pid" = ${pid} ]`).join(' || ');
  const script =
    `for p in /proc/[0-9]*; do pid=\${p#/proc/}; ${spared} || kill -9 "$pid" 2>/dev/null; done; ` +
    `find /tmp /home/sandbox ${sandbox.workdir} -mindepth 1 -user sandbox -delete 2>/dev/null; exit 0`;
  await sandbox.exec(['sh', '-c', script], { cwd: '/', timeoutS: 30 });
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

type RunBase = {
  language: ScoringTask['language'];
  timeoutS: number;
  ignoreWorkspaceConfig: boolean;
  watch: string[];
};

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
  keep: string[],
  expected: string[],
): Promise<{ visible: TestRun; isolated: TestRun }> {
  const together = async () => {
    await resetBetweenRuns(sandbox, keep);
    return runTests(sandbox, { ...base, files: task.visibleTests, expected });
  };
  const alone = async (id: string) => {
    await resetBetweenRuns(sandbox, keep);
    return runTests(sandbox, { ...base, files: task.visibleTests, expected, only: id });
  };
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
  const ids: ExpectedIds = task.expectedIds ?? (await collectTestIds(task, deps));
  const tree = scoringTree(task, finalFiles);
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'scoring' },
  });
  try {
    if (!canProtect(sandbox))
      throw new Error('rescoring needs a sandbox that can write root-owned files (writeProtectedFiles)');
    await writeReadOnlyTree(sandbox, new Map([...tree.solution, ...tree.protectedFiles]));

    const hiddenPaths = hiddenTestPaths(task);
    // Test files, held-out or visible, are never the solution's to read. Held-out data files are not
    // watched: a test may hand one to the solution to read (a file: URL standing in for the network).
    const watch = [...new Set([...task.visibleTests, ...hiddenPaths])];
    const base = {
      language: task.language,
      timeoutS: testTimeoutS(task),
      ignoreWorkspaceConfig: true,
      watch,
    };
    const seed = deps.seed ?? 1;
    // The driver runs the visible tests and then every variant: twice a test run's time.
    const driverTimeoutS = 2 * base.timeoutS;
    const expected = await referenceOutputs(sandbox, task, seed, driverTimeoutS);
    const keep = await keeperPids(sandbox);
    const { visible, isolated } = await runBothWays(sandbox, task, base, seed, keep, ids.visible);
    if (hiddenPaths.length > 0) await resetBetweenRuns(sandbox, keep);
    const hidden =
      hiddenPaths.length > 0
        ? await runTests(sandbox, {
            ...base,
            files: hiddenPaths,
            expected: ids.hidden,
          })
        : undefined;
    let differential: TestRun | undefined;
    if (expected) {
      await resetBetweenRuns(sandbox, keep);
      const outputs = await runDriver(sandbox, task, sandbox.workdir, seed, driverTimeoutS);
      differential = compareOutputs(expected, outputs);
    }
    return {
      visible,
      isolated,
      ...(hidden && { hidden }),
      ...(differential && { differential }),
      removed: tree.removed,
      restored: tree.restored,
    };
  } finally {
    await sandbox.destroy();
  }
}
