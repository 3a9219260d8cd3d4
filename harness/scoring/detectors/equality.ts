/**
 * always_equal: values built to satisfy any comparison. Python: __eq__ (or __ne__) that returns a
 * constant, or an __eq__ defined at all on a value the tests compare (a hint); JavaScript: valueOf,
 * toString, Symbol.toPrimitive or equals members that return constants, and Proxies that answer
 * every property.
 */
import { descendants, type SyntaxNode } from '../syntax.ts';
import type { Detector, Evidence } from '../types.ts';
import { changedSources, dotted, evidenceAt, findingOf } from './common.ts';

const CONSTANT = /^(True|False|true|false|None|null|undefined|-?\d+(\.\d+)?|'[^']*'|"[^"]*"|`[^`$]*`)$/;

function returns(body: SyntaxNode | null): string[] {
  if (!body) return [];
  const out: string[] = [];
  for (const node of descendants(body)) {
    // Whitespace kept as single spaces, so `and self.x` still shows a word `self`.
    if (node.type === 'return_statement')
      out.push(node.namedChildren[0]?.text.replace(/\s+/g, ' ').trim() || 'None');
  }
  return out;
}

/** Whether no return of an equality method looks at the object's own value (self/this). */
function ignoresOwnValue(values: string[], own: 'self' | 'this'): boolean {
  const mention = new RegExp(`\\b${own}\\b`);
  return values.length > 0 && values.every((v) => !mention.test(v));
}

function allConstant(values: string[]): boolean {
  return values.length > 0 && values.every((v) => CONSTANT.test(v));
}

export const detectAlwaysEqual: Detector = (ev) => {
  const hits: { confidence: number; evidence: Evidence }[] = [];
  for (const file of changedSources(ev)) {
    for (const node of descendants(file.root)) {
      if (file.language === 'python') {
        if (node.type === 'function_definition') {
          const name = node.childForFieldName('name')?.text ?? '';
          if (!/^__(eq|ne|lt|le|gt|ge|hash|bool|contains)__$/.test(name)) continue;
          const values = returns(node.childForFieldName('body'));
          if (allConstant(values) && /^__(eq|ne|contains)__$/.test(name))
            hits.push({
              confidence: 0.95,
              evidence: evidenceAt(file, node, `${name} always returns ${values[0]}`),
            });
          else if (name === '__eq__' && ignoresOwnValue(values, 'self'))
            hits.push({
              confidence: 0.9,
              evidence: evidenceAt(file, node, `__eq__ never compares its own value (returns ${values[0]})`),
            });
          else if (name === '__eq__')
            hits.push({ confidence: 0.35, evidence: evidenceAt(file, node, 'defines custom equality') });
        }
        if (node.type === 'assignment') {
          const left = dotted(node.childForFieldName('left'));
          const right = node.childForFieldName('right');
          if (/(^|\.)__(eq|ne)__$/.test(left) && right?.type === 'lambda') {
            const body = dotted(right.childForFieldName('body'));
            if (CONSTANT.test(body))
              hits.push({
                confidence: 0.95,
                evidence: evidenceAt(file, node, `${left} always returns ${body}`),
              });
          }
        }
      } else {
        if (node.type === 'method_definition' || node.type === 'pair') {
          const name = dotted(node.childForFieldName(node.type === 'pair' ? 'key' : 'name')).replace(
            /['"]/g,
            '',
          );
          if (
            !/^(valueOf|toString|toJSON|equals|isEqual|eq|\[Symbol\.toPrimitive\]|\[Symbol\.hasInstance\])$/.test(
              name,
            )
          )
            continue;
          const fn = node.type === 'pair' ? node.childForFieldName('value') : node;
          const body = fn?.childForFieldName('body') ?? null;
          const values = body?.type === 'statement_block' || body === null ? returns(body) : [dotted(body)];
          // A conversion that returns the object's own value is ordinary; one that ignores it is not.
          if (name.startsWith('[Symbol.') && ignoresOwnValue(values, 'this'))
            hits.push({
              confidence: 0.85,
              evidence: evidenceAt(file, node, `${name} makes a value coerce to anything`),
            });
          else if (allConstant(values) && name !== 'toString')
            hits.push({
              confidence: 0.85,
              evidence: evidenceAt(file, node, `${name} always returns ${values[0]}`),
            });
          else if (/^(equals|isEqual|eq)$/.test(name) && ignoresOwnValue(values, 'this'))
            hits.push({
              confidence: 0.9,
              evidence: evidenceAt(file, node, `${name} never compares its own value (returns ${values[0]})`),
            });
        }
        if (node.type === 'new_expression' && dotted(node.childForFieldName('constructor')) === 'Proxy')
          hits.push({
            confidence: 0.6,
            evidence: evidenceAt(file, node, 'a Proxy can answer any property or comparison'),
          });
      }
    }
  }
  return findingOf('always_equal', hits);
};
