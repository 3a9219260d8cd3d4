/** `harness run` with bad selections and config values: exit 2 before anything loads, naming the input. */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harness } from './support.ts';

/** Each test starts the CLI several times: on two cores that other work may keep busy, that takes minutes. */
const SLOW = { timeout: 600_000 };

async function runsDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'run-input-')), 'runs');
}

describe('run refuses selections and values it cannot honour', SLOW, () => {
  it('an empty --tasks, --families or --conditions list is exit 2, not the whole suite', async () => {
    const runs = await runsDir();
    for (const [flag, value] of [
      ['--tasks', ','],
      ['--families', ' , '],
      ['--conditions', ''],
    ] as const) {
      const result = await harness(['--set', `runs_dir=${runs}`, 'run', flag, value]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(
        `${flag} expects a comma-separated list of names, received ${JSON.stringify(value)}`,
      );
    }
    expect(existsSync(runs)).toBe(false);
  });

  it('a number beyond a double in the config file names the key and the text written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-input-'));
    const file = join(dir, 'big.yaml');
    await writeFile(file, `runs_dir: ${join(dir, 'runs')}\nsandbox:\n  memory_mb: 1e400\n`);
    const result = await harness(['-c', file, 'run']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('sandbox.memory_mb: expected a finite number, received 1e400');
    expect(result.stderr).not.toContain('received null');
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('--set with a prototype key is refused naming the key', async () => {
    for (const key of ['__proto__.x', 'constructor.prototype.x']) {
      const result = await harness(['--set', `${key}=1`, 'run']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/"(__proto__|constructor)" is not a configuration key/);
      expect(result.stderr).not.toContain('internal error');
    }
  });
});
