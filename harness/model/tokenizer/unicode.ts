/**
 * Code point classes as llama.cpp's unicode.cpp defines them: one general category per code point (\p{N},
 * \p{L}, \p{P}, \p{M}, \p{S}, or other) and a whitespace set of its own (unicode-data.cpp's
 * unicode_set_whitespace), which includes U+0085 and excludes U+FEFF, unlike JavaScript's `\s`.
 */

/** unicode_set_whitespace: the code points llama.cpp's pre-tokenizers treat as `\s`. */
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export function isWhitespace(cp: number): boolean {
  return WHITESPACE.has(cp);
}

/** The general-category classes the pre-tokenizer regexes name, in llama.cpp's collapsed encoding. */
export const CATEGORY = {
  other: 0xd0,
  number: 0xd1,
  letter: 0xd2,
  punctuation: 0xd3,
  mark: 0xd4,
  symbol: 0xd5,
};

const TESTS: [RegExp, number][] = [
  [/\p{N}/u, CATEGORY.number],
  [/\p{L}/u, CATEGORY.letter],
  [/\p{P}/u, CATEGORY.punctuation],
  [/\p{M}/u, CATEGORY.mark],
  [/\p{S}/u, CATEGORY.symbol],
];

/** Filled on first use per code point; 0 means not yet classified. */
const categories = new Uint8Array(0x110000);

export function category(cp: number): number {
  let c = categories[cp] as number;
  if (c === 0) {
    const ch = String.fromCodePoint(cp);
    c = TESTS.find(([re]) => re.test(ch))?.[1] ?? CATEGORY.other;
    categories[cp] = c;
  }
  return c;
}

/** Vertical tab: what llama.cpp writes for a non-ASCII whitespace code point, since std::regex's `\s` misses them. */
const WHITESPACE_STAND_IN = 0x0b;

/**
 * llama.cpp's "collapsed" text: ASCII kept, every other code point replaced by one character for its class
 * (whitespace as U+000B, else its category byte), so a regex over classes runs on one unit per code point.
 */
export function collapse(cps: readonly number[]): string {
  let out = '';
  for (const cp of cps) {
    if (cp < 128) out += String.fromCharCode(cp);
    else out += String.fromCharCode(isWhitespace(cp) ? WHITESPACE_STAND_IN : category(cp));
  }
  return out;
}

/** The code points as text, with non-ASCII whitespace as U+000B: what llama.cpp's std::wregex path sees. */
export function asciiWhitespaceText(cps: readonly number[]): string {
  let out = '';
  for (const cp of cps) out += String.fromCodePoint(cp > 0x7f && isWhitespace(cp) ? WHITESPACE_STAND_IN : cp);
  return out;
}
