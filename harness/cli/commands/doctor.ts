/** `harness doctor`: checks each prerequisite and prints a fix for each missing one. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DOCKER_FIX, dockerEndpoint, dockerReachable, imageStatus } from '../../../sandboxes/index.ts';
import { cacheRoot, DEFAULT_MODEL, resolveModelPath } from '../../model/fetch.ts';
import { defaultVectorsPath, VECTORS_SCHEMA_VERSION, vectorsFileVersion } from '../../probes/index.ts';
import { commandExists } from '../../proc.ts';
import { loadCommandConfig } from '../context.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const SETUP_FIX = 'run `bin/harness setup`';

export async function runDoctor(modelSource = 'default'): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  results.push({
    name: 'Node.js',
    ok: major >= 20,
    detail: `v${process.versions.node}`,
    fix: 'install Node.js 20 or newer',
  });
  const modules = new URL('../../../node_modules/.package-lock.json', import.meta.url);
  results.push({
    name: 'npm dependencies',
    ok: existsSync(modules),
    detail: existsSync(modules) ? 'installed' : 'node_modules missing',
    fix: 'npm ci (bin/harness does this on first use)',
  });
  const docker = await dockerReachable();
  results.push({
    name: 'Docker engine',
    ok: docker,
    detail: docker ? `answers at ${dockerEndpoint()}` : `nothing answers at ${dockerEndpoint()}`,
    fix: DOCKER_FIX,
  });
  if (docker) {
    const images = await imageStatus();
    const missing = images.filter((i) => !i.built);
    results.push({
      name: 'sandbox images',
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? images.map((i) => i.tag).join(', ')
          : `missing ${missing.map((i) => i.tag).join(', ')}`,
      fix: (await commandExists('debootstrap'))
        ? SETUP_FIX
        : `apt-get install -y debootstrap, then ${SETUP_FIX}`,
    });
  }
  let modelPath: string | undefined;
  let missing = '';
  try {
    modelPath = resolveModelPath(modelSource);
  } catch (error) {
    missing = (error as Error).message;
  }
  const modelPresent = modelPath !== undefined;
  results.push({ name: 'model', ok: modelPresent, detail: modelPath ?? missing, fix: SETUP_FIX });
  if (modelPresent && modelSource === 'default') {
    const vectors = defaultVectorsPath(cacheRoot(), DEFAULT_MODEL.sha256);
    const version = existsSync(vectors) ? vectorsFileVersion(vectors) : undefined;
    results.push({
      name: 'emotion vectors',
      ok: version === VECTORS_SCHEMA_VERSION,
      detail: !existsSync(vectors)
        ? `${vectors} missing`
        : version === VECTORS_SCHEMA_VERSION
          ? vectors
          : `${vectors} has format version ${String(version)}, not ${VECTORS_SCHEMA_VERSION}`,
      fix: 'run `bin/harness probes build` (setup does it too; an older file is rebuilt)',
    });
  }
  return results;
}

export function formatChecks(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => {
      const line = `${r.ok ? 'ok     ' : 'MISSING'}  ${r.name.padEnd(width)}  ${r.detail}`;
      return r.ok || !r.fix ? line : `${line}\n         ${' '.repeat(width)}  fix: ${r.fix}`;
    })
    .join('\n');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every prerequisite and print a fix for each missing one (exit 1 if any is missing)')
    .action(async (_opts, command: Command) => {
      const { config } = await loadCommandConfig(command);
      const results = await runDoctor(config.model.source);
      console.log(formatChecks(results));
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
