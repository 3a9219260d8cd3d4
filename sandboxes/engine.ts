/**
 * Making sure a Docker engine runs. On a machine without one, as root, Debian's docker.io is installed
 * and dockerd started in the background; anyone else is told exactly what to do.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrerequisiteError } from '../harness/errors.ts';
import { commandExists, runProcess, startDaemon } from '../harness/proc.ts';
import { DOCKER_FIX, dockerEndpoint, dockerReachable } from './docker.ts';

export type EngineAction = 'already running' | 'started dockerd' | 'installed docker.io and started dockerd';

const isRoot = () => process.getuid?.() === 0;

export async function aptInstall(packages: string[]): Promise<void> {
  if (!isRoot()) {
    throw new PrerequisiteError(
      `missing Debian packages: ${packages.join(', ')}`,
      `apt-get install -y ${packages.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runProcess('apt-get', ['update', '-qq'], { env });
  const install = await runProcess(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
    { env },
  );
  if (install.exitCode !== 0) {
    throw new PrerequisiteError(
      `apt-get install ${packages.join(' ')} failed (exit ${install.exitCode}): ${(update.stderr + install.stderr).trim().slice(-400)}`,
      `install them by hand: apt-get install -y ${packages.join(' ')}`,
    );
  }
}

export async function ensureDockerEngine(logFile: string): Promise<EngineAction> {
  if (await dockerReachable()) return 'already running';
  if (!isRoot() || process.env.DOCKER_HOST) {
    throw new PrerequisiteError(`no Docker engine answers at ${dockerEndpoint()}`, DOCKER_FIX);
  }
  let installed = false;
  if (!(await commandExists('dockerd'))) {
    await aptInstall(['docker.io']);
    installed = true;
  }
  mkdirSync(dirname(logFile), { recursive: true });
  startDaemon('dockerd', [], logFile);
  for (let i = 0; i < 60; i++) {
    if (await dockerReachable())
      return installed ? 'installed docker.io and started dockerd' : 'started dockerd';
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new PrerequisiteError(
    `dockerd was started but does not answer after 30 s (log: ${logFile})`,
    DOCKER_FIX,
  );
}
