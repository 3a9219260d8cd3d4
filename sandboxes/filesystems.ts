/**
 * Where a sandbox can write, and how much. The image's root file system is mounted read-only (overlay2
 * on ext4 has no per-container quota, so a writable layer would be bounded only by the host's disk);
 * every writable place is a tmpfs with a size and an inode limit:
 *
 * - the workspace: a volume of the `local` driver with `type=tmpfs`, so the engine's archive API (file
 *   copies in and out) reaches it, which it does not for plain tmpfs mounts; removed with the container.
 *   Its folder is root's with the sticky bit, like /tmp: the sandbox user adds files and changes its own
 *   (every file the harness writes for it is its own), but cannot remove or replace the root-owned files
 *   that scoring writes, and the folder's owner cannot be changed by an archive;
 * - /tmp, the sandbox user's home, /opt/harness (root's, for the test reporters) and /dev/shm.
 *
 * A process that writes past a bound gets ENOSPC ("No space left on device"), for bytes and for inodes
 * alike. tmpfs pages live in memory and are charged to the memory cgroup of the process that writes them,
 * so the container's memory limit is the process memory plus every bound here: a full disk never takes
 * memory from the processes.
 */
import type Docker from 'dockerode';
import { SANDBOX_UID } from './limits.ts';
import type { SandboxLimits } from './types.ts';

interface Scratch {
  path: string;
  sizeMb: number;
  inodes: number;
  /** Extra mount options: owner and mode of the root directory. */
  owner: string;
}

const SCRATCH: readonly Scratch[] = [
  { path: '/tmp', sizeMb: 64, inodes: 4096, owner: 'mode=1777' },
  {
    path: '/home/sandbox',
    sizeMb: 16,
    inodes: 1024,
    owner: `uid=${SANDBOX_UID},gid=${SANDBOX_UID},mode=0755`,
  },
  { path: '/opt/harness', sizeMb: 4, inodes: 64, owner: 'mode=0755' },
];
const SHM_MB = 16;

const MIB = 1024 * 1024;

export interface FileSystemConfig {
  ReadonlyRootfs: true;
  Mounts: Docker.MountConfig;
  Tmpfs: Record<string, string>;
  ShmSize: number;
  /** Bytes the file systems can hold in memory, to add to the container's memory limit. */
  memoryBytes: number;
}

export function fileSystems(
  limits: SandboxLimits,
  workdir: string,
  labels: Record<string, string>,
): FileSystemConfig {
  const tmpfs = (sizeMb: number, inodes: number, owner: string) =>
    `rw,nosuid,nodev,size=${sizeMb}m,nr_inodes=${inodes},${owner}`;
  return {
    ReadonlyRootfs: true,
    Mounts: [
      {
        Type: 'volume',
        // No name: an anonymous volume, removed with the container.
        Source: '',
        Target: workdir,
        VolumeOptions: {
          // The image's own (empty) workspace directory has nothing to copy in.
          NoCopy: true,
          Labels: labels,
          DriverConfig: {
            Name: 'local',
            Options: {
              type: 'tmpfs',
              device: 'tmpfs',
              o: tmpfs(limits.diskMb, limits.inodes, 'mode=1777'),
            },
          },
        },
      },
    ],
    Tmpfs: Object.fromEntries(SCRATCH.map((s) => [s.path, tmpfs(s.sizeMb, s.inodes, s.owner)])),
    ShmSize: SHM_MB * MIB,
    memoryBytes: (limits.diskMb + SHM_MB + SCRATCH.reduce((sum, s) => sum + s.sizeMb, 0)) * MIB,
  };
}
