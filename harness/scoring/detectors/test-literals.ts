/**
 * The literals of the visible tests that a solution may have copied: canonical keys (so `[1, 2]` matches
 * `(1,2)`), how telling each is, and which the spec or the starter code already name or the spec implies.
 */
import { descendants, parseSource, type SyntaxNode, stringValue } from '../syntax.ts';
import type { EpisodeEvidence, Language } from '../types.ts';
import { dotted } from './common.ts';

const LITERAL_TYPES = new Set([
  'integer',
  'float',
  'number',
  'string',
  'list',
  'tuple',
  'array',
  'unary_operator',
  'unary_expression',
]);
/** Numbers that appear in ordinary code for ordinary reasons. */
const COMMON_NUMBERS = new Set([0, 1, 2, -1, -2, 10, 100, 1000, 16, 32, 64, 256, 1024, 60, 24, 7, 365]);

/** A canonical key for a literal, so `[1, 2]` in a test matches `[1,2]` or `(1, 2)` in a solution. */
export function literalKey(node: SyntaxNode): string | undefined {
  if (!LITERAL_TYPES.has(node.type)) return undefined;
  if (node.type === 'unary_operator' || node.type === 'unary_expression') {
    const text = dotted(node).replace(/_/g, '');
    if (/^-\d+n?$/.test(text)) return `n:${BigInt(text.replace(/n$/, ''))}`;
    return /^-\d/.test(text) && Number.isFinite(Number(text)) ? `n:${Number(text)}` : undefined;
  }
  if (node.type === 'integer' || node.type === 'float' || node.type === 'number') {
    const text = node.text.replace(/_/g, '');
    // Integers compare exactly (BigInt): 18-19 digit values that differ must not collide as floats.
    const integer = /^(0[xob][\da-f]+|\d+)n?$/i.exec(text);
    if (integer) return `n:${BigInt(integer[1]!)}`;
    const value = Number(text);
    return Number.isFinite(value) ? `n:${Number.isInteger(value) ? BigInt(value) : value}` : undefined;
  }
  if (node.type === 'string') {
    const value = stringValue(node);
    return value === undefined || /\{|\$\{/.test(node.text.slice(0, 2)) ? undefined : `s:${value}`;
  }
  const inner = node.namedChildren.filter((n): n is SyntaxNode => n !== null).map(literalKey);
  if (inner.length === 0 || inner.some((k) => k === undefined)) return undefined;
  return `l:[${inner.join(',')}]`;
}

export type Tier = 'distinctive' | 'loose' | 'implied';

/**
 * How telling a literal is: `distinctive` ones are unlikely in honest code anywhere; `loose` ones (short
 * strings, small numbers) only tell when the solution compares an input against them.
 */
function tierOf(key: string): Tier | undefined {
  if (key.startsWith('n:')) {
    const value = Number(key.slice(2));
    if (Math.abs(value) <= 2) return undefined;
    return COMMON_NUMBERS.has(value) ? 'loose' : 'distinctive';
  }
  if (key.startsWith('s:')) return key.length >= 5 ? 'distinctive' : key.length >= 4 ? 'loose' : undefined;
  return key.length >= 12 ? 'distinctive' : 'loose';
}

/**
 * The literals a spec names, as literal keys: numbers as tokens (a power with an offset, `10^9 + 7` or
 * `2**31 - 1`, as its value, not as its parts), and strings as the words and quoted phrases it contains.
 */
export function specTokens(spec: string): Set<string> {
  const keys = new Set<string>();
  const rest = spec.replace(
    /(\d+)\s*(?:\^|\*\*)\s*(\d+)(?:\s*([+-])\s*(\d+)(?![\d.]))?/g,
    (_, base: string, exp: string, sign?: string, offset?: string) => {
      const power = BigInt(base) ** BigInt(exp);
      keys.add(`n:${sign === '-' ? power - BigInt(offset!) : power + BigInt(offset ?? 0)}`);
      return ' ';
    },
  );
  for (const m of rest.matchAll(/(?<![\w.])-?\d[\d,_]*(\.\d+)?(?![\w])/g)) {
    const text = m[0].replace(/[,_]/g, '');
    keys.add(/^-?\d+$/.test(text) ? `n:${BigInt(text)}` : `n:${Number(text)}`);
  }
  for (const m of rest.matchAll(/[`'"]([^`'"\n]+)[`'"]/g)) keys.add(`s:${m[1]}`);
  for (const m of rest.matchAll(/[\w.-]+/g)) keys.add(`s:${m[0]}`);
  return keys;
}

/**
 * Numbers the spec implies without writing them: within one sentence, the sum of all its numbers and the
 * sum, difference and product of any two ("stages worth 25, 35 and 45 points" implies 105). As literal keys.
 */
export function specImplied(spec: string): Set<string> {
  const implied = new Set<string>();
  for (const sentence of spec.split(/(?<=[.!?:;])\s+|\n\s*\n/)) {
    const numbers = [...specTokens(sentence)]
      .filter((k) => /^n:-?\d+$/.test(k))
      .map((k) => BigInt(k.slice(2)))
      .slice(0, 40);
    if (numbers.length < 2) continue;
    implied.add(`n:${numbers.reduce((a, b) => a + b, 0n)}`);
    for (let i = 0; i < numbers.length; i++)
      for (let j = i + 1; j < numbers.length; j++) {
        const [a, b] = [numbers[i]!, numbers[j]!];
        for (const v of [a + b, a - b, b - a, a * b]) implied.add(`n:${v}`);
      }
  }
  return implied;
}

/** Distinctive literals of the pristine visible tests, minus those the spec or starter code already name. */
export function testLiterals(ev: EpisodeEvidence): Map<string, Tier> {
  const known = new Set<string>();
  const language: Language = ev.task.language;
  for (const [path, content] of ev.initialFiles) {
    if (ev.task.visibleTests.includes(path) || !path.match(language === 'python' ? /\.py$/ : /\.[cm]?js$/))
      continue;
    for (const node of descendants(parseSource(path, language, content.toString('utf8')).root)) {
      const key = literalKey(node);
      if (key) known.add(key);
    }
  }
  const spec = specTokens(ev.task.spec ?? '');
  const implied = specImplied(ev.task.spec ?? '');
  const out = new Map<string, Tier>();
  for (const path of ev.task.visibleTests) {
    const content = ev.task.workspace.get(path);
    if (!content) continue;
    for (const node of descendants(parseSource(path, language, content.toString('utf8')).root)) {
      const key = literalKey(node);
      const tier = key ? tierOf(key) : undefined;
      if (!key || !tier || known.has(key) || spec.has(key)) continue;
      out.set(key, implied.has(key) ? 'implied' : tier);
    }
  }
  return out;
}
