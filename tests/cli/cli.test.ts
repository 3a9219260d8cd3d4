import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheRoot, DEFAULT_MODEL } from '../../harness/model/fetch.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { harness, MAIN, ROOT } from './support.ts';

/** Containers created by one harness process (other harness processes may run beside the tests). */
async function managedContainers(ownerPid: number | undefined): Promise<string[]> {
  const docker = await requireDocker();
  const label = ['org.impossible-harness.managed=true', `org.impossible-harness.owner-pid=${ownerPid}`];
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  return list.map((c) => c.Id);
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe('usage errors exit 2 and say what was expected', () => {
  it('--version and --help exit 0', async () => {
    const version = await harness(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await harness(['sandbox', 'exec', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--memory <mb>');
  });

  it('an unknown command', async () => {
    const result = await harness(['frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('a malformed flag value', async () => {
    const result = await harness(['sandbox', 'exec', '--memory', 'lots', '--', 'true']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--memory expects an integer >= 16, received "lots"');
  });

  it('a bad config file names the key, the expected type and the value received', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harness-cli-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'sandbox:\n  memory_mb: "a lot"\n  colour: blue\n');
    const result = await harness(['--config', file, 'sandbox', 'exec', '--', 'true']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('sandbox.memory_mb: expected number, received "a lot"');
    expect(result.stderr).toContain('sandbox.colour: unknown key');
  });

  it('a bad --set override', async () => {
    const result = await harness(['--set', 'sandbox.cpus=fast', 'sandbox', 'exec', '--', 'true']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('sandbox.cpus: expected number, received "fast"');
  });

  it('a missing Docker engine is a clear error with exit 2', async () => {
    const result = await harness(['sandbox', 'exec', '--', 'true'], {
      env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no Docker engine answers at unix:///nonexistent.sock');
    expect(result.stderr).toContain('fix:');
  });

  it('run without a Docker engine exits 2 before the model loads and writes no run', async () => {
    const runs = join(await mkdtemp(join(tmpdir(), 'no-engine-')), 'runs');
    const result = await harness(['--set', `runs_dir=${runs}`, 'run', '--limit', '1'], {
      env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no Docker engine answers at unix:///nonexistent.sock');
    expect(result.stderr).not.toContain('preparing the ONNX graph');
    expect(existsSync(runs)).toBe(false);
  });
});

describe('harness sandbox', () => {
  beforeAll(async () => {
    await requireDocker();
    await ensureImages();
  });

  it('exec passes the exit code through and leaves no container', async () => {
    const result = await harness(['sandbox', 'exec', '--', 'sh', '-c', 'echo hi; exit 7']);
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('hi\n');
    expect(await managedContainers(result.pid)).toEqual([]);
  });

  it('exec --timeout 3 ends an infinite loop with 124', async () => {
    const started = Date.now();
    const result = await harness([
      'sandbox',
      'exec',
      '--timeout',
      '3',
      '--',
      'python3',
      '-c',
      'while True: pass',
    ]);
    expect(result.exitCode).toBe(124);
    expect(result.stderr).toContain('timed out after 3 s');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('exec --memory 256 reports an allocation of 1.5 GB as an OOM kill', async () => {
    const result = await harness([
      'sandbox',
      'exec',
      '--memory',
      '256',
      '--',
      'python3',
      '-c',
      'x = bytearray(1500 * 1024 * 1024)',
    ]);
    expect(result.exitCode).toBe(137);
    expect(result.stderr).toContain('killed by the out-of-memory killer (memory limit 256 MiB)');
  });

  it('SIGINT while a command runs removes its container', async () => {
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'exec', '--', 'sleep', '60'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    await waitFor(async () => (await managedContainers(child.pid)).length > 0, 20_000);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('SIGINT received');
    expect(await managedContainers(child.pid)).toEqual([]);
  });

  it('after SIGKILL, prune removes the leftover', async () => {
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'exec', '--', 'sleep', '60'], { cwd: ROOT });
    await waitFor(async () => (await managedContainers(child.pid)).length > 0, 20_000);
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await exited;
    expect((await managedContainers(child.pid)).length).toBe(1);
    const prune = await harness(['sandbox', 'prune']);
    expect(prune.exitCode).toBe(0);
    expect(prune.stdout).toMatch(/removed [1-9]\d* container\(s\)/);
    expect(await managedContainers(child.pid)).toEqual([]);
  });
});

describe('harness doctor', () => {
  it('reports every prerequisite present on a set-up machine', async () => {
    const result = await harness(['doctor']);
    expect(result.stdout).toMatch(/ok\s+Docker engine/);
    expect(result.stdout).toMatch(/ok\s+sandbox images/);
    expect(result.exitCode).toBe(0);
  });

  it('reports vectors of an older format as missing, with the fix', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'doctor-cache-'));
    await symlink(join(cacheRoot(), 'models'), join(cache, 'models'));
    await mkdir(join(cache, 'vectors'));
    await writeFile(join(cache, 'vectors', `${DEFAULT_MODEL.sha256}.json`), '{"schemaVersion": 1}');
    const result = await harness(['doctor'], { env: { HARNESS_CACHE: cache } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/MISSING\s+emotion vectors .*has format version 1, not 2/);
    expect(result.stdout).toContain('an older file is rebuilt');
  });

  it('exits 1 and prints a fix when the engine is missing', async () => {
    const result = await harness(['doctor'], { env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/MISSING\s+Docker engine/);
    expect(result.stdout).toContain('fix:');
  });
});
