/** Disk and inode bounds of a sandbox, against the real engine: what the model sees, and what the host keeps. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  DEFAULT_LIMITS,
  ensureImages,
  IMAGES,
  LABEL_RUN,
  requireDocker,
  type Sandbox,
} from '../../sandboxes/index.ts';
import { harness } from '../cli/support.ts';

const run = `vitest-disk-${randomUUID()}`;
const limits = { ...DEFAULT_LIMITS, memoryMb: 128, diskMb: 16, inodes: 256, timeoutS: 60 };
let sandbox: Sandbox;

/** Bytes the container's writable layer holds on the host's Docker storage. */
async function hostLayerBytes(): Promise<number> {
  const docker = await requireDocker();
  const filters = JSON.stringify({ id: [sandbox.id] });
  const [info] = (await docker.listContainers({ all: true, size: true, filters })) as Array<{
    SizeRw?: number;
  }>;
  if (!info) throw new Error(`the engine does not list ${sandbox.id}`);
  // The engine leaves SizeRw out when it is 0.
  return info.SizeRw ?? 0;
}

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
  sandbox = await createSandbox({ image: IMAGES.python, limits, labels: { [LABEL_RUN]: run } });
});

afterAll(async () => {
  await sandbox?.destroy();
});

describe('a sandbox workspace', () => {
  it('holds at most diskMb: a writer past it gets "No space left on device"', async () => {
    const before = await hostLayerBytes();
    const result = await sandbox.exec([
      'python3',
      '-c',
      "for i in range(8):\n  open(f'big{i}', 'wb').write(bytes(4 << 20))",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('OSError: [Errno 28] No space left on device');
    const used = await sandbox.exec(['du', '-sm', '.']);
    expect(Number.parseInt(used.stdout, 10)).toBeLessThanOrEqual(limits.diskMb);
    expect(await hostLayerBytes()).toBe(before);
    await sandbox.exec(['sh', '-c', 'rm -f big*']);
  });

  it('holds at most `inodes` files', async () => {
    const result = await sandbox.exec([
      'python3',
      '-c',
      "for i in range(1000):\n  open(f'f{i}', 'w').close()",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('No space left on device');
    const count = await sandbox.exec(['sh', '-c', 'ls | wc -l']);
    expect(Number(count.stdout.trim())).toBeLessThan(limits.inodes);
    expect(Number(count.stdout.trim())).toBeGreaterThan(limits.inodes - 10);
    await sandbox.exec(['sh', '-c', 'rm -f f*']);
  });

  it('is the only big writable place: the image is read-only, /tmp is bounded too', async () => {
    const readOnly = await sandbox.exec(['sh', '-c', 'touch /var/tmp/x /usr/lib/x /home/x']);
    expect(readOnly.stderr.match(/Read-only file system/g)?.length).toBe(3);
    const tmp = await sandbox.exec(['sh', '-c', 'head -c 200000000 /dev/zero > /tmp/fill']);
    expect(tmp.exitCode).not.toBe(0);
    expect(tmp.stderr).toContain('No space left on device');
    const size = await sandbox.exec(['sh', '-c', 'du -sm /tmp/fill; rm /tmp/fill']);
    expect(Number.parseInt(size.stdout, 10)).toBeLessThan(200);
    expect(await hostLayerBytes()).toBe(0);
  });

  it('does not take its files from the memory of the processes', async () => {
    const fill = await sandbox.exec(['sh', '-c', 'head -c 15000000 /dev/zero > fill']);
    expect(fill.exitCode).toBe(0);
    // 15 MB of files plus 115 MiB in a process: above memoryMb only if the files counted against it.
    const alloc = await sandbox.exec(['python3', '-c', 'x = bytearray(115 * 1024 * 1024); print(len(x))']);
    expect(alloc).toMatchObject({ exitCode: 0, stdout: `${115 * 1024 * 1024}\n` });
    expect(alloc.sandboxDied).toBeUndefined();
    await sandbox.exec(['rm', 'fill']);
  });

  it('refuses a write past the bound as a reason, keeping the files that fit', async () => {
    const fill = await sandbox.exec(['sh', '-c', 'head -c 15000000 /dev/zero > fill']);
    expect(fill.exitCode).toBe(0);
    const refused = await sandbox.applyWrites({ 'small.py': 'x = 1\n', 'big.bin': Buffer.alloc(4 << 20) });
    expect(refused).toEqual([{ path: 'big.bin', reason: 'no space left on device' }]);
    expect((await sandbox.readFile('small.py')).toString()).toBe('x = 1\n');
    await sandbox.exec(['sh', '-c', 'rm -f fill small.py big.bin']);
  });

  it('survives `sandbox prune` run by another harness process while its sandbox lives', async () => {
    await sandbox.writeFile('kept.txt', 'still here');
    const prune = await harness(['sandbox', 'prune']);
    expect(prune.exitCode).toBe(0);
    expect(prune.stdout).toMatch(/kept [1-9]\d* of a harness still running/);
    expect((await sandbox.readFile('kept.txt')).toString()).toBe('still here');
  });

  it('is removed with its sandbox', async () => {
    const docker = await requireDocker();
    const filters = JSON.stringify({ label: [`${LABEL_RUN}=${run}`] });
    expect((await docker.listVolumes({ filters })).Volumes).toHaveLength(1);
    const other = await createSandbox({ image: IMAGES.python, limits, labels: { [LABEL_RUN]: `${run}-2` } });
    await other.destroy();
    const otherFilters = JSON.stringify({ label: [`${LABEL_RUN}=${run}-2`] });
    expect((await docker.listVolumes({ filters: otherFilters })).Volumes ?? []).toHaveLength(0);
  });
});
