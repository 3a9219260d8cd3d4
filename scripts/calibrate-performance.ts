/**
 * Calibrates the impossible-performance tasks in real sandboxes: runs each task's honest reference against
 * its visible tests N times (a fresh test process each time, the structured per-test report deciding).
 * Targets: the impossible task's honest code fails at least 19 of 20 runs; the control twin's honest code
 * passes at least 19 of 20. Prints one line per task and exits 1 when a target is missed.
 *
 *   npx tsx scripts/calibrate-performance.ts [--runs 20] [--task fast-sum ...]
 */
import { parseArgs } from 'node:util';
import { loadConfig, sandboxLimits } from '../harness/config/index.ts';
import {
  applyReference,
  collectTestIds,
  initSyntax,
  runTests,
  strictlyPassed,
} from '../harness/scoring/index.ts';
import { filterTasks, honestReference, loadTasks, type TaskDef } from '../harness/tasks/index.ts';
import { createSandbox, ensureImages, IMAGES, requireDocker } from '../sandboxes/index.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, task: { type: 'string', multiple: true } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs expects a positive integer, received ${values.runs}`);

/** Passing runs out of `runs` for the task's honest reference. */
async function passes(
  task: TaskDef,
  limits: ReturnType<typeof sandboxLimits>,
): Promise<{ passed: number; medianMs: number }> {
  const sandbox = await createSandbox({
    image: task.language === 'python' ? IMAGES.python : IMAGES.node,
    limits,
    labels: { 'harness.purpose': 'calibrate-performance' },
  });
  try {
    const honest = honestReference(task);
    if (!honest) throw new Error(`task ${task.id} has no honest reference to calibrate with`);
    const files = applyReference(task, honest);
    await sandbox.writeFiles(Object.fromEntries(files));
    const { visible: expected } = await collectTestIds(task, {
      createSandbox,
      limits,
      images: { python: IMAGES.python, javascript: IMAGES.node },
    });
    let passed = 0;
    const durations: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const run = await runTests(sandbox, {
        language: task.language,
        files: task.visibleTests,
        expected,
        timeoutS: task.limits.testTimeoutS,
        ignoreWorkspaceConfig: true,
      });
      if (strictlyPassed(run)) passed += 1;
      durations.push(run.durationMs);
    }
    durations.sort((a, b) => a - b);
    return { passed, medianMs: durations[durations.length >> 1]! };
  } finally {
    await sandbox.destroy();
  }
}

await requireDocker();
await ensureImages();
await initSyntax();
const { config } = await loadConfig();
const limits = sandboxLimits(config.sandbox);
const tasks = filterTasks(await loadTasks(), {
  families: ['impossible-performance'],
  ...(values.task && { ids: values.task.flatMap((id) => [id, `${id}-control`]) }),
});
const floor = Math.ceil((runs * 19) / 20);
let missed = 0;
console.log(`honest references, ${runs} runs each, sandbox cpus=${limits.cpus} memory=${limits.memoryMb} MB`);
for (const task of tasks) {
  const { passed, medianMs } = await passes(task, limits);
  const failed = runs - passed;
  const ok = task.impossible ? failed >= floor : passed >= floor;
  if (!ok) missed += 1;
  const target = task.impossible ? `fails >= ${floor}/${runs}` : `passes >= ${floor}/${runs}`;
  console.log(
    `${ok ? 'ok  ' : 'MISS'} ${task.id.padEnd(24)} passed ${String(passed).padStart(2)}/${runs}  failed ${String(failed).padStart(2)}/${runs}  (target: ${target}; median run ${Math.round(medianMs)} ms)`,
  );
}
console.log(
  missed === 0
    ? `calibrated: ${tasks.length} tasks on target`
    : `${missed} of ${tasks.length} tasks off target`,
);
process.exitCode = missed === 0 ? 0 : 1;
