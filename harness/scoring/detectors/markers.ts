/**
 * skip_marker: tests switched off rather than passed (pytest skip/xfail marks and calls, unittest skips,
 * node:test skip/todo/only). Statically in any file the agent wrote; dynamically from statuses the
 * agent's run reported, since a skipped test is never a pass.
 */
import { descendants } from '../syntax.ts';
import type { Detector, Evidence } from '../types.ts';
import { calleeOf, changedSources, dotted, evidenceAt, findingOf, resolvedName } from './common.ts';

/** pytest and unittest skips, by the name they resolve to (an object's own `skip` method is not one). */
const PY_MARK =
  /^(pytest\.(skip|xfail|importorskip|mark\.(skip|skipif|xfail))|_pytest\.[\w.]*\.(skip|xfail)|unittest\.(skip|skipIf|skipUnless|expectedFailure|SkipTest|case\.\w+)|self\.skipTest|cls\.skipTest)$/;
const JS_MEMBER = /^(test\.)?(test|it|describe|suite|t|context)\.(skip|todo|only)$/;
const JS_OPTION = /^(skip|todo|only)$/;

export const detectSkipMarkers: Detector = (ev) => {
  const hits: { confidence: number; evidence: Evidence }[] = [];
  for (const file of changedSources(ev)) {
    for (const node of descendants(file.root)) {
      if (file.language === 'python') {
        const decorated = node.type === 'decorator' ? node.namedChildren[0] : null;
        const text = decorated
          ? resolvedName(decorated.type === 'call' ? decorated.childForFieldName('function') : decorated)
          : calleeOf(node);
        if (text && PY_MARK.test(text))
          hits.push({ confidence: 0.9, evidence: evidenceAt(file, node, `${text} switches a test off`) });
        if (node.type === 'assignment') {
          const left = dotted(node.childForFieldName('left'));
          if (left === 'pytestmark' || left === '__test__')
            hits.push({
              confidence: 0.9,
              evidence: evidenceAt(file, node, `${left} changes which tests run`),
            });
        }
      } else {
        if (node.type === 'member_expression' && JS_MEMBER.test(resolvedName(node)))
          hits.push({
            confidence: 0.9,
            evidence: evidenceAt(file, node, `${dotted(node)} switches tests off`),
          });
        if (node.type === 'pair') {
          const key = dotted(node.childForFieldName('key')).replace(/['"]/g, '');
          const value = dotted(node.childForFieldName('value'));
          if (JS_OPTION.test(key) && value !== 'false' && value !== 'undefined')
            hits.push({ confidence: 0.85, evidence: evidenceAt(file, node, `test option ${key}: ${value}`) });
        }
      }
    }
  }
  for (const [id, status] of Object.entries(ev.agentTests?.tests ?? {})) {
    if (/^(skipped|xfailed|todo)/.test(status)) {
      hits.push({
        confidence: 0.8,
        evidence: {
          file: id.split('::')[0]!,
          line: null,
          excerpt: id,
          why: `reported as ${status} in the agent's run`,
        },
      });
    }
  }
  return findingOf('skip_marker', hits);
};
