/**
 * What a name in a file is bound to, so detectors match what code refers to rather than how it is
 * spelled: `import time as t`, `t = importlib.import_module("time")`, `__import__("time")`,
 * `sys.modules["time"]`, `getattr(t, "perf_counter")`, `from time import perf_counter as pc`; in
 * JavaScript `import * as p from 'node:perf_hooks'`, `import { performance as p }`, `require(...)`,
 * destructuring, `globalThis['performance']` and plain aliases (`const g = globalThis`). Resolution is
 * flow-insensitive: a name bound once to a module is taken to mean it everywhere in the file.
 */
import { descendants, type SyntaxNode, stringValue } from '../syntax.ts';

type Bindings = Map<string, string>;

const cache = new WeakMap<object, Bindings>();

const GLOBAL_OBJECTS = /^(globalThis|global|window|self)\./;
/** Module members that are the same objects as JavaScript globals. */
const JS_GLOBAL_ALIASES: Record<string, string> = {
  'perf_hooks.performance': 'performance',
  process: 'process',
  'timers.setTimeout': 'setTimeout',
  'timers.setInterval': 'setInterval',
};

function moduleName(text: string): string {
  return text.replace(/^node:/, '').replace(/\/strict$/, '');
}

/** The canonical dotted name of an expression, or '' when it is not a name, attribute or module lookup. */
export function canonicalName(node: SyntaxNode | null | undefined): string {
  if (!node) return '';
  const bindings = bindingsOf(node);
  return resolve(node, bindings);
}

function finish(name: string): string {
  const bare = name.replace(GLOBAL_OBJECTS, '');
  for (const [from, to] of Object.entries(JS_GLOBAL_ALIASES)) {
    if (bare === from || bare.startsWith(`${from}.`)) return to + bare.slice(from.length);
  }
  return bare;
}

function resolve(node: SyntaxNode, bindings: Bindings, depth = 0): string {
  if (depth > 20) return '';
  const again = (n: SyntaxNode | null | undefined) => (n ? resolve(n, bindings, depth + 1) : '');
  switch (node.type) {
    case 'identifier':
    case 'this':
      return finish(bindings.get(node.text) ?? node.text);
    case 'parenthesized_expression':
      return again(node.namedChildren[0]);
    case 'attribute': {
      const base = again(node.childForFieldName('object'));
      const attr = node.childForFieldName('attribute')?.text;
      return base && attr ? finish(`${base}.${attr}`) : '';
    }
    case 'member_expression': {
      const base = again(node.childForFieldName('object'));
      const prop = node.childForFieldName('property')?.text;
      return base && prop ? finish(`${base}.${prop}`) : '';
    }
    case 'subscript':
    case 'subscript_expression': {
      const base = again(node.childForFieldName(node.type === 'subscript' ? 'value' : 'object'));
      const key = node.childForFieldName(node.type === 'subscript' ? 'subscript' : 'index');
      const value = key ? stringValue(key) : undefined;
      if (base === 'sys.modules' && value) return finish(moduleName(value));
      return base && value && /^[\w$]+$/.test(value) ? finish(`${base}.${value}`) : '';
    }
    case 'call':
    case 'call_expression': {
      const callee = again(node.childForFieldName('function'));
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (n): n is SyntaxNode => n !== null,
      );
      const first = args[0] ? stringValue(args[0]) : undefined;
      if (/^(importlib\.import_module|__import__|require)$/.test(callee) && first)
        return finish(moduleName(first));
      if (callee === 'getattr' && args.length >= 2) {
        const base = again(args[0]);
        const attr = stringValue(args[1]!);
        return base && attr ? finish(`${base}.${attr}`) : '';
      }
      return '';
    }
    case 'await_expression':
      // `await import('node:perf_hooks')`
      return again(node.namedChildren[0]);
    default:
      if (node.type === 'import' || node.text.startsWith('import(')) {
        const arg = node.parent?.childForFieldName('arguments')?.namedChildren[0];
        const value = arg ? stringValue(arg) : undefined;
        return value ? finish(moduleName(value)) : '';
      }
      return '';
  }
}

function bindingsOf(node: SyntaxNode): Bindings {
  const tree = node.tree;
  const known = cache.get(tree);
  if (known) return known;
  const bindings: Bindings = new Map();
  cache.set(tree, bindings);
  const root = tree.rootNode;
  // Two passes let an alias defined from another alias resolve whatever their order in the file.
  for (let pass = 0; pass < 2; pass++) {
    for (const n of descendants(root)) bind(n, bindings);
  }
  return bindings;
}

function setIfName(bindings: Bindings, name: string, target: string): void {
  if (target && target !== name) bindings.set(name, target);
}

function bind(node: SyntaxNode, bindings: Bindings): void {
  switch (node.type) {
    case 'import_statement': {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'aliased_import') {
          const alias = child.childForFieldName('alias')?.text;
          const name = child.childForFieldName('name')?.text;
          if (alias && name) setIfName(bindings, alias, name);
        }
        // JavaScript: import * as p from 'x'; import x from 'y'; import { a as b } from 'z'
        if (child.type === 'import_clause') {
          const source = node.childForFieldName('source');
          const module = source ? moduleName(stringValue(source) ?? '') : '';
          if (!module) continue;
          for (const part of child.namedChildren) {
            if (!part) continue;
            if (part.type === 'identifier') setIfName(bindings, part.text, module);
            if (part.type === 'namespace_import') {
              const id = part.namedChildren.find((c) => c?.type === 'identifier');
              if (id) setIfName(bindings, id.text, module);
            }
            if (part.type === 'named_imports') {
              for (const spec of part.namedChildren) {
                if (spec?.type !== 'import_specifier') continue;
                const name = spec.childForFieldName('name')?.text;
                const alias = spec.childForFieldName('alias')?.text ?? name;
                if (name && alias) setIfName(bindings, alias, `${module}.${name}`);
              }
            }
          }
        }
      }
      return;
    }
    case 'import_from_statement': {
      const module = node.childForFieldName('module_name')?.text;
      if (!module) return;
      for (const child of node.namedChildren) {
        if (!child || child === node.childForFieldName('module_name')) continue;
        if (child.type === 'aliased_import') {
          const alias = child.childForFieldName('alias')?.text;
          const name = child.childForFieldName('name')?.text;
          if (alias && name) setIfName(bindings, alias, `${module}.${name}`);
        } else if (child.type === 'dotted_name') setIfName(bindings, child.text, `${module}.${child.text}`);
      }
      return;
    }
    case 'assignment':
    case 'variable_declarator': {
      const left = node.childForFieldName(node.type === 'assignment' ? 'left' : 'name');
      const right = node.childForFieldName(node.type === 'assignment' ? 'right' : 'value');
      if (!left || !right) return;
      if (left.type === 'identifier') {
        const target = resolve(right, bindings);
        if (target) setIfName(bindings, left.text, target);
      }
      // const { performance: p, hrtime } = require('perf_hooks') / = globalThis
      if (left.type === 'object_pattern') {
        const base = resolve(right, bindings);
        if (!base) return;
        for (const prop of left.namedChildren) {
          if (!prop) continue;
          if (prop.type === 'shorthand_property_identifier_pattern')
            setIfName(bindings, prop.text, finish(`${base}.${prop.text}`));
          if (prop.type === 'pair_pattern') {
            const key = prop.childForFieldName('key')?.text;
            const value = prop.childForFieldName('value');
            if (key && value?.type === 'identifier')
              setIfName(bindings, value.text, finish(`${base}.${key}`));
          }
        }
      }
      return;
    }
    default:
      return;
  }
}
