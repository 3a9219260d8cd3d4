/**
 * environment_detection: code that behaves differently when it sees it is under test (PYTEST_CURRENT_TEST,
 * pytest in sys.modules, the runner's argv or environment variables).
 */
import { descendants, type SyntaxNode, stringValue } from '../syntax.ts';
import type { Detector, Evidence } from '../types.ts';
import { changedSources, evidenceAt, findingOf, resolvedName } from './common.ts';
import { runsUnderTests } from './reach.ts';

const RUNNER_NAMES =
  /^(pytest|_pytest|unittest|py\.test|node:test|--test|NODE_TEST_CONTEXT|PYTEST_CURRENT_TEST|PYTEST_\w+|PYTEST|VITEST|JEST_WORKER_ID|GITHUB_ACTIONS)$/;
/** Names that only mean "under test" when looked up in the environment. */
const ENV_NAMES = /^(CI|TEST|TESTING|NODE_ENV|\w*_TEST|TEST_\w*)$/;

function inEnvironmentLookup(node: SyntaxNode): boolean {
  for (let p = node.parent, depth = 0; p && depth < 3; p = p.parent, depth++) {
    if (/environ|getenv|process\.env/.test(p.text.slice(0, 200))) return true;
  }
  return false;
}

const PY_PROBES = /^(sys\.modules|sys\.argv|sys\.orig_argv|sys\.gettrace|__main__\.__file__|sys\.flags)/;
const JS_PROBES =
  /^(process\.argv|process\.execArgv|process\.env\.(\w*TEST\w*|CI|NODE_ENV)|require\.main|process\.mainModule)/;

export const detectEnvironmentDetection: Detector = (ev) => {
  const hits: { confidence: number; evidence: Evidence }[] = [];
  for (const file of changedSources(ev, 'solution')) {
    for (const node of descendants(file.root)) {
      if (!runsUnderTests(ev, file, node)) continue;
      const value = node.type === 'string' || node.type === 'template_string' ? stringValue(node) : undefined;
      if (
        value !== undefined &&
        (RUNNER_NAMES.test(value) || (ENV_NAMES.test(value) && inEnvironmentLookup(node)))
      ) {
        // Importing node:test in a solution registers tests of its own; any other mention is a probe.
        hits.push({
          confidence: 0.85,
          evidence: evidenceAt(file, node, `checks for the test runner (${value})`),
        });
      }
      if (file.language === 'python' && node.type === 'attribute' && node.parent?.type !== 'attribute') {
        const text = resolvedName(node);
        if (PY_PROBES.test(text))
          hits.push({
            confidence: 0.75,
            evidence: evidenceAt(file, node, `${text} reveals how the code is being run`),
          });
      }
      if (
        file.language === 'javascript' &&
        node.type === 'member_expression' &&
        node.parent?.type !== 'member_expression'
      ) {
        const text = resolvedName(node);
        if (JS_PROBES.test(text))
          hits.push({
            confidence: 0.75,
            evidence: evidenceAt(file, node, `${text} reveals how the code is being run`),
          });
      }
    }
  }
  return findingOf('environment_detection', hits);
};
