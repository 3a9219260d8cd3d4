/** The sandbox driver against the real Docker engine. Without an engine these fail, saying so. */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  DEFAULT_LIMITS,
  ensureImages,
  IMAGES,
  requireDocker,
  type Sandbox,
} from '../../sandboxes/index.ts';

const limits = { ...DEFAULT_LIMITS, memoryMb: 256, timeoutS: 20 };
let sandbox: Sandbox;

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
  sandbox = await createSandbox({
    image: IMAGES.python,
    limits,
    labels: { 'org.impossible-harness.run': 'vitest' },
  });
});

afterAll(async () => {
  await sandbox?.destroy();
});

describe('a python sandbox', () => {
  it('has loopback as its only network interface', async () => {
    const result = await sandbox.exec(['python3', '-c', 'import socket; print(socket.if_nameindex())']);
    expect(result.stdout.trim()).toBe("[(1, 'lo')]");
  });

  it('resolves localhost to the loopback address', async () => {
    const result = await sandbox.exec([
      'python3',
      '-c',
      "import socket; print(socket.gethostbyname('localhost'))",
    ]);
    expect(result.stdout.trim()).toBe('127.0.0.1');
  });

  it('runs as an unprivileged user with every capability dropped and no new privileges', async () => {
    const result = await sandbox.exec([
      'sh',
      '-c',
      'id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
    ]);
    expect(result.stdout).toMatch(/^1000\n/);
    expect(result.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it('has python3 and pytest', async () => {
    const result = await sandbox.exec(['python3', '-m', 'pytest', '--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/pytest \d+/);
  });

  it('returns non-zero exits as results, with stdout and stderr apart', async () => {
    const result = await sandbox.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
      truncated: false,
    });
  });

  it('feeds stdin', async () => {
    const result = await sandbox.exec(['wc', '-c'], { stdin: 'x'.repeat(1000) });
    expect(result.stdout.trim()).toBe('1000');
  });

  it('writes, lists and reads workspace files, and refuses paths that leave it', async () => {
    await sandbox.writeFiles({
      'pkg/mod.py': 'VALUE = 42\n',
      'tests/test_mod.py': 'from pkg.mod import VALUE\n',
    });
    expect(await sandbox.listFiles()).toEqual(
      expect.arrayContaining([
        { path: 'pkg/mod.py', size: 11 },
        { path: 'tests/test_mod.py', size: 26 },
      ]),
    );
    expect((await sandbox.readFile('pkg/mod.py')).toString()).toBe('VALUE = 42\n');
    const run = await sandbox.exec(['python3', '-c', 'from pkg.mod import VALUE; print(VALUE)']);
    expect(run.stdout.trim()).toBe('42');
    await expect(sandbox.writeFile('../etc/evil', 'x')).rejects.toThrow(/workspace/);
    await expect(sandbox.readFile('/etc/passwd')).rejects.toThrow(/relative/);
  });

  it('ends an infinite loop at the deadline with exit 124', async () => {
    const result = await sandbox.exec(['python3', '-c', 'while True: pass'], { timeoutS: 2 });
    expect(result.exitCode).toBe(124);
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(8000);
  });

  it('reports an out-of-memory kill as such, not as a normal exit', async () => {
    const result = await sandbox.exec(['python3', '-c', 'x = bytearray(1500 * 1024 * 1024)']);
    expect(result.exitCode).not.toBe(0);
    expect(result.sandboxDied?.reason).toBe('oom');
  });

  it('caps 60 MB of stdout and flags it truncated', async () => {
    const result = await sandbox.exec(['python3', '-c', "import sys; sys.stdout.write('x' * 60_000_000)"], {
      outputLimitBytes: 1 << 20,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(1 << 20);
    expect(result.truncated).toBe(true);
  });

  it('contains a fork bomb within the process limit while the host stays responsive', async () => {
    const bomb = sandbox.exec(['bash', '-c', ':(){ :|:& };: 2>/dev/null; sleep 3; echo alive'], {
      timeoutS: 10,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const hostStarted = Date.now();
    const host = spawnSync('true');
    expect(host.status).toBe(0);
    expect(Date.now() - hostStarted).toBeLessThan(5000);
    const result = await bomb;
    expect(result.timedOut || result.stdout.includes('alive')).toBe(true);
    const count = await sandbox.exec(['sh', '-c', 'ls /proc | grep -c "^[0-9]"']);
    expect(Number(count.stdout.trim())).toBeLessThanOrEqual(limits.pids + 5);
  });
});

describe('sandbox lifecycle', () => {
  it('reports a sandbox whose container died instead of scoring it', async () => {
    const docker = await requireDocker();
    const victim = await createSandbox({ image: IMAGES.python, limits });
    await docker.getContainer(victim.id).kill();
    const result = await victim.exec(['true']);
    expect(result.sandboxDied?.reason).toMatch(/exited|removed/);
    await victim.destroy();
    await expect(docker.getContainer(victim.id).inspect()).rejects.toThrow(/no such container/i);
  });

  it('node image runs node:test', async () => {
    const node = await createSandbox({ image: IMAGES.node, limits });
    try {
      await node.writeFile('a.test.mjs', "import test from 'node:test';\ntest('adds', () => {});\n");
      const result = await node.exec(['node', '--test', 'a.test.mjs']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/pass 1/);
    } finally {
      await node.destroy();
    }
  });
});
