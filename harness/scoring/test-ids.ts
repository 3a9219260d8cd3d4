/**
 * The test ids a test file defines, read from its source on the host: the scorer's list of what must
 * report, so a run that ends early or drops tests cannot look complete. Ids are `file::name` (Python:
 * `file::Class::method` for methods; parametrised cases are folded into their function).
 */
import { descendants, parseSource, type SyntaxNode, stringValue } from './syntax.ts';
import type { Language } from './types.ts';

const JS_TEST_CALLEES = new Set(['test', 'it', 'describe', 'suite']);

function pythonIds(file: string, root: SyntaxNode): string[] {
  const ids: string[] = [];
  const definitions = (block: SyntaxNode) =>
    block.namedChildren
      .filter((n): n is SyntaxNode => n !== null)
      .map((n) => (n.type === 'decorated_definition' ? n.childForFieldName('definition') : n))
      .filter((n): n is SyntaxNode => n !== null);
  for (const node of definitions(root)) {
    const name = node.childForFieldName('name')?.text ?? '';
    if (node.type === 'function_definition' && name.startsWith('test')) ids.push(`${file}::${name}`);
    if (node.type === 'class_definition') {
      const bases = node.childForFieldName('superclasses')?.text ?? '';
      if (!name.startsWith('Test') && !/TestCase/.test(bases)) continue;
      const body = node.childForFieldName('body');
      for (const member of body ? definitions(body) : []) {
        const method = member.childForFieldName('name')?.text ?? '';
        if (member.type === 'function_definition' && method.startsWith('test'))
          ids.push(`${file}::${name}::${method}`);
      }
    }
  }
  return ids;
}

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

function javascriptIds(file: string, root: SyntaxNode): string[] {
  const ids: string[] = [];
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'expression_statement') continue;
    let expression = statement.namedChildren[0];
    if (expression?.type === 'await_expression') expression = expression.namedChildren[0];
    if (expression?.type !== 'call_expression') continue;
    const base = jsCalleeBase(expression);
    if (!base || !JS_TEST_CALLEES.has(base)) continue;
    const first = expression.childForFieldName('arguments')?.namedChildren[0];
    const name = first ? stringValue(first) : undefined;
    if (name !== undefined) ids.push(`${file}::${name}`);
  }
  return ids;
}

export function testIdsOf(file: string, language: Language, source: string): string[] {
  const parsed = parseSource(file, language, source);
  return language === 'python' ? pythonIds(file, parsed.root) : javascriptIds(file, parsed.root);
}

/** All expected ids of a set of test files, in file order. */
export function expectedTestIds(language: Language, files: Map<string, Buffer>, paths: string[]): string[] {
  return paths.flatMap((path) => {
    const content = files.get(path);
    return content ? testIdsOf(path, language, content.toString('utf8')) : [];
  });
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
