/** `harness run`: the main job. Flags override the config; the resolved config is stored with the run. */
import type { Command } from 'commander';
import { renderSummary } from '../../../analysis/index.ts';
import { ConfigSchema, type HarnessConfig, validate } from '../../config/index.ts';
import { InputError } from '../../errors.ts';
import { runExperiment } from '../../experiment/experiment.ts';
import { TerminalProgress } from '../../experiment/progress.ts';
import { readRun } from '../../experiment/read-run.ts';
import { RunStore } from '../../experiment/store.ts';
import { judgeAgreement, renderJudgeAgreement } from '../../scoring/judge/index.ts';
import { STEER_UNITS_HELP } from '../../steering/index.ts';
import { loadCommandConfig, modelOption, numberFlag } from '../context.ts';
import { writeRunReports } from './report.ts';

export interface RunFlags {
  steer?: string[];
  conditions?: string;
  tasks?: string;
  families?: string;
  limit?: number;
  epochs?: number;
  maxAttempts?: number;
  jobs?: number;
  seed?: number;
  resume?: string;
  model?: string;
}

/** A comma-separated selection; one that selects nothing is refused rather than read as "everything". */
function list(flag: string, text: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new InputError(`${flag} expects a comma-separated list of names, received ${JSON.stringify(text)}`);
  return items;
}

/** The flags as config overrides (JSON values are valid YAML, so strings survive `--set` parsing). */
export function flagOverrides(flags: RunFlags): string[] {
  if (flags.steer?.length && flags.conditions !== undefined) {
    throw new InputError('--steer and --conditions both choose conditions; give one of them');
  }
  const set = (key: string, value: unknown) => `${key}=${JSON.stringify(value)}`;
  const out: string[] = [];
  if (flags.steer?.length) out.push(set('experiment.conditions', [flags.steer.join('&')]));
  if (flags.conditions !== undefined)
    out.push(set('experiment.conditions', list('--conditions', flags.conditions)));
  if (flags.tasks !== undefined) out.push(set('experiment.tasks', list('--tasks', flags.tasks)));
  if (flags.families !== undefined) out.push(set('experiment.families', list('--families', flags.families)));
  if (flags.limit !== undefined) out.push(set('experiment.limit', flags.limit));
  if (flags.epochs !== undefined) out.push(set('experiment.epochs', flags.epochs));
  if (flags.jobs !== undefined) out.push(set('experiment.concurrency', flags.jobs));
  if (flags.seed !== undefined) out.push(set('experiment.seed', flags.seed));
  if (flags.maxAttempts !== undefined) out.push(set('agent.max_attempts', flags.maxAttempts));
  return out;
}

async function resumedConfig(runsDir: string, runId: string): Promise<HarnessConfig> {
  const { meta } = await RunStore.open(runsDir, runId);
  return validate(ConfigSchema, meta.config, `the config stored with run ${runId}`);
}

export function registerRun(program: Command): void {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const run = program
    .command('run')
    .description(
      'run the experiment: tasks x conditions x epochs, with probe readings, scoring and a summary',
    )
    .option(
      '--steer <name=c>',
      'one steering condition for the whole run, e.g. desperation=-1 (sd), calm=+5% or joy=0.5x (repeat to combine)',
      collect,
    )
    .option('--conditions <list>', 'several conditions, e.g. baseline,desperation=+2,calm=+2,random=+2')
    .option('--tasks <ids>', 'comma-separated task ids')
    .option('--families <names>', 'comma-separated task families')
    .option('--limit <n>', 'at most this many tasks', numberFlag('--limit', { integer: true, min: 1 }))
    .option(
      '--epochs <n>',
      'repeats of every task x condition',
      numberFlag('--epochs', { integer: true, min: 1 }),
    )
    .option(
      '--max-attempts <n>',
      'model turns per episode',
      numberFlag('--max-attempts', { integer: true, min: 1 }),
    )
    .option('-j, --jobs <n>', 'episodes in flight', numberFlag('--jobs', { integer: true, min: 1 }))
    .option('--seed <n>', 'run seed', numberFlag('--seed', { integer: true, min: 0 }))
    .option('--resume <run-id>', 'finish an interrupted run (its stored config is used; no other flags)')
    .addHelpText('after', `\n${STEER_UNITS_HELP}`);
  modelOption(run).action(async (flags: RunFlags, command: Command) => {
    const overrides = flagOverrides(flags);
    let { config } = await loadCommandConfig(command, overrides);
    // A resumed run is found in the runs_dir in effect now, and finished there, wherever it began.
    const resume = flags.resume ? { runsDir: config.runs_dir, runId: flags.resume } : undefined;
    if (resume) {
      if (overrides.length || flags.model !== undefined)
        throw new InputError('--resume uses the stored config of the run; drop the other run flags');
      config = await resumedConfig(resume.runsDir, resume.runId);
    }
    const result = await runExperiment(config, {
      resume,
      progress: new TerminalProgress(),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    console.log(`\nrun ${result.runId} (${result.dir})\n`);
    console.log(renderSummary(result.summary));
    const model = result.records[0]?.model;
    if (model && !model.capabilities.readings)
      console.log(`\n(no probe readings: ${model.name} at ${model.host} returns none)`);
    const agreement = judgeAgreement(result.records);
    if (agreement) console.log(`\n${renderJudgeAgreement(agreement)}`);
    const [md, html] = await writeRunReports(await readRun(config.runs_dir, result.dir));
    console.log(`\nreport: ${md} and ${html}`);
    console.log(`\nper-episode transcripts: bin/harness show ${result.runId} <episode-id>`);
    console.log(`in the browser: bin/harness view ${result.dir}`);
  });
}
