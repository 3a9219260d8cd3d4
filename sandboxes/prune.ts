/** Removes what crashed runs left behind: containers, networks and volumes carrying the harness label. */
import { requireDocker } from './docker.ts';
import { LABEL_MANAGED, LABEL_OWNER_PID } from './labels.ts';

export interface PruneResult {
  containers: string[];
  networks: string[];
  volumes: string[];
  keptLive: string[];
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * By default spares containers whose owning harness process is still alive (another run in progress);
 * `all` removes those too.
 */
export async function pruneSandboxes(options: { all?: boolean } = {}): Promise<PruneResult> {
  const docker = await requireDocker();
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`] });
  const result: PruneResult = { containers: [], networks: [], volumes: [], keptLive: [] };
  for (const info of await docker.listContainers({ all: true, filters })) {
    const owner = Number(info.Labels[LABEL_OWNER_PID]);
    if (!options.all && owner !== process.pid && processAlive(owner)) {
      result.keptLive.push(info.Id.slice(0, 12));
      continue;
    }
    await docker.getContainer(info.Id).remove({ force: true, v: true });
    result.containers.push(info.Id.slice(0, 12));
  }
  for (const net of await docker.listNetworks({ filters })) {
    await docker.getNetwork(net.Id).remove();
    result.networks.push(net.Name);
  }
  // Volumes still mounted by a container kept above are not dangling, and stay.
  const volumes = await docker.listVolumes({
    filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`], dangling: ['true'] }),
  });
  for (const volume of volumes.Volumes ?? []) {
    await docker.getVolume(volume.Name).remove();
    result.volumes.push(volume.Name);
  }
  return result;
}
