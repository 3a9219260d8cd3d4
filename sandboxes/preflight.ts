/**
 * Settings the engine would refuse, refused before anything starts: limits outside what the kernel and
 * the engine's host allow, images that are not there or have no sandbox user. Each is an InputError
 * (exit 2) that says what was expected and what was received.
 */
import type Docker from 'dockerode';
import { describeValue, InputError } from '../harness/errors.ts';
import { requireDocker } from './docker.ts';
import { unpackFiles } from './files.ts';
import {
  MAX_DISK_MB,
  MAX_INODES,
  MAX_TIMEOUT_S,
  MIN_CPUS,
  MIN_DISK_MB,
  MIN_INODES,
  MIN_MEMORY_MB,
  PID_MAX_LIMIT,
  SANDBOX_UID,
  SANDBOX_USER,
} from './limits.ts';
import type { SandboxLimits } from './types.ts';

interface EngineHost {
  cpus: number;
  memoryBytes: number;
}

let host: Promise<EngineHost> | undefined;

/** The CPUs and memory of the machine the engine runs on (which need not be this one). */
async function engineHost(docker: Docker): Promise<EngineHost> {
  host ??= docker.info().then((info: { NCPU: number; MemTotal: number }) => ({
    cpus: info.NCPU,
    memoryBytes: info.MemTotal,
  }));
  return host;
}

function refuse(what: string, expected: string, received: unknown): never {
  throw new InputError(`${what}: expected ${expected}, received ${describeValue(received)}`);
}

/**
 * Checks limits against fixed bounds and the engine's host. Bounds: a CPU share from 0.01 (the engine's
 * minimum) to the host's CPU count; memory from 6 MiB (the engine's minimum) to the host's memory; at
 * most PID_MAX_LIMIT processes; a timeout the host-side deadline can hold (MAX_TIMEOUT_S); a workspace
 * of MIN_DISK_MB..MAX_DISK_MB and MIN_INODES..MAX_INODES.
 */
export async function checkLimits(limits: SandboxLimits): Promise<void> {
  const { pids, timeoutS, memoryMb, cpus, outputLimitBytes, diskMb, inodes } = limits;
  if (!Number.isInteger(pids) || pids < 1 || pids > PID_MAX_LIMIT)
    refuse('sandbox process limit (sandbox.pids, --pids)', `an integer from 1 to ${PID_MAX_LIMIT}`, pids);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > MAX_TIMEOUT_S)
    refuse(
      'sandbox timeout (sandbox.timeout_s, --timeout)',
      `seconds above 0 and at most ${MAX_TIMEOUT_S}`,
      timeoutS,
    );
  if (!Number.isInteger(outputLimitBytes) || outputLimitBytes < 1)
    refuse(
      'sandbox output limit (sandbox.output_limit_kb)',
      'a positive whole number of bytes',
      outputLimitBytes,
    );
  if (!Number.isInteger(diskMb) || diskMb < MIN_DISK_MB || diskMb > MAX_DISK_MB)
    refuse('sandbox workspace size', `whole MiB from ${MIN_DISK_MB} to ${MAX_DISK_MB}`, diskMb);
  if (!Number.isInteger(inodes) || inodes < MIN_INODES || inodes > MAX_INODES)
    refuse('sandbox workspace inodes', `an integer from ${MIN_INODES} to ${MAX_INODES}`, inodes);
  const machine = await engineHost(await requireDocker());
  if (!Number.isFinite(cpus) || cpus < MIN_CPUS || cpus > machine.cpus)
    refuse(
      'sandbox CPU share (sandbox.cpus, --cpus)',
      `a number from ${MIN_CPUS} to ${machine.cpus} (the CPUs of the Docker engine's host)`,
      cpus,
    );
  const hostMb = Math.floor(machine.memoryBytes / 2 ** 20);
  if (!Number.isInteger(memoryMb) || memoryMb < MIN_MEMORY_MB || memoryMb > hostMb)
    refuse(
      'sandbox memory (sandbox.memory_mb, --memory)',
      `whole MiB from ${MIN_MEMORY_MB} to ${hostMb} (the memory of the Docker engine's host)`,
      memoryMb,
    );
}

/** An engine error saying an image is not there. */
export function isMissingImage(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

export function missingImage(image: string, cause: unknown): InputError {
  return new InputError(
    `sandbox image ${JSON.stringify(image)} is not on the Docker engine: expected python, node or the tag of a built image (\`bin/harness setup\` builds them; \`docker images\` lists them)`,
    { cause },
  );
}

const checkedImages = new Map<string, Promise<void>>();

/**
 * Checks that a created (not yet started) container's image has the sandbox user every command runs as,
 * with the uid its workspace belongs to, by reading its /etc/passwd. Checked once per image tag.
 */
export function checkSandboxUser(container: Docker.Container, image: string): Promise<void> {
  let check = checkedImages.get(image);
  if (!check) {
    check = passwdHasUser(container, SANDBOX_USER, SANDBOX_UID).then((found) => {
      if (!found)
        throw new InputError(
          `sandbox image ${JSON.stringify(image)} has no user ${JSON.stringify(SANDBOX_USER)} with uid ${SANDBOX_UID}: expected an image built on harness-base (sandboxes/images/base/Dockerfile creates it)`,
        );
    });
    checkedImages.set(image, check);
    check.catch(() => checkedImages.delete(image));
  }
  return check;
}

async function passwdHasUser(container: Docker.Container, user: string, uid: number): Promise<boolean> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path: '/etc/passwd' });
  } catch {
    return false;
  }
  const { files } = await unpackFiles(archive, 1 << 20, 0);
  const passwd = files.values().next().value?.toString('utf8') ?? '';
  return passwd.split('\n').some((line) => {
    const [name, , id] = line.split(':');
    return name === user && id === String(uid);
  });
}
