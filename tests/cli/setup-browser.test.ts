/** The setup step that installs the viewer tests' browser: idempotent, and the browser it leaves runs. */
import { describe, expect, it } from 'vitest';
import { CHROMIUM, setupSteps } from '../../harness/cli/commands/setup.ts';
import { loadConfig } from '../../harness/config/index.ts';
import { runProcess } from '../../harness/proc.ts';

describe('setup: browser step', () => {
  it('skips an installed chromium, and that chromium answers --version', async () => {
    const { config } = await loadConfig({ overrides: [] });
    const step = setupSteps(config).find((s) => s.name.startsWith('browser'))!;
    const first = await step.run(() => {});
    expect(first).toBe(`present at ${CHROMIUM}, skipped`);
    const version = await runProcess(CHROMIUM, ['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/^Chromium \d+\./);
  });
});
