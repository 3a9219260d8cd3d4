/**
 * Sandbox driver overhead against the Docker CLI, measured in one run:
 *   lifecycle: createSandbox -> exec `true` -> destroy, versus `docker run --rm IMAGE true`
 *   per exec:  sandbox.exec(['true']) in a live sandbox, versus `docker exec CONTAINER true`
 *   pytest start: `python3 -m pytest` on one trivial test with the scoring runs' environment
 *              (PYTHON_TEST_ENV: compiled modules from the image's read-only prefix), versus an empty
 *              prefix (what every scoring run paid before the image compiled the standard library and pytest)
 * Prints medians and ratios. Targets: per-exec overhead <= 50 ms median; lifecycle <= 1.5x docker run --rm.
 */

import { performance } from 'node:perf_hooks';
import { median } from '../analysis/index.ts';
import { runProcess } from '../harness/proc.ts';
import { PYTHON_TEST_ENV } from '../harness/scoring/runner.ts';
import {
  createSandbox,
  DEFAULT_LIMITS,
  ensureImages,
  IMAGES,
  imageTag,
  requireDocker,
} from '../sandboxes/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function docker(args: string[]): Promise<void> {
  const result = await runProcess('docker', args);
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr}`);
}

await requireDocker();
await ensureImages();
const image = await imageTag(IMAGES.python);

const lifecycle: number[] = [];
const dockerRun: number[] = [];
const execs: number[] = [];
const dockerExec: number[] = [];

// Interleave the driver and its baseline so drift on a noisy machine hits both alike.
for (let i = 0; i < ROUNDS; i++) {
  lifecycle.push(
    await time(async () => {
      const sandbox = await createSandbox({ image: IMAGES.python, limits: DEFAULT_LIMITS });
      await sandbox.exec(['true']);
      await sandbox.destroy();
    }),
  );
  dockerRun.push(await time(() => docker(['run', '--rm', '--network', 'none', image, 'true'])));
}

const compiled: number[] = [];
const uncompiled: number[] = [];
const sandbox = await createSandbox({ image: IMAGES.python, limits: DEFAULT_LIMITS });
try {
  await sandbox.exec(['true']);
  for (let i = 0; i < ROUNDS * 2; i++) {
    execs.push(await time(() => sandbox.exec(['true'])));
    dockerExec.push(await time(() => docker(['exec', sandbox.id, 'true'])));
  }
  await sandbox.writeFiles({ 'test_one.py': 'def test_one():\n    assert True\n' });
  const pytest = async (env: Record<string, string>) => {
    const r = await sandbox.exec(['python3', '-s', '-P', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      env,
    });
    if (r.exitCode !== 0) throw new Error(`pytest failed in the sandbox: ${r.stdout}${r.stderr}`);
  };
  for (let i = 0; i < ROUNDS; i++) {
    compiled.push(await time(() => pytest({ ...PYTHON_TEST_ENV })));
    uncompiled.push(await time(() => pytest({ ...PYTHON_TEST_ENV, PYTHONPYCACHEPREFIX: '/tmp/no-pycache' })));
  }
} finally {
  await sandbox.destroy();
}

const rows = [
  ['create -> exec -> destroy (driver)', median(lifecycle)],
  ['docker run --rm IMAGE true (CLI)', median(dockerRun)],
  ['exec true in a live sandbox (driver)', median(execs)],
  ['docker exec CONTAINER true (CLI)', median(dockerExec)],
  ['pytest start, image-compiled prefix', median(compiled)],
  ['pytest start, empty prefix (before)', median(uncompiled)],
] as const;
console.log(`sandbox benchmark: ${ROUNDS} lifecycles, ${ROUNDS * 2} execs, medians`);
for (const [name, ms] of rows) console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms`);
const lifecycleRatio = median(lifecycle) / median(dockerRun);
const execOverhead = median(execs);
console.log(`  lifecycle / docker run --rm: ${lifecycleRatio.toFixed(2)}x (target <= 1.5x)`);
console.log(
  `  per-exec overhead: ${execOverhead.toFixed(1)} ms (target <= 50 ms); docker exec CLI: ${median(dockerExec).toFixed(1)} ms`,
);
console.log(
  `  pytest start: ${(median(uncompiled) / median(compiled)).toFixed(2)}x faster with the image's compiled prefix`,
);
