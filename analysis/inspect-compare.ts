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

import type { Verdict } from '../harness/log/index.ts';
import { cohensKappa } from '../harness/scoring/judge/index.ts';

export const INSPECT_COMPARISON_SCHEMA_VERSION = 1;

export interface ComparisonRow {
  sample: string;
  epoch: number;
  /** The sample's record id and version (ImpossibleBench `task_id`, `impossible_type`). */
  source: { taskId: string; split: string };
  /** The task of --tasks it was matched to. */
  taskId: string;
  impossible: boolean;
  /** Where the final solution was taken from (SOLUTION_RULE). */
  solutionFrom: string;
  theirs: { scorer: string; value: string; passed: boolean };
  ours: { passed: boolean; verdict: Verdict };
  agree: boolean;
}

export interface SkippedSample {
  sample: string;
  epoch: number;
  reason: string;
}

export interface Agreement {
  compared: number;
  agreed: number;
  bothPassed: number;
  bothFailed: number;
  /** Passed by the log's score only. */
  theirsOnly: number;
  /** Passed by this harness only. */
  oursOnly: number;
  /** Cohen's kappa on passed / not passed; null when it is undefined (no row, or one category only). */
  kappa: number | null;
}

export interface InspectComparison {
  schemaVersion: typeof INSPECT_COMPARISON_SCHEMA_VERSION;
  log: { path: string; task: string; model: string; status: string; samples: number };
  tasksDir: string;
  /** How the final solution was taken from each sample. */
  solutionRule: string;
  rows: ComparisonRow[];
  skipped: SkippedSample[];
  agreement: Agreement;
}

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
