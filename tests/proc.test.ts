/** The host process runner: real processes, every way they can end. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandExists, runProcess, startDaemon, streamProcess } from '../harness/proc.ts';

describe('runProcess', () => {
  it('returns exit code, stdout and stderr apart, and feeds input', async () => {
    const result = await runProcess('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in\n' });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'in\n', stderr: 'err\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('passes cwd and exactly the given environment', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    const result = await runProcess('sh', ['-c', 'pwd; echo "$ONLY" "${HOME:-unset}"'], {
      cwd: '/',
      env: { ONLY: 'yes', PATH: process.env.PATH },
    });
    expect(result.stdout).toBe('/\nyes unset\n');
  });

  it('reports a missing executable as exit 127 with the reason', async () => {
    const result = await runProcess('no-such-command-here', []);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it('reports death by a signal as 128 + its number', async () => {
    const result = await runProcess('sh', ['-c', 'kill -TERM $$']);
    expect(result.exitCode).toBe(143);
  });
});

describe('commandExists', () => {
  it('finds sh and not a made-up name, without shell interpretation of the name', async () => {
    expect(await commandExists('sh')).toBe(true);
    expect(await commandExists('no-such-command-here')).toBe(false);
    expect(await commandExists('sh; true')).toBe(false);
  });
});

describe('streamProcess and startDaemon', () => {
  it('streams stdout and reports the exit afterwards', async () => {
    const child = streamProcess('sh', ['-c', 'printf abc; echo oops >&2; exit 4']);
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    expect(await child.done).toMatchObject({ exitCode: 4, stderr: 'oops' });
  });

  it('starts a detached process that appends its output to a log file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harness-proc-'));
    try {
      const log = join(dir, 'daemon.log');
      startDaemon('sh', ['-c', 'echo started; echo on-stderr >&2'], log);
      let text = '';
      for (let i = 0; i < 200 && !text.includes('on-stderr'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await readFile(log, 'utf8').catch(() => '');
      }
      expect(text).toBe('started\non-stderr\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
