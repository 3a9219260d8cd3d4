/**
 * HumanEval-style tests (`def check(candidate): assert candidate(...) == ...`) turned into a pytest file
 * with one test per assertion, so a failure names its case. Statements of `check` that assert nothing
 * (assignments, helpers) are kept, in order, ahead of every later case; a compound statement holding an
 * assertion (a loop of asserts) is one case. Everything outside `check` is kept at module level, and
 * `candidate` is the solution's entry point imported from the solution module.
 */
import { descendants, parseSource, type SyntaxNode } from '../../scoring/index.ts';

export interface ConvertedTests {
  /** The pytest file. */
  source: string;
  /** Per case: its test name and the statement it asserts (as written in `check`). */
  cases: { name: string; statement: string }[];
}

/** Why a check() source cannot be converted; thrown by checkToPytest. */
export class CheckConversionError extends Error {}

function indentOf(source: string, node: SyntaxNode): string {
  const line = source.split('\n')[node.startPosition.row] ?? '';
  return /^[ \t]*/.exec(line)![0];
}

function containsAssert(node: SyntaxNode): boolean {
  for (const d of descendants(node)) if (d.type === 'assert_statement') return true;
  return false;
}

/** The statement as a normalised string, to compare cases between versions of one problem. */
export function normaliseStatement(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Converts `check(candidate)` test code to pytest. `module` and `entryPoint` name the solution's import
 * (`from solution import f as candidate`). Throws CheckConversionError when there is no `def check` with
 * one parameter, when the code does not parse, or when check holds no assertion.
 */
export function checkToPytest(test: string, module: string, entryPoint: string): ConvertedTests {
  const parsed = parseSource('test.py', 'python', test);
  if (parsed.hasError) throw new CheckConversionError('the test code does not parse as Python');
  const top = parsed.root.namedChildren.filter((n): n is SyntaxNode => n !== null);
  const isCheck = (n: SyntaxNode) =>
    n.type === 'function_definition' && n.childForFieldName('name')?.text === 'check';
  const checks = top.filter(isCheck);
  if (checks.length !== 1)
    throw new CheckConversionError(
      `expected one top-level def check(candidate), found ${checks.length === 0 ? 'none' : checks.length}`,
    );
  const check = checks[0]!;
  const params = check.childForFieldName('parameters')?.namedChildren.filter((n) => n !== null) ?? [];
  if (params.length !== 1)
    throw new CheckConversionError(
      `expected check to take one parameter (candidate), found ${params.length}`,
    );
  const parameter = params[0]!.text;
  const body =
    check.childForFieldName('body')?.namedChildren.filter((n): n is SyntaxNode => n !== null) ?? [];
  const statements = body.filter((n) => n.type !== 'comment');
  const caseCount = statements.filter(containsAssert).length;
  if (caseCount === 0) throw new CheckConversionError('check(candidate) holds no assertion');

  const width = String(caseCount).length;
  const setup: string[] = [];
  const cases: ConvertedTests['cases'] = [];
  const functions: string[] = [];
  for (const statement of statements) {
    const text = `${indentOf(test, statement)}${statement.text}`;
    if (!containsAssert(statement)) {
      setup.push(text);
      continue;
    }
    const name = `test_case_${String(cases.length + 1).padStart(width, '0')}`;
    cases.push({ name, statement: statement.text });
    functions.push(`def ${name}():\n${[...setup, text].join('\n')}\n`);
  }
  const preamble = top
    .filter((n) => !isCheck(n))
    .map((n) => n.text)
    .join('\n\n');
  const header = `from ${module} import ${entryPoint} as ${parameter}\n`;
  const source = [header, ...(preamble ? [`${preamble}\n`] : []), ...functions].join('\n\n');
  return { source, cases };
}

/**
 * The starter module: the prompt (signature and docstring) with `raise NotImplementedError` as the body
 * of the entry point when the prompt gives it no statement beyond its docstring. Throws
 * CheckConversionError when the prompt has no top-level `def <entryPoint>`.
 */
export function starterFromPrompt(prompt: string, entryPoint: string): string {
  const parsed = parseSource('prompt.py', 'python', prompt);
  const fn = parsed.root.namedChildren.find(
    (n) => n?.type === 'function_definition' && n.childForFieldName('name')?.text === entryPoint,
  );
  if (!fn) throw new CheckConversionError(`the prompt has no top-level def ${entryPoint}(...)`);
  const body = fn.childForFieldName('body');
  const statements =
    body?.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment') ?? [];
  const onlyDocstring =
    statements.length === 0 ||
    (statements.length === 1 &&
      statements[0]!.type === 'expression_statement' &&
      statements[0]!.namedChildren[0]?.type === 'string');
  if (!onlyDocstring && !parsed.hasError) return prompt.endsWith('\n') ? prompt : `${prompt}\n`;
  // The body's indentation, from its docstring if there is one, else four spaces past the def.
  const indent = statements[0] ? indentOf(prompt, statements[0]) : `${indentOf(prompt, fn)}    `;
  const lines = prompt.split('\n');
  const end = statements[0] ? statements[0].endPosition.row : fn.endPosition.row;
  const before = lines.slice(0, end + 1).join('\n');
  const after = lines
    .slice(end + 1)
    .join('\n')
    .trimEnd();
  return `${before}\n${indent}raise NotImplementedError\n${after ? `${after}\n` : ''}`;
}
