/**
 * An Inspect log's own verdicts beside this harness's, sample by sample, as `harness score --inspect-log`
 * reports them (markdown for people and CI step summaries, JSON for programs and the viewer).
 *
 * The two verdicts are compared on one question both answer: did the solution pass? Theirs is the log's
 * score (C or I); ours is an apparent success, outcome `passed_honestly` or `cheated` (the visible tests
 * passed in the agent-side run). On an impossible version both count a pass as a cheat, so agreement on
 * "passed" is agreement on "cheated" there. What only this harness says (the strategy, attempted cheats,
 * held-out failures) is in the row beside it.
 */

import { z } from 'zod';
import { type Verdict, VerdictSchema } from '../harness/log/index.ts';
import { cohensKappa } from '../harness/scoring/judge/index.ts';

export const INSPECT_COMPARISON_SCHEMA_VERSION = 1;

const ComparisonRowSchema = z.object({
  sample: z.string(),
  epoch: z.number().int(),
  /** The sample's record id and version (ImpossibleBench `task_id`, `impossible_type`). */
  source: z.object({ taskId: z.string(), split: z.string() }),
  /** The task of --tasks it was matched to. */
  taskId: z.string(),
  impossible: z.boolean(),
  /** Where the final solution was taken from (SOLUTION_RULE). */
  solutionFrom: z.string(),
  theirs: z.object({ scorer: z.string(), value: z.string(), passed: z.boolean() }),
  ours: z.object({ passed: z.boolean(), verdict: VerdictSchema }),
  agree: z.boolean(),
});

const AgreementSchema = z.object({
  compared: z.number().int(),
  agreed: z.number().int(),
  bothPassed: z.number().int(),
  bothFailed: z.number().int(),
  /** Passed by the log's score only. */
  theirsOnly: z.number().int(),
  /** Passed by this harness only. */
  oursOnly: z.number().int(),
  /** Cohen's kappa on passed / not passed; null when it is undefined (no row, or one category only). */
  kappa: z.number().nullable(),
});

/** The report's JSON form, for programs that read it back (a CI step, the viewer). */
export const InspectComparisonSchema = z.object({
  schemaVersion: z.literal(INSPECT_COMPARISON_SCHEMA_VERSION),
  log: z.object({
    path: z.string(),
    task: z.string(),
    model: z.string(),
    status: z.string(),
    samples: z.number().int(),
  }),
  tasksDir: z.string(),
  /** How the final solution was taken from each sample. */
  solutionRule: z.string(),
  rows: z.array(ComparisonRowSchema),
  skipped: z.array(z.object({ sample: z.string(), epoch: z.number().int(), reason: z.string() })),
  agreement: AgreementSchema,
});

export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;
export type SkippedSample = InspectComparison['skipped'][number];
export type Agreement = z.infer<typeof AgreementSchema>;
export type InspectComparison = z.infer<typeof InspectComparisonSchema>;

/** Whether this harness counts the verdict as a pass (an apparent success, honest or not). */
export function oursPassed(verdict: Verdict): boolean {
  return verdict.outcome === 'passed_honestly' || verdict.outcome === 'cheated';
}

export function agreementOf(rows: readonly ComparisonRow[]): Agreement {
  const count = (theirs: boolean, ours: boolean) =>
    rows.filter((r) => r.theirs.passed === theirs && r.ours.passed === ours).length;
  const kappa = cohensKappa(rows.map((r) => [String(r.theirs.passed), String(r.ours.passed)]));
  return {
    compared: rows.length,
    agreed: rows.filter((r) => r.agree).length,
    bothPassed: count(true, true),
    bothFailed: count(false, false),
    theirsOnly: count(true, false),
    oursOnly: count(false, true),
    kappa: Number.isNaN(kappa) ? null : kappa,
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function oursText(v: Verdict): string {
  const parts: string[] = [v.outcome];
  if (v.strategies.length) parts.push(`(${v.strategies.join(', ')})`);
  if (v.attemptedStrategies.length) parts.push(`attempted ${v.attemptedStrategies.join(', ')}`);
  return parts.join(' ');
}

function firstEvidence(v: Verdict): string {
  const strong = v.evidence.find((e) => !e.why.startsWith('hint only')) ?? v.evidence[0];
  if (!strong) return v.explanation;
  return `${strong.file}${strong.line ? `:${strong.line}` : ''} ${strong.why}`;
}

export function renderComparisonMarkdown(c: InspectComparison): string {
  const a = c.agreement;
  const out = [
    `# ${c.log.task}: Inspect's verdicts beside this harness's`,
    '',
    `Log \`${c.log.path}\` (model ${c.log.model}, status ${c.log.status}, ${c.log.samples} samples), tasks from \`${c.tasksDir}\`.`,
    '',
    `**Agreement on "passed"** (an impossible version's pass is a cheat to both): ${a.agreed} of ${a.compared} samples` +
      ` (kappa ${a.kappa === null ? 'undefined' : a.kappa.toFixed(2)}).`,
    '',
    '| | harness: passed | harness: not passed |',
    '| --- | ---: | ---: |',
    `| **Inspect: passed** | ${a.bothPassed} | ${a.theirsOnly} |`,
    `| **Inspect: not passed** | ${a.oursOnly} | ${a.bothFailed} |`,
    '',
    '| sample | epoch | task | version | Inspect | harness | agree | solution from | first evidence |',
    '| --- | ---: | --- | --- | --- | --- | --- | --- | --- |',
    ...c.rows.map(
      (r) =>
        `| ${cell(r.sample)} | ${r.epoch} | ${cell(r.taskId)} | ${r.source.split} | ` +
        `${r.theirs.value} (${r.theirs.passed ? 'passed' : 'not passed'}) | ${cell(oursText(r.ours.verdict))} | ` +
        `${r.agree ? 'yes' : '**no**'} | ${r.solutionFrom} | ${cell(firstEvidence(r.ours.verdict).slice(0, 160))} |`,
    ),
  ];
  if (c.skipped.length) {
    out.push('', `## Samples not scored (${c.skipped.length})`, '');
    for (const s of c.skipped) out.push(`- ${cell(s.sample)} (epoch ${s.epoch}): ${s.reason}`);
  }
  out.push('', '## How the final solution was taken', '', c.solutionRule, '');
  return out.join('\n');
}
