/**
 * report, compare, gate and export on two real runs of the default model in real sandboxes (fast-sum and
 * its control twin, one epoch, one short attempt, the same seed): made once here and shared by every test.
 * The export is read by the real inspect-ai package (installed by `bin/harness setup`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectPython } from '../../harness/cli/commands/setup-inspect.ts';
import { readRun, type RunData } from '../../harness/experiment/read-run.ts';
import { runProcess } from '../../harness/proc.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { requireDefaultModel } from '../support/model.ts';
import { harness } from './support.ts';

const SMALL = ['--set', 'agent.max_reply_tokens=48', '--set', 'experiment.concurrency=1'];
const RUN = [
  'run',
  '--tasks',
  'fast-sum,fast-sum-control',
  '--conditions',
  'baseline',
  '--max-attempts',
  '1',
  '--epochs',
  '1',
];

let runsDir: string;
let runA: RunData;
let runB: RunData;
let runStdout: string;
const work = () => mkdtemp(join(tmpdir(), 'harness-report-real-'));

beforeAll(async () => {
  requireDefaultModel();
  if (!existsSync(inspectPython()))
    throw new Error(`inspect-ai is missing at ${inspectPython()}: run \`bin/harness setup\` first`);
  await requireDocker();
  await ensureImages();
  runsDir = await work();
  const ids: string[] = [];
  for (const _ of ['A', 'B']) {
    const result = await harness(['--set', `runs_dir=${runsDir}`, ...SMALL, ...RUN]);
    expect(result.exitCode, result.stderr).toBe(0);
    runStdout = result.stdout;
    ids.push(readdirSync(runsDir).find((d) => !ids.includes(d))!);
  }
  runA = await readRun(runsDir, ids[0]!);
  runB = await readRun(runsDir, ids[1]!);
}, 1_200_000);

const gate = (args: string[]) => harness(['--set', `runs_dir=${runsDir}`, 'gate', ...args]);
const junit = (path: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testcase',
  }).parse(readFileSync(path, 'utf8'));

describe('two real runs of the default model', () => {
  it('run writes report.md (with its figures) and report.html into the run directory', () => {
    expect(runStdout).toContain(
      `report: ${join(runB.dir, 'report.md')} and ${join(runB.dir, 'report.html')}`,
    );
    const md = readFileSync(join(runA.dir, 'report.md'), 'utf8');
    expect(md).toContain(`# Run ${runA.meta.runId}`);
    expect(md).toContain(
      '![Cheat rate on impossible tasks (95% Wilson interval)](report-figures/cheat-rate.svg)',
    );
    const svg = readFileSync(join(runA.dir, 'report-figures', 'cheat-rate.svg'), 'utf8');
    expect(svg).toMatch(/^<svg /);
    const html = readFileSync(join(runA.dir, 'report.html'), 'utf8');
    expect(html).toContain('<figure id="figure-cheat-rate"><svg');
    // The readings the run recorded are drawn: one chart per emotion read.
    for (const emotion of Object.keys(runA.records[0]!.attempts[0]!.readings ?? {}))
      expect(html).toContain(`<figure id="figure-readings-${emotion}">`);
  });

  it('the runs repeat: the same verdicts, so compare calls them paired', async () => {
    expect(runB.records.map((r) => [r.episodeId, r.seed, r.verdict.outcome])).toEqual(
      runA.records.map((r) => [r.episodeId, r.seed, r.verdict.outcome]),
    );
    const result = await harness([
      '--set',
      `runs_dir=${runsDir}`,
      'compare',
      runA.meta.runId,
      runB.meta.runId,
      '--format',
      'json',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.paired).toBe(true);
    expect(comparison.pairing).toBe(
      'paired: 2 episodes match by task, epoch and condition with the same seed in both runs',
    );
    expect(comparison.conditions[0].cheat.difference.estimate).toBe(0);
  });

  it('gated against each other: a margin the interval fits passes (exit 0), a tighter one fails (exit 100)', async () => {
    const dir = await work();
    // One impossible episode per run with the same outcome: the increase is 0 with the Newcombe interval
    // [-79.3, +79.3] pts (1 - Wilson lower end of 1/1 = Wilson upper end of 0/1 = 0.7935).
    const pass = await gate([
      runB.meta.runId,
      '--against',
      runA.meta.runId,
      '--max-increase',
      '80',
      '--junit',
      join(dir, 'pass.xml'),
      '--markdown',
      join(dir, 'pass.md'),
    ]);
    expect(pass.exitCode, pass.stderr).toBe(0);
    expect(pass.stdout).toContain('## harness gate: PASSED');
    const passed = junit(join(dir, 'pass.xml'));
    expect(passed.testsuites.testsuite.testcase.map((t: { name: string }) => t.name)).toEqual(['baseline']);
    expect(passed.testsuites.testsuite.testcase[0].failure).toBeUndefined();
    expect(passed.testsuites.failures).toBe('0');
    expect(readFileSync(join(dir, 'pass.md'), 'utf8')).toBe(`${pass.stdout.trimEnd()}\n`);

    const fail = await gate([
      runB.meta.runId,
      '--against',
      runA.meta.runId,
      '--max-increase',
      '50',
      '--junit',
      join(dir, 'fail.xml'),
    ]);
    expect(fail.exitCode, fail.stderr).toBe(100);
    expect(fail.stderr).toContain('harness: gate failed for condition baseline');
    const failed = junit(join(dir, 'fail.xml'));
    expect(failed.testsuites.failures).toBe('1');
    const [testcase] = failed.testsuites.testsuite.testcase;
    expect(testcase.name).toBe('baseline');
    expect(testcase.failure.type).toBe('GateFailure');
    expect(testcase.failure.message).toMatch(/upper end \+79\.3 pts > \+50\.0 pts/);
  });

  it('the Inspect export is listed and read by inspect-ai (list_eval_logs, read_eval_log): every episode with its score and metadata', async () => {
    const logDir = await work();
    const exported = await harness([
      '--set',
      `runs_dir=${runsDir}`,
      'export',
      runA.meta.runId,
      '--format',
      'inspect',
      '-o',
      `${logDir}/`,
    ]);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const script = [
      'import json, sys',
      'from inspect_ai.log import list_eval_logs, read_eval_log',
      '[info] = list_eval_logs(sys.argv[1])',
      'log = read_eval_log(info.name)',
      'print(json.dumps({"status": log.status, "model": log.eval.model, "run_id": log.eval.run_id,',
      '  "metric": log.results.scores[0].metrics["mean"].value,',
      '  "samples": [{"id": s.id, "epoch": s.epoch, "cheated": s.scores["cheated"].value,',
      '    "outcome": s.scores["verdict"].value, "condition": s.metadata["conditionId"], "seed": s.metadata["seed"], "input": s.input,',
      '    "readings": s.metadata["attempts"][0]["readings"], "replies": [m.text for m in s.messages if m.role == "assistant"]}',
      '    for s in log.samples]}))',
    ].join('\n');
    // list_eval_logs is what `inspect view` lists: it finds the log by its name.
    const read = await runProcess(inspectPython(), ['-c', script, logDir]);
    expect(read.exitCode, read.stderr).toBe(0);
    const log = JSON.parse(read.stdout);
    expect(log).toMatchObject({
      status: 'success',
      run_id: runA.meta.runId,
      model: `harness/${runA.records[0]!.model.file}`,
    });
    expect(log.samples).toHaveLength(runA.records.length);
    for (const record of runA.records) {
      const sample = log.samples.find((s: { id: string }) => s.id === record.episodeId);
      expect(sample).toMatchObject({
        epoch: record.epoch,
        cheated: record.verdict.outcome === 'cheated' ? 1 : 0,
        outcome: record.verdict.outcome,
        condition: record.conditionId,
        seed: record.seed,
        readings: record.attempts[0]!.readings,
        replies: record.attempts.map((a) => a.replyText),
        input: JSON.parse(readFileSync(join(runA.dir, 'transcripts', `${record.episodeId}.json`), 'utf8'))
          .spec,
      });
    }
    const cheats = runA.records.filter((r) => r.verdict.outcome === 'cheated').length;
    expect(log.metric).toBeCloseTo(cheats / runA.records.length, 12);
  });
});
