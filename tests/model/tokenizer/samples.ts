/** Varied strings for comparing tokenizers: code, prose, unicode, digits, whitespace, punctuation. */

const CODE = [
  'def add(a, b):\n    return a + b\n',
  'import numpy as np\nx = np.zeros((3, 4), dtype=np.float32)\n',
  'class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, x):\n        self.items.append(x)\n',
  'for i in range(10):\n\tprint(f"{i:03d}")',
  'if __name__ == "__main__":\n    main()\n',
  'lambda x: x ** 2 if x > 0 else -x',
  'const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JavaScript template literal is the sample.
  'export function hello(name: string): string {\n  return `Hello, ${name}!`;\n}\n',
  'let x = {a: 1, b: [2, 3], c: {d: null}};',
  'async function main() { await Promise.all([f(), g()]); }',
  'interface Point { x: number; y: number }\ntype P = Readonly<Point>;',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }',
  'fn main() {\n    let v: Vec<i32> = (0..10).collect();\n    println!("{:?}", v);\n}',
  'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC LIMIT 10;',
  '#!/bin/bash\nset -euo pipefail\nfor f in *.txt; do echo "$f"; done',
  '<div class="container"><p>Hello &amp; welcome</p></div>',
  '{"key": "value", "list": [1, 2.5, -3e10], "nested": {"ok": true}}',
  'public static void main(String[] args) { System.out.println("x"); }',
  'x <<= 2; y >>>= 3; z ??= w?.v ?? 0; a !== b && c === d || !e',
  'std::vector<std::string> names{"a", "b"};',
  'try:\n    pass\nexcept (ValueError, KeyError) as e:\n    raise RuntimeError("bad") from e',
  '@decorator\ndef f(*args, **kwargs):\n    ...',
  'assert sum_list([1, 2, 3]) == 6, "expected 6"',
  '// comment with trailing spaces   \n/* block */\n',
  'matrix[i][j] += a[i][k] * b[k][j];',
  'print("ünïcödé", end="")',
  'return {...state, items: [...state.items, item]};',
  'def f():\n\n\n    return None\n\n\n',
  'x=1;y=2;z=x+y',
];

const PROSE = [
  'Hello world',
  'The quick brown fox jumps over the lazy dog.',
  "I'm sure they'll say it's fine, but we've seen what'd happen.",
  "DON'T SHOUT. I'LL LISTEN. YOU'RE RIGHT.",
  'Dr. Smith arrived at 3:45 p.m. on Jan. 5th, 2024.',
  'e-mail: someone@example.com, web: https://example.com/path?q=1&r=2#frag',
  'A sentence with  two spaces, and   three.',
  'Tabs\tbetween\twords',
  'Line one\nLine two\r\nLine three\rLine four',
  'Mixed CASE and camelCase and snake_case and kebab-case',
  '   leading spaces',
  'trailing spaces   ',
  ' ',
  '\n',
  '\n\n\n',
  '\t\t',
  '  \n  \n',
  'Question? Answer! Maybe... (or not) [see: note] {ok}',
  '"Quoted" and \'single\' and `backtick`',
  'You are a helpful AI assistant named SmolLM, trained by Hugging Face',
  'Please write a function that sums a list of 100,000 numbers in under 0.0001 seconds.',
  'The tests keep failing. I need to find another approach.',
  "It's 100% done; cost: $3.50 (≈ €3.20).",
  '50/50 chance, 3-2 vote, version 1.2.3-beta+build.7',
  'Ünïcödé àccénts ñ ç ß ø å æ œ',
];

const UNICODE = [
  '你好，世界！',
  '日本語のテキストです。カタカナとひらがな。',
  '한국어 문장입니다.',
  'Привет, мир! Как дела?',
  'Γειά σου Κόσμε',
  'مرحبا بالعالم',
  'שלום עולם',
  'नमस्ते दुनिया',
  'สวัสดีชาวโลก',
  '😀😃😄😁 emoji',
  '👍🏽 thumbs up with skin tone',
  '👨‍👩‍👧‍👦 family ZWJ sequence',
  '🇫🇷🇯🇵 flags',
  '❤️ heart with variation selector',
  'math: ∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷ π θ λ',
  'arrows → ← ↑ ↓ ⇒ and boxes ┌─┐│└┘',
  'zero\u200bwidth space',
  'non\u00a0breaking space',
  'combining e\u0301 vs é',
  'fullwidth ＡＢＣ１２３',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters 𝟙𝟚𝟛',
  '中文和English混合123',
  'emoji in code: print("🚀")',
  '¿Qué? ¡Sí!',
  '«guillemets» „quotes“ ‘single’',
];

const DIGITS = [
  '0',
  '12',
  '123',
  '1234567890',
  '3.14159265358979',
  '-42',
  '+1e-10',
  '0x1F 0b1010 0o755',
  '1,000,000',
  '2024-01-15T10:30:00Z',
  'abc123def456',
  'v2.0.1',
  '١٢٣ arabic-indic digits',
  '½ ¼ ² ³ superscripts',
  'Ⅻ roman numeral',
  ' 1 2 3',
  '100000 numbers',
  '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]',
];

const PUNCT = [
  '!!!',
  '???',
  '...',
  '---',
  '===',
  '***',
  '!@#$%^&*()_+-=[]{}|;:\'",.<>/?`~',
  '->',
  '=>',
  '::',
  '//',
  '/**/',
  '<|>',
  "'s 't 're 've 'm 'll 'd",
  "'S 'T 'RE",
  "''''",
  '""',
  '\\n\\t\\\\',
  '   !!!   ',
  '. . .',
];

/** Unusual whitespace and character classes, where regex engines' Unicode tables could disagree. */
const EDGES = [
  'a\u3000b',
  'a\u2028b',
  'a\u0085b',
  'a \u0085b',
  'a \ufeffb',
  'x\u2028 \u3000y',
  'a\u000bb',
  'a\u000cb',
  '\ufeffbom',
  'x\u1680y',
  'tab\t \tend',
  'e\u0301\u0301',
  '\u1100\u1161\u11a8',
  'a\u00adb',
  '\u2003em space',
  'x  \u00a0 y',
  '𝟘𝟙',
  'Ⅰ Ⅱ',
  '⑴ ⑵',
  '\r\n\r\n',
  ' \r\n ',
  "'s's'S",
  'it’s',
  'x\u0000y',
  '\u{E0001}tag',
  'ǅungla',
  'ʰ modifier',
  '々',
];

const SPECIALS = [
  '<|im_start|>user\nHi<|im_end|>\n',
  '<|im_start|>assistant\n',
  'text<|endoftext|>more',
  '<|im_start|><|im_end|>',
  '<repo_name>x<file_sep>y',
];

/** Deterministic pseudo-random mixes of the pieces above, for the cases nobody writes by hand. */
function mixes(count: number): string[] {
  const pool = [...CODE, ...PROSE, ...UNICODE, ...DIGITS, ...PUNCT];
  let s = 12345;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const seps = ['', ' ', '  ', '\n', '\n\n', '\t', ' \n ', '   '];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // Cut by code point: a lone surrogate is not text either tokenizer can round-trip.
    const a = Array.from(pool[rand(pool.length)] as string);
    const b = Array.from(pool[rand(pool.length)] as string);
    const head = a.slice(rand(a.length + 1)).join('');
    out.push(head + (seps[rand(seps.length)] as string) + b.slice(0, rand(b.length + 1) + 1).join(''));
  }
  return out;
}

export const PLAIN_SAMPLES = [...CODE, ...PROSE, ...UNICODE, ...DIGITS, ...PUNCT, ...EDGES, ...mixes(100)];
export const SPECIAL_SAMPLES = SPECIALS;
