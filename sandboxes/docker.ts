/** The one place that opens a connection to the Docker engine. */
import Docker from 'dockerode';
import { PrerequisiteError } from '../harness/errors.ts';

let client: Docker | undefined;

export function dockerClient(): Docker {
  client ??= new Docker();
  return client;
}

/** Where the engine is expected, for messages. */
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export const DOCKER_FIX =
  'start a Docker engine (as root on Debian: `bin/harness setup` installs docker.io and starts dockerd), ' +
  'or point DOCKER_HOST at a running one';

/** Throws a PrerequisiteError saying what to do when no engine answers. */
export async function requireDocker(): Promise<Docker> {
  const docker = dockerClient();
  try {
    await docker.ping();
  } catch (error) {
    throw new PrerequisiteError(
      `no Docker engine answers at ${dockerEndpoint()} (${(error as Error).message})`,
      DOCKER_FIX,
      { cause: error },
    );
  }
  return docker;
}

export async function dockerReachable(): Promise<boolean> {
  try {
    await dockerClient().ping();
    return true;
  } catch {
    return false;
  }
}
