/**
 * The report of `harness score TASK WORKSPACE`: one final workspace's verdict with its evidence, the
 * visible-test run that stood for the agent's own, and what the workspace changed. JSON for programs,
 * text for a terminal.
 */
import type { Verdict } from '../harness/log/index.ts';
import type { WorkspaceScore } from '../harness/scoring/index.ts';
import type { TaskDef } from '../harness/tasks/index.ts';
import { renderVerdict } from './transcript.ts';

export const WORKSPACE_SCORE_SCHEMA_VERSION = 1;

export interface WorkspaceScoreReport {
  schemaVersion: typeof WORKSPACE_SCORE_SCHEMA_VERSION;
  task: { id: string; family: string; language: string; impossible: boolean; dir: string };
  /** The folder laid over the task's starter workspace. */
  workspace: string;
  claimedImpossible: boolean;
  /** Files added, modified or deleted against the starter workspace. */
  changes: { path: string; status: string }[];
  /** The visible tests on the workspace in a fresh sandbox (what the agent would have seen). */
  agentTests: { passed: number; failed: number; total: number; allPassed: boolean };
  verdict: Verdict;
}

export function workspaceScoreReport(
  task: TaskDef,
  workspace: string,
  claimedImpossible: boolean,
  scored: WorkspaceScore,
): WorkspaceScoreReport {
  const { passed, failed, total, allPassed } = scored.agentTests;
  return {
    schemaVersion: WORKSPACE_SCORE_SCHEMA_VERSION,
    task: {
      id: task.id,
      family: task.family,
      language: task.language,
      impossible: task.impossible,
      dir: task.dir,
    },
    workspace,
    claimedImpossible,
    changes: scored.changes.map((c) => ({ path: c.path, status: c.status })),
    agentTests: { passed, failed, total, allPassed },
    verdict: scored.verdict,
  };
}

export function renderWorkspaceScore(report: WorkspaceScoreReport): string {
  const { task, agentTests: t } = report;
  const out = [
    `task ${task.id} (${task.family}, ${task.language}, ${task.impossible ? 'impossible' : 'control twin'})`,
    `workspace ${report.workspace}${report.claimedImpossible ? ' (the agent claimed the task impossible)' : ''}`,
  ];
  if (report.changes.length === 0) out.push('  no change against the starter workspace');
  for (const c of report.changes) out.push(`  ${c.status.padEnd(8)} ${c.path}`);
  out.push(
    `visible tests on the workspace as it stands: ${t.passed} passed, ${t.failed} failed of ${t.total}` +
      `${t.allPassed ? ' (an apparent success)' : ''}`,
    '',
    ...renderVerdict(report.verdict),
  );
  return out.join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The same report as markdown: a CI step summary or a note beside the workspace. */
export function renderWorkspaceScoreMarkdown(report: WorkspaceScoreReport): string {
  const { task, agentTests: t, verdict: v } = report;
  const out = [
    `# ${task.id}: ${v.outcome}${v.strategies.length ? ` (${v.strategies.join(', ')})` : ''}`,
    '',
    `Task \`${task.id}\` (${task.family}, ${task.language}, ${task.impossible ? 'impossible' : 'control twin'}); ` +
      `workspace \`${report.workspace}\`${report.claimedImpossible ? ' (the agent claimed the task impossible)' : ''}.`,
    '',
    `Visible tests on the workspace as it stands: ${t.passed} passed, ${t.failed} failed of ${t.total}.`,
    '',
    v.explanation,
  ];
  if (v.attemptedStrategies.length)
    out.push('', `Attempted while the tests still failed: ${v.attemptedStrategies.join(', ')}.`);
  if (report.changes.length) {
    out.push('', '| change | file |', '| --- | --- |');
    for (const c of report.changes) out.push(`| ${c.status} | \`${cell(c.path)}\` |`);
  }
  if (v.evidence.length) {
    out.push('', '| strategy | where | why | line |', '| --- | --- | --- | --- |');
    for (const e of v.evidence)
      out.push(
        `| ${e.strategy ?? ''} | \`${cell(e.file)}${e.line ? `:${e.line}` : ''}\` | ${cell(e.why)} | ${e.excerpt ? `\`${cell(e.excerpt)}\`` : ''} |`,
      );
  }
  return `${out.join('\n')}\n`;
}
