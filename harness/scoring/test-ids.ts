/**
 * Test-like definitions counted in source text, to tell a rewritten test file from junk. Expected test
 * ids are never read from text: the runner collects them (collect.ts).
 */
import { descendants, parseSource, type SyntaxNode } from './syntax.ts';
import type { Language } from './types.ts';

const JS_TEST_CALLEES = new Set(['test', 'it', 'describe', 'suite']);

/** The callee's base name of `test(...)`, `test.skip(...)`, `it.only(...)`, else undefined. */
function jsCalleeBase(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'member_expression') {
    const object = fn.childForFieldName('object');
    if (object?.type === 'identifier') return object.text;
  }
  return undefined;
}

/** Counts `def test...` and `test(` forms anywhere in a file, to tell a rewritten test file from junk. */
export function countTestLikeDefinitions(language: Language, path: string, source: string): number {
  const parsed = parseSource(path, language, source);
  let count = 0;
  for (const node of descendants(parsed.root)) {
    if (language === 'python' && node.type === 'function_definition') {
      if (node.childForFieldName('name')?.text.startsWith('test')) count++;
    }
    if (language === 'javascript' && node.type === 'call_expression') {
      const base = jsCalleeBase(node);
      if (base && JS_TEST_CALLEES.has(base)) count++;
    }
  }
  return count;
}
