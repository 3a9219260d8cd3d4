/**
 * Loads tasks from tasks/<family>/<task-id>/. Every problem is an InputError naming the task folder and
 * the field, with what was expected and what was found.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml, validate } from '../config/index.ts';
import { InputError } from '../errors.ts';
import { isSolutionPath } from '../scoring/index.ts';
import { isDirectory, readTree } from './files.ts';
import { checkSuite } from './link.ts';
import { TaskFileSchema } from './schema.ts';
import type { TaskDef, TaskReference } from './types.ts';

export const DEFAULT_TASKS_ROOT = fileURLToPath(new URL('../../tasks/', import.meta.url));

/** Test files are passed to the runner by name, so any module of the language can hold tests. */
const TEST_FILE: Record<TaskDef['language'], RegExp> = {
  python: /\.py$/,
  javascript: /\.[cm]?js$/,
};

function fail(where: string, field: string, problem: string): never {
  throw new InputError(`${where}: ${field}: ${problem}`);
}

async function readText(path: string, where: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fail(where, field, `expected the file ${path}, found none`);
  }
}

async function loadReferences(
  dir: string,
  where: string,
  declared: {
    name: string;
    kind: 'honest' | 'cheat';
    strategy?: TaskReference['strategy'];
    deletes: string[];
  }[],
  workspace: Map<string, Buffer>,
): Promise<TaskReference[]> {
  const root = join(dir, 'reference');
  const onDisk = (await isDirectory(root))
    ? (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
    : [];
  const undeclared = onDisk.filter((name) => !declared.some((ref) => ref.name === name));
  if (undeclared.length > 0)
    fail(where, 'references', `reference/${undeclared[0]} exists on disk but is not declared in task.yaml`);
  const references: TaskReference[] = [];
  for (const [index, ref] of declared.entries()) {
    const field = `references[${index}] (${ref.name})`;
    const files = onDisk.includes(ref.name)
      ? await readTree(join(root, ref.name))
      : new Map<string, Buffer>();
    if (files.size === 0 && ref.deletes.length === 0)
      fail(where, field, `expected files in reference/${ref.name}/ or a deletes list, found neither`);
    for (const path of ref.deletes)
      if (!workspace.has(path)) fail(where, `${field}.deletes`, `${path} is not a workspace file`);
    references.push({
      name: ref.name,
      kind: ref.kind,
      ...(ref.strategy && { strategy: ref.strategy }),
      files,
      deletes: ref.deletes,
    });
  }
  return references;
}

/** Loads and validates one task folder (without the checks that need the other tasks). */
export async function loadTask(dir: string): Promise<TaskDef> {
  const taskDir = resolve(dir);
  const where = `task ${basename(dirname(taskDir))}/${basename(taskDir)}`;
  const yamlPath = join(taskDir, 'task.yaml');
  const raw = parseYaml(await readText(yamlPath, where, 'task.yaml'), `${where}: task.yaml`);
  const file = validate(TaskFileSchema, raw, `${where}: task.yaml`);
  if (file.id !== basename(taskDir))
    fail(
      where,
      'id',
      `expected ${JSON.stringify(basename(taskDir))} (the folder name), received ${JSON.stringify(file.id)}`,
    );
  const familyFolder = basename(dirname(taskDir));
  if (file.family !== familyFolder)
    fail(
      where,
      'family',
      `expected ${JSON.stringify(familyFolder)} (the parent folder), received ${JSON.stringify(file.family)}`,
    );
  const spec = await readText(join(taskDir, 'spec.md'), where, 'spec.md');
  if (spec.trim() === '') fail(where, 'spec.md', 'expected the task description, found an empty file');
  if (!(await isDirectory(join(taskDir, 'workspace'))))
    fail(where, 'workspace', 'expected a workspace/ folder with the starter files');
  const workspace = await readTree(join(taskDir, 'workspace'));
  const hiddenDir = file.tests.hidden_dir;
  const laidAt = (path: string) => (hiddenDir === '.' ? path : `${hiddenDir}/${path}`);
  const hiddenFiles = (await isDirectory(join(taskDir, 'hidden')))
    ? await readTree(join(taskDir, 'hidden'))
    : new Map<string, Buffer>();
  const hidden = new Map([...hiddenFiles].map(([path, content]) => [laidAt(path), content]));
  for (const [index, path] of file.tests.visible.entries()) {
    if (!workspace.has(path))
      fail(where, `tests.visible[${index}]`, `expected workspace/${path}, found no such file`);
    if (!TEST_FILE[file.language].test(path))
      fail(where, `tests.visible[${index}]`, `expected a ${file.language} test file name, received ${path}`);
  }
  for (const [index, path] of file.tests.support.entries())
    if (!workspace.has(path))
      fail(where, `tests.support[${index}]`, `expected workspace/${path}, found no such file`);
  for (const [index, path] of file.tests.hidden.entries()) {
    if (!hiddenFiles.has(path))
      fail(where, `tests.hidden[${index}]`, `expected hidden/${path}, found no such file`);
    if (!TEST_FILE[file.language].test(path))
      fail(where, `tests.hidden[${index}]`, `expected a ${file.language} test file name, received ${path}`);
  }
  for (const path of hiddenFiles.keys())
    if (workspace.has(laidAt(path)))
      fail(
        where,
        'hidden',
        `hidden/${path} would overwrite workspace/${laidAt(path)} when laid in for scoring`,
      );
  const references = await loadReferences(taskDir, where, file.references, workspace);
  if (file.differential) {
    const target = file.differential.file;
    const extension = file.language === 'python' ? /\.py$/ : /\.mjs$/;
    if (!extension.test(target))
      fail(
        where,
        'differential.file',
        `expected a ${file.language === 'python' ? 'Python file (.py)' : 'ES module (.mjs)'}, received ${target}`,
      );
    if (!isSolutionPath({ solutionPaths: file.solution_paths }, target))
      fail(
        where,
        'differential.file',
        `expected one of the solution paths (${file.solution_paths.join(', ')}), received ${target}`,
      );
    if (!references.some((r) => r.kind === 'honest'))
      fail(where, 'differential', 'expected an honest reference to take the answers from, found none');
  }
  return {
    id: file.id,
    family: file.family,
    language: file.language,
    title: file.title,
    summary: file.summary,
    impossible: file.impossible,
    ...(file.twin && { twin: file.twin }),
    ...(file.why_impossible && { whyImpossible: file.why_impossible }),
    dir: taskDir,
    spec,
    visibleTests: file.tests.visible,
    hiddenTests: file.tests.hidden.map(laidAt),
    hiddenDir,
    supportFiles: file.tests.support,
    solutionPaths: file.solution_paths,
    limits: { testTimeoutS: file.limits.test_timeout_s },
    ...(file.differential && { differential: file.differential }),
    workspace,
    hidden,
    references,
    ...(file.source && { source: file.source }),
  };
}

/** Every task folder under root (tasks/<family>/<task-id>/ holding a task.yaml). */
async function taskDirs(root: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const family of (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    const familyDir = join(root, family.name);
    for (const task of (await readdir(familyDir, { withFileTypes: true })).filter((e) => e.isDirectory()))
      dirs.push(join(familyDir, task.name));
  }
  return dirs.sort();
}

/** Loads every task under root, then checks the suite as a whole (unique ids, twins both ways). */
export async function loadTasks(root: string = DEFAULT_TASKS_ROOT): Promise<TaskDef[]> {
  if (!(await isDirectory(root)))
    throw new InputError(`tasks folder ${root}: expected a directory, found none`);
  const tasks: TaskDef[] = [];
  for (const dir of await taskDirs(root)) tasks.push(await loadTask(dir));
  checkSuite(tasks);
  return tasks;
}
