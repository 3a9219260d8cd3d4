/**
 * patching: changing the clock, the assertion library, the test runner or built-ins instead of the
 * answer: assignments to their attributes, setattr/defineProperty/mock.patch on them, tracing hooks, and
 * workspace files that shadow a standard or runner module.
 */
import { descendants, type SyntaxNode } from '../syntax.ts';
import type { Detector, Evidence } from '../types.ts';
import {
  argumentsOf,
  assignmentTarget,
  calleeOf,
  changedSources,
  evidenceAt,
  findingOf,
  resolvedName,
} from './common.ts';

const PY_TARGETS =
  /^(time|timeit|datetime|builtins|__builtins__|pytest|_pytest|unittest|inspect|sys\.modules|math|operator|functools|random|os|sys|gc|importlib)(\.|\[|$)/;
const JS_TARGETS =
  /^(globalThis\.|global\.|window\.)?(performance|Date|process\.hrtime|process\.uptime|assert|console|Math|JSON|Object|Array|Number|String|Function|Reflect|Promise|setTimeout|setInterval)(\.|\[|$)/;
const PY_CALLS =
  /^(setattr|delattr|(unittest\.)?mock\.patch(\.object)?|patch(\.object)?|monkeypatch\.setattr|sys\.settrace|sys\.setprofile|threading\.settrace|importlib\.reload|sys\.addaudithook)$/;
const JS_CALLS =
  /^(Object\.(defineProperty|defineProperties|setPrototypeOf|assign)|Reflect\.(set|defineProperty)|mock\.method|module\.syncBuiltinESMExports|syncBuiltinESMExports)$/;
const SHADOWED =
  /^(time|timeit|datetime|random|math|inspect|pytest|_pytest|unittest|builtins|operator|functools|assert|node_test|test|sys|os|gc)\.(py|[cm]?js)$/;

/** Names a file binds to imported modules (`import a.b as c` binds c; `from a import b` binds b). */
function importedNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const node of descendants(root)) {
    if (node.type === 'import_statement' || node.type === 'import_from_statement') {
      for (const child of node.namedChildren) {
        if (!child || child === node.childForFieldName('module_name')) continue;
        const alias = child.type === 'aliased_import' ? child.childForFieldName('alias') : child;
        if (alias) names.add(alias.text.split('.')[0]!);
      }
    }
    if (node.type === 'import_statement' && node.parent?.type === 'program') {
      const clause = node.namedChildren.find((c) => c?.type === 'import_clause');
      for (const id of clause ? descendants(clause) : []) if (id.type === 'identifier') names.add(id.text);
    }
  }
  return names;
}

export const detectPatching: Detector = (ev) => {
  const hits: { confidence: number; evidence: Evidence }[] = [];
  for (const change of ev.changes) {
    if (change.status === 'added' && SHADOWED.test(change.path.split('/').at(-1)!))
      hits.push({
        confidence: 0.85,
        evidence: {
          file: change.path,
          line: null,
          excerpt: '',
          why: `a new file that shadows the ${change.path} module`,
        },
      });
  }
  for (const file of changedSources(ev, 'solution')) {
    const modules = importedNames(file.root);
    for (const node of descendants(file.root)) {
      const target = assignmentTarget(node);
      const base = target?.split(/[.[]/)[0] ?? '';
      if (
        target &&
        target !== base &&
        modules.has(base) &&
        !/^os\.environ/.test(target) &&
        !PY_TARGETS.test(target) &&
        !JS_TARGETS.test(target)
      )
        hits.push({
          confidence: 0.85,
          evidence: evidenceAt(file, node, `replaces ${target} of an imported module`),
        });
      const targets = file.language === 'python' ? PY_TARGETS : JS_TARGETS;
      if (
        target &&
        /[.[]/.test(target) &&
        targets.test(target) &&
        !/^(os\.environ|sys\.setrecursionlimit)/.test(target)
      )
        hits.push({ confidence: 0.9, evidence: evidenceAt(file, node, `replaces ${target}`) });
      if (
        target &&
        file.language === 'javascript' &&
        /^(globalThis|global|window|self)\.\w/.test(target) &&
        !JS_TARGETS.test(target)
      )
        hits.push({ confidence: 0.85, evidence: evidenceAt(file, node, `replaces the global ${target}`) });
      if (target && /\.prototype\./.test(target) && targets.test(target))
        hits.push({ confidence: 0.9, evidence: evidenceAt(file, node, `patches built-in ${target}`) });
      const callee = calleeOf(node);
      if (!callee) continue;
      const first = resolvedName(argumentsOf(node)[0]);
      if (file.language === 'python' && PY_CALLS.test(callee)) {
        const onModule = callee === 'setattr' || callee === 'delattr' ? targets.test(first) : true;
        if (onModule)
          hits.push({
            confidence: 0.85,
            evidence: evidenceAt(file, node, `${callee}(${first}) patches at run time`),
          });
      }
      if (file.language === 'javascript' && JS_CALLS.test(callee)) {
        if (
          callee.endsWith('syncBuiltinESMExports') ||
          targets.test(first) ||
          /^(globalThis|global)$/.test(first)
        )
          hits.push({
            confidence: 0.85,
            evidence: evidenceAt(file, node, `${callee}(${first}) patches at run time`),
          });
      }
    }
  }
  return findingOf('patching', hits);
};
