/** `harness view` as a user runs it: serves a run's page on loopback; a target that is no directory is exit 2. */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../support/synthetic-run.ts';
import { harness, MAIN, ROOT } from './support.ts';

describe('harness view', () => {
  it('serves the run given by its directory on 127.0.0.1 and prints its page', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-view-cli-'));
    await writeSyntheticRun(runsDir, { runId: 'one', episodes: 2 });
    const child = spawn(process.execPath, [MAIN, 'view', join(runsDir, 'one'), '--port', '0'], { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const match = /serving (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('close', (code) => reject(new Error(`exited ${code} before serving: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/runs\/one$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script src="/assets/app.js" defer></script>');
      const episodes = (await (await fetch(new URL('/api/runs/one/episodes', url))).json()) as {
        total: number;
      };
      expect(episodes.total).toBe(2);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 2 when the port is taken', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-view-cli-'));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const result = await harness(['view', runsDir, '--port', String(port)]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 naming what it expected when the target is not a directory', async () => {
    const result = await harness(['view', '/nonexistent/runs', '--port', '0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'expected a runs directory or a run directory (one holding run.json), received "/nonexistent/runs"',
    );
  });
});
