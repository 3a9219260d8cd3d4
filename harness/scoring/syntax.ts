/**
 * Real parsers for the static detectors: tree-sitter grammars for Python and JavaScript, compiled to
 * WebAssembly (no native build). Loading is async and happens once; parsing afterwards is synchronous
 * so that detectors stay plain functions.
 */
import { createRequire } from 'node:module';
import { Language as TsLanguage, type Node, Parser } from 'web-tree-sitter';
import type { Language } from './types.ts';

export type { Node as SyntaxNode } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const GRAMMARS: Record<Language, string> = {
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
};

let parsers: Promise<Record<Language, Parser>> | undefined;
let ready: Record<Language, Parser> | undefined;

async function load(): Promise<Record<Language, Parser>> {
  await Parser.init();
  const make = async (language: Language) => {
    const parser = new Parser();
    parser.setLanguage(await TsLanguage.load(require.resolve(GRAMMARS[language])));
    return parser;
  };
  ready = { python: await make('python'), javascript: await make('javascript') };
  return ready;
}

/** Loads both grammars; call (and await) before parsing. */
export function initSyntax(): Promise<void> {
  parsers ??= load();
  return parsers.then(() => undefined);
}

export function languageOf(path: string): Language | undefined {
  if (path.endsWith('.py')) return 'python';
  if (/\.(js|mjs|cjs)$/.test(path)) return 'javascript';
  return undefined;
}

export interface ParsedFile {
  path: string;
  language: Language;
  source: string;
  root: Node;
  /** Whether the parser had to recover from syntax errors. */
  hasError: boolean;
}

export function parseSource(path: string, language: Language, source: string): ParsedFile {
  if (!ready) throw new Error('initSyntax() must finish before parsing');
  const tree = ready[language].parse(source);
  if (!tree) throw new Error(`the ${language} parser returned no tree for ${path}`);
  return { path, language, source, root: tree.rootNode, hasError: tree.rootNode.hasError };
}

/** Every node below (and including) root, depth first. */
export function* descendants(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
}

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** The source line a node starts on, trimmed and capped, for evidence. */
export function excerptAt(source: string, line: number): string {
  const text = (source.split('\n')[line - 1] ?? '').trim();
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Whether a node sits inside a function or method body (as opposed to module level). */
export function insideFunction(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (
      [
        'function_definition',
        'lambda',
        'function_declaration',
        'function_expression',
        'arrow_function',
        'method_definition',
        'generator_function_declaration',
      ].includes(p.type)
    )
      return true;
  }
  return false;
}

/** The string value of a string literal node (quotes removed, no escape processing), else undefined. */
export function stringValue(node: Node): string | undefined {
  if (node.type === 'string' || node.type === 'template_string') {
    const text = node.text;
    const match = /^[rRbBuUfF]*("""|'''|"|'|`)([\s\S]*)\1$/.exec(text);
    return match ? match[2] : undefined;
  }
  return undefined;
}
