/**
 * Sandbox settings the engine would refuse are refused up front, with exit 2 and a message, by the real
 * CLI against the real engine: for `sandbox exec` and for `run` before the model loads.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureImages, imageTag, requireDocker } from '../../sandboxes/index.ts';
import { harness } from './support.ts';

let hostCpus = 0;

beforeAll(async () => {
  const docker = await requireDocker();
  await ensureImages();
  hostCpus = (await docker.info()).NCPU;
});

async function containersOf(ownerPid: number | undefined): Promise<number> {
  const docker = await requireDocker();
  const label = ['org.impossible-harness.managed=true', `org.impossible-harness.owner-pid=${ownerPid}`];
  return (await docker.listContainers({ all: true, filters: JSON.stringify({ label }) })).length;
}

function expectRefused(result: { exitCode: number | null; stderr: string }, message: string): void {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('sandbox exec refuses what the engine would refuse', () => {
  it('a CPU share above the CPUs of the engine host', async () => {
    const result = await harness(['sandbox', 'exec', '--cpus', '64', '--', 'true']);
    expectRefused(
      result,
      `expected a number from 0.01 to ${hostCpus} (the CPUs of the Docker engine's host), received 64`,
    );
    expect(await containersOf(result.pid)).toBe(0);
  });

  it('the same through --set sandbox.cpus', async () => {
    const cpus = String(hostCpus + 2);
    const result = await harness(['--set', `sandbox.cpus=${cpus}`, 'sandbox', 'exec', '--', 'true']);
    expectRefused(result, `received ${cpus}`);
  });

  it('a process limit above the kernel ceiling', async () => {
    const result = await harness(['sandbox', 'exec', '--pids', '999999999999', '--', 'true']);
    expectRefused(
      result,
      'sandbox process limit (sandbox.pids, --pids): expected an integer from 1 to 4194304, received 999999999999',
    );
  });

  it('a timeout the host deadline cannot hold', async () => {
    const result = await harness(['sandbox', 'exec', '--timeout', '3000000', '--', 'true']);
    expectRefused(result, 'expected seconds above 0 and at most 2147468, received 3000000');
  });

  it('an image tag that is not on the engine', async () => {
    const result = await harness(['sandbox', 'exec', '--image', 'harness-python:no-such-tag', '--', 'true']);
    expectRefused(result, 'sandbox image "harness-python:no-such-tag" is not on the Docker engine');
  });

  it('an image without the sandbox user, leaving no container', async () => {
    const rootfs = await imageTag('rootfs');
    const result = await harness(['sandbox', 'exec', '--image', rootfs, '--', 'true']);
    expectRefused(result, `sandbox image ${JSON.stringify(rootfs)} has no user "sandbox"`);
    expect(await containersOf(result.pid)).toBe(0);
  });

  it("passes a command's own exit code 124 through without calling it a timeout", async () => {
    const result = await harness(['sandbox', 'exec', '--', 'sh', '-c', 'exit 124']);
    expect(result.exitCode).toBe(124);
    expect(result.stderr).not.toContain('timed out');
  });
});

describe('config and run', () => {
  it('the config refuses sandbox.timeout_s beyond the timer range', async () => {
    const result = await harness(['--set', 'sandbox.timeout_s=3000000', 'sandbox', 'exec', '--', 'true']);
    expectRefused(result, 'sandbox.timeout_s');
    expect(result.stderr).toContain('3000000');
  });

  it('run refuses a CPU share above the host before the model loads, and writes no run', async () => {
    const runs = join(await mkdtemp(join(tmpdir(), 'cpus-')), 'runs');
    const cpus = String(hostCpus + 2);
    const result = await harness([
      '--set',
      `runs_dir=${runs}`,
      '--set',
      `sandbox.cpus=${cpus}`,
      'run',
      '--limit',
      '1',
    ]);
    expectRefused(result, `(the CPUs of the Docker engine's host), received ${cpus}`);
    expect(result.stderr).not.toContain('preparing the ONNX graph');
    expect(existsSync(runs)).toBe(false);
  });
});
