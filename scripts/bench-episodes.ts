/**
 * Episodes per hour of `harness run` on the default experiment, at concurrency 1 and at the default
 * concurrency (or -j), from one invocation:
 *   npx tsx scripts/bench-episodes.ts [the flags of `harness run`] [-c FILE] [--set k=v] [--keep] [--no-warmup]
 * Both runs call runExperiment, the function behind `harness run`, with the real model and real sandboxes,
 * each into a fresh temporary runs directory (deleted at exit unless --keep). Only the episodes are timed:
 * the clock starts when the runner starts its first episode (model load, graph cache and run files are done
 * by then) and stops when the last episode is recorded.
 * Order: an untimed one-episode warm-up takes the first-use costs (module compilation, first container
 * start, page cache); then concurrency 1, then the default. Any order effect left favours the later,
 * concurrent run, so the printed ratio may be overstated, never understated by ordering.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { mean, median } from '../analysis/index.ts';
import { flagOverrides, type RunFlags, registerRun } from '../harness/cli/commands/run.ts';
import { type HarnessConfig, loadConfig } from '../harness/config/index.ts';
import { HarnessError, InputError, PrerequisiteError } from '../harness/errors.ts';
import { runExperiment } from '../harness/experiment/experiment.ts';
import { formatDuration, TerminalProgress } from '../harness/experiment/progress.ts';
import type { ProgressSink } from '../harness/experiment/runner.ts';
import type { EpisodeRecord } from '../harness/log/index.ts';

export interface EpisodeStats {
  episodes: number;
  wallMs: number;
  perHour: number;
  medianMs: number;
  /** Nearest rank: the smallest duration at or above 90 % of the episodes. */
  p90Ms: number;
  meanAttempts: number;
  outcomes: Record<string, number>;
  replyTokens: number;
  /** Reply tokens of all episodes over the timed wall time: the model's throughput. */
  tokensPerSecond: number | undefined;
  /** Reply tokens over the time spent inside generate calls (prefill and batch waits included). */
  tokensPerGenerateSecond: number | undefined;
}

export function percentileNearestRank(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function episodeStats(records: EpisodeRecord[], wallMs: number): EpisodeStats {
  const durations = records.map((r) => r.durationMs);
  const attempts = records.flatMap((r) => r.attempts);
  const replyTokens = attempts.reduce((s, a) => s + a.completionTokens, 0);
  const generateMs = attempts.reduce((s, a) => s + a.generateMs, 0);
  const outcomes: Record<string, number> = {};
  for (const r of records) outcomes[r.verdict.outcome] = (outcomes[r.verdict.outcome] ?? 0) + 1;
  return {
    episodes: records.length,
    wallMs,
    perHour: records.length / (wallMs / 3_600_000),
    medianMs: median(durations),
    p90Ms: percentileNearestRank(durations, 0.9),
    meanAttempts: mean(records.map((r) => r.attempts.length)),
    outcomes,
    replyTokens,
    tokensPerSecond: replyTokens > 0 ? replyTokens / (wallMs / 1000) : undefined,
    tokensPerGenerateSecond:
      replyTokens > 0 && generateMs > 0 ? replyTokens / (generateMs / 1000) : undefined,
  };
}

export interface BenchRun {
  concurrency: number;
  stats: EpisodeStats;
}

/** The comparison table and the default/1 ratio of episodes per hour. */
export function renderBench(baseline: BenchRun, concurrent: BenchRun): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));
  const rows: [string, (s: EpisodeStats) => string][] = [
    ['episodes', (s) => String(s.episodes)],
    ['wall time (episodes only)', (s) => `${formatDuration(s.wallMs)} (${seconds(s.wallMs)})`],
    ['episodes per hour', (s) => s.perHour.toFixed(1)],
    ['episode duration, median', (s) => seconds(s.medianMs)],
    ['episode duration, p90', (s) => seconds(s.p90Ms)],
    ['attempts per episode, mean', (s) => s.meanAttempts.toFixed(2)],
    ['reply tokens', (s) => String(s.replyTokens)],
    ['reply tokens/s, throughput', (s) => rate(s.tokensPerSecond)],
    ['reply tokens/s, per generate call', (s) => rate(s.tokensPerGenerateSecond)],
    [
      'outcomes',
      (s) =>
        Object.entries(s.outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
    ],
  ];
  const heads = [`concurrency ${baseline.concurrency}`, `concurrency ${concurrent.concurrency}`];
  const width = Math.max(...rows.map(([name]) => name.length));
  const column = Math.max(heads[0]!.length, ...rows.map(([, cell]) => cell(baseline.stats).length));
  const line = (name: string, a: string, b: string) =>
    `  ${name.padEnd(width)}  ${a.padEnd(column)}  ${b}`.trimEnd();
  const ratio = concurrent.stats.perHour / baseline.stats.perHour;
  return [
    line('', heads[0]!, heads[1]!),
    ...rows.map(([name, cell]) => line(name, cell(baseline.stats), cell(concurrent.stats))),
    '',
    `  episodes per hour, concurrency ${concurrent.concurrency} / concurrency ${baseline.concurrency}: ${ratio.toFixed(2)}x`,
  ].join('\n');
}

/** Starts the clock when the runner starts its first episode and stops it when the last is recorded. */
class EpisodeClock implements ProgressSink {
  private startedAt = Number.NaN;
  private finishedAt = Number.NaN;

  constructor(private readonly inner: ProgressSink) {}

  start(total: number, alreadyDone: EpisodeRecord[]): void {
    this.startedAt = performance.now();
    this.inner.start(total, alreadyDone);
  }

  episodeDone(record: EpisodeRecord): void {
    this.inner.episodeDone(record);
  }

  finish(): void {
    this.finishedAt = performance.now();
    this.inner.finish();
  }

  get elapsedMs(): number {
    return this.finishedAt - this.startedAt;
  }
}

interface BenchFlags extends RunFlags {
  config?: string;
  set: string[];
  keep?: boolean;
  warmup: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function bench(flags: BenchFlags): Promise<void> {
  if (flags.resume) throw new InputError('--resume: the benchmark always starts fresh runs; drop it');
  const runFlags = flagOverrides({ ...flags, jobs: undefined });
  const configFor = async (runsDir: string, extra: string[]): Promise<HarnessConfig> =>
    (
      await loadConfig({
        file: flags.config,
        overrides: [...flags.set, ...runFlags, `runs_dir=${JSON.stringify(runsDir)}`, ...extra],
      })
    ).config;

  const root = await mkdtemp(join(tmpdir(), 'bench-episodes-'));
  // On exit rather than in `finally`: the sandbox registry ends the process itself on SIGINT.
  if (!flags.keep) process.once('exit', () => rmSync(root, { recursive: true, force: true }));

  const base = await configFor(root, []);
  const concurrency = flags.jobs ?? base.experiment.concurrency;
  if (concurrency === 1) log('note: the default concurrency is 1; give -j N to compare against N');
  const { experiment } = base;
  console.log(
    `episode benchmark: conditions ${experiment.conditions.join(', ')}; limit ${experiment.limit ?? 'none'}; ` +
      `epochs ${experiment.epochs}; concurrency 1 then ${concurrency}` +
      (flags.warmup ? ', after an untimed one-episode warm-up' : ', no warm-up'),
  );

  if (flags.warmup) {
    log('warm-up: one episode, one short attempt, untimed');
    const warm = await configFor(join(root, 'warmup'), [
      'experiment.limit=1',
      'experiment.epochs=1',
      `experiment.conditions=${JSON.stringify(experiment.conditions.slice(0, 1))}`,
      'experiment.concurrency=1',
      'agent.max_attempts=1',
      'agent.max_reply_tokens=32',
    ]);
    await runExperiment(warm, { log });
  }

  const runs: BenchRun[] = [];
  for (const jobs of [1, concurrency]) {
    log(`\nconcurrency ${jobs}:`);
    const config = await configFor(join(root, `c${jobs}-${runs.length}`), [`experiment.concurrency=${jobs}`]);
    const clock = new EpisodeClock(new TerminalProgress());
    const result = await runExperiment(config, { progress: clock, log });
    runs.push({ concurrency: jobs, stats: episodeStats(result.records, clock.elapsedMs) });
  }
  console.log(`\n${renderBench(runs[0]!, runs[1]!)}`);
  if (flags.keep) console.log(`\nruns kept in ${root}`);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' ? 0 : 2;
  if (error instanceof HarnessError) {
    log(`bench-episodes: ${error.message}`);
    if (error instanceof PrerequisiteError) log(`  fix: ${error.fix}`);
    return error.exitCode;
  }
  throw error;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command().exitOverride();
  // The run command's own flag definitions, so the benchmark takes exactly the flags `harness run` takes.
  registerRun(program);
  const run = program.commands.find((c) => c.name() === 'run')!;
  run
    .name('bench-episodes')
    .description('episodes per hour of `harness run` at concurrency 1 and at the default concurrency')
    .option('-c, --config <file>', 'configuration file (default: harness.config.yaml if present)')
    .option(
      '--set <key=value>',
      'override a configuration value (repeatable)',
      (v, p: string[]) => [...p, v],
      [],
    )
    .option('--keep', 'keep the temporary runs directory')
    .option('--no-warmup', 'skip the untimed one-episode warm-up')
    .configureHelp({ commandUsage: () => 'npx tsx scripts/bench-episodes.ts [options]' })
    .action((flags: BenchFlags) => bench(flags));
  try {
    await program.parseAsync(['bench-episodes', ...argv], { from: 'user' });
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
