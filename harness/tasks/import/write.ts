/**
 * Writes task drafts as task folders, all or nothing: every draft is written into a staging folder beside
 * the output, loaded back with the task loader (schema, files, twins linked both ways), and only then is
 * each task folder renamed into `<out>/<family>/<id>/`. A draft that the loader rejects, or a task folder
 * that already exists, stops the import before anything is moved.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../errors.ts';
import { isDirectory } from '../files.ts';
import { loadTasks } from '../load.ts';
import type { TaskDraft } from './types.ts';

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

async function writeDraft(root: string, draft: TaskDraft): Promise<string> {
  const dir = join(root, draft.yaml.family, draft.yaml.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'task.yaml'), stringify(draft.yaml, { lineWidth: 0 }));
  await writeFile(join(dir, 'spec.md'), draft.spec.endsWith('\n') ? draft.spec : `${draft.spec}\n`);
  await mkdir(join(dir, 'workspace'), { recursive: true });
  await writeTree(join(dir, 'workspace'), draft.workspace);
  await writeTree(join(dir, 'hidden'), draft.hidden);
  for (const [name, files] of Object.entries(draft.references))
    await writeTree(join(dir, 'reference', name), files);
  return dir;
}

/** Ids of the tasks already under out (tasks/<family>/<id>/). */
async function existingIds(out: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (!(await isDirectory(out))) return ids;
  for (const family of await readdir(out, { withFileTypes: true })) {
    if (!family.isDirectory() || family.name.startsWith('.')) continue;
    for (const task of await readdir(join(out, family.name), { withFileTypes: true }))
      if (task.isDirectory()) ids.set(task.name, join(out, family.name, task.name));
  }
  return ids;
}

/**
 * Writes the drafts under out and returns the task folders written. Throws an InputError, having written
 * nothing, when a task id is already taken under out or a draft does not load.
 */
export async function writeDrafts(drafts: TaskDraft[], out: string, flag = '--out'): Promise<string[]> {
  const target = resolve(out);
  const taken = await existingIds(target);
  const clashes = drafts.filter((d) => taken.has(d.yaml.id));
  if (clashes.length > 0)
    throw new InputError(
      `${flag} ${out}: expected new task ids, but ${clashes.length} already exist there (${clashes
        .slice(0, 5)
        .map((d) => taken.get(d.yaml.id))
        .join(', ')}${clashes.length > 5 ? ', ...' : ''}); remove them or choose another --out`,
    );
  const staging = join(dirname(target), `.${basename(target)}.import-${randomBytes(4).toString('hex')}`);
  try {
    for (const draft of drafts) await writeDraft(staging, draft);
    // The loader's own checks, twins included, over exactly what will be moved.
    await loadTasks(staging);
    const written: string[] = [];
    for (const draft of drafts) {
      const familyDir = join(target, draft.yaml.family);
      await mkdir(familyDir, { recursive: true });
      const dir = join(familyDir, draft.yaml.id);
      await rename(join(staging, draft.yaml.family, draft.yaml.id), dir);
      written.push(dir);
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
