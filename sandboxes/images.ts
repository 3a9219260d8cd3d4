/**
 * Sandbox images, built locally with no registry: a Debian root filesystem from debootstrap is imported
 * as harness-rootfs, and each images/<name>/Dockerfile builds on its parent. Tags are content hashes of
 * everything an image is made from, so an image is rebuilt only when its definition changes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import { PrerequisiteError } from '../harness/errors.ts';
import { runProcess, streamProcess } from '../harness/proc.ts';
import { requireDocker } from './docker.ts';

const IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'images');
const SUITE = 'bookworm';

/** Logical names of the task images. */
export const IMAGES = { python: 'python', node: 'node' } as const;
export type ImageName = 'rootfs' | 'base' | (typeof IMAGES)[keyof typeof IMAGES];

const PARENT: Record<Exclude<ImageName, 'rootfs'>, ImageName> = {
  base: 'rootfs',
  python: 'base',
  node: 'base',
};
const BUILD_ORDER: ImageName[] = ['rootfs', 'base', 'python', 'node'];

async function definitionHash(name: ImageName): Promise<string> {
  const hash = createHash('sha256');
  if (name === 'rootfs') {
    hash.update(`debootstrap minbase ${SUITE}\n`);
    hash.update(await readFile(join(IMAGES_DIR, 'base', 'packages.txt')));
  } else {
    hash.update(await imageTag(PARENT[name]));
    hash.update(await readFile(join(IMAGES_DIR, name, 'Dockerfile')));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The concrete tag of a logical image, e.g. `harness-python:1a2b3c4d5e6f`. */
export async function imageTag(name: ImageName): Promise<string> {
  return `harness-${name}:${await definitionHash(name)}`;
}

/** Resolves a logical image name to its tag; anything with a colon is taken as a tag already. */
export async function resolveImage(image: string): Promise<string> {
  if (image.includes(':')) return image;
  if (!BUILD_ORDER.includes(image as ImageName)) {
    throw new PrerequisiteError(
      `unknown sandbox image ${JSON.stringify(image)}`,
      `use one of ${BUILD_ORDER.filter((n) => n !== 'rootfs').join(', ')} or a full image tag`,
    );
  }
  return imageTag(image as ImageName);
}

async function imageExists(tag: string): Promise<boolean> {
  const docker = await requireDocker();
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

export interface ImageStatus {
  name: ImageName;
  tag: string;
  built: boolean;
}

export async function imageStatus(): Promise<ImageStatus[]> {
  const statuses: ImageStatus[] = [];
  for (const name of BUILD_ORDER) {
    const tag = await imageTag(name);
    statuses.push({ name, tag, built: await imageExists(tag) });
  }
  return statuses;
}

/**
 * Fails before any work starts, saying what to do, when the engine is down or an image is not built: a
 * run would otherwise record every episode as an error.
 */
export async function requireImages(names: readonly ImageName[]): Promise<void> {
  for (const name of new Set(names)) {
    const tag = await imageTag(name);
    if (!(await imageExists(tag)))
      throw new PrerequisiteError(`the sandbox image ${tag} is not built`, 'run `bin/harness setup`');
  }
}

/** Builds every missing image in order. Returns what was built and what was already there. */
export async function ensureImages(log: (line: string) => void = () => {}): Promise<ImageStatus[]> {
  const results: ImageStatus[] = [];
  for (const status of await imageStatus()) {
    if (status.built) {
      results.push({ ...status, built: false });
      continue;
    }
    log(`building ${status.tag}`);
    if (status.name === 'rootfs') await buildRootfs(status.tag, log);
    else await buildFromDockerfile(status.name, status.tag);
    results.push({ ...status, built: true });
  }
  return results;
}

/** The Debian mirror this machine's apt already uses, so no host name is baked into the project. */
export async function debianMirror(): Promise<string> {
  if (process.env.HARNESS_DEBIAN_MIRROR) return process.env.HARNESS_DEBIAN_MIRROR;
  const candidates: string[] = [];
  for (const dir of ['/etc/apt/sources.list.d', '/etc/apt']) {
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const file of names.filter((n) => n.endsWith('.sources') || n === 'sources.list')) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const m of text.matchAll(/^URIs:\s*(\S+)/gm)) candidates.push(m[1]!);
      for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm)) candidates.push(m[1]!);
    }
  }
  const mirror = candidates.find((uri) => /\/debian\/?$/.test(uri));
  if (!mirror) {
    throw new PrerequisiteError(
      'found no Debian mirror in /etc/apt to build the sandbox root filesystem from',
      'set HARNESS_DEBIAN_MIRROR to a Debian mirror URL',
    );
  }
  return mirror;
}

async function buildRootfs(tag: string, log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new PrerequisiteError(
      'building the sandbox root filesystem needs root (debootstrap)',
      'run `sudo bin/harness setup`',
    );
  }
  const packages = (await readFile(join(IMAGES_DIR, 'base', 'packages.txt'), 'utf8'))
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const dir = await mkdtemp(join(tmpdir(), 'harness-rootfs-'));
  try {
    const mirror = await debianMirror();
    log(`debootstrap ${SUITE} from ${mirror} (about a minute)`);
    const args = ['--variant=minbase', `--include=${packages.join(',')}`, SUITE, dir, mirror];
    const result = await runProcess('debootstrap', args);
    if (result.exitCode !== 0) {
      throw new PrerequisiteError(
        `debootstrap failed with exit code ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        result.exitCode === 127
          ? 'install it: apt-get install -y debootstrap'
          : 'check the Debian mirror and disk space',
      );
    }
    const docker = await requireDocker();
    const [repo, version] = tag.split(':') as [string, string];
    const tarProcess = streamProcess('tar', ['-C', dir, '-c', '.']);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      docker.importImage(tarProcess.stdout, { repo, tag: version }, (error, output) =>
        error || !output ? reject(error) : resolve(output),
      ),
    );
    await followProgress(stream);
    const tarResult = await tarProcess.done;
    if (tarResult.exitCode !== 0) {
      throw new PrerequisiteError(
        `packing the root filesystem failed (tar exit ${tarResult.exitCode}): ${tarResult.stderr.trim().slice(-400)}`,
        'check free disk space in the temporary directory',
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function buildFromDockerfile(name: Exclude<ImageName, 'rootfs'>, tag: string): Promise<void> {
  const docker = await requireDocker();
  const pack = tar.pack();
  const dockerfile = await readFile(join(IMAGES_DIR, name, 'Dockerfile'), 'utf8');
  const parentTag = await imageTag(PARENT[name]);
  const parentRepo = parentTag.split(':')[0]!;
  // The Dockerfiles name their parent without a tag; pin it to the hashed tag this build belongs to.
  pack.entry(
    { name: 'Dockerfile' },
    dockerfile.replace(new RegExp(`^FROM ${parentRepo}\\s*$`, 'm'), `FROM ${parentTag}`),
  );
  pack.finalize();
  // Host networking lets apt inside the build reach the same Debian mirror the host uses.
  const stream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, {
    t: tag,
    networkmode: 'host',
    rm: true,
    forcerm: true,
    version: '1',
  });
  await followProgress(stream);
}

function followProgress(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    requireDocker()
      .then((docker) =>
        docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
          const failure = error?.message ?? output.find((o) => o.error)?.error;
          if (failure)
            reject(new PrerequisiteError(`image build failed: ${failure}`, 'see the message above'));
          else resolve();
        }),
      )
      .catch(reject);
  });
}
