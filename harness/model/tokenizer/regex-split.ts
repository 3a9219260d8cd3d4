/**
 * Splits text into words with a list of regexes, each splitting the pieces of the one before, as llama.cpp's
 * unicode_regex_split does: a regex naming \p{..} classes runs over the "collapsed" text (one character
 * per code point for its class), any other regex over the code points with non-ASCII whitespace replaced by
 * U+000B. Unmatched text between matches stays a word of its own. `\s` is the C locale's (space, \t-\r),
 * which with the replacements gives llama.cpp's whitespace set.
 */
import { asciiWhitespaceText, CATEGORY, collapse } from './unicode.ts';

/** What each \p{..} becomes in the collapsed text: the class character plus the ASCII members (unicode.cpp k_ucat_map). */
const CLASS_MEMBERS: Record<string, string> = {
  N: `\\x${CATEGORY.number.toString(16)}0-9`,
  L: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  Lu: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  Ll: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  Lt: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  Lm: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  Lo: `\\x${CATEGORY.letter.toString(16)}A-Za-z`,
  P: `\\x${CATEGORY.punctuation.toString(16)}!-#%-*,-/:-;?-@\\[-\\]_\\{\\}`,
  M: `\\x${CATEGORY.mark.toString(16)}`,
  S: `\\x${CATEGORY.symbol.toString(16)}\\$\\+<->\\^\`\\|~`,
};

const SPACE_MEMBERS = '\\t-\\r ';

interface CompiledRegex {
  regex: RegExp;
  collapsed: boolean;
}

/** Translates one of llama.cpp's pre-tokenizer regexes into a JavaScript RegExp over the text it runs on. */
export function compileSplitRegex(expr: string): CompiledRegex {
  const collapsed = /\\p\{(?:N|L|Lu|Ll|Lt|Lm|Lo|P|M|S)\}/.test(expr);
  let out = '';
  let inside = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i] as string;
    if (ch === '\\') {
      const next = expr[i + 1];
      const property = expr.slice(i).match(/^\\p\{(\w+)\}/);
      if (property && collapsed) {
        const members = CLASS_MEMBERS[property[1] as string];
        if (members === undefined) throw new Error(`unsupported class ${property[0]} in ${expr}`);
        out += inside ? members : `[${members}]`;
        i += property[0].length - 1;
      } else if (next === 's') {
        out += inside ? SPACE_MEMBERS : `[${SPACE_MEMBERS}]`;
        i++;
      } else if (next === 'S') {
        if (inside) throw new Error(`\\S inside a class is not supported in ${expr}`);
        out += `[^${SPACE_MEMBERS}]`;
        i++;
      } else {
        out += ch + (next ?? '');
        i++;
      }
      continue;
    }
    if (ch === '[') inside = true;
    else if (ch === ']') inside = false;
    out += ch;
  }
  return { regex: new RegExp(out, collapsed ? 'g' : 'gu'), collapsed };
}

/** Segment lengths (in code points) after splitting each segment by `compiled`. */
function splitSegments(cps: number[], segments: number[], { regex, collapsed }: CompiledRegex): number[] {
  const out: number[] = [];
  const whole = collapsed ? collapse(cps) : undefined;
  let start = 0;
  for (const length of segments) {
    let text: string;
    // UTF-16 index -> code point index within the segment (the collapsed text has one unit per code point).
    let toCp: (index: number) => number;
    if (whole !== undefined) {
      text = whole.slice(start, start + length);
      toCp = (index) => index;
    } else {
      text = asciiWhitespaceText(cps.slice(start, start + length));
      const map = new Int32Array(text.length + 1);
      let cp = 0;
      for (let u = 0; u < text.length; u++) {
        map[u] = cp;
        const code = text.charCodeAt(u);
        if (code < 0xd800 || code > 0xdbff) cp++;
      }
      map[text.length] = cp;
      toCp = (index) => map[index] as number;
    }
    let last = 0;
    for (const match of text.matchAll(regex)) {
      const from = toCp(match.index);
      const to = toCp(match.index + match[0].length);
      if (to === from) continue;
      if (from > last) out.push(from - last);
      out.push(to - from);
      last = to;
    }
    if (last < length) out.push(length - last);
    start += length;
  }
  return out;
}

export type RegexSplitter = (text: string) => string[];

/** A splitter applying `exprs` in order (llama.cpp's regex_exprs for one pre-tokenizer). */
export function regexSplitter(exprs: readonly string[]): RegexSplitter {
  const compiled = exprs.map(compileSplitRegex);
  return (text) => {
    const cps: number[] = [];
    // UTF-16 offset of each code point, and of the end.
    const offsets: number[] = [];
    for (let u = 0; u < text.length; ) {
      const cp = text.codePointAt(u) as number;
      cps.push(cp);
      offsets.push(u);
      u += cp > 0xffff ? 2 : 1;
    }
    offsets.push(text.length);
    let segments = cps.length > 0 ? [cps.length] : [];
    for (const c of compiled) segments = splitSegments(cps, segments, c);
    const words: string[] = [];
    let at = 0;
    for (const length of segments) {
      words.push(text.slice(offsets[at], offsets[at + length]));
      at += length;
    }
    return words;
  };
}
