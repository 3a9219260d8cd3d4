/**
 * Chat templates are Jinja written against Python's jinja2, and @huggingface/jinja runs them in
 * JavaScript. Where the two print values differently the prompt differs from the one the model was
 * trained on: @huggingface/jinja prints booleans as `true`, None as nothing and lists as JSON, where
 * jinja2 prints Python's str() of the value (`True`, `None`, `[True, 'a']`). Both `{{ expr }}`, the `~`
 * operator and the `string` filter turn a value into text.
 *
 * compileTemplate parses a template once and rewrites those three places in its syntax tree into a call
 * of PY_STR on the value, which prints it as Python does. The value reaches PY_STR wrapped in a one-element
 * list, because @huggingface/jinja hands a JavaScript function the raw values of its arguments (1.0 would
 * arrive as 1) but a list's elements as its typed runtime values.
 */
import { Template } from '@huggingface/jinja';

/** The global the rewritten templates call; a name no template uses. */
const PY_STR = '__harness_py_str__';

/** A node of @huggingface/jinja's syntax tree, as far as this rewrite reads it. */
interface Node {
  type: string;
  [key: string]: unknown;
}

/** A runtime value of @huggingface/jinja (its `type` names the class: BooleanValue, NullValue, ...). */
interface RuntimeValue {
  type: string;
  value: unknown;
  toString(): string;
}

/** Statements whose listed fields hold statement lists, whose results are printed. */
const BLOCKS: Record<string, string[]> = {
  Program: ['body'],
  If: ['body', 'alternate'],
  For: ['body', 'defaultBlock'],
  Macro: ['body'],
  CallStatement: ['body'],
  FilterStatement: ['body'],
  Set: ['body'],
};

/** Statements that print nothing themselves (their bodies are rewritten where they are visited). */
const SILENT = new Set([...Object.keys(BLOCKS), 'Break', 'Continue', 'Comment', 'StringLiteral']);

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && typeof (x as Node).type === 'string';
}

function pyStrCall(operand: Node): Node {
  return {
    type: 'CallExpression',
    callee: { type: 'Identifier', value: PY_STR },
    args: [{ type: 'ArrayLiteral', value: [operand] }],
  };
}

/** Rewrites the subtree under `node` in place: every printed value and `~` operand goes through PY_STR. */
function rewrite(node: Node): Node {
  for (const [key, child] of Object.entries(node)) {
    if (Array.isArray(child)) node[key] = child.map((c) => rewriteAny(c, BLOCKS[node.type]?.includes(key)));
    // A dict literal's entries: a Map from key node to value node.
    else if (child instanceof Map)
      node[key] = new Map([...child].map(([k, v]) => [rewriteAny(k), rewriteAny(v)]));
    else if (isNode(child)) node[key] = rewrite(child);
  }
  if (node.type === 'BinaryExpression' && (node.operator as { value?: string }).value === '~') {
    node.left = pyStrCall(node.left as Node);
    node.right = pyStrCall(node.right as Node);
  }
  const filter = node.filter as Node | undefined;
  if (node.type === 'FilterExpression' && filter?.type === 'Identifier' && filter.value === 'string')
    return pyStrCall(node.operand as Node);
  return node;
}

function rewriteAny(x: unknown, statement = false): unknown {
  if (Array.isArray(x)) return x.map((c) => rewriteAny(c));
  if (!isNode(x)) return x;
  const node = rewrite(x);
  return statement && !SILENT.has(node.type) ? pyStrCall(node) : node;
}

/** Python's repr() of a string: single quotes unless the text has one and no double quote. */
function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a runtime value (how str() shows the elements of a list or dict). */
function pyRepr(v: RuntimeValue): string {
  return v.type === 'StringValue' ? pyReprString(v.value as string) : pyStr(v);
}

/** Python's str() of a runtime value, as jinja2 prints it; undefined prints as nothing. */
export function pyStr(v: RuntimeValue): string {
  switch (v.type) {
    case 'BooleanValue':
      return v.value ? 'True' : 'False';
    case 'NullValue':
      return 'None';
    case 'UndefinedValue':
      return '';
    case 'StringValue':
      return v.value as string;
    case 'ArrayValue':
      return `[${(v.value as RuntimeValue[]).map(pyRepr).join(', ')}]`;
    case 'TupleValue': {
      const items = (v.value as RuntimeValue[]).map(pyRepr);
      return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
    }
    case 'ObjectValue':
    case 'KeywordArgumentsValue':
      return `{${[...(v.value as Map<string, RuntimeValue>)].map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
    default:
      return v.toString();
  }
}

/** A template that prints values as jinja2 does; render it with renderTemplate. */
export function compileTemplate(source: string): Template {
  const template = new Template(source);
  rewrite(template.parsed as unknown as Node);
  return template;
}

/** Renders a compiled template with `context` (plain JavaScript values). */
export function renderTemplate(template: Template, context: Record<string, unknown>): string {
  return template.render({ ...context, [PY_STR]: (wrapped: RuntimeValue[]) => pyStr(wrapped[0]!) });
}
