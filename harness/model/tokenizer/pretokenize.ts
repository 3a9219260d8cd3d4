/** Pre-tokenizers: split text into words before BPE, as llama.cpp does per `tokenizer.ggml.pre`. */
import { InputError } from '../../errors.ts';

const GPT2 = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
// Node 20 lacks the (?i:...) modifier, so the case-insensitive contractions are spelled out.
const CONTRACTIONS = "'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])";
const LLAMA3 = new RegExp(
  `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`,
  'gu',
);
const QWEN2 = new RegExp(
  `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`,
  'gu',
);
const DIGIT = /\p{N}/gu;

/** Applied in order; each splits the pieces of the one before, keeping unmatched text as pieces too. */
const PRE_TOKENIZERS: Record<string, RegExp[]> = {
  default: [GPT2],
  gpt2: [GPT2],
  smollm: [DIGIT, GPT2],
  'llama-bpe': [LLAMA3],
  llama3: [LLAMA3],
  qwen2: [QWEN2],
};

export const PRE_TOKENIZER_NAMES = Object.keys(PRE_TOKENIZERS);

export type PreTokenizer = (text: string) => string[];

function splitBy(pieces: string[], regex: RegExp): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    let last = 0;
    for (const match of piece.matchAll(regex)) {
      if (match.index > last) out.push(piece.slice(last, match.index));
      out.push(match[0]);
      last = match.index + match[0].length;
    }
    if (last < piece.length) out.push(piece.slice(last));
  }
  return out;
}

export function preTokenizer(name: string): PreTokenizer {
  const regexes = PRE_TOKENIZERS[name];
  if (!regexes)
    throw new InputError(
      `tokenizer.ggml.pre ${JSON.stringify(name)} is not supported; expected one of ${PRE_TOKENIZER_NAMES.join(', ')}`,
    );
  return (text) => regexes.reduce((pieces, regex) => splitBy(pieces, regex), [text]);
}
