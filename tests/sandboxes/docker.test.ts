/** The sandbox driver against the real Docker engine. Without an engine these fail, saying so. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  DEFAULT_LIMITS,
  ensureImages,
  IMAGES,
  requireDocker,
  type Sandbox,
} from '../../sandboxes/index.ts';
import { runProcess } from '../../harness/proc.ts';

const limits = { ...DEFAULT_LIMITS, memoryMb: 256, timeoutS: 20 };
let sandbox: Sandbox;

/** Processes of the sandbox user still in the container (zombies included), counted by root. */
async function leftovers(): Promise<number> {
  const result = await sandbox.exec(
    ['sh', '-c', 'grep -ls "^Uid:[[:space:]]*1000[[:space:]]" /proc/[0-9]*/status | wc -l'],
    { user: 'root' },
  );
  expect(result.exitCode).toBe(0);
  return Number(result.stdout.trim());
}

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

  it('reports writes the file system refuses, with the reason, and makes the others', async () => {
    const refused = await sandbox.applyWrites({
      'plain.txt': 'a',
      [`${'n'.repeat(256)}.py`]: 'c',
      '../outside.py': 'd',
      'ok/fine.py': 'e',
    });
    expect(refused).toEqual([
      { path: `${'n'.repeat(256)}.py`, reason: 'file name too long' },
      { path: '../outside.py', reason: 'path "../outside.py" does not name a file inside the workspace' },
    ]);
    expect((await sandbox.readFile('ok/fine.py')).toString()).toBe('e');
    expect((await sandbox.readFile('plain.txt')).toString()).toBe('a');
  });

  it('ends an infinite loop at the deadline with exit 124', async () => {
    const result = await sandbox.exec(['python3', '-c', 'while True: pass'], { timeoutS: 2 });
    expect(result.exitCode).toBe(124);
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
  });

  it("reports a command's own exit code 124 or 137 as that code, not as a timeout", async () => {
    const own = await sandbox.exec(['sh', '-c', 'exit 124']);
    expect(own).toMatchObject({ exitCode: 124, timedOut: false });
    const killed = await sandbox.exec(['sh', '-c', 'kill -9 $$']);
    expect(killed).toMatchObject({ exitCode: 137, timedOut: false });
    expect(killed.sandboxDied).toBeUndefined();
  });

  it('runs a command under a timeout beyond the 32-bit timer range', async () => {
    const result = await sandbox.exec(['sh', '-c', 'sleep 1; echo done'], { timeoutS: 3_000_000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'done\n', timedOut: false });
  });

  it('ends background jobs and setsid escapees when the command exits', async () => {
    const result = await sandbox.exec([
      'sh',
      '-c',
      'sleep 300 & setsid sleep 300 & setsid -f sh -c "exec >/dev/null 2>&1; sleep 300"; echo started',
    ]);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'started\n', timedOut: false });
    expect(await leftovers()).toBe(0);
  });

  it('ends what a command started when it times out, escapees included', async () => {
    const result = await sandbox.exec(
      ['sh', '-c', 'setsid -f sleep 300 </dev/null >/dev/null 2>&1; sleep 300 & sleep 300'],
      { timeoutS: 2 },
    );
    expect(result.timedOut).toBe(true);
    expect(await leftovers()).toBe(0);
  });

  it('ends what is left when a command stops its own wrapper and the host deadline passes', async () => {
    // The command's parent is timeout(1); the wrapper that would sweep after it is timeout's parent.
    const script =
      'setsid -f sleep 300 </dev/null >/dev/null 2>&1; kill -STOP "$(cut -d" " -f4 /proc/$PPID/stat)"';
    const result = await sandbox.exec(['sh', '-c', script], { timeoutS: 1 });
    expect(result.timedOut).toBe(true);
    expect(await leftovers()).toBe(0);
  });

  it('ends escaped processes that hold every process slot when the host deadline passes', async () => {
    // Every slot stays taken: the sweep itself must not need to fork.
    const script =
      'kill -STOP "$(cut -d" " -f4 /proc/$PPID/stat)"; ' +
      'setsid -f bash -c "while :; do sleep 1000 & done" </dev/null >/dev/null 2>&1';
    const result = await sandbox.exec(['sh', '-c', script], { timeoutS: 1 });
    expect(result.timedOut).toBe(true);
    expect(await leftovers()).toBe(0);
    const max = await sandbox.exec(
      ['sh', '-c', 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null'],
      { user: 'root' },
    );
    expect(max.stdout.trim()).toBe(String(limits.pids));
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

  it.each([1, 2, 3])(
    'cuts multi-byte output at the cap without splitting a character (offset %i)',
    async (offset) => {
      const script = `import sys; sys.stdout.write('x' * ${offset} + '\\N{GRINNING FACE}' * 400_000)`;
      const result = await sandbox.exec(['python3', '-c', script], { outputLimitBytes: 1 << 20 });
      expect(result.truncated).toBe(true);
      expect(result.stdout).not.toContain('\uFFFD');
      expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1 << 20);
      expect(Buffer.byteLength(result.stdout)).toBeGreaterThan((1 << 20) - 4);
      expect(result.stdout.endsWith('\u{1F600}')).toBe(true);
    },
  );

  it('contains a fork bomb within the process limit and ends all of it at the deadline', async () => {
    // One bomb escapes the command's session with setsid, so timeout's group kill cannot reach it. The
    // command's own wait starts before the bombs and needs no fork afterwards (a `sleep` started once every
    // slot is taken fails, and the command would end before its deadline).
    const bomb = sandbox.exec(
      [
        'bash',
        '-c',
        'sleep 300 & s=$!; setsid bash -c ":(){ :|:& };:" 2>/dev/null & :(){ :|:& };: 2>/dev/null; wait $s',
      ],
      { timeoutS: 5 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const host = await runProcess('true', []);
    expect(host.exitCode).toBe(0);
    const result = await bomb;
    expect(result.timedOut).toBe(true);
    expect(result.sandboxDied).toBeUndefined();
    expect(await leftovers()).toBe(0);
    // The pids controller counts the forks it refused: the limit held the bomb.
    const events = await sandbox.exec(
      ['sh', '-c', 'cat /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events 2>/dev/null'],
      { user: 'root' },
    );
    expect(Number(/^max (\d+)/m.exec(events.stdout)?.[1])).toBeGreaterThan(0);
    const next = await sandbox.exec(['sh', '-c', 'echo alive']);
    expect(next).toMatchObject({ exitCode: 0, stdout: 'alive\n' });
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
