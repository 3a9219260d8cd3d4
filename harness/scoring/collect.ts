/**
 * The test ids a task's tests define, found by the test runner itself in a fresh sandbox holding the
 * pristine task (starter files, visible tests, held-out tests), never by reading source text: pytest's
 * collection through the harness plugin (`--collect-only`), and for node:test a run of the tests against
 * the starter with the harness reporter, which names every test it runs whatever its result. So
 * parametrised cases, unittest classes, `describe` blocks, tests made in a loop and tests in subfolders
 * each get their own id, exactly as the runner executes them.
 *
 * Collected once per task content and kept under `<cache>/test-ids/<sha256>.json`; the key covers the
 * language, the sandbox image, the reporter files and every file of the task's workspace and hidden tests.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveImage } from '../../sandboxes/index.ts';
import { cacheRoot } from '../cache.ts';
import { InputError } from '../errors.ts';
import { hiddenTestPaths } from './paths.ts';
import type { ScoringDeps } from './pristine.ts';
import { REPORTER_FILES, reporterFile, runTests } from './runner.ts';
import type { ExpectedIds, ScoringTask, TestRun } from './types.ts';
import { testTimeoutS } from './visible.ts';

/** Bumped when what an id is changes, so older cached lists are not used. */
const COLLECTOR_VERSION = 1;

export interface CollectDeps extends Pick<ScoringDeps, 'createSandbox' | 'limits' | 'images' | 'labels'> {
  /** Where collected ids are kept; default `<HARNESS_CACHE>/test-ids`. */
  cacheDir?: string;
}

/** sha256 over everything collection depends on. */
export async function collectionKey(task: ScoringTask, image: string): Promise<string> {
  const hash = createHash('sha256');
  const add = (label: string, content: string | Buffer) => {
    hash.update(`${label}\0${Buffer.byteLength(content)}\0`);
    hash.update(content);
  };
  add('version', String(COLLECTOR_VERSION));
  add('language', task.language);
  add('image', await resolveImage(image));
  for (const name of REPORTER_FILES[task.language]) add(`reporter/${name}`, await reporterFile(name));
  add('visible', JSON.stringify(task.visibleTests));
  add('hidden', JSON.stringify(hiddenTestPaths(task)));
  for (const [path, content] of [...task.workspace].sort(([a], [b]) => a.localeCompare(b)))
    add(`workspace/${path}`, content);
  for (const [path, content] of [...task.hidden].sort(([a], [b]) => a.localeCompare(b)))
    add(`hidden/${path}`, content);
  return hash.digest('hex');
}

/** The file part of an id (`tests/test_a.py::TestB::test_c[1]` -> `tests/test_a.py`). */
function fileOf(id: string): string {
  return id.slice(0, id.indexOf('::'));
}

function idsOfRun(task: ScoringTask, run: TestRun, files: string[], where: string): string[] {
  const problem = (detail: string) => new InputError(`task ${task.id}: ${where}: ${detail}`);
  if (run.timedOut)
    throw problem(`collecting the tests of ${files.join(', ')} timed out after ${testTimeoutS(task)} s`);
  if (run.sandboxDied)
    throw new Error(`task ${task.id}: the sandbox broke while collecting tests: ${run.sandboxDied}`);
  const error = run.collectErrors[0];
  if (error)
    throw problem(
      `${error.path || files.join(', ')} could not be collected against the starter files: ${error.message.trim().slice(-600)}`,
    );
  if (!run.reportComplete)
    throw problem(`collecting the tests of ${files.join(', ')} ended before the report was complete`);
  const ids = [...new Set(run.collected ?? [])];
  for (const file of files)
    if (!ids.some((id) => fileOf(id) === file))
      throw problem(`collection found no test in ${file} (expected at least one test the runner can run)`);
  const stray = ids.find((id) => !files.includes(fileOf(id)));
  if (stray) throw problem(`collection named ${stray}, which is not in ${files.join(', ')}`);
  return ids;
}

async function collectInSandbox(task: ScoringTask, deps: CollectDeps): Promise<ExpectedIds> {
  const sandbox = await deps.createSandbox({
    image: deps.images[task.language],
    limits: deps.limits,
    labels: { ...deps.labels, 'harness.role': 'collect' },
  });
  try {
    await sandbox.writeFiles({ ...Object.fromEntries(task.workspace), ...Object.fromEntries(task.hidden) });
    const collect = async (files: string[], where: string) => {
      if (files.length === 0) return [];
      const run = await runTests(sandbox, {
        language: task.language,
        files,
        expected: [],
        timeoutS: testTimeoutS(task),
        ignoreWorkspaceConfig: true,
        collectOnly: task.language === 'python',
      });
      return idsOfRun(task, run, files, where);
    };
    const visible = await collect(task.visibleTests, 'tests.visible');
    const hidden = await collect(hiddenTestPaths(task), 'tests.hidden');
    return { visible, hidden };
  } finally {
    await sandbox.destroy();
  }
}

const inFlight = new Map<string, Promise<ExpectedIds>>();

function isExpectedIds(value: unknown): value is ExpectedIds {
  const v = value as Partial<ExpectedIds> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  return typeof v === 'object' && v !== null && strings(v.visible) && strings(v.hidden);
}

/**
 * The expected test ids of a task's visible and held-out tests, from the cache or by collection in a fresh
 * sandbox. Throws an InputError naming the file when a test file cannot be collected or holds no test.
 */
export async function collectTestIds(task: ScoringTask, deps: CollectDeps): Promise<ExpectedIds> {
  const key = await collectionKey(task, deps.images[task.language]);
  const dir = deps.cacheDir ?? join(cacheRoot(), 'test-ids');
  const path = join(dir, `${key}.json`);
  const running = inFlight.get(path);
  if (running) return running;
  const work = (async () => {
    try {
      const cached: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (isExpectedIds(cached)) return cached;
    } catch {
      // Not cached yet (or unreadable): collect.
    }
    const ids = await collectInSandbox(task, deps);
    await mkdir(dir, { recursive: true });
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(ids, null, 2)}\n`);
    await rename(temp, path);
    return ids;
  })();
  inFlight.set(path, work);
  try {
    return await work;
  } finally {
    inFlight.delete(path);
  }
}

/** The task with its expected test ids attached (collected, or from the cache). */
export async function withExpectedIds<T extends ScoringTask>(
  task: T,
  deps: CollectDeps,
): Promise<T & { expectedIds: ExpectedIds }> {
  if (task.expectedIds) return task as T & { expectedIds: ExpectedIds };
  return { ...task, expectedIds: await collectTestIds(task, deps) };
}
