/**
 * What code runs when: whether code can run when the tests import a file (module level, or a function
 * or class reached from what the tests use), and whether it runs when a particular held-out test runs.
 */
import { languageOf, type ParsedFile, parseSource, type SyntaxNode } from '../syntax.ts';
import type { EpisodeEvidence } from '../types.ts';
import { argumentsOf, dotted, inMainGuard } from './common.ts';

const UNIT_TYPES = new Set([
  'function_definition',
  'class_definition',
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
]);

/** A top-level function or class of a file with its name, or the arrow/function a top-level const holds. */
function topLevelUnits(root: SyntaxNode): { name: string; node: SyntaxNode; exported: boolean }[] {
  const units: { name: string; node: SyntaxNode; exported: boolean }[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const exported = statement.type === 'export_statement';
    let inner: SyntaxNode | null = exported ? statement.childForFieldName('declaration') : statement;
    if (inner?.type === 'decorated_definition') inner = inner.childForFieldName('definition');
    if (!inner) continue;
    if (UNIT_TYPES.has(inner.type)) {
      const name = inner.childForFieldName('name')?.text;
      if (name) units.push({ name, node: inner, exported });
    }
    if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration') {
      for (const declarator of inner.namedChildren) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (name?.type === 'identifier' && value && /function|arrow_function|class/.test(value.type))
          units.push({ name: name.text, node: value, exported });
      }
    }
  }
  return units;
}

function identifiersIn(node: SyntaxNode, skip: (n: SyntaxNode) => boolean, into: Set<string>): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (skip(n)) continue;
    if (n.type === 'identifier' || n.type === 'property_identifier') into.add(n.text);
    for (const child of n.children) if (child) stack.push(child);
  }
}

const testNamesCache = new WeakMap<object, Set<string>>();

/** Every identifier the visible and held-out tests mention: what the tests can call. */
function testNames(ev: EpisodeEvidence): Set<string> {
  const known = testNamesCache.get(ev.task);
  if (known) return known;
  const names = new Set<string>();
  const sources: [string, Buffer | undefined][] = [
    ...ev.task.visibleTests.map((p) => [p, ev.task.workspace.get(p)] as [string, Buffer | undefined]),
    ...[...ev.task.hidden].filter(([p]) => languageOf(p) === ev.task.language),
  ];
  for (const [path, content] of sources) {
    if (!content) continue;
    identifiersIn(parseSource(path, ev.task.language, content.toString('utf8')).root, () => false, names);
  }
  testNamesCache.set(ev.task, names);
  return names;
}

const unitsCache = new WeakMap<object, { units: Set<number>; reachable: Set<number> }>();

/**
 * Whether code at `node` can run when the tests import the file: it is at module level (outside the
 * `__main__` guard), or inside a top-level function or class that is reached from module-level code, from
 * a name the tests use, from an export, or from another reachable one (by name, transitively). A
 * `sys.exit` inside a `main()` that only the `__main__` guard calls cannot run under the tests.
 */
export function runsUnderTests(ev: EpisodeEvidence, file: ParsedFile, node: SyntaxNode): boolean {
  if (inMainGuard(node)) return false;
  let info = unitsCache.get(file.root.tree);
  if (!info) {
    const units = topLevelUnits(file.root);
    const unitIds = new Set(units.map((u) => u.node.id));
    const seeds = new Set(testNames(ev));
    identifiersIn(file.root, (n) => unitIds.has(n.id) || inMainGuard(n), seeds);
    const reachable = new Set<number>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const unit of units) {
        // A test runner calls test functions and classes by their names.
        const called = unit.exported || seeds.has(unit.name) || /^(test|Test)/.test(unit.name);
        if (reachable.has(unit.node.id) || !called) continue;
        reachable.add(unit.node.id);
        identifiersIn(unit.node, () => false, seeds);
        grew = true;
      }
    }
    info = { units: unitIds, reachable };
    unitsCache.set(file.root.tree, info);
  }
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    if (info.units.has(p.id)) return info.reachable.has(p.id);
  }
  return true;
}

/** The name a module-level value is bound to (`TABLE = {...}`, `const TABLE = {...}`), if any. */
function boundName(node: SyntaxNode): string | undefined {
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    if (p.type === 'assignment') return p.childForFieldName('left')?.text;
    if (p.type === 'variable_declarator') return p.childForFieldName('name')?.text;
  }
  return undefined;
}

/**
 * Whether code at `node` runs when the names in `called` are called: it sits in a top-level function or
 * class reached from them (by name, transitively through the names each reached unit mentions), or at
 * module level in a value bound to a name such a unit (or `called` itself) mentions.
 */
export function reachedFrom(file: ParsedFile, node: SyntaxNode, called: Set<string>): boolean {
  const units = topLevelUnits(file.root);
  const names = new Set(called);
  const reachable = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (reachable.has(unit.node.id) || !names.has(unit.name)) continue;
      reachable.add(unit.node.id);
      identifiersIn(unit.node, () => false, names);
      grew = true;
    }
  }
  const unitIds = new Set(units.map((u) => u.node.id));
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    if (unitIds.has(p.id)) return reachable.has(p.id);
  }
  const bound = boundName(node);
  return bound !== undefined && names.has(bound);
}

/**
 * The names a held-out test uses, read from its source: the body of `def <name>` (Python, methods
 * included) or of `test('<name>', ...)` / `it(...)` (JavaScript). A differential test uses the task's
 * declared function. Undefined when the test cannot be found.
 */
export function namesUsedByTest(ev: EpisodeEvidence, id: string): Set<string> | undefined {
  const known = namesByTest.get(ev.task) ?? new Map<string, Set<string> | undefined>();
  namesByTest.set(ev.task, known);
  if (!known.has(id)) known.set(id, findNamesUsedByTest(ev, id));
  return known.get(id);
}

const namesByTest = new WeakMap<object, Map<string, Set<string> | undefined>>();

function findNamesUsedByTest(ev: EpisodeEvidence, id: string): Set<string> | undefined {
  if (id.startsWith('differential::'))
    return ev.task.differential ? new Set([ev.task.differential.function]) : undefined;
  const parts = id.split('::');
  const path = parts[0]!;
  const name = parts.at(-1)!;
  const content = ev.task.hidden.get(path);
  const language = languageOf(path);
  if (!content || !language) return undefined;
  const root = parseSource(path, language, content.toString('utf8')).root;
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const named =
      (n.type === 'function_definition' && n.childForFieldName('name')?.text === name) ||
      (n.type === 'call_expression' &&
        /^(test|it)(\.only)?$/.test(dotted(n.childForFieldName('function'))) &&
        argumentsOf(n)[0]?.type === 'string' &&
        argumentsOf(n)[0]!.text.slice(1, -1) === name);
    if (named) {
      const names = new Set<string>();
      identifiersIn(n, () => false, names);
      return names;
    }
    for (const child of n.children) if (child) stack.push(child);
  }
  return undefined;
}
