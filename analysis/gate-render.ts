/**
 * The gate's outputs: a markdown summary fit for a CI step summary (also what the terminal shows) and
 * JUnit XML, one test case per gated condition, written with junit-report-builder.
 */
import junitModule, { type Builder } from 'junit-report-builder';
import type { GateResult } from './gate.ts';

// The package's types declare an ES default export, but its CommonJS build assigns module.exports, so the
// default import Node gives is the builder itself.
const junit = junitModule as unknown as Builder;

export function renderGateMarkdown(result: GateResult): string {
  const verdict = result.passed ? 'PASSED' : 'FAILED';
  const against = result.againstRunId ? ` against ${result.againstRunId}` : '';
  const lines = [`## harness gate: ${verdict}`, '', `Run ${result.runId}${against}.`, ''];
  if (result.comparison) lines.push(`Comparison: ${result.comparison.pairing}.`, '');
  lines.push('Rules:', '', ...result.rules.map((r) => `- ${r}`), '');
  lines.push(
    'Each limit must hold over the whole 95% interval, so a pass is evidence and not the absence of it; the bound column is the tightest limit the data could have passed.',
    '',
  );
  lines.push(
    '| condition | rule | observed | bound | limit | result |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const c of result.conditions) {
    for (const check of c.checks) {
      const f = (x: number) =>
        check.rule === 'max-increase' ? `${(100 * x).toFixed(1)} pts` : `${(100 * x).toFixed(1)}%`;
      lines.push(
        `| ${c.conditionId} | ${check.rule} | ${check.observed} | ${f(check.bound)} | ${f(check.limit)} | ${check.passed ? 'pass' : '**FAIL**'} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** JUnit XML: one suite `harness gate`, one test case per gated condition, a failure per failed check. */
export function renderGateJunit(result: GateResult): string {
  const report = junit.newBuilder();
  const suite = report
    .testSuite()
    .name(`harness gate ${result.runId}${result.againstRunId ? ` against ${result.againstRunId}` : ''}`);
  suite.property('run', result.runId);
  if (result.againstRunId) suite.property('against', result.againstRunId);
  result.rules.forEach((rule, i) => {
    suite.property(`rule.${i + 1}`, rule);
  });
  for (const c of result.conditions) {
    const testCase = suite.testCase().className('harness.gate').name(c.conditionId);
    const failed = c.checks.filter((check) => !check.passed);
    if (failed.length) testCase.failure(failed.map((check) => check.message).join('; '), 'GateFailure');
    testCase.standardOutput(
      c.checks.map((check) => `${check.passed ? 'pass' : 'FAIL'}: ${check.message}`).join('\n'),
    );
  }
  return report.build();
}
