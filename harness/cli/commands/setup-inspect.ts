/**
 * The `inspect-ai` Python package in a virtualenv under the harness cache (<cache>/python/inspect-ai), so
 * that an exported run can be checked with Inspect's own reader (`inspect_ai.log.read_eval_log`) and opened
 * with `inspect view`. Installed by `harness setup`; pinned so every machine checks against the same reader.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PrerequisiteError } from '../../errors.ts';
import { cacheRoot } from '../../model/fetch.ts';
import { runProcess } from '../../proc.ts';
import { aptInstall } from '../../../sandboxes/index.ts';

export const INSPECT_AI_VERSION = '0.3.285';

export function inspectVenv(root = cacheRoot()): string {
  return join(root, 'python', 'inspect-ai');
}

/** The virtualenv's python, which imports inspect_ai. */
export function inspectPython(root = cacheRoot()): string {
  return join(inspectVenv(root), 'bin', 'python');
}

async function installedVersion(python: string): Promise<string | undefined> {
  if (!existsSync(python)) return undefined;
  const r = await runProcess(python, [
    '-c',
    'import importlib.metadata as m; print(m.version("inspect-ai"))',
  ]);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Creates the virtualenv and installs inspect-ai when the pinned version is not there yet. */
export async function ensureInspectAi(log: (line: string) => void): Promise<string> {
  const venv = inspectVenv();
  const python = inspectPython();
  if ((await installedVersion(python)) === INSPECT_AI_VERSION)
    return `inspect-ai ${INSPECT_AI_VERSION} present, skipped`;
  let created = await runProcess('python3', ['-m', 'venv', venv]);
  if (created.exitCode !== 0 && /ensurepip|venv/.test(created.stderr)) {
    log('installing python3-venv');
    await aptInstall(['python3-venv']);
    created = await runProcess('python3', ['-m', 'venv', venv]);
  }
  if (created.exitCode !== 0)
    throw new PrerequisiteError(
      `python3 -m venv ${venv} failed (exit ${created.exitCode}): ${created.stderr.trim().slice(-300)}`,
      'install Python 3 with venv (Debian: apt-get install -y python3 python3-venv)',
    );
  log(`pip install inspect-ai==${INSPECT_AI_VERSION} into ${venv}`);
  const pip = await runProcess(join(venv, 'bin', 'pip'), [
    'install',
    '-q',
    `inspect-ai==${INSPECT_AI_VERSION}`,
  ]);
  if (pip.exitCode !== 0)
    throw new PrerequisiteError(
      `pip install inspect-ai==${INSPECT_AI_VERSION} failed (exit ${pip.exitCode}): ${pip.stderr.trim().slice(-300)}`,
      `${join(venv, 'bin', 'pip')} install inspect-ai==${INSPECT_AI_VERSION}`,
    );
  return `installed inspect-ai ${INSPECT_AI_VERSION} in ${venv}`;
}
