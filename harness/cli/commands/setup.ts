/** `harness setup`: idempotent; installs and builds what is missing and says what it did and skipped. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { aptInstall, ensureDockerEngine, ensureImages, imageStatus } from '../../../sandboxes/index.ts';
import type { HarnessConfig } from '../../config/index.ts';
import { cacheRoot, pullModel } from '../../model/fetch.ts';
import { commandExists } from '../../proc.ts';
import { loadCommandConfig } from '../context.ts';
import { runProbesBuild } from './probes.ts';
import { ensureInspectAi } from './setup-inspect.ts';

/**
 * Debian's chromium, which the viewer's browser tests drive through puppeteer-core (the browser downloads
 * of puppeteer and playwright are not reachable from every machine; apt is).
 */
export const CHROMIUM = '/usr/bin/chromium';

export interface SetupStep {
  name: string;
  run(log: (line: string) => void): Promise<string>;
}

export function setupSteps(config: HarnessConfig): SetupStep[] {
  return [
    {
      name: 'npm dependencies',
      run: async () =>
        process.env.HARNESS_NPM_INSTALLED === '1' ? 'installed (npm ci)' : 'present, skipped',
    },
    {
      name: 'Docker engine',
      run: async () => ensureDockerEngine(join(cacheRoot(), 'dockerd.log')),
    },
    {
      name: 'sandbox images',
      run: async (log) => {
        const missing = (await imageStatus()).filter((s) => !s.built);
        if (missing.length === 0) return 'all built, skipped';
        if (missing.some((s) => s.name === 'rootfs') && !(await commandExists('debootstrap'))) {
          log('installing debootstrap');
          await aptInstall(['debootstrap']);
        }
        const results = await ensureImages(log);
        return `built ${results
          .filter((r) => r.built)
          .map((r) => r.tag)
          .join(', ')}`;
      },
    },
    {
      name: 'browser (chromium, for the viewer tests)',
      run: async () => {
        if (existsSync(CHROMIUM)) return `present at ${CHROMIUM}, skipped`;
        await aptInstall(['chromium']);
        return `installed chromium (apt) at ${CHROMIUM}`;
      },
    },
    {
      name: 'model',
      run: async () => {
        const result = await pullModel(config.model.source);
        return `${result.skipped ? 'cached, skipped' : 'pulled'}: ${result.path} (sha256 ${result.sha256.slice(0, 12)}...)`;
      },
    },
    {
      name: 'emotion vectors',
      run: async (log) => {
        const result = await runProbesBuild({
          modelSource: config.model.source,
          threads: config.model.threads,
          log,
        });
        const layer =
          result.recommendedLayer === undefined ? '' : `; recommended layer ${result.recommendedLayer}`;
        return `${result.skipped ? 'present, skipped' : 'built'}: ${result.vectorsPath}${layer}`;
      },
    },
    {
      name: 'inspect-ai (reads `harness export --format inspect` logs)',
      run: (log) => ensureInspectAi(log),
    },
  ];
}

export async function runSetup(steps: SetupStep[], log: (line: string) => void): Promise<void> {
  for (const step of steps) {
    const started = Date.now();
    const outcome = await step.run((line) => log(`  ${step.name}: ${line}`));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`${step.name}: ${outcome} (${seconds} s)`);
  }
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description(
      'install and build what the harness needs (npm packages, Docker engine, sandbox images, the model); idempotent',
    )
    .action(async (_opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      await runSetup(setupSteps(config), (line) => console.log(line));
      console.log('setup complete');
    });
}
